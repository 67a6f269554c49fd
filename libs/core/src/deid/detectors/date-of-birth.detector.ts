/**
 * date_of_birth: a specific person's birth date (at least month and year) after a birth cue — DOB,
 * D.O.B., date of birth, birth date, born (on), b. — in digits, month names or words. Not: cohort
 * rules ("infants born on or after January 1, 2026"), gestational statements, date formats.
 */
import { findDates } from '../dates';
import { Candidate, candidate, DeidDetector, matches } from '../detector';
import { ScanContext } from '../text-context';

const CUE_RE =
  /(?:\bD\.?O\.?B\b\.?|\bdate\s+of\s+birth|\bbirth\s*-?\s*date|\bbirthdate|\bbirthday|\bborn(?:\s+(?:on|in))?|\bb\.|\bfecha\s+de\s+nacimiento|\bnaci[óo](?:\s+el)?)\s*(?:(?:is|was|listed|recorded|given|entered|shown|reads|as|on|in|of|at|home|:|,|\(|-|–|—)\s*){0,4}$/i;
const AGGREGATE_BEFORE_RE =
  /\b(?:infants|babies|children|newborns|kids|those|anyone|all|any|youth|students|people|persons|individuals|clients|every\s+(?:child|infant|baby))\s+(?:who\s+(?:are|were)\s+)?$/i;
const COHORT_BETWEEN_RE = /\b(?:on\s+or\s+(?:after|before)|after|before|between|since|from)\b/i;
const COMPACT_RE = /(?<![\w-])(?<y>(?:19|20)\d{2})(?<m>0[1-9]|1[0-2])(?<d>0[1-9]|[12]\d|3[01])(?![\w-])/g;

export const dateOfBirthDetector: DeidDetector = {
  kind: 'date_of_birth',
  detect(ctx: ScanContext): Candidate[] {
    const text = ctx.text;
    const out: Candidate[] = [];
    const cueFor = (start: number): string | undefined => {
      const before = ctx.before(start, 60);
      const cue = CUE_RE.exec(before);
      if (!cue) return undefined;
      const cueAt = start - before.length + cue.index;
      if (AGGREGATE_BEFORE_RE.test(text.slice(Math.max(0, cueAt - 30), cueAt))) return undefined;
      if (COHORT_BETWEEN_RE.test(text.slice(cueAt, start))) return undefined;
      return cue[0].replace(/[\s:,(–—-]+$/g, '').split(/\s+(?:is|was|listed|recorded|given|entered|shown|reads|as)\b/i)[0].trim();
    };
    for (const d of findDates(text)) {
      const cue = cueFor(d.start);
      if (cue && (d.hasYear || d.precision === 'day')) out.push(candidate('date_of_birth', d.start, d.end, `Date of birth after '${cue}'`));
    }
    for (const m of matches(COMPACT_RE, text)) {
      const cue = cueFor(m.index);
      if (cue) out.push(candidate('date_of_birth', m.index, m.index + m[0].length, `Date of birth after '${cue}'`));
    }
    return out;
  },
};
