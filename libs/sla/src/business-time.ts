import { WEEKDAYS, type BusinessHours } from '@toonbank/shared';
import { DateTime } from 'luxon';

const MINUTE_MS = 60_000;
/** Far enough to cross any week of opening hours; protects against a week with none. */
const MAX_DAYS = 8;

const at = (day: DateTime, time: string): DateTime => {
  if (time === '24:00') return day.plus({ days: 1 }).startOf('day');
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return day.set({ hour, minute, second: 0, millisecond: 0 });
};

/**
 * SPEC.md §4: the first-response due time — `minutes` after `start`, counted only while the
 * organisation is open (its business hours in its time zone, daylight saving included);
 * `null` hours = always open. A week without any opening time counts as always open
 * (the settings refuse one; this keeps an SLA from never falling due).
 */
export function addBusinessMinutes(
  start: Date,
  minutes: number,
  hours: BusinessHours | null,
  timeZone: string,
): Date {
  if (!hours) return new Date(start.getTime() + minutes * MINUTE_MS);
  let remaining = minutes * MINUTE_MS;
  const from = DateTime.fromJSDate(start, { zone: timeZone });
  for (let offset = 0; offset < MAX_DAYS * 7; offset += 1) {
    const day = from.startOf('day').plus({ days: offset });
    const weekday = WEEKDAYS[day.weekday - 1] as keyof BusinessHours;
    const intervals = [...(hours[weekday] ?? [])].sort((a, b) => a[0].localeCompare(b[0]));
    for (const [open, close] of intervals) {
      const opens = DateTime.max(at(day, open), from);
      const closes = at(day, close);
      const available = closes.toMillis() - opens.toMillis();
      if (available <= 0) continue;
      if (remaining <= available) return new Date(opens.toMillis() + remaining);
      remaining -= available;
    }
  }
  return new Date(start.getTime() + minutes * MINUTE_MS);
}
