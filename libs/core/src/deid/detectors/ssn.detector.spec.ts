import { found } from '../spec-helpers';
import { ssnDetector } from './ssn.detector';

const ssn = (t: string): string[] => found(ssnDetector, t);

describe('ssn detector', () => {
  it.each<[string, string]>([
    ['The reporter supplied 412-67-3301 for the father.', '412-67-3301'],
    ['SSN 287654321 was typed into the narrative.', '287654321'],
    ['SSN: 531 84 2207 (father) was in the packet.', '531 84 2207'],
    ["The father's Social Security number is 611.48.2290.", '611.48.2290'],
    ["The last four of the father's SSN (ending 7130) were used.", '7130'],
    ["the last four of the mother's social, 3316; removed", '3316'],
    ['The paramour (SSN xxx-xx-4471) had two prior charges.', 'xxx-xx-4471'],
    ['She read her SSN aloud as four-four-eight, one-seven, two-zero-five-six.', 'four-four-eight, one-seven, two-zero-five-six'],
    ['Remove the line reading SS# 448-17-2056 from the form.', '448-17-2056'],
  ])('finds the number in %p', (text, expected) => {
    expect(ssn(text)).toEqual([expected]);
  });

  it.each([
    'Number 000-12-3456 and 666-12-3456 are never issued.',
    'Use the SSN field only in the secure system.',
    'Rule 400-12-3456 governs screening; see OAC 5101:2-36-03.',
    "The child's tribal ID card (#330-17-0088) was in the bag.",
    'SACWIS person ID 104883921 belongs to the sibling.',
    'Course ID 0417-2211-0093 is open for registration.',
    'Spaced numbers such as 123 45 6789 without a cue are not SSNs.',
  ])('does not flag %p', (text) => {
    expect(ssn(text)).toEqual([]);
  });

  it.each<[string, string[]]>([
    ["The packet showed the caregiver's Soc. Sec. No. 520 71 3348 on page one.", ['520 71 3348']],
    ["It listed the children's SSNs by last four only, ending 4471 and 3390.", ['4471', '3390']],
    ['Her seguro social: 512-44-1234', ['512-44-1234']],
  ])('finds abbreviated, Spanish and last-four forms in %p', (text, expected) => {
    expect(ssn(text)).toEqual(expected);
  });
});
