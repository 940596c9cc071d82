import {
  formatCount,
  formatDate,
  formatDay,
  formatDuration,
  formatListTime,
  formatMoment,
  formatNumber,
  formatPercent,
  intlLocale,
  uiLanguage,
} from './formatTime';

// Built from local parts: the same wall-clock moment whatever the machine's time zone.
const local = (y: number, m: number, d: number, h = 0, min = 0) =>
  new Date(y, m - 1, d, h, min).toISOString();

const MOMENT = local(2026, 12, 7, 10, 39);
const NOW = new Date(2026, 11, 7, 16, 0).getTime();

describe('formatMoment / formatDate / formatDay: the UI language, not the browser’s', () => {
  it.each([
    ['nl', formatMoment, MOMENT, '7 dec 2026, 10:39'],
    ['en', formatMoment, MOMENT, '7 Dec 2026, 10:39'],
    ['nl', formatDate, MOMENT, '7 dec 2026'],
    ['en', formatDate, MOMENT, '7 Dec 2026'],
    ['nl', formatDay, '2026-12-07', 'ma 7 dec'],
    ['en', formatDay, '2026-12-07', 'Mon 7 Dec'],
  ] as const)('%s: %p(%s) → %s', (language, format, input, expected) => {
    expect(format(input, language)).toBe(expected);
  });

  it('follows the document’s language when none is given (the i18n instance sets it)', () => {
    document.documentElement.lang = 'en';
    expect(uiLanguage()).toBe('en');
    expect(formatMoment(MOMENT)).toBe('7 Dec 2026, 10:39');
    document.documentElement.lang = 'nl';
    expect(formatMoment(MOMENT)).toBe('7 dec 2026, 10:39');
    document.documentElement.lang = 'fr'; // not a UI language: Dutch, the default
    expect(uiLanguage()).toBe('nl');
  });

  it.each([
    ['nl', 'nl-NL'],
    ['en', 'en-GB'],
    ['en-US', 'nl-NL'],
  ])('the Intl locale of %s is %s', (language, locale) => {
    document.documentElement.lang = 'nl';
    expect(intlLocale(language)).toBe(locale);
  });
});

describe('formatListTime: as short as a row allows', () => {
  it.each([
    ['nl', local(2026, 12, 7, 9, 5), '09:05'],
    ['en', local(2026, 12, 7, 9, 5), '09:05'],
    ['nl', local(2026, 12, 5, 9, 5), '5 dec'],
    ['en', local(2026, 12, 5, 9, 5), '5 Dec'],
    ['nl', local(2025, 3, 1, 9, 5), '1 mrt 2025'],
    ['en', local(2025, 3, 1, 9, 5), '1 Mar 2025'],
  ])('%s: %s → %s', (language, iso, expected) => {
    expect(formatListTime(iso, NOW, language)).toBe(expected);
  });
});

describe('numbers', () => {
  it.each([
    ['nl', formatNumber, 12345.5, '12.345,5'],
    ['en', formatNumber, 12345.5, '12,345.5'],
    ['nl', formatPercent, 0.873, '87%'],
    ['en', formatPercent, 0.873, '87%'],
    ['nl', formatCount, 0, '0'],
    ['nl', formatCount, 999, '999'],
    ['nl', formatCount, 1000, '999+'],
    ['en', formatCount, 1000, '999+'],
    ['nl', formatCount, 5000, '999+'],
  ] as const)('%s: %p(%s) → %s', (language, format, value, expected) => {
    expect(format(value, language)).toBe(expected);
  });
});

describe('formatDuration: the largest sensible unit', () => {
  const MIN = 60;
  const HOUR = 3600;
  const DAY = 86_400;
  it.each([
    [null, 'nl', '—'],
    [30, 'nl', '30 s'],
    [45 * MIN, 'nl', '45 min'],
    [45 * MIN, 'en', '45 min'],
    [59 * MIN + 40, 'nl', '1 u'],
    [2 * HOUR, 'nl', '2 u'],
    [2 * HOUR, 'en', '2 h'],
    [2 * HOUR + 20 * MIN, 'nl', '2 u'],
    [23 * HOUR + 40 * MIN, 'nl', '1 d'],
    [3 * DAY, 'nl', '3 d'],
    [3 * DAY, 'en', '3 d'],
    // The SLA clock that read "6744 uur te laat":
    [6744 * HOUR, 'nl', '281 d'],
    [1500 * DAY, 'nl', '1.500 d'],
    [1500 * DAY, 'en', '1,500 d'],
    [-2 * HOUR, 'nl', '2 u'],
  ])('%s s in %s → %s', (seconds, language, expected) => {
    expect(formatDuration(seconds, language)).toBe(expected);
  });

  it.each([
    [4800, 'nl', '1 u 20 min'],
    [4800, 'en', '1 h 20 min'],
    [97_200, 'nl', '1 d 3 u'],
    [97_200, 'en', '1 d 3 h'],
  ])('with two parts: %s s in %s → %s', (seconds, language, expected) => {
    expect(formatDuration(seconds, language, { parts: 2 })).toBe(expected);
  });
});
