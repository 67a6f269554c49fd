/**
 * Phrases public by their form or their sentence: a federal rulemaking's docket beside its Federal
 * Register citation ("docket BIA-2015-0001", round twenty-five); a bill's number in Congress or a
 * legislature ("H.R. 5313", "S.B. 412") and a number before the modal "may" ("children under 6 may
 * not sleep on a top bunk"), which is no date (round twenty-eight).
 */
import { ScanContext } from './text-context';

const DOCKET_RE = /(?:\bdocket\s+(?:no\.\s*|number\s+)?)?\b[A-Z]{2,6}(?:-[A-Z]{2,6})?-(?:19|20)\d\d-\d{4}\b/gi;
const RULEMAKING_RE = /\b\d{1,3}\s+(?:FR|Fed\.\s?Reg\.)\s+\d{3,6}\b|\bregulations\.gov\b|\b(?:rulemaking|proposed\s+rule|final\s+rule|NPRM|public\s+comments?)\b/i;
const BILL_RE = /(?<![\w.])(?:H\.\s?R\.|S\.|H\.\s?B\.|S\.\s?B\.|A\.\s?B\.|L\.\s?D\.)\s?\d{1,5}\b/g;
const MODAL_MAY_RE = /\b\d{1,2}\s+may(?=\s+(?:not|be|have|need|use|sleep|ride|stay|get|only|also|still|qualify|attend|receive|join|take)\b)/g;

/** Spans of the field that are bill numbers or a number before the modal "may". */
export function publicPhrases(text: string): Array<[number, number]> {
  return [...text.matchAll(BILL_RE), ...text.matchAll(MODAL_MAY_RE)].map((m) => [m.index!, m.index! + m[0].length]);
}

/** Spans of the field that are a rulemaking's docket, in a sentence that cites the rulemaking. */
export function rulemakingDockets(ctx: ScanContext): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const m of ctx.text.matchAll(DOCKET_RE)) {
    const [s, e] = ctx.sentenceSpan(m.index!);
    if (RULEMAKING_RE.test(ctx.text.slice(s, e))) out.push([m.index!, m.index! + m[0].length]);
  }
  return out;
}
