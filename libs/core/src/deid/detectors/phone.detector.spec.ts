import { found } from '../spec-helpers';
import { phoneDetector } from './phone.detector';

const phone = (t: string, knownPublic?: string[]): string[] => found(phoneDetector, t, { knownPublic });

describe('phone detector', () => {
  it.each<[string, string]>([
    ["The referral listed the mother's cell as 614-555-0182.", '614-555-0182'],
    ["Mother's phone: +1 (216) 555-0163.", '+1 (216) 555-0163'],
    ['Call Marisol at +1 918 555 0122 to arrange the crib delivery.', '+1 918 555 0122'],
    ['- Grandpa Earl — 9185550139', '9185550139'],
    ["The grandmother asked that interpreters call her cell at (479) 555 0108.", '(479) 555 0108'],
    ["The babysitter said she tried the mom's number, 555-0186, three times.", '555-0186'],
    ['Investigator Sam Ortega (direct 214-555-0191) has the photographs.', '214-555-0191'],
    ['The family listed 580-555-0155 as their only number.', '580-555-0155'],
    ['Call the foster father back at 480-555-0102, ext. 4, before Friday.', '480-555-0102'],
    ['his caseworker can be reached at 614-555-0142.', '614-555-0142'],
  ])('finds the number in %p', (text, expected) => {
    expect(phone(text)).toEqual([expected]);
  });

  it.each([
    'Poison Control is at 1-800-222-1222; call 988 or 911 in a crisis.',
    'Kinship caregivers can reach the statewide Kinship Navigator line at 8005550147.',
    'The intake office line is (614) 555-0100, Monday through Friday.',
    "The Behavioral Health program's line is (406) 555-0100.",
    'Soomaali: (612) 555-0100, ext. 2 - Hmoob: (612) 555-0100, ext. 3',
    'Oregon workers should apply OAR 413-015-0115 when screening reports.',
    'Every investigator must carry the agency on-call number, 303-555-0100, which rings to the supervisor line.',
    'Contact Rosa Martinez-Lee, ICWA Program Specialist, (602) 555-0100.',
    'Car seat model 614-555-0182 is not affected.',
  ])('does not flag %p', (text) => {
    expect(phone(text)).toEqual([]);
  });

  it("never flags the issuing agency's own published numbers, in any writing", () => {
    const text = "Text the safety manager's cell at (614) 555-0177 or 614.555.0177.";
    expect(phone(text)).toEqual(['(614) 555-0177', '614.555.0177']);
    expect(phone(text, ['614-555-0177'])).toEqual([]);
  });

  it.each<[string, string]>([
    ['| Who | Number |\n|---|---|\n| Babysitter (neighbor) | (555)5550124 |', '(555)5550124'],
    ['The new number (five-five-five, five-five-five, zero-one-six-three) was in a voicemail.', 'five-five-five, five-five-five, zero-one-six-three'],
    ['The grandmother said the number 405-555-0187 on the referral was disconnected.', '405-555-0187'],
    ["Save the foster parent's contact number, 555-0134, in the file.", '555-0134'],
    ["The grandmother's number is 405/555-0123.", '405/555-0123'],
  ])('finds the number of a person of the case in %p', (text, expected) => {
    expect(phone(text)).toEqual([expected]);
  });

  it.each([
    'For help with car seats, parents can dial 405-555-0188 Monday to Friday.',
    'Families may call 918-555-0143 to request a free crib.',
    '- Tulsa: 918-555-0101\n- Lawton: 580-555-0103',
    '| County | Intake number |\n|---|---|\n| Tulsa | 918-555-0101 |',
    'Questions: Renée Castellanos, Child Safety Program Manager, (555) 555-0100 or safety@dcs.example.org.',
    '**Contact for this notice**\nRosa Martinez-Lee, ICWA Program Specialist\n(602) 555-0100',
    'The Northwest Regional Office has moved. The main number, (555) 555-0100, is unchanged.',
  ])('does not flag a number offered to an audience or presented as an office line in %p', (text) => {
    expect(phone(text)).toEqual([]);
  });

  it.each<[string, string]>([
    ['Her number, 555-0134 (cell), was wrong.', '555-0134'],
    ["The mother's cell phone number was 555 0134 last week.", '555 0134'],
  ])('finds the number with its owner after it, or seven digits with a space after a phone word, in %p', (text, expected) => {
    expect(phone(text)).toEqual([expected]);
  });

  it("finds a relative's number abroad, and leaves a foreign office's line alone", () => {
    expect(phone('The grandmother in Guadalajara can be reached at +52 33 1234 5678.')).toEqual(['+52 33 1234 5678']);
    expect(phone('Call the clinic at +44 20 7946 0958 for the program.')).toEqual([]);
  });
});
