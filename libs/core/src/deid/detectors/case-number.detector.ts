/**
 * case_number: an identifier of a case, person, referral, report, court file or record in a
 * child-welfare, police, court, school or hospital system — after a label ("case #", "docket
 * no.", "MRN", "police report"), after a state system's name (FSFN, TFACTS, IMPACT, FamLink...),
 * or shaped like an agency identifier (CPS-2025-000781, 24-LA-0038815). Not: the notice's own
 * reference, policy/rule/bulletin/recall/model/lot/course/form numbers, "Case 3 in this review".
 */
import { Candidate, candidate, DeidDetector, matches } from '../detector';
import { insideDate, isIdentifierValue } from '../labelled-values';
import { ScanContext } from '../text-context';
import { cuedIdentifiers } from './cued-identifier';
import { patternOf } from './identifier-shapes';
import { ofPublicSeries } from './public-explanations';
import { NOTICE_REFERENCE_RE, PUBLIC_PREFIX_RE, TOLL_FREE_LINE_RE } from './public-numbers';


/** State child-welfare and court information systems whose name alone labels an identifier. */
export const STATE_SYSTEMS = [
  'SACWIS', 'CCWIS', 'eWiSACWIS', 'WiSACWIS', 'FSFN', 'TFACTS', 'FACTS', 'IMPACT', 'CANS', 'CAPS', 'eCAPS', 'FamLink', 'KIDS',
  'SSIS', 'TRAILS', 'CWS/CMS', 'CARES', 'CHILDS', 'ROM', 'Mosaic', 'OASIS', 'FOCUS', 'iCARE', 'CAMS', 'NC FAST', 'NCFAST',
  'CONNECTIONS', 'SCR', 'MiSACWIS', 'MiSACWIS', 'Comprehensive Child Welfare Information System', 'FACES', 'CYFD', 'ICWIS', 'WVPATH', 'TWIST',
];
const LABELS = [
  'case', 'referral', 'intake', 'investigation', 'inv', 'petition', 'docket', 'cause', 'report', 'rpt', 'incident', 'person', 'client',
  'child', 'youth', 'family', 'participant', 'household', 'file', 'record', 'assessment', 'allegation', 'complaint', 'matter',
  'MRN', 'medical record', 'patient', 'student', 'booking', 'arrest', 'warrant', 'CAD', 'CAD incident', 'dispatch', 'event',
  'ref', 'reference', 'account', 'member', 'episode', 'placement', 'court file', 'hospital', 'encounter', 'accession',
  'expediente', 'número de expediente', 'numero de expediente', 'número de caso', 'numero de caso', 'caso', 'informe', 'reporte',
];
/** Labels that need a marker (#, no., number, ID) or an ID-shaped value before they count. */
const WEAK_LABELS = new Set(['person', 'client', 'child', 'youth', 'family', 'participant', 'household', 'file', 'incident', 'report', 'record', 'member', 'account', 'event', 'placement', 'matter', 'hospital', 'episode', 'ref', 'reference', 'patient', 'student', 'assessment', 'encounter']);

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&').replace(/ /g, '\\s{1,3}');
const KW = [...STATE_SYSTEMS, ...LABELS].sort((a, b) => b.length - a.length).map(escape).join('|');
const GAP_WORD = String.raw`(?:[*_]{1,2}|\(|:|#|n[úu]mero\b|no\.|nos?\b|nbr\.?|num\.?|number\b|ID\b|I\.D\.|identifier\b|report\b|case\b|file\b|record\b|person\b|referral\b|intake\b|is\b|was\b|ref\.?)`;
const VALUE = String.raw`(?:[A-Z]{1,6}-){0,2}(?:[A-Z]{1,6}-?)?\d[0-9A-Z]{0,15}(?:-[0-9A-Z]{1,12}){0,4}`;
const LABELLED_RE = new RegExp(String.raw`(?<![\w-])(?<kw>${KW})\.?(?<gap>(?:\s{0,3}${GAP_WORD}){0,4})\s{0,3}#?\s{0,2}(?<val>${VALUE})(?![\w-])`, 'gi');
const MARKER_RE = /#|\bno\.|\bnos?\b|\bnbr\b|\bnum\b|\bnumber\b|\bid\b|i\.d\.|\bidentifier\b|:|\(/i;
const VALUE_CASED_RE = new RegExp(`^${VALUE}$`);
/** Agency-style identifiers without a label: letters-digits-digits or digits-letters-digits, with a long run of digits. */
// (Round twenty-seven: a court docket in four or five groups, "CP-51-DP-0001234-2025".)
const SHAPED_RE = /(?<![\w-])(?:[A-Z]{1,4}-\d{1,4}-[A-Z]{1,4}-\d{4,8}(?:-\d{2,4})?|[A-Z]{2,8}-\d{2,4}-\d{4,8}|[A-Z]{2,4}-[A-Z]{2,4}-\d{2,4}-\d{3,8}|\d{2,4}-[A-Z]{1,4}-\d{4,8}|[A-Z]{1,4}\d{2,4}-\d{5,8}|[A-Z]{1,3}-\d{2}-\d{5,8})(?![\w-])/g;
/** "NIH Pub. No. 22-HD-7040": a publication's number. */
const PUBLICATION_BEFORE_RE = /\b(?:pub|publ|publication|doc|document)\.?\s{0,2}(?:no\.?|#|number)\s{0,2}$/i;
export const NOT_A_CASE_BEFORE_RE =
  /\b(?:invoice|invoices|receipt|purchase\s+order|(?:print|work|supply|sales)\s+order|letter|letters|project|waiver|(?:AG|attorney\s+general['’]?s?|advisory|formal|informal)\s+opinion|notice|notices|policy|memo|memorandum|bulletin|directive|rule|rules|section|chapter|statute|code|resolution|recall|recalls|model|lot|serial|course|form|forms|bill|HB|SB|grant|contract|RFP|award|standard|version|FY|law|ordinance|regulation|manual|item|catalog|sku|upc|part|product|campaign|order\s+no|exhibit|training|webinar|session|ISBN|DOI|NDC|NPI|EIN|TIN|DEA|CPSC|NHTSA|FDA|NIH|pub|publication|federal\s+register|vendor|supplier|fleet|car|truck|van|bus|store|pharmacy|meeting|conference|webinar|zoom|passcode|subaward|subgrant|fax|phone|tel|cell|reference|administrative\s+order|enforcement|safety\s+alert|executive\s+order|general\s+order|emergency\s+order|directive|(?:news|press)\s+release|release\s+(?:no|#|number)|auditor|audit|numbering|stock|amendment|agreement|NTSB|CDC|MMWR|GAO|OIG|OSHA|NIOSH)\b(?:\s{0,2}no\.)?[^.;\n]{0,12}$/i;
/** Round sixteen: a reported case's caption before its docket ("Haaland v. Brackeen, No. 21-376"). */
const CAPTION_BEFORE_RE = /\b[A-Z][\w.'’&-]*(?:\s[A-Z][\w.'’&-]*){0,3}\s+v(?:s)?\.\s+[A-Z][\w.'’&-]*(?:\s[A-Z][\w.'’&-]*){0,3},?\s*$/;
const PUBLIC_CASE_AFTER_RE = /^[\s,]*\(?(?:[A-Z][\w.'’&-]*\s){0,4}(?:v\.|vs\.?)\s|^[\s,]*\((?:[A-Z][\w.'’&-]*\s?){1,5}(?:Inc\.?|LLC|Co\.|Corp\.?)\)/;
const ORPHAN_RE = /(?:(?<mark>(?<![\w&])#|\b[Nn]o\.|\b[Nn]º)\s?(?<val>[A-Z]{0,4}-?\d[\dA-Z]{0,14}(?:-[\dA-Z]{1,10}){0,4})|(?<![\w.:/-])(?<val2>\d{2,6}-\d{2,6}(?:-\d{1,6}){1,3}))(?![\w/-]|[.,]\d)/g;
/** Numbered things that are not cases or people. */
const NOT_AN_ID_BEFORE_RE =
  /\b(?:question|table|step|page|pages|room|suite|ext|extension|appendix|figure|slide|line|row|option|grade|level|tier|region|district|ward|precinct|route|highway|interstate|box|lot|apt|apartment|volume|vol|issue|edition|session|episode|item|goal|objective|strategy|recommendation|finding|standard|measure|indicator|priority|action|activity|task|phase|stage|round|cohort|class|team|group|site|station|engine|ladder|unit|no)\.?\s*#?\s*$/i;
/** "<any word> ID <value>": the word before "ID" names whose identifier it is. */
const ANY_ID_RE = /\b[A-Za-z][\w/-]{1,20}\s{1,2}(?:ID|I\.D\.|Id)\b\s{0,2}(?:#|no\.?|number)?\s{0,2}[:#]?\s{0,2}(?<val>(?:[A-Z]{1,6}-){0,2}\d[0-9A-Z]{0,15}(?:-[0-9A-Z]{1,12}){0,4})(?![\w-]|[.,]\d)/g;
/** A case label, then digits read out one by one ("case no. 4 4 7 0 1 9 2 8"). */
const SPACED_RE = /\b(?:case|referral|intake|report|record|person|client|docket|file|MRN)\b\.?\s{0,3}(?:#|no\s?\.?|number|ID)?\s{0,3}[:#]?\s{0,3}(?<val>\d(?:\s{1,2}\d){5,14})(?![\w]|\s{1,2}\d)/gi;
/** Identifiers that are not of a case or a person: a meeting, a tax or provider number, a product. */
const NOT_A_CASE_LABEL_RE = /\b(?:meeting|webinar|zoom|teams|conference|passcode|tax|employer|provider|NPI|EIN|vendor|product|model|device|item|order|tracking|transaction|invoice|confirmation|payment|group|plan|rx|bin|pcn|network|wifi|user|login|badge|employee|staff|worker|form|notice|document|batch|lot|serial|grant|award|project|study|trial)\b[^.;\n]{0,6}(?:ID|I\.D\.|Id)?\b[^.;\n]{0,8}$/i;

/** Round twenty-six: the end of a range whose start a rule judged public ("lot codes 27-B-0412 through 27-B-0460"). */
function endOfPublicRange(ctx: ScanContext, start: number, value: string): boolean {
  const range = /(?<first>[A-Z0-9][A-Z0-9-]{3,20})\s*(?:through|thru|to|–|—)\s*$/i.exec(ctx.text.slice(Math.max(0, start - 40), start));
  if (!range) return false;
  const firstStart = start - range[0].length;
  return patternOf(range.groups!.first) === patternOf(value) && ctx.cleared(firstStart, firstStart + range.groups!.first.length);
}

function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) n++;
  return n;
}

export const caseNumberDetector: DeidDetector = {
  kind: 'case_number',
  detect(ctx: ScanContext): Candidate[] {
    const text = ctx.text;
    const out: Candidate[] = [];
    // A date (12-APR-2023, 2025-03-14) is never a case number; the date detectors judge it.
    const isDate = (start: number, end: number): boolean => insideDate(ctx, start, end);
    for (const m of matches(LABELLED_RE, text)) {
      const g = m.groups ?? {};
      const val = g.val;
      if (!VALUE_CASED_RE.test(val) || NOTICE_REFERENCE_RE.test(val) || PUBLIC_PREFIX_RE.test(val)) continue;
      if (isDate(m.index + m[0].length - val.length, m.index + m[0].length)) continue;
      const digits = digitCount(val);
      if (digits < 4 || /^(?:19|20)\d\d$/.test(val)) continue;
      // "Intake: 1-800-555-0175": a toll-free line is a desk's, never a case's.
      if (TOLL_FREE_LINE_RE.test(val)) continue;
      const kw = g.kw.toLowerCase().replace(/\s+/g, ' ');
      const gap = g.gap ?? '';
      const marked = MARKER_RE.test(gap);
      const shaped = /-/.test(val) || /[A-Z]/.test(val) || digits >= 6;
      if (WEAK_LABELS.has(kw) && !marked && !shaped) continue;
      // "Record 20230814 as the completion date": a compact date after a weak label is a date.
      if (WEAK_LABELS.has(kw) && /^(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$/.test(val)) continue;
      if (/\b(?:is|was)\b/i.test(gap) && !marked && !shaped) continue;
      // "Case 3 in the review", "report 2025": enumerators and years are not identifiers.
      // "CPS case 4471", "DCS referral 8812": an agency's acronym before the label makes a short number an identifier.
      const agencyBefore = /\b[A-Z]{2,6}\s$/.test(text.slice(Math.max(0, m.index - 8), m.index)) && !/\b(?:ICWA|CFR|USC|HB|SB)\s$/.test(text.slice(Math.max(0, m.index - 6), m.index));
      if (!marked && digits < 5 && !/-/.test(val) && !agencyBefore) continue;
      if (NOT_A_CASE_BEFORE_RE.test(ctx.before(m.index, 40))) {
        ctx.clear(m.index, m.index + m[0].length); // a citation, form or product number
        continue;
      }
      // A published report or bulletin number ("Report 2025-03"), or a reported court case ("(State v. Acme Cribs)").
      if (/^(?:19|20)\d\d-\d{1,2}$/.test(val) || PUBLIC_CASE_AFTER_RE.test(text.slice(m.index + m[0].length, m.index + m[0].length + 60))) continue;
      out.push(candidate('case_number', m.index, m.index + m[0].length, `Looks like a case or person identifier after '${g.kw.replace(/\s+/g, ' ')}'`));
    }
    for (const m of matches(SHAPED_RE, text)) {
      if (PUBLIC_PREFIX_RE.test(m[0]) || NOTICE_REFERENCE_RE.test(m[0]) || NOT_A_CASE_BEFORE_RE.test(ctx.before(m.index, 40)) || PUBLICATION_BEFORE_RE.test(text.slice(Math.max(0, m.index - 20), m.index)) || endOfPublicRange(ctx, m.index, m[0])) {
        ctx.clear(m.index, m.index + m[0].length); // a citation, form or product number
        continue;
      }
      if (isDate(m.index, m.index + m[0].length) || PUBLIC_CASE_AFTER_RE.test(text.slice(m.index + m[0].length, m.index + m[0].length + 60))) continue;
      out.push(candidate('case_number', m.index, m.index + m[0].length, 'Looks like an agency case or record identifier', 1));
    }
    // Any label before "ID" ("Call ID 26-1-774319", "Intake ID: K-22019") and digits read out after a case label.
    for (const m of [...matches(ANY_ID_RE, text), ...matches(SPACED_RE, text)]) {
      const val = m.groups?.val ?? '';
      const start = m.index + m[0].length - val.length;
      const end = start + val.length;
      if (digitCount(val) < 5 || PUBLIC_PREFIX_RE.test(val) || NOTICE_REFERENCE_RE.test(val) || isDate(start, end)) continue;
      const before = ctx.before(m.index, 40) + text.slice(m.index, start);
      if (NOT_A_CASE_BEFORE_RE.test(ctx.before(m.index, 40)) || NOT_A_CASE_LABEL_RE.test(before)) continue;
      if (!isIdentifierValue(ctx, start, end, { minDigits: 5 })) continue;
      out.push(candidate('case_number', start, end, `Looks like an identifier after '${text.slice(m.index, start).trim()}'`, 1));
    }
    // With no label at all: "#3304-17-0088", "No. 44718", or a long number in dashed groups ("3304-17-0088").
    // Round eighteen: numbers written like one judged public are of its series ("Fleet vehicle #CW-2214
    // is out; book #CW-2215 or #CW-2231"), unless a person's word stands right before them.
    const publicSeries = new Set<string>();
    for (const m of matches(ORPHAN_RE, text)) {
      const val = m.groups?.val ?? m.groups?.val2 ?? '';
      const start = m.index + m[0].length - val.length;
      const end = start + val.length;
      if (digitCount(val) < 4 || /^(?:19|20)\d\d$/.test(val) || NOTICE_REFERENCE_RE.test(val) || PUBLIC_PREFIX_RE.test(val) || TOLL_FREE_LINE_RE.test(val)) continue;
      const before = ctx.before(m.index, 40);
      // ("Release No. 24-118": a news release's number, its mark right after the word.)
      if (NOT_A_CASE_BEFORE_RE.test(before) || NOT_AN_ID_BEFORE_RE.test(before) || CAPTION_BEFORE_RE.test(before) || (m.groups?.mark && /\brelease\s*$/i.test(before)) || PUBLICATION_BEFORE_RE.test(text.slice(Math.max(0, start - 24), start)) || /(?:\d:|§)\s?$/.test(text.slice(Math.max(0, m.index - 3), m.index))) {
        ctx.clear(start, end); // a citation, form, product or enumerated number
        if (/[A-Z]/i.test(val)) publicSeries.add(patternOf(val));
        continue;
      }
      if (ofPublicSeries(publicSeries, val, before)) {
        ctx.clear(start, end);
        continue;
      }
      // The second number of a range or list ("30-1789-4210 through 30-1789-4299") was judged with the first.
      if (/\d[\w-]*\s*(?:through|thru|to|and|or|,|–|-)\s*$/.test(before)) continue;
      if (!isIdentifierValue(ctx, start, end, { minDigits: 4 }) || PUBLIC_CASE_AFTER_RE.test(text.slice(end, end + 60))) continue;
      if (!m.groups?.mark && (digitCount(val) < 8 || /^\d{3}-\d{2}-\d{4}$/.test(val))) continue;
      // "#4480", "Walgreens #04417": a short plain number with no label numbers a car, a store or an item, not a case.
      if (/^\d{1,5}$/.test(val) && !/^\s\d{2,6}\b/.test(text.slice(end, end + 8))) continue;
      out.push(candidate('case_number', start, end, 'Looks like an identifier of a case or a person', 1));
    }
    return [...out, ...cuedIdentifiers(ctx)];
  },
};
