/**
 * quasi_identifier: no single identifier, but a combination that singles the family out —
 *  - a rare combination: "the only set of triplets born in the county last spring", "the only girl
 *    on the Eastside Rockets 10U wrestling team", "the family that runs the only gas station in Ruby";
 *  - a distinction: "the 14-year-old who was the county's spelling bee champion";
 *  - a tie to a local public figure: "the volunteer fire chief who responded is the child's uncle",
 *    "the mayor's granddaughter";
 *  - a named school, daycare, church, team, foster or group home tied to a child or relative:
 *    "a second grader at Lincoln Elementary", "a cousin who runs Little Lambs Home Daycare",
 *    "the nursery at St. Brendan's", "Hillcrest Eagles #4", "the Westbrook High goalkeeper, 16";
 *  - an exact time and day together with a specific place: "at 2:40 a.m. on March 3 in the town of
 *    Waldo", "in the Bluebird Estates cul-de-sac at 2 a.m. on New Year's Day".
 * The span is the most specific phrase. Not: aggregate statistics, generic settings ("a licensed
 * family child care home"), events and trainings at a named venue, a school's own programmes.
 */
import { findDates } from '../dates';
import { Candidate, candidate, DeidDetector, matches } from '../detector';
import { facilityLicences } from '../facility-licences';
import { ScanContext } from '../text-context';
import { INSTITUTION_RE, SAINT_PLACE_RE, SCHOOL_AT_RE, SPANISH_INSTITUTION_RE, TEAM_RE, WORKPLACE } from './quasi-places';
import { namedIncidents } from './named-incident';
import { quasiTies } from './quasi-ties';
import { structuralQuasiIdentifiers } from './quasi-structure';
import { rareTraitQuasiIdentifiers } from './quasi-rare-traits';
import { recentIncidentsAtPlaces } from './recent-incident';

/** A town's tradespeople and officials: "the only pharmacist in Ekalaka" names one, but only a child of theirs makes it the case's. */
const TRADES = 'pharmacist|veterinarian|vet|mechanic|barber|librarian|postmaster|principal|coach|judge|sheriff|mayor|rancher|firefighter|ranger|pilot|plumber|electrician|grocer';
const PERSON_NOUN = String.raw`(?:set\s+of\s+\w+|set|pair|triplets|quadruplets|quintuplets|twins|family|families|household|child|children|kid|girl|boy|student|students|teen|teenager|infant|baby|toddler|person|resident|residents|youth|player|athlete|kindergartner|grader|couple|parents|mother|father|house|home|trailer|pediatrician|doctor|physician|dentist|nurse|midwife|teacher|pastor|priest|officer|deputy|${TRADES}|business|store|gas\s+station|restaurant|motel|hotel|diner|bar|laundromat|church|daycare|clinic|pharmacy|grocery\s+store|market|apartment|trailer\s+park|truck\s+stop|campground|[\w-]+-speaking\s+(?:family|household|child|student)|(?:[\w-]+\s+)?(?:family|household))`;
const ONLY_RE = new RegExp(String.raw`\b(?:one\s+of\s+)?the\s+(?:only|sole|lone)\s+(?:[A-Za-z\u00C0-\u024F\d'’-]+\s+){0,5}?${PERSON_NOUN}\b[^.;\n]{0,120}`, 'gi');
const OCCUPATION_AFTER_ONLY_RE = new RegExp(String.raw`^(?:one\s+of\s+)?the\s+(?:only|sole|lone)\s+(?:[\w'’-]+\s+){0,5}?(?:${TRADES})\b`, 'i');
const GRADER = String.raw`(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|kindergarten)[\s-]grader|kindergartner|freshman|sophomore|junior|senior|student|pupil|cheerleader|quarterback|player`;
const DISTINCTION = String.raw`\b(?:champion|championship|first\s+place|won|winner|star|captain|queen|king|eagle\s+scout|featured|appeared|television|tv|article|headline|record|everyone\s+in\s+(?:town|the\s+(?:county|village|community))|whole\s+(?:town|community)|valedictorian|salutatorian|homecoming|on\s+the\s+(?:evening\s+|local\s+|nightly\s+)?news|in\s+the\s+(?:local\s+)?(?:paper|newspaper)|famous|well[\s-]known|the\s+only|state\s+record|viral|award|prize|the\s+(?:mayor|pastor|sheriff|principal|coach|judge)['’]s\s+(?:son|daughter|child|grandson|granddaughter|nephew|niece))\b`;
const RELATIVE_RE = new RegExp(
  String.raw`\bthe\s+(?:(?:\d{1,2}|[a-z]+)-(?:year|month)-old|${GRADER}|teen|teenager|girl|boy|child|family|household|infant|baby|toddler|youth),?\s+(?:who|that|whose)\b[^.;\n]{0,160}`,
  'gi',
);
const DISTINCTION_RE = new RegExp(DISTINCTION, 'i');
/** "the county's youngest spelling bee champion", "the school's only female quarterback". */
const LOCAL_DISTINCTION_RE =
  /\bthe\s+(?:county|town|city|village|school|district|state|tribe|nation|pueblo|reservation|team|league)['’]s\s+(?:[A-Za-z\u00C0-\u024F-]+\s+){0,4}?(?:champion|valedictorian|salutatorian|queen|king|winner|record[\s-]holder|quarterback|captain|star|mascot)\b|\b(?:the|our|this)\s+(?:county|town|city|village|school|district|state|tribe|nation|pueblo|reservation|team|league)['’]s\s+(?:only(?!\s+(?:official|approved|authori[sz]ed|verified|public|way|place|time|option|source|exception|requirement)\b)|first|youngest|oldest)\s+[A-Za-z\u00C0-\u024F-]+(?:\s+(?:set\s+of\s+)?[A-Za-z\u00C0-\u024F-]+){0,2}\b/gi;
/** A distinction inside the noun phrase: "the 14-year-old spelling bee champion", "the teen homecoming queen". */
const TITLED_CHILD_RE =
  /\bthe\s+(?:(?:\d{1,2}|[a-z]+)-(?:year|month)-old|teen(?:age)?|teenager|girl|boy|child|youth|[a-z]+-grade)\s+(?:[A-Za-z\u00C0-\u024F'’-]+\s+){0,4}?(?:champion|valedictorian|salutatorian|quarterback|captain|homecoming\s+(?:queen|king)|pageant\s+winner|state\s+qualifier|record[\s-]holder|eagle\s+scout|prodigy|star)\b/gi;
/** Seen by the whole community: "featured in last month's Tulsa World story", "profiled on KOTV". */
const MEDIA_RE =
  /\b(?:featured|profiled|interviewed|appeared|shown|pictured|named|honored|recognized)\s+(?:in|on|by)\s+(?:the\s+|a\s+|an\s+|last\s+\w+['’]s\s+)?(?:local\s+)?(?:[A-Z][\w'’-]+\s|[a-z]+(?:-[a-z]+)+\s){0,3}(?:news|story|article|newspaper|paper|broadcast|segment|TV|television|station|podcast|GoFundMe|fundraiser|Facebook\s+post|front\s+page|photo|photograph|picture|video|feature|spread|ad|advertisement|billboard|calendar|reel|clip|column)\b/g;
/** One child singled out by a win, a title or publicity: "the boy won the county spelling bee", "a GoFundMe for the toddler", "was on the front page". */
const CHILD_WORD_RE = /\b(?:boy|girl|teen|teenager|child|son|daughter|toddler|infant|baby|student|grader|youth|\d{1,2}-(?:year|month)-old|he|she|ni[ñn][oa])\b/i;
const DISTINCTION_VERB_RE =
  /\b(?:won|wins|crowned|placed\s+(?:first|second|third)|took\s+(?:first|home)|set\s+(?:a|the)\s+(?:[\w-]+\s){0,2}record|holds\s+the\s+(?:[\w-]+\s){0,2}record)\b[^.;\n]{0,80}|\b(?:a\s+|the\s+)?(?:GoFundMe|fundraiser|benefit\s+(?:dinner|concert|ride)|candlelight\s+vigil|vigil|prayer\s+chain|news\s+story|TikTok\s+video|Facebook\s+post|viral\s+video)\b[^.;\n]{0,60}|\b(?:on|made)\s+the\s+front\s+page\b[^.;\n]{0,40}|\b(?:the\s+)?(?:Channel\s\d{1,2}|[KW][A-Z]{2,3}(?:-TV)?)\s+(?:news\s+)?(?:story|report|segment|piece|coverage)\b[^.;\n]{0,60}|\b(?:on|in)\s+the\s+(?:local\s+|evening\s+)?news\b|\b(?:photo|picture|story|video|feature|segment)\s+(?:ran|aired|appeared|went\s+viral)\b[^.;\n]{0,60}|\b(?:paper|newspaper|station|channel)\s+(?:ran|aired|published)\s+(?:a|an|the)\b[^.;\n]{0,60}|\bfilmed\s+by\s+(?:a\s+)?(?:news|TV|television|local)\b[^.;\n]{0,40}|\bon\s+every\s+(?:local\s+)?(?:channel|station|newscast)\b/g;
/** Plural or aggregate subjects: a sentence about many children is no one child's distinction. */
const MANY_RE = /\b(?:children|students|families|teens|kids|youth\s+programs?|schools|teams|agencies|counties|grant|funding|award(?:ed)?\s+to\s+the\s+(?:county|agency|department|program))\b/i;
/** A local public figure, and a kin tie to the child in the same clause. */
const LOCAL_FIGURE = String.raw`(?:(?:volunteer|local|town['’]s|county['’]s|city['’]s|village['’]s|tribe['’]s|school['’]s|assistant|deputy|county|town|city|village|tribal|school|district)\s+)?(?:fire\s+chief|police\s+chief|chief\s+of\s+police|sheriff|undersheriff|mayor|pastor|priest|minister|principal|superintendent|head\s+coach|coach|judge|town\s+clerk|county\s+clerk|council\s*(?:man|woman|member)|commissioner|school\s+board\s+(?:member|president)|tribal\s+chairman|chairwoman|game\s+warden|postmaster|state\s+senator|state\s+representative)`;
const KIN_WORDS = `uncle aunt father mother dad mom stepfather stepmother grandfather grandmother grandpa grandma brother sister cousin son daughter grandson granddaughter nephew niece godfather godmother boyfriend girlfriend`.split(' ');
/** The kin words with either case of their first letter ("Father works nights at ..."). */
const KIN_ANY_CASE = `(?:${KIN_WORDS.map((w) => `[${w[0].toUpperCase()}${w[0]}]${w.slice(1)}`).join('|')})`;
const KIN = String.raw`(?:uncle|aunt|father|mother|dad|mom|stepfather|stepmother|grandfather|grandmother|grandpa|grandma|brother|sister|cousin|son|daughter|grandson|granddaughter|nephew|niece|godfather|godmother|boyfriend|girlfriend)`;
const FIGURE_KIN_RE = new RegExp(
  String.raw`\b(?:the\s+)?${LOCAL_FIGURE}\b[^.;\n]{0,80}?\b(?:is|was|are|were)\s+(?:also\s+)?(?:the\s+)?(?:child|infant|baby|boy|girl|teen|victim|toddler|family|decedent|youth)['’]s\s+${KIN}\b|\b(?:(?:the\s+)?(?:child|infant|baby|boy|girl|teen|victim|toddler|decedent|youth)['’]s|his|her|their)\s+${KIN}(?:,\s+|\s+(?:is|was|who\s+is|who\s+was)\s+)(?:also\s+)?(?:the|a|an)\s+(?:longtime\s+|well-known\s+)?(?:[A-Z][\w'’-]+\s){0,3}${LOCAL_FIGURE}\b|\bthe\s+(?:town['’]s\s+|county['’]s\s+|local\s+)?(?:mayor|sheriff|pastor|priest|principal|police\s+chief|chief\s+of\s+police|fire\s+chief|judge|coach|superintendent|pharmacist|postmaster|game\s+warden|county\s+attorney|district\s+attorney|(?:tribal\s+)?chair(?:man|woman|person)|council(?:man|woman|member))['’]s\s+(?:(?:\d{1,2}|[a-z]+)-(?:year|month)-old\s+|teenage\s+|young\s+|little\s+)?(?:${KIN}|child|grandchild|stepson|stepdaughter|stepchild|baby|foster\s+(?:son|daughter|child))\b`,
  'gi',
);
/** "granddaughter of Mayor Redding's chief of staff", "the nephew of the sitting county sheriff", "hija del alcalde". */
const KIN_OF_FIGURE_RE = new RegExp(
  String.raw`\b${KIN_ANY_CASE}\s+of\s+(?:the\s+|a\s+)?(?:(?:town|county|city|village|tribe|school|local)['’]s\s+|local\s+|longtime\s+|well-known\s+|sitting\s+|current\s+|former\s+|elected\s+){0,2}(?:${LOCAL_FIGURE}|chief\s+of\s+staff|city\s+manager|district\s+attorney|county\s+attorney|news\s+anchor|anchor|state\s+trooper|police\s+captain|fire\s+captain|city\s+council(?:\s*(?:man|woman|member))?|alderman|alderwoman|state\s+legislator|legislator|representative|senator|tribal\s+council\s+member|council\s+member|chief|chairman|chairwoman|chairperson)\b(?:\s+[A-Z][A-Za-z\u00C0-\u024F'’-]+)?(?:['’]s\s+(?:chief\s+of\s+staff|aide|assistant|secretary|driver))?|\b(?:hij[oa]|niet[oa]|sobrin[oa]|prim[oa])\s+del?\s+(?:la\s+)?(?:alcalde(?:sa)?|sheriff|pastor|juez|director(?:a)?|jefe\s+de\s+polic[íi]a|concejal)\b`,
  'gi',
);
/** Round six: "Mom is the high school principal in Hinton", "The boy is the 4-H grand champion steer winner at the county fair". */
const KIN_IS_FIGURE_RE = new RegExp(String.raw`\b${KIN_ANY_CASE}\s+(?:is|was)\s+(?:also\s+)?(?:the|a)\s+(?:[\w-]+\s){0,3}?${LOCAL_FIGURE}\s+(?:in|at|of|for)\s+(?:the\s+)?[A-Z][\w'’-]+`, 'g');
const CHILD_IS_CHAMPION_RE =
  /\bthe\s+(?:boy|girl|child|teen|teenager|toddler|youth|son|daughter|\d{1,2}-year-old|[a-z]+-grader)\s+(?:is|was)\s+(?:the|a)\s+(?:[\w'’-]+\s){0,4}?(?:champion|winner|valedictorian|salutatorian|queen|king|record[\s-]holder|mvp)\b[^.;\n]{0,60}/gi;
/** First or youngest of a population: "the first baby born in Custer County this year", "the youngest player in the league". */
const SUPERLATIVE_RE =
  /\bthe\s+(?:first|last|youngest|oldest|smallest|tiniest|earliest)\s+(?:[\w-]+\s){0,2}?(?:bab(?:y|ies)|child|infant|newborn|girl|boy|person|resident|student|player|athlete|twins|triplets|set\s+of\s+\w+)\s+(?:(?:ever\s+)?(?:born|delivered|adopted|enrolled|drafted)\s+)?(?:in|at|on|of)\s+(?:the\s+)?(?:new\s+)?(?:county|town|village|city|tribe|reservation|pueblo|state|school|team|league|hospital|[A-Z][\w'’-]+)[^.;\n]{0,60}/g;
/** A named place's one-of-a-kind person or business: "the son of Tok's only pediatric nurse". */
const PLACE_ONLY_RE =
  /\b[A-Z][\w-]+['’]s\s+(?:only|lone|sole|first|youngest|oldest)\s+(?:[\w-]+\s){0,2}?(?:nurse|pharmacist|doctor|physician|pediatrician|dentist|midwife|teacher|pastor|priest|officer|deputy|judge|mechanic|barber|veterinarian|vet|lawyer|attorney|mayor|coach|twins|triplets|quadruplets|store|gas\s+station|restaurant|diner|motel|bar)\b/g;
/** A named home complex ("the Riverside Terrace apartments"): with an exact day and an incident it points at one family. */
const DWELLING_RE =
  /\b(?:the\s+)?(?:[A-Z][\w'’-]+\s){1,3}(?:[Aa]partments|[Aa]partment\s+[Cc]omplex|[Mm]otel|[Ii]nn|[Mm]obile\s+[Hh]ome\s+[Pp]ark|[Tt]railer\s+[Pp]ark|MHP|[Cc]ourts|[Tt]ownhomes|[Dd]uplexes|RV\s+[Pp]ark)\b/g;
/** A small place named with its size: "the town of Waldo, pop. 1,200", "a village of 300 people". */
const SMALL_PLACE_RE =
  /\b(?:(?:the\s+)?(?:small\s+)?(?:town|village|hamlet|settlement|township|community)\s+of\s+(?:[A-Z][A-Za-z\u00C0-\u024F'’-]+\s?){1,3}(?:,?\s\(?pop(?:ulation)?\.?\s[\d,]{2,9}\)?)?|(?:a|the)\s+(?:small\s+)?(?:town|village|community|hamlet)\s+of\s+(?:about\s+|only\s+|just\s+|fewer\s+than\s+)?[\d,]{2,7}(?:\s+(?:people|residents))?|[A-Z][A-Za-z\u00C0-\u024F'’-]+,?\s\(?pop(?:ulation)?\.?\s[\d,]{2,9}\)?|unincorporated\s+(?:community|area)\s+of\s+[A-Z][A-Za-z\u00C0-\u024F'’-]+)/g;
/** Rare by nature: "conjoined twins", "quadruplets", "born with a rare ... syndrome". */
const RARE_RE =
  /\b(?:conjoined\s+twins|(?:twins|sisters|brothers)\s+(?:who\s+were\s+)?born\s+conjoined|triplets\s+(?:born|delivered)\b[^.;\n]{0,60}?\b(?:at|in|on)\s+(?:the\s+)?[\w'’.-]+|quadruplets|quintuplets|sextuplets|born\s+with\s+(?:a\s+)?(?:rare|one-in-a-million)\s+[^.;\n]{0,60}?(?:condition|syndrome|disorder|disease)|(?:one\s+of|among)\s+(?:only\s+)?(?:two|three|four|five|a\s+handful\s+of)\s+[^.;\n]{0,40}?\s+in\s+the\s+(?:county|state|town|district|tribe|nation|country|region))\b/gi;
/** A relative who owns or runs a named business or the only one: "the father owns Ray's Tire Shop in Hominy". */
const FAMILY_BUSINESS_RE = new RegExp(
  String.raw`\b(?:family|${KIN}|parents?|grandparents?)\s+(?:who\s+|that\s+)?(?:owns|owned|runs|ran|operates|operated|manages|managed)\s+(?:the\s+)?[A-Z][A-Za-z\u00C0-\u024F'’&-]+(?:\s[A-Z][A-Za-z\u00C0-\u024F'’&-]+){0,4}(?:\s(?:shop|store|station|farm|restaurant|diner|bar|garage|salon|ranch|motel|market|cafe|bakery|daycare))?(?:\s+(?:in|on)\s+[A-Z][A-Za-z\u00C0-\u024F'’-]+(?:\s[A-Z][A-Za-z\u00C0-\u024F'’-]+)?)?`,
  'g',
);
/** A relative's named workplace or a child's named team: "the mother works nights at the Tyson plant in Noel", "played for the Muskogee Roughers". */
const WORKS_AT_RE = new RegExp(
  String.raw`\b(?:${KIN_ANY_CASE}(?:\s[A-Z][\p{L}'’-]+){0,3}|[Pp]arents?|[Cc]aregiver|[Ss]tepdad|[Ss]tepmom|she|he|She|He)(?:['’]s\s+(?:job|shift|work|employer)\s+(?:is\s+)?(?:at|for|with)|(?:\s+|\s*\(\s*)(?:also\s+)?(?:works|worked|working|is\s+employed|was\s+employed|employed|drives|drove|cooks|cooked|cleans|cleaned|manages|managed|bartends|waitresses|waits\s+tables|clerks|volunteers)(?:\s+[\w-]+){0,3}?\s+(?:at|for|by)|(?:,|\s+is|\s+was)\s+(?:an?|the)\s+(?!(?:patient|client|customer|visitor|member|guest)\b)(?:[\w-]+\s+){0,2}?[\w-]+\s+(?:at|for|of))\s+${WORKPLACE}`,
  'gu',
);
const PLAYS_FOR_RE = /\b(?:plays|played|playing|pitched|pitches|wrestles|wrestled|swims|swam|cheers|cheered|dances|danced)\s+(?:\w+\s+)?for\s+the\s+[A-Z][A-Za-z\u00C0-\u024F'’-]+(?:\s[A-Z][A-Za-z\u00C0-\u024F'’-]+){0,2}/g;
/** A single child, or a relative, in the sentence: what ties a named place to one family. */
const PERSON_RE =
  /\b(?:ni[ñn][oa]s?|hij[oa]s?|menor|beb[ée]|madre|padre|mam[áa]|pap[áa]|abuel[oa]|t[íi][oa]|family|child|infant|baby|toddler|boy|girl|son|daughter|teen|teenager|youth|student|grader|kindergartner|kid|niece|nephew|grandson|granddaughter|goalkeeper|goalie|catcher|pitcher|quarterback|captain|twins|triplets|siblings|\d{1,2}-(?:year|month|week)-old|\d{1,2}\s+(?:months?|mos?|yrs?|years?)\s+old|\d{1,2}\s+months|she|he|her|his|him|mother|father|mom|dad|aunt|uncle|cousin|grandmother|grandfather|sibling|sister|brother|decedent|victim)\b/i;
/** A sentence about events, programmes or many people, not one family. */
const NOT_ONE_FAMILY_RE =
  /\b(?:will\s+(?:host|hold|be\s+held|offer|present)|hosts?|hosted|held|training|trainings|webinar|conference|summit|fair|meeting|workshop|session|assembly|open\s+house|register|registration|located|partner(?:s|ship|ed)?|grant|funding|all\s+(?:students|children|families|parents|staff)|students|schools|families|parents|(?<!\b(?:noticed|seen|found|reported)\s+by\s+)staff(?![^.;\n]{0,80}\b(?:noticed|found|saw|reported|called|noted|observed|told|said)\b)|every\s+(?:school|family|parent))\b/i;
const HOLIDAY_TEST_RE = /\b(?:Christmas|New\sYear['’]s|Thanksgiving|Halloween|Easter|Independence\sDay|Fourth\sof\sJuly|Valentine['’]s|Mother['’]s\sDay|Father['’]s\sDay|Labor\sDay|Memorial\sDay)\b/;
const TIME_RE = /\b(?:(?:shortly|just|right|sometime)\s+(?:after|before)\s+|around\s+|about\s+|at\s+)?\d{1,2}(?::\d{2})?\s?(?:a\.m\.|p\.m\.|am\b|pm\b|AM\b|PM\b|o['’]clock)|\b(?:at\s+)?[0-2]\d[0-5]\d\s?hours\b|\b(?:(?:shortly|just|right)\s+(?:after|before)\s+|at\s+|around\s+)(?:dawn|dusk|sunrise|sunset|daybreak|first\s+light)\b|\b(?:at\s+)?(?:midnight|noon)\b/g;
const HOLIDAY_RE =
  /\b(?:Christmas(?:\s(?:Eve|Day|morning|night))?|New\sYear['’]s(?:\s(?:Eve|Day))?|Thanksgiving(?:\s(?:Day|night|morning))?|Halloween(?:\snight)?|Easter(?:\s(?:Sunday|morning))?|Independence\sDay|the\sFourth\sof\sJuly|July\s4th|Valentine['’]s\sDay|Mother['’]s\sDay|Father['’]s\sDay|Labor\sDay|Memorial\sDay|(?:last\s)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:\s(?:morning|afternoon|evening|night))?)\b/g;
/** A specific place in the sentence: a named place, or a dwelling or spot. */
const PLACE_RE =
  /\b(?:in|at|near|outside|behind|from|on)\s+(?:the\s+|an?\s+)?(?:(?:[a-z][\w-]*\s){1,3}(?:of|at|behind|outside|in)\s+(?:the\s+)?)?(?:(?:small\s+)?(?:town|village|hamlet|community|settlement|township)\s+of\s+)?(?:[A-Z][A-Za-z\u00C0-\u024F'’-]{1,24}\s){0,4}(?:[A-Z][a-z\u00DF-\u00FF'’-][A-Za-z\u00C0-\u024F'’-]{0,23}(?:,\s(?:pop(?:ulation)?\.?\s[\d,]{2,9}|[A-Z]{2})\b)?|(?:cul-de-sac|farmhouse|trailer|parking\s+lot|apartment|motel|campground|cabin|barn|pond|creek)\b[^.;\n]{0,50})/;
/** What happened to someone: the time-day-place rule needs an incident, not a meeting. */
const INCIDENT_RE =
  /\b(?:found|died|dies|death|dead|call|called|911|responded|fire|crash|shot|shooting|drown\w*|left|discovered|unresponsive|injur\w*|incident|happened|occurred|struck|fell|ingest\w*|overdos\w*|abuse|assault\w*|missing|alone|asleep|sleeping|stopped\s+breathing|pronounced|transported|rescued|pulled|dropped|abandoned|last\s+seen|burned|bitten|choked|hit|runaway|ran\s+away|fled|went\s+missing)\b/i;
const EVENT_TIME_RE = /\b(?:attend|debrief|briefing|from\s+\d{1,2}(?::\d{2})?\s?(?:a\.m\.|p\.m\.|am|pm)?\s+(?:to|until|-|–)|\d{1,2}(?::\d{2})?\s?(?:a\.m\.|p\.m\.|am|pm)\s+(?:to|until|–)\s+\d|event|events|will|scheduled|held|training|webinar|meeting|fair|session|register|open\s+house|deadline|due|effective)\b/i;

function clauseEnd(text: string, from: number, max: number): number {
  const limit = Math.min(text.length, from + max);
  for (let i = from; i < limit; i++) if (text[i] === '.' && /\s|$/.test(text[i + 1] ?? '') && !/\b(?:a\.m|p\.m|pop|St|Dr|Mr|Ms|Mrs)$/.test(text.slice(Math.max(from, i - 4), i))) return i;
  return limit;
}

/** Ends a phrase at the first sentence end, ", and/but/so", or a comma after a noun phrase of the match. */
function trimClause(text: string, start: number, end: number, atComma = false): number {
  const s = text.slice(start, end);
  const cut = (atComma ? /,\s|;|\.\s/ : /,\s(?:and|but|so|which|where|while)\s|;|\.\s/).exec(s);
  let e = cut ? start + cut.index : end;
  while (e > start && /[\s,.;:]/.test(text[e - 1])) e--;
  return Math.min(e, clauseEnd(text, start, e - start + 1));
}

export const quasiIdentifierDetector: DeidDetector = {
  kind: 'quasi_identifier',
  detect(ctx: ScanContext): Candidate[] {
    const text = ctx.text;
    const out: Candidate[] = [];
    const sentence = (at: number): string => {
      const [s, e] = ctx.sentenceSpan(at);
      return text.slice(Math.max(s, at - 300), Math.min(e, at + 300));
    };
    for (const m of matches(ONLY_RE, text)) {
      const end = trimClause(text, m.index, m.index + m[0].length, /^the\s+only\s+[^,]{0,80}\b(?:on|at|in)\s+(?:the\s+)?[A-Z]/.test(m[0]));
      if (/\b(?:only\s+(?:one|1)\s+in|per|percent|%|rate)\b/i.test(m[0])) continue;
      // Round sixteen: a town's only tradesperson or official is a public one unless a person of the case is theirs and nothing speaks to everyone.
      if (OCCUPATION_AFTER_ONLY_RE.test(m[0]) && (NOT_ONE_FAMILY_RE.test(sentence(m.index)) || !PERSON_RE.test(sentence(m.index).replace(m[0], ' ')))) continue;
      // Rare within a population: "born in the county", "enrolled at Riverside Head Start", "on the Eastside Rockets".
      if (!/\b(?:born|in|at|of|on)\s+(?:the\s+)?(?:county|town|village|city|community|school|district|state|tribe|nation|reservation|pueblo|rancheria|area|region|valley|island|parish|class|team|grade|tribal|clinic|hospital|birthing|maternity|ward|daycare|church|neighbou?rhood|block|building|complex|camp|[A-Z][A-Za-z\u00C0-\u024F'’-]+)/u.test(text.slice(m.index, end))) continue;
      out.push(candidate('quasi_identifier', m.index, end, 'A rare combination that singles out one family'));
    }
    for (const m of matches(RELATIVE_RE, text)) {
      if (!DISTINCTION_RE.test(m[0])) continue;
      // "The girl, who was ..., had been": the relative clause ends at its closing comma.
      const aside = /^[^,]{0,40},\s+(?:who|that|whose)\b[^,]*/.exec(m[0]);
      const end = aside ? m.index + aside[0].length : trimClause(text, m.index, m.index + m[0].length);
      out.push(candidate('quasi_identifier', m.index, end, 'A description that singles out one child or family'));
    }
    for (const m of matches(LOCAL_DISTINCTION_RE, text)) out.push(candidate('quasi_identifier', m.index, m.index + m[0].length, 'A local distinction that singles out one child'));
    for (const m of matches(TITLED_CHILD_RE, text)) out.push(candidate('quasi_identifier', m.index, m.index + m[0].length, 'A distinction that singles out one child'));
    for (const m of matches(MEDIA_RE, text)) {
      if (PERSON_RE.test(sentence(m.index))) out.push(candidate('quasi_identifier', m.index, m.index + m[0].length, 'Publicity that points at one family'));
    }
    for (const m of matches(DISTINCTION_VERB_RE, text)) {
      const around = sentence(m.index);
      if (!CHILD_WORD_RE.test(around) || MANY_RE.test(around) || /\b(?:will\s+(?:host|hold)|register|registration|training|webinar|conference)\b/i.test(around)) continue;
      out.push(candidate('quasi_identifier', m.index, trimClause(text, m.index, m.index + m[0].length), 'A distinction or publicity that singles out one child'));
    }
    for (const m of matches(KIN_IS_FIGURE_RE, text)) out.push(candidate('quasi_identifier', m.index, m.index + m[0].length, 'A relative who is a local public figure'));
    for (const m of matches(CHILD_IS_CHAMPION_RE, text)) if (!MANY_RE.test(sentence(m.index))) out.push(candidate('quasi_identifier', m.index, trimClause(text, m.index, m.index + m[0].length), 'A distinction that singles out one child'));
    for (const m of matches(KIN_OF_FIGURE_RE, text)) out.push(candidate('quasi_identifier', m.index, m.index + m[0].length, 'Kin of a local public figure'));
    for (const m of matches(FIGURE_KIN_RE, text)) out.push(candidate('quasi_identifier', m.index, m.index + m[0].length, 'A local public figure who is kin to the child'));
    // A named school, daycare, church, team or home, in a sentence about one child or relative.
    const licensed = facilityLicences(text);
    for (const re of [INSTITUTION_RE, SAINT_PLACE_RE, TEAM_RE, SCHOOL_AT_RE, SPANISH_INSTITUTION_RE]) {
      for (const m of matches(re, text)) {
        // The person must be outside the place's own name ("the Child Abuse Pediatrics team" names no child).
        // (Round twenty-one: a programme's "family center" or "family resource center" names no family.)
        const around = sentence(m.index).replace(m[0], ' ').replace(/\bfamily\s+(?:resource\s+)?(?:center|centre)s?\b/gi, ' ');
        const graderLead = m.groups?.grader !== undefined || (re === SCHOOL_AT_RE && /^(?:grader|kindergartner|preschooler|student|pupil)\b/.test(m[0]));
        if ((!graderLead && !PERSON_RE.test(around)) || NOT_ONE_FAMILY_RE.test(around)) continue;
        // (Round twenty-four: "Todd County School District" is a public body.)
        // (Round twenty-five: "Hunter College School of Social Work" is a university's.)
        // (Round twenty-six: a facility named with its licence number is the subject of a public licensing record.)
        if (licensed.some(([s]) => s >= m.index + m[0].length && s - (m.index + m[0].length) <= 30)) continue;
        if (/^\s+(?:District\b|of\s+(?:Social\s+Work|Public\s+Health|Medicine|Law|Nursing|Education|Pharmacy|Dentistry|Business|Public\s+(?:Policy|Affairs|Service)|Social\s+Welfare)\b)/.test(text.slice(m.index + m[0].length, m.index + m[0].length + 30))) continue;
        const start = m.index + (m.groups?.lead?.length ?? 0);
        out.push(candidate('quasi_identifier', start, m.index + m[0].length, 'A named school, daycare, church, team or home tied to a child'));
      }
    }
    for (const m of matches(WORKS_AT_RE, text)) if (!NOT_ONE_FAMILY_RE.test(sentence(m.index))) out.push(candidate('quasi_identifier', m.index, m.index + m[0].length, "A relative's named workplace"));
    for (const m of matches(PLAYS_FOR_RE, text)) if (PERSON_RE.test(sentence(m.index))) out.push(candidate('quasi_identifier', m.index, m.index + m[0].length, 'The named team of one child'));
    for (const m of matches(RARE_RE, text)) out.push(candidate('quasi_identifier', m.index, m.index + m[0].length, 'A rare combination that singles out one family'));
    for (const m of matches(FAMILY_BUSINESS_RE, text)) out.push(candidate('quasi_identifier', m.index, m.index + m[0].length, 'A named business run by the family'));
    // A small place with its size, and a day, in a sentence about an incident.
    for (const m of matches(SMALL_PLACE_RE, text)) {
      const around = sentence(m.index);
      if (!INCIDENT_RE.test(around) || EVENT_TIME_RE.test(around)) continue;
      if (dayIn(ctx, m.index, around) || PERSON_RE.test(around)) out.push(candidate('quasi_identifier', m.index, m.index + m[0].length, 'A small place named with its size, in a sentence about the incident'));
    }
    for (const m of matches(DWELLING_RE, text)) {
      const around = sentence(m.index);
      if (INCIDENT_RE.test(around) && !EVENT_TIME_RE.test(around) && CHILD_WORD_RE.test(around) && dayIn(ctx, m.index, around)) out.push(candidate('quasi_identifier', m.index, m.index + m[0].length, 'A named home complex with an exact day of the incident'));
    }
    for (const m of matches(SUPERLATIVE_RE, text)) {
      if (!MANY_RE.test(sentence(m.index))) out.push(candidate('quasi_identifier', m.index, trimClause(text, m.index, m.index + m[0].length), 'The first or youngest of a population'));
    }
    for (const m of matches(PLACE_ONLY_RE, text)) {
      const around = sentence(m.index).replace(m[0], ' ');
      if (PERSON_RE.test(around) && !NOT_ONE_FAMILY_RE.test(around)) out.push(candidate('quasi_identifier', m.index, m.index + m[0].length, "A named place's only one of a kind"));
    }
    timeDayPlace(ctx, out);
    return [...out, ...namedIncidents(ctx), ...quasiTies(ctx), ...structuralQuasiIdentifiers(ctx), ...rareTraitQuasiIdentifiers(ctx), ...recentIncidentsAtPlaces(ctx)];
  },
};

/** A calendar day, a holiday or a clock time in the sentence around `at`. */
function dayIn(ctx: ScanContext, at: number, around: string): boolean {
  const [s0, e0] = ctx.sentenceSpan(at);
  const days = findDates(ctx.text.slice(Math.max(s0, at - 200), Math.min(e0, at + 200)));
  return days.some((d) => d.precision === 'day') || HOLIDAY_TEST_RE.test(around) || /\d{1,2}(?::\d{2})?\s?(?:a\.m\.|p\.m\.)/.test(around);
}

/** An exact time, a day (a date, a weekday or a holiday) and a specific place, in one sentence about an incident. */
function timeDayPlace(ctx: ScanContext, out: Candidate[]): void {
  const text = ctx.text;
  const days: Array<[number, number]> = findDates(text)
    .filter((d) => d.precision === 'day')
    .map((d) => [d.start, d.end]);
  for (const m of matches(HOLIDAY_RE, text)) days.push([m.index, m.index + m[0].length]);
  days.sort((a, b) => a[0] - b[0]);
  let d0 = 0;
  for (const m of matches(TIME_RE, text)) {
    const tEnd = m.index + m[0].length;
    while (d0 < days.length && days[d0][1] < m.index - 60) d0++;
    let near: [number, number] | undefined;
    for (let k = d0; k < days.length && days[k][0] <= tEnd + 60; k++) if (ctx.sentOf(days[k][0]) === ctx.sentOf(m.index)) near = near ?? days[k];
    if (!near) continue;
    const from = Math.min(m.index, near[0]);
    const to = Math.max(tEnd, near[1]);
    const [s0, e0] = ctx.sentenceSpan(m.index);
    // Bounded windows: a field that is one endless "sentence" stays linear.
    const ss = Math.max(s0, from - 300);
    const se = Math.min(e0, to + 300);
    const sent = text.slice(ss, se);
    if (EVENT_TIME_RE.test(sent) || !INCIDENT_RE.test(sent)) continue;
    // The place may come before ("in the Bluebird Estates cul-de-sac at 2 a.m.") or after ("... in the town of Waldo").
    const afterText = text.slice(to, Math.min(se, to + 160)).split(';')[0];
    const afterPlace = PLACE_RE.exec(afterText);
    const beforeText = text.slice(Math.max(ss, from - 120), from);
    const beforePlace = PLACE_RE.exec(beforeText);
    if (!afterPlace && !beforePlace) continue;
    let start = from;
    let end = to;
    if (afterPlace && afterPlace.index <= 40) end = to + afterPlace.index + afterPlace[0].length;
    else if (beforePlace) start = from - beforeText.length + beforePlace.index;
    else end = to + afterPlace!.index + afterPlace![0].length;
    while (end > start && /[\s,;.]/.test(text[end - 1]) && !/\b(?:a\.m|p\.m|pop)\.$/.test(text.slice(start, end))) end--;
    out.push(candidate('quasi_identifier', start, end, 'An exact time and day together with a specific place'));
  }
}
