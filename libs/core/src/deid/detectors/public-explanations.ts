/**
 * Why an identifier-shaped value is public (round ten). A value shaped like a personal identifier
 * is a finding unless one of these explains it: a citation or a product, form, policy, recall, lot,
 * model or NDC number; a date, a year or a time; money, a count, a measure or a percentage; a
 * toll-free or crisis line; the agency's own published contacts (knownPublic); the notice's own
 * reference; a value another rule already judged public. These lists are where precision is kept.
 */
import { insideDate, overlapsDate } from '../labelled-values';
import { ScanContext } from '../text-context';
import { digitCount, patternOf, ShapedValue } from './identifier-shapes';
import { EXCHANGE_REFERENCE_RE, NOTICE_REFERENCE_RE, PUBLIC_PREFIX_RE, TOLL_FREE_LINE_RE } from './public-numbers';

/** A label that makes the number after it public: citations, documents, products, money, meetings. */
const PUBLIC_LABEL_RE =
  /(?<w>\$|€|£|\b(?:section|sec|secs|statute|statutes|stat|stats|comp|admin|adm|ann|code|codes|rule|rules|regulation|regs?|chapter|ch|title|CFR|U\.?S\.?C|OAC|OAR|WAC|ARM|RCW|TAC|ILCS|ASTM|ANSI|ISO|NFPA|UL|CPSC|NHTSA|FDA|K\.?S\.?A|act|law|ley|bill|HB|SB|ordinance|resolution|docket\s+sheet|form|forms|formulario|publication|pub|bulletin|policy|policies|memo|manual|standard|guidance|notice|model|models|modelo|lot|lots|lote|serial|sku|upc|gtin|ean|dpci|tcin|asin|item|items|product|producto|batch|recall|recalls|campaign|program|VINs|begin(?:ning)?\s+with|prefix|dial|catalog|catalogue|part|parts|style|NDC|NPI|EIN|FEIN|TIN|tax|DUNS|UEI|ISBN|ISSN|DOI|PMID|grant|subaward|subgrant|contract|award|invoice|purchase\s+order|(?:administrative|executive|general|standing)\s+order|PO|tracking|confirmation|version|v|build|release|page|pages|pp|room|suite|ste|table|figure|fig|step|course|class|training|webinar|meeting|passcode|webex|safety\s+alert|zoom|teams|dial-?in|conference|extension|ext|option|press|fax|hotline|helpline|crisis|toll[-\s]free|poison|tty|tdd|exhibit|appendix|volume|vol|issue|ticket|letter|project|waiver|help[-\s]?desk|change\s+request|service\s+request|HCPCS|modifier|zones?|script|example|e\.g|format|no\s+(?:later|earlier)|facility\s+license|provider\s+(?:id|number|license)|license\s+#?\s*for\s+the\s+facility|funds?|budget|appropriation|FY|SFY|FFY|USD|dollars?|population|total|totals?|numbering|stock|directive|amendment|agreement|(?:news|press)\s+release|NTSB|MMWR)s?\b)[^;\n]{0,25}$/i;
/** A word that ties the number to a person of the case: it outweighs a public word further back. */
const PERSONAL_LABEL_RE =
  /\b(?:SSN|social|seguro|member|miembro|medicaid|recipient|beneficiary|client|case|caso|child|child['’]s|youth|infant|baby|mother|father|mom|dad|parent|grandmother|grandfather|aunt|uncle|family|household|her|his|their|plate|tag|VIN|tribal|enrollment|CDIB|ID|account|cell|phone|tel[eé]fono|call|text|reach|DOB|MRN|record|patient|student|inmate|booking|docket|cause|petition)\b/gi;
/** A count, a measure or money after the number. */
const UNIT_AFTER_RE =
  /^\s?(?:(?:total|new|additional|unique|more|fewer|reported|confirmed|separate|estimated)\s)?(?:%|percent\b|per\s?cent\b|dollars?\b|USD\b|million\b|billion\b|units?\b|cans?\b|bottles?\b|packages?\b|boxes\b|pounds\b|lbs?\b|kg\b|miles?\b|km\b|feet\b|ft\b|people\b|persons\b|children\b|kids\b|families\b|households\b|residents\b|calls\b|reports\b|cases\b|visits\b|doses\b|members\b|youth\b|infants\b|deaths\b|births\b|views\b|downloads\b|hits\b|contacts\b|referrals\b|screenings\b|investigations\b|assessments\b|placements\b|incidents\b|injuries\b|admissions\b|callers\b|messages\b|texts\b|visitors\b|participants\b|records\b)/i;
/** A product word after the number: "(model)", "lot codes", "cribs sold". */
const PRODUCT_AFTER_RE = /^[^.;\n]{0,25}\b(?:model|lot|cans?|bottles?|units?|cribs?|car\s+seats?|strollers?|formula|product|recall(?:ed)?|sold|manufactured|batch)\b/i;
/** "one eight hundred, ...", "eight eight eight, ...": a toll-free prefix read out. */
const TOLL_FREE_SPOKEN_BEFORE_RE = /\b(?:(?:one|1)[\s,-]+)?eight(?:[\s-]+hundred|[\s,-]+(?:oh|zero)[\s,-]+(?:oh|zero)|[\s,-]+(?:three|four|five|six|seven|eight)[\s,-]+(?:three|four|five|six|seven|eight))[\s,.-]*$/i;
const TOLL_FREE = new Set(['800', '833', '844', '855', '866', '877', '888']);
/** Codes every reader knows: diseases, masks, roads, fiscal and calendar years, help-desk tickets, Virginia's code, grades, ordinals and units. */
const KNOWN_CODE_RE =
  /^(?:COVID-?19|SARS-CoV-2|H\d{1,2}N\d{1,2}|K?N9[59]|PM2|PM10|I-\d{1,3}|US-\d{1,3}|SR-\d{1,4}|CR\d{4}|FY-?\d{2,4}|SFY-?\d{2,4}|FFY-?\d{2,4}|Q[1-4]-?\d{2,4}|\d{4}-?Q[1-4]|ICD-\d{1,2}|DSM-\d|CPT-?\d{4,5}|Title-\w+|\d{4}-\d{2}[A-Z]?|CY-?\d{2,4}|(?:INC|CHG|RITM|REQ|PRB|TASK|SCTASK)\d{6,9}|\d{1,2}VAC\d{1,3}-\d{1,4}-\d{1,4})$/i;
/** A segment that is a number with an ordinal or a unit: 1st, 1990s, 10am, 5mg, 24hrs, 3yo. */
const UNIT_SEGMENT_RE = /^\d+(?:st|nd|rd|th|s|am|pm|a|p|mg|mcg|ml|l|kg|g|lbs?|oz|ft|in|cm|mm|hrs?|h|min|mins|sec|yo|mos?|wks?|yrs?|k|m|x|mph|gb|mb|kb|px|d|y|c|f)$/i;

/** The reason a shaped value is public, or undefined when nothing explains it. */
export function publicExplanation(ctx: ScanContext, v: ShapedValue): string | undefined {
  const text = ctx.text;
  const value = text.slice(v.start, v.end);
  if (ctx.cleared(v.start, v.end)) return 'judged public by another rule';
  const token = tokenAround(text, v.start, v.end);
  if (PUBLIC_PREFIX_RE.test(token) || NOTICE_REFERENCE_RE.test(token) || EXCHANGE_REFERENCE_RE.test(token)) return 'a public reference';
  if (v.shape === 'digits' || v.shape === 'code') {
    if (insideDate(ctx, v.start, v.end) || overlapsDate(ctx, v.start, v.end) || compactDate(value)) return 'a date';
  }
  if (v.shape === 'digits') {
    const why = digitRunExplanation(ctx, v, value);
    if (why) return why;
  }
  if (v.shape === 'spoken' && TOLL_FREE_SPOKEN_BEFORE_RE.test(text.slice(Math.max(0, v.start - 40), v.start))) return 'a toll-free line read out';
  // Round eighteen: Alaska's statutes ("AS 47.10.011"), in capitals only: "her number as ..." is no citation.
  if (/\b(?:AS|A\.S\.)\s?$/.test(text.slice(Math.max(0, v.start - 6), v.start)) && /^\d{2}\.\d{2}\.\d{3}$/.test(value)) return 'a citation';
  if (v.shape === 'plate' && publicLabelBefore(value.replace(/[\s-]\d+$/, ''))) return 'a citation';
  if (v.shape === 'code' && !codeIsIdentifier(value)) return 'a common code, ordinal or measure';
  if (TOLL_FREE_LINE_RE.test(value)) return 'a toll-free line';
  // Lower-case hexadecimal (9fddb1, 3e7a0c2d): a hash or a generated suffix; people's numbers are not written so.
  if (v.shape === 'code' && /^[0-9a-f]+$/.test(value)) return 'a hexadecimal id';
  if (UNIT_AFTER_RE.test(text.slice(v.end, v.end + 30))) return 'a count or a measure';
  if (PRODUCT_AFTER_RE.test(text.slice(v.end, v.end + 40))) return 'a product number';
  // Not ctx.before: abbreviations of citations ("Tenn. Comp. R. 0250-04-09") end no sentence.
  const window = text.slice(Math.max(0, v.start - 100), v.start);
  if (publicLabelBefore(beforeList(window.slice(window.lastIndexOf('\n') + 1)))) return 'after a public label';
  const placed = ctx.placementOf(v.start);
  if (placed && (publicLabelBefore(placed.header) || publicLabelBefore(placed.rowLabel))) return 'under a public heading';
  return undefined;
}

function digitRunExplanation(ctx: ScanContext, v: ShapedValue, value: string): string | undefined {
  const groups = value.split(/[^\d]+/).filter(Boolean);
  const seps = value.replace(/[\d()]/g, '').trim();
  if (groups.length === 2 && /^\.+$/.test(seps)) return 'a decimal number';
  if (groups.every((g) => /^(?:19|20)\d\d$/.test(g))) return 'years';
  if (/^\d{5}-\d{4}$/.test(value)) return 'a ZIP+4 code';
  let digits = value.replace(/\D/g, '');
  if (digits.length === 11 && digits[0] === '1') digits = digits.slice(1);
  if (digits.length === 10 && TOLL_FREE.has(digits.slice(0, 3))) return 'a toll-free line';
  if (digits.length === 10 && ctx.publicValues.phones.has(digits)) return "the agency's published number";
  if (/\d[.,]$/.test(ctx.text.slice(Math.max(0, v.start - 2), v.start))) return 'part of a larger number';
  return undefined;
}

/** A code of letters and digits that names no one: a known code, an ordinal, a measure, words joined by hyphens. */
function codeIsIdentifier(value: string): boolean {
  if (KNOWN_CODE_RE.test(value)) return false;
  const segments = value.split('-');
  // "10-year-old", "24-hour", "3-in-1": a number joined to words.
  if (segments.some((s) => /^[a-z]{2,}$/.test(s))) return false;
  if (segments.every((s) => /^\d+$/.test(s) || /^[A-Za-z]+$/.test(s) || UNIT_SEGMENT_RE.test(s))) {
    // Letters and digits only in separate segments ("CF-2210", "MA-7782-19"): a code when the digits are long enough.
    return segments.some((s) => /^[A-Za-z]+$/.test(s)) && digitCount(value) >= 5;
  }
  return !segments.every((s) => /^\d+$/.test(s) || /^[A-Za-z]+$/.test(s) || UNIT_SEGMENT_RE.test(s));
}

/** A range or list of values shares its first value's label: "lots 2411-0937 through 2411-0952", "models A-12, A-14 and A-16". */
const LISTED_VALUE_BEFORE_RE = /[\w…-]*\d[\w…-]*\s{0,2}(?:through|thru|to|and|or|y|,|–|—|-)\s{0,2}(?:and\s{1,2})?$/i;

function beforeList(before: string): string {
  let b = before;
  for (let k = 0; k < 6; k++) {
    const m = LISTED_VALUE_BEFORE_RE.exec(b);
    if (!m) break;
    b = b.slice(0, m.index);
  }
  return b;
}

/**
 * A value written like one a rule judged public in the same field ("Fleet vehicle #CW-2214 ...; book
 * #CW-2215") is of its series, unless a person's word stands right before it. `series` holds patternOf().
 */
export function ofPublicSeries(series: ReadonlySet<string>, value: string, before: string): boolean {
  return series.size > 0 && series.has(patternOf(value)) && !personalLabelBefore(before);
}

/** A word tying the value to a person of the case stands in the text just before it ("her cell", "case"). */
export function personalLabelBefore(before: string): boolean {
  PERSONAL_LABEL_RE.lastIndex = 0;
  return PERSONAL_LABEL_RE.test(before.slice(-30));
}

/** The nearest label before the value is a public one (a personal word after it wins). */
function publicLabelBefore(before: string): boolean {
  // A section sign starts a citation that may run on ("§§ 4-12.1, 4-12.6 and 4-13"); a sum of money
  // makes the numbers after it budget lines and awards.
  if (/[§$€£]/.test(before)) return true;
  let label = PUBLIC_LABEL_RE.exec(before);
  if (!label) return false;
  // Round eighteen: the nearest public word speaks ("on Zoom (meeting ID 812 4470 3391)").
  let at = label.index;
  for (let from = at + label.groups!.w.length, next = PUBLIC_LABEL_RE.exec(before.slice(from)); next; next = PUBLIC_LABEL_RE.exec(before.slice(from))) {
    at = from + next.index;
    label = next;
    from = at + next.groups!.w.length;
  }
  // "meeting ID", "lot number": the public word's own noun is not a personal cue.
  const rest = before.slice(at + (label.groups?.w ?? '').length).replace(/^\s{0,2}(?:ID|I\.D\.|number|no\.?|#|code)\b/i, '');
  PERSONAL_LABEL_RE.lastIndex = 0;
  return !PERSONAL_LABEL_RE.test(rest);
}

function compactDate(value: string): boolean {
  return /^(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$/.test(value);
}

/** The whole token the value sits in (letters, digits and hyphens around it). */
function tokenAround(text: string, start: number, end: number): string {
  let s = start;
  let e = end;
  while (s > 0 && /[\w-]/.test(text[s - 1]) && start - s < 20) s--;
  while (e < text.length && /[\w-]/.test(text[e]) && e - end < 20) e++;
  return text.slice(s, e);
}
