/**
 * The moment of an incident: a calendar day written next to a time of day ("3:40 a.m. on June 14",
 * "11/02 at 0340", "nov 3rd, 1:15am", "el 5 de octubre a las 11 de la noche"), or a date given as
 * the date of an incident ("DOI: 04/29/2026"). A notice pins an event to the minute only when it
 * tells what happened to someone, so this rule does not need a child's age: a child anywhere near
 * and an incident, or an incident word right before the date ("It happened ...", "Dog bite on ...").
 * Meetings, trainings, webinars, closures and deadlines have times too; their sentences are left out.
 * Round six; examples in round6-generalisation.spec.ts.
 */
import { findDates } from '../dates';
import { Candidate, candidate, matches } from '../detector';
import { ScanContext } from '../text-context';

/** A time of day in the ways reports write it. Four bare digits only after "at", "around", "approx" or before "hrs". */
export const TIME_RE =
  /(?:(?<![\w:.,])|(?<=\dT))(?:(?:[01]?\d|2[0-3])[:h][0-5]\d(?:\s?[ap]\.?\s?m\b\.?)?|(?:1[0-2]|0?[1-9])\s?[ap]\.?\s?m\b\.?|(?:[01]\d|2[0-3])[0-5]\d\s?(?:hrs?|hours)\b)|\b(?:at|around|approx(?:imately|\.)?|about|~|@)\s?(?:[01]\d|2[0-3])[0-5]\d\b|\b(?:noon|midnight)\b|\ba\s+las?\s+\d{1,2}(?::\d\d)?\b/i;
/** Dates the shared finder leaves out: a month and day with no year in digits, and a month in lower case ("nov 3rd"). */
const EXTRA_DATE_RE =
  /(?<![\w/.:-])(?:0?[1-9]|1[0-2])\/(?:0?[1-9]|[12]\d|3[01])(?![\w/]|\.\d)|\b(?:jan(?:uary)?|feb(?:ruary)?|apr(?:il)?|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b/gi;
/** A child of the case, one or several, in any writing (English and Spanish). */
const CHILD_RE =
  /\b(?:infants?|bab(?:y|ies)|newborns?|toddlers?|child(?:ren)?|kids?|boys?|girls?|sons?|daughters?|teens?|teenagers?|youths?|twins|siblings?|sibs|preschoolers?|students?|sophomore|freshman|minors?|\d{1,2}[\s-]?(?:y\/o|yo|yrs?|mos?|wks?)\b|\d{1,2}-(?:year|month|week|day)-old|ni[ñn][oa]s?|beb[ée]s?|menor(?:es)?|hij[oa]s?)(?![\p{L}])/iu;
/** What happened to someone (with the verbs of the age rule's incidents). */
const INCIDENT_RE =
  /\b(?:found|died|drowned|pronounced|injured|shot|ingested|swallowed|fell|left|alone|unattended|unsupervised|removed|admitted|discharged|hospitali[sz]ed|unresponsive|breathing|struck|burned|burns?|suffocated|overdos(?:ed|e)|transported|rushed|wandered|wandering|choked|bit|bite|bitten|scalded|shaken|abandoned|missing|happened|occurred|incident|police|911|ems|assault(?:ed)?|hit|beaten|crying|brought|fractur\w*|capsized|fire|crash(?:ed)?|rolled|rolling|sol[oa]s|encontrad[oa]s?|muri[óo]|herid[oa]s?|cay[óo]|ahog[óo]|lloraba)\b/i;
/** An incident word right before the date: "It happened", "Incident occurred", "Dog bite on", "Found". */
const INCIDENT_BEFORE_RE =
  /\b(?:happened|occurred|incident|injur(?:y|ies|ed)|bite|bitten|scratch|burns?|burned|fall|fell|found|died|drowned|drowning|near-drowning|shot|shooting|overdose|ingestion|attack|assault|crash|accident|fire|called\s+911|ocurri[óo]|pas[óo])\b[^.;\n]{0,20}$/i;
/** A label that gives the date as an incident's. */
const INCIDENT_LABEL_RE =
  /\b(?:DOI|D\.O\.I\.?|date\s+of\s+(?:incident|injury|death|occurrence|event)|incident\s+date|fecha\s+del?\s+(?:incidente|hecho|suceso))\s*[:#-]?\s*$/i;
const EVENT_RE =
  /\b(?:must|will|shall|should|effective|deadline|webinar|training|trainings|summit|meeting|meets|conference|session|class|workshop|recalled|recall|announced|published|issued|released|scheduled|register|registration|closed?|closes|reopens?|(?<!(?:propped|left|wide|standing|pried)\s)open|opens|due|dial-in|zoom|teams|livestream|broadcast|air|posted|maintenance|outage|down\s+for|office|offices|hours)\b/i;
const DEADLINE_BEFORE_RE = /\b(?:by|before|after|until|till|through|thru|beginning|starting|from|effective|since|between|as\s+of|due)\s*,?\s*$/i;

export function incidentMoments(ctx: ScanContext): Candidate[] {
  const text = ctx.text;
  const out: Candidate[] = [];
  const spans: Array<[number, number]> = findDates(text)
    .filter((d) => d.precision === 'day')
    .map((d) => [d.start, d.end]);
  for (const m of matches(EXTRA_DATE_RE, text)) spans.push([m.index, m.index + m[0].length]);
  for (const [start, end] of spans) {
    const [ss, se] = ctx.sentenceSpan(start);
    const before = text.slice(Math.max(ss, start - 40), start);
    if (DEADLINE_BEFORE_RE.test(before)) continue;
    const labelled = INCIDENT_LABEL_RE.test(text.slice(Math.max(0, start - 30), start));
    const near = text.slice(Math.max(ss, start - 30), Math.min(se, end + 30));
    const timed = TIME_RE.test(near);
    if (!labelled && !timed) continue;
    const sentence = text.slice(Math.max(ss, start - 250), Math.min(se, end + 250));
    if (EVENT_RE.test(sentence)) continue;
    // The window reaches the next sentence: "DOI: 04/29/2026. Infant (8 wks) was left in a swing."
    const window = text.slice(Math.max(0, start - 250), Math.min(text.length, end + 250));
    const child = CHILD_RE.test(window);
    const incident = INCIDENT_BEFORE_RE.test(before) || (child && INCIDENT_RE.test(window));
    if (labelled ? !child : !incident) continue;
    out.push(candidate('exact_age_date', start, end, labelled ? 'Date given as the date of an incident involving a child' : 'Exact date and time of an incident'));
  }
  return out;
}
