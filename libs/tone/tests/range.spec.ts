import { overlapTest, type Range } from '../src/range';

/** What overlapTest answers, by looking at every range. */
const overlapsAny = (ranges: readonly Range[], start: number, end: number) =>
  ranges.some((r) => start < r.end && r.start < end);

describe('overlapTest', () => {
  it.each<[Range[], [number, number], boolean]>([
    [[], [0, 5], false],
    [[{ start: 2, end: 4 }], [0, 2], false],
    [[{ start: 2, end: 4 }], [0, 3], true],
    [[{ start: 2, end: 4 }], [3, 9], true],
    [[{ start: 2, end: 4 }], [4, 9], false],
    [[{ start: 2, end: 4 }], [2, 4], true],
    // A long range that starts early covers a later question.
    [
      [
        { start: 0, end: 100 },
        { start: 10, end: 11 },
      ],
      [50, 51],
      true,
    ],
    // Unsorted input; an empty range inside the question counts, as it did.
    [
      [
        { start: 8, end: 9 },
        { start: 5, end: 5 },
        { start: 1, end: 2 },
      ],
      [4, 6],
      true,
    ],
    [
      [
        { start: 8, end: 9 },
        { start: 1, end: 2 },
      ],
      [2, 8],
      false,
    ],
  ])('%j overlaps %j: %p', (ranges, [start, end], expected) => {
    expect(overlapTest(ranges)(start, end)).toBe(expected);
    expect(overlapsAny(ranges, start, end)).toBe(expected);
  });

  it('answers as a search through every range does, on 2,000 random sets', () => {
    let seed = 7;
    const random = (below: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return Math.floor((seed / 2 ** 31) * below);
    };
    for (let i = 0; i < 2_000; i++) {
      const ranges = Array.from({ length: random(6) }, () => {
        const start = random(20);
        return { start, end: start + random(5) };
      });
      const test = overlapTest(ranges);
      for (let start = 0; start < 22; start++) {
        const end = start + 1 + random(4);
        expect({ ranges, start, end, overlaps: test(start, end) }).toEqual({
          ranges,
          start,
          end,
          overlaps: overlapsAny(ranges, start, end),
        });
      }
    }
  });
});
