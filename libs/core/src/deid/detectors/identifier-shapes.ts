/**
 * Values shaped like a personal identifier, found by shape alone (round ten): digits in any
 * grouping (7 or more), digits read out in words or spaced one by one, masked values and "ending
 * in 1234", mixed letter-and-digit codes, plate-shaped tokens. Whether one is public is decided
 * elsewhere (public-explanations.ts); this module only says where the shapes are.
 * Every pattern is bounded, so the search is linear in the text.
 */
import { matches } from '../detector';

export type IdentifierShape = 'digits' | 'spoken' | 'spaced' | 'masked' | 'code' | 'plate';

export interface ShapedValue {
  start: number;
  end: number;
  shape: IdentifierShape;
}

/**
 * Digit groups joined by one separator each: 512-44-9031, (614) 555 0182, 8812 0044 17, 100.234.998
 * (round twenty-two: never across a line, as a table's rows are; round twenty-three: after a CSV
 * row's comma too, "[redacted],284610395", though never after a digit's: "2,456").
 */
const DIGIT_RUN_RE = /(?<![\p{L}\p{N}_$€£@/.+-]|[\p{N}][.,:])(?:\(\d{1,4}\)[ \t]?)?\d{1,20}(?:(?:[-.\u2013\u2011]|[ \t][-\u2013][ \t]|[ \t\u00a0])\d{1,20}){0,5}(?![\p{L}\p{N}_%/@]|[.,]\d|-\w)/gu;
const DIGIT_WORD = '(?:zero|oh|o|one|two|three|four|five|six|seven|eight|nine|cero|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve)';
/** Seven or more digits read out in words: "five one two, four four, nine oh three one". */
const SPOKEN_RE = new RegExp(`(?<![\\p{L}-])${DIGIT_WORD}(?:[\\s,.–-]{1,3}${DIGIT_WORD}){6,12}(?![\\p{L}-])`, 'giu');
/** Seven or more digits spaced one by one: "4 0 5 5 5 5 0 1 6 8", "5 1 2 - 4 4 - 9 0 3 1". */
const SPACED_RE = /(?<![\w.,-])\d(?:\s{1,2}(?:[-.]\s{1,2})?\d){6,12}(?![\w]|\s{1,2}\d)/g;
/** Masked values with their visible digits: xxx-xx-1234, ***-***-0182, XXXX XXXX 4471, ••••1234. */
const MASKED_RE = /(?<![\w])(?:[xX*•#]{2,5}[-. ]?){1,3}\d{3,4}(?![\w-])/g;
/** The last digits given alone: "ending in 1234", "ends with 0182", "last four 4471", "terminado en 7731". */
const ENDING_RE =
  /\b(?:ending(?:\s+(?:in|with))?|ends?\s+(?:in|with)|last\s+(?:four|4|five|5|six|6)(?:\s+digits)?(?:\s+(?:are|were|is|was|of))?|termina(?:d[oa])?\s+en|[úu]ltimos\s+(?:cuatro|4)(?:\s+d[íi]gitos)?)[\s:,#(]{1,4}(?<val>\d{3,6}|(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)(?:[\s,-]{1,3}(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)){3,5})(?![\w-])/gi;
/** The first characters of a plate: "partial plate, starts with 8H", "tag beginning with KX4". */
const PLATE_START_RE = /\b(?:plates?|tags?|placas?)\b[^.;\n]{0,30}?\b(?:starts?|starting|begins?|beginning|empieza)\s+(?:with|con)\s+(?<val>[A-Z0-9]{2,5})(?![\w])/gi;
/** One token of letters and digits mixed (hyphens inside allowed): ZGP914400372, 7KJX221, MA-7782-19Q. */
const CODE_RE = /(?<![\p{L}\p{N}_@./\\:-])(?=[A-Za-z0-9-]*\d)(?=[A-Za-z0-9-]*[A-Za-z])[A-Za-z0-9]+(?:-[A-Za-z0-9]+){0,3}(?![\p{L}\p{N}_@/\\-]|\.[A-Za-z0-9])/gu;
/** A plate written in parts: "BKR 4471", "HJK-482", "7 KJX 221", "4-TXL-90". */
const PLATE_RE = /(?<![\w-])(?:[A-Z]{2,4}[\s-]\d{3,5}|\d{1,2}[\s-][A-Z]{2,4}[\s-]\d{2,4})(?![\w-])/g;

/** Letters and digits mixed, with 5+ characters and 2+ digits; a plain word with an ordinal or a unit is not a code. */
export function codeShaped(token: string): boolean {
  const alnum = token.replace(/-/g, '');
  if (alnum.length < 5 || alnum.length > 24) return false;
  const digits = alnum.replace(/\D/g, '').length;
  return digits >= 2 && digits < alnum.length;
}

export function identifierShapes(text: string): ShapedValue[] {
  const out: ShapedValue[] = [];
  for (const m of matches(DIGIT_RUN_RE, text)) {
    const v = m[0].trimEnd();
    if (digitCount(v) >= 7) out.push({ start: m.index, end: m.index + v.length, shape: 'digits' });
  }
  for (const m of matches(SPOKEN_RE, text)) {
    // "one, two, three, four, five, six, seven" is counting, not a number.
    if (!'0123456789'.includes(spokenDigits(m[0]))) out.push({ start: m.index, end: m.index + m[0].length, shape: 'spoken' });
  }
  for (const m of matches(SPACED_RE, text)) out.push({ start: m.index, end: m.index + m[0].length, shape: 'spaced' });
  for (const m of matches(MASKED_RE, text)) out.push({ start: m.index, end: m.index + m[0].length, shape: 'masked' });
  for (const m of matches(ENDING_RE, text)) {
    const val = m.groups?.val ?? '';
    const at = m.index + m[0].length - val.length;
    out.push({ start: at, end: at + val.length, shape: 'masked' });
  }
  for (const m of matches(CODE_RE, text)) {
    if (codeShaped(m[0])) out.push({ start: m.index, end: m.index + m[0].length, shape: 'code' });
  }
  for (const m of matches(PLATE_START_RE, text)) {
    const val = m.groups?.val ?? '';
    if (/\d/.test(val)) out.push({ start: m.index + m[0].length - val.length, end: m.index + m[0].length, shape: 'plate' });
  }
  for (const m of matches(PLATE_RE, text)) out.push({ start: m.index, end: m.index + m[0].length, shape: 'plate' });
  return out;
}

const WORD_DIGITS: Record<string, string> = {
  zero: '0', oh: '0', o: '0', cero: '0', one: '1', uno: '1', two: '2', dos: '2', three: '3', tres: '3', four: '4', cuatro: '4',
  five: '5', cinco: '5', six: '6', seis: '6', seven: '7', siete: '7', eight: '8', ocho: '8', nine: '9', nueve: '9',
};

export function spokenDigits(words: string): string {
  return words.toLowerCase().split(/[\s,.–-]+/).filter(Boolean).map((w) => WORD_DIGITS[w] ?? '').join('');
}

export function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) n++;
  return n;
}

/**
 * How a value is written, without its digits: letters kept (the series: "CW", "INC"), digit runs
 * as their length, separators as they are. "2019-CW-17" and "2024-CW-17" share "4-CW-2"; a phone
 * and an SSN, or two case numbers of different series, do not.
 */
export function patternOf(value: string): string {
  return value.toUpperCase().replace(/\d+/g, (d) => String(d.length));
}
