/**
 * The seventh round's rules, with examples written for this spec (not taken from any labelled set):
 * quasi-identifiers by their structure — a team's age group in any writing, a relative's workplace
 * named in apposition, in parentheses, as its owner or in lower case with its kind and town, a spot
 * inside a named place at an exact time, publicity in more media, the first or youngest of a
 * population, a named place's only one of a kind, a named home complex on an exact day, a named place
 * where staff noticed something about one child, a child given by an age in months; names in lower
 * case in parentheses after a role; initials in lower case in parentheses; a statute code's initials
 * after its section; phones with the owner after a dash, with slashes, or grouped as Mexico writes them.
 */
import { scanForIdentifyingData } from '../deid-scanner';
import { found } from '../spec-helpers';
import { initialsDetector } from './initials.detector';
import { phoneDetector } from './phone.detector';
import { quasiIdentifierDetector } from './quasi-identifier.detector';

const quasi = (t: string): string[] => found(quasiIdentifierDetector, t);
/** The rules' findings of one kind (the token model off). */
const rulesOf = (kind: string, text: string): string[] =>
  scanForIdentifyingData({ body: text }, { tokenModel: { enabled: false }, textModel: { enabled: false } })
    .filter((f) => f.kind === kind)
    .map((f) => f.text);

describe('quasi-identifiers by their structure', () => {
  it.each<[string, string]>([
    ['The 11-year-old keeper for the Northgate Falcons U12 team had bruises on both arms.', 'Northgate Falcons U12 team'],
    ["She skates for the Lakeside U-9 girls' hockey team and missed two practices.", "the Lakeside U-9 girls' hockey team"],
    ['Her stepdad, a welder at Dixon Fabrication in Okemah, was home that night.', 'Dixon Fabrication in Okemah'],
    ['Grandpa is the manager of Hank\'s Feed Store on 3rd, and the boy stays there after school.', "Hank's Feed Store on 3rd"],
    ['mom (works at Quik Stop, cell unknown) left the kids with a neighbor', 'Quik Stop'],
    ['uncle works days at the koch refinery in enid and the girl is alone after school', 'the koch refinery in enid'],
    ['Father Bao Xiong works first shift at the Hormel plant in Austin.', 'the Hormel plant in Austin'],
    ['Around 1:30 a.m. on Sunday, in the boiler room of the Parkview Towers, the toddler was found alone.', 'in the boiler room of the Parkview Towers'],
    ["The 6-year-old was pictured in the Tribune's back-to-school spread.", "pictured in the Tribune's back-to-school spread"],
    ['After the boy was pulled from the river, the local paper ran a story on him.', 'paper ran a story on him'],
    ['The girl whose fall was filmed by a news crew is now in foster care.', 'filmed by a news crew'],
    ['The toddler was on every local station after the rescue.', 'on every local station'],
    ['She was the first baby born in Harmon County this year, and the nurses remember her.', 'the first baby born in Harmon County this year'],
    ["The girl's aunt is Wewoka's only midwife.", "Wewoka's only midwife"],
    ['On May 2, 2025, the toddler fell from a balcony at the Oak Hollow Apartments.', 'the Oak Hollow Apartments'],
    ["Staff at Tiny Steps Learning Center noticed a burn on the 2-year-old's hand.", 'Tiny Steps Learning Center'],
    ['R.J., 20 months, attends Happy Trails Preschool.', 'Happy Trails Preschool'],
    ['The 3-year-old was moved to the Cedar Hill Family Home last week.', 'Cedar Hill Family Home'],
  ])('finds %p', (text, expected) => {
    expect(quasi(text).some((s) => s.includes(expected))).toBe(true);
  });

  it.each([
    'The mother is a patient at Mercy Clinic.',
    'The mother is the owner of the car.',
    'Mother Baby Unit staff at Riverside General will screen every newborn for safe sleep readiness.',
    'Tenants of the Oak Hollow Apartments will attend a safety session on May 2 at 6 p.m.',
    'The youngest children in the state are most at risk in the first month.',
    'The first child seen at the clinic each morning is weighed.',
  ])('does not flag %p', (text) => {
    expect(quasi(text)).toEqual([]);
  });
});

describe('names, initials and phones in more writings', () => {
  it.each<[string, string]>([
    ['tried mom (brianna) twice, no answer', 'brianna'],
    ['baby (kashton, 3) was asleep on the couch', 'kashton'],
  ])('finds the name in lower case in parentheses after a role in %p', (text, expected) => {
    expect(rulesOf('personal_name', text)).toEqual([expected]);
  });

  it.each(['dad (bio, 34) is in county jail', 'mom (unk) did not answer', 'dad (incarcerated) has no contact'])('does not take %p for a name', (text) => {
    expect(rulesOf('personal_name', text)).toEqual([]);
  });

  it('finds initials in lower case in parentheses after a role', () => {
    expect(found(initialsDetector, 'toddler (r.m., 3 yrs) found with the lighter')).toEqual(['r.m.']);
  });

  it("leaves a statute code's initials after its section", () => {
    expect(found(initialsDetector, 'Under s. 63.062(3)(a), F.S., and Rule 65C-30.001, F.A.C., consent is required.')).toEqual([]);
  });

  it.each<[string, string]>([
    ['Contact: (580) 555-0176 – paternal grandmother, after 5 p.m.', '(580) 555-0176'],
    ['Uncle phone: 479/555/0163', '479/555/0163'],
    ['Teléfono del abuelo en Guadalajara: 33 2345 6789.', '33 2345 6789'],
  ])('finds the phone in %p', (text, expected) => {
    expect(found(phoneDetector, text)).toEqual([expected]);
  });

  it('does not take a unit named after the number for its owner', () => {
    expect(found(phoneDetector, 'Contact: 405-555-0100 - mother-baby unit')).toEqual([]);
  });
});

describe("an office's mailbox in more writings", () => {
  const emails = (t: string): string[] => rulesOf('email', t);
  it.each([
    'Questions about the notice: escriba a proteccion.infantil@dif.example.gob.mx.',
    'Send referrals to the mailbox ocsa.help@state.example.gov.',
    'Forward the form to ombr.inbox@dcs.example.gov.',
  ])('is not a finding in %p', (text) => expect(emails(text)).toEqual([]));

  it.each([
    ['The mother wrote from dana.help@state.example.gov about the visit.', 'dana.help@state.example.gov'],
  ])('a name still makes %p a person\'s', (text, expected) => expect(emails(text)).toEqual([expected]));
});
