/**
 * Round twenty-five: a published court decision cited with its reporter ("M.L.B. v. S.L.J., 519 U.S.
 * 102 (1996)", "In re Dependency of Z.J.G., 196 Wn.2d 152 (2020)", "Stanley v. Illinois, 405 U.S. 645
 * (1972)"). The parties of a decision printed in a reporter are public, initials included: appellate
 * courts use initials precisely so that the published caption identifies no child. A family's own
 * case carries a docket number, not a volume of a reporter with a page and a year, so it stays found.
 */
/** A party: up to six capitalised words or initials ("M.L.B.", "Department of Children and Families"). */
const PARTY = String.raw`[A-Z][\w.'’&-]*(?:\s(?:of|and|the|for|ex\s+rel\.|[A-Z][\w.'’&-]*)){0,6}`;
/** "In re", "In re the Welfare of", "Matter of", "Adoption of" before a single party. */
const IN_RE = String.raw`(?:In\s+re|Matter\s+of|In\s+the\s+(?:Matter|Interest)\s+of)(?:\s+(?:the\s+)?(?:Dependency|Welfare|Adoption|Custody|Termination|Guardianship|Parental\s+Rights|Interest|Marriage)(?:\s+of)?)?\s+`;
/** Volume, reporter (one to four abbreviations: "U.S.", "Wn.2d", "S. Ct.", "Cal. App. 5th", "N.W.2d"), first page. */
const REPORTER = String.raw`\d{1,4}\s(?:[A-Z][A-Za-z]{0,7}\.?(?:\s?(?:2d|3d|4th|5th))?\s?){1,4}\d{1,5}(?:,\s?\d{1,5})?`;
/** The court and year in parentheses: "(1996)", "(Alaska 2019)", "(9th Cir. 2021)". */
const YEAR = String.raw`\((?:[A-Za-z0-9.\s]{0,24}\s)?(?:1[89]|20)\d\d\)`;

const CITATION_RE = new RegExp(String.raw`(?:${IN_RE}${PARTY}|${PARTY}\s+v(?:s)?\.\s+${PARTY}),\s+${REPORTER}\s?${YEAR}`, 'g');

/** Spans of the field that cite published decisions with their reporter. */
export function publishedCitations(text: string): Array<[number, number]> {
  if (!/\(\s*(?:[A-Za-z0-9.\s]{0,24}\s)?(?:1[89]|20)\d\d\)/.test(text)) return [];
  return [...text.matchAll(CITATION_RE)].map((m) => [m.index!, m.index! + m[0].length]);
}
