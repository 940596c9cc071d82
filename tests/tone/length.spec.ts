import { CHANNEL_LENGTH_RULES, type LengthRule } from '@toonbank/shared';
import { lengthOverflow, measureLength } from '@toonbank/tone';
import { graphemeStarts } from '../../libs/tone/src/graphemes';
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
