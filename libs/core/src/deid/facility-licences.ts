/**
 * Round twenty-six: a licensed child-care facility's licence number ("Sunshine Kids Academy (license
 * #CC-0417882)", "Bright Beginnings Daycare, facility #4409871", "our center license (#HS-55012)").
 * A centre's licence is on the state's public registry and names no family. A foster home's or a
 * family home's licence does (it is the family's own), so those stay found.
 */

/** A named facility, or "our/the center", before its licence label. */
const FACILITY = String.raw`(?:(?:[A-Z][\w'’&.-]*\s){1,4}(?:Academy|Center|Centre|Daycare|Day\s+Care|Preschool|Pre-?K|Child\s?[Cc]are(?:\s+Center)?|Head\s+Start|Montessori|Nursery|Kindergarten|Early\s+Learning)|\b(?:[Oo]ur|[Tt]he|[Tt]his|[Ee]ach|[Ee]very)\s+(?:center|centre|preschool|daycare|child[\s-]?care\s+center|program)['’]?s?)`;
const LABEL = String.raw`(?:licen[cs]e|facility|provider)\s*(?:#|no\.?|number|id)?\s*:?\s*\(?\s*#?\s*`;
const LICENCE_RE = new RegExp(String.raw`${FACILITY}\b[\s,(]{0,3}${LABEL}(?<num>[A-Z0-9][A-Z0-9-]{3,14}[0-9])\b`, 'g');
/** A licence of a home where a family lives: kept as identifying. */
const HOME_RE = /\b(?:foster|kin(?:ship)?|relative|family|home|resource\s+parent|parents?|grand\w*|aunt|uncle)\b/i;

/** Spans of the facility licence numbers in the text. */
export function facilityLicences(text: string): Array<[number, number]> {
  if (!/licen[cs]e|facility|provider/i.test(text)) return [];
  const out: Array<[number, number]> = [];
  for (const m of text.matchAll(LICENCE_RE)) {
    if (HOME_RE.test(m[0])) continue;
    const end = m.index! + m[0].length;
    out.push([end - m.groups!.num.length, end]);
  }
  return out;
}
