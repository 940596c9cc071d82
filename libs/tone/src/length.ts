import type { LengthRule } from '@toonbank/shared';
// The default import: twitter-text's ES build (what Vite bundles for the composer) has no
// named exports, its CommonJS build (Node) has both.
import twitterText, { type ParseTweetOptions } from 'twitter-text';
import { countGraphemes, graphemeStarts } from './graphemes';

/** twitter-text's version 3 weighting (its `configs.defaults`, which its types do not export). */
export const X_WEIGHTING: ParseTweetOptions = {
  version: 3,
  scale: 100,
  defaultWeight: 200,
  emojiParsingEnabled: true,
  transformedURLLength: 23,
  ranges: [
    { start: 0, end: 4351, weight: 100 },
    { start: 8192, end: 8205, weight: 100 },
    { start: 8208, end: 8223, weight: 100 },
    { start: 8242, end: 8247, weight: 100 },
  ],
};

/**
 * twitter-text's URL search is quadratic in the length of a dotted word (`aa.aa.aa…`), so X's
 * count reads the text in pieces of at most this many UTF-16 units, each cut just after
 * whitespace (a URL, an emoji sequence or a mention never holds any). Only a word longer than
 * a piece is cut inside, at a code point: a URL that long is counted by its characters
 * instead of as 23 (X shortens URLs of up to 4,096 characters; a reply holding one of over
 * 1,000 is over X's limit either way unless it is almost nothing else).
 */
const X_PIECE_LENGTH = 1_000;

const isWhitespace = (unit: number): boolean =>
  unit === 0x20 ||
  (unit >= 0x09 && unit <= 0x0d) ||
  unit === 0xa0 ||
  unit === 0x3000 ||
  (unit >= 0x2000 && unit <= 0x200a) ||
  unit === 0x2028 ||
  unit === 0x2029 ||
  unit === 0x85 ||
  unit === 0x1680 ||
  unit === 0x202f ||
  unit === 0x205f;

/** `text` cut into consecutive pieces for twitter-text (see X_PIECE_LENGTH). */
export function xPieces(text: string, pieceLength = X_PIECE_LENGTH): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (text.length - start > pieceLength) {
    let cut = start + pieceLength;
    while (cut > start && !isWhitespace(text.charCodeAt(cut - 1))) cut--;
    if (cut === start) {
      cut = start + pieceLength;
      const unit = text.charCodeAt(cut);
      if (unit >= 0xdc00 && unit <= 0xdfff) cut--; // never half a surrogate pair
    }
    pieces.push(text.slice(start, cut));
    start = cut;
  }
  pieces.push(text.slice(start));
  return pieces;
}

/**
 * Where the excess begins in `text` as written. twitter-text indexes its NFC form, then adds
 * the whole text's normalisation offset to validRangeEnd, which is right only when every
 * composed character lies before it; this maps the NFC index back grapheme by grapheme
 * (composition never crosses a grapheme boundary).
 */
function excessStart(text: string, parsed: { weightedLength: number; validRangeEnd: number }) {
  if (parsed.weightedLength === 0 || parsed.validRangeEnd < 0) return 0;
  const nfc = text.normalize('NFC');
  const at = parsed.validRangeEnd + 1 - (text.length - nfc.length);
  if (nfc === text) return Math.min(at, text.length);
  const starts = [...graphemeStarts(text), text.length];
  let normalised = 0;
  for (let i = 0; i + 1 < starts.length; i++) {
    if (normalised >= at) return starts[i]!;
    normalised += text.slice(starts[i], starts[i + 1]).normalize('NFC').length;
  }
  return text.length;
}

/** X's weighted length, piece by piece, and the UTF-16 offset where `limit` is passed. */
function xOverflow(text: string, limit: number): { length: number; overflowAt: number | null } {
  let length = 0;
  let offset = 0;
  let overflowAt: number | null = null;
  for (const piece of xPieces(text)) {
    const parsed = twitterText.parseTweet(piece, {
      ...X_WEIGHTING,
      maxWeightedTweetLength: Math.max(0, limit - length),
    });
    if (overflowAt === null && length + parsed.weightedLength > limit) {
      // validRangeEnd is the (inclusive) UTF-16 index of the last character within the limit.
      // Nothing of this piece fits when the pieces before it reached the limit exactly.
      overflowAt = offset + (length === limit ? 0 : excessStart(piece, parsed));
    }
    length += parsed.weightedLength;
    offset += piece.length;
  }
  return { length, overflowAt };
}

/**
 * The length of `text` as the channel counts it: `weighted` = X's weighted length (a URL
 * counts 23, most emoji and CJK 2); `graphemes` = user-perceived characters (a family emoji
 * is one); `characters` = code points.
 */
export function measureLength(text: string, rule: LengthRule): number {
  switch (rule.counting) {
    case 'weighted':
      return xOverflow(text, rule.limit).length;
    case 'graphemes':
      return countGraphemes(text);
    case 'characters': {
      let n = 0;
      for (const _ of text) n++;
      return n;
    }
  }
}

/** The length and, when it is over the limit, the UTF-16 offset where the excess begins. */
export function lengthOverflow(
  text: string,
  rule: LengthRule,
): { length: number; overflowAt: number | null } {
  if (rule.counting === 'weighted') return xOverflow(text, rule.limit);
  let n = 0;
  let overflowAt: number | null = null;
  const units = rule.counting === 'graphemes' ? graphemeStarts(text) : codePointStarts(text);
  for (const index of units) {
    n++;
    if (n === rule.limit + 1) overflowAt = index;
  }
  return { length: n, overflowAt };
}

function* codePointStarts(text: string): Generator<number> {
  let i = 0;
  for (const cp of text) {
    yield i;
    i += cp.length;
  }
}
