/**
 * date_of_birth: a specific person's birth date (at least month and year) after a birth cue, in
 * any writing the date finder knows (digits in any order and separator, month names and
 * abbreviations, ordinals, words, Spanish, compact 09JAN2024 and 20210817, month/year 11/2025).
 * Cues: DOB, D.O.B., DoB, D/O/B, date of birth, birth date, birthdate, birthday, born, b.,
 * fecha de nacimiento, nació/nacido/nacida, cumpleaños, Vietnamese sinh ngày / ngày sinh,
 * Portuguese nascido/nascida/nasceu / data de nascimento, Tagalog ipinanganak; a few words may
 * stand between cue and date ("born on the evening of ..."), and a table column or list headed by
 * a cue counts too.
 * A second date right after a birth date, with nothing about an event between, is one as well
 * ("listed as 07/30/2023, but the state system shows 07/03/2023").
 * Not: cohort rules ("infants born on or after January 1, 2026"), gestational statements,
 * relative statements ("born two weeks before the incident"), date formats.
 */
import { FoundDate, findDates } from '../dates';
import { Candidate, candidate, DeidDetector, matches } from '../detector';
import { isEnglishWord } from '../lexicon/dictionary';
import { isGivenName, isPlaceWord, roleOf } from '../lexicon/name-lexicon';
import { ScanContext } from '../text-context';

const CUE_SRC = String.raw`\bgeb(?:oren|\.)(?=\s)|\bn[ée]e?\s+le\b|\bF\.\s?(?:de\s)?Nac\.?|\bD\.?\s?O\.?\s?B\b\.?|\b(?:birth|nacimiento|natal)(?=\s{0,2}[:=])|\bD\/O\/B\b|\bdate\s{1,3}of\s{1,3}birth|\bbirth\s{0,2}-?\s{0,2}date|\bbirthdate|\bbirthday|\bb-?day|\bborn|(?<![A-Za-z\u00C0-\u024F.])b\.|\bfecha\s{1,3}de\s{1,3}(?:nacimiento|nac\.?)|\bnaci(?:[óo]|da|do)(?![A-Za-z\u00C0-\u024F])|\bcumplea[ñn]os|\bsinh\s(?:ng[àa]y|n[ăa]m)|\bng[àa]y\s(?:th[áa]ng\s(?:n[ăa]m\s)?)?sinh|\bnasc(?:id[oa]|eu)(?![A-Za-z\u00C0-\u024F])|\bdata\s{1,3}de\s{1,3}nascimento|\bipinanganak|\byug(?=\s+hnub)|\bturned\s(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen)(?:\s(?:years?|months?)(?:\sold)?)?(?=\s(?:on|that|the)\b)`;
const CUE_RE = new RegExp(CUE_SRC, 'gi');
const CUE_TEST_RE = new RegExp(CUE_SRC, 'i');
/** Words that make the date something other than the birth date (a cohort rule, an event). */
const COHORT_GAP_RE = /\b(?:on\s+or\s+(?:after|before)|after|before|between|since|prior\s+to|within|or\s+later|and\s+later|no\s+later\s+than)\b|\b(?:by|from|until|through|starting|beginning)\s*$/i;
const AGGREGATE_BEFORE_RE =
  /\b(?:infants|babies|children|newborns|kids|those|anyone|all|any|youth|students|people|persons|individuals|clients|families|every\s+(?:child|infant|baby)|each\s+(?:child|infant|baby)|no\s+(?:child|infant))\s+(?:who\s+(?:are|were)\s+|that\s+(?:are|were)\s+)?$/i;
/** Between two dates: an event, so the second is not a birth date. */
const EVENT_BETWEEN_RE = /\b(?:died|death|found|admitted|incident|injur\w*|removed|placed|visited|seen|discharged|hospitali[sz]ed|reported|called|arrested|drowned|shot)\b/i;
const COMPACT_RE = /(?<![\w-])(?<y>(?:19|20)\d{2})(?<m>0[1-9]|1[0-2])(?<d>0[1-9]|[12]\d|3[01])(?![\w-])/g;
const MAX_GAP = 70;
const LOOSE_AFTER_CUE_RE =
  /^[\s:=,(#*_-]{0,6}(?:(?:is|was|of|listed\s+as|as)\s+)?((?:0?[1-9]|1[0-2])[./-](?:0?[1-9]|[12]\d|3[01])[./-](?:\d{2}|\d{4})|(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:\d{2}|(?:19|20)\d{2})|(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{2})(?![\w/.-]\d)/i;
const CUE_AFTER_RE = /^\s{0,2}(?:(?:DOB|D\.O\.B\.?)\b|\(\s{0,2}(?:DOB|D\.O\.B\.?|date\s+of\s+birth|birth\s*date|birthday|born|b\.)\b|[,—–-]\s{0,2}(?:her|his|the\s+(?:child|infant|baby)['’]s)?\s{0,2}(?:DOB|date\s+of\s+birth|birth\s*date|birthday)\b)/i;

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
        if (gap.length > MAX_GAP || COHORT_GAP_RE.test(gap) || /\d{1,2}[/.-]\d|\b\d{4}\b/.test(gap)) continue;
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
    // Right after a cue, looser writings: 4.12.23, 041223, 04122023, march 3 2023 (lower case).
    for (const [cs, ce] of cues) {
      const loose = LOOSE_AFTER_CUE_RE.exec(text.slice(ce, ce + 30));
      if (loose) out.push(candidate('date_of_birth', ce + loose.index + loose[0].length - loose[1].length, ce + loose.index + loose[0].length, `Date of birth after '${text.slice(cs, ce)}'`));
    }
    // A full date in apposition to a person: "Kiona (3/8/2020)", "the infant, 04/12/2023,".
    for (const d of findDates(text)) {
      if (!d.hasYear || d.precision !== 'day' || !/^\s?[),;]/.test(text.slice(d.end, d.end + 2))) continue;
      const who = /([A-Za-z\u00C0-\u024F'’-]{2,})\s?(?:\(\s?|,\s)$/.exec(text.slice(Math.max(0, d.start - 40), d.start));
      if (!who) continue;
      const lw = who[1].toLowerCase();
      const nlp = { lexicon: true, tagger: false };
      const person = roleOf(lw) !== undefined ? roleOf(lw) !== 'professional' : /^[A-Z][a-z]/.test(who[1]) && (isGivenName(lw, nlp) || !isEnglishWord(lw)) && !isPlaceWord(lw, nlp);
      if (person) out.push(candidate('date_of_birth', d.start, d.end, `Date given beside '${who[1]}', as a birth date is`));
    }
    // A cue after the date: "04/12/2023 (DOB)", "3/4/2023 — date of birth".
    for (const d of findDates(text)) {
      if (!d.hasYear) continue;
      if (CUE_AFTER_RE.test(text.slice(d.end, d.end + 24))) out.push(candidate('date_of_birth', d.start, d.end, 'Date followed by a birth cue'));
    }
    c = 0;
    for (const m of matches(COMPACT_RE, text)) {
      const cue = cueFor(m.index);
      if (cue) out.push(candidate('date_of_birth', m.index, m.index + m[0].length, `Date of birth after '${cue}'`));
    }
    return out;
  },
};
