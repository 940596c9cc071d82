/** A span of the checked text in UTF-16 offsets, end exclusive. */
export interface Range {
  start: number;
  end: number;
}

/** Answers whether a span shares an offset with any of a fixed set of ranges. */
export type OverlapTest = (start: number, end: number) => boolean;

/**
 * An overlap test for `ranges`, in O(log n) per question: the rules ask it once per word,
 * and a linear search per word would make the check quadratic on a text with as many ranges
 * (quotes, initials, personal data) as words. The ranges sorted by start, with the largest
 * end so far: [start, end) overlaps one of them when, among those starting before `end`,
 * the largest end lies after `start`.
 */
export function overlapTest(ranges: readonly Range[]): OverlapTest {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const starts = sorted.map((r) => r.start);
  let furthest = -Infinity;
  const maxEnds = sorted.map((r) => (furthest = Math.max(furthest, r.end)));
  return (start, end) => {
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (starts[mid] < end) low = mid + 1;
      else high = mid;
    }
    return low > 0 && maxEnds[low - 1] > start;
  };
}
