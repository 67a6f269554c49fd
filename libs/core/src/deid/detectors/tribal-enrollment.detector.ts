/**
 * tribal_enrollment: a tribal enrollment, membership, citizenship, census or roll number, a tribal
 * or band ID, or a CDIB (Certificate of Degree of Indian Blood) number, in any format (10458,
 * 312-887, CN-0238814, CZ/2019/0456, 14-0077-B, TCID 118 204 55), after any of its labels
 * ("enrollment no.", "Enr. #", "Roll No.", "Census No.", "citizenship card no.", "Reg. No.",
 * "número de inscripción tribal"), after a tribe's name ("Navajo Nation #0912-448"), or in a
 * table or list headed by such a label. Labels that are ordinary words elsewhere (enrolled,
 * member, citizen, registration) count only where the text is about a tribe.
 * Not: council resolutions, codes and statutes, counts of members, years, phone numbers.
 */
import { Candidate, candidate, DeidDetector, matches } from '../detector';
import { ID_VALUE_SRC, isIdentifierValue, LabelledValue, valuesAfterLabels, valuesUnderHeaders } from '../labelled-values';
import { ScanContext } from '../text-context';

const MARK = String.raw`(?:\s{0,3}(?:no\.?|nos?\.?|nbr\.?|number|#|ID|I\.D\.|card|cert(?:ificate)?))`;
/** Labels that name a tribal number on their own. */
const STRONG_LABEL_RE = new RegExp(
  [
    String.raw`\btribal\s{1,3}(?:enrol(?:l)?ment|membership|member|citizenship|citizen|registration|roll|census|ID|I\.D\.|identification|card|number|no\.?|#)(?:${MARK}){0,2}`,
    String.raw`\bCDIB\b(?:${MARK}){0,2}`,
    String.raw`\bCertificate\s{1,3}of\s{1,3}(?:Degree\s{1,3}of\s{1,3})?Indian\s{1,3}Blood(?:${MARK}){0,2}`,
    String.raw`\b(?:Indian|BIA)\s{1,3}(?:census|roll|blood|ID|card)(?:${MARK}){0,2}`,
    String.raw`\b(?:base\s{1,3}roll|Dawes\s{1,3}roll|census|roll)${MARK}{1,2}`,
    String.raw`\b(?:enrol(?:l)?ment|enrolment|enr\.|membership|citizenship)${MARK}{1,2}`,
    String.raw`\b(?:band|nation|pueblo|tribe)\s{0,3}(?:ID|I\.D\.|member(?:ship)?\s{1,3}(?:no\.?|number|#|ID)|enrol(?:l)?ment|citizenship|roll)(?:${MARK}){0,2}`,
    String.raw`\b(?:n[úu]mero|no\.)\s{1,3}de\s{1,3}(?:inscripci[óo]n|afiliaci[óo]n|membres[íi]a|registro|ciudadan[íi]a)(?:\s{1,3}tribal)?`,
    String.raw`\b(?:inscripci[óo]n|membres[íi]a|afiliaci[óo]n)\s{1,3}tribal`,
  ].join('|'),
  'gi',
);
/** Ordinary words that label a tribal number only where the text is about a tribe. */
const WEAK_LABEL_RE = /\b(?:enrolled|enrol(?:l)?ment|enrolment|enr\.|members?|membership|citizens?|citizenship|registration|reg\.|registered|roll|census)\b/gi;
/** A tribe's own name before a number: "Navajo Nation #0912-448", "Mille Lacs Band: 1902-4471". */
const TRIBE_NAME_RE = /\b[A-Z][A-Za-z\u00C0-\u024F'’-]+(?:\s(?:\([A-Z][A-Za-z\u00C0-\u024F]+\)|[A-Z][A-Za-z\u00C0-\u024F'’-]+)){0,3}\s(?:Tribe|Tribes|Nation|Nations|Band|Pueblo|Rancheria|Indians|Indian\sCommunity)\b[\s,:(]{0,3}(?:#|no\.?|ID\b)?/g;
const TRIBE_WORD_RE =
  /\b(?:Cherokee|Navajo|Din[ée]|Creek|Muscogee|Choctaw|Chickasaw|Ojibwe?|Anishinaabe|Lakota|Dakota|Sioux|Apache|Hopi|Seminole|Osage|Ho-Chunk|Oneida|Menominee|Potawatomi|Blackfeet|Cheyenne|Arapaho|Shoshone|Paiute|Yakama|Tlingit|Haida|Inupiat|Yupik|Zuni|Kiowa|Comanche|Pawnee|Ponca|Quapaw|Lumbee|Mohawk|Seneca|Chippewa|Cree|Salish|Umatilla|Lummi|Tulalip|Puyallup|Nisqually|Makah|Quinault|Shawnee|Delaware|Wichita|Caddo|Otoe|Sac\s+and\s+Fox|Oglala|Sicangu|Hunkpapa|Mandan|Hidatsa|Arikara|Assiniboine|Gros\s+Ventre|Crow|Northern\s+Cheyenne|Ute|Tohono\s+O['’]odham|Pascua\s+Yaqui|Yaqui|Mescalero|Jicarilla|Laguna|Acoma|Isleta|Taos)\b[\s,:(]{0,3}/g;
const TRIBAL_CONTEXT_RE =
  /\b(?:tribes?|tribal|nations?|band|pueblo|icwa|indian|native|rancheria|reservation|cdib|cherokee|navajo|din[ée]|creek|muscogee|choctaw|chickasaw|ojibwe?|anishinaabe|lakota|dakota|sioux|apache|hopi|seminole|osage|ho-chunk|oneida|menominee|potawatomi|blackfeet|crow|cheyenne|arapaho|shoshone|paiute|yakama|tlingit|haida|inupiat|yupik|alaska\s+native|pueblo|zuni|tohono|kiowa|comanche|pawnee|ponca|quapaw|lumbee|mohawk|seneca|iroquois|chippewa|cree|salish|nez\s+perce|umatilla|tribu|ind[íi]gena)\b/i;
/** Between a label and its value: another kind's label. */
const STOP_RE = /\b(?:medicaid|medi-cal|ssn|social\s+security|case|docket|referral|report|plate|vin|dob|birth|born|phone|cell|email|council|resolution|ordinance|office)\b/i;
const ENROLLMENT_WORD_RE = /^(?:enrolled|enrol(?:l)?ment|enrolment|enr\.|registration|reg\.|registered|roll|census)$/i;
const MARKER_RE = /#|\b(?:no|nos|nbr)\.|\bnumber\b/i;
const WEAK_OTHER_CONTEXT_RE = /\b(?:medicaid|school|student|program|health\s+plan|insurance|wic|snap|head\s+start|class|course|training|webinar|open\s+enrollment|voter)\b/i;

const ID_BEFORE_LABEL_RE = new RegExp(
  String.raw`#?(?<val>${ID_VALUE_SRC})(?![\w/-])\s{0,2}(?:\(\s{0,2}|,\s{1,2}|\s[—–-]\s)(?:(?:her|his|their|the\s+(?:child|infant|baby|mother|father)['’]s)\s+)?(?:tribal\s+(?:enrol(?:l)?ment|membership|citizenship|ID|card|number|roll)|CDIB|enrol(?:l)?ment\s+(?:no\.?|number|#)|census\s+(?:no\.?|number|#)|roll\s+(?:no\.?|number|#)|citizenship\s+(?:no\.?|number|#|card))`,
  'gi',
);

const BARE_VALUE_RE = new RegExp(String.raw`(?<![\w/.,$#-])${ID_VALUE_SRC}(?![\w/-]|[.,]\d)`, 'g');
/** Membership words: the sentence is about being enrolled. */
const MEMBERSHIP_RE = /\b(?:enrolled|enrollment|enrolment|member|membership|citizen|citizenship|roll|census|cdib|blood\s+quantum|tribal\s+(?:id|card))\b/i;
/** One person, not the tribe's statistics. */
const ONE_MEMBER_RE = /\b(?:child|infant|baby|toddler|boy|girl|son|daughter|mother|father|mom|dad|grandmother|grandfather|aunt|uncle|cousin|sibling|brother|sister|parent|caregiver|she|he|her|his)\b/i;
const CITATION_RE = /(?:§|\b(?:U\.?S\.?C|CFR|section|sec|title|chapter|code|resolution|ordinance|rule|act|law|P\.?L|page|pp|form|policy|bill|HB|SB))\.?\s*[\d(]*\s*$/i;

function tribalAround(ctx: ScanContext, at: number): boolean {
  return TRIBAL_CONTEXT_RE.test(ctx.text.slice(Math.max(0, at - 400), Math.min(ctx.text.length, at + 400)));
}

const COORDINATE_RE = /^-?\d{1,3}\.\d{3,}°?\s?[NS]?,\s{0,2}-?\d{1,3}\.\d{3,}/;

export const tribalEnrollmentDetector: DeidDetector = {
  kind: 'tribal_enrollment',
  detect(ctx: ScanContext): Candidate[] {
    const out: Candidate[] = [];
    const add = (v: LabelledValue, why: string): void => {
      // "Window Rock (35.6803, -109.0526)": a decimal degree of a coordinate pair, not a number of a person.
      if (COORDINATE_RE.test(ctx.text.slice(v.start, v.end + 24))) return;
      out.push(candidate('tribal_enrollment', v.start, v.end, `Number after '${v.label.replace(/\s+/g, ' ')}' looks like ${why}`));
    };
    const opts = { minDigits: 3, stopWords: STOP_RE };
    for (const v of valuesAfterLabels(ctx, STRONG_LABEL_RE, { ...opts, allowPhoneShape: true, maxGap: 60 })) add(v, 'a tribal enrollment or CDIB number');
    // The label after the number: "12-3345 (tribal enrollment)", "#4471, her CDIB number".
    for (const m of matches(ID_BEFORE_LABEL_RE, ctx.text)) {
      const start = m.index + (m[0].startsWith('#') ? 1 : 0);
      const end = start + (m.groups?.val ?? '').length;
      if (isIdentifierValue(ctx, start, end, { minDigits: 3 })) add({ start, end, label: m[0].slice(end - m.index).trim() }, 'a tribal number, labelled after it');
    }
    for (const v of valuesAfterLabels(ctx, WEAK_LABEL_RE, { ...opts, maxGap: 30 })) {
      if (WEAK_OTHER_CONTEXT_RE.test(ctx.before(v.start, 60))) continue;
      // "enrolled, No. 883", "Enrollment records (Reg. No. 5539-28)": an enrollment word with a number marker.
      const marked = ENROLLMENT_WORD_RE.test(v.label) && MARKER_RE.test(ctx.text.slice(Math.max(0, v.start - 30), v.start));
      if (!marked && !tribalAround(ctx, v.start)) continue;
      add(v, 'a tribal enrollment number');
    }
    for (const v of valuesAfterLabels(ctx, TRIBE_NAME_RE, { ...opts, maxGap: 30 })) add(v, "a tribal number given with the tribe's name");
    // A tribe's name alone ("Navajo #0912-448", "Oglala Sioux, 4471-221"): a marked or shaped number right after it.
    for (const v of valuesAfterLabels(ctx, TRIBE_WORD_RE, { ...opts, maxGap: 14 })) {
      const value = ctx.text.slice(v.start, v.end);
      const marked = /(?:#|\bno\.?|\bID)\s*$/i.test(ctx.text.slice(Math.max(0, v.start - 6), v.start));
      if (marked || /[-/A-Z]/.test(value)) add(v, "a tribal number given with the tribe's name");
    }
    // No label, but a sentence about one person's tribal membership: an ID-shaped number in it is the member's.
    for (const m of MEMBERSHIP_RE.test(ctx.text) ? matches(BARE_VALUE_RE, ctx.text) : []) {
      const start = m.index;
      const end = start + m[0].length;
      const [s0, e0] = ctx.sentenceSpan(start);
      const sentence = ctx.text.slice(Math.max(s0, start - 200), Math.min(e0, end + 120));
      if (!MEMBERSHIP_RE.test(sentence) || !ONE_MEMBER_RE.test(sentence) || CITATION_RE.test(ctx.before(start, 40))) continue;
      const digits = m[0].replace(/\D/g, '').length;
      if (!(digits >= 5 || (digits >= 3 && /[-/A-Z]/.test(m[0])))) continue;
      if (isIdentifierValue(ctx, start, end, { minDigits: 3 }) && !STOP_RE.test(ctx.before(start, 30))) add({ start, end, label: 'a sentence about tribal membership' }, 'a tribal enrollment number');
    }
    const header = new RegExp(`${STRONG_LABEL_RE.source}|${WEAK_LABEL_RE.source}`, 'i');
    for (const v of valuesUnderHeaders(ctx, header, opts)) if (tribalAround(ctx, v.start)) add(v, 'a tribal enrollment number (under its heading)');
    return out;
  },
};
