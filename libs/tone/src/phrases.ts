import type { Range } from './range';

/** A folded text with, per folded UTF-16 unit, the original span it came from. */
export interface FoldedText {
  folded: string;
  starts: number[];
  ends: number[];
}

const MARKS = /\p{M}/gu;
const SPACE = /\s/;

/** One code point folded: NFD, combining marks stripped, lower case; `’` as `'`. */
function foldCodePoint(cp: string): string {
  // ASCII (most of a reply): NFD leaves it alone and it has no marks, only the case folds.
  if (cp.length === 1 && cp.charCodeAt(0) < 0x80) return cp.toLowerCase();
  if (cp === '’' || cp === '‘') return "'";
  return cp.normalize('NFD').replace(MARKS, '').toLowerCase().replace(MARKS, '');
}

/**
 * Folds a text for case- and accent-insensitive matching (*wíj* → *wij*), collapsing runs of
 * whitespace to one space, and keeps the map back to the original offsets.
 */
export function foldText(text: string): FoldedText {
  let folded = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let i = 0;
  let lastWasSpace = false;
  for (const cp of text) {
    const start = i;
    i += cp.length;
    if (SPACE.test(cp)) {
      if (lastWasSpace) {
        ends[ends.length - 1] = i;
        continue;
      }
      lastWasSpace = true;
      folded += ' ';
      starts.push(start);
      ends.push(i);
      continue;
    }
    lastWasSpace = false;
    const f = foldCodePoint(cp);
    if (!f && ends.length > 0) {
      // A lone combining mark belongs to the letter before it.
      ends[ends.length - 1] = i;
      continue;
    }
    for (let k = 0; k < f.length; k++) {
      folded += f[k];
      starts.push(start);
      ends.push(i);
    }
  }
  return { folded, starts, ends };
}

/** A phrase folded the same way, without surrounding space. */
export function foldPhrase(phrase: string): string {
  return foldText(phrase.trim()).folded;
}

const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);

/**
 * Every occurrence of `phrase` on word boundaries, case- and accent-insensitively, as ranges
 * of the original text. A boundary is only required where the phrase itself starts or ends
 * with a letter or digit.
 */
export function findPhrase(text: FoldedText, phrase: string): Range[] {
  const needle = foldPhrase(phrase);
  if (!needle) return [];
  const { folded, starts, ends } = text;
  const ranges: Range[] = [];
  const checkStart = isWordChar(needle[0]);
  const checkEnd = isWordChar(needle[needle.length - 1]);
  for (let at = folded.indexOf(needle); at >= 0; at = folded.indexOf(needle, at + 1)) {
    const after = at + needle.length;
    if (checkStart && isWordChar(folded[at - 1])) continue;
    if (checkEnd && isWordChar(folded[after])) continue;
    ranges.push({ start: starts[at], end: ends[after - 1] });
  }
  return ranges;
}
