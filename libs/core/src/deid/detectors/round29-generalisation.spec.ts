/**
 * The twenty-ninth round: structural rules for what held-out 30 (evaluated, then trained on)
 * showed. Identifier: an SSN with one digit masked in its first group ("73X-47-1190"). Look-alikes:
 * a print or work order's number; an officer named with a rank and a public role after the name;
 * a staff member named after their role for a region; an address the text calls public; a
 * government fleet's exempt plate or the agency's own vehicle. Examples written for this spec, not
 * taken from any labelled set. The guard rails at the end passed before this round too and must
 * keep passing.
 */
import { findingsWithTokenModel } from '../spec-helpers';

const findings = findingsWithTokenModel;

describe('round twenty-nine: identifiers the guard now finds', () => {
  it('finds an SSN with one digit of its first group masked', () => {
    expect(findings('The intake screen shows her number as 4X1-22-9087, which is not masked enough.')).toContain('ssn:4X1-22-9087');
  });
});

describe('round twenty-nine: public look-alikes the guard now leaves', () => {
  it.each<string>([
    'Print order #PRT-66120 arrives Friday; 300 cards per site.',
    "Officer Dana Whitfield, the district's school resource liaison, will demo the new vape detectors at the teen center.",
    'The kinship navigator for our county is Renee Albright; call her with placement questions.',
    "The shelter's public drop-off address is 212 W. Fifth Street, side door.",
    'Exempt plate EX 41177 goes to the motor pool for its oil change.',
    "Plate EX 41177 is the county's outreach van; book it through fleet.",
  ])('%s', (text) => {
    expect(findings(text)).toEqual([]);
  });
});

describe('round twenty-nine: guard rails (texts the new rules must leave as they were)', () => {
  it.each<[string, string]>([
    ["Officer Dana Whitfield, the district's school resource liaison, found the boy at the house.", 'personal_name:Officer Dana Whitfield'],
    ["The family's address is 418 E. Third Street; the public bus stops there.", 'street_address:418 E. Third Street'],
    ["Plate EX 41177 is the mother's car.", 'vehicle_id:EX 41177'],
    ['Protective order #PO-22871 names the father.', 'case_number:PO-22871'],
  ])('%s', (text, finding) => {
    expect(findings(text)).toContain(finding);
  });
});
