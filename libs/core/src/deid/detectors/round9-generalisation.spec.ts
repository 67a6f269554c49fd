/**
 * The ninth round's rules, with examples written for this spec (not taken from any labelled set).
 * Every 'finds' case and every 'finds no name' case failed before the round; the 'leaves', 'still' and
 * 'guard' cases keep the new rules from false alarms and from hiding people of the case. Recall: SSNs with Spanish cues, read out after a weak cue,
 * spaced out digit by digit or under a table heading; Medicaid IDs under more programmes' names and
 * short forms, with the value further on in the clause or in a table column; a relative's work line
 * with an extension; plates after Spanish plate words and VINs written in two pieces; mailboxes with
 * the @ spaced out; initials listed after a group of children or after a numbered placeholder;
 * quasi-identifiers by the shape of the tie (kin of a role in a named community, one child tied to a
 * named event that hurt people, a relative's business or job in a named place). Precision: names in
 * a public role or context (an agent of a public act, a title in lower case or in apposition, staff
 * congratulated, people present at a meeting, a column of trainers), things named after people
 * (institutions, awards, laws, fields), languages and platforms.
 */
import { scanForIdentifyingData } from '../deid-scanner';

const rulesOnly = { tokenModel: { enabled: false }, textModel: { enabled: false } };
const findings = (text: string): string[] => scanForIdentifyingData({ body: text }, rulesOnly).map((f) => `${f.kind}:${f.text}`);

describe('round nine: identifiers in more formats and cues', () => {
  it.each<[string, string]>([
    ['Su número de seguro social termina en 5520, según la carta del banco.', 'ssn:5520'],
    ['La madre dio los últimos cuatro dígitos del seguro social del niño: 7731.', 'ssn:7731'],
    ['La carta usó el seguro social (últimos 4: 6012) de la joven.', 'ssn:6012'],
    ['The SS card ending 3318 was left in the car seat.', 'ssn:3318'],
    ['Dad recited his social on the call: six one two, four four, nine zero three one.', 'ssn:six one two, four four, nine zero three one'],
    ["The SSN was written on the form as 4 1 7 - 2 2 - 6 0 9 8 in the mother's handwriting.", 'ssn:4 1 7 - 2 2 - 6 0 9 8'],
    ['| person | SSN (last four) |\n|---|---|\n| stepfather | 5127 |', 'ssn:5127'],
    ["Child's Medicaid number listed on the discharge papers: 44019283751.", 'medicaid_id:44019283751'],
    ['Her MCD # is 6620198445 per the pharmacy.', 'medicaid_id:6620198445'],
    ['Medicaid ID (CIN) QR45678T for the baby was listed on the letter.', 'medicaid_id:QR45678T'],
    ['La bebé tiene CHIP 55102938 y una cita pendiente.', 'medicaid_id:55102938'],
    ['| Child | Medicaid |\n|---|---|\n| youngest | MA 88120044 |', 'medicaid_id:88120044'],
    ['The card, member ID KC-22 4410 9981, was still active.', 'medicaid_id:KC-22 4410 9981'],
    ['Reach the father only on his job line (405) 555-0163 x 12 during breaks.', 'phone:(405) 555-0163'],
    ['El padre se fue en una camioneta blanca con placas ABC-12-34 de Chihuahua.', 'vehicle_id:ABC-12-34'],
    ['Conduce un carro rojo con tablilla JTR-558 por la zona.', 'vehicle_id:JTR-558'],
    ['Hold the truck with VIN 1GCHK29U 87E198834 until the placing county calls.', 'vehicle_id:1GCHK29U 87E198834'],
    ['CALLER: her social? hold on... it ends in six oh one nine.', 'ssn:six oh one nine'],
    ['Her email is kayla.m22 @ gmial.com per the mother.', 'email:kayla.m22 @ gmial.com'],
    ['Sibling group BW, RW and TW will be placed together if a home opens.', 'initials:RW'],
    ['Child 1 (M.A.) and Child 2 (J.T.) had no visits for a month.', 'initials:M.A.'],
  ])('finds %p', (text, expected) => {
    expect(findings(text)).toContain(expected);
  });

  it.each([
    'The Medicaid ID card redesign takes effect on 2027-01-15 for all members.',
    'Plan Vital covers about 1,200,000 people across the island.',
    'The MCD budget for 2026 is 44,000,000 dollars.',
    'All counties bill under Medicaid contract number 2031-DHS-0077 from July.',
    'Las placas de identificación 2026 se entregan en la oficina.',
    'Survivors of the 2019 Paradise fire may qualify for the new housing aid.',
    'The hotline number ends in four four nine oh.',
    'Send forms to intake @ dcfs.state.example.gov by Friday.',
    'The boys CPR and AED classes are full this spring.',
  ])('leaves the public text %p', (text) => {
    expect(findings(text)).toEqual([]);
  });
});

describe('round nine: quasi-identifiers by the shape of the tie', () => {
  it.each([
    "The referral concerns the granddaughter of the Red Cliff Band's vice chairwoman, age 9.",
    "The toddler is the Harlan County judge's grandson, so the case was reassigned.",
    'Only survivor of the Route 9 minivan rollover outside Garnet was placed with an aunt last week.',
    'The girl injured when the bleachers gave way at the Tilden county fair is back in school.',
    'The father who runs the hardware store on Main Street in Plains has been interviewed twice.',
    'The grandmother, who cleans rooms at the Starlite Motel in Vega, cares for the infant.',
    'The mother of the 6-year-old is a morning host at WXKR radio and the family expects coverage.',
    'The triplets at Bright Beginnings Montessori in Paonia were seen by the nurse on Monday.',
  ])('finds a quasi-identifier in %p', (text) => {
    expect(findings(text).some((f) => f.startsWith('quasi_identifier:'))).toBe(true);
  });

  it.each([
    "The daughter of Oklahoma's first female governor will keynote the conference.",
    'The mother who owns a home daycare must register with the Tulsa office by June.',
    'The son of the late Senator Inouye spoke about the program.',
  ])('leaves %p', (text) => {
    expect(findings(text).filter((f) => f.startsWith('quasi_identifier:'))).toEqual([]);
  });
});

describe('round nine: names in a public role or context, and things named after people', () => {
  it.each([
    '"Check the back seat," said police spokesperson Sgt. Marcus Whitfield at the press briefing.',
    'Para dudas, llame a la directora regional, Lcda. Marisol Quintero, en horario laboral.',
    'Congratulations to investigators Tamara Bishop and Luis Ortega on ten years of service.',
    '| Date | Session | Trainer |\n|---|---|---|\n| 2027-03-02 | Car seats | Sgt. Hollis Brandt |',
    'Families can apply for the Dave Thomas adoption grant through the state office.',
    'Taller en el Colegio Ramón Emeterio Betances sobre acoso escolar: 12 de marzo',
    'Interpreters are available in Hmong, Karen, Somali and Nepali at every regional office.',
    'The form now asks for the parent Social Security number only once.',
    'Nurses at Ben Taub reported a rise in button-battery ingestions.',
    "Arkansas' Baby Moses law covers infants up to 30 days old; order the Baby Moses posters from the state.",
  ])('finds no name in %p', (text) => {
    expect(findings(text).filter((f) => f.startsWith('personal_name:'))).toEqual([]);
  });

  it.each([
    'The working group, chaired by retired family court judge Eleanor Prescott, met on Tuesday.',
    'Minutes\nPresent: R. Castellano (chair), D. Ng, P. Abernathy\n1. Budget approved.',
    'Parents should check TikTok and Snapchat privacy settings with their teens.',
    'New uploads must be named Intake_Summary_2027.pdf, never with a family name.',
  ])('guard: still no name in %p', (text) => {
    expect(findings(text).filter((f) => f.startsWith('personal_name:'))).toEqual([]);
  });

  it.each<[string, string]>([
    ['The mother, Karen Doyle, was at work when the fire started.', 'personal_name:Karen Doyle'],
    ['Congratulations were not in order: the baby, Jaylen, was found unresponsive.', 'personal_name:Jaylen'],
    ['Minutes\nPresent: K. Doyle (sup), Uncle Ramiro (kin caregiver, by phone)\n1. Visits resume.', 'personal_name:Ramiro'],
    ['The boy was taught by his uncle Dario to use the rifle.', 'personal_name:Dario'],
  ])('still finds the person of the case in %p', (text, expected) => {
    expect(findings(text)).toContain(expected);
  });
});
