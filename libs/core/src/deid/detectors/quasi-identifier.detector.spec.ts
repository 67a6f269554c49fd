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

  it.each<[string, string]>([
    ['All three went to a paternal cousin who runs Little Lambs Home Daycare out of the same house.', 'Little Lambs Home Daycare'],
    ["Infant left alone in the nursery at St. Brendan's on Easter Sunday", "St. Brendan's"],
    ["The youth's bio read 'Trey | 15 | Hillcrest Eagles #4'.", 'Hillcrest Eagles #4'],
    ['The older sister, the only girl on the Eastside Rockets 10U wrestling team, told the interviewer.', 'the only girl on the Eastside Rockets 10U wrestling team'],
    ['The 11-year-old attended Sunday school at Grace Fellowship on Route 9 every week.', 'Grace Fellowship on Route 9'],
    ['Cold exposure death in the Bluebird Estates cul-de-sac at 2 a.m. on New Year\'s Day', "the Bluebird Estates cul-de-sac at 2 a.m. on New Year's Day"],
    ["The volunteer fire chief who responded is the child's uncle.", "volunteer fire chief who responded is the child's uncle"],
    ["His father, the town's police chief, found him.", "the town's police chief"],
    ['The Westbrook High girls\' varsity goalkeeper, 16, disclosed self-harm.', 'Westbrook High'],
    ['She was a kindergartner at Jefferson when the abuse began.', 'kindergartner at Jefferson'],
    ['The 14-year-old spelling bee champion was found in the creek.', '14-year-old spelling bee champion'],
    ["The family was featured in last month's Tulsa World story after the fire.", "featured in last month's Tulsa World story"],
    ['The infant died on March 3 in the town of Waldo, pop. 300.', 'the town of Waldo, pop. 300'],
    ["They were the county's first set of quadruplets.", "the county's first set of quadruplets"],
    ['The mother is the only pediatrician in Hominy.', 'the only pediatrician in Hominy'],
  ])('finds the place, distinction or combination in %p', (text, expected) => {
    expect(quasi(text).some((s) => s.includes(expected))).toBe(true);
  });

  it.each([
    'The Region 4 safe sleep fair will be held Saturday, April 25, 2026, from 10 a.m. to 2 p.m. at the Waldo Community Center (pop. 1,200).',
    'Attend the regional debrief at the Pine County Fairgrounds, Building C, on May 7 at 1:30 p.m.',
    'Jefferson Parish and Orleans Parish report the highest rates of infant sleep deaths.',
    'Thanks to Dr. Rachel Kim and the Child Abuse Pediatrics team for reviewing this notice.',
    'Review teams in Marion, Polk and Lincoln counties meet quarterly; minutes are posted at noon on the first Monday.',
    "Two of the county's child drownings in the last decade happened at the lake.",
    'Staff at Little Sprouts Learning Center completed the training.',
  ])('does not flag events, places of aggregate statistics or staff in %p', (text) => {
    expect(quasi(text)).toEqual([]);
  });

  it.each<[string, string]>([
    ['The mother works nights at the Tyson plant in Noel.', 'works nights at the Tyson plant in Noel'],
    ['He played shortstop for the Muskogee Roughers.', 'played shortstop for the Muskogee Roughers'],
    ['They lived in the only house on Elm Street with a trampoline.', 'the only house on Elm Street with a trampoline'],
  ])("finds a relative's workplace, a child's team or a one-of-a-kind home in %p", (text, expected) => {
    expect(quasi(text).some((s) => s.includes(expected))).toBe(true);
  });
});
