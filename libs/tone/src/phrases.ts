import type { Range } from './range';

/** A folded text with, per folded UTF-16 unit, the original span it came from. */
export interface FoldedText {
  folded: string;
  starts: Int32Array;
  ends: Int32Array;
}

/**
 * A list of offsets in a typed array that doubles as it fills. A plain array of a hundred
 * thousand numbers costs the garbage collector more than linear time as it grows; a typed
 * array's memory lies outside the heap it scans. Sized for the text up front: making a typed
 * array costs far more than filling it, and a fold is rarely longer than its text.
 */
class Offsets {
  private values: Int32Array;
  length = 0;

  constructor(capacity: number) {
    this.values = new Int32Array(Math.max(16, capacity));
  }

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Int32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }

  setLast(value: number): void {
    this.values[this.length - 1] = value;
  }

  toArray(): Int32Array {
    return this.values.subarray(0, this.length);
  }
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
  const starts = new Offsets(text.length);
  const ends = new Offsets(text.length);
  let i = 0;
  let lastWasSpace = false;
  while (i < text.length) {
    const asciiEnd = asciiWordEnd(text, i);
    if (asciiEnd > i) {
      // A run of ASCII letters and signs folds in one piece (one string, not one per letter).
      folded += text.slice(i, asciiEnd).toLowerCase();
      for (let k = i; k < asciiEnd; k++) {
        starts.push(k);
        ends.push(k + 1);
      }
      i = asciiEnd;
      lastWasSpace = false;
      continue;
    }
    const cp = String.fromCodePoint(text.codePointAt(i) as number);
    const start = i;
    i += cp.length;
    if (SPACE.test(cp)) {
      if (lastWasSpace) {
        ends.setLast(i);
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
      ends.setLast(i);
      continue;
    }
    for (let k = 0; k < f.length; k++) {
      folded += f[k];
      starts.push(start);
      ends.push(i);
    }
  }
  return { folded, starts: starts.toArray(), ends: ends.toArray() };
}

/** Where the run of ASCII non-space characters from `from` ends (`from` when there is none). */
function asciiWordEnd(text: string, from: number): number {
  let end = from;
  while (end < text.length) {
    const c = text.charCodeAt(end);
    if (c >= 0x80 || c === 0x20 || (c >= 0x09 && c <= 0x0d)) break;
    end += 1;
  }
  return end;
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
