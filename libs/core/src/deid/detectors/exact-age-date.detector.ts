/**
 * exact_age_date: a calendar date with day precision of an incident involving one specific child
 * whose age is given nearby ("the 7-month-old was found unresponsive on March 3, 2026"). Not:
 * dates of effect, deadlines, meetings, trainings, recalls, publication; aggregate date ranges;
 * month-year only; a date with no age nearby.
 */
import { findDates } from '../dates';
import { Candidate, candidate, DeidDetector, matches } from '../detector';
import { ScanContext } from '../text-context';
import { incidentDates } from './incident-dates';
import { incidentMoments } from './incident-moment';

const NUM_WORD = '(?:twenty|thirty)-(?:one|two|three|four|five|six|seven|eight|nine)|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty';
export const AGE_RE = new RegExp(
  String.raw`\b(?:\d{1,2}|${NUM_WORD})[-\s](?:day|week|month|year)s?[-\s]old\b|\baged?\s+\d{1,2}\b|\b\d{1,2}\s+(?:days?|weeks?|months?|years?)\s+old\b|\b(?:a|an|the|one)\s+(?:[a-z-]+\s+)?(?:newborn|neonate)\b|(?<=[A-Za-z\u00C0-\u024F.)],\s)\d{1,2}(?=\s?[,)])|\b(?:at|aged?)\s+\d{1,2}\s+(?:days?|weeks?|months?|years?)\b|\b\d{1,2}\s?(?:mos?|yrs?|y\/o|yo|wks?)\b\.?(?:\s+old)?|\(\s?(?:age\s)?\d{1,2}\s?(?:months?|mos?|years?|yrs?|weeks?|wks?)?\s?\)|(?<=[A-Za-z\u00C0-\u024F.)],\s)\d{1,2}\s(?:months?|weeks?|years?)(?=\s?[,)])|\b(?:\d{1,2}|${NUM_WORD})-(?:day|week|month|year)-old\b|\b(?:\d{1,2}|${NUM_WORD})(?:-and-a-half|½|\.5)?-(?:day|wk|week|mo|month|yr|year)s?-old\b|\b\d{1,2}\s?(?:yo|y\.o\.)\b|\bde\s+(?:\d{1,2}|un|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce)\s+(?:años|a[ñn]os|meses|mes|semanas|d[íi]as)\b|\b\d{1,2}\s+(?:años|meses)\s+de\s+edad\b|\b\d{1,2}\s+(?:jir(?:ka|ah)?|tuổi|taong\s+gulang|ans|anos)(?![\p{L}])`,
  'giu',
);
const ONE_CHILD_RE =
  /\b(?:the|a|an|her|his|their)\s+(?:\w+\s)?(?:infant|baby|newborn|toddler|child|boy|girl|preschooler|kindergartner|teen|teenager|son|daughter|decedent)\b(?!s)|\b(?:el|la|un|una|su)\s+(?:ni[ñn][oa]|beb[ée]|menor|hij[oa]|lactante|nen[ea]|reci[ée]n\s+nacid[oa])\b(?!s)|\bfoster\s+(?:child|youth|son|daughter|infant|baby|teen)\b(?!s)|\bthe\s+(?:juvenile|minor)\b(?!s)/i;
const INCIDENT_RE =
  /\b(?:found|died|dies|drowned|pronounced|injured|shot|ingested|swallowed|fell|left\s+(?:alone|in)|removed|admitted|hospitali[sz]ed|unresponsive|stopped\s+breathing|struck|burned|suffocated|overdosed|transported|airlifted|rushed|wandered|choked|bitten|scalded|shaken|abandoned|missing|bite|burns?|scald|drowning|near-drowning|injury|overdose|ingestion|fracture|assault|encontrad[oa]|muri[óo]|falleci[óo]|herid[oa]|cay[óo]|ahog[óo]|hospitalizad[oa]|abandonad[oa])\b/i;
/** A month/day with no year ("6/9 ~0300 hrs", "3/14 at 2 a.m.") or an ISO date with a time (2025-03-14T02:10): the shared date finder leaves these out. */
const SHORT_DATE_RE = /(?<![\w/.:-])(?:(?:0?[1-9]|1[0-2])\/(?:0?[1-9]|[12]\d|3[01])|(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?=T\d))(?![\w/]|\.\d)/g;
/** A clock time with its minutes right after or before a date ("3/17/2025 3:05 PM", "7:52 pm on March 8, 2025"). */
const CLOCK_BESIDE_RE = /^,?\s{1,3}(?:at\s{1,3})?\d{1,2}:\d{2}\b/;
const CLOCK_BEFORE_RE = /(?:\b\d{1,2}:\d{2}\s?(?:[ap]\.?m\.?)?|\b(?:[01]\d|2[0-3])[0-5]\d\s?(?:hrs|hours|h))\s{1,3}(?:on\s{1,3})?$/i;
const AGE_PLURAL_BEFORE_RE = /(?:\b(?:children|infants|babies|kids|youth|students|those|people|ages|under|over|above|below|between|from)|(?:^|\s)(?:dưới|trên|từ))\s+$/i;
const AGE_PLURAL_AFTER_RE = /^\s*(?:age\s+groups?|groups?|cohorts?|and\s+(?:under|older|younger|up)|or\s+(?:younger|older))\b|^s\b/i;
const DEADLINE_BEFORE_RE =
  /\b(?:by|before|after|until|till|through|thru|beginning|starting|from|effective|since|between|and|as\s+of|no\s+later\s+than|due|begins?|ends?|expires?|opens?|closes?|on\s+or\s+(?:after|before)|(?:từ|trước|đến|sau)\s+ngày)\s*,?\s*$/i;
const EVENT_SENTENCE_RE =
  /\b(?:must|will|shall|should|effective|deadline|webinar|training|summit|meeting|conference|recalled|recall|announced|published|eligible|scheduled|updated|issued|released|enrollment|enroll|register|registration|session|class|classes|clase|clases|taller|curso|capacitaci[óo]n|takes?\s+effect|comment\s+period)\b/i;

export const exactAgeDateDetector: DeidDetector = {
  kind: 'exact_age_date',
  detect(ctx: ScanContext): Candidate[] {
    const text = ctx.text;
    const out: Candidate[] = [];
    const ages = singleChildAges(text);
    for (const d of findDates(text)) {
      if (d.precision !== 'day') continue;
      const [sentStart, sentEnd] = ctx.sentenceSpan(d.start);
      const si = ctx.sentOf(d.start);
      const winStart = Math.max(si > 0 ? ctx.sentences[si - 1][0] : sentStart, d.start - 300);
      const winEnd = Math.min(sentEnd, d.end + 300);
      // No age given: one child as the subject of an incident in the same sentence ("the infant was found unresponsive on ...").
      const sentence = text.slice(Math.max(sentStart, d.start - 200), Math.min(sentEnd, d.end + 200));
      // Round fourteen: or one child and a clock time right beside the date ("the dismissal video from 3/17/2025 3:05 PM ... the child").
      const timed = CLOCK_BESIDE_RE.test(text.slice(d.end, d.end + 14)) || CLOCK_BEFORE_RE.test(text.slice(Math.max(0, d.start - 16), d.start));
      const age =
        firstIn(ages, winStart, winEnd) ??
        (ONE_CHILD_RE.test(sentence) && INCIDENT_RE.test(sentence) ? 'one child in an incident' : undefined) ??
        (timed && ONE_CHILD_RE.test(sentence) ? 'one child, and the minute' : undefined);
      if (!age) continue;
      const lead = text.slice(Math.max(sentStart, d.start - 30), d.start);
      if (DEADLINE_BEFORE_RE.test(lead) && !(timed && /\bfrom\s*$/i.test(lead))) continue; // "the video from 3/17/2025 3:05 PM" is a moment
      if (EVENT_SENTENCE_RE.test(text.slice(Math.max(sentStart, d.start - 300), winEnd))) continue;
      out.push(candidate('exact_age_date', d.start, d.end, `Exact date of an incident involving a child whose age is given ('${age.trim()}')`));
    }
    // A short date counts only with a single child's age and an incident in its sentence (fractions and scores have neither).
    for (const m of matches(SHORT_DATE_RE, text)) {
      const [sentStart, sentEnd] = ctx.sentenceSpan(m.index);
      const sentence = text.slice(Math.max(sentStart, m.index - 200), Math.min(sentEnd, m.index + 200));
      const age = firstIn(ages, Math.max(sentStart, m.index - 200), Math.min(sentEnd, m.index + 200));
      if (!age || !INCIDENT_RE.test(sentence) || EVENT_SENTENCE_RE.test(sentence)) continue;
      if (DEADLINE_BEFORE_RE.test(text.slice(Math.max(sentStart, m.index - 30), m.index))) continue;
      out.push(candidate('exact_age_date', m.index, m.index + m[0].length, `Exact date of an incident involving a child whose age is given ('${age.trim()}')`));
    }
    out.push(...incidentMoments(ctx));
    out.push(...incidentDates(ctx));
    return out;
  },
};

interface Age {
  at: number;
  text: string;
}

/** Every age in the text that describes one child (not "children under 5"), in order: one pass. */
export function singleChildAges(text: string): Age[] {
  const out: Age[] = [];
  AGE_RE.lastIndex = 0;
  for (let m = AGE_RE.exec(text); m; m = AGE_RE.exec(text)) {
    const pre = text.slice(Math.max(0, m.index - 25), m.index);
    const post = text.slice(m.index + m[0].length, m.index + m[0].length + 20);
    if (AGE_PLURAL_BEFORE_RE.test(pre) || AGE_PLURAL_AFTER_RE.test(post)) continue;
    out.push({ at: m.index, text: m[0] });
  }
  return out;
}

/** The first age starting in [from, to) (binary search). */
function firstIn(ages: Age[], from: number, to: number): string | undefined {
  let lo = 0;
  let hi = ages.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ages[mid].at < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < ages.length && ages[lo].at < to ? ages[lo].text : undefined;
}
