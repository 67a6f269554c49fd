/**
 * The thirteenth round: structural rules for what held-out 13 (evaluated, then trained on) showed,
 * mostly in the forms notices are pasted from (threads, chat logs, tables, mixed languages).
 * Examples written for this spec, not taken from any labelled set.
 */
import { scanForIdentifyingData } from '../deid-scanner';
import { findingsWithTokenModel } from '../spec-helpers';
import { textModel } from '../text-model/text-model';
import { identifierShapes } from './identifier-shapes';

const findings = findingsWithTokenModel;

describe('round thirteen: identifiers the guard now finds', () => {
  it('sees a run of thirteen digits or more (runs were cut at twelve, so longer ones had no shape at all)', () => {
    const text = 'Her plan number? It is 4410027719352, please do not forward.';
    expect(identifierShapes(text).map((v) => text.slice(v.start, v.end))).toContain('4410027719352');
    expect(findings(text).some((f) => f.endsWith(':4410027719352'))).toBe(true);
  });

  it('finds an SSN masked with its middle left visible (six of nine digits)', () => {
    expect(findings('The report masked the number as ***-41-7720, which is not enough.')).toContain('ssn:***-41-7720');
    expect(findings('The form shows XXX-41-7720 for the boy.')).toContain('ssn:XXX-41-7720');
  });
});

describe('round thirteen: public look-alikes the guard now leaves', () => {
  it.each<string>([
    // A reply's subject line and a time zone are not initials.
    'Subject: RE: crib recall follow-up\n> The WIC office needs the lot number to swap the cans.',
    'Subject: FW: updated car-seat schedule\n> Clinics move to Saturdays in May.',
    '[OCR of retailer notice]\nThis crib recall was announced 3/14/2025 at 10:00 a.m. ET. Stock was pulled the same day.',
    // Months and weekdays in Tagalog and Spanish are not names.
    'Libreng car seat check sa Sabado, ika-9 ng Nobyembre, sa regional office.',
    'La feria será el sábado 14 de Octubre en el parque central.',
    // A vanity toll-free line.
    'Text or call 1-844-727-SAFE any time, day or night.',
    // Letters and projects of public bodies.
    'CMS informational letter #23-004 explains continuous eligibility.',
    'The 1115 waiver (project no. 11-W-00456/4) covers housing supports.',
    // Coordinates next to a tribe's name are not an enrollment number.
    'The gathering is at the Navajo Nation Museum (35.6803, -109.0526), next to the library.',
    // Authors of a book, a trainer named in Spanish.
    "Ross Greene and Lori Bolt's 'Lost at School' is the book-club pick for supervisors.",
    'La capacitación será el 3 de febrero con el entrenador Tomás Quiroga.',
    // An organisation's acronym before its address; an office in a complex.
    'Written reports go to CPSC, 4330 East West Highway, Bethesda, MD 20814.',
    'The ICWA office is at the Tribal Complex, 17675 S. Muskogee Ave., Tahlequah.',
  ])('leaves %j', (text) => {
    expect(findings(text)).toEqual([]);
  });

  it('still finds a family member next to the same look-alikes', () => {
    expect(findings('Navajo Nation #0912-448 is her number.')).toContain('tribal_enrollment:0912-448');
    expect(findings('Mom lives at 17675 S. Muskogee Ave., Tahlequah.').some((f) => f.startsWith('street_address:'))).toBe(true);
    expect(findings('Call the father at 614-727-7233 tonight.')).toContain('phone:614-727-7233');
  });

  it('keeps values the rules explained as public out of the text model reading', () => {
    const text = 'Form 2026-WX-17 replaces 2021-WX-17 for every kinship home in the state.';
    const model = textModel();
    const withNumbers = model.probability(text);
    const masked = model.probability(text.replace(/2026-WX-17|2021-WX-17/g, (v) => ' '.repeat(v.length)));
    expect(masked).not.toBe(withNumbers);
    // The scan reads the masked text: a threshold between the two readings decides.
    const threshold = (withNumbers + masked) / 2;
    const flagged = scanForIdentifyingData({ body: text }, { textModel: { threshold } }).length > 0;
    expect(flagged).toBe(masked >= threshold);
  });
});
