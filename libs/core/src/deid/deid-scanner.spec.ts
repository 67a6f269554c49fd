import { DEID_KINDS, DeidFinding, DeidKind, scanForIdentifyingData, scanNotice } from './deid-scanner';

const scan = (text: string): DeidFinding[] => scanForIdentifyingData({ body: text });
const texts = (text: string, kind?: DeidKind): string[] => scan(text).filter((f) => !kind || f.kind === kind).map((f) => f.text);

/** Expects exactly these (kind, text) findings, in order. */
function expectFindings(text: string, expected: Array<[DeidKind, string]>): void {
  expect(scan(text).map((f) => [f.kind, f.text])).toEqual(expected);
}

function expectClean(text: string): void {
  expect(scan(text)).toEqual([]);
}

describe('DEID_KINDS', () => {
  it('lists the ten kinds', () => {
    expect([...DEID_KINDS]).toEqual([
      'personal_name',
      'date_of_birth',
      'exact_age_date',
      'ssn',
      'phone',
      'email',
      'street_address',
      'case_number',
      'medicaid_id',
      'tribal_enrollment',
    ]);
  });
});

describe('personal_name', () => {
  it.each<[string, string]>([
    ['On the night of the incident, the infant, Jayden, was placed on an adult bed.', 'Jayden'],
    ['Mother Maria Lopez told investigators she fell asleep on the couch.', 'Maria Lopez'],
    ['Jayden (4 months) was found prone in a portable crib.', 'Jayden'],
    ['The home study for foster parent Ms. Alvarez did not include the sleep space.', 'Ms. Alvarez'],
    ['His father, Tom Reed, reported the baby slept in a car seat.', 'Tom Reed'],
    ['Grandmother Dolores Whitehorse had been caring for the twins overnight.', 'Dolores Whitehorse'],
    ['The boyfriend, identified as Marcus Hill, was the only adult awake.', 'Marcus Hill'],
    ['The babysitter, 15-year-old Brianna, was on her phone.', 'Brianna'],
    ['A youth named Tyler overdosed at his group home.', 'Tyler'],
    ['Deshawn, 13, found the gun in a closet.', 'Deshawn'],
    ["Kaylee's crib had been converted into storage.", 'Kaylee'],
    ['Kaysen and his mother had been living in a motel.', 'Kaysen'],
    ['Intake for the Harmon family was closed after one contact.', 'Harmon'],
    ['The foster home of Mr. and Mrs. Petrakis had a pool.', 'Mr. and Mrs. Petrakis'],
    ['Victim: Hannah R., age 8.', 'Hannah R.'],
    ["The call came from the child's great-grandmother, Ophelia Strand.", 'Ophelia Strand'],
    ["A car registered to Ronald Pike, the mother's uncle, was found.", 'Ronald Pike'],
    ['Father José Hernández placed the infant on a pillow.', 'José Hernández'],
    ['The caseworker, Ms. Delgado, postponed the visit twice.', 'Ms. Delgado'],
    ['Sentinel injuries noted for Aiden at his checkup were never reported.', 'Aiden'],
  ])('finds the name in %p', (text, name) => {
    expect(texts(text, 'personal_name')).toEqual([name]);
  });

  it('explains the context word in the reason', () => {
    const [f] = scan('On the night of the incident, the infant, Jayden, was placed on an adult bed.');
    expect(f.reason).toBe("Looks like a child's name after 'infant'");
    expect(scan('His father, Tom Reed, reported it.')[0].reason).toBe("Looks like a parent's or relative's name after 'father'");
  });

  it('follows "X and Y Z" lists after a context word', () => {
    expect(texts('The aunt and uncle, Rosa and Miguel Fuentes, became kinship caregivers.', 'personal_name')).toEqual(['Rosa', 'Miguel Fuentes']);
    expect(texts('Brothers Caleb and Owen were swimming at the quarry.', 'personal_name')).toEqual(['Caleb', 'Owen']);
  });

  it('marks every occurrence of a name found with evidence, across fields', () => {
    const findings = scanForIdentifyingData({
      title: 'Kaysen died in an adult bed',
      body: "Kaysen's parents had been offered a crib but turned it down.",
    });
    expect(findings.map((f) => [f.field, f.text])).toEqual([
      ['title', 'Kaysen'],
      ['body', 'Kaysen'],
    ]);
    expect(findings[0].reason).toContain('elsewhere in the notice');
  });

  it.each([
    'Franklin County reported 14 sleep-related infant deaths last year.',
    'The Safe Sleep campaign materials are available in English and Spanish.',
    'The Department of Children and Families will host a webinar on Tuesday, April 14, 2026.',
    'Jordan Lake and Falls Lake beaches have lifeguards only on weekends.',
    "Kyleigh's Law and Erin's Law both require training for school staff.",
    "Under Jayden's Law, hospitals must give every new parent safe sleep materials.",
    'Offices are closed for Martin Luther King Jr. Day; the hotline remains open.',
    'A mother who falls asleep while feeding on a couch places the baby at risk.',
    'Ask the caregiver where the baby slept last night.',
    'Ask the mother: Where does the baby sleep? Who else stays in the home?',
    'Infant Deaths Linked To Adult Beds In Winter Months',
    'Audience: Foster Parents, Kinship Caregivers, Group Home Staff',
    'Father Involvement Initiative grants support dads in the first year.',
    'Mother Baby Unit staff at Riverside Methodist will screen for safe sleep readiness.',
    'Questions: contact Dana Whitfield, Safety Program Manager.',
    'Approved by Director Karen Mills, Department of Human Services.',
    'Child A, a 7-month-old, was sleeping with a sibling. Baby Doe was found later.',
    'Hope House and Grace Place shelters have beds for mothers with infants.',
    'Will the caregiver be able to wake up if the baby cries?',
    'Washington, Jefferson and Madison counties have not adopted the protocol.',
    "Inclined sleepers such as the Fisher-Price Rock 'n Play were recalled.",
    "Mother's Day and Father's Day visits must still be supervised.",
  ])('does not flag %p', (text) => {
    expectClean(text);
  });
});

describe('date_of_birth', () => {
  it.each<[string, string]>([
    ['Education was documented for the family, DOB 02/11/2025, at the visit.', '02/11/2025'],
    ['The infant, born on September 28, 2025, was sleeping in a swing.', 'September 28, 2025'],
    ["The toddler's birth date is listed as 2023-08-15 on the agreement.", '2023-08-15'],
    ['D.O.B. 9/2/23 - admitted after a fall.', '9/2/23'],
    ["The report lists the child's date of birth as 14 March 2024.", '14 March 2024'],
  ])('finds the birth date in %p', (text, date) => {
    expect(texts(text, 'date_of_birth')).toEqual([date]);
    expect(scan(text).find((f) => f.kind === 'date_of_birth')!.reason).toMatch(/^Date of birth after '/);
  });

  it.each([
    'Infants born on or after January 1, 2026 are eligible for the home visiting program.',
    'Record the date of birth in MM/DD/YYYY format.',
    'Babies born before 37 weeks should never sleep on inclined products.',
    'Check the date of manufacture stamped on the seat (for example DOM 2019-06).',
  ])('does not flag %p', (text) => expectClean(text));
});

describe('exact_age_date', () => {
  it.each<[string, string]>([
    ['A 3-month-old who died on March 3, 2026 had been placed in an inclined rocker.', 'March 3, 2026'],
    ['A 22-month-old drowned in a bathtub on 6/14/2025.', '6/14/2025'],
    ['A 5-week-old was admitted on Jan. 27, 2026 with subdural hematomas.', 'Jan. 27, 2026'],
    ['On the evening of January 6, 2026, a 2-month-old was found unresponsive.', 'January 6, 2026'],
    ['Victim: a girl, age 8. Incident date: 11/30/2025.', '11/30/2025'],
  ])('finds the exact date in %p', (text, date) => {
    expect(texts(text, 'exact_age_date')).toEqual([date]);
  });

  it.each([
    'Infants under 6 months accounted for 71% of the sleep-related deaths reviewed in 2025.',
    "Effective March 3, 2026, caseworkers must observe the infant's sleep space.",
    'Transport staff must complete Child Passenger Safety training by December 31, 2026.',
    'Between 12/1/2025 and 2/28/2026, 7 infant deaths involved adult beds.',
    'A 4-month-old should sleep on her back, alone, in a crib.',
    'The recall of the swings was announced on October 17, 2023.',
  ])('does not flag %p', (text) => expectClean(text));
});

describe('ssn', () => {
  it('finds formatted, cued and last-four SSNs', () => {
    expectFindings('The reporter supplied 412-67-3301 for the father.', [['ssn', '412-67-3301']]);
    expectFindings('SSN 287654321 was typed into the narrative.', [['ssn', '287654321']]);
    expectFindings('SSN: 531 84 2207 (father) was in the packet.', [['ssn', '531 84 2207']]);
    expectFindings("The last four of the father's SSN (ending 7130) were used.", [['ssn', '7130']]);
  });

  it('ignores invalid areas, a bare spaced number and the word alone', () => {
    expectClean('Number 000-12-3456 and 666-12-3456 are never issued.');
    expectClean('Use the SSN field only in the secure system.');
  });
});

describe('phone', () => {
  it('finds personal numbers in the usual formats', () => {
    expectFindings("The referral listed the mother's cell as 614-555-0182.", [['phone', '614-555-0182']]);
    expectFindings('The caller gave a callback number of (502) 555-0147.', [['phone', '(502) 555-0147']]);
    expectFindings("Mother's phone: +1 (216) 555-0163.", [['phone', '+1 (216) 555-0163']]);
    expectFindings('The plan (phone 317.555.0199) was signed.', [['phone', '317.555.0199']]);
  });

  it('leaves toll-free hotlines, N11 numbers and labelled agency lines alone', () => {
    expectClean('Poison Control is at 1-800-222-1222; call 988 or 911 in a crisis.');
    expectClean('Report suspected abuse to the statewide hotline, 1-866-363-4276, or online.');
    expectClean('The intake office line is (614) 555-0100, Monday through Friday.');
    expectClean('Report dog bites to the county health department at (330) 555-0142, option 3.');
  });
});

describe('email', () => {
  it('finds personal mailboxes', () => {
    expectFindings('The advocate reached the mother at maria.lopez82@gmail.com.', [['email', 'maria.lopez82@gmail.com']]);
    expectFindings('An email from the father, tony.reed@example.com, said so.', [['email', 'tony.reed@example.com']]);
    expect(scan('Write to jwilliams@schools.example today.')[0].reason).toContain("individual's mailbox");
  });

  it('leaves agency role mailboxes alone', () => {
    expectClean('Questions: safety@dcf.state.example or childsafety@health.example.gov.');
    expectClean('Send acknowledgments to notices@sne.example.org; do not reply to noreply@sne.example.org.');
  });
});

describe('street_address', () => {
  it('finds house numbers with streets and units', () => {
    expectFindings('Paramedics went to 2231 Wren Street, Apt. 4, after the call.', [['street_address', '2231 Wren Street, Apt. 4']]);
    expectFindings('The reporter gave the address as 418 N. Elm Ave and hung up.', [['street_address', '418 N. Elm Ave']]);
    expectFindings('Police were called to the 2400 block of Euclid Avenue.', [['street_address', '2400 block of Euclid Avenue']]);
    expectFindings('The family home at 8820 County Road 14 had a pond.', [['street_address', '8820 County Road 14']]);
    expectFindings("The family's apartment, Unit 5C in the Maple Gardens complex, had no window stops.", [['street_address', 'Unit 5C']]);
  });

  it('leaves roads without a house number and public venues alone', () => {
    expectClean('Highway 30 and Route 9 crash data show unrestrained children.');
    expectClean('Training will be held at 1500 Capitol Avenue, Conference Room B.');
    expectClean('Car seat checks are held every Saturday at Fire Station 12.');
    expectClean('The Hotline Quality Assurance Unit will audit reports.');
  });
});

describe('case_number', () => {
  it.each<[string, string]>([
    ['Urine toxicology for the infant (case #2024-00123) was positive.', 'case #2024-00123'],
    ['CPS case 19-4432 was screened out twice.', 'CPS case 19-4432'],
    ['Person ID 8812345 had three prior reports.', 'Person ID 8812345'],
    ['Client no. A-12345 was closed without a home visit.', 'Client no. A-12345'],
    ['Docket no. 24-DP-1187: the court ordered supervised visits.', 'Docket no. 24-DP-1187'],
  ])('finds the identifier in %p', (text, id) => {
    expect(texts(text, 'case_number')).toEqual([id]);
  });

  it.each([
    'Notice NPCS-2026-0014 is superseded by this notice.',
    'Policy 2025-07 replaces Administrative Rule 5101:2-36-01 for intake decisions.',
    'Case 3 in the review involved a grandmother caring for four grandchildren.',
    'Remove the sleep sack; see CPSC recall 24-157.',
    "Workers must record the child's person ID, never the name.",
    'Car seat model 8AF37 (lot 2210-44) is not affected.',
  ])('does not flag %p', (text) => expectClean(text));
});

describe('medicaid_id', () => {
  it('finds Medicaid numbers after a programme name', () => {
    expectFindings('Medicaid ID 712004519823 was used to pull claims.', [['medicaid_id', '712004519823']]);
    expectFindings('Medi-Cal ID 91234567A was inactive.', [['medicaid_id', '91234567A']]);
    expectFindings("Use the mother's Medicaid card, CIN AB12345C, when scheduling.", [['medicaid_id', 'AB12345C']]);
  });

  it('leaves waivers, billing codes and bare mentions alone', () => {
    expectClean('The 1915(c) Medicaid waiver now covers in-home nursing.');
    expectClean('Bill care coordination under HCPCS code T1017 with modifier HA.');
    expectClean('Medicaid-eligible children must have an EPSDT screen within 30 days.');
  });
});

describe('tribal_enrollment', () => {
  it('finds enrollment, CDIB and tribal ID numbers', () => {
    expectFindings('Tribal enrollment number 10458 was recorded.', [['tribal_enrollment', '10458']]);
    expectFindings('CDIB #220-0917 was in the file.', [['tribal_enrollment', '220-0917']]);
    expectFindings('The child is an enrolled member of the tribe, enrollment no. 4471-0932.', [['tribal_enrollment', '4471-0932']]);
  });

  it('leaves resolutions, statutes and open enrollment alone', () => {
    expectClean('Tribal Council Resolution 2025-14 designates the ICWA director as the notice contact.');
    expectClean('Open enrollment for 2026 health plans ends in January.');
    expectClean('Notify the tribe by registered mail under 25 U.S.C. 1912.');
  });
});

describe('scanNotice', () => {
  it('scans title, summary, body and each required action under its own field name', () => {
    const notice = {
      title: 'Safe sleep reminder after the death of Jayden',
      summary: 'Mother Maria Lopez had been offered a crib.',
      body: '## What happened\nThe infant, Jayden, was found in an adult bed at 12 Orchard Road.',
      requiredActions: ['Check every home with an infant under 1 year', 'Call the grandmother at 614-555-0182'],
    };
    const findings = scanNotice(notice);
    expect(findings.map((f) => [f.field, f.kind, f.text])).toEqual([
      ['title', 'personal_name', 'Jayden'],
      ['summary', 'personal_name', 'Maria Lopez'],
      ['body', 'personal_name', 'Jayden'],
      ['body', 'street_address', '12 Orchard Road'],
      ['requiredActions[1]', 'phone', '614-555-0182'],
    ]);
    const fields: Record<string, string> = { title: notice.title, summary: notice.summary, body: notice.body, 'requiredActions[1]': notice.requiredActions[1] };
    for (const f of findings) {
      expect(fields[f.field].slice(f.start, f.end)).toBe(f.text);
      expect(f.reason.length).toBeGreaterThan(10);
    }
  });

  it('returns nothing for a clean notice and tolerates empty fields', () => {
    expect(scanNotice({ title: '', summary: '', body: '', requiredActions: [] })).toEqual([]);
    expect(
      scanNotice({
        title: 'Inclined infant sleepers linked to suffocation deaths',
        summary: 'Remove inclined sleepers from every home under supervision.',
        body: '## What happened\nThree infant deaths were reviewed in Franklin County in 2025.',
        requiredActions: ['Check every home with an infant under 1 year'],
      }),
    ).toEqual([]);
  });

  it('is deterministic', () => {
    const text = 'The infant, Jayden, DOB 02/11/2025, lived at 12 Orchard Road; CPS case 19-4432; cell 614-555-0182.';
    expect(scan(text)).toEqual(scan(text));
  });
});

describe('long and adversarial input', () => {
  const realistic = (): string => {
    const parts = [
      'Three infant deaths were reviewed in Franklin County. ',
      'The infant, Jayden, was found prone. ',
      'Effective March 3, 2026, workers must check the sleep space. ',
      'Call 1-800-222-1222 for Poison Control. ',
      'A 3-month-old who died on March 3, 2026 was in a rocker at 12 Orchard Road. ',
      'CPS case 19-4432 was screened out.\n',
    ];
    let s = '';
    for (let i = 0; s.length < 50_000; i++) s += parts[i % parts.length];
    return s.slice(0, 50_000);
  };

  const adversarial: Array<[string, string]> = [
    ['one long word', 'a'.repeat(50_000)],
    ['capitalised words without punctuation', 'Aaaa '.repeat(10_000)],
    ['digits', '1'.repeat(50_000)],
    ['digits and dashes', '1-'.repeat(25_000)],
    ['digits and spaces', '12 '.repeat(16_666)],
    ['at signs', '@'.repeat(50_000)],
    ['long local parts', `${'a'.repeat(63)}@`.repeat(780)],
    ['a long domain', `x@${'a'.repeat(49_998)}`],
    ['dots', 'a.'.repeat(25_000)],
    ['titles', 'Mr. '.repeat(12_500)],
    ['role words', 'the infant, '.repeat(4_166)],
    ['street-like words', '12 Main Main Main Main Main '.repeat(1_850)],
    ['case markers', 'case # ID no. '.repeat(3_570)],
    ['Medicaid fillers', 'Medicaid ID for the '.repeat(2_500)],
    ['birth cues', 'DOB is as on '.repeat(3_840)],
    ['apostrophes', "a'".repeat(25_000)],
    ['hyphens', 'A-'.repeat(25_000)],
    ['newlines', '\n'.repeat(50_000)],
  ];

  it.each(adversarial)('terminates on %s (50,000 characters)', (_name, body) => {
    const findings = scanForIdentifyingData({ body });
    expect(Array.isArray(findings)).toBe(true);
  });

  it('scans a realistic 50,000-character body', () => {
    const body = realistic();
    const findings = scanNotice({ title: 'Safe sleep', summary: '', body, requiredActions: [] });
    expect(findings.filter((f) => f.kind === 'personal_name').length).toBeGreaterThan(100);
    expect(findings.filter((f) => f.kind === 'exact_age_date').length).toBeGreaterThan(100);
    for (const f of findings.slice(0, 50)) expect(body.slice(f.start, f.end)).toBe(f.text);
  });
});
