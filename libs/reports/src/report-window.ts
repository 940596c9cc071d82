import { DateTime } from 'luxon';

/** The window a report covers: the instants `start` ≤ t < `end`, days counted in `timeZone`. */
export interface ReportWindow {
  start: Date;
  /** Exclusive: the first instant after the window. */
  end: Date;
  timeZone: string;
}

export interface ReportWindowQuery {
  from?: string;
  to?: string;
}

export type ReportWindowField = keyof ReportWindowQuery;

export type ResolvedWindow =
  | { ok: true; window: ReportWindow }
  | { ok: false; problems: Partial<Record<ReportWindowField, string[]>> };

export const DEFAULT_REPORT_DAYS = 7;
export const MAX_REPORT_DAYS = 366;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

const FORMAT = 'must be a date (YYYY-MM-DD) or a date-time with Z or an offset (ISO-8601)';

/**
 * One end of the window: a date is a day in the organisation's zone (its start for `from`,
 * the start of the next day for `to`, so that `to` includes its day); a date-time is that
 * instant. A date-time must say its offset: without one it would mean a different instant
 * in each zone (and nothing, or two things, on the night clocks change).
 */
function parseBound(value: string, field: ReportWindowField, zone: string): DateTime | null {
  if (DATE.test(value)) {
    const day = DateTime.fromISO(value, { zone });
    if (!day.isValid) return null;
    return field === 'to' ? day.plus({ days: 1 }).startOf('day') : day.startOf('day');
  }
  if (DATE_TIME.test(value)) {
    const instant = DateTime.fromISO(value, { setZone: true });
    return instant.isValid ? instant.setZone(zone) : null;
  }
  return null;
}

/**
 * `?from=&to=` of the reports → the window, or the problems per field (400
 * `validation.failed`). Left out: `to` is the end of today, `from` is seven days before
 * `to` (so by default the last seven days, today included). Refused: a bad format, a
 * `from` that is not before `to`, a span over 366 days.
 */
export function resolveReportWindow(
  query: ReportWindowQuery,
  timeZone: string,
  now: Date,
): ResolvedWindow {
  const problems: Partial<Record<ReportWindowField, string[]>> = {};
  const bound = (field: ReportWindowField): DateTime | null | undefined => {
    const value = query[field];
    if (value === undefined) return undefined;
    const parsed = parseBound(value, field, timeZone);
    if (!parsed) problems[field] = [`${field} ${FORMAT}`];
    return parsed;
  };
  const from = bound('from');
  const to = bound('to');
  if (from === null || to === null) return { ok: false, problems };

  const end = to ?? DateTime.fromJSDate(now, { zone: timeZone }).plus({ days: 1 }).startOf('day');
  const start = from ?? end.minus({ days: DEFAULT_REPORT_DAYS });
  if (start >= end) {
    return {
      ok: false,
      problems: { from: ['from must be before to'], to: ['to must not be before from'] },
    };
  }
  if (end > start.plus({ days: MAX_REPORT_DAYS })) {
    const message = `the window may span at most ${MAX_REPORT_DAYS} days`;
    return { ok: false, problems: { from: [message], to: [message] } };
  }
  return { ok: true, window: { start: start.toJSDate(), end: end.toJSDate(), timeZone } };
}

/** The window's first and last day (`YYYY-MM-DD`) in its zone; `end` is exclusive. */
export function windowDays(window: ReportWindow): { first: string; last: string } {
  const day = (date: Date) =>
    DateTime.fromJSDate(date, { zone: window.timeZone }).toISODate() as string;
  return { first: day(window.start), last: day(new Date(window.end.getTime() - 1)) };
}

/** Every day (`YYYY-MM-DD`) the window touches in its zone, oldest first. */
export function windowDates(window: ReportWindow): string[] {
  const { first, last } = windowDays(window);
  const dates: string[] = [];
  for (
    let day = DateTime.fromISO(first, { zone: window.timeZone });
    (day.toISODate() as string) <= last;
    day = day.plus({ days: 1 })
  ) {
    dates.push(day.toISODate() as string);
  }
  return dates;
}

/** An instant as a local date-time of the zone, with its offset: `2026-03-29T03:00:00+02:00`. */
export function localDateTime(date: Date, timeZone: string): string {
  return DateTime.fromJSDate(date, { zone: timeZone }).toISO({
    suppressMilliseconds: true,
  }) as string;
}
