/** A span of the checked text in UTF-16 offsets, end exclusive. */
export interface Range {
  start: number;
  end: number;
}

/** True when [start, end) shares at least one offset with one of the ranges. */
export function overlapsAny(ranges: readonly Range[], start: number, end: number): boolean {
  return ranges.some((r) => start < r.end && r.start < end);
}
