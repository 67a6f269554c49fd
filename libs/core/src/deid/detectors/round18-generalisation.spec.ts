/**
 * The eighteenth round: structural rules for what held-out 18 (evaluated, then trained on) showed:
 * one child's incident tied to a town and a recent day, and a family's initial kept with its
 * surname's prefix; and colleagues named with their unit, officers and nurses with their agency or
 * their class, a meeting ID after "Zoom", a fleet's numbers as a series, a visitation centre's
 * address, a training site's coordinates and a landmark's decimal degrees. Examples written for
 * this spec, not taken from any labelled set.
 */
import { findingsWithTokenModel } from '../spec-helpers';

const findings = findingsWithTokenModel;

describe('round eighteen: identifiers the guard now finds', () => {
  it.each<[string, string]>([
    // One child's incident, a named town and a recent day: the local news has the rest.
    ['Update on the infant left at the fire station in Alderwood last Thursday: feeding well, in a foster home.', 'quasi_identifier:the infant left at the fire station in Alderwood last Thursday'],
    ['A toddler pulled from a stock pond near Big Timber on Sunday night is still in the PICU.', 'quasi_identifier:A toddler pulled from a stock pond near Big Timber on Sunday night'],
    // A family's initial with its surname's prefix.
    ["The McC. children were left with a space heater by the crib; both were seen at urgent care.", 'initials:McC'],
    ["The O'B. family's woodstove had no guard and the baby's hand was burned.", "initials:O'B"],
  ])('%s', (text, finding) => {
    expect(findings(text)).toContain(finding);
  });
});

describe('round eighteen: public look-alikes the guard now leaves', () => {
  it.each<string>([
    // A colleague named with their unit.
    'Quick note: Priya from IT says the portal will be down Friday night, so file reports before 5.',
    'Hello everyone, Darnell from the policy unit here with the new intake checklist.',
    // An officer with their agency after a comma, and a nurse with the class she teaches.
    "Brown-bag Thursday: 'Safe storage at home' with Det. Sgt. Karen Dubois, Yakima PD Crimes Against Children.",
    'This month we profile Nurse Lena Two Bulls, who teaches the prenatal safe-sleep class at the Eagle Butte clinic.',
    // A meeting ID after a platform's name.
    "Seattle Children's 'Safe at Home' series runs every first Monday, 12:00–12:45 PT, on Zoom (meeting ID 934 2201 7788).",
    // A fleet's numbers, the first one named as a vehicle's.
    'Fleet van #TR-4410 is in the shop; reserve #TR-4412 or #TR-4419 for visits.',
    // A visitation centre's address, and a training site named after its coordinates.
    'The county opened its second family visitation center at 88 Depot Street in Laramie.',
    'The mobile car-seat trailer this month: 41.1403, -104.8202 (Cheyenne Fire Station 3), Wednesdays 10–2.',
    // Decimal degrees after a public building are no age.
    'Meet at the Wyoming State Capitol, 41.1400° N, 104.8202° W, east steps.',
  ])('%s', (text) => {
    expect(findings(text)).toEqual([]);
  });

  it('still finds the person after a unit word when a child of the case is in the sentence', () => {
    expect(findings('Jolene from the intake unit said her son Tyler was left alone.')).toContain('personal_name:Tyler');
  });

  it("still finds a series' member when a person's word stands before it", () => {
    expect(findings("Fleet vehicle #CW-2214 is out; the child's case #CW-2215 is open.")).toContain('case_number:case #CW-2215');
  });
});
