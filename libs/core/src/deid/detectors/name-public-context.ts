/**
 * Round nine: a name found by any name rule is dropped when the words around it say it is not a
 * person of the case, by the structure of the phrase rather than by the name:
 *  - an agent of a public act: "chaired by retired pediatric nurse ...", "ISSUED BY: ...";
 *  - a public title right before it, in lower case, with a rank or honorific between
 *    ("spokesperson Lt. ...", "facilitator Dr. ..."), or a title phrase in apposition before it
 *    ("la coordinadora de capacitación, Sra. ...");
 *  - staff recognised in a notice ("Congratulations to caseworkers ...", "welcome our new ...");
 *  - a thing named after a person: an institution, award, law or programme after it ("... Children's",
 *    "... practice award", "Baby ... law", "...'s Law") or a place noun before it ("Escuela ...",
 *    "staff at ..."); an identifier's field ("... number", "... card"); part of a file name;
 *  - a language in a sentence about languages or a list of them; an online platform.
 * Used by the name detector (scanNames) on every candidate.
 */
import { isGivenName } from '../lexicon/name-lexicon';
import { isEnglishWord } from '../lexicon/dictionary';
import { US_STATE_ABBREVIATIONS, US_STATES } from '../lexicon/places';
import { ScanContext, withoutHyphenatedWords } from '../text-context';

const AGENT_BEFORE_RE =
  /\b(?:chaired|co-chaired|moderated|presented|hosted|facilitated|taught|signed|issued|approved|prepared|written|authored|compiled|submitted|sponsored|founded|funded|narrated|illustrated|endorsed|introduced|announced|convened|coordinated|organi[sz]ed)\s+by\s*:?\s+(?:(?:the|a|an|our)\s+)?(?:(?!(?:his|her|their|my|mother|father|mom|dad|aunt|uncle|grand\w*|brother|sister|cousin|boyfriend|girlfriend|step\w*|neighbou?r|babysitter|caregiver|foster|parents?)\b)[\p{Ll}-]+,?\s+){0,3}(?:(?:Dr|Mr|Mrs|Ms|Mx|Lt|Sgt|Capt|Cpl|Det|Officer|Chief|Judge|Rep|Sen|Gov|Prof|Rev|Sra|Sr|Srta|Lic)\.?\s+)?$/iu;
const HONORIFIC = String.raw`(?:(?:Dr|Mr|Mrs|Ms|Mx|Lt|Sgt|Capt|Cpl|Det|Officer|Chief|Judge|Prof|Rev|Sra|Sr|Srta|Lic|Lcda|Lcdo)\.?\s+)?`;
/** Titles of a public role that never name a person of the case ("officer", "advocate", "deputy" may). */
const TITLE = String.raw`(?:spokesperson|spokesman|spokeswoman|portavoz|vocer[oa]|director|directora|commissioner|comisionad[oa]|superintendent|administrator|coordinator|coordinadora|coordinador|manager|gerente|facilitator|moderator|presenter|speaker|trainer|instructor|educator|epidemiologist|researcher|professor|chair|chairperson|chairman|chairwoman|president|presidenta|secretary|secretaria|ombudsman|ombudsperson|ombuds|kumu|PIO|entrenador|entrenadora|capacitador|capacitadora|instructora|presentador|presentadora|ponente|autora|mayor|alcalde|alcaldesa|governor|gobernador|gobernadora|senator|senadora|representative|legislator|author|keynote|panelist|analyst|statistician|reviewer|auditor)`;
const TITLE_WORDS = new Set(TITLE.slice(3, -1).split('|').filter((w) => /^[\p{L}]+$/u.test(w)).concat(['vocero', 'vocera', 'comisionado', 'comisionada']));
/** Round twenty: officers whose title says they speak for the agency ("Community Resource Officer ...", "State Medical Officer Dr. ..."). */
const PUBLIC_OFFICER = String.raw`(?:public\s+(?:information|affairs)|community\s+(?:resource|relations|outreach|liaison)|school\s+resource|crime\s+prevention|(?:state|county|chief|public\s+health)\s+(?:medical|health)|(?:regional|state|county|agency)\s+safety)\s+officer`;
const TITLE_BEFORE_RE = new RegExp(String.raw`\b(?:${TITLE}s?|${PUBLIC_OFFICER})\s*:?\s+${HONORIFIC}$`, 'iu');
/** "la coordinadora de capacitación, Sra. ", "the program's director, Dr. ". */
const TITLE_APPOSITION_RE = new RegExp(String.raw`\b${TITLE}(?:\s+[\p{L}'’-]+){0,4},\s+${HONORIFIC}$`, 'iu');
const RECOGNITION_RE = /\b(?:(?:congratulations|congrats|kudos|props|felicidades|felicitaciones|gracias|thanks|thank\s+you|shout[\s-]?outs?)\s+(?:to|a)|(?:welcome|welcomes|welcoming|bienvenid[ao]s?)\s+(?:to\s+)?(?:our|the|a|its)\s+new|farewell\s+to)\s+[^.;:!?]{0,80}$/iu;
const RECOGNITION_CHEAP_RE = /congrat|kudos|props|felicid|felicit|gracias|thank|shout|welcom|bienvenid|farewell/i;
const RECIPIENTS_AFTER_RE = /^[^.;\n]{0,60}\b(?:recipients?|winners?|honou?rees?)\s+of\s+(?:the|this|our)\b/i;
/** Something named after a person, after the name. */
const THING_AFTER_RE =
  /^['’]s?\s+['"‘“][\p{Lu}]|^\s+(?:and|&)\s+[\p{Lu}][\p{L}'’-]+(?:\s[\p{Lu}][\p{L}'’-]+)?['’]s?\s+['"‘“][\p{Lu}]|^(?:['’]s)?\s+(?:(?:[A-Z][\p{L}'’.-]*|of|de|&)\s+){0,3}(?:Hospital|Children['’]s|Medical|Memorial|Foundation|Fund|Trust|Institute|Elementary|Middle|High\s+School|School|Academy|Preschool|Daycare|Nursery|Montessori|Kindergarten|Center|Centre|Library|Park|Award|Awards|Prize|Fellowship|Scholarship|Law|Act|Bridge|Stadium|University|College|Clinic|Club|Society|League|Lodge|Courthouse|Building|Hall|Pavilion|Complex|Line|Hotline|Lecture|Rule|Amendment|Program|Initiative|Method|Model|Scale|Syndrome|Conference|Council|Corporation|Association|Coalition|Alliance|Commission|Authority|Kids|Opportunities|Church|Chapel|Temple|Mosque|Synagogue|Ministries)\b|^\s+of\s+America\b|^\s+(?:room|ballroom|auditorium|wing)\b|^\s+(?:and\s+colleagues|et\s+al\.?)(?![\p{L}])|^(?:['’]s)?\s+(?:[a-z]+\s+)?(?:award|awards|prize|scholarship|fellowship|law(?!\s+enforcement)|act|lecture|grant|syndrome|method|scale|safe[\s-]haven|signage|products|samples|cosmetics|waivers?)\b|^\s+(?:number|numbers|field|card|form|administration|benefits)\b|^[_.][A-Za-z0-9]/u;
/**
 * Round twenty-five: an institution named after a person or a place, with its service before the noun ("The
 * Sutter Davis lactation clinic"), not a visit to it; an organisation's main office ("Kids Central's main office").
 */
const INSTITUTION_AFTER_RE = /^\s+(?:[a-z]+\s+)?(?:clinic|hospital|pharmacy)\b(?!\s+(?:visit|visits|appointment|appt|note|notes|record|records|chart|follow|stay|admission|bill))/;
/** Round twenty-eight: a place named with a person's possessive before its service ("Christopher's Corner respite center"). */
const NAMED_SERVICE_AFTER_RE = /^['’]s\s+[A-Z][\w'’-]+\s+(?:[a-z]+\s+)?(?:center|centre|program|programme|clinic|pantry|closet|shelter|cafe|camp)\b/;
const MAIN_OFFICE_AFTER_RE = /^['’]s\s+(?:main|central|regional|administrative|state|district|field)\s+(?:office|offices|headquarters)\b/;
/** A place or institution noun right before: "Escuela ...", "Hospital ...", "staff at ...". */
const THING_BEFORE_RE =
  /(?:\b(?:Escuela|Colegio|Hospital|Fundaci[óo]n|Centro|Biblioteca|Parque|Universidad|Instituto|Academia|Liceo|Residencial|Urbanizaci[óo]n|Barrio|Plaza|Puente|Estadio|Cl[íi]nica|Museo|Teatro|Aeropuerto)\s+(?:(?:de|del|la|el)\s+)?|\b(?:staff|nurses|doctors|physicians|clinicians|employees|teachers|patients|volunteers|residents|physicians)\s+(?:at|from)\s+)$/iu;
const THING_BEFORE_WORDS = new Set(
  `escuela colegio hospital fundación fundacion centro biblioteca parque universidad instituto academia liceo residencial urbanización urbanizacion
   barrio plaza puente estadio clínica clinica museo teatro aeropuerto at from`.split(/\s+/),
);
const LANGUAGES = new Set(
  `karen dari pashto farsi persian somali oromo hmong amharic tigrinya swahili kirundi kinyarwanda nepali burmese chin marshallese chuukese
   tagalog ilocano creole haitian urdu punjabi hindi bengali tamil telugu gujarati arabic russian ukrainian vietnamese khmer lao thai korean
   japanese mandarin cantonese chinese portuguese polish romanian french spanish english navajo lakota yupik cherokee ojibwe mam nahuatl
   mixteco zapoteco triqui bosnian albanian turkish kurdish uzbek tongan samoan german italian greek hebrew yiddish sign asl`.split(/\s+/),
);
const LANGUAGE_CUE_RE = /\b(?:languages?|interpret\w*|translat\w*|speak\w*|spoken|bilingual|idiomas?|int[ée]rpretes?|traducci[óo]n)\b/i;
const PLATFORMS = new Set(
  `tiktok instagram snapchat facebook youtube discord whatsapp roblox twitch telegram kik reddit pinterest threads venmo cashapp zelle tinder
   bumble grindr minecraft fortnite omegle bereal linkedin messenger twitter`.split(/\s+/),
);

/**
 * A list of places (round eleven): "traveling to Eugene, Marion, Florence and Alexandria", "planned
 * for Wanblee, Kyle, Porcupine and Manderson", "the area around Pine Ridge and Kyle". Members are
 * one or two capitalised words; the list is led by a place word ("around", "across", "throughout",
 * "near") or by "to" after a journey; or it has three or more members, one of them no given name.
 */
const LIST_MEMBER = String.raw`[\p{Lu}][\p{Ll}'’-]+(?:\s[\p{Lu}][\p{Ll}'’-]+)?`;
const PLACE_LIST_RE = new RegExp(String.raw`(?<lead>\b[\p{L}]+\s+)?(?<list>${LIST_MEMBER}(?:,\s${LIST_MEMBER}){0,8},?\s(?:and|or|y)\s${LIST_MEMBER})`, 'gu');
const PLACE_LEAD_RE = /^(?:around|across|throughout|near|between)\s+$/i;
/** Round eighteen: "stops in the western districts, including Ali Chuk and Gu Vo": places named after a plural place noun. */
const EXAMPLE_LEAD_RE = /^(?:including|like|namely)\s+$/i;
const PLACES_NOUN_RE = /\b(?:districts|villages|communities|towns|cities|counties|chapters|pueblos|islands|sites|stops|locations|reservations|neighbou?rhoods|boroughs|parishes|regions|areas|hubs|offices)\b/i;
const JOURNEY_RE = /\b(?:travel\w*|driv\w*|trips?|visit\w*|head\w*|fly|flying|flights?|relocat\w*|moving|commut\w*|outreach|tour\w*)\b/i;
const PLACE_LIST_CHEAP_RE = /,|\band\b|\bor\b/;

const SIGN_OFF_BEFORE_RE =
  /(?:^|[\n.!?]\s{0,3})(?:sincerely|regards|best\s+regards|kind\s+regards|warm\s+regards|respectfully|cheers|atentamente|saludos|cordialmente|cordialement|trân\s+trọng|kính\s+thư|mahalo|miigwech|pilamaya|mahsi|ahéhee['’]?)\s{0,2}[,.!—-]?\s{0,3}\n?\s{0,3}(?:\p{Lu}[\p{L}'’-]*\s)?$/iu;
const PLACE_LEAD_WORDS = new Set(['san', 'santa', 'santo', 'são', 'sao', 'st', 'ste', 'saint', 'sainte', 'fort', 'ft', 'port', 'mount', 'mt', 'lake']);
const TITLED_LIST_BEFORE_RE = new RegExp(
  String.raw`\b${TITLE}s\s+(?:\p{Lu}[\p{L}'’.-]*\s){1,3}?\p{Lu}[\p{L}'’-]*\s?(?:\([^)]{1,30}\))?\s?(?:,|and|&|y)\s+${HONORIFIC}$`,
  'iu',
);
/** A state's code after a city; MD and PA are also a doctor's and an assistant's letters, so they need the ZIP code. */
const CITY_STATE_AFTER_RE = new RegExp(String.raw`^,\s{0,2}(?:${US_STATE_ABBREVIATIONS.filter((s) => s !== 'MD' && s !== 'PA').join('|')})(?=$|[.,;:)\n]|\s{1,2}\d{5})`);
const CITY_STATE_ZIP_AFTER_RE = /^,\s{0,2}[A-Z]{2}\s{1,2}\d{5}(?:-\d{4})?\b/;
/**
 * Round twenty: a city before a state's full name closing a line or a sentence ("Pierre, South Dakota");
 * not the states that are also given names ("Maria, Georgia." may list two girls).
 */
const CITY_STATE_NAME_AFTER_RE = new RegExp(
  String.raw`^,\s{0,2}(?:${US_STATES.filter((s) => !['Georgia', 'Virginia', 'Montana', 'Indiana'].includes(s)).join('|')})(?=\s*(?:$|\n|[.;)](?:\s|$)))`,
);
/** A police or sheriff's rank, before the name or as its first word ("Cpl. Harold Pike", "Trooper Dana Ruiz"). */
const RANK = String.raw`(?:Officer|Sgt|Sergeant|Cpl|Corporal|Dep|Deputy|Lt|Lieutenant|Capt|Captain|Det|Detective|Trooper|Chief|Ofc|Tpr)\.?\s`;
const RANK_BEFORE_RE = new RegExp(String.raw`\b${RANK}$`);
const RANK_LEAD_RE = new RegExp(String.raw`^${RANK}`);
/** An officer at a case, not in a public role: the person, the place or the act of a response. */
const AT_A_CASE_RE = /\b(?:boy|girl|infant|baby|toddler|son|daughter|victim|suspect|home|house|apartment|residence|scene|found|responded|arrest\w*|removed|custody|interview\w*|report(?:ed)?|investigat\w*)\b/i;
/** Round twenty-nine: ", the district's school resource liaison," after a ranked name. */
const ROLE_APPOSITION_AFTER_RE = /^,\s+(?:the|our)\s+(?:[\w'’-]+\s+){0,4}(?:liaison|instructor|coordinator|trainer|educator|specialist|spokesperson|director)\b/i;
/** Round twenty-nine: a name after its role for a region ("the ... recruiter for our region is Tasha Greene"). */
const REGION_ROLE_BEFORE_RE = /\b(?:recruiters?|coordinators?|liaisons?|trainers?|specialists?|navigators?|contacts?|supervisors?|directors?|managers?)\s+(?:for|in|of)\s+(?:our|the|this)\s+(?:region|area|county|district|state|unit|office|team|program)\s+(?:is|are)\s+$/i;
/** ", badge 4471,", " (#3341)", " (badge 1188)". */
const BADGE_AFTER_RE = /^,?\s*\(?\s*(?:badge|#)\s*(?:no\.?\s*|#\s*)?\d{2,6}\s*\)?/i;
const TEAM_AFTER_RE = /^['’]?\s+(?:(?:home|away|varsity|JV|junior\s+varsity|season|playoff|league)\s+)?(?:games?|season|schedule|roster|tournament|practices?|matches|meets?)\b/;
const STATE_POSSESSIVE_RE = new RegExp(String.raw`^(?:${US_STATES.filter((s) => !['Georgia', 'Virginia', 'Montana', 'Indiana', 'Carolina', 'Dakota'].includes(s)).join('|')})['’]s\b`);
/** Round twenty: a schedule's venues in parentheses, beside a session held online ("Safe Sleep (virtual); Firearms and Kids (Casper)"). */
const ONLINE_VENUE_RE = /\((?:virtual|online|zoom|teams|webinar|in[-\s]person|hybrid|remote)\)/i;
/** A table column or a list's lead-in line of staff: "| Trainer |", "Presenters:". */
const STAFF_HEADER_RE = new RegExp(String.raw`\b(?:${TITLE}s?|presenters?|speakers?|trainers?|instructors?|facilitators?|staff|contacts?|reviewers?|authors?|panelists?|faculty|attendees|signatories|officials?)\b`, 'i');
const CASE_PERSON_RE = /\b(?:aunt|uncle|grand\w*|mother|father|mom|dad|parents?|caregiver|kin|kinship|foster|sister|brother|cousin|relative|guardian|child|youth|boyfriend|girlfriend|step\w+|tía|tío|abuel[oa]|madre|padre)\b/i;
/** Minutes: "Present: ...", "Attendees: ...". */
const ATTENDANCE_RE = /^[\s*_#>-]*(?:present|attendees|attending|in\s+attendance|absent|regrets|guests|invited|members\s+present)\s*[*_]{0,2}\s*:/i;

/** The verdicts of a field, by span (the name rules may ask about the same run more than once). */
const VERDICTS = new WeakMap<ScanContext, Map<number, boolean>>();

export function publicContextOfName(ctx: ScanContext, start: number, end: number): boolean {
  let verdicts = VERDICTS.get(ctx);
  if (!verdicts) VERDICTS.set(ctx, (verdicts = new Map()));
  const key = start * 4194304 + end;
  let verdict = verdicts.get(key);
  if (verdict === undefined) verdicts.set(key, (verdict = judge(ctx, start, end)));
  return verdict;
}

/** A rank or public title the name rules kept inside the span ("Officer Dana Whitecloud", "Ombuds Katherine Ruiz"). */
const LEADING_TITLE_RE = new RegExp(String.raw`^(?:${TITLE}|Officer|Chief|Dr|Lt|Sgt|Capt|Det)\.?\s+(?=[\p{Lu}])`, 'iu');
/**
 * Round fourteen: staff named for an event of the agency's, with their organisation after the name and no
 * person of a case in the sentence ("Marcus Bell from the Fire Marshal's office is doing his smoke alarm
 * demo at our huddle", "dietitian Kimberly Osei from the WIC program will explain ... at the lunch-and-learn").
 */
const AFFILIATION_AFTER_RE = /^,?\s+(?:from|of|at|with)\s+(?:the\s+|our\s+)?(?:[\p{Lu}][\p{L}'’.-]*|(?:county|state|city|tribal|local|regional)\s+\p{L}+)/u;
const STAFF_EVENT_RE =
  /\b(?:class|classes|training|trainings|webinar|workshop|demo|demonstration|presentation|talk|session|huddle|lunch[\s-]*(?:and|&)[\s-]*learn|brown[\s-]bag|in-service|seminar|conference|clinic|fair|event|meeting|panel|keynote|course|outreach|forum|roundtable|town\s+hall|open\s+house|orientation|assembly|expo|teach\w*|present\w*|speak\w*|lead\w*|host\w*)\b/i;
/**
 * Round eighteen: an organisation that is public by its kind, after a comma ("Det. Sgt. Omar Haddad,
 * Tulsa PD Special Investigations", "Dana Cole, Bethel Fire Department"), for staff at an event.
 */
const ORGANISATION_AFTER_RE =
  /^,\s+(?:[\p{Lu}][\p{L}'’.&-]*\s+){1,4}(?:PD|Police|Sheriff['’]s|Sheriff|Fire|EMS|Department|Dept\.?|Division|Office|Bureau|Agency|Hospital|Health|Clinic|College|University|Schools?|District|Court|Services)\b/u;
/**
 * Round eighteen: a unit of the agency right after a name ("Marcus from IT says ...", "Jolene from the
 * training unit!"): a colleague speaking, whatever the sentence is about.
 */
const OWN_UNIT_AFTER_RE =
  /^,?\s+(?:from|in|with)\s+(?:the\s+|our\s+)?(?:IT|HR|payroll|legal|finance|comms|communications|facilities|QA|quality\s+assurance|help\s?desk|(?:[\p{Ll}-]+\s+){0,2}(?:unit|team|office|desk|division|section|department)\b)(?![\p{L}])/u;
/**
 * Round eighteen: a public role in a relative clause after the name ("Nurse Rosa Many Horses, who teaches
 * the Pine Ridge IHS safe-sleep class"); a surname the name rules left out may stand between.
 */
const ROLE_CLAUSE_AFTER_RE =
  /^(?:\s[\p{Lu}][\p{L}'’-]+){0,2},\s+who\s+(?:teach|lead|run|direct|coordinat|chair|host|train|manag|oversee|supervis|present|facilitat|founded|co-founded|organi[sz])\w*/u;

/** Programme names that hold a person word ("child protection line"). */
const PROGRAMME_NAME_RE = /\b(?:child|family|foster|kinship)\s+(?:passenger\s+safety|protection|welfare|safety|care|abuse|services|advocacy|fatality|death\s+review)\b/gi;

function judge(ctx: ScanContext, start: number, end: number): boolean {
  const title = LEADING_TITLE_RE.exec(ctx.text.slice(start, end));
  if (title && end - start - title[0].length >= 3 && judge(ctx, start + title[0].length, end)) return true;
  const text = ctx.text;
  const name = text.slice(start, end);
  const words = name.toLowerCase().split(/[\s,]+/).filter(Boolean);
  const [sentStart, sentEnd] = ctx.sentenceSpan(start);
  const before = text.slice(Math.max(sentStart, start - 120), start);
  const after = text.slice(end, Math.min(text.length, end + 80));
  // A rank or an honorific ends in a dot that may read as a sentence's end: these look at the raw text before.
  // (Cheap word tests first: most names have none of these words before them.)
  const near = text.slice(Math.max(0, start - 80), start).split('\n').pop() ?? '';
  const nearWords = near.toLowerCase().split(/[\s.,;:()'"“”’!?]+/).slice(-9);
  if (nearWords.includes('by') && AGENT_BEFORE_RE.test(near)) return true;
  if (nearWords.some((w) => TITLE_WORDS.has(w) || TITLE_WORDS.has(w.replace(/s$/, '')) || w === 'officer') && (TITLE_BEFORE_RE.test(near.slice(-40)) || TITLE_APPOSITION_RE.test(near.slice(-70)))) return true;
  // Round sixteen: the writer's name after a sign-off ("Trân trọng, Trần Minh Quân", "Respectfully,\nDana Cole").
  if (SIGN_OFF_BEFORE_RE.test(text.slice(Math.max(0, start - 40), start))) return true;
  // A list of people present or thanked may hold a relative of the case: "Aunt Bernadette (kin caregiver)".
  const kin = CASE_PERSON_RE.test(name) || CASE_PERSON_RE.test(/^\s?\(([^)]{0,40})\)/.exec(after)?.[1] ?? '');
  if (!kin && ((RECOGNITION_CHEAP_RE.test(before) && RECOGNITION_RE.test(before)) || RECIPIENTS_AFTER_RE.test(after) || (start - sentStart <= 300 && ATTENDANCE_RE.test(text.slice(sentStart, start))))) return true;
  if (!kin && (AFFILIATION_AFTER_RE.test(after) || ORGANISATION_AFTER_RE.test(after) || ROLE_CLAUSE_AFTER_RE.test(after))) {
    const sentence = text.slice(sentStart, sentEnd);
    // Hyphenated words ("step-by-step") and programme names ("child protection line") name no person of a case.
    if (STAFF_EVENT_RE.test(sentence) && !CASE_PERSON_RE.test(withoutHyphenatedWords(sentence).replace(PROGRAMME_NAME_RE, ' '))) return true;
  }
  if (!kin && OWN_UNIT_AFTER_RE.test(after) && !CASE_PERSON_RE.test(text.slice(sentStart, sentEnd))) return true;
  const placed = ctx.placementOf(start);
  if (!kin && placed !== undefined && STAFF_HEADER_RE.test(placed.header)) return true;
  if ((INSTITUTION_AFTER_RE.test(after) && !CASE_PERSON_RE.test(text.slice(sentStart, sentEnd))) || MAIN_OFFICE_AFTER_RE.test(after) || NAMED_SERVICE_AFTER_RE.test(after)) return true;
  // Round twenty-seven: an officer with a rank and a badge number, in a sentence about no person of a case.
  if ((title || RANK_BEFORE_RE.test(text.slice(Math.max(0, start - 14), start)) || RANK_LEAD_RE.test(name)) && (BADGE_AFTER_RE.test(after) || ROLE_APPOSITION_AFTER_RE.test(after))) {
    const sentence = withoutHyphenatedWords(text.slice(sentStart, sentEnd)).replace(PROGRAMME_NAME_RE, ' ');
    if (!CASE_PERSON_RE.test(sentence) && !AT_A_CASE_RE.test(sentence)) return true;
  }
  if (!kin && REGION_ROLE_BEFORE_RE.test(before)) return true;
  // Round twenty-six: a team named by a plural ("The Roosevelt Rough Riders' home games"), not "Riley's game".
  if (words.length >= 2 && TEAM_AFTER_RE.test(after) && /s$/.test(words[words.length - 1]) && isEnglishWord(words[words.length - 1].replace(/s$/, ''))) return true;
  // Round twenty-five: a state's own law or agency ("Nevada's NRS"), not the states that are also given names.
  if (STATE_POSSESSIVE_RE.test(name)) return true;
  if (THING_AFTER_RE.test(after) || (before.slice(-40).toLowerCase().split(/\s+/).slice(-4).some((w) => THING_BEFORE_WORDS.has(w)) && THING_BEFORE_RE.test(before.slice(-40)))) return true;
  if (words.every((w) => PLATFORMS.has(w))) return true;
  // Round twenty-one: a neighbourhood named "Little …" after a place's preposition ("in Little Saigon"); "Little Kimimela, 3," is a child.
  if (words.length === 1 && /\b(?:in|of|from|to|at|near|around|across|throughout)\s+Little\s$/.test(text.slice(Math.max(0, start - 20), start)) && !isGivenName(words[0], ctx.nlp)) return true;
  // Round fifteen: a saint's or a fort's name is a place's ("San Jose (Tue), Santa Fe (Wed)", "Fort Wayne", "St. George").
  if (words.length >= 2 && PLACE_LEAD_WORDS.has(words[0].replace(/\.$/, '')) && !CASE_PERSON_RE.test(text.slice(sentStart, sentEnd))) return true;
  // Trainers named in a list after a plural title ("Instructors Peter Kiokun (Bethel) and Amy Sundberg (Anchorage)").
  if (TITLED_LIST_BEFORE_RE.test(near.slice(-120))) return true;
  // Round fourteen: a city before a state's code ("Helena, MT 59604", "to Eugene, OR.").
  if (words.length <= 2 && (CITY_STATE_AFTER_RE.test(after) || CITY_STATE_ZIP_AFTER_RE.test(after) || CITY_STATE_NAME_AFTER_RE.test(after))) return true;
  if (!kin && text[start - 1] === '(' && text[end] === ')' && ONLINE_VENUE_RE.test(text.slice(sentStart, sentEnd))) return true;
  if (!kin && words.length <= 2 && PLACE_LIST_CHEAP_RE.test(text.slice(Math.max(sentStart, start - 80), Math.min(sentEnd, end + 80))) && inPlaceList(ctx, start, end, sentStart, sentEnd)) return true;
  if (words.length === 1 && LANGUAGES.has(words[0])) {
    const sentence = text.slice(Math.max(sentStart, start - 200), Math.min(sentEnd, end + 200));
    if (LANGUAGE_CUE_RE.test(sentence)) return true;
    const neighbours = sentence.split(/\s*(?:,|;|\band\b|\bor\b|\by\b|&)\s*/).map((w) => w.trim().toLowerCase());
    if (neighbours.filter((w) => LANGUAGES.has(w)).length >= 2) return true;
  }
  return false;
}

function inPlaceList(ctx: ScanContext, start: number, end: number, sentStart: number, sentEnd: number): boolean {
  // A window of the sentence around the name, so that a long run of names stays linear.
  const from = Math.max(sentStart, start - 160);
  const sentence = ctx.text.slice(from, Math.min(sentEnd, end + 160));
  for (const m of sentence.matchAll(PLACE_LIST_RE)) {
    const listStart = from + m.index! + (m.groups?.lead ?? '').length;
    if (start < listStart || end > listStart + m.groups!.list.length) continue;
    if (CASE_PERSON_RE.test(sentence)) return false;
    const lead = m.groups?.lead ?? '';
    const members = m.groups!.list.split(/,\s|,?\s(?:and|or|y)\s/);
    if (PLACE_LEAD_RE.test(lead)) return true;
    if (EXAMPLE_LEAD_RE.test(lead) && PLACES_NOUN_RE.test(sentence.slice(0, m.index))) return true;
    if (/^to\s+$/i.test(lead) && JOURNEY_RE.test(sentence.slice(0, m.index))) return true;
    return members.length >= 3 && members.some((w) => !/\s/.test(w) && !isGivenName(w.toLowerCase(), ctx.nlp));
  }
  return false;
}

/** Is any occurrence of the same words in the field in such a context ("the Baby Moses law ... the Baby Moses fact sheet")? */
export function publicElsewhere(ctx: ScanContext, start: number, end: number, cache: Map<string, boolean>): boolean {
  const name = ctx.text.slice(start, end);
  if (name.length < 3) return false;
  const known = cache.get(name);
  if (known !== undefined) return known;
  let found = false;
  let seen = 0;
  for (let at = ctx.text.indexOf(name); at >= 0 && seen < 12 && !found; at = ctx.text.indexOf(name, at + 1), seen++) {
    if (at !== start) found = publicContextOfName(ctx, at, at + name.length);
  }
  cache.set(name, found);
  return found;
}
