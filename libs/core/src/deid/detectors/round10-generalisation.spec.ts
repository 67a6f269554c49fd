/**
 * The tenth round: the guard decides by the shape of a value and the structure of a sentence, not by
 * phrasings. Examples written for this spec (not taken from any labelled set). The 'finds' cases
 * need the new rules; the 'leaves' cases are public look-alikes the explanations must pass.
 */
import { scanForIdentifyingData } from '../deid-scanner';
import { contextOf } from '../spec-helpers';
import { unexplainedIdentifiers } from './unexplained-identifier';

const rulesOnly = { tokenModel: { enabled: false }, textModel: { enabled: false } };
const findings = (text: string): string[] => scanForIdentifyingData({ body: text }, rulesOnly).map((f) => `${f.kind}:${f.text}`);
const shaped = (text: string, knownPublic?: string[]): string[] =>
  unexplainedIdentifiers(contextOf(text, { knownPublic }), []).map((c) => `${c.kind}:${text.slice(c.start, c.end)}`);

describe('round ten: an identifier-shaped value is a finding unless explained as public', () => {
  it.each<[string, string]>([
    ["The worker copied the boy's number onto the sheet as 318 27 5560 before the visit.", 'ssn:318 27 5560'],
    ['The plan card in the diaper bag reads TQV73301942 across the top.', 'medicaid_id:TQV73301942'],
    ['Mom spelled it out for us: three one eight, two seven, five five six oh.', 'ssn:three one eight, two seven, five five six oh'],
    ['Her social? She only remembered that it ends in 5560.', 'ssn:5560'],
    ['On file: xxxx-xxxx-xxxx-2719, the foster father card.', 'ssn:xxxx-xxxx-xxxx-2719'],
    ['Staff logged the girl under tracker R4Z-81027 at the shelter.', 'case_number:R4Z-81027'],
    ['Someone wrote 7 3 1 0 4 4 8 2 6 on the back of the toddler photo.', 'ssn:7 3 1 0 4 4 8 2 6'],
    ['They drove off in a rust-colored Tacoma, TKR 5081, toward the river.', 'vehicle_id:TKR 5081'],
    ['The neighbor wrote down 5JXW318 as the hatchback pulled away.', 'vehicle_id:5JXW318'],
    ['The uncle can be reached at 602 555 0144 after six.', 'phone:602 555 0144'],
  ])('finds %j', (text, expected) => {
    expect(shaped(text)).toContain(expected);
    expect(findings(text)).toContain(expected);
  });

  it.each<string>([
    'Call the statewide line at 1-800-555-0199 any hour of the day.',
    'Recall 25-031 covers lots 3301882 through 3301950 of the travel bassinet.',
    'See 42 U.S.C. 622(b) and 45 CFR 1357.15 for the planning requirement.',
    'Last year 1,380,221 calls were answered and 4,150 concerned infants.',
    'The state set aside $6,250,000 for home visiting this year.',
    'Use form CFS-4410 when you refer a family for prevention services.',
    'Model QR-7719 bouncers sold from 2020 to 2022 are affected.',
    'Children under 6 are 12% of the 2300000 residents of the region.',
    'The annual report lists 3418220 total contacts across the state.',
    'Our tax ID is 61-2284410 for donation receipts.',
    'The regional office is at 44 State Street, Albany, NY 12207-1622.',
    'The NDC 0121-0750-16 suspension is not for infants.',
    'Report COVID-19 exposures under the N95 guidance issued in 2021.',
    'The 2025-26 school year begins soon and 10-year-old children need boosters.',
    'Text HOME to 741741 or dial 988 for crisis support.',
    'The meeting ID is 881 4402 9917 and the passcode 5520.',
    'Serial numbers beginning with 5520-31 are not affected.',
    'Valves meeting ASTM F2194-22 are required in every licensed home.',
    '| Product | UPC |\n|---|---|\n| Play yard | 0 44021 55817 3 |',
    'Lot numbers 7QX-2025-02 through 7QX-2025-08 are covered by the notice.',
    'Per Tenn. Comp. R. 0250-04-09, agencies must document each assessment.',
    'Published 20260114 under guidance 2026-0007.',
    'Critical incident review R-2026-0007 (incident CI-2025-0031) found two systemic findings.',
    'This notice comes from a review by Reviewing state 4c2fb0, commit 9e1d2a7f.',
  ])('leaves %j', (text) => {
    expect(shaped(text)).toEqual([]);
  });

  it("leaves the agency's own published number", () => {
    const text = 'Questions go to 614 555 0123 during business hours.';
    expect(shaped(text, ['614-555-0123'])).toEqual([]);
  });

  it('does not report again what a rule already found', () => {
    const text = 'Her SSN is 318-27-5560.';
    expect(findings(text)).toEqual(['ssn:318-27-5560']);
  });
});

describe('round ten: an exact date or time narrated about one child or family', () => {
  it.each<[string, string]>([
    ['On May 22nd the toddler slipped out through the side gate and reached the canal.', 'exact_age_date:May 22nd'],
    ["The girl's father says it was the 22nd when she first fell from the loft bed.", 'exact_age_date:the 22nd'],
    ['Last Friday the 22nd, the baby was left with a cousin for most of the night.', 'exact_age_date:Last Friday the 22nd'],
    ['El 22 de mayo el niño se cayó de la escalera del edificio.', 'exact_age_date:22 de mayo'],
    ['The family’s trailer caught fire on Aug. 17 while the kids slept.', 'exact_age_date:Aug. 17'],
    ['Grandma noticed the burns on Saturday, June 7, after the long weekend.', 'exact_age_date:Saturday, June 7'],
    ['Nos dijo que el 22 la bebé se quemó con agua de la estufa.', 'exact_age_date:22'],
    ['Mom left the twins at the sitter late on 10/05 and never came back.', 'exact_age_date:10/05'],
    ['Around 3:10 a.m. the boy was found walking alone behind the Pinecrest Inn.', 'exact_age_date:3:10 a.m.'],
  ])('finds %j', (text, expected) => expect(findings(text)).toContain(expected));

  it.each<string>([
    'The new rule takes effect on May 22 for every licensed home.',
    'Families must send the form back by the 22nd.',
    'Join the webinar on June 7 at 1 p.m. to hear about water safety.',
    'The county counted 9 drownings between May 1 and August 31.',
    'The recall was announced on August 17 after four reports of tip-overs.',
    'The sleep campaign ran from 4/1 to 4/30 and reached 9,000 parents.',
    'Parents who came to the class on June 7 went home with a free crib.',
    'The child care center opened on October 5 with 30 slots.',
    'The review board met on May 22 and looked at the deaths of 2025.',
  ])('leaves %j', (text) => expect(findings(text).filter((f) => f.startsWith('exact_age_date'))).toEqual([]));
});

describe('round ten: one child or family tied to a named small place or local event', () => {
  it.each<[string, string]>([
    ['The girl was pulled from the deep end at the Willow Bend Pool by a lifeguard.', 'quasi_identifier:Willow Bend Pool'],
    ['The toddler was left in a hot car behind the Quick Fill Mart for an hour.', 'quasi_identifier:Quick Fill Mart'],
    ['The teen was hurt at the Cedar Flats Rodeo when a steer knocked him down.', 'quasi_identifier:Cedar Flats Rodeo'],
    ['The family stays at the Sunset Palms Motel and the baby sleeps in a drawer.', 'quasi_identifier:Sunset Palms Motel'],
  ])('finds %j', (text, expected) => expect(findings(text)).toContain(expected));

  it.each<string>([
    'Free swim lessons for children start at the Willow Bend Pool in June.',
    'The Quick Fill Mart will host a car seat check for families on Saturday.',
    'A toddler was treated at Mercy Medical Center after the fall.',
    'Families can pick up free smoke alarms at the Cedar Flats Fire Station.',
  ])('leaves %j', (text) => expect(findings(text).filter((f) => f.startsWith('quasi_identifier'))).toEqual([]));

  it('finds the first characters of a plate', () => {
    expect(findings('Partial plate from the neighbor: it starts with 8H and the car was a grey Civic.')).toContain('vehicle_id:8H');
  });
});
