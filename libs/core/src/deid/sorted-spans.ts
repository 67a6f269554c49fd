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
