/**
 * Where a sentence-level pattern matches in a field, found once per field and pattern (round ten).
 * The date, time and place rules ask "is there a past verb / a public event / one child within this
 * window?" for every candidate; scanning each window again made a field full of dates quadratic in
 * practice. One pass per pattern, then a binary search per question.
 */
import { matches } from '../detector';
import { countStartingBefore } from '../sorted-spans';
import { ScanContext } from '../text-context';

const CACHE = new WeakMap<ScanContext, Map<RegExp, Array<[number, number]>>>();

/** The matches of `re` (global) in the field, in order; computed once per field. */
function positions(ctx: ScanContext, re: RegExp): Array<[number, number]> {
  let perField = CACHE.get(ctx);
  if (!perField) CACHE.set(ctx, (perField = new Map()));
  let spans = perField.get(re);
  if (!spans) {
    spans = [];
    for (const m of matches(re, ctx.text)) spans.push([m.index, m.index + m[0].length]);
    perField.set(re, spans);
  }
  return spans;
}

/** Does `re` match inside [from, to), outside the span `skip` (the value being judged)? */
export function matchIn(ctx: ScanContext, re: RegExp, from: number, to: number, skip?: readonly [number, number]): boolean {
  const spans = positions(ctx, re);
  // From the first match starting at or after `from` (matches are disjoint and in order).
  for (let k = countStartingBefore(spans, from); k < spans.length && spans[k][0] < to; k++) {
    const [a, b] = spans[k];
    if (b > to) break;
    if (skip && a < skip[1] && skip[0] < b) continue;
    return true;
  }
  return false;
}

/** The global twin of a pattern, made once (the cache is keyed by the RegExp object). */
export function globalOf(re: RegExp): RegExp {
  return re.flags.includes('g') ? re : new RegExp(re.source, `${re.flags}g`);
}
