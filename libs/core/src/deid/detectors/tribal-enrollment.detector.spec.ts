import { found } from '../spec-helpers';
import { tribalEnrollmentDetector } from './tribal-enrollment.detector';

const ids = (t: string): string[] => found(tribalEnrollmentDetector, t);

describe('tribal_enrollment detector', () => {
  it.each<[string, string]>([
    ['Tribal enrollment number 10458 was recorded.', '10458'],
    ['CDIB #220-0917 was in the file.', '220-0917'],
    ['The child is an enrolled member of the tribe, enrollment no. 4471-0932.', '4471-0932'],
    ['She is an enrolled member of the Nation (census no. 312-887).', '312-887'],
    ['Cherokee Nation citizens (citizenship no. CN-0238814 on file).', 'CN-0238814'],
    ['The father is a Muscogee (Creek) Nation citizen, member ID MCN-18822.', 'MCN-18822'],
    ['Strike the Certificate of Indian Blood number 22-004871 from the exhibit.', '22-004871'],
    ['**Band ID:** 1902-4471 (Mille Lacs Band)', '1902-4471'],
    ['Enrollment #: RB-11043\nPlacement: relative, on reservation\nThe tribal social services department was notified.', 'RB-11043'],
  ])('finds the number in %p', (text, expected) => {
    expect(ids(text)).toEqual([expected]);
  });

  it.each([
    'Tribal Council Resolution 2025-14 designates the ICWA director as the notice contact.',
    'Open enrollment for 2026 health plans ends in January.',
    'Notify the tribe by registered mail under 25 U.S.C. 1912.',
    'School enrollment 4471 students; the district serves the reservation.',
  ])('does not flag %p', (text) => {
    expect(ids(text)).toEqual([]);
  });

  // Generalised: any enrollment label and its abbreviations, Spanish, a tribe's name, the label after
  // the number, headed lists, and a sentence about one person's membership.
  it.each<[string, string]>([
    ['Ask the enrollment clerk whether Census No. 7719 belongs to the grandmother.', '7719'],
    ['Roll No. 33-1187 not verified before termination of parental rights', '33-1187'],
    ['Enr. #14-0077-B: child not identified as Indian at removal', '14-0077-B'],
    ["Ms. Redcloud's citizenship card no. CZ/2019/0456 can be verified by phone.", 'CZ/2019/0456'],
    ['The uncle (enrolled, No. 883) asked for placement.', '883'],
    ['Enrollment records (Reg. No. 5539-28) list the birth date.', '5539-28'],
    ['- Número de inscripción tribal: 4400-219', '4400-219'],
    ['Tribe / Enr. No.: Cedar River, 22-1150', '22-1150'],
    ['Her enrollment number with the Cheyenne and Arapaho Tribes is 12-3345.', '12-3345'],
    ['Navajo #0912-448 is the grandmother.', '0912-448'],
    ['The number 12-3345 (tribal enrollment) was on file.', '12-3345'],
    ['The grandmother, an enrolled Muscogee citizen, carries card 0912-448.', '0912-448'],
    ['Enrollment numbers as recorded on the cards:\n\n    Mother ........ 0617/44\n    Infant ........ pending\n\nThe tribe was not notified.', '0617/44'],
  ])('finds the number, however it is labelled, in %p', (text, expected) => {
    expect(ids(text)).toEqual([expected]);
  });

  it.each([
    'The Cherokee Nation has more than 450,000 citizens; tribal enrollment grew 3% in 2024.',
    'The Nation has 14,000 enrolled members under 25 U.S.C. 1903 and Resolution 24-113.',
    "Call the Nation's enrollment office at (928) 555-0100.",
    'Navajo Nation Code Title 10 applies to every placement.',
  ])('does not flag counts, citations or an office line in %p', (text) => {
    expect(ids(text)).toEqual([]);
  });
});
