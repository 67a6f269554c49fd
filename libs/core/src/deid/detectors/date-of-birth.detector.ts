/**
 * date_of_birth: a specific person's birth date (at least month and year) after a birth cue, in
 * any writing the date finder knows (digits in any order and separator, month names and
 * abbreviations, ordinals, words, Spanish, compact 09JAN2024 and 20210817, month/year 11/2025).
 * Cues: DOB, D.O.B., DoB, D/O/B, date of birth, birth date, birthdate, birthday, born, b.,
 * fecha de nacimiento, nació/nacido/nacida, cumpleaños; a few words may stand between cue and
 * date ("born on the evening of ..."), and a table column or list headed by a cue counts too.
 * A second date right after a birth date, with nothing about an event between, is one as well
 * ("listed as 07/30/2023, but the state system shows 07/03/2023").
 * Not: cohort rules ("infants born on or after January 1, 2026"), gestational statements,
 * relative statements ("born two weeks before the incident"), date formats.
 */
import { FoundDate, findDates } from '../dates';
import { Candidate, candidate, DeidDetector, matches } from '../detector';
import { ScanContext } from '../text-context';

const CUE_SRC = String.raw`\bD\.?\s?O\.?\s?B\b\.?|\bD\/O\/B\b|\bdate\s{1,3}of\s{1,3}birth|\bbirth\s{0,2}-?\s{0,2}date|\bbirthdate|\bbirthday|\bb-?day|\bborn|(?<![\p{L}.])b\.|\bfecha\s{1,3}de\s{1,3}(?:nacimiento|nac\.?)|\bnaci(?:[óo]|da|do)(?!\p{L})|\bcumplea[ñn]os`;
const CUE_RE = new RegExp(CUE_SRC, 'giu');
const CUE_TEST_RE = new RegExp(CUE_SRC, 'iu');
/** Words that make the date something other than the birth date (a cohort rule, an event). */
const COHORT_GAP_RE = /\b(?:on\s+or\s+(?:after|before)|after|before|between|since|from|until|through|by|prior\s+to|within|weeks?\s+(?:early|premature)|or\s+later|and\s+later)\b/i;
const AGGREGATE_BEFORE_RE =
  /\b(?:infants|babies|children|newborns|kids|those|anyone|all|any|youth|students|people|persons|individuals|clients|families|every\s+(?:child|infant|baby)|each\s+(?:child|infant|baby)|no\s+(?:child|infant))\s+(?:who\s+(?:are|were)\s+|that\s+(?:are|were)\s+)?$/i;
/** Between two dates: an event, so the second is not a birth date. */
const EVENT_BETWEEN_RE = /\b(?:died|death|found|admitted|incident|injur\w*|removed|placed|visited|seen|discharged|hospitali[sz]ed|reported|called|arrested|drowned|shot)\b/i;
const COMPACT_RE = /(?<![\w-])(?<y>(?:19|20)\d{2})(?<m>0[1-9]|1[0-2])(?<d>0[1-9]|[12]\d|3[01])(?![\w-])/g;
const MAX_GAP = 70;

export const dateOfBirthDetector: DeidDetector = {
  kind: 'date_of_birth',
  detect(ctx: ScanContext): Candidate[] {
    const text = ctx.text;
    const out: Candidate[] = [];
    const cues: Array<[number, number]> = [];
    for (const m of matches(CUE_RE, text)) cues.push([m.index, m.index + m[0].length]);
    let c = 0;
    /** The birth cue that introduces a date at `start`, if any. */
    const cueFor = (start: number): string | undefined => {
      while (c < cues.length && cues[c][1] <= start - MAX_GAP) c++;
      const [sentStart] = ctx.sentenceSpan(start);
      for (let k = c; k < cues.length && cues[k][1] <= start; k++) {
        const [cs, ce] = cues[k];
        if (cs < sentStart) continue;
        const gap = text.slice(ce, start);
        if (gap.length > MAX_GAP || COHORT_GAP_RE.test(gap) || /\d{1,2}[:/.-]\d|\b\d{4}\b/.test(gap)) continue;
        if (AGGREGATE_BEFORE_RE.test(text.slice(Math.max(sentStart, cs - 40), cs))) continue;
        return text.slice(cs, ce);
      }
      const placed = ctx.placementOf(start);
      if (placed && (CUE_TEST_RE.test(placed.header) || CUE_TEST_RE.test(placed.rowLabel))) return 'the column or list heading';
      return undefined;
    };
    let previous: FoundDate | undefined;
    for (const d of findDates(text)) {
      if (!d.hasYear && d.precision !== 'day') continue;
      const cue = cueFor(d.start);
      const chained = previous && d.start - previous.end <= 60 && ctx.sentOf(previous.start) === ctx.sentOf(d.start) && !/[|\n]/.test(text.slice(previous.end, d.start)) && !EVENT_BETWEEN_RE.test(text.slice(previous.end, d.start));
      if (cue || chained) {
        out.push(candidate('date_of_birth', d.start, d.end, cue ? `Date of birth after '${cue}'` : 'Second birth date given beside the first'));
        previous = d;
      } else previous = undefined;
    }
    c = 0;
    for (const m of matches(COMPACT_RE, text)) {
      const cue = cueFor(m.index);
      if (cue) out.push(candidate('date_of_birth', m.index, m.index + m[0].length, `Date of birth after '${cue}'`));
    }
    return out;
  },
};
