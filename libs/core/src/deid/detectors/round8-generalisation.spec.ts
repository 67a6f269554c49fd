/**
 * The eighth round's rules, with examples written for this spec (not taken from any labelled set):
 * identifier-shaped values after any identifier cue in English or Spanish (a health plan's beside
 * health-plan words, a case's otherwise), unless a citation, form, product or phone; SSNs in a field
 * name, read out in words after any cue, or with letters for digits; handles of people in capitals
 * or on a "public profile", on more platforms; a named local incident beside a specific child.
 */
import { caseNumberDetector } from './case-number.detector';
import { quasiIdentifierDetector } from './quasi-identifier.detector';
import { socialHandleDetector } from './social-handle.detector';
import { ssnDetector } from './ssn.detector';
import { contextOf, found } from '../spec-helpers';

const kindsOf = (text: string): string[] => caseNumberDetector.detect(contextOf(text)).map((c) => `${c.kind}:${text.slice(c.start, c.end)}`);

describe('identifier-shaped values after any identifier cue', () => {
  it.each<[string, string]>([
    ['Her plan card lists Member ID: KXT55019283 and the pharmacy used the old one.', 'medicaid_id:KXT55019283'],
    ['The insurer reissued the card under member number 770312945 last week.', 'medicaid_id:770312945'],
    ['La tarjeta del seguro dice afiliado núm. 55120934 y la farmacia la rechazó.', 'medicaid_id:55120934'],
    ['Cross-reference #5120-88-0147 before the home study goes out.', 'case_number:5120-88-0147'],
    ['The shelter intake sheet gives his client ID ZRT4401823 and a bed number.', 'case_number:ZRT4401823'],
  ])('finds %p', (text, expected) => {
    expect(kindsOf(text)).toContain(expected);
  });

  it.each([
    'See form number 4471-22 for the checklist.',
    'The recall covers model number KX2291034 sold at large stores.',
    'Under section number 39.20145 of the statutes, the court may appoint counsel.',
    'Call the hotline, number 1-800-555-0199, for help.',
    'The council adopted Resolution No. 2031-114 on child safety.',
    'Register for the course (Course ID 7731-4402-1190) before May.',
  ])('leaves the public number in %p', (text) => {
    expect(kindsOf(text)).toEqual([]);
  });
});

describe('Social Security numbers in more disguises', () => {
  it.each<[string, string]>([
    ['The export held rows like MOTHER_SSN=512443318;COUNTY=12.', '512443318'],
    ['The caller gave her social as seven oh two one before the script stopped her.', 'seven oh two one'],
    ['The scanned card read 4O7-l2-9981 after OCR.', '4O7-l2-9981'],
  ])('finds %p', (text, expected) => {
    expect(found(ssnDetector, text)).toEqual([expected]);
  });

  it('reads no SSN in digit words without a cue', () => {
    expect(found(ssnDetector, 'The children counted one, two, three, four before the drill.')).toEqual([]);
  });
});

describe("people's handles", () => {
  it.each<[string, string]>([
    ['MISSING TEEN, 14\nIG: @LILMAYA.2K\nCALL 911', '@LILMAYA.2K'],
    ['He found the public profile tiktok.com/@kaydenz_09 of the 15-year-old.', 'tiktok.com/@kaydenz_09'],
    ['The boy chatted on kik.me/shadowkid44 most nights.', 'kik.me/shadowkid44'],
    ['Su usuario era nena_bonita07 en la aplicación.', 'nena_bonita07'],
  ])('finds %p', (text, expected) => {
    expect(found(socialHandleDetector, text)).toContain(expected);
  });

  it.each(['Follow @NICHD_NIH for safe sleep news.', 'Sigan la cuenta oficial @DCFSaludFamilia en Instagram.', 'Nunca dé su número de cuenta bancaria por teléfono.'])(
    'leaves %p',
    (text) => {
      expect(found(socialHandleDetector, text)).toEqual([]);
    },
  );
});

describe('a named local incident beside a specific child', () => {
  it.each<[string, string]>([
    ['Update on the Millbrook sledding hill crash: the injured 9-year-old is home.', 'Millbrook sledding hill crash'],
    ['Since the Cedar Falls apartment fire in Ridgeway, the three children have stayed with an aunt.', 'Cedar Falls apartment fire in Ridgeway'],
  ])('finds %p', (text, expected) => {
    expect(found(quasiIdentifierDetector, text)).toContain(expected);
  });

  it.each([
    'The Supreme Court case changed how children are placed.',
    'After the Adams County flood, families with children may apply for aid.',
    'The Millbrook crash report is due Friday.',
    // The summary of a notice drafted from a review: a common term opening the sentence, not a name.
    'Critical incident review CIR-2026-0007 found 2 systemic findings: the 4-month-old slept on an adult bed.',
    'Drowning incident reviews keep finding that the toddler was out of sight for minutes.',
  ])('leaves %p', (text) => {
    expect(found(quasiIdentifierDetector, text)).toEqual([]);
  });
});

describe('an exact time and day at a named place, when someone ran away', () => {
  it('finds the place and moment of a runaway', () => {
    const text = 'A girl ran away from the Pine Hollow youth shelter in Dunmore at 2:15 a.m. on March 9.';
    expect(found(quasiIdentifierDetector, text).join()).toContain('the Pine Hollow youth shelter in Dunmore at 2:15 a.m. on March 9');
  });
});
