import type { LengthRule } from '@toonbank/shared';
// The default import: twitter-text's ES build (what Vite bundles for the composer) has no
// named exports, its CommonJS build (Node) has both.
import twitterText, { type ParseTweetOptions } from 'twitter-text';
import { countGraphemes, graphemeStarts } from './graphemes';

/** twitter-text's version 3 weighting (its `configs.defaults`, which its types do not export). */
const X_WEIGHTING: ParseTweetOptions = {
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
 * The length of `text` as the channel counts it: `weighted` = X's weighted length (a URL
 * counts 23, most emoji and CJK 2); `graphemes` = user-perceived characters (a family emoji
 * is one); `characters` = code points.
 */
export function measureLength(text: string, rule: LengthRule): number {
  switch (rule.counting) {
    case 'weighted':
      return twitterText.parseTweet(text, { ...X_WEIGHTING, maxWeightedTweetLength: rule.limit })
        .weightedLength;
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
  if (rule.counting === 'weighted') {
    const parsed = twitterText.parseTweet(text, {
      ...X_WEIGHTING,
      maxWeightedTweetLength: rule.limit,
    });
    const over = parsed.weightedLength > rule.limit;
    // validRangeEnd is the (inclusive) UTF-16 index of the last character within the limit.
    const at =
      parsed.weightedLength > 0 && parsed.validRangeEnd >= 0 ? parsed.validRangeEnd + 1 : 0;
    return { length: parsed.weightedLength, overflowAt: over ? Math.min(at, text.length) : null };
  }
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
