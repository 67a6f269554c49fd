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
});
