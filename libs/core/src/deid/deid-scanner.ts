/**
 * De-identification guard for safety notices: finds text that could identify a child, a family
 * or a case (names, birth dates, exact incident dates, SSNs, phone numbers, personal email
 * addresses, street addresses, case/person IDs, Medicaid IDs, tribal enrollment numbers).
 *
 * Pure, deterministic, no I/O. Every regular expression is either anchored on a distinctive
 * keyword or built from bounded quantifiers over disjoint character classes, and every context
 * window is capped, so the scan is linear in the input (a 50,000-character body takes a few
 * milliseconds once warm). Heuristic by nature: see evaluate.ts for how it is measured and the corpus
 * conventions in test/fixtures/deid/corpus.json.
 */
import {
  CALENDAR_WORDS,
  COMMON_WORDS,
  CONSUMER_MAIL_DOMAINS,
  GROUP_WORDS,
  NAME_TITLES,
  ORG_SUFFIX_WORDS,
  PLACE_WORDS,
  ROLE_MAILBOX_WORDS,
  STAFF_TITLES,
  STRONG_FIRST_NAMES,
  WEAK_FIRST_NAMES,
} from './deid-lexicon';

export const DEID_KINDS = [
  'personal_name',
  'date_of_birth',
  'exact_age_date',
  'ssn',
  'phone',
  'email',
  'street_address',
  'case_number',
  'medicaid_id',
  'tribal_enrollment',
] as const;

export type DeidKind = (typeof DEID_KINDS)[number];

export interface DeidFinding {
  /** The field the span is in ("body", "requiredActions[0]", ...). */
  field: string;
  /** Offsets into that field's string (UTF-16 code units, end exclusive). */
  start: number;
  end: number;
  text: string;
  kind: DeidKind;
  /** Why the scanner flagged it, for the author. */
  reason: string;
}

export interface DeidNoticeText {
  title: string;
  summary: string;
  body: string;
  requiredActions: string[];
}

/** Scans a notice's text fields: title, summary, body, requiredActions[0], requiredActions[1], ... */
export function scanNotice(notice: DeidNoticeText): DeidFinding[] {
  const fields: Record<string, string> = {
    title: notice.title ?? '',
    summary: notice.summary ?? '',
    body: notice.body ?? '',
  };
  (notice.requiredActions ?? []).forEach((action, i) => {
    fields[`requiredActions[${i}]`] = action ?? '';
  });
  return scanForIdentifyingData(fields);
}

/** Scans each field and returns the findings in field order, then by position. */
export function scanForIdentifyingData(fields: Record<string, string>): DeidFinding[] {
  const names = Object.keys(fields);
  const scans = names.map((field) => new FieldScan(field, typeof fields[field] === 'string' ? fields[field] : ''));
  for (const s of scans) s.detectAll();
  // A name found with good evidence anywhere in the notice is looked for everywhere.
  const known = new Map<string, string>();
  for (const s of scans) for (const [lw, shown] of s.nameWords) if (!known.has(lw)) known.set(lw, shown);
  if (known.size) for (const s of scans) s.propagateNames(known);
  const out: DeidFinding[] = [];
  for (const s of scans) out.push(...s.result());
  return out;
}

// ---------------------------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------------------------

const PRIORITY: Record<DeidKind, number> = {
  ssn: 10,
  medicaid_id: 9,
  tribal_enrollment: 9,
  case_number: 8,
  date_of_birth: 7,
  email: 7,
  exact_age_date: 6,
  phone: 5,
  street_address: 5,
  personal_name: 3,
};

interface Candidate {
  start: number;
  end: number;
  kind: DeidKind;
  reason: string;
  /** Among equal kinds, the stronger reason is kept when spans merge. */
  strength: number;
}

interface Tok {
  s: number;
  /** End of the word without a possessive 's. */
  e: number;
  /** End including a possessive 's. */
  eRaw: number;
  w: string;
  lw: string;
  cap: boolean;
  allCaps: boolean;
  poss: boolean;
  sent: number;
  sentStart: boolean;
  titleLine: boolean;
  /** Cached: could be part of a name. */
  shaped?: boolean;
}

const TOKEN_RE = /\p{L}[\p{L}\p{M}]*(?:['’-]\p{L}[\p{L}\p{M}]*)*/gu;

const ASCII_WORD_RE = /^[A-Za-z-]*$/;

function fold(w: string): string {
  if (ASCII_WORD_RE.test(w)) return w.toLowerCase();
  return w.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/['’]/g, '');
}

function isAllCaps(w: string): boolean {
  let letters = 0;
  for (let k = 0; k < w.length; k++) {
    const c = w[k];
    if (c === '-' || c === "'" || c === '’') continue;
    if (c !== c.toUpperCase()) return false;
    if (c !== c.toLowerCase()) letters++;
  }
  return letters >= 2;
}

type RoleCat = 'child' | 'family' | 'household' | 'caregiver' | 'professional' | 'age';

const ROLE_WORDS = new Map<string, RoleCat>();
const addRoles = (cat: RoleCat, list: string): void => {
  for (const w of list.trim().split(/\s+/)) ROLE_WORDS.set(w, cat);
};
addRoles(
  'child',
  `infant infants baby babies newborn child children toddler toddlers boy boys girl girls son sons daughter
   daughters youth teen teenager adolescent minor twin twins decedent victim kid kids preschooler student
   niece nephew grandchild grandson granddaughter stepson stepdaughter sibling siblings brother brothers
   sister sisters half-sibling half-brother half-sister cousin cousins little`,
);
addRoles(
  'family',
  `mother mothers mom mommy mum father fathers dad daddy parent parents stepfather stepmother stepdad stepmom
   step-father step-mother grandmother grandfather grandma grandpa granny nana grandparent grandparents aunt
   auntie uncle husband wife relative relatives godmother godfather fiance fiancee`,
);
addRoles('household', `boyfriend girlfriend partner paramour roommate neighbor neighbour friend adult`);
addRoles('caregiver', `caregiver caregivers caretaker babysitter sitter nanny guardian custodian provider`);
addRoles(
  'professional',
  `caseworker worker investigator nurse officer deputy detective teacher coach driver therapist counselor
   physician pediatrician doctor reporter caller screener`,
);

const ROLE_DESC: Record<RoleCat, string> = {
  child: "a child's name",
  family: "a parent's or relative's name",
  household: "a household member's name",
  caregiver: "a caregiver's name",
  professional: 'the name of someone involved in the case',
  age: "a child's name",
};

const AGE_NOUN_RE = /^(?:[a-z]+-)?(?:day|week|month|year)s?-old$/;
const NAMING_WORDS = new Set(['named', 'called', 'nicknamed', 'aka']);
const POSS_ADJ = new Set(`older younger little baby big maternal paternal biological birth foster step twin infant newborn teenage adult eldest oldest youngest`.split(' '));
const POSS_REL = new Set(
  `mother father mom dad parents parent stepfather stepmother stepdad stepmom grandmother grandfather grandma
   grandpa grandparents aunt uncle cousin brother sister sibling siblings boyfriend girlfriend babysitter
   caregiver nanny twin son daughter baby infant crib bed bassinet death injuries injury body bedroom room home
   house school daycare teacher case file record placement`
    .trim()
    .split(/\s+/),
);
const FAMILY_NOUNS = new Set(`family familys household home residence children kids twins boys girls siblings`.split(' '));
const PLACE_PREFIX = new Set(`st saint san santa fort ft mount mt lake port camp glen new el los las`.split(' '));
const CONTACT_CUES = new Set(
  `contact contacts questions question email e-mail reach approved signed prepared issued authored presenter presented speaker keynote sincerely regards from thanks thank acknowledge reviewed`.split(
    ' ',
  ),
);
const STAFF_BEFORE = new Set([...STAFF_TITLES].filter((w) => !['officer', 'deputy', 'program', 'lead'].includes(w)));
const SUFFIX_WORDS = new Set(['jr', 'sr', 'ii', 'iii', 'iv']);
const ABBREVIATED_TITLES = new Set(['mr', 'mrs', 'ms', 'mx', 'dr', 'sgt', 'det']);
const SMALL_WORDS = new Set(`a an the and or of to in on at for by with from as vs nor but per via into over`.split(' '));
const ABBREV = new Set(
  `mr mrs ms dr st jr sr sgt det no nos apt ave blvd rd ln ct jan feb mar apr jun jul aug sep sept oct nov dec vs etc am pm ft mt inc co corp dept est approx fig e g i u s`.split(
    ' ',
  ),
);

function roleOf(lw: string): RoleCat | undefined {
  const direct = ROLE_WORDS.get(lw);
  if (direct) return direct;
  if (AGE_NOUN_RE.test(lw)) return 'age';
  const dash = lw.lastIndexOf('-');
  return dash > 0 ? ROLE_WORDS.get(lw.slice(dash + 1)) : undefined;
}

/** O'Brien, D'Andre, D'Angelo: a capital, an apostrophe, a capitalised rest. */
const APOSTROPHE_NAME_RE = /^[A-Z]['’][A-Z]\p{Ll}{2,}$/u;

function isLexName(lw: string): boolean {
  return STRONG_FIRST_NAMES.has(lw) || WEAK_FIRST_NAMES.has(lw);
}
function isStrongName(lw: string): boolean {
  return STRONG_FIRST_NAMES.has(lw) && !WEAK_FIRST_NAMES.has(lw);
}

// Dates --------------------------------------------------------------------------------------

const MONTH = '(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)';
const MONTH_INDEX: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};
const DATE_RE = new RegExp(
  [
    `(?<mdyM>${MONTH})\\.?\\s{1,3}(?<mdyD>\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s{1,3}(?<mdyY>\\d{4})\\b)?`,
    `(?<dmyD>\\d{1,2})(?:st|nd|rd|th)?\\s{1,3}(?:of\\s{1,3})?(?<dmyM>${MONTH})\\b\\.?(?:,?\\s{1,3}(?<dmyY>\\d{4})\\b)?`,
    `(?<isoY>\\d{4})-(?<isoM>\\d{1,2})-(?<isoD>\\d{1,2})\\b`,
    `(?<nA>\\d{1,2})(?<sep>[/.-])(?<nB>\\d{1,2})\\k<sep>(?<nY>\\d{4}|\\d{2})\\b`,
    `(?<myM>${MONTH})\\.?\\s{1,3}(?<myY>\\d{4})\\b`,
  ]
    .map((p) => `(?:${p})`)
    .join('|')
    .replace(/^/, '\\b(?:') + ')',
  'g',
);

interface FoundDate {
  start: number;
  end: number;
  /** 'day' dates can be exact incident dates; 'month' dates only count as birth dates. */
  precision: 'day' | 'month';
}

function validYear(y: string | undefined): boolean {
  if (!y) return true;
  if (y.length === 2) return true;
  const n = Number(y);
  return n >= 1900 && n <= 2099;
}

function findDates(text: string): FoundDate[] {
  const out: FoundDate[] = [];
  DATE_RE.lastIndex = 0;
  for (let m = DATE_RE.exec(text); m; m = DATE_RE.exec(text)) {
    const g = m.groups ?? {};
    let ok = false;
    let precision: 'day' | 'month' = 'day';
    if (g.mdyM) ok = Number(g.mdyD) >= 1 && Number(g.mdyD) <= 31 && validYear(g.mdyY);
    else if (g.dmyM) ok = Number(g.dmyD) >= 1 && Number(g.dmyD) <= 31 && validYear(g.dmyY);
    else if (g.isoY) ok = validYear(g.isoY) && Number(g.isoM) >= 1 && Number(g.isoM) <= 12 && Number(g.isoD) >= 1 && Number(g.isoD) <= 31;
    else if (g.nA) {
      const a = Number(g.nA);
      const b = Number(g.nB);
      ok = a >= 1 && b >= 1 && ((a <= 12 && b <= 31) || (a <= 31 && b <= 12)) && validYear(g.nY);
    } else if (g.myM) {
      ok = validYear(g.myY) && MONTH_INDEX[g.myM.slice(0, 3).toLowerCase()] !== undefined;
      precision = 'month';
    }
    if (ok) out.push({ start: m.index, end: m.index + m[0].length, precision });
  }
  return out;
}

const DOB_CUE_RE =
  /(?:\bD\.?O\.?B\b\.?|\bdate\s+of\s+birth|\bbirth\s*-?\s*date|\bbirthday|\bborn(?:\s+on)?|\bb\.)\s*(?:(?:is|was|listed|recorded|given|entered|shown|reads|as|on|in|of|:|,|\(|-|–|—)\s*){0,4}$/i;
const DOB_AGGREGATE_RE = /\b(?:infants|babies|children|newborns|kids|those|anyone|all|any|youth|students|people|persons|individuals|clients)\s+(?:who\s+(?:are|were)\s+)?$/i;
const AGE_RE =
  /\b(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)[-\s](?:day|week|month|year)s?[-\s]old\b|\baged?\s+\d{1,2}\b|\b\d{1,2}\s+(?:days?|weeks?|months?|years?)\s+old\b|\b(?:a|an|the|one)\s+(?:[a-z-]+\s+)?(?:newborn|neonate)\b/gi;
const AGE_PLURAL_BEFORE_RE = /\b(?:children|infants|babies|kids|youth|students|those|people|ages|under|over|above|below)\s+$/i;
const AGE_PLURAL_AFTER_RE = /^\s*(?:age\s+groups?|groups?|cohorts?)\b/i;
const DEADLINE_BEFORE_RE =
  /\b(?:by|before|after|until|till|through|thru|beginning|starting|from|effective|since|between|and|as\s+of|no\s+later\s+than|due|begins?|ends?|expires?|opens?|closes?|on\s+or\s+(?:after|before))\s*,?\s*$/i;
const EVENT_SENTENCE_RE =
  /\b(?:must|will|shall|should|effective|deadline|webinar|training|summit|meeting|conference|recalled|recall|announced|published|eligible|scheduled|updated|issued|released|enrollment|enroll|register|registration)\b/i;

// Numbers --------------------------------------------------------------------------------------

const SSN_FORMATTED_RE = /(?<![\w-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\w-])/g;
const SSN_CUE_RE =
  /\b(?:SSN|SS#|S\.S\.N\.?|social\s+security(?:\s+(?:number|no\.?|#))?)(?:\s*(?:is|was|number|no\.?|#|:|\(|,|-|ending(?:\s+in)?|last\s+four(?:\s+digits)?|of|\)|xxx-xx-)\s*){0,4}\s*(\d{3}[- ]?\d{2}[- ]?\d{4}|\d{4})\b/gi;

const PHONE_RE = /(?<![\w-])(?:\+?1[\s.-]?)?(?:\((\d{3})\)\s?|(\d{3})[\s.-])\d{3}[\s.-]\d{4}(?![\w-])/g;
const TOLL_FREE = new Set(['800', '833', '844', '855', '866', '877', '888']);
const PHONE_PERSONAL_CUE_RE =
  /\b(?:cell|cellphone|mobile|home\s+phone|(?:her|his|their|my)\s+(?:work\s+)?(?:number|phone|cell)|personal|callback|call-back|contact\s+number|texted|mother|father|mom|dad|parents?|grandmother|grandfather|grandma|grandpa|aunt|uncle|boyfriend|girlfriend|caregiver|foster|family|youth|teen|child|reporter|caller|neighbou?r|phone)\b/gi;
const PHONE_AGENCY_CUE_RE =
  /\b(?:hotline|helpline|help\s+line|intake\s+line|office\s+line|main\s+line|agency\s+line|crisis\s+line|call\s+center|switchboard|department|office|poison|24\/7|24-hour|toll-free|after-hours|on-call\s+line|warmline|information\s+line|reception|front\s+desk)\b/gi;
const PHONE_PRODUCT_CUE_RE = /\b(?:model|lot|sku|upc|part|item|serial|catalog|style)\s*(?:no\.?|number|#)?\s*:?\s*$/i;

const CASE_RE =
  /\b(?<pre>(?:CPS|DCFS|DCF|DSS|DHS|police|sheriff|hotline|SCR|abuse|court|intake|juvenile)\s{1,3})?(?<kw>case|referral|intake|investigation|petition|docket|report|incident|person|client|child|youth|family|participant|household|file|SACWIS|CCWIS|FSFN|FACTS|SCR|TRAILS|CWS\/CMS|eCAPS)\b(?<gap>(?:\s{0,3}(?:\(|:|#|no\.|nos?\b|nbr\.?|num\.?|number\b|ID\b|I\.D\.|identifier\b|report\b|case\b|file\b|record\b|is\b|was\b)){0,4})\s{0,3}#?\s{0,2}(?<val>(?:[A-Z]{1,4}-?)?\d[0-9A-Z]{0,15}(?:-[0-9A-Z]{1,12}){0,4})\b/gi;
const CASE_NEEDS_MARKER = new Set(['person', 'client', 'child', 'youth', 'family', 'participant', 'household', 'file', 'incident', 'sacwis', 'ccwis', 'fsfn', 'facts', 'scr', 'trails', 'cws/cms', 'ecaps']);
const MARKER_RE = /#|\bno\.|\bnos?\b|\bnbr\b|\bnum\b|\bnumber\b|\bid\b|i\.d\.|\bidentifier\b/i;

const MEDICAID_RE =
  /\b(?<kw>Medicaid|Medi-?Cal|MassHealth|SoonerCare|AHCCCS|TennCare|BadgerCare|HUSKY|KanCare|MaineCare|Apple\s+Health|CHIP|CIN)\b(?<gap>(?:\s{0,3}(?:ID\b|I\.D\.|identification\b|number\b|no\.|nos?\b|#|card\b|recipient\b|member\b|client\b|beneficiary\b|is\b|was\b|:|,|\(|CIN\b|for\b|of\b|the\b|child(?:'s)?\b|infant(?:'s)?\b|baby(?:'s)?\b|youth(?:'s)?\b|mother(?:'s)?\b|father(?:'s)?\b|lists\b|listed\b|shows\b|reads\b)){0,6})\s{0,3}#?\s{0,2}(?<val>[A-Z0-9][A-Z0-9-]{4,19})\b/gi;
const MEDICAID_MARKER_RE = /#|\bno\.|\bnos?\b|\bnumber\b|\bid\b|i\.d\.|\bidentification\b|\bcard\b|\bcin\b|\brecipient\b|\bmember\b|\bclient\b/i;

const TRIBAL_RE =
  /\b(?<kw>tribal\s{1,3}(?:enrollment|enrolment|membership|member|citizenship|citizen|registration|roll|ID|identification|card|census)(?:\s{1,3}card)?|enrollment|enrolment|roll|CDIB|Certificate\s{1,3}of\s{1,3}Degree\s{1,3}of\s{1,3}Indian\s{1,3}Blood|citizenship|census\s{1,3}number|membership\s{1,3}card|band\s{1,3}member(?:ship)?)\b(?<gap>(?:\s{0,3}(?:ID\b|number\b|no\.|nos?\b|#|card\b|is\b|was\b|:|,|\(|for\b|of\b|the\b|lists\b|listed\b|shows\b|reads\b|bears\b)){0,5})\s{0,3}(?<val>#?\s{0,2}[A-Z]{0,3}-?\d[0-9A-Z]{0,12}(?:-[0-9A-Z]{1,10}){0,3})\b/gi;
const TRIBAL_CONTEXT_RE = /\b(?:tribe|tribes|tribal|nation|band|pueblo|icwa|indian|native|enrolled\s+member|rancheria)\b/i;
const TRIBAL_MARKER_RE = /#|\bno\.|\bnos?\b|\bnumber\b|\bid\b/i;

// Addresses ------------------------------------------------------------------------------------

const STREET_SUFFIX =
  'Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Terrace|Ter|Way|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Trail|Trl|Pike|Square|Sq|Loop|Row|Alley|Crossing|Path|Ridge|Heights|Grove|Commons|Cove|Landing|Hollow|Plaza|Walk|Point|Bend|Run';
const UNIT = `(?:Apt\\.?|Apartment|Unit|Suite|Ste\\.?|Lot|Trailer|Space|Rm\\.?|Room|#)\\s{0,3}#?\\s{0,2}[A-Za-z0-9-]{1,6}\\b`;
const ADDRESS_RE = new RegExp(
  `(?<![\\w$#.,/-])(?<num>\\d{1,6}[A-Z]?)\\s{1,3}(?<block>block\\s{1,3}of\\s{1,3}(?:the\\s{1,3})?)?(?:(?:[NSEW]\\.?|North|South|East|West|NE|NW|SE|SW)\\s{1,3})?(?<words>(?:(?:[A-Z][A-Za-z'’-]{0,24}|\\d{1,3}(?:st|nd|rd|th))\\s{1,3}){1,4}?)(?<suffix>${STREET_SUFFIX})\\b(?<dot>\\.)?(?<roadnum>\\s{1,2}\\d{1,4}\\b)?(?<unit>,?\\s{1,3}${UNIT})?`,
  'g',
);
const UNIT_RE = /\b(?<kw>Apt\.?|Apartment|Unit|Suite|Ste\.?|Lot|Trailer)\s{0,3}#?\s{0,2}(?<val>\d{1,5}[A-Za-z]?|[A-Za-z]\d{1,4})\b/g;
const DWELLING_RE =
  /\b(?:home|house|residence|apartment|apartments|lived|lives|living|reside|resides|family|family's|household|address|discharged|placement|grandmother|grandfather|mother|father|parent|caregiver|relative|motel|hotel|trailer|complex|building|floor|mobile)\b/i;
const VENUE_BEFORE_RE =
  /\b(?:held|hosted|take\s+place|takes\s+place|training|conference|office|offices|headquarters|library|auditorium|venue|event|summit|webinar|drop[- ]off|pick[- ]up|distribution|courthouse)\b/i;
const VENUE_AFTER_RE = /^\s*(?:training\s+center|conference|office|offices|building|headquarters|library|auditorium|community\s+center|center|room)\b/i;
const COURT_WORDS = new Set(`juvenile family probate supreme district circuit county municipal federal superior appeals tax drug dependency`.split(' '));
const YEAR_PREP = new Set(`in since during by from until through of the fiscal year fy`.split(' '));
const ROAD_NUMBERED = new Set(['Road', 'Rd', 'Highway', 'Hwy']);
const ABBREVIATED_SUFFIXES = new Set(['St', 'Ave', 'Av', 'Rd', 'Blvd', 'Ln', 'Dr', 'Ct', 'Pl', 'Ter', 'Cir', 'Pkwy', 'Hwy', 'Trl', 'Sq']);

// Email -------------------------------------------------------------------------------------------

const LOCAL_CHAR = /[A-Za-z0-9._%+'-]/;
const DOMAIN_CHAR = /[A-Za-z0-9.-]/;

function segmentsIntoRoleWords(s: string): boolean {
  // Word break over ROLE_MAILBOX_WORDS ("childsafety" = child + safety).
  const n = s.length;
  if (!n) return false;
  const ok: boolean[] = new Array(n + 1).fill(false);
  ok[0] = true;
  for (let i = 1; i <= n; i++) {
    for (let j = Math.max(0, i - 16); j < i && !ok[i]; j++) if (ok[j] && ROLE_MAILBOX_WORDS.has(s.slice(j, i))) ok[i] = true;
  }
  return ok[n];
}

// ---------------------------------------------------------------------------------------------

class FieldScan {
  readonly cands: Candidate[] = [];
  /** Name words found with evidence in this field: folded -> as written. */
  readonly nameWords = new Map<string, string>();
  private toks: Tok[] = [];
  private sentences: Array<[number, number]> = [];
  private sentOfPos: (pos: number) => number = () => 0;

  constructor(
    readonly field: string,
    readonly text: string,
  ) {}

  detectAll(): void {
    if (!this.text) return;
    this.sentences = splitSentences(this.text);
    const starts = this.sentences.map((s) => s[0]);
    this.sentOfPos = (pos: number) => {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= pos) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    };
    this.tokenize();
    this.detectEmails();
    this.detectSsn();
    this.detectPhones();
    this.detectCaseNumbers();
    this.detectMedicaid();
    this.detectTribal();
    this.detectDates();
    this.detectAddresses();
    this.detectNames();
  }

  private add(start: number, end: number, kind: DeidKind, reason: string, strength = 1): void {
    if (end > start) this.cands.push({ start, end, kind, reason, strength });
  }

  private sentenceSpan(pos: number): [number, number] {
    return this.sentences[this.sentOfPos(pos)] ?? [0, this.text.length];
  }

  // --- tokens --------------------------------------------------------------------------------

  private tokenize(): void {
    const text = this.text;
    const toks: Tok[] = [];
    const sentences = this.sentences;
    let sent = 0;
    TOKEN_RE.lastIndex = 0;
    for (let m = TOKEN_RE.exec(text); m; m = TOKEN_RE.exec(text)) {
      while (sent + 1 < sentences.length && sentences[sent + 1][0] <= m.index) sent++;
      const raw = m[0];
      let base = raw;
      let poss = false;
      const n = raw.length;
      const lastCh = raw[n - 1];
      if (n > 2 && (lastCh === 's' || lastCh === 'S') && (raw[n - 2] === "'" || raw[n - 2] === '’')) {
        base = raw.slice(0, -2);
        poss = true;
      } else if (lastCh === 's' && (text[m.index + n] === "'" || text[m.index + n] === '’')) {
        poss = true; // plural possessive: parents'
      }
      const first = base[0];
      const cap = first !== first.toLowerCase() && first === first.toUpperCase();
      toks.push({
        s: m.index,
        e: m.index + base.length,
        eRaw: m.index + raw.length,
        w: base,
        lw: fold(base),
        cap,
        allCaps: cap && isAllCaps(base),
        poss,
        sent,
        sentStart: false,
        titleLine: false,
      });
    }
    for (let i = 0; i < toks.length; i++) toks[i].sentStart = i === 0 || toks[i - 1].sent !== toks[i].sent;
    // Title-case lines (headlines, audience lists): capitalised words there are weak evidence.
    let lineStart = 0;
    while (lineStart < toks.length) {
      const nl = text.indexOf('\n', toks[lineStart].s);
      const lineEnd = nl < 0 ? text.length : nl;
      let j = lineStart;
      let counted = 0;
      let caps = 0;
      while (j < toks.length && toks[j].s < lineEnd) {
        if (!SMALL_WORDS.has(toks[j].lw)) {
          counted++;
          if (toks[j].cap) caps++;
        }
        j++;
      }
      const isTitle = counted >= 3 && caps / counted >= 0.8;
      for (let k = lineStart; k < j; k++) toks[k].titleLine = isTitle;
      lineStart = j > lineStart ? j : lineStart + 1;
    }
    this.toks = toks;
  }

  private gap(i: number): string {
    // Text between token i-1 and token i.
    const toks = this.toks;
    return this.text.slice(i > 0 ? toks[i - 1].eRaw : 0, toks[i].s);
  }

  // --- email ---------------------------------------------------------------------------------

  private detectEmails(): void {
    const text = this.text;
    let at = text.indexOf('@');
    while (at >= 0) {
      let a = at;
      while (a > 0 && at - a < 64 && LOCAL_CHAR.test(text[a - 1])) a--;
      let b = at + 1;
      while (b < text.length && b - at < 254 && DOMAIN_CHAR.test(text[b])) b++;
      while (b > at + 1 && (text[b - 1] === '.' || text[b - 1] === '-')) b--;
      while (a < at && (text[a] === '.' || text[a] === "'")) a++;
      const local = text.slice(a, at);
      const domain = text.slice(at + 1, b).toLowerCase();
      if (local && /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$/.test(domain)) {
        const lcl = local.toLowerCase();
        const segs = lcl.split(/[._+-]+/).filter((s) => s && !/^\d+$/.test(s));
        const consumer = CONSUMER_MAIL_DOMAINS.has(domain);
        const role = segs.length > 0 && segs.every((s) => ROLE_MAILBOX_WORDS.has(s) || segmentsIntoRoleWords(s.replace(/\d+/g, '')));
        if (consumer) this.add(a, b, 'email', `Personal email address (consumer mail provider '${domain}')`, 2);
        else if (!role) this.add(a, b, 'email', "Email address that looks like an individual's mailbox, not an agency role mailbox", 2);
      }
      at = text.indexOf('@', at + 1);
    }
  }

  // --- SSN -----------------------------------------------------------------------------------

  private detectSsn(): void {
    const text = this.text;
    SSN_FORMATTED_RE.lastIndex = 0;
    for (let m = SSN_FORMATTED_RE.exec(text); m; m = SSN_FORMATTED_RE.exec(text)) {
      const area = Number(m[1]);
      if (area === 0 || area === 666 || area >= 900 || m[3] === '00' || m[4] === '0000') continue;
      const before = text.slice(Math.max(0, m.index - 40), m.index);
      const cue = /\b(?:SSN|social\s+security|SS#)/i.test(before);
      if (m[2] === ' ' && !cue) continue;
      this.add(m.index, m.index + m[0].length, 'ssn', cue ? 'Number introduced as a Social Security number' : 'Looks like a Social Security number (NNN-NN-NNNN)', 2);
    }
    SSN_CUE_RE.lastIndex = 0;
    for (let m = SSN_CUE_RE.exec(text); m; m = SSN_CUE_RE.exec(text)) {
      const num = m[1];
      const start = m.index + m[0].length - num.length;
      this.add(start, start + num.length, 'ssn', num.replace(/\D/g, '').length === 4 ? 'Last digits of a Social Security number' : 'Number introduced as a Social Security number', 2);
    }
  }

  // --- phone ---------------------------------------------------------------------------------

  private detectPhones(): void {
    const text = this.text;
    PHONE_RE.lastIndex = 0;
    for (let m = PHONE_RE.exec(text); m; m = PHONE_RE.exec(text)) {
      const area = m[1] ?? m[2];
      if (TOLL_FREE.has(area) || area[0] === '0' || area[0] === '1') continue;
      const [sentStart] = this.sentenceSpan(m.index);
      const before = text.slice(Math.max(sentStart, m.index - 80), m.index);
      if (PHONE_PRODUCT_CUE_RE.test(before)) continue;
      const personal = lastMatchIndex(PHONE_PERSONAL_CUE_RE, before);
      const agency = lastMatchIndex(PHONE_AGENCY_CUE_RE, before);
      if (agency >= 0 && agency > personal) continue;
      this.add(
        m.index,
        m.index + m[0].length,
        'phone',
        personal >= 0 ? 'Phone number of a person or household' : 'Phone number that is not a toll-free or labelled agency line',
        2,
      );
    }
  }

  // --- identifiers ---------------------------------------------------------------------------

  private detectCaseNumbers(): void {
    const text = this.text;
    CASE_RE.lastIndex = 0;
    for (let m = CASE_RE.exec(text); m; m = CASE_RE.exec(text)) {
      const g = m.groups ?? {};
      const kw = g.kw.toLowerCase();
      const gap = g.gap ?? '';
      const val = g.val;
      const digits = val.replace(/\D/g, '').length;
      if (digits < 4 || /^(?:19|20)\d\d$/.test(val)) continue;
      if (/^[a-z]/.test(val) && !/^[A-Z]/.test(val)) continue; // lower-case words are not IDs
      const hasMarker = MARKER_RE.test(gap);
      if (CASE_NEEDS_MARKER.has(kw) && !hasMarker && !(kw === 'file' && g.pre && /court/i.test(g.pre))) continue;
      if (kw === 'report' && !hasMarker && !g.pre) continue;
      // "the case is 2024" style prose: a bare copula needs a real marker.
      if (/\b(?:is|was)\b/i.test(gap) && !hasMarker) continue;
      const label = (g.pre ?? '') + g.kw;
      this.add(m.index, m.index + m[0].length, 'case_number', `Looks like a case or person identifier after '${label.trim()}'`, 2);
    }
  }

  private detectMedicaid(): void {
    const text = this.text;
    MEDICAID_RE.lastIndex = 0;
    for (let m = MEDICAID_RE.exec(text); m; m = MEDICAID_RE.exec(text)) {
      const g = m.groups ?? {};
      const val = g.val;
      const digits = val.replace(/\D/g, '').length;
      if (digits < 4) continue;
      const hasMarker = MEDICAID_MARKER_RE.test(g.gap ?? '') || /^cin$/i.test(g.kw);
      if (!hasMarker && digits < 8) continue;
      if (text[m.index + m[0].length] === '(') continue; // 1915(c)-style section numbers
      const start = m.index + m[0].length - val.length;
      this.add(start, start + val.length, 'medicaid_id', `Number after '${g.kw}${(g.gap ?? '').replace(/\s+/g, ' ').trimEnd()}' looks like a Medicaid ID`, 2);
    }
  }

  private detectTribal(): void {
    const text = this.text;
    TRIBAL_RE.lastIndex = 0;
    for (let m = TRIBAL_RE.exec(text); m; m = TRIBAL_RE.exec(text)) {
      const g = m.groups ?? {};
      const kw = g.kw.toLowerCase().replace(/\s+/g, ' ');
      const val = g.val;
      if (val.replace(/\D/g, '').length < 3) continue;
      const generic = !/^(?:tribal|cdib|certificate|band)/.test(kw);
      if (generic) {
        const before = text.slice(Math.max(0, m.index - 120), m.index);
        const hasMarker = TRIBAL_MARKER_RE.test(g.gap ?? '') || /number|card/.test(kw);
        if (!hasMarker || !TRIBAL_CONTEXT_RE.test(before + ' ' + kw)) continue;
      }
      const start = m.index + m[0].length - val.length;
      this.add(start, start + val.length, 'tribal_enrollment', `Number after '${g.kw.replace(/\s+/g, ' ')}' looks like a tribal enrollment or CDIB number`, 2);
    }
  }

  // --- dates ---------------------------------------------------------------------------------

  private detectDates(): void {
    const text = this.text;
    for (const d of findDates(text)) {
      const [sentStart, sentEnd] = this.sentenceSpan(d.start);
      const before = text.slice(Math.max(sentStart, d.start - 60), d.start);
      const cue = DOB_CUE_RE.exec(before);
      if (cue) {
        const beforeCue = text.slice(Math.max(0, d.start - before.length + cue.index - 30), d.start - before.length + cue.index);
        if (!DOB_AGGREGATE_RE.test(beforeCue)) {
          const word = cue[0].replace(/[\s:,(–—-]+$/g, '').split(/\s+(?:is|was|listed|recorded|given|entered|shown|reads|as)\b/i)[0];
          this.add(d.start, d.end, 'date_of_birth', `Date of birth after '${word.trim()}'`, 2);
          continue;
        }
      }
      if (d.precision !== 'day') continue;
      // An exact date about one child of a stated age: same sentence or the one before it.
      const si = this.sentOfPos(d.start);
      const winStart = Math.max(si > 0 ? this.sentences[si - 1][0] : sentStart, d.start - 300);
      const winEnd = Math.min(sentEnd, d.end + 300);
      const age = this.findSingleChildAge(winStart, winEnd);
      if (!age) continue;
      if (DEADLINE_BEFORE_RE.test(text.slice(Math.max(sentStart, d.start - 30), d.start))) continue;
      if (EVENT_SENTENCE_RE.test(text.slice(Math.max(sentStart, d.start - 300), winEnd))) continue;
      this.add(d.start, d.end, 'exact_age_date', `Exact date of an incident involving a child whose age is given ('${age}')`, 2);
    }
  }

  private findSingleChildAge(from: number, to: number): string | undefined {
    const text = this.text;
    const win = text.slice(from, to);
    AGE_RE.lastIndex = 0;
    for (let m = AGE_RE.exec(win); m; m = AGE_RE.exec(win)) {
      const abs = from + m.index;
      const pre = text.slice(Math.max(0, abs - 25), abs);
      const post = text.slice(abs + m[0].length, abs + m[0].length + 20);
      if (/^age/i.test(m[0]) && AGE_PLURAL_BEFORE_RE.test(pre)) continue;
      if (AGE_PLURAL_AFTER_RE.test(post)) continue;
      return m[0];
    }
    return undefined;
  }

  // --- addresses -----------------------------------------------------------------------------

  private detectAddresses(): void {
    const text = this.text;
    ADDRESS_RE.lastIndex = 0;
    for (let m = ADDRESS_RE.exec(text); m; m = ADDRESS_RE.exec(text)) {
      const g = m.groups ?? {};
      let end = m.index + m[0].length;
      const nameWords = (g.words ?? '').trim().split(/\s+/);
      const num = g.num;
      // "2025 Juvenile Court", "in 2024 Safe Sleep Way": years before court names or after a preposition.
      if (/^(?:19|20)\d\d$/.test(num)) {
        const prev = /(\p{L}+)\s*$/u.exec(text.slice(Math.max(0, m.index - 20), m.index));
        if (prev && YEAR_PREP.has(prev[1].toLowerCase())) continue;
      }
      if (g.suffix === 'Court' && nameWords.some((w) => COURT_WORDS.has(w.toLowerCase()))) continue;
      if (nameWords.every((w) => COMMON_WORDS.has(w.toLowerCase()) && !/^\d/.test(w)) && ['Way', 'Place', 'Run', 'Point', 'Walk', 'Row', 'Path'].includes(g.suffix)) continue;
      if (g.roadnum && !ROAD_NUMBERED.has(g.suffix) && !g.unit) end -= g.roadnum.length;
      // "Main St." keeps its period; "Euclid Avenue." ends a sentence.
      else if (g.dot && !g.roadnum && !g.unit && !ABBREVIATED_SUFFIXES.has(g.suffix)) end -= 1;
      const [sentStart] = this.sentenceSpan(m.index);
      const before = text.slice(Math.max(sentStart, m.index - 80), m.index);
      const after = text.slice(end, end + 30);
      if ((VENUE_BEFORE_RE.test(before) || VENUE_AFTER_RE.test(after)) && !DWELLING_RE.test(before)) continue;
      const shown = `${g.words ?? ''}${g.suffix}`.replace(/\s+/g, ' ');
      this.add(m.index, end, 'street_address', g.block ? `Block-level street address ('block of ${shown}')` : `House number and street name ('${num} ${shown}')`, 2);
    }
    UNIT_RE.lastIndex = 0;
    for (let m = UNIT_RE.exec(text); m; m = UNIT_RE.exec(text)) {
      const kw = m.groups?.kw ?? '';
      if (!/^Apt|^Apartment/.test(kw)) {
        const [sentStart, sentEnd] = this.sentenceSpan(m.index);
        const around = text.slice(Math.max(sentStart, m.index - 60), Math.min(sentEnd, m.index + m[0].length + 60));
        if (!DWELLING_RE.test(around)) continue;
        if (kw === 'Lot' && /\blot\s*(?:no\.?|number|#)/i.test(m[0])) continue;
      }
      this.add(m.index, m.index + m[0].length, 'street_address', `Apartment or unit number of a dwelling ('${m[0]}')`, 1);
    }
  }

  // --- names ---------------------------------------------------------------------------------

  /** A capitalised word that could be part of a name (not a common word, role, month, place...). */
  private nameShaped(t: Tok): boolean {
    if (t.shaped === undefined) t.shaped = computeNameShaped(t);
    return t.shaped;
  }

  private isInitial(i: number): boolean {
    const t = this.toks[i];
    return t.w.length === 1 && t.cap && this.text[t.e] === '.';
  }

  /** Extends a name starting at token i: given name, middle initial, surname(s), Jr. Returns [lastIndex, endOffset]. */
  private extendRun(i: number): [number, number] {
    const toks = this.toks;
    let last = i;
    let end = toks[i].e;
    for (let k = 1; k <= 3 && i + k < toks.length; k++) {
      const j = i + k;
      if (toks[j - 1].poss) break;
      const g = this.text.slice(toks[j - 1].eRaw, toks[j].s);
      const prevInitial = this.isInitial(j - 1);
      if (!(g === ' ' || (prevInitial && g === '. '))) break;
      if (this.isInitial(j)) {
        last = j;
        end = toks[j].e + 1;
        continue;
      }
      if (SUFFIX_WORDS.has(toks[j].lw) && toks[j].cap) {
        last = j;
        end = toks[j].e + (this.text[toks[j].e] === '.' ? 1 : 0);
        break;
      }
      if (!this.nameShaped(toks[j])) break;
      last = j;
      end = toks[j].e;
    }
    // A trailing initial without a following surname ("Hannah R.") keeps its period.
    if (this.isInitial(last) && end === toks[last].e) end++;
    return [last, end];
  }

  /** True when the capitalised run from token i continues into an organisation/place/law word. */
  private orgFollows(i: number): boolean {
    const toks = this.toks;
    for (let k = 1; k <= 5 && i + k < toks.length; k++) {
      const j = i + k;
      const g = this.text.slice(toks[j - 1].eRaw, toks[j].s);
      if (!/^(?:\.?\s)$/.test(g) && !(toks[j - 1].poss && g === ' ')) return false;
      if (!toks[j].cap) return false;
      if (ORG_SUFFIX_WORDS.has(toks[j].lw) || ORG_SUFFIX_WORDS.has(toks[j].lw + "'s")) return true;
    }
    return false;
  }

  private placePrefixed(i: number): boolean {
    if (i === 0) return false;
    const p = this.toks[i - 1];
    const g = this.text.slice(p.eRaw, this.toks[i].s);
    return p.cap && PLACE_PREFIX.has(p.lw) && /^\.?\s$/.test(g);
  }

  /** Notice contact or signatory: "contact Dana Whitfield, Safety Program Manager", "Director Karen Mills". */
  private staffContext(first: number, last: number): boolean {
    const toks = this.toks;
    const sent = toks[first].sent;
    if (first > 0 && toks[first - 1].cap && STAFF_BEFORE.has(toks[first - 1].lw) && this.gap(first) === ' ') return true;
    for (let k = 1; k <= 4 && first - k >= 0 && toks[first - k].sent === sent; k++) if (CONTACT_CUES.has(toks[first - k].lw)) return true;
    if (last + 1 < toks.length && /^\s*,\s*$/.test(this.gap(last + 1))) {
      for (let k = 1; k <= 5 && last + k < toks.length && toks[last + k].sent === sent; k++) {
        const t = toks[last + k];
        if (t.cap && STAFF_TITLES.has(t.lw)) return true;
        if (!t.cap && !SMALL_WORDS.has(t.lw)) break;
      }
    }
    return false;
  }

  /** Accepts a name run; also follows "X and Y Z" lists. */
  private acceptName(first: number, titleStart: number | undefined, reason: string, strength: number, checkStaff: boolean): number {
    const toks = this.toks;
    const [last, end] = this.extendRun(first);
    if (this.orgFollows(last) || this.placePrefixed(titleStart ?? first)) return last;
    if (checkStaff && this.staffContext(titleStart ?? first, last)) return last;
    this.add(titleStart !== undefined ? toks[titleStart].s : toks[first].s, end, 'personal_name', reason, strength);
    for (let j = first; j <= last; j++) {
      const t = toks[j];
      if (t.w.length >= 3 && !SUFFIX_WORDS.has(t.lw) && this.nameShaped(t)) this.nameWords.set(t.lw, t.w);
    }
    // "Rosa and Miguel Fuentes", "Harper and Hazel", "Mr. and Mrs. Petrakis"
    const nx = last + 1;
    if (nx + 1 < toks.length && toks[nx].lw === 'and' && this.gap(nx) === ' ' && this.gap(nx + 1) === ' ') {
      const c = nx + 1;
      if (NAME_TITLES.has(toks[c].lw) && toks[c].cap) this.tryTitle(c, reason, strength);
      else if (this.nameShaped(toks[c]) && (!toks[c].titleLine || isLexName(toks[c].lw))) this.acceptName(c, undefined, reason, strength, false);
    }
    return last;
  }

  /** Title + surname: Mr./Ms./Mrs./Dr./Sgt. Returns true if accepted. */
  private tryTitle(i: number, reasonOverride?: string, strength = 3): boolean {
    const toks = this.toks;
    const t = toks[i];
    if (!t.cap || !NAME_TITLES.has(t.lw) || i + 1 >= toks.length) return false;
    const abbreviated = ABBREVIATED_TITLES.has(t.lw);
    const g = this.text.slice(t.eRaw, toks[i + 1].s);
    if (!(g === ' ' || (abbreviated && g === '. '))) return false;
    let c = i + 1;
    // "Mr. and Mrs. Petrakis"
    if (toks[c].lw === 'and' && c + 1 < toks.length && NAME_TITLES.has(toks[c + 1].lw) && toks[c + 1].cap) {
      c = c + 1;
      const g2 = this.text.slice(toks[c].eRaw, toks[c + 1]?.s ?? toks[c].eRaw);
      if (c + 1 >= toks.length || !(g2 === ' ' || g2 === '. ')) return false;
      c = c + 1;
    }
    const cand = toks[c];
    const okSurname = abbreviated
      ? cand.cap && !cand.allCaps && cand.w.length >= 2 && !CALENDAR_WORDS.has(cand.lw) && !ORG_SUFFIX_WORDS.has(cand.lw)
      : this.nameShaped(cand);
    if (!okSurname) return false;
    const shown = t.w + (g === '. ' ? '.' : '');
    this.acceptName(c, i, reasonOverride ?? `Title '${shown}' followed by a name`, strength, true);
    return true;
  }

  private detectNames(): void {
    const toks = this.toks;
    const text = this.text;
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i];

      // 1. Titles: Mr. Kowalski, Ms. O'Brien, Sgt. Harris.
      if (t.cap && NAME_TITLES.has(t.lw) && this.tryTitle(i)) continue;

      // 2. Role or naming word followed by a name: "the infant, Jayden", "mother Maria Lopez",
      //    "15-year-old Brianna", "a youth named Tyler", "identified as Marcus Hill".
      const role = roleOf(t.lw);
      const naming =
        NAMING_WORDS.has(t.lw) ||
        (t.lw === 'as' && i > 0 && (['known', 'identified', 'listed', 'referred'].includes(toks[i - 1].lw) || (roleOf(toks[i - 1].lw) !== undefined && !toks[i - 1].poss))) ||
        ((t.lw === 'are' || t.lw === 'is' || t.lw === 'was' || t.lw === 'were') && i > 0 && (toks[i - 1].lw === 'name' || toks[i - 1].lw === 'names'));
      if ((role || naming) && !(role && t.poss) && i + 1 < toks.length) {
        let c = i + 1;
        let g = this.gap(c);
        // "the boyfriend, identified as Marcus Hill": skip the naming phrase after the role.
        if (role && /^\s*,?\s*$/.test(g) && c + 1 < toks.length && ['identified', 'known'].includes(toks[c].lw) && toks[c + 1].lw === 'as') {
          c += 2;
          g = ' ';
        } else if (role && /^\s*,?\s*$/.test(g) && (toks[c].lw === 'named' || toks[c].lw === 'called' || toks[c].lw === 'nicknamed')) {
          c += 1;
          g = ' ';
        }
        if (c < toks.length) {
          const cand = toks[c];
          const appos = /^(?:\s*[,:(]\s*|\s+[—–-]\s+|\s*[—–]\s*)$/.test(g);
          const plain = g === ' ' || (naming && /^ ["'“‘]$/.test(g));
          const roleText = text.slice(t.s, t.e);
          if (plain || appos) {
            if (cand.cap && NAME_TITLES.has(cand.lw)) {
              if (this.tryTitle(c, `Looks like ${ROLE_DESC[role ?? 'child']} (title) after '${roleText}'`, 4)) continue;
            } else if (this.nameShaped(cand) && !CALENDAR_WORDS.has(cand.lw)) {
              const lex = isLexName(cand.lw);
              let ok: boolean;
              if (cand.titleLine) ok = lex;
              else if (naming) ok = plain;
              else if (appos) ok = true;
              else ok = !t.cap || lex; // "mother Maria" vs "Mother Baby Unit"
              if (ok) {
                const phraseStart = naming && !NAMING_WORDS.has(t.lw) && i > 0 ? toks[i - 1].s : t.s;
                const reason = naming
                  ? `Name introduced by '${text.slice(phraseStart, t.e)}'`
                  : `Looks like ${ROLE_DESC[role ?? 'child']} after '${roleText}'`;
                this.acceptName(c, undefined, reason, 4, false);
                continue;
              }
            }
          }
        }
      }

      if (!t.cap || !this.nameShaped(t)) continue;
      const lex = isLexName(t.lw);

      // 3. Name with an age in apposition: "Deshawn, 13,", "Jayden (4 months)", "Isaiah, the 8-year-old".
      {
        const [last, end] = this.extendRun(i);
        if (!toks[last].poss) {
          const after = text.slice(end, end + 40);
          if (AGE_APPOSITION_RE.test(after) && (lex || !PLACE_WORDS.has(t.lw))) {
            if (!toks[i].titleLine || lex) {
              this.acceptName(i, undefined, `Name followed by an age ('${text.slice(toks[i].s, end)}${after.slice(0, (AGE_APPOSITION_RE.exec(after)?.[0].length ?? 0))}')`, 4, false);
              i = last;
              continue;
            }
          }
        }
      }

      // 3b. Name followed by its role: "Ronald Pike, the mother's uncle", "Gina Castellano, 2nd cousin".
      {
        const [last, end] = this.extendRun(i);
        if (!toks[last].poss && (!t.titleLine || lex)) {
          const roleAfter = text[end] === ',' ? roleAfterName(text.slice(end, end + 80)) : undefined;
          const place = PLACE_WORDS.has(t.lw);
          if (roleAfter && (last > i || (lex && !place) || (!lex && !place && !t.sentStart))) {
            this.acceptName(i, undefined, `Name followed by its role ('${roleAfter}')`, 4, false);
            i = last;
            continue;
          }
        }
      }

      // 4. Possessive before a relation: "Kaylee's crib", "Emma's stepfather", "Marisol's parents".
      if (t.poss && i + 1 < toks.length && (!t.titleLine || lex) && !this.placePrefixed(i)) {
        let j = i + 1;
        if (POSS_ADJ.has(toks[j].lw) && j + 1 < toks.length) j++;
        if (!toks[j].cap && POSS_REL.has(toks[j].lw) && !ORG_SUFFIX_WORDS.has(t.lw)) {
          this.add(t.s, t.e, 'personal_name', `Name before '${text.slice(t.e, toks[j].e)}'`, 4);
          this.nameWords.set(t.lw, t.w);
          continue;
        }
      }

      // 5. "Kaysen and his mother".
      if (i + 3 < toks.length && toks[i + 1].lw === 'and' && ['his', 'her', 'their'].includes(toks[i + 2].lw) && (ROLE_WORDS.has(toks[i + 3].lw) || POSS_REL.has(toks[i + 3].lw)) && !t.titleLine) {
        this.acceptName(i, undefined, `Name paired with '${toks[i + 2].w} ${toks[i + 3].w}'`, 4, false);
        continue;
      }

      // 6. Family surname: "the Harmon family", "The Whitaker household".
      if (i > 0 && toks[i - 1].lw === 'the' && i + 1 < toks.length && !toks[i + 1].cap && FAMILY_NOUNS.has(toks[i + 1].lw.replace(/s$/, 's')) && this.gap(i + 1) === ' ' && (!t.titleLine || lex)) {
        this.add(t.s, t.e, 'personal_name', `Looks like a family surname before '${toks[i + 1].w}'`, 4);
        this.nameWords.set(t.lw, t.w);
        continue;
      }

      // 7. Common given name on its own ("Aiden at his 2-month checkup").
      if ((isStrongName(t.lw) || APOSTROPHE_NAME_RE.test(t.w)) && !t.titleLine) {
        const last = this.acceptName(i, undefined, `'${t.w}' is a common first name`, 2, true);
        i = Math.max(i, last);
      }
    }
  }

  /** Marks other occurrences of names found elsewhere in the notice. */
  propagateNames(known: Map<string, string>): void {
    const toks = this.toks;
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i];
      if (!t.cap || t.allCaps || !known.has(t.lw)) continue;
      if (this.cands.some((c) => c.kind === 'personal_name' && c.start <= t.s && c.end >= t.e)) continue;
      if (this.orgFollows(i) || this.placePrefixed(i)) continue;
      if (t.sentStart && (COMMON_WORDS.has(t.lw) || WEAK_FIRST_NAMES.has(t.lw))) continue;
      this.add(t.s, t.e, 'personal_name', `Same name as found elsewhere in the notice ('${known.get(t.lw)}')`, 3);
    }
  }

  result(): DeidFinding[] {
    // Merge overlapping findings: the higher-priority kind wins; same kind merges into one span.
    const sorted = [...this.cands].sort((a, b) => a.start - b.start || b.end - a.end);
    const kept: Candidate[] = [];
    for (const c of sorted) {
      let absorbed = false;
      for (let k = kept.length - 1; k >= 0; k--) {
        const o = kept[k];
        if (o.start < c.start - MAX_LOOKBACK) break; // findings are short; keeps the merge linear
        if (o.end <= c.start || c.end <= o.start) continue;
        if (o.kind === c.kind) {
          o.start = Math.min(o.start, c.start);
          o.end = Math.max(o.end, c.end);
          if (c.strength > o.strength) {
            o.reason = c.reason;
            o.strength = c.strength;
          }
          absorbed = true;
          break;
        }
        if (PRIORITY[o.kind] >= PRIORITY[c.kind]) {
          absorbed = true;
          break;
        }
        kept.splice(k, 1); // the new one outranks an overlapping lower-priority finding
      }
      if (!absorbed) kept.push({ ...c });
    }
    kept.sort((a, b) => a.start - b.start || a.end - b.end);
    return kept.map((c) => ({ field: this.field, start: c.start, end: c.end, text: this.text.slice(c.start, c.end), kind: c.kind, reason: c.reason }));
  }
}

/** How far back the merge looks for an overlapping finding (longer spans are not produced). */
const MAX_LOOKBACK = 1000;

const AGE_APPOSITION_RE =
  /^(?:,\s{0,2}(?:aged?\s{1,2})?\d{1,2}(?:\s{0,2}(?:,|\.|;|\)|$)|\s{1,2}(?:years?|yrs?|months?|mos?|weeks?|days?)\b)|\s{0,2}\(\s{0,2}(?:age\s{0,2})?\d{1,2}(?:\s{0,2}(?:years?|yrs?|months?|mos?|weeks?|days?)(?:\s{1,2}old)?)?\s{0,2}\)|,\s{0,2}(?:the|a|an|just)\s{1,2}\d{1,2}[-\s](?:day|week|month|year)s?[-\s]old|,\s{0,2}just\s{1,2}\d{1,2}\s{1,2}(?:days?|weeks?|months?|years?)\s{1,2}old|\s{1,2}(?:was|is)\s{1,2}(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s{1,2}(?:days?|weeks?|months?|years?)\s{1,2}old)/i;

const ROLE_LEAD_WORDS = new Set(
  `the a an her his their its great step half maternal paternal biological former current live-in kinship foster relative family older younger adult teenage`.split(' '),
);

/** After a name: ", the mother's uncle" / ", 2nd cousin" / ", her boyfriend" -> the role phrase, else undefined. */
function roleAfterName(after: string): string | undefined {
  const m = /^,\s{1,2}/.exec(after);
  if (!m) return undefined;
  const words = after.slice(m[0].length).split(/\s+/, 5);
  for (let k = 0; k < words.length; k++) {
    const raw = words[k];
    const bare = raw.replace(/[^\p{L}\p{N}'’-]+$/u, '');
    const possessive = /['’]s$/i.test(bare);
    const lw = fold(possessive ? bare.slice(0, -2) : bare);
    const ended = bare.length !== raw.length;
    if (!possessive && roleOf(lw) && lw !== 'adult') return after.slice(m[0].length).split(/\s+/).slice(0, k + 1).join(' ').replace(/[^\p{L}\p{N}]+$/u, '');
    const lead = ROLE_LEAD_WORDS.has(lw) || /^\d{1,2}(?:st|nd|rd|th)$/.test(lw) || (possessive && roleOf(lw) !== undefined);
    if (!lead || ended) return undefined;
  }
  return undefined;
}


function computeNameShaped(t: Tok): boolean {
  if (!t.cap || t.allCaps || t.w.length < 2) return false;
  if (isLexName(t.lw)) return !ROLE_WORDS.has(t.lw);
  return !(
    COMMON_WORDS.has(t.lw) ||
    ROLE_WORDS.has(t.lw) ||
    CALENDAR_WORDS.has(t.lw) ||
    ORG_SUFFIX_WORDS.has(t.lw) ||
    PLACE_WORDS.has(t.lw) ||
    GROUP_WORDS.has(t.lw) ||
    NAME_TITLES.has(t.lw) ||
    STAFF_TITLES.has(t.lw) ||
    AGE_NOUN_RE.test(t.lw)
  );
}

function lastMatchIndex(re: RegExp, s: string): number {
  re.lastIndex = 0;
  let last = -1;
  for (let m = re.exec(s); m; m = re.exec(s)) last = m.index;
  return last;
}

/** Sentence spans: split after . ! ? (not after abbreviations or initials) and at newlines. */
function splitSentences(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const ch = text[i];
    if (ch === '\n') {
      if (i > start) out.push([start, i]);
      start = i + 1;
      continue;
    }
    if (ch !== '.' && ch !== '!' && ch !== '?') continue;
    const next = text[i + 1];
    if (next !== undefined && next !== ' ' && next !== '\t' && next !== '\n' && next !== '"' && next !== "'" && next !== ')') continue;
    if (ch === '.') {
      let k = i;
      while (k > start && i - k < 8 && /[A-Za-z.]/.test(text[k - 1])) k--;
      const word = text.slice(k, i).toLowerCase().replace(/\./g, ' ').trim().split(' ').pop() ?? '';
      if (ABBREV.has(word) || word.length === 1) {
        // An abbreviation only ends a sentence when followed by a capital that is not a name part.
        let j = i + 1;
        while (j < n && text[j] === ' ') j++;
        if (j >= n || !/[A-Z]/.test(text[j]) || word.length === 1 || ['mr', 'mrs', 'ms', 'dr', 'st', 'sgt', 'det', 'no', 'apt'].includes(word)) continue;
        if (MONTH_INDEX[word] !== undefined) continue;
      }
    }
    out.push([start, i + 1]);
    start = i + 1;
  }
  if (start < n) out.push([start, n]);
  if (!out.length) out.push([0, n]);
  return out;
}
