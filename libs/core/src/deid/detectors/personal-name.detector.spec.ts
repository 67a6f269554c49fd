import { scanForIdentifyingData } from '../deid-scanner';
import { contextOf, found } from '../spec-helpers';
import { personalNameDetector, scanNames } from './personal-name.detector';

const names = (t: string, knownPublic?: string[]): string[] => found(personalNameDetector, t, { knownPublic });

describe('personal_name detector', () => {
  it.each<[string, string[]]>([
    ['On the night of the incident, the infant, Jayden, was placed on an adult bed.', ['Jayden']],
    ['Mother Maria Lopez told investigators she fell asleep on the couch.', ['Maria Lopez']],
    ['Jayden (4 months) was found prone in a portable crib.', ['Jayden']],
    ['The home study for foster parent Ms. Alvarez did not include the sleep space.', ['Ms. Alvarez']],
    ['The boyfriend, identified as Marcus Hill, was the only adult awake.', ['Marcus Hill']],
    ['A youth named Tyler overdosed at his group home.', ['Tyler']],
    ['Deshawn, 13, found the gun in a closet.', ['Deshawn']],
    ["Kaylee's crib had been converted into storage.", ['Kaylee']],
    ['Intake for the Harmon family was closed after one contact.', ['Harmon']],
    ['The foster home of Mr. and Mrs. Petrakis had a pool.', ['Mr. and Mrs. Petrakis']],
    ["A car registered to Ronald Pike, the mother's uncle, was found.", ['Ronald Pike']],
    ['Father José Hernández placed the infant on a pillow.', ['José Hernández']],
    ['A 3-month-old, Hope, died on a nursing pillow; her mother, Brittany Caldwell, had dozed off.', ['Hope', 'Brittany Caldwell']],
    ['**Child:** Ximena\n\n**Caregiver:** maternal aunt Guadalupe "Lupita" Torres', ['Ximena', 'Guadalupe "Lupita" Torres']],
    ['| Role | Name |\n|---|---|\n| Mother | Chiamaka Akande |', ['Chiamaka Akande']],
    ['La madre, María José Villalobos, dijo que el bebé, Santiago, dormía con ella.', ['María José Villalobos', 'Santiago']],
    ['Trần Bảo Ngọc, 18 months, swallowed a coin battery.', ['Trần Bảo Ngọc']],
    ['Re: Abernathy, Kaden — Referral #R2025-117742', ['Abernathy, Kaden']],
    ['Sky was born the twenty-first of August in 2019.', ['Sky']],
    ["Dr. Okonkwo, the pediatrician who saw the infant twice, did not ask about sleep.", ['Dr. Okonkwo']],
    ['Brandon Tsosie was driving the car with the infant in a forward-facing seat.', ['Brandon Tsosie']],
    ["Sisters De'Asia and N'Dea were home alone.", ["De'Asia", "N'Dea"]],
  ])('finds the name in %p', (text, expected) => {
    expect(names(text)).toEqual(expected);
  });

  describe('false-alarm classes', () => {
    it.each([
      // Officials in their public role.
      'Governor Teresa Alvarado signed the safe-storage bill on Tuesday.',
      'Senator Marcus Bell, who sponsored the bill, will speak at the opening session.',
      'Commissioner Luis Ortega reminded counties that the report is due April 30.',
      'State Medical Examiner Dr. Priya Raman presented aggregate findings for 2025.',
      'Judge Elena Park, presiding judge of the juvenile court, announced the new schedule.',
      'Tribal Chairwoman Rose Many Horses and Councilman David Begaye urged families to lock up firearms.',
      'Chairman Robert Yellowcloud asked every household to keep naloxone near the first-aid kit.',
      // Contacts, signatories, reviewers, staff.
      'Questions: contact Dana Whitfield, Safety Program Manager.',
      'Approved by Director Karen Mills, Department of Human Services.',
      'Signed,\nAndre Whitaker\nDeputy Director, Child Protective Services',
      'Reviewers: Dr. Kevin Osei (pediatrics), Lt. Maria Santos (law enforcement) and Ana Ruiz, LCSW.',
      'Thanks to Kayla Nguyen and Derek Fisher of the Data Unit for preparing the dashboard.',
      // Places that hold a given name.
      'Jordan Lake and Falls Lake beaches have lifeguards only on weekends.',
      'Lake Jackson and Port Arthur adopt water-safety ordinances.',
      'Charlotte, Eugene and Elizabeth City adopt backyard pool-fence inspections.',
      'Fort Collins, Mount Vernon and Glen Allen pilots show fewer unsafe-sleep findings.',
      'Brooklyn Park and River Falls schools add gun-storage letters.',
      'Drownings cluster at the Lake Charles spillway and Guadalupe River crossings near San Antonio.',
      'The Santa Rosa and San Antonio regional offices will host car-seat checks.',
      // Products, brands, laws, organisations, works.
      "Inclined sleepers such as the Fisher-Price Rock 'n Play were recalled.",
      'Ingestions of baby oil and Vicks VapoRub rose among toddlers in winter.',
      "Kyleigh's Law and Erin's Law both require training for school staff.",
      'The Ryan White program and the Jacob Wetterling Resource Center offer free training.',
      "Dr. Benjamin Spock's old advice on prone sleep was reversed decades ago.",
      'Dr. Seuss books donated by the Kiwanis Club are in the new parent kits.',
      'Kennedy Krieger Institute and St. Jude researchers will lead the webinar.',
      // Research citations, placeholders, headlines.
      'Moon and Hauck (2016) and Carlin et al. (2017) found the risk rises with smoking.',
      'A 2024 cohort study (Lee, Nguyen & Okafor, *JAMA Pediatrics*) found the same.',
      '1. Erck Lambert AB, Parks SE, Shapiro-Mendoza CK. Sleep-related infant suffocation deaths.',
      'Replace any Baby Doe or John Doe labels with sequential review numbers.',
      'Child A, a 7-month-old, was sleeping with a sibling. Baby Doe was found later.',
      'Infant Deaths Linked To Adult Beds In Winter Months',
      'Eligible children are those whose parents enrolled before discharge.',
      'Medicaid-eligible children must have an EPSDT screen within 30 days.',
    ])('does not flag %p', (text) => {
      expect(names(text)).toEqual([]);
    });
  });

  it("treats a name spelled in the agency's own mailbox as public", () => {
    const text = 'Maria Lopez found the protocol useful.';
    expect(names(text)).toEqual(['Maria Lopez']);
    expect(names(text, ['maria.lopez@agency.example.gov'])).toEqual([]);
  });

  it('explains the context in the reason and reports the name words it found', () => {
    const { candidates, words } = scanNames(contextOf('His father, Tom Reed, reported it.'));
    expect(candidates[0].reason).toBe("Looks like a parent's or relative's name after 'father'");
    expect([...words.keys()]).toEqual(['tom', 'reed']);
  });

  it('marks every occurrence of a name found with evidence, across fields', () => {
    const findings = scanForIdentifyingData({ title: 'Kaysen in an adult bed', body: "Kaysen's parents had been offered a crib." });
    expect(findings.map((f) => [f.field, f.text])).toEqual([
      ['title', 'Kaysen'],
      ['body', 'Kaysen'],
    ]);
    expect(findings[0].reason).toContain('elsewhere in the notice');
  });

  it.each<[string, string]>([
    ['Nurse P. Alvarado, who did the visit, saw the swing.', 'Nurse P. Alvarado'],
    ['Screening gap in the Nakamura-Ellis referrals', 'Nakamura-Ellis'],
    ['Summer had been enrolled at the center for two weeks.', 'Summer'],
    ['after her brother Will, 10, put her down', 'Will'],
    ['Mason, a second grader at the school, found the handgun.', 'Mason'],
    ['Tasha, who was 19, left the baby with a neighbor.', 'Tasha'],
    ["Nakai's backpack held the pills.", 'Nakai'],
    ['The boy was placed with the Millers in May.', 'Millers'],
    ['Rosalind Okoro (mother) declined services.', 'Rosalind Okoro'],
  ])('finds the name from its context in %p', (text, expected) => {
    expect(names(text)).toEqual([expected]);
  });

  it.each([
    'The governor, Kevin Stitt, signed HB 1234 on May 5, 2025.',
    'Her enrollment number with the Cheyenne and Arapaho Tribes is on file.',
    'In Harlan, a town of 900 people, the creek floods every spring.',
    'Officer Ramirez presented the water safety talk at the library.',
    'Dr. Rachel Kim, a child abuse pediatrician at OU Health, reviewed the notice.',
    'The review panel included Tom Baker and Lisa Chen.',
    'The Carolinas and the Dakotas reported deaths.',
    'Mother and infant were referred to the Maternal Opioid Misuse (MOM) model program.',
    "4. Dr. Brown's bottle with a propping wedge",
  ])('does not flag officials, organisations, places or products in %p', (text) => {
    expect(names(text)).toEqual([]);
  });

  it('reads a quoted nickname after a role, and not a company before its plant', () => {
    expect(names('The boy, "Bubba," was asleep.')).toEqual(['Bubba']);
    expect(names('The mother works nights at the Tyson plant in Noel.')).toEqual([]);
  });

  it('reads an unknown name as the object of what is done to a person, not a programme or a place with an organisation word', () => {
    expect(names('The mother found Nakai in the tub.')).toEqual(['Nakai']);
    expect(names('She left the baby with Kiona overnight.')).toEqual(['Kiona']);
    expect(names('Enroll infants with Medicaid coverage; partner with Tulsa agencies.')).toEqual([]);
  });
});
