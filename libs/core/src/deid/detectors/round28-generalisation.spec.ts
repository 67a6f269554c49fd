/**
 * The twenty-eighth round: structural rules for what held-out 29 (evaluated, then trained on)
 * showed, all look-alikes: a bill's number ("H.R. 5313", "S.B. 118"); a number before the modal
 * "may" (`public-phrases.ts`); a place named with a person's possessive before its service
 * ("Christopher's Corner respite center"); a church's address after its name ("St. Anne's, 220
 * Pine St."). Examples written for this spec, not taken from any labelled set. The guard rails at
 * the end passed before this round too and must keep passing.
 */
import { findingsWithTokenModel } from '../spec-helpers';
import { publicPhrases } from '../public-phrases';

const findings = findingsWithTokenModel;

describe('round twenty-eight: public look-alikes the guard now leaves', () => {
  it.each<string>([
    "Cassidy's Law (S.B. 118) and H.R. 2711 both cover window-covering cords in licensed homes.",
    "Elizabeth's Corner respite center opens Saturdays 9 to 3 for kids 5 to 14.",
    "Christopher's Corner respite center in Raleigh is open Saturdays for kids from licensed foster homes.",
    "Open house: June 3, 6 p.m., Parish Hall at St. Anne's, 220 Pine St. All foster families welcome.",
  ])('%s', (text) => {
    expect(findings(text)).toEqual([]);
  });

  it('takes a bill and a modal "may" after a number, nothing else', () => {
    expect(publicPhrases('H.R. 5313 passed; children under 6 may not sleep up top.').map(([s, e]) => 'H.R. 5313 passed; children under 6 may not sleep up top.'.slice(s, e))).toEqual(['H.R. 5313', '6 may']);
    expect(publicPhrases('She was born 6 May 2019; H.R. was her nickname.')).toEqual([]);
  });
});

describe('round twenty-eight: guard rails (texts the new rules must leave as they were)', () => {
  it.each<[string, string]>([
    ['H.R., age 4, was left alone at the house on Sunday.', 'initials:H.R.'],
    ['Born 6 May 2019, the boy lives with his aunt in Tulsa.', 'date_of_birth:6 May 2019'],
    ["Christopher's grandmother picks him up from the respite center on Fridays.", 'personal_name:Christopher'],
  ])('%s', (text, finding) => {
    expect(findings(text)).toContain(finding);
  });
});
