/**
 * The third round's generalisations, one block per detector, each with examples written for this
 * spec (not taken from any labelled set): the shapes a new writer may use, and the clean texts each
 * broader rule had to learn to leave alone.
 */
import { DeidDetector } from '../detector';
import { scanForIdentifyingData } from '../deid-scanner';
import { found } from '../spec-helpers';
import { caseNumberDetector } from './case-number.detector';
import { emailDetector } from './email.detector';
import { exactAgeDateDetector } from './exact-age-date.detector';
import { fileNameDetector } from './file-name.detector';
import { geoCoordinatesDetector } from './geo-coordinates.detector';
import { initialsDetector } from './initials.detector';
import { medicaidIdDetector } from './medicaid-id.detector';
import { personalNameDetector } from './personal-name.detector';
import { phoneDetector } from './phone.detector';
import { quasiIdentifierDetector } from './quasi-identifier.detector';
import { ssnDetector } from './ssn.detector';
import { streetAddressDetector } from './street-address.detector';
import { vehicleIdDetector } from './vehicle-id.detector';

/** A table of texts and what one detector must find in each. */
function findsIn(detector: DeidDetector, cases: Array<[string, string[]]>): void {
  it.each(cases)('finds %p', (text, expected) => {
    expect(found(detector, text)).toEqual(expected);
  });
}

/** Texts one detector must leave alone. */
function leavesAlone(detector: DeidDetector, texts: string[]): void {
  it.each(texts)('leaves %p alone', (text) => {
    expect(found(detector, text)).toEqual([]);
  });
}

describe('street addresses in new shapes', () => {
  findsIn(streetAddressDetector, [
    ['Her mail goes to P.O. Box 4410, Kayenta, AZ since the eviction.', ['P.O. Box 4410, Kayenta, AZ']],
    ['the family rents at 2207 w juniper ln behind the laundromat', ['2207 w juniper ln']],
    ['Vivían en Calle Robles 118 con la abuela.', ['Calle Robles 118']],
    ['The boy lives on Thistle Bend Road with his grandfather.', ['on Thistle Bend Road']],
  ]);

  leavesAlone(streetAddressDetector, [
    'Send completed forms to the Department, PO Box 2200, Salem.',
    '12 infants under 6 months died in 2023 across 4 regions.',
    'The 2024 safe sleep push reached 300 families.',
  ]);
});

describe('Medicaid programmes written apart or abbreviated', () => {
  findsIn(medicaidIdDetector, [
    ['Sooner Care ID 300412277 on the intake sheet', ['300412277']],
    ['Med ID# WV-0041-7712 for the infant', ['WV-0041-7712']],
    ['Mass Health member 100455612009', ['100455612009']],
  ]);
});

describe('spoken last four of an SSN', () => {
  it('finds the digits read out after "last four"', () => {
    expect(found(ssnDetector, 'Grandfather gave his SSN last four: five five oh two.')).toEqual(['five five oh two']);
  });
});

describe('plates and VINs in lower case', () => {
  findsIn(vehicleIdDetector, [
    ['Deputies saw tn tag 4kx-z19 leaving the lot.', ['4kx-z19']],
    ['vin 2t1bu4ee9dc123456 on the towed sedan', ['2t1bu4ee9dc123456']],
  ]);

  it('leaves tags on products alone', () => {
    expect(found(vehicleIdDetector, 'Cut the tags off 2 cribs before the 2025 inspection.')).toEqual([]);
  });
});

describe('phones with no cue', () => {
  findsIn(phoneDetector, [
    ['She texted from 480–555–0175 at midnight.', ['480–555–0175']],
    ['Teen was reachable at 602 - 555 - 0199 until Friday.', ['602 - 555 - 0199']],
  ]);

  leavesAlone(phoneDetector, ['- Gallup: 505-555-0100\n- Farmington: 505-555-0111', 'Families can dial 505-555-0122 any time for a free car-seat check.']);
});

describe('quasi-identifiers in new words', () => {
  it.each<[string, string]>([
    ['Her stepdad is a supervisor at the Koch mill in Rayville; the girl is alone after school.', 'stepdad is a supervisor at the Koch mill in Rayville'],
    ['The toddler is the nephew of the county sheriff.', 'nephew of the county sheriff'],
    ['La niña asiste a la Escuela Primaria Benito Juárez.', 'Escuela Primaria Benito Juárez'],
    ["Teachers at Hawthorne Middle noticed the boy's bruises.", 'Hawthorne Middle'],
    ['The girl placed first in the regional science fair in April.', 'placed first in the regional science fair in April'],
    ['A fundraiser for the infant was shared 3,000 times.', 'fundraiser for the infant was shared 3,000 times'],
    ['The boy goes to Busy Bees daycare off Route 9.', 'Busy Bees daycare'],
    ['Her uncle, a Pine Ridge council member, drove her to the clinic.', 'Her uncle, a Pine Ridge council member'],
    ['A third grader at St. Columba was absent for a week.', 'grader at St. Columba'],
    ['They are the sole pair born at the tribal clinic this year.', 'the sole pair born at the tribal clinic this year'],
  ])('finds the phrase in %p', (text, phrase) => {
    expect(found(quasiIdentifierDetector, text).join(' | ')).toContain(phrase);
  });
});

describe('quasi-identifiers: aggregate wins and generic daycare are not one child', () => {
  it.each(['The county won a federal grant for safe sleep outreach.', 'Licensed daycare providers must report every injury.'])('leaves %p alone', (text) => {
    expect(found(quasiIdentifierDetector, text)).toEqual([]);
  });
});

describe('exact incident dates in Spanish and short forms', () => {
  findsIn(exactAgeDateDetector, [
    ['El 12 de mayo la niña de 2 años cayó de la ventana.', ['12 de mayo']],
    ['4/22 around 1500, infant (3 mo) found unresponsive in a car seat.', ['4/22']],
  ]);

  it('leaves fractions and age ranges alone', () => {
    expect(found(exactAgeDateDetector, 'Answer 3/4 of the questions; the module covers ages 5 and under.')).toEqual([]);
  });
});

describe('initials near a role or an age', () => {
  findsIn(initialsDetector, [
    ['Sisters KT and RL, ages 6 and 8, stay with a neighbour.', ['KT', 'RL']],
    ['Seen today: TM, age 15, and her cousin.', ['TM']],
    ['Niño JM llegó con su abuela.', ['JM']],
  ]);

  it('leaves fiscal years and agency acronyms alone', () => {
    expect(found(initialsDetector, 'In FY 2024 the CPS unit served children age 5 and under.')).toEqual([]);
  });
});

describe('names in capitals, in lower case, and unknown to every lexicon', () => {
  findsIn(personalNameDetector, [
    ['FATHER: DMITRI VOLKOV', ['DMITRI VOLKOV']],
    ['INTAKE NOTE RE JAYDEN OKONKWO, AGE 6', ['JAYDEN OKONKWO']],
    ['the kids were left with grandma lupe overnight', ['lupe']],
    ['Tahnee Yellowhorse missed both of her visits.', ['Tahnee Yellowhorse']],
    ['Clover and Wren, 3 and 5, were left in the truck.', ['Clover', 'Wren']],
    ['Ifeoma says the baby sleeps in her bed.', ['Ifeoma']],
    ["Saw Brielle at the clinic with her aunt.", ['Brielle']],
    ["Patience's bruises were photographed at intake.", ['Patience']],
    ['> From: Corinne Pawlak <corinne.p1990@yahoo.com>', ['Corinne Pawlak']],
    ['La señora Villaseñor dijo que el bebé duerme con ella.', ['Villaseñor']],
    ['hi its shaniqua from 4B, the baby is crying again', ['shaniqua']],
    ['Her bf, Deontae, moved in last week.', ['Deontae']],
    ['lil man Kayden is 2 and not walking yet', ['Kayden']],
    ['Spoke to Latrice re: the baby monitor.', ['Latrice']],
    ['sup f/u w/ Dreshawn on Friday', ['Dreshawn']],
    ['Mẹ: Đặng Thị Thu', ['Đặng Thị Thu']],
  ]);

  leavesAlone(personalNameDetector, ['SAFE SLEEP WEEK: MARCH 3-9', 'ATTN: ALL STAFF', 'Mothers were referred to the Maternal Opioid Misuse (MOM) model program.']);
});

describe('file names and folders with a serial or a name in capitals', () => {
  findsIn(fileNameDetector, [
    ['Photos are in Shared/Intake/2026/WV-55102 now.', ['Shared/Intake/2026/WV-55102']],
    ['clip: 2026_0219_porch.mov', ['2026_0219_porch.mov']],
    ['Saved as TSOSIE_interview_notes.docx', ['TSOSIE_interview_notes.docx']],
    ['see /records/2025-7781/scans', ['/records/2025-7781/scans']],
  ]);

  leavesAlone(fileNameDetector, [
    'Enter the DOB as MM/DD/YYYY.',
    'Print sleep_checklist_2026.pdf and IMG_2231.HEIC is the sample photo.',
    'Read https://www.cdc.gov/sids/data/2024-0113 first.',
    'The notice NPCS-2026-0031_Summary.docx is attached.',
  ]);
});

describe('names: what is not a name', () => {
  leavesAlone(personalNameDetector, [
    "CALLER: I'm calling about the kid next door. WORKER: Thank you, go on.",
    'Jordan Industries donated 40 cribs to the closet.',
    '| Region | Open cases |\n|---|---|\n| Tyler | 88 |',
    'Parents can join the foster-parent Slackline server for updates.',
    'Cars with VINs starting 1FM were recalled.',
    'Secretary Dana Whitford opened the summit. "Every crib counts," Whitford said.',
    'Medi-Cal, TennCare and AHCCCS all cover play yards.',
    'Asunto: Seguridad Infantil',
    'Press contact: Lauren Whitfield, Communications Director',
    'Met with Tribal Council on the new policy.',
  ]);
});

describe('public coordinates, unit mailboxes and placeholder numbers', () => {
  it('leaves the coordinates of an office alone but not those of a home', () => {
    expect(found(geoCoordinatesDetector, 'The new field office sits at 35.4676, -97.5164 near the capitol.')).toEqual([]);
    expect(found(geoCoordinatesDetector, "The mother's phone last pinged at 35.4676, -97.5164.")).toEqual(['35.4676, -97.5164']);
  });

  it('leaves the coordinates of a public drop-off site alone', () => {
    expect(found(geoCoordinatesDetector, 'Safe-haven baby box at Fire Station 9 (39.7684, -86.1581) is staffed around the clock.')).toEqual([]);
  });

  it('reads a mailbox named after a unit acronym in the same text as an office', () => {
    expect(found(emailDetector, '| Team | Mailbox |\n|---|---|\n| QRTP | qrtp@dcs.example.gov |')).toEqual([]);
  });

  it('drops all-zero and dummy numbers', () => {
    const findings = scanForIdentifyingData({ body: 'Sample slide: SSN 000-00-0000 and Medicaid ID 0000000000 are dummy values.' });
    expect(findings).toEqual([]);
  });

  it('reads a compact date after a weak label as a date, and an unlabelled dashed number after "Re:" as a case', () => {
    expect(found(caseNumberDetector, 'Record 20240311 as the completion date in the LMS.')).toEqual([]);
    expect(found(caseNumberDetector, 'Re: 2025-441-0093 follow-up on the infant')).toEqual(['2025-441-0093']);
  });
});
