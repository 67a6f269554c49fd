/**
 * Spans of a field that are public whatever their shape, found before the detectors' candidates are
 * combined: published decisions cited with their reporter and rulemakings' dockets (round
 * twenty-five), child-care facilities' licence numbers (round twenty-six), clock times (round
 * twenty-seven), bill numbers and a number before the modal "may" (round twenty-eight).
 */
import { clockTimes } from './clock-times';
import { Candidate } from './detector';
import { facilityLicences } from './facility-licences';
import { publicPhrases, rulemakingDockets } from './public-phrases';
import { publishedCitations } from './published-citations';
import { ScanContext } from './text-context';

/**
 * Marks the field's public spans (the token model and the text model leave them alone) and splits
 * the rules' candidates into those kept and those that lie inside a public span.
 */
export function withoutPublicSpans(ctx: ScanContext, cands: Candidate[]): { kept: Candidate[]; dropped: Candidate[]; spans: Array<[number, number]> } {
  const text = ctx.text;
  const spans = [...publishedCitations(text), ...rulemakingDockets(ctx), ...facilityLicences(text), ...clockTimes(text), ...publicPhrases(text)];
  if (spans.length === 0) return { kept: cands, dropped: [], spans };
  for (const [s, e] of spans) {
    ctx.clear(s, e);
    ctx.publicValueSpans.push([s, e]);
  }
  const inside = (c: Candidate) => insideAny(spans, c);
  return { kept: cands.filter((c) => !inside(c)), dropped: cands.filter(inside), spans };
}

/** Does the candidate lie inside one of the spans? */
export function insideAny(spans: Array<[number, number]>, c: Candidate): boolean {
  return spans.some(([s, e]) => c.start >= s && c.end <= e);
}
