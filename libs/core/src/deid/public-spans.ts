/**
 * Spans of a field that are public whatever their shape, found before the detectors' candidates are
 * combined: published decisions cited with their reporter (round twenty-five), child-care
 * facilities' licence numbers (round twenty-six), clock times (round twenty-seven), bill numbers
 * and a number before the modal "may" (round twenty-eight).
 */
import { clockTimes } from './clock-times';
import { Candidate } from './detector';
import { facilityLicences } from './facility-licences';
import { publicPhrases } from './public-phrases';
import { publishedCitations } from './published-citations';
import { ScanContext } from './text-context';

/**
 * Marks the field's public spans (the token model and the text model leave them alone) and drops
 * the rules' candidates that lie inside one.
 */
export function withoutPublicSpans(ctx: ScanContext, cands: Candidate[]): Candidate[] {
  const spans = [...publishedCitations(ctx.text), ...facilityLicences(ctx.text), ...clockTimes(ctx.text), ...publicPhrases(ctx.text)];
  if (spans.length === 0) return cands;
  for (const [s, e] of spans) {
    ctx.clear(s, e);
    ctx.publicValueSpans.push([s, e]);
  }
  return cands.filter((c) => !spans.some(([s, e]) => c.start >= s && c.end <= e));
}
