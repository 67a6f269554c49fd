/**
 * The twenty-second round: structural rules for what held-out 22 (evaluated, then trained on) showed:
 * a family's name naming a case ("the Tsinajinnie infant death") and a table row of a single case;
 * and the look-alikes of data briefs: counts in a table's rows are not one number across lines, an
 * annual report's file name, an administrative order, a stock number, an analyst or a reviewer named
 * in their role. Examples written for this spec, not taken from any labelled set.
 */
import { findingsWithTokenModel } from '../spec-helpers';

const findings = findingsWithTokenModel;

describe('round twenty-two: identifiers the guard now finds', () => {
  it.each<[string, string]>([
    ['What we learned from the Yellowhair infant death', 'personal_name:Yellowhair'],
    [
      'Table 3. Firearm injuries, 2025\nDewey | 1\nZiebach County (Cheyenne River Sioux) | male | 4 years | 1',
      'quasi_identifier:Ziebach County (Cheyenne River Sioux) | male | 4 years | 1',
    ],
  ])('%s', (text, finding) => {
    expect(findings(text)).toContain(finding);
  });
});

describe('round twenty-two: public look-alikes the guard now leaves', () => {
  it.each<string>([
    'Table 5. Children in care by age, March 31, 2026\n0-2: 544\n6-11: 702\n12-17: 698\nTotal: 2,301',
    'The final report, FCR_Annual_Report_2026.pdf, is on the partnership site.',
    'Administrative order AO-2026-03 from the family court sets new hearing timelines.',
    'Cable locks (item CL-200, stock number 7730-01-118) are free to any caregiver who asks.',
    'Data brief (analyst: Priya Raman): burn visits among children under 5 fell from 2.1 to 1.6 per 1,000.',
    'Rate table (statistician: Kofi Mensah): sleep deaths per 1,000 births by county, 2021-2025.',
  ])('%s', (text) => {
    expect(findings(text)).toEqual([]);
  });

  // Guard rails: these held before this round too.
  it('leaves a place before a case noun', () => {
    expect(findings('The Tulsa infant death review found the same gap as the Marion County review.')).toEqual([]);
  });

  it('still finds a person introduced by a liaison, who is no public title', () => {
    expect(findings("From the ICWA liaison: Dana Yazzie, the child's aunt and current placement, has no smoke detector.")).toContain('personal_name:Dana Yazzie');
  });

  it('still finds a table row of one case only when it gives a sex and an age', () => {
    expect(findings('| County | sex | age | count |\n| Marion | female | 0-4 years | 14 |')).toEqual([]);
  });
});
