/**
 * tribal_enrollment: a tribal enrollment, membership, citizenship, census or roll number, a tribal
 * or band ID, or a CDIB (Certificate of Degree of Indian Blood) number, in any format
 * (10458, 312-887, CN-0238814, #0047718). Not: council resolutions, statutes, open enrollment.
 */
import { Candidate, candidate, DeidDetector, matches } from '../detector';
import { ScanContext } from '../text-context';

const STRONG_KW = String.raw`tribal\s{1,3}(?:enrollment|enrolment|membership|member|citizenship|citizen|registration|roll|ID|identification|card|census)(?:\s{1,3}(?:card|ID))?|CDIB|Certificate\s{1,3}of\s{1,3}(?:Degree\s{1,3}of\s{1,3})?Indian\s{1,3}Blood|band\s{1,3}(?:ID|member(?:ship)?|enrollment|roll)|nation\s{1,3}(?:ID|citizenship|member(?:ship)?)|census\s{1,3}(?:no\.?|number|#)|roll\s{1,3}(?:no\.?|number|#)|BIA\s{1,3}(?:ID|card)`;
const WEAK_KW = String.raw`enrollment|enrolment|roll|citizenship|citizen\s{1,3}ID|member\s{1,3}ID|membership|census|member`;
const GAP_WORD = String.raw`(?:[*_]{1,2}|ID\b|number\b|no\.|nos?\b|#|card\b|is\b|was\b|:|,|\(|for\b|of\b|the\b|lists\b|listed\b|shows\b|reads\b|bears\b|on\s+file\b|number\s+is\b)`;
const VALUE = String.raw`#?\s{0,2}[A-Z]{0,4}-?\d[0-9A-Z]{0,12}(?:-[0-9A-Z]{1,10}){0,3}`;
const TRIBAL_RE = new RegExp(String.raw`(?<![\w-])(?<kw>${STRONG_KW}|${WEAK_KW})\b(?<gap>(?:\s{0,3}${GAP_WORD}){0,5})\s{0,3}(?<val>${VALUE})(?![\w-])`, 'gi');
const TRIBAL_CONTEXT_RE = /\b(?:tribe|tribes|tribal|nation|band|pueblo|icwa|indian|native|enrolled|rancheria|reservation|cherokee|navajo|diné|dine|creek|muscogee|choctaw|chickasaw|ojibwe|lakota|dakota|sioux|apache|hopi|seminole|osage|ho-chunk|oneida|menominee|potawatomi|blackfeet|crow|cheyenne|arapaho|shoshone|paiute|yakama|tlingit|haida|inupiat|yupik|alaska\s+native)\b/i;
const MARKER_RE = /#|\bno\.|\bnos?\b|\bnumber\b|\bid\b|:|\(/i;
const NOT_AN_ENROLLMENT_AFTER_RE = /^\s*(?:health|plans?|period|deadline|season|form|fair|event)\b/i;

export const tribalEnrollmentDetector: DeidDetector = {
  kind: 'tribal_enrollment',
  detect(ctx: ScanContext): Candidate[] {
    const text = ctx.text;
    const out: Candidate[] = [];
    for (const m of matches(TRIBAL_RE, text)) {
      const g = m.groups ?? {};
      const val = g.val.replace(/^#\s*/, '');
      if (!/^[A-Z]{0,4}-?\d[0-9A-Z-]*$/.test(val)) continue;
      const digits = val.replace(/\D/g, '').length;
      if (digits < 3 || /^(?:19|20)\d\d$/.test(val)) continue;
      if (NOT_AN_ENROLLMENT_AFTER_RE.test(text.slice(m.index + m[0].length, m.index + m[0].length + 20))) continue;
      const kw = g.kw.toLowerCase().replace(/\s+/g, ' ');
      const strong = new RegExp(`^(?:${STRONG_KW})$`, 'i').test(g.kw);
      if (!strong) {
        // Label lines ("Enrollment #: RB-11043") often name the tribe a line or two away.
        const around = text.slice(Math.max(0, m.index - 300), Math.min(text.length, m.index + m[0].length + 300));
        const marked = MARKER_RE.test(g.gap ?? '') || /#/.test(g.val) || /number|id/.test(kw);
        if (!marked || !TRIBAL_CONTEXT_RE.test(around)) continue;
      }
      const start = m.index + m[0].length - val.length;
      out.push(candidate('tribal_enrollment', start, start + val.length, `Number after '${g.kw.replace(/\s+/g, ' ')}' looks like a tribal enrollment or CDIB number`));
    }
    return out;
  },
};
