/**
 * Grapheme clusters without running ICU's segmenter over the whole text (it costs several
 * microseconds per cluster): a cluster never spans whitespace, so only the non-ASCII chunks
 * between whitespace are segmented; ASCII chunks are one cluster per character. Two
 * exceptions of the Unicode rules are kept: a mark after (non-control) whitespace joins it
 * (GB9), and a prepended concatenation mark before a space joins it (GB9b). CR LF is one
 * cluster (GB3).
 */
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

const CHUNK = /\S+|\s+/g;
const ASCII = /^[\x21-\x7e]*$/;
/** Grapheme_Extend and ZWJ, as far as they can follow whitespace in practice. */
const EXTENDS = /^(?:\p{M}|\p{Emoji_Modifier}|\u200d|[\u0e33\u0eb3\u200c\u{e0020}-\u{e007f}])/u;
/** Grapheme_Cluster_Break=Control (and CR, LF) among the whitespace characters. */
const CONTROL = /[\p{Cc}\u2028\u2029\ufeff]/u;
const PREPEND =
  /[\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u0d4e\u{110bd}\u{110cd}\u{111c2}\u{111c3}\u{1193f}\u{11941}\u{11a3a}\u{11a84}-\u{11a89}\u{11d46}\u{11f02}]$/u;

/** Code units segmented at a time: ICU's segmenter is quadratic on a long run of emoji. */
const SEGMENT_WINDOW = 256;

/**
 * The grapheme clusters of `text` (Intl.Segmenter's), found window by window so that the
 * time stays linear. Each window but the last is segmented without its last cluster, which
 * may go on past it; the next window starts at that cluster, a boundary, where the
 * segmenter's look-behind (regional indicator pairs, emoji ZWJ sequences) starts afresh as
 * it does in the whole text. A single cluster longer than a window (hundreds of combining
 * marks, never in a real reply) is cut at the window's end.
 */
export function* segmentGraphemes(
  text: string,
  window = SEGMENT_WINDOW,
): Generator<{ segment: string; index: number }> {
  let from = 0;
  while (text.length - from > window) {
    // A window never ends between the halves of a surrogate pair (a lone half is a cluster).
    const end =
      window > 1 && isHighSurrogate(text.charCodeAt(from + window - 1)) ? window - 1 : window;
    const part = text.slice(from, from + end);
    let last: { segment: string; index: number } | undefined;
    for (const { segment, index } of segmenter.segment(part)) {
      if (last) yield { segment: last.segment, index: from + last.index };
      last = { segment, index };
    }
    if (last && last.index > 0) {
      from += last.index;
    } else {
      // One cluster fills the window: cut there.
      yield { segment: part, index: from };
      from += part.length;
    }
  }
  for (const { segment, index } of segmenter.segment(text.slice(from))) {
    yield { segment, index: from + index };
  }
}

const isHighSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;

/** The UTF-16 offset where each grapheme cluster of `text` starts, in order. */
export function* graphemeStarts(text: string): Generator<number> {
  let previous = '';
  for (const m of text.matchAll(CHUNK)) {
    const chunk = m[0];
    const at = m.index;
    const whitespace = chunk.trimStart() === '';
    if (whitespace) {
      for (let i = 0; i < chunk.length; i++) {
        const joinsPrevious =
          (i === 0 && PREPEND.test(previous) && !CONTROL.test(chunk[0])) ||
          (chunk[i] === '\n' && (i > 0 ? chunk[i - 1] : previous.at(-1)) === '\r');
        if (!joinsPrevious) yield at + i;
      }
    } else if (ASCII.test(chunk)) {
      for (let i = 0; i < chunk.length; i++) yield at + i;
    } else {
      const attached =
        previous !== '' && !CONTROL.test(previous.at(-1) ?? '') && EXTENDS.test(chunk);
      for (const { index } of segmentGraphemes(chunk)) {
        if (!(attached && index === 0)) yield at + index;
      }
    }
    previous = chunk;
  }
}

export function countGraphemes(text: string): number {
  let n = 0;
  for (const _ of graphemeStarts(text)) n++;
  return n;
}

/** The grapheme clusters of `text` that contain a character matching `hint`. */
export function* graphemesMatching(
  text: string,
  hint: RegExp,
): Generator<{ segment: string; index: number }> {
  for (const m of text.matchAll(/\S+/g)) {
    if (!hint.test(m[0])) continue;
    for (const { segment, index } of segmentGraphemes(m[0])) {
      if (hint.test(segment)) yield { segment, index: m.index + index };
    }
  }
}
