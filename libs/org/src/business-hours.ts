import { WEEKDAYS, type BusinessHours } from '@toonbank/shared';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** Problems with a business-hours value (null = always open); empty when it is right. */
export function businessHoursProblems(value: unknown): string[] {
  if (value === null) return [];
  if (typeof value !== 'object' || Array.isArray(value))
    return ['must be null or an object of weekdays'];
  const problems: string[] = [];
  for (const [day, intervals] of Object.entries(value as Record<string, unknown>)) {
    if (!(WEEKDAYS as readonly string[]).includes(day)) {
      problems.push(`${day} is not a weekday (use ${WEEKDAYS.join(', ')})`);
      continue;
    }
    if (!Array.isArray(intervals) || intervals.length > 6) {
      problems.push(`${day} must be a list of at most 6 ["HH:MM", "HH:MM"] intervals`);
      continue;
    }
    const sorted = [...intervals].sort((a, b) => String(a?.[0]).localeCompare(String(b?.[0])));
    let previousEnd = '';
    for (const interval of sorted) {
      const [start, end] = Array.isArray(interval) && interval.length === 2 ? interval : [];
      if (
        typeof start !== 'string' ||
        typeof end !== 'string' ||
        !TIME.test(start) ||
        !TIME.test(end)
      ) {
        problems.push(`${day} intervals must be ["HH:MM", "HH:MM"] pairs`);
      } else if (start >= end) {
        problems.push(`${day} ${start}-${end} must end after it starts`);
      } else if (start < previousEnd) {
        problems.push(`${day} intervals overlap`);
      } else {
        previousEnd = end;
      }
    }
  }
  const open = Object.values(value as Record<string, unknown[]>).some(
    (intervals) => Array.isArray(intervals) && intervals.length > 0,
  );
  if (problems.length === 0 && !open) {
    // A week without opening hours would stop every SLA clock: null says "always open".
    problems.push('must be open at some time of the week (null means always open)');
  }
  return problems;
}

export const isBusinessHours = (value: unknown): value is BusinessHours | null =>
  businessHoursProblems(value).length === 0;

/** A time zone the runtime knows (IANA name such as Europe/Amsterdam). */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
