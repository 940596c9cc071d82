import { segmentGraphemes } from '../src/graphemes';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const whole = (text: string) =>
  Array.from(segmenter.segment(text), ({ segment, index }) => ({ segment, index }));

describe('segmentGraphemes', () => {
  // Pieces whose clusters reach across code points: flags (regional indicator pairs), ZWJ
  // families, skin tones, keycaps, combining marks, Hangul jamo, CR LF.
  const pieces = [
    '🇳🇱',
    '🇧',
    '👨‍👩‍👧',
    '👍🏽',
    '1️⃣',
    'e\u0301',
    '\u0301',
    '\u1100\u1161\u11a8',
    '\r\n',
    'a',
    '😀',
    '\u200d',
  ];

  it.each([4, 7, 16, 256])(
    'finds the clusters of the whole text, %p code units at a time',
    (window) => {
      let seed = window;
      const random = (below: number) => {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
        return Math.floor((seed / 2 ** 31) * below);
      };
      for (let i = 0; i < 500; i++) {
        const text = Array.from({ length: random(40) }, () => pieces[random(pieces.length)]).join(
          '',
        );
        const clusters = whole(text);
        // A cluster longer than the window is cut there: only texts without one compare.
        if (clusters.some(({ segment }) => segment.length >= window)) continue;
        expect({ text, clusters: [...segmentGraphemes(text, window)] }).toEqual({ text, clusters });
      }
    },
  );

  it('cuts a cluster longer than the window at its end, never inside a surrogate pair', () => {
    const marks = `a${'\u0301'.repeat(10)}`;
    expect([...segmentGraphemes(marks, 4)].map((s) => s.segment)).toEqual([
      'a\u0301\u0301\u0301',
      '\u0301\u0301\u0301\u0301',
      '\u0301\u0301\u0301',
    ]);
    const family = '👨‍👩‍👧‍👦';
    expect([...segmentGraphemes(family, 3)].map((s) => s.segment).join('')).toBe(family);
    for (const { segment } of segmentGraphemes(family, 3)) {
      // A lone surrogate cannot be URI-encoded.
      expect(() => encodeURIComponent(segment)).not.toThrow();
    }
  });
});
