/**
 * ssn: a Social Security number — NNN-NN-NNNN; NNN NN NNNN, NNN.NN.NNNN or nine bare digits when
 * introduced as an SSN; the last four (or a masked xxx-xx-NNNN) introduced as one; digits read
 * out in words. A number in a citation (rule, code, form, docket) or introduced as another kind of
 * identifier (tribal, Medicaid, case, person ID) is left to that detector or to nobody.
 */
import { Candidate, candidate, DeidDetector, matches } from '../detector';
import { valuesUnderHeaders } from '../labelled-values';
import { ScanContext } from '../text-context';

const CUE = String.raw`(?:\bSOC\b(?=\s{0,2}[#:]?\s{0,2}(?:\d|$))|(?<![A-Za-z0-9])SSNs?\b|\bSS\s?#|\bS\.S\.N\.?|\bS\.?S\.?\s?(?:No\.?|Number)|\bsoc\.?\s{0,2}sec\.?(?:\s{0,2}(?:no\.?|number|#))?|\bsocial\s+security(?:\s+(?:number|no\.?|#|card))?|\b(?:n[úu]mero\s+de\s+)?seguro\s+social|\bsocial\b(?=\s*(?:[:,(]|is\b|was\b|as\b|number\b|no\b|#|\d|ending\b|ends\b|last\b))|\bSS\b(?=\s?[:#])|\bSS\s+card\b)`;
const CUE_RE = new RegExp(CUE, 'i');
const CUE_GLOBAL_RE = new RegExp(CUE, 'gi');
const CUE_BEFORE_RE = new RegExp(`${CUE}[^.;\\n]{0,40}$`, 'i');
const DASHED_RE = /(?<![\w.-])(\d{3})-(\d{2})-(\d{4})(?![\w-]|\.\d)/g;
const LOOSE_RE = /(?<![\w.-])(\d{3})([ .-])(\d{2})[ .-](\d{4})(?![\w-]|\.\d)|(?<![\w.-])(\d{9})(?![\w-]|\.\d)/g;
const LAST_FOUR_RE = new RegExp(
  `${CUE}(?:\\s{0,3}(?:\\(|\\)|:|,|#|-|–|is|was|number|no\\.?|of|ending|ends|in|with|last|four|4|digits|the|reads|on\\s+file|xxx-xx-|XXX-XX-|\\*{3}-\\*{2}-)){0,8}\\s{0,3}(?<val>(?:[xX*]{3}-[xX*]{2}-)?\\d{4})\\b(?![-\\d])`,
  'gi',
);
/** Spanish: "los últimos cuatro dígitos del seguro social del niño: 7731". */
const SPANISH_LAST_FOUR_RE = /(?<![\p{L}])[úu]ltimos\s+(?:4|cuatro)(?:\s+d[íi]gitos)?\s+(?:del?\s+)?(?:(?:su|la|el)\s+)?(?:n[úu]mero\s+(?:de(?:l)?\s+)?)?(?:seguro\s+social|SSN|social)\b[^.;\n\d]{0,30}?(?<val>\d{4})\b(?![-\d])/giu;
/** A weaker cue for a number read out in words: "read his social over the phone: five two nine, ...". */
const SPOKEN_CUE_RE = /\b(?:social|SSN|S\.S\.N|seguro\s+social|soc\.?\s*sec)\b/i;
/** Digits spaced one by one in the 3-2-4 shape, as a form or a copied screen gives them: "5 1 2 - 4 4 - 9 0 3 1". */
const SPACED_RE = /(?<![\w-])\d\s\d\s\d\s{0,2}(?<sep>[-.]?)\s{0,2}\d\s\d\s{0,2}\k<sep>\s{0,2}\d\s\d\s\d\s\d(?![\w-]|\s\d)/g;
const LAST_FOUR_PHRASE_RE = /\blast\s+(?:four|4)(?:\s+digits)?\s+of\s+(?:(?:the|her|his|their)\s+)?(?:[\p{L}'’-]+\s+){0,2}(?:SSN|social(?:\s+security(?:\s+number)?)?)\b[\s,:()]{0,4}(?<val>\d{4})\b/giu;
/** "the children's SSNs by last four only, ending 4471 and 3390": a cue, a last-four phrase, then 4-digit groups. */
const LAST_FOUR_BEFORE_RE = /(?:\blast\s+(?:four|4)(?:\s+digits)?|\bending(?:\s+in)?|\bends\s+in|[xX*]{3}-[xX*]{2}-|(?<![\p{L}])[úu]ltimos\s+(?:4|cuatro)(?:\s+d[íi]gitos)?|\btermina(?:d[oa])?\s+en|\bque\s+termina\s+en|\bfinaliza\s+en)[\s,:;()#]*(?:(?:es|son|is|are|was|were)\s+)?$/iu;
const FOUR_DIGITS_RE = /(?<![\w-])\d{4}(?![\w-])/g;
/** Masked with any mask and separator: XXX-XX-1234, ***.**.6620, •••-••-4471, xxx xx 1234. */
const MASKED_RE = /(?<![\w-])[xX*•#]{3}([-. ]?)[xX*•#]{2}\1\d{4}\b/g;
/**
 * Round seventeen: one digit masked in the middle group ("318-4X-0071"): eight digits left. Round
 * twenty-nine: or in the first group ("73X-47-1190").
 */
const ONE_MASKED_RE = /(?<![\w-])(?:\d{3}-(?:\d[xX*•#]|[xX*•#]\d)|(?:\d{2}[xX*•#]|\d[xX*•#]\d|[xX*•#]\d{2})-\d{2})-\d{4}(?![\w-])/g;
/** Masked with the middle left visible, which with the last four is six of the nine digits: ***-86-2210. */
const MASKED_MIDDLE_RE = /(?<![\w-])[xX*•#]{3}([-. ]?)\d{2}\1\d{4}(?![\w-])/g;
const DIGIT_WORD = '(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)';
const SPOKEN_RE = new RegExp(`${DIGIT_WORD}(?:[\\s,-]{1,3}${DIGIT_WORD}){8,10}`, 'gi');
/** "SSN ending four four seven one", "her social as nine oh four four": four digits read out in words after a cue. */
const SPOKEN_LAST_FOUR_RE = new RegExp(`${CUE}[^.;\\n]{0,40}?\\b(?<val>${DIGIT_WORD}(?:[\\s,-]{1,3}${DIGIT_WORD}){3})\\b(?![\\s,-]{1,3}${DIGIT_WORD}\\b)`, 'gi');
/** Round nine: "his social? ... ends in seven seven oh two": a last-four phrase, four digits in words, a weak cue before. */
const SPOKEN_ENDING_RE = new RegExp(`\\b(?:ends?\\s+in|ending(?:\\s+in)?|last\\s+(?:four|4)(?:\\s+(?:digits|are|is))*|termina(?:d[oa])?\\s+en)[\\s:,]{1,3}(?<val>${DIGIT_WORD}(?:[\\s,-]{1,3}${DIGIT_WORD}){3})\\b(?![\\s,-]{1,3}${DIGIT_WORD}\\b)`, 'gi');
/** OCR that read digits as letters: 4O7-l2-9981 (O for 0, I or l for 1), with six or more real digits. */
const OCR_RE = /(?<![\w.-])[\dOoIl]{3}-[\dOoIl]{2}-[\dOoIl]{4}(?![\w-])/g;
/** Round six: the other end of a range of numbers in the same shape. */
const RANGE_AFTER_RE = /^\s{0,2}(?:through|thru|to|until|-|–|—)\s{0,2}\d{3}-\d{2}-\d{4}\b/i;
const RANGE_BEFORE_RE = /\b\d{3}-\d{2}-\d{4}\s{0,2}(?:through|thru|to|until|-|–|—)\s{0,2}$/i;
const CITATION_BEFORE_RE =
  /(?:\b(?:DPCI|TCIN|UPC|GTIN|rule|rules|regulation|reg|code|OAC|WAC|ARM|CFR|USC|U\.S\.C|section|sec|chapter|ch|title|form|policy|statute|docket|bulletin|standard|manual|ordinance|resolution|memo|article|art|part|subpart|course|item|model|lot|serial|sku|catalog|recall|order|bill|case|cause|petition|ID|member|enrollment|enrolment|tribal|census|CDIB|medicaid|person|client|referral|intake|report|account|MRN|record|license|licence|permit|phone|tel|fax|cell|card|citizenship|roll|band|nation)\b|§)[\s.#:()-]{0,6}(?:no\.?|number|#)?[\s.#:]{0,3}$/i;

export const ssnDetector: DeidDetector = {
  kind: 'ssn',
  detect(ctx: ScanContext): Candidate[] {
    const text = ctx.text;
    const out: Candidate[] = [];
    const cuedBefore = (at: number): boolean => CUE_BEFORE_RE.test(ctx.before(at, 60));
    // The SSN cue itself ("Soc. Sec. No.") is not a citation ("Sec. 4").
    const citedBefore = (at: number): boolean => CITATION_BEFORE_RE.test(ctx.before(at, 30).replace(CUE_GLOBAL_RE, ' '));
    for (const m of matches(DASHED_RE, text)) {
      const area = Number(m[1]);
      if (area === 0 || area === 666 || m[2] === '00' || m[3] === '0000') continue;
      const cue = cuedBefore(m.index);
      if (!cue && (area >= 900 || citedBefore(m.index))) continue;
      // "lots from 512-44-8830 through 512-44-8899": a range of numbers is a product's or a form's, never a person's.
      if (!cue && (RANGE_AFTER_RE.test(text.slice(m.index + m[0].length, m.index + m[0].length + 24)) || RANGE_BEFORE_RE.test(text.slice(Math.max(0, m.index - 24), m.index)))) continue;
      out.push(candidate('ssn', m.index, m.index + m[0].length, cue ? 'Number introduced as a Social Security number' : 'Looks like a Social Security number (NNN-NN-NNNN)'));
    }
    for (const m of matches(LOOSE_RE, text)) {
      if (!cuedBefore(m.index) || citedBefore(m.index)) continue;
      out.push(candidate('ssn', m.index, m.index + m[0].length, 'Number introduced as a Social Security number'));
    }
    for (const re of [LAST_FOUR_RE, LAST_FOUR_PHRASE_RE, SPANISH_LAST_FOUR_RE]) {
      for (const m of matches(re, text)) {
        const val = m.groups?.val ?? '';
        const start = m.index + m[0].length - val.length;
        out.push(candidate('ssn', start, start + val.length, 'Last digits of a Social Security number'));
      }
    }
    for (const m of matches(CUE_GLOBAL_RE, text)) {
      const from = m.index + m[0].length;
      const rest = ctx.after(from, 90);
      let accepted = -1;
      FOUR_DIGITS_RE.lastIndex = 0;
      for (let d = FOUR_DIGITS_RE.exec(rest); d; d = FOUR_DIGITS_RE.exec(rest)) {
        const listed = accepted >= 0 && d.index - accepted <= 20 && /^[\s,:;()#-]*(?:and|or|&|y)?[\s,:;()#-]*$/i.test(rest.slice(accepted, d.index));
        if (!listed && !LAST_FOUR_BEFORE_RE.test(rest.slice(Math.max(0, d.index - 40), d.index))) {
          if (accepted >= 0) break;
          continue;
        }
        out.push(candidate('ssn', from + d.index, from + d.index + 4, 'Last digits of a Social Security number'));
        accepted = d.index + 4;
      }
    }
    for (const m of matches(OCR_RE, text)) {
      if (/[OoIl]/.test(m[0]) && m[0].replace(/\D/g, '').length >= 6) out.push(candidate('ssn', m.index, m.index + m[0].length, 'Social Security number with letters for digits (as OCR reads them)'));
    }
    for (const m of matches(MASKED_RE, text)) out.push(candidate('ssn', m.index, m.index + m[0].length, 'Masked Social Security number with its last four digits'));
    for (const m of matches(ONE_MASKED_RE, text)) out.push(candidate('ssn', m.index, m.index + m[0].length, 'Social Security number with one digit masked'));
    for (const m of matches(MASKED_MIDDLE_RE, text)) out.push(candidate('ssn', m.index, m.index + m[0].length, 'Masked Social Security number with six of its digits'));
    for (const m of matches(SPOKEN_LAST_FOUR_RE, text)) {
      const val = m.groups?.val ?? '';
      const start = m.index + m[0].length - val.length;
      out.push(candidate('ssn', start, start + val.length, 'Last digits of a Social Security number read out in words'));
    }
    for (const m of matches(SPOKEN_ENDING_RE, text)) {
      // Spoken text breaks into short sentences ("his social? hold on... it ends in ..."): the cue may be a sentence back.
      if (!SPOKEN_CUE_RE.test(text.slice(Math.max(0, m.index - 80), m.index))) continue;
      const val = m.groups?.val ?? '';
      const start = m.index + m[0].length - val.length;
      out.push(candidate('ssn', start, start + val.length, 'Last digits of a Social Security number read out in words'));
    }
    for (const m of matches(SPOKEN_RE, text)) {
      if (!CUE_RE.test(ctx.before(m.index, 80)) && !SPOKEN_CUE_RE.test(ctx.before(m.index, 80))) continue;
      out.push(candidate('ssn', m.index, m.index + m[0].length, 'Social Security number read out in words'));
    }
    for (const m of matches(SPACED_RE, text)) {
      if (!m.groups?.sep && !cuedBefore(m.index)) continue;
      out.push(candidate('ssn', m.index, m.index + m[0].length, 'Social Security number with its digits spaced out'));
    }
    // A table column or list headed as the SSN ("| SS# (last 4) |"): its four- or nine-digit values.
    for (const v of valuesUnderHeaders(ctx, CUE_RE, { minDigits: 4 })) {
      const digits = text.slice(v.start, v.end).replace(/\D/g, '').length;
      if (digits === 4 || digits === 9) out.push(candidate('ssn', v.start, v.end, `Number under the heading '${v.label.trim().slice(0, 30)}'`));
    }
    return out;
  },
};
