import { graphemesMatching } from './graphemes';
import { overlapTest, type Range } from './range';
import { adjacent, type TextAnalysis, type Word } from './words';

/** An all-capital word of five letters or more shouts on its own. */
export const SHOUTING_MIN_LETTERS = 5;

const letterCount = (w: Word) => w.text.replace(/[^\p{L}]/gu, '').length;

/** All capitals, no digits; English *I* is always a capital and never counts. */
function isCapsWord(w: Word): boolean {
  if (/\p{N}/u.test(w.text) || w.text === 'I') return false;
  const letters = w.text.replace(/[^\p{L}]/gu, '');
  return letters === letters.toUpperCase() && letters !== letters.toLowerCase();
}

/**
 * Shouting: runs of two or more adjacent all-capital words (separated by spaces only, at
 * least one of them two letters or longer: *VOOR U*, not *A B*), or one all-capital word of
 * five letters or more. Words with digits and words inside `exclude` (sign-off, personal
 * data) do not count and break a run: IBAN, KvK, DM, NS pass.
 */
export function findShouting(analysis: TextAnalysis, exclude: readonly Range[]): Range[] {
  const { text, words } = analysis;
  const found: Range[] = [];
  const excluded = overlapTest(exclude);
  let run: Word[] = [];
  const flush = () => {
    const longest = Math.max(0, ...run.map(letterCount));
    if ((run.length >= 2 && longest >= 2) || longest >= SHOUTING_MIN_LETTERS) {
      found.push({ start: run[0].start, end: run[run.length - 1].end });
    }
    run = [];
  };
  for (const w of words) {
    const caps = isCapsWord(w) && !excluded(w.start, w.end);
    if (!caps) {
      flush();
      continue;
    }
    if (run.length > 0 && !adjacent(text, run[run.length - 1], w)) flush();
    run.push(w);
  }
  flush();
  return found;
}

const EXCLAMATION = /[!！]+/g;

/**
 * More than one exclamation mark: every mark after the first, one range per run of marks
 * ("Top!!" → "!", "Fijn! Top!" → the second "!"). Marks inside URLs do not count.
 */
export function findExtraExclamations(text: string, exclude: readonly Range[]): Range[] {
  const found: Range[] = [];
  const excluded = overlapTest(exclude);
  let seen = false;
  for (const m of text.matchAll(EXCLAMATION)) {
    const start = m.index;
    const end = start + m[0].length;
    if (excluded(start, end)) continue;
    if (!seen) {
      seen = true;
      if (m[0].length > 1) found.push({ start: start + 1, end });
    } else found.push({ start, end });
  }
  return found;
}

const EMOJI_HINT = /[\p{Extended_Pictographic}\p{Regional_Indicator}\u20e3]/u;
/** Signs that are Extended_Pictographic but read as text in a reply. */
const TEXT_SIGNS = new Set(['©', '®', '™']);

/**
 * Emoji: grapheme clusters with an Extended_Pictographic code point (😀, 👨‍👩‍👧, ❤️), regional
 * indicator flags (🇳🇱) and keycaps (1️⃣); ©, ® and ™ are text.
 */
export function findEmoji(text: string): Range[] {
  const found: Range[] = [];
  for (const { segment, index } of graphemesMatching(text, EMOJI_HINT)) {
    if (!TEXT_SIGNS.has(segment)) found.push({ start: index, end: index + segment.length });
  }
  return found;
}
