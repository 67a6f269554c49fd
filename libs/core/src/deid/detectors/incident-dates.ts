/**
 * Exact dates of one family's incident, without an age (round ten). A day-precision date in any
 * writing ("3/14", "March 14th", "the 14th", "el 14 de marzo", "last Tuesday the 14th") is a finding
 * when its sentence narrates something that happened to one specific child or family: a singular
 * child, parent or household (or a possessive name) and a verb in the past. Dates of effect,
 * deadlines, meetings, trainings, recalls and publications are not: their sentences say so, and
 * notices address them to many ("families", "providers"), not to one.
 */
import { findDates } from '../dates';
import { Candidate, candidate, matches } from '../detector';
import { ScanContext } from '../text-context';
import { TIME_RE } from './incident-moment';
import { globalOf, matchIn } from './word-positions';

/** Day dates the shared finder leaves out: 3/14, "march 14th" in lower case, "the 14th", "el 14". */
const EXTRA_DAY_RE =
  /(?<![\w/.:-])(?:0?[1-9]|1[0-2])\/(?:0?[1-9]|[12]\d|3[01])(?![\w/]|\.\d)|\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b|\b(?:(?:last|this|that|on)\s+)?(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\s+)?the\s+(?:[12]?\d|3[01])(?:st|nd|rd|th)\b(?!\s+(?:century|floor|grade|percentile|birthday|anniversary|street|st\b|avenue|ave\b|amendment|edition|annual|time|place))|(?<=\b[Ee]l\s)(?:[12]?\d|3[01])\b(?!\s*(?:%|de\s+(?:cada|los|las)))/gi;
/** One child, parent or household of the case, as the subject of what happened. */
export const ONE_OF_THE_CASE_RE =
  /\b(?:the|a|an|her|his|their|our|my|this|that)\s+(?:[\p{L}-]+\s){0,2}(?:infant|baby|newborn|toddler|child|boy|girl|preschooler|kindergartner|teen|teenager|son|daughter|youth|student|kid|twins|family|household|mother|father|mom|dad|stepfather|stepmother|boyfriend|girlfriend|grandmother|grandfather|grandma|grandpa|aunt|uncle|caregiver|babysitter|sibling|brother|sister)\b(?!s\b|['’]s\s+(?:services|program)|\s+(?:care|welfare|safety|protective|protection|support|abuse|fatality|death|passenger|development|nutrition|find|services|advocacy|seats?)\b)|\b(?:Grandma|Grandpa|Mom|Dad|Mama|Papa|Nana|Auntie|Abuela|Abuelo)\b(?=\s\p{Ll})|\b(?:el|la|un|una|su|mi|nuestr[oa])\s+(?:ni[ñn][oa]|beb[ée]|menor|hij[oa]|familia|madre|padre|mam[áa]|pap[áa]|abuel[oa])(?![\p{L}])|\b\p{Lu}\p{Ll}+['’]s\s+(?:mother|father|mom|dad|family|home|house|apartment|car|school|daycare|grandmother|aunt|uncle)\b/iu;
/** A person named as the subject of a past verb: "Jaylen fell", "Ms. Ortiz left" (not a month, a weekday or a sentence's first word). */
export const NAMED_SUBJECT_RE =
  /(?<=[\p{Ll},;:]\s)(?!(?:January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|The|This|That|On|In|At)\b)\p{Lu}\p{Ll}{2,}\s(?:was|were|had|went|came|took|left|fell|got|ran|told|said|drove|\p{Ll}{3,}ed)\b/u;
/** A place with a proper name after a place word: "at the Riverside Walmart", "behind Lakeview Apartments". */
const NAMED_PLACE_RE = /\b(?:at|in|behind|near|outside|inside|by|from)\s+(?:the\s+)?\p{Lu}[\p{L}'’&-]+/u;
const TIME_GLOBAL_RE = new RegExp(TIME_RE.source, 'gi');

/** A verb in the past: what happened, not what will or must. */
export const PAST_RE =
  /\b(?:was|were|had|did|went|came|took|left|fell|found|got|ran|saw|told|brought|said|gave|made|drove|broke|hit|bit|ate|drank|slept|woke|swallowed|drowned|died|stopped|\p{Ll}{3,}ed)\b|\b(?:fue|estaba|tuvo|llev[óo]|encontr[óo]|cay[óo]|muri[óo]|dej[óo]|lleg[óo]|\p{Ll}{2,}[óo])(?![\p{L}])/iu;
/** Dates that belong to everyone: effect, deadlines, meetings, trainings, recalls, publication. */
export const PUBLIC_EVENT_RE =
  /\b(?:must|shall|should|will|effective|deadline|due|webinar|trainings?|summit|meetings?|conference|sessions?|class|workshop|recalls?|recalled|announced|published|issued|released|scheduled|registers?|registration|enrol(?:l)?ment|eligible|expires?|expired|begins?|takes?\s+effect|comment\s+period|policy|rule|law|statute|bulletin|notice|memo|guidance|updated|revised|adopted|enacted|signed\s+into|holiday|closed|closure|office|offices|reminder|campaign|awareness|week|month|panel|board|committee|council|commission|reviews?|reviewed|governor|legislature|executive|order|signed|met|convened|statistics|data|went\s+live|launched|lifeline|approved|funded|awarded)\b/i;
const DEADLINE_BEFORE_RE = /\b(?:by|and|before|after|until|till|through|thru|beginning|starting|from|effective|since|between|as\s+of|no\s+later\s+than|due)\s*,?\s*(?:the\s+)?$/i;
/** Many, not one: "families", "children", "providers" as the subject. */
export const MANY_RE = /\b(?:families|children|parents|caregivers|providers|agencies|counties|staff|workers|residents|infants|babies|youth\s+in\s+care)\b/i;

/** The sentence-level patterns, global, for word-positions.ts (one pass per field; the quasi rule shares them). */
export const SENTENCE_PATTERNS = {
  event: globalOf(PUBLIC_EVENT_RE),
  past: globalOf(PAST_RE),
  one: globalOf(ONE_OF_THE_CASE_RE),
  named: globalOf(NAMED_SUBJECT_RE),
  many: globalOf(MANY_RE),
  place: globalOf(NAMED_PLACE_RE),
};

export function incidentDates(ctx: ScanContext): Candidate[] {
  const text = ctx.text;
  const spans: Array<[number, number]> = findDates(text)
    .filter((d) => d.precision === 'day')
    .map((d) => [d.start, d.end]);
  for (const m of matches(EXTRA_DAY_RE, text)) spans.push([m.index, m.index + m[0].length]);
  const out: Candidate[] = [];
  for (const [start, end] of spans) {
    const [ss, se] = ctx.sentenceSpan(start);
    const [from, to] = [Math.max(ss, start - 250), Math.min(se, end + 250)];
    const has = (re: RegExp): boolean => matchIn(ctx, re, from, to);
    if (DEADLINE_BEFORE_RE.test(text.slice(Math.max(ss, start - 30), start))) continue;
    if (has(SENTENCE_PATTERNS.event) || !has(SENTENCE_PATTERNS.past)) continue;
    // The subject may be named in the sentence before ("The toddler was home alone. On 3/14 ...").
    const si = ctx.sentOf(start);
    // (Round sixteen: unless that sentence is about an event: "Will the infant CPR class be offered in Spanish? Yes: sábado 14 de junio".)
    const previous: [number, number] = si > 0 ? [Math.max(ctx.sentences[si - 1][0], start - 400), ss] : [0, 0];
    const previousOne = si > 0 && matchIn(ctx, SENTENCE_PATTERNS.one, ...previous) && !matchIn(ctx, SENTENCE_PATTERNS.event, ...previous);
    const one = has(SENTENCE_PATTERNS.one) || has(SENTENCE_PATTERNS.named) || (previousOne && !has(SENTENCE_PATTERNS.many));
    if (!one) continue;
    if (has(SENTENCE_PATTERNS.many) && !has(SENTENCE_PATTERNS.one)) continue;
    out.push(candidate('exact_age_date', start, end, 'Exact date of an incident narrated about one child or family', 1));
  }
  // A time of day pinned to one incident at a named place: "at 2:40 a.m. the toddler was found outside the Lakeview Motel".
  for (const m of matches(TIME_GLOBAL_RE, text)) {
    // Round seventeen: opening hours ("open 8 a.m. to 6 p.m.") are no moment.
    if (/^\s{0,2}(?:to|until|till|through|[-–—])\s{0,2}\d/i.test(text.slice(m.index + m[0].length, m.index + m[0].length + 8))) continue;
    if (/\d\s?(?:a\.?m\.?|p\.?m\.?)?\s{0,2}(?:to|until|till|through|[-–—])\s{0,2}$/i.test(text.slice(Math.max(0, m.index - 16), m.index))) continue;
    const [ss, se] = ctx.sentenceSpan(m.index);
    const [from, to] = [Math.max(ss, m.index - 200), Math.min(se, m.index + 200)];
    const has = (re: RegExp): boolean => matchIn(ctx, re, from, to);
    if (has(SENTENCE_PATTERNS.event) || has(SENTENCE_PATTERNS.many) || !has(SENTENCE_PATTERNS.past) || !has(SENTENCE_PATTERNS.place)) continue;
    if (!has(SENTENCE_PATTERNS.one) && !has(SENTENCE_PATTERNS.named)) continue;
    out.push(candidate('exact_age_date', m.index, m.index + m[0].length, 'Exact time of an incident at a named place', 1));
  }
  return out;
}
