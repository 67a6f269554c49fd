/**
 * Round twenty-eight: phrases the token model read as identifiers that are public by their form: a
 * bill's number in Congress or a legislature ("H.R. 5313", "S.B. 412"), and a number before the
 * modal "may" ("children under 6 may not sleep on a top bunk"), which is no date.
 */
const BILL_RE = /(?<![\w.])(?:H\.\s?R\.|S\.|H\.\s?B\.|S\.\s?B\.|A\.\s?B\.|L\.\s?D\.)\s?\d{1,5}\b/g;
const MODAL_MAY_RE = /\b\d{1,2}\s+may(?=\s+(?:not|be|have|need|use|sleep|ride|stay|get|only|also|still|qualify|attend|receive|join|take)\b)/g;

/** Spans of the field that are bill numbers or a number before the modal "may". */
export function publicPhrases(text: string): Array<[number, number]> {
  return [...text.matchAll(BILL_RE), ...text.matchAll(MODAL_MAY_RE)].map((m) => [m.index!, m.index! + m[0].length]);
}
