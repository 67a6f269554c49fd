/**
 * The twenty-seventh round: structural rules for what held-out 28 (evaluated, then trained on)
 * showed. Identifier: a court docket in four or five groups. Look-alikes: an officer named with a
 * rank and a badge number in a public role; clock times (`clock-times.ts`: "0800-1130", "09h30"); a
 * waiver named after a child; a chapter house's coordinates. Examples written for this spec, not
 * taken from any labelled set. The guard rails at the end passed before this round too and must
 * keep passing.
 */
import { clockTimes } from '../clock-times';
import { findingsWithTokenModel } from '../spec-helpers';

const findings = findingsWithTokenModel;

describe('round twenty-seven: identifiers the guard now finds', () => {
  it('finds a court docket in four or five groups', () => {
    expect(findings('Title: Fire-safety order in CP-46-DP-0004417-2024')).toContain('case_number:CP-46-DP-0004417-2024');
  });
});

describe('round twenty-seven: public look-alikes the guard now leaves', () => {
  it.each<string>([
    'Trooper Dana Ruiz (badge 2291) will teach the booster-seat class at the library on Saturday.',
    "Cpl. Marcus Bell, badge 5102, the county's crime-prevention officer, will hand out gun locks at the fair.",
    'Station 4 and Medic 12 are out of service 0800-1130 for the hazmat drill.',
    'La formación será el 3 de mayo de 09h30 a 12h00 en la oficina central.',
    'The Katie Beckett waiver and the TEFRA option cover some medically complex children.',
    'Staging for the flood drill is the chapter house parking lot at 35.6870, -108.1420.',
  ])('%s', (text) => {
    expect(findings(text)).toEqual([]);
  });

  it('takes a range of clock times only forward and without a case label', () => {
    expect(clockTimes('out of service 0800-1130')).toHaveLength(1);
    expect(clockTimes('shift 2200-0600')).toEqual([]);
    expect(clockTimes('case 1412-2215')).toEqual([]);
  });
});

describe('round twenty-seven: guard rails (texts the new rules must leave as they were)', () => {
  it.each<[string, string]>([
    ['Trooper Dana Ruiz (badge 2291) took the girl to the hospital after the crash.', 'personal_name:Trooper Dana Ruiz'],
    ['Officer Kevin Tran, badge 4471, found the boy alone in the car.', 'personal_name:Officer Kevin Tran'],
    ['Her case 1412-2215 was reopened after the second report.', 'case_number:case 1412-2215'],
    ["The family's trailer behind the chapter house is at 35.6871, -108.1421.", 'geo_coordinates:35.6871, -108.1421'],
  ])('%s', (text, finding) => {
    expect(findings(text)).toContain(finding);
  });
});
