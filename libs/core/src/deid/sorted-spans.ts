/** Sorted, disjoint [start, end) spans, searched by binary search. */
export type SortedSpans = ReadonlyArray<readonly [number, number]>;

/** The first span that ends after `start`, or undefined. */
export function firstSpanEndingAfter<S extends readonly [number, number]>(spans: ReadonlyArray<S>, start: number): S | undefined {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid][1] <= start) lo = mid + 1;
    else hi = mid;
  }
  return spans[lo];
}

/** How many spans (sorted by start) start before `pos`: the index of the first that starts at or after it. */
export function countStartingBefore(spans: ReadonlyArray<readonly [number, number]>, pos: number): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid][0] < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
