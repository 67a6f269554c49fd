import { found } from '../spec-helpers';
import { quasiIdentifierDetector } from './quasi-identifier.detector';

const quasi = (t: string): string[] => found(quasiIdentifierDetector, t);

describe('quasi_identifier detector', () => {
  it.each<[string, string]>([
    ['The decedent was one of the only set of triplets born at Pawnee County Memorial last spring, and the family was known.', 'one of the only set of triplets born at Pawnee County Memorial last spring'],
    ["The toddler's family was the only Hmong-speaking family enrolled at Riverside Head Start, so staff knew them.", 'the only Hmong-speaking family enrolled at Riverside Head Start'],
    ['Mason, a second grader at Whitfield Elementary, found the handgun.', 'a second grader at Whitfield Elementary'],
    ['The 15-year-old had been placed at the Sunrise Ridge group home in Clayton for three weeks.', 'the Sunrise Ridge group home in Clayton'],
    ['The call came in at 2:40 a.m. on March 3 in the town of Waldo, pop. 1,200, from a neighbor.', 'at 2:40 a.m. on March 3 in the town of Waldo, pop. 1,200'],
    ['The teen was the eighth grader who took first place at the district science fair and was on the evening news.', 'the eighth grader who took first place at the district science fair and was on the evening news'],
    ["The girl, who was the county's youngest spelling bee champion, had been bullied online.", "the county's youngest spelling bee champion"],
    ['Summer had been enrolled at Little Sprouts Learning Center on Route 9 for two weeks when she was left in the van.', 'Little Sprouts Learning Center on Route 9'],
    ['The 9-month-old was placed at the Hendricks foster home two weeks before the fall.', 'the Hendricks foster home'],
  ])('finds the combination in %p', (text, expected) => {
    // The finding covers the labelled phrase (it may run a little wider, as "The girl, who was ...").
    expect(quasi(text).filter((s) => s.includes(expected))).toHaveLength(1);
  });

  it.each([
    'In one case, a sibling under 10 was the only caregiver for an infant.',
    'In two of the deaths, a teenage sibling was the only person awake in the home.',
    'Licensed family child care homes must check sleep spaces twice an hour.',
    'The only hospital in the region with a NICU will host the training on May 4 at 10 a.m.',
    'Lincoln Elementary and Jefferson Middle School will host gun-safety nights.',
  ])('does not flag %p', (text) => {
    expect(quasi(text)).toEqual([]);
  });
});
