/**
 * Round twenty-seven: times of day that identifier rules and the token model read as numbers: a
 * 24-hour range ("out of service 1300-1500", "0700-1300") and the French and Spanish "09h00". A
 * range counts only when it runs forward and no case label stands before it ("case 1412-2215").
 */
const RANGE_RE = /(?<![\w-])(?<from>(?:[01]\d|2[0-3])[0-5]\d)\s?[-–]\s?(?<to>(?:[01]\d|2[0-3])[0-5]\d)(?![\w-])/g;
const H_TIME_RE = /(?<![\w-])(?:[01]?\d|2[0-3])h[0-5]\d(?![\w-])/g;
const LABEL_BEFORE_RE = /\b(?:case|caso|referral|intake|docket|file|record|report|incident|call|ticket|id|no\.?|number|#)\s*[:#]?\s*$/i;

/** Spans of the field that are clock times. */
export function clockTimes(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const m of text.matchAll(RANGE_RE)) {
    if (Number(m.groups!.to) <= Number(m.groups!.from) || LABEL_BEFORE_RE.test(text.slice(Math.max(0, m.index! - 25), m.index))) continue;
    out.push([m.index!, m.index! + m[0].length]);
  }
  for (const m of text.matchAll(H_TIME_RE)) out.push([m.index!, m.index! + m[0].length]);
  return out;
}
