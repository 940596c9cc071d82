import { en } from '../i18n/en';
import { DEFAULT_LANGUAGE, isLanguage, type Language } from '../i18n';
import { nl } from '../i18n/nl';

/**
 * Dates, times, numbers and durations in the UI's language, never the browser's: a Dutch UI
 * in an English browser reads "7 dec 2026, 10:39", not "12/7/26, 10:39 AM" (read as 12 July).
 *
 * English is British English: day before month and a 24-hour clock, as the team of a Dutch
 * contact centre reads dates whichever language it picks (no month-first ambiguity).
 * Every function takes the language; without it, the UI's current language (the document's
 * `lang`, which the i18n instance keeps in step with the chosen language).
 */
const INTL_LOCALE: Record<Language, string> = { nl: 'nl-NL', en: 'en-GB' };
const UNITS: Record<Language, { s: string; min: string; h: string; d: string }> = {
  nl: nl.time.units,
  en: en.time.units,
};

/** The UI's language as the i18n instance last set it on the document. */
export function uiLanguage(): Language {
  const lang = typeof document === 'undefined' ? undefined : document.documentElement.lang;
  return isLanguage(lang) ? lang : DEFAULT_LANGUAGE;
}

const languageOf = (language: string | undefined): Language =>
  isLanguage(language) ? language : uiLanguage();

/** The Intl locale for a UI language ("nl" → "nl-NL", "en" → "en-GB"). */
export const intlLocale = (language?: string): string => INTL_LOCALE[languageOf(language)];

// Intl formatters are costly to build and a list formats hundreds of times: one per shape.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function dateFormat(language: string | undefined, options: Intl.DateTimeFormatOptions) {
  const locale = intlLocale(language);
  const key = `d|${locale}|${JSON.stringify(options)}`;
  let format = formatters.get(key) as Intl.DateTimeFormat | undefined;
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, format);
  }
  return format;
}
function numberFormat(language: string | undefined, options: Intl.NumberFormatOptions = {}) {
  const locale = intlLocale(language);
  const key = `n|${locale}|${JSON.stringify(options)}`;
  let format = formatters.get(key) as Intl.NumberFormat | undefined;
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    formatters.set(key, format);
  }
  return format;
}

/** A moment for people, to the minute: "7 dec 2026, 10:39" / "7 Dec 2026, 10:39". */
export const formatMoment = (iso: string, language?: string): string =>
  dateFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

/** A date: "7 dec 2026" / "7 Dec 2026". */
export const formatDate = (iso: string, language?: string): string =>
  dateFormat(language, { dateStyle: 'medium' }).format(new Date(iso));

/** A calendar day given as `YYYY-MM-DD` (no time zone shift): "ma 7 dec" / "Mon 7 Dec". */
export const formatDay = (day: string, language?: string): string =>
  dateFormat(language, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  }).format(new Date(`${day}T00:00:00Z`));

/** A time of day: "10:39". */
export const formatTimeOfDay = (iso: string, language?: string): string =>
  dateFormat(language, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));

const sameDay = (a: Date, b: Date) =>
  a.getFullYear() === b.getFullYear() &&
  a.getMonth() === b.getMonth() &&
  a.getDate() === b.getDate();

/**
 * When something happened, as short as a list row allows: the time today ("10:39"), the day
 * and month this year ("5 dec"), the full date before that ("5 dec 2025").
 */
export function formatListTime(iso: string, now: number, language?: string): string {
  const date = new Date(iso);
  const today = new Date(now);
  if (sameDay(date, today)) return formatTimeOfDay(iso, language);
  if (date.getFullYear() === today.getFullYear())
    return dateFormat(language, { day: 'numeric', month: 'short' }).format(date);
  return formatDate(iso, language);
}

/** A number with the language's grouping and decimal marks: "12.345,5" / "12,345.5". */
export const formatNumber = (value: number, language?: string): string =>
  numberFormat(language, { maximumFractionDigits: 1 }).format(value);

/** A share (0..1) as a whole percentage: "87%". */
export const formatPercent = (ratio: number, language?: string): string =>
  numberFormat(language, { style: 'percent', maximumFractionDigits: 0 }).format(ratio);

/** The count the server caps at 1000 ("more than 999"): "12", "1.000" never, "999+" instead. */
export const formatCount = (count: number, language?: string): string =>
  count > 999 ? `${formatNumber(999, language)}+` : formatNumber(count, language);

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A duration in the largest sensible unit: "45 s", "45 min", "2 u", "3 d" (English "2 h").
 * With `parts: 2` the next unit follows when there is one: "1 u 20 min", "2 d 3 u" (reports).
 * "—" when there is none.
 */
export function formatDuration(
  seconds: number | null,
  language?: string,
  { parts = 1 }: { parts?: 1 | 2 } = {},
): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const units = UNITS[languageOf(language)];
  const n = (value: number) => formatNumber(value, language);
  const s = Math.abs(seconds);
  if (Math.round(s) < MINUTE) return `${n(Math.round(s))} ${units.s}`;
  if (parts === 1) {
    const minutes = Math.round(s / MINUTE);
    if (minutes < 60) return `${n(minutes)} ${units.min}`;
    const hours = Math.round(s / HOUR);
    if (hours < 24) return `${n(hours)} ${units.h}`;
    return `${n(Math.round(s / DAY))} ${units.d}`;
  }
  const minutes = Math.round(s / MINUTE);
  if (minutes < 60) return `${n(minutes)} ${units.min}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24)
    return minutes % 60
      ? `${n(hours)} ${units.h} ${n(minutes % 60)} ${units.min}`
      : `${n(hours)} ${units.h}`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${n(days)} ${units.d} ${n(hours % 24)} ${units.h}` : `${n(days)} ${units.d}`;
}
