/**
 * Round nine: quasi-identifiers by the shape of the tie, not by a list of local offices (run by the
 * quasi-identifier detector).
 *  - kin of someone who holds a role in a NAMED community: "the niece of the Alder Creek fire chief",
 *    "granddaughter of the Red Cliff Band's vice chairwoman", "the Harlan County judge's grandson",
 *    "el sobrino del alcalde de San Isidro". A role noun of a community (chief, chairman, carver,
 *    elder, anchor, owner...) and a capitalised place or body make it one person;
 *  - one child tied to a named local event that hurt people: "the 12-year-old who survived the Pine
 *    Hollow apartment fire", "the only survivor of the Route 9 rollover", "the girl injured when the
 *    bleachers gave way at the Tilden county fair";
 *  - a relative or child who owns, runs or works at a business in a named place, written in lower
 *    case ("the father who runs the hardware store on Main Street in Plains"), and a relative whose
 *    job is at a named employer ("the mother of the 6-year-old is a morning host at WXKR radio").
 * Not: a role with no named community ("the son of a police chief"), an event with no one child,
 * sentences about programmes, trainings or many families.
 */
import { Candidate, candidate, matches } from '../detector';
import { ScanContext } from '../text-context';

const KIN = String.raw`(?:step-?|great-?|half-?)?(?:uncle|aunt|father|mother|dad|mom|grandfather|grandmother|grandpa|grandma|brother|sister|cousin|son|daughter|grandson|granddaughter|grandchild|grandchildren|grandkids?|nephew|niece|godson|goddaughter|stepson|stepdaughter|wife|husband|boyfriend|girlfriend)`;
const KIN_LEAD = String.raw`(?:(?:infant|baby|young|youngest|oldest|eldest|teenage|toddler|adopted|foster|\d{1,2}-year-old|two|three|twin)\s+)?`;
/** A role in a community: someone everyone in a small place knows. */
const ROLE = String.raw`(?:(?:fire|police|tribal|band|village|town|county|city|school|deputy|assistant|vice|head|master|senior|chief|longtime|former|weekend|morning|evening|news|high\s+school|district)\s+){0,2}(?:chief|chairman|chairwoman|chairperson|chair|president|governor|senator|representative|legislator|commissioner|mayor|sheriff|marshal|constable|judge|magistrate|prosecutor|pastor|priest|rabbi|imam|reverend|minister|bishop|deacon|principal|superintendent|coach|anchor|reporter|meteorologist|editor|publisher|owner|carver|artist|elder|councilman|councilwoman|council\s+member|councilmember|trustee|warden|ranger|postmaster|clerk|chaplain|headman|spiritual\s+leader|medicine\s+man)`;
const PLACE_WORD = String.raw`[A-Z][\p{L}'’.-]*`;
/** "the Gillette", "the Elk Creek Band's", "Hoonah's", "the Harlan County": a named community or body. */
const NAMED = String.raw`(?:the\s+)?(?:${PLACE_WORD}|\d{1,4})(?:\s+(?:${PLACE_WORD}|of|de|del|\d{1,4})){0,3}(?:['’]s)?`;
const KIN_OF_ROLE_RE = new RegExp(String.raw`\b${KIN_LEAD}${KIN}\s+of\s+${NAMED}\s+${ROLE}\b`, 'gu');
const ROLE_KIN_RE = new RegExp(String.raw`\bthe\s+(?:(?:${PLACE_WORD}\s+){1,3}|(?:county|town|city|village|tribal|school)\s+)${ROLE}['’]s\s+${KIN_LEAD}${KIN}\b`, 'gu');
/** Spanish: "el hijo menor del pastor de ... de Las Marías", "la nieta del alcalde de San Isidro". */
const SPANISH_KIN_ROLE_RE =
  /(?<![\p{L}])(?:hij[oa]s?|niet[oa]s?|sobrin[oa]s?|herman[oa]s?|primo|prima)(?:\s+(?:menor|mayor|peque[ñn][oa]))?\s+(?:del|de\s+la)\s+(?:alcalde|alcaldesa|pastor|pastora|sacerdote|cura|juez|jueza|jefe|jefa|director|directora|comisionad[oa]|presidente|presidenta|senador|senadora|representante|due[ñn][oa]|maestr[oa]|entrenador|entrenadora|l[íi]der)\b[^.;\n]{0,80}?\b(?:de|en)\s+(?:la\s+|el\s+|los\s+|las\s+)?(?:[A-Z\u00C0-\u00DE][\p{L}'’-]+)(?:\s+(?:[A-Z\u00C0-\u00DE][\p{L}'’-]+|de|del))*/gu;

/** An event that hurt people, as local news names it. */
const HARM_EVENT = String.raw`(?:fire|blaze|crash|wreck|rollover|collision|collapse|collapsed|gave\s+way|explosion|blast|shooting|stabbing|flood|flooding|tornado|hurricane|storm|mudslide|landslide|avalanche|earthquake|derailment|pileup|drowning|accident|attack|festival|fair|parade|rodeo|carnival|tournament)`;
const CHILD = String.raw`(?:\d{1,2}-(?:year|month)-old|child|boy|girl|infant|baby|toddler|teen|teenager|youth|son|daughter|grandson|granddaughter|student|kindergartner|[a-z]+-grader|twins|siblings|brothers|sisters)`;
const SURVIVOR_RE = new RegExp(
  String.raw`\b(?:(?:the|a|an)\s+)?(?:(?:sole|only|lone|last|youngest|surviving)\s+)?survivor\s+of\s+(?:the\s+|a\s+|last\s+\w+['’]s\s+)?[^.;\n]{0,80}?\b${HARM_EVENT}\b(?:\s+(?:in|at|near|on|outside)\s+(?:the\s+)?${PLACE_WORD}(?:\s+${PLACE_WORD}){0,2})?` +
    String.raw`|\b(?:[Tt]he|[Aa]|[Oo]ne|[Tt]his)\s+(?:[a-z]+\s+)?${CHILD},?\s+(?:who\s+(?:survived|was\s+(?:hurt|injured|burned|rescued|trapped|pulled\s+from|orphaned))|(?:hurt|injured|burned|rescued|trapped|orphaned|pulled\s+from))\s+[^.;\n]{0,100}?\b${HARM_EVENT}\b(?:\s+(?:in|at|near|on|outside)\s+(?:the\s+)?${PLACE_WORD}(?:\s+${PLACE_WORD}){0,2})?(?:\s+(?:[a-z]+\s+){0,2}${HARM_EVENT}\b)?`,
  'gu',
);

const BUSINESS_VERB = String.raw`(?:owns|owned|runs|ran|operates|operated|manages|managed|works|worked|cleans|cleaned|cooks|cooked|bartends|waits\s+tables|tends\s+bar|clerks|cuts\s+hair|drives)`;
const PERSON_LEAD = String.raw`(?:${KIN}|parents?|grandparents?|family|caregiver|\d{1,2}-year-old|teen|teenager|youth|girl|boy)`;
/** "the mother who owns the bakery on the square in Tishomingo": a place named after the business. */
const OWNS_IN_PLACE_RE = new RegExp(
  String.raw`\b[Tt]he\s+(?:[a-z]+\s+)?${PERSON_LEAD},?\s+(?:who|that)\s+(?:also\s+)?${BUSINESS_VERB}\b[^.;\n]{0,90}?\b(?:in|at|on)\s+(?:the\s+)?(?<place>${PLACE_WORD}(?:\s+${PLACE_WORD}){0,3})`,
  'gu',
);
/** "the mother of the 6-year-old is a morning host at WXKR radio": a relative's job at a named employer. */
const KIN_JOB_AT_RE = new RegExp(
  String.raw`\b(?:[Tt]he\s+|[Hh]er\s+|[Hh]is\s+|[Tt]heir\s+)?${KIN}(?:\s+of\s+the\s+(?:[a-z]+\s+)?${CHILD})?\s+(?:is|was|works\s+as)\s+(?:a|an|the)\s+(?:(?!(?:patient|patients|client|clients|member|members|resident|residents|guest|guests|visitor|visitors|inmate|customer|regular)\b)[a-z-]+\s+){0,3}?(?:at|for|with|on)\s+(?:the\s+)?(?:${PLACE_WORD}|[A-Z]{2,6})(?:\s+(?:${PLACE_WORD}|[A-Z]{2,6}|\d{1,3}|radio|TV|television|station|channel)){0,3}`,
  'gu',
);
/** Sentences about programmes, trainings or many people name no one family. */
const NOT_ONE_RE = /\b(?:will\s+(?:host|hold|offer)|training|webinar|conference|workshop|register|registration|all\s+(?:children|families|parents)|every\s+(?:family|parent|child))\b/i;
/** A capitalised word that names nothing local (a weekday, a month, an agency word). */
const GENERIC_RE =
  /^(?:The|A|An|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December|County|State|Department|Agency|Office|DCF|DCS|CPS|DHS|ICWA|I)$/;

function named(words: string): boolean {
  return words
    .split(/\s+/)
    .map((w) => w.replace(/['’]s$/, ''))
    .some((w) => /^[A-Z\d]/.test(w) && !GENERIC_RE.test(w));
}

export function quasiTies(ctx: ScanContext): Candidate[] {
  const text = ctx.text;
  const out: Candidate[] = [];
  const sentence = (at: number): string => {
    const [s, e] = ctx.sentenceSpan(at);
    return text.slice(Math.max(s, at - 300), Math.min(e, at + 300));
  };
  for (const m of matches(KIN_OF_ROLE_RE, text)) {
    const of = / of /.exec(m[0]);
    if (of && named(m[0].slice(of.index + 4))) out.push(candidate('quasi_identifier', m.index, m.index + m[0].length, 'Kin of someone in a public role in a named community'));
  }
  for (const m of matches(ROLE_KIN_RE, text)) out.push(candidate('quasi_identifier', m.index, m.index + m[0].length, 'Kin of someone in a public role in a named community'));
  for (const m of matches(SPANISH_KIN_ROLE_RE, text)) out.push(candidate('quasi_identifier', m.index, m.index + m[0].length, 'Kin of someone in a public role in a named community'));
  for (const m of matches(SURVIVOR_RE, text)) {
    if (!named(m[0].replace(/^\W*\w+/, '')) || NOT_ONE_RE.test(sentence(m.index))) continue;
    out.push(candidate('quasi_identifier', m.index, m.index + m[0].length, 'One child tied to a named local event that hurt people'));
  }
  for (const re of [OWNS_IN_PLACE_RE, KIN_JOB_AT_RE]) {
    for (const m of matches(re, text)) {
      const place = m.groups?.place ?? m[0].slice(m[0].search(/\s(?:at|for|with|on)\s/) + 1);
      if (!named(place) || NOT_ONE_RE.test(sentence(m.index))) continue;
      out.push(candidate('quasi_identifier', m.index, m.index + m[0].length, "A relative's or child's business or workplace in a named place"));
    }
  }
  return out;
}
