/**
 * The sixteenth round: structural rules for what held-out 16 (evaluated, then trained on) showed:
 * rare traits and rare families with a small place, kin words and dates in Somali and Hmong, and
 * captions, conference ids, subawards, public pages, landmarks and sign-offs in clean texts.
 * Examples written for this spec, not taken from any labelled set.
 */
import { findingsWithTokenModel } from '../spec-helpers';

const kinds = (text: string): string[] => findingsWithTokenModel(text).map((f) => f.split(':')[0]);
const findings = findingsWithTokenModel;

describe('round sixteen: identifiers the guard now finds', () => {
  it.each<[string, string]>([
    // One child named by a rare trait and a place, in either order.
    ['The generator failed for the boy in Alzada with a tracheostomy; the battery lasted an hour.', 'quasi_identifier'],
    ['The 6-year-old with Williams syndrome in Hulett wandered from the yard.', 'quasi_identifier'],
    // A town's only tradesperson, with a child of theirs.
    ['The daughter of the only veterinarian in Jordan found the rat poison in the barn.', 'quasi_identifier'],
    // A local figure's child, a large sibling group with its place, the first baby born somewhere, conjoined twins.
    ["Dog bite: the postmaster's 4-year-old grandson in Ismay was bitten by the family's dog.", 'quasi_identifier'],
    ['The heater failed at the home of the sibling group of eight placed together in Circle.', 'quasi_identifier'],
    ['Sage, the first baby born at the new Lame Deer clinic, came back with a fractured arm.', 'quasi_identifier'],
    ['The sisters born conjoined in Tyler now have home nursing.', 'quasi_identifier'],
    // Spanish: the only one of a kind in a named town, with a child.
    ['La niña que vive en la única casa azul de Marfa se cayó del techo.', 'quasi_identifier'],
    // A mother's number behind a Somali label; a birth date in Hmong.
    ['Lambarka hooyada: (651) 204-7781. Fadlan la xiriir.', 'phone'],
    ['Tus me nyuam yug hnub tim 3 lub 5 hli xyoo 2019 tau poob ntawm lub txaj.', 'date_of_birth'],
  ])('%s', (text, kind) => {
    expect(kinds(text)).toContain(kind);
  });
});

describe('round sixteen: public look-alikes the guard now leaves', () => {
  it.each<string>([
    // A reported case's caption before its docket.
    'Brackeen v. Haaland, No. 21-380, is the case the webinar will cover.',
    // A conference bridge's id, a subaward's number.
    'Partnership call Thursday.\nDial-in: +1 (605) 555-0142, conference ID 771 204 998#',
    'OVC subaward 2025-V3-GX-0117 pays for the lock boxes.',
    // The county's public page, with the county's and the service's words in its name.
    "Recall alerts are posted on the county's public page, facebook.com/WibauxCountySocialServices.",
    // A landmark's coordinates, though a hotel or foster parents come up in the sentence.
    'The field day meets at the Crazy Horse Memorial welcome center, 43.8366, -103.6236; carpool from the hotel.',
    'Live-fire demo for foster parents at the State Fire Training Academy, 44.3668, -100.3538.',
    // A public service's launch date.
    'The 988 Suicide & Crisis Lifeline went live July 16, 2022. Remind youth in care that they can call or text 988 at any hour.',
    // A class's date in Spanish.
    '> Will the infant CPR class be offered in Spanish?\n\nYes: sábado 14 de junio, 9 a.m., Centro Comunitario, Taos.',
    // The writer's name after a sign-off.
    'Xin nhớ khóa tủ thuốc và cất pin nút. Trân trọng, Lê Thu Hằng',
    // A guard rail for the new trades after "the only": one at a public event.
    'The only pharmacist in town will host a lock-box giveaway for all families on Saturday.',
  ])('%s', (text) => {
    expect(findings(text)).toEqual([]);
  });

  it('keeps the cases these rules must not reach', () => {
    // Guidance about a condition names no child.
    expect(findings('A child with cerebral palsy in Ohio may qualify for the waiver.')).toEqual([]);
    // Coordinates by a named school where a family lives are still a finding.
    expect(kinds('The family lives behind the Lincoln Elementary School, 44.3668, -100.3538.')).toContain('geo_coordinates');
    // A docket with no caption before it is still a case's.
    expect(kinds('Court file No. 24-3381-17 shows the unlocked pool gate at the relatives\' home.')).toContain('case_number');
  });
});
