import {
  localDateTime,
  resolveReportWindow,
  windowDates,
  windowDays,
  type ReportWindowQuery,
} from './report-window';

const AMS = 'Europe/Amsterdam';
const NYC = 'America/New_York';
/** Thursday 26 November 2026, 10:00 in Amsterdam. */
const NOW = new Date('2026-11-26T09:00:00Z');

describe('resolveReportWindow: the window [start, end)', () => {
  it.each<[string, ReportWindowQuery, string, string, string]>([
    [
      'default: the last seven days, today included',
      {},
      AMS,
      '2026-11-19T23:00:00.000Z',
      '2026-11-26T23:00:00.000Z',
    ],
    [
      'default in New York: its own today',
      {},
      NYC,
      '2026-11-20T05:00:00.000Z',
      '2026-11-27T05:00:00.000Z',
    ],
    [
      'one day: to includes its day',
      { from: '2026-06-01', to: '2026-06-01' },
      AMS,
      '2026-05-31T22:00:00.000Z',
      '2026-06-01T22:00:00.000Z',
    ],
    [
      'the spring change: a 23-hour day',
      { from: '2026-03-29', to: '2026-03-29' },
      AMS,
      '2026-03-28T23:00:00.000Z',
      '2026-03-29T22:00:00.000Z',
    ],
    [
      'the autumn change: a 25-hour day',
      { from: '2026-10-25', to: '2026-10-25' },
      AMS,
      '2026-10-24T22:00:00.000Z',
      '2026-10-25T23:00:00.000Z',
    ],
    [
      'New York’s spring change',
      { from: '2026-03-08', to: '2026-03-08' },
      NYC,
      '2026-03-08T05:00:00.000Z',
      '2026-03-09T04:00:00.000Z',
    ],
    [
      'only from: until the end of today',
      { from: '2026-11-01' },
      AMS,
      '2026-10-31T23:00:00.000Z',
      '2026-11-26T23:00:00.000Z',
    ],
    [
      'only to: the seven days up to and including it, across the clock change',
      { to: '2026-03-31' },
      AMS,
      '2026-03-24T23:00:00.000Z',
      '2026-03-31T22:00:00.000Z',
    ],
    [
      'date-times are instants, whatever their offset; to is exclusive',
      { from: '2026-03-29T01:30:00+01:00', to: '2026-03-29T12:00Z' },
      AMS,
      '2026-03-29T00:30:00.000Z',
      '2026-03-29T12:00:00.000Z',
    ],
    [
      'a date-time with fractions of a second',
      { from: '2026-03-29T00:00:00.123456Z', to: '2026-03-30' },
      AMS,
      '2026-03-29T00:00:00.123Z',
      '2026-03-30T22:00:00.000Z',
    ],
    [
      'a date and a date-time mixed',
      { from: '2026-03-29', to: '2026-03-29T06:00:00-04:00' },
      NYC,
      '2026-03-29T04:00:00.000Z',
      '2026-03-29T10:00:00.000Z',
    ],
    [
      '366 days, a leap year, is allowed',
      { from: '2028-01-01', to: '2028-12-31' },
      AMS,
      '2027-12-31T23:00:00.000Z',
      '2028-12-31T23:00:00.000Z',
    ],
  ])('%s', (_label, query, zone, start, end) => {
    const resolved = resolveReportWindow(query, zone, NOW);
    expect(resolved).toEqual({
      ok: true,
      window: { start: new Date(start), end: new Date(end), timeZone: zone },
    });
  });
});

describe('resolveReportWindow: refused', () => {
  it.each<[string, ReportWindowQuery, string[]]>([
    ['not a date', { from: 'yesterday' }, ['from']],
    ['an empty value', { to: '' }, ['to']],
    ['a day that does not exist', { from: '2026-02-30' }, ['from']],
    ['a month without its zero', { from: '2026-3-01' }, ['from']],
    ['a date-time without an offset', { to: '2026-03-29T12:00:00' }, ['to']],
    ['an hour that does not exist', { to: '2026-03-29T25:00Z' }, ['to']],
    ['both malformed', { from: '29-03-2026', to: '2026/03/30' }, ['from', 'to']],
    ['from after to', { from: '2026-03-30', to: '2026-03-29' }, ['from', 'to']],
    [
      'from equal to an exclusive to',
      { from: '2026-03-29T10:00Z', to: '2026-03-29T10:00Z' },
      ['from', 'to'],
    ],
    ['from after today, to left out', { from: '2026-12-01' }, ['from', 'to']],
    ['367 days', { from: '2026-01-01', to: '2027-01-02' }, ['from', 'to']],
    [
      'a year and a second',
      { from: '2026-01-01T00:00Z', to: '2027-01-02T00:00:01Z' },
      ['from', 'to'],
    ],
  ])('%s', (_label, query, fields) => {
    const resolved = resolveReportWindow(query, AMS, NOW);
    expect(resolved.ok).toBe(false);
    if (resolved.ok) return;
    expect(Object.keys(resolved.problems).sort()).toEqual(fields);
    for (const messages of Object.values(resolved.problems)) {
      expect(messages).toEqual([expect.any(String)]);
    }
  });
});

describe('the window’s days in its zone', () => {
  it.each([
    ['2026-03-28T23:00:00Z', '2026-03-29T22:00:00Z', AMS, ['2026-03-29']],
    [
      '2026-10-24T22:00:00Z',
      '2026-10-27T23:00:00Z',
      AMS,
      ['2026-10-25', '2026-10-26', '2026-10-27'],
    ],
    ['2026-03-29T12:00:00Z', '2026-03-29T12:00:01Z', NYC, ['2026-03-29']],
    ['2026-03-29T03:00:00Z', '2026-03-29T05:00:00Z', NYC, ['2026-03-28', '2026-03-29']],
  ])('%s – %s in %s', (start, end, timeZone, dates) => {
    const window = { start: new Date(start), end: new Date(end), timeZone };
    expect(windowDates(window)).toEqual(dates);
    expect(windowDays(window)).toEqual({ first: dates[0], last: dates[dates.length - 1] });
  });

  it.each([
    ['2026-03-29T00:59:59Z', AMS, '2026-03-29T01:59:59+01:00'],
    ['2026-03-29T01:00:00Z', AMS, '2026-03-29T03:00:00+02:00'],
    ['2026-10-25T00:30:00Z', AMS, '2026-10-25T02:30:00+02:00'],
    ['2026-10-25T01:30:00Z', AMS, '2026-10-25T02:30:00+01:00'],
    ['2026-03-08T07:00:00.250Z', NYC, '2026-03-08T03:00:00.250-04:00'],
  ])('%s is %s in %s', (instant, zone, local) => {
    expect(localDateTime(new Date(instant), zone)).toBe(local);
  });
});
