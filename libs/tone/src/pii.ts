import { isValidIBAN } from 'ibantools';
import { findPhoneNumbersInText } from 'libphonenumber-js';
import { overlapTest, type Range } from './range';
import type { OpaqueSpan } from './words';

export type PiiKind = 'phone' | 'email' | 'iban' | 'address';

export interface PiiSpan extends Range {
  kind: PiiKind;
}

/**
 * IBAN candidates: country, check digits, then groups of four (with or without a space).
 * Bounded repetition of fixed-width groups: no catastrophic backtracking.
 */
const IBAN_CANDIDATE = /\b[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,4})?/g;
const IBAN_MIN_LENGTH = 15;
/** Dutch postcode: four digits (no leading 0), two capitals other than SA, SD, SS. */
const POSTCODE = /\b[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}\b/g;
/** A house number right after the postcode: "1234 AB 12", "1234AB 5a", "1234 AB, 12-3". */
const NUMBER_AFTER = /^[ ,]{0,3}\d{1,5}(?:-?[A-Za-z](?![A-Za-z])|-\d{1,4})?(?!\d)/;
/** A street and number right before the postcode: "Straat 12, 1234 AB", "Dorpsweg 3a\n1234 AB". */
const STREET_BEFORE =
  /(?<![\p{L}\p{N}])\p{L}[\p{L}'’.-]* {1,3}\d{1,5}(?:-?[A-Za-z](?![A-Za-z])|-\d{1,4})?,?[ \t]*\n?[ \t]*$/u;
const STREET_LOOKBACK = 60;
/** How a Dutch or international phone number is written: +31…, 0031…, 06…, (020) … */
const PHONE_START = /^(?:\+|00|\(?0)/;

/** Phone numbers, except digits inside something shaped like an IBAN (valid or not). */
function phones(text: string, ibanLike: readonly Range[]): PiiSpan[] {
  const inIban = overlapTest(ibanLike);
  return findPhoneNumbersInText(text, 'NL')
    .filter((p) => PHONE_START.test(text.slice(p.startsAt, p.endsAt)))
    .filter((p) => !inIban(p.startsAt, p.endsAt))
    .map((p) => ({ kind: 'phone', start: p.startsAt, end: p.endsAt }));
}

function ibans(text: string): { valid: PiiSpan[]; candidates: Range[] } {
  const found: PiiSpan[] = [];
  const candidates: Range[] = [];
  for (const m of text.matchAll(IBAN_CANDIDATE)) {
    candidates.push({ start: m.index, end: m.index + m[0].length });
    // The greedy candidate may have swallowed a following word: shorten until valid.
    for (let len = m[0].length; len > 0; len--) {
      const candidate = m[0].slice(0, len);
      if (candidate.endsWith(' ')) continue;
      const compact = candidate.replace(/ /g, '').toUpperCase();
      if (compact.length < IBAN_MIN_LENGTH) break;
      if (/[\p{L}\p{N}]/u.test(text[m.index + len] ?? '')) continue;
      if (isValidIBAN(compact)) {
        found.push({ kind: 'iban', start: m.index, end: m.index + len });
        break;
      }
    }
  }
  return { valid: found, candidates };
}

function addresses(text: string): PiiSpan[] {
  const found: PiiSpan[] = [];
  for (const m of text.matchAll(POSTCODE)) {
    const start = m.index;
    const end = start + m[0].length;
    const after = NUMBER_AFTER.exec(text.slice(end, end + 16));
    const from = Math.max(0, start - STREET_LOOKBACK);
    const before = STREET_BEFORE.exec(text.slice(from, start));
    if (!after && !before) continue;
    found.push({
      kind: 'address',
      start: before ? from + before.index : start,
      end: after ? end + after[0].length : end,
    });
  }
  return found;
}

/**
 * Personal data in a text: phone numbers (libphonenumber-js, default country NL, written with
 * +, 00 or a leading 0), e-mail addresses, valid IBANs and Dutch postcodes with a house
 * number. Overlapping finds are merged; the first one's kind names the span.
 */
export function findPii(text: string, opaque: readonly OpaqueSpan[]): PiiSpan[] {
  const iban = ibans(text);
  const spans = [
    ...opaque
      .filter((o) => o.kind === 'email')
      .map((o): PiiSpan => ({ kind: 'email', start: o.start, end: o.end })),
    ...iban.valid,
    ...addresses(text),
    ...phones(text, iban.candidates),
  ].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: PiiSpan[] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s.start < last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  return merged;
}
