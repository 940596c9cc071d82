import { CHANNEL_LENGTH_RULES, type LengthRule } from '@toonbank/shared';
import { lengthOverflow, measureLength } from '@toonbank/tone';
import twitterText from 'twitter-text';
import { graphemeStarts } from '../src/graphemes';
import { X_WEIGHTING as X_WEIGHTING_FOR_TEST, xPieces } from '../src/length';
import { growth, MAX_GROWTH, repeatTo } from '../../../tests/support/linearity';
import { found } from './profile';

const X = CHANNEL_LENGTH_RULES.x.public;
const BLUESKY = CHANNEL_LENGTH_RULES.bluesky.public;
const MASTODON = CHANNEL_LENGTH_RULES.mastodon.public;
const URL = 'https://www.example.com/a/very/long/path/that/goes/on/and/on?with=query';
const FAMILY = '👨‍👩‍👧';

describe('measureLength', () => {
  const rows: [string, LengthRule, number][] = [
    ['hallo', X, 5],
    [`Zie ${URL}`, X, 4 + 23],
    [`${URL} en ${URL}`, X, 23 + 4 + 23],
    ['ok 😀', X, 3 + 2],
    [`gezin ${FAMILY}`, X, 6 + 2],
    ['こんにちは', X, 10],
    ['café', X, 4],
    [`gezin ${FAMILY}`, BLUESKY, 7],
    ['🇳🇱 vlag', BLUESKY, 6],
    [`gezin ${FAMILY}`, MASTODON, 6 + 5],
    ['café', MASTODON, 4],
    ['😀', { limit: 10, counting: 'characters' }, 1],
  ];
  it.each(rows)('%j counted %j is %i', (text, rule, length) => {
    expect(measureLength(text, rule)).toBe(length);
  });
});

describe('lengthOverflow and length.max', () => {
  it('points at what is beyond the limit, in UTF-16 offsets', () => {
    const text = 'a'.repeat(279) + '😀x';
    expect(lengthOverflow(text, X)).toEqual({ length: 282, overflowAt: 279 });
    expect(lengthOverflow('a'.repeat(280), X)).toEqual({ length: 280, overflowAt: null });
    const family = FAMILY.repeat(301);
    expect(lengthOverflow(family, BLUESKY)).toEqual({
      length: 301,
      overflowAt: 300 * FAMILY.length,
    });
    expect(lengthOverflow('é'.repeat(501), MASTODON)).toEqual({ length: 501, overflowAt: 500 });
  });

  it('a URL counts 23 on X however long it is', () => {
    const text = `${'a'.repeat(250)} ${URL}`;
    expect(measureLength(text, X)).toBe(274);
    expect(found(text, { signoff: { required: false } }, { length: X })).toEqual([]);
  });

  const sign = ' ^AB';
  const rows: [string, LengthRule, string | null][] = [
    ['a'.repeat(276) + sign, X, null],
    ['a'.repeat(277) + sign, X, 'B'],
    ['a'.repeat(270) + ' 😀😀😀' + sign, X, 'B'],
    [FAMILY.repeat(296) + sign, BLUESKY, null],
    [FAMILY.repeat(297) + sign, BLUESKY, 'B'],
    ['b'.repeat(496) + sign, MASTODON, null],
    ['b'.repeat(500) + sign, MASTODON, ' ^AB'],
  ];
  it.each(rows)('%#: length.max covers %j', (text, rule, beyond) => {
    const findings = found(text, { emojiAllowed: true }, { length: rule });
    expect(findings).toEqual(beyond === null ? [] : [['length.max', beyond]]);
  });

  it('no length rule: no length finding', () => {
    expect(found('a'.repeat(20_000) + ' ^AB')).toEqual([]);
  });
});

describe('grapheme counting without segmenting the whole text', () => {
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  // Whitespace, CR LF, combining marks (also after a space), ZWJ, emoji parts, skin tones,
  // flags, keycaps, Hangul jamo, a prepended mark and Indic and Thai marks.
  const PARTS = [
    'a',
    'Z',
    '.',
    ' ',
    ' ',
    '\t',
    '\n',
    '\r',
    '\r\n',
    '\u00a0',
    'é',
    'e\u0301',
    '\u0301',
    '\u200d',
    '👨',
    '👩',
    '👧',
    '🏽',
    '🇳',
    '🇱',
    '❤',
    '\ufe0f',
    '\u20e3',
    '1',
    'ᄀ',
    'ᅡ',
    'ᆨ',
    '한',
    '\u0600',
    '\u2028',
    'ก',
    'ำ',
    'क',
    '्',
    'ष',
  ];

  it('agrees with Intl.Segmenter on 2,000 random strings', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let n = 0; n < 2_000; n++) {
      let text = '';
      for (let i = 1 + Math.floor(random() * 20); i > 0; i--) {
        text += PARTS[Math.floor(random() * PARTS.length)];
      }
      const expected = Array.from(segmenter.segment(text), (s) => s.index);
      expect({ text, starts: [...graphemeStarts(text)] }).toEqual({ text, starts: expected });
    }
  });
});

describe("X's weighted count, read in pieces (twitter-text is quadratic on dotted words)", () => {
  it.each<[string, string, number]>([
    ['short text: one piece', 'kort', 10],
    ['cut just after the last whitespace within the piece', 'aaa bbb ccc', 5],
    ['a word longer than a piece: cut inside it', 'aaaaaaaaaaaa b', 5],
    ['never half a surrogate pair', 'aaaa😀😀😀', 5],
    ['line breaks and no-break spaces are whitespace', 'aa\nbb\u00a0cc\u3000dd', 3],
  ])('%s', (_case, text, pieceLength) => {
    const pieces = xPieces(text, pieceLength);
    expect(pieces.join('')).toBe(text);
    for (const [index, piece] of pieces.entries()) {
      expect(piece.length).toBeLessThanOrEqual(pieceLength);
      expect(piece).not.toBe('');
      const next = pieces[index + 1];
      if (next === undefined) continue;
      expect(/[\uD800-\uDBFF]$/.test(piece) && /^[\uDC00-\uDFFF]/.test(next)).toBe(false);
      // Cut after whitespace unless the piece is all one word.
      if (/\s/.test(piece)) expect(piece).toMatch(/\s$/);
    }
  });

  // Texts of real replies' vocabulary, up to six pieces long, counted both ways.
  const vocabulary = [
    'Wij',
    'helpen',
    'u',
    'graag.',
    URL,
    'https://toonbank.example/status/1234567890',
    'toonbank.nl',
    '@klantenservice',
    '#storing',
    '😀',
    FAMILY,
    '🇳🇱',
    'こんにちは',
    'café',
    'a.b.c.d.e',
    '—',
  ];
  const separators = [' ', ' ', ' ', '\n', '  ', '\u00a0'];
  const randomText = (seed: number, words: number) => {
    let state = seed;
    const next = (n: number) => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state % n;
    };
    let text = '';
    for (let i = 0; i < words; i++) {
      text += vocabulary[next(vocabulary.length)]! + separators[next(separators.length)]!;
    }
    return text;
  };
  const direct = (text: string, limit: number) => {
    const parsed = twitterText.parseTweet(text, {
      ...X_WEIGHTING_FOR_TEST,
      maxWeightedTweetLength: limit,
    });
    const at =
      parsed.weightedLength > 0 && parsed.validRangeEnd >= 0 ? parsed.validRangeEnd + 1 : 0;
    return {
      length: parsed.weightedLength,
      overflowAt: parsed.weightedLength > limit ? Math.min(at, text.length) : null,
    };
  };

  it.each(Array.from({ length: 40 }, (_, seed) => [seed, 20 + seed * 25]))(
    'gives what twitter-text gives on the whole text (seed %i, %i words)',
    (seed, words) => {
      const text = randomText(seed, words);
      for (const limit of [280, 1_000, 4_000]) {
        expect(lengthOverflow(text, { limit, counting: 'weighted' })).toEqual(direct(text, limit));
      }
    },
  );

  it.each<[string, string, number]>([
    // twitter-text counts (and indexes) the NFC form: é written as e + U+0301 counts 1.
    ['decomposed accents before the limit', 'e\u0301'.repeat(279) + 'xy', 279 * 2 + 1],
    ['decomposed accents after the limit', 'a'.repeat(280) + 'e\u0301'.repeat(5), 280],
    ['decomposed accents on both sides', 'e\u0301'.repeat(200) + 'a'.repeat(81) + 'e\u0301', 480],
  ])('points at the excess in the text as written: %s', (_case, text, expected) => {
    expect(lengthOverflow(text, X).overflowAt).toBe(expected);
  });

  it.each<[string, string]>([
    ['dotted words', 'aa.'],
    ['dotted letters', 'a.'],
    ['dotted domains', 'a.nl.'],
    ['URLs without spaces', 'https://a.nl/'],
  ])('in linear time: %s', (_shape, unit) => {
    expect(
      growth(
        (text) => lengthOverflow(text, X),
        (n) => repeatTo(unit, n),
        3,
      ),
    ).toBeLessThanOrEqual(MAX_GROWTH);
  });
});
