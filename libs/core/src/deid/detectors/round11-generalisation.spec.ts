/**
 * The eleventh round: structural rules for what held-out 10 (evaluated, then trained on) showed.
 * Examples written for this spec, not taken from any labelled set. The 'finds' cases need the new
 * rules; the 'leaves' cases are public look-alikes the new explanations must pass.
 */
import { scanForIdentifyingData } from '../deid-scanner';
import { contextOf } from '../spec-helpers';
import { patternOf } from './identifier-shapes';
import { unexplainedIdentifiers } from './unexplained-identifier';

const rulesOnly = { tokenModel: { enabled: false }, textModel: { enabled: false } };
const findings = (text: string): string[] => scanForIdentifyingData({ body: text }, rulesOnly).map((f) => `${f.kind}:${f.text}`);
const shaped = (text: string): string[] => unexplainedIdentifiers(contextOf(text, {}), []).map((c) => text.slice(c.start, c.end));

describe('round eleven: identifiers the guard now finds', () => {
  it.each<[string, string]>([
    // "fake" describes a value only when it qualifies one: a stolen number used for a fake claim is real.
    ['Stolen SSN 529884013 was used for a fake daycare subsidy claim.', 'ssn:529884013'],
    ['The fake benefit application listed SSN 529-88-4013 for the toddler.', 'ssn:529-88-4013'],
    // Birth cues in Vietnamese, Portuguese and Tagalog.
    ['Bé trai sinh ngày 02/11/2024, ngủ chung với mẹ trên sofa.', 'date_of_birth:02/11/2024'],
    ['Ngày sinh của bé: 14/06/2023.', 'date_of_birth:14/06/2023'],
    ['O bebê nasceu em 21/05/2025 e dormia no sofá com o pai.', 'date_of_birth:21/05/2025'],
    ['A criança, data de nascimento 03/09/2021, estava sozinha.', 'date_of_birth:03/09/2021'],
    ['Ang sanggol ay ipinanganak noong 08/12/2024 sa bahay.', 'date_of_birth:08/12/2024'],
    // A plate word, then where the plate is from, then the value.
    ['Placas de Sonora WXT-41-07, la camioneta gris del tío.', 'vehicle_id:WXT-41-07'],
    ['Plates out of Manitoba KRB 552 on the van the father drove.', 'vehicle_id:KRB 552'],
    ['Tablilla de Puerto Rico JKL-203 en el carro de la abuela.', 'vehicle_id:JKL-203'],
  ])('finds %j', (text, expected) => {
    expect(findings(text)).toContain(expected);
  });

  it('still lets a sentence that calls its values made up pass them', () => {
    expect(findings('Use fake numbers such as SSN 529884013 in the training database only.')).toEqual([]);
    expect(findings('The dummy record lists SSN 529-88-4013.')).toEqual([]);
  });

  it('keeps an English "plate" that is a dish or a part out of it', () => {
    expect(findings('The recall covers plates of Model XR-2000 dishes sold at Target.')).toEqual([]);
    expect(findings('Hot plates of type HP-200 are banned from resource homes.')).toEqual([]);
  });
});

describe('round eleven: public look-alikes the guard now leaves', () => {
  it.each<string>([
    // A series: a value written like an explained one, in the same field, is its sibling.
    'Form 2026-JV-12 replaces 2022-JV-12 and 2023-JV-12B; shred the old ones.',
    'Recalled bassinets: models 55120811, 55120904 and DreamNest 55121177.',
    'Ticket INC0077120 tracks the login bug; INC0077342 covers the upload one.',
    // Codes every reader knows.
    'In CY2026 the region reviewed 41 sleep-related deaths.',
    'The rule is at 22VAC40-211-30 and applies to all licensed homes.',
    'Open a help desk ticket RITM0049812 if the form will not load.',
    'Case management visits are billed under HCPCS T1017 with modifier HA.',
    // A toll-free line after a desk's label is a desk's.
    'After hours, call State Central Intake: 1-888-555-0131.',
    // Places in a list.
    'Home visits are planned for Wanblee, Kyle, Porcupine and Manderson in March.',
    'Staff traveling to Eugene, Marion, Florence and Alexandria should book through the portal.',
    'Outreach will cover the area around Pine Ridge and Kyle first.',
    // A public title.
    'Ombuds Teresa Ngata will take outage complaints until Friday.',
  ])('leaves %j', (text) => {
    expect(findings(text)).toEqual([]);
  });

  it('does not let a sibling hide a value tied to a person, nor a toll-free line hide a family phone', () => {
    expect(shaped('Form 2026-JV-12 was filed; the boy is under 2025-JV-31 in the county system.')).toEqual([]);
    expect(shaped('Form 2026-JV-12 was filed; his record shows 2025-JV-31 in the county system.')).toEqual(['2025-JV-31']);
    expect(findings('Call the hotline at 1-800-555-0199 or the mother at 1-614-555-0182.').some((f) => f.includes('614-555-0182'))).toBe(true);
  });

  it('keeps names in a list that is not one of places', () => {
    expect(findings('Gifts went to Kyle, Emma and Noah after the fire.')).toEqual(['personal_name:Kyle', 'personal_name:Emma', 'personal_name:Noah']);
    expect(findings('We visited Kyle, Emma and Noah at the motel.')).toEqual(['personal_name:Kyle', 'personal_name:Emma', 'personal_name:Noah']);
  });

  it('writes a value without its digits, keeping series letters and separators', () => {
    expect(patternOf('2019-CW-17')).toBe(patternOf('2024-CW-17'));
    expect(patternOf('inc0044187')).toBe('INC7');
    expect(patternOf('614-555-0182')).not.toBe(patternOf('614-55-0182'));
  });
});
