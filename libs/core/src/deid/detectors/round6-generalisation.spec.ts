/**
 * The sixth round's rules, with examples written for this spec (not taken from any labelled set):
 * the moment of an incident (a date next to a time of day, or under an incident label), phone
 * numbers read out digit by digit or with a trunk or exit prefix, Spanish cues of a person's phone;
 * coordinates in more writings (degrees and minutes run together, UTM, what3words without slashes);
 * identifiers after any word and "ID", with two letter groups, or read out digit by digit; things that
 * hold a first name (a quoted product, a named storm, a holiday, a park's pool, a street abbreviation)
 * and officials with Spanish titles or a marshal's; quasi-identifiers: the only business of a kind in a
 * town, a relative who is a local figure, a child who is a champion, a station's story.
 */
import { scanForIdentifyingData } from '../deid-scanner';
import { found } from '../spec-helpers';
import { caseNumberDetector } from './case-number.detector';
import { exactAgeDateDetector } from './exact-age-date.detector';
import { geoCoordinatesDetector } from './geo-coordinates.detector';
import { phoneDetector } from './phone.detector';
import { quasiIdentifierDetector } from './quasi-identifier.detector';

/** The rules' findings (the token model off) as [kind, text]. */
const rules = (text: string): Array<[string, string]> => scanForIdentifyingData({ body: text }, { tokenModel: { enabled: false }, textModel: { enabled: false } }).map((f) => [f.kind, f.text]);
const dates = (t: string): string[] => found(exactAgeDateDetector, t);
const phones = (t: string): string[] => found(phoneDetector, t);

describe('the moment of an incident', () => {
  it.each<[string, string[]]>([
    ['The toddler was found in the pool shed shortly after 5:20 p.m. on August 2.', ['August 2']],
    ['It happened Friday, March 6th, around 11 pm behind the bowling alley.', ['Friday, March 6th']],
    ['Incident occurred 9/14 at 2310 in the stairwell; the 4 y/o was alone.', ['9/14']],
    ['aug 21st, 6:05pm - deputies called to the trailer, two kids home alone', ['aug 21st']],
    ['El 12 de marzo a las 9 de la noche los niños estaban solos en el carro.', ['12 de marzo']],
    ['Date of injury: 10/03/2026. Newborn (5 days) found with a bruise on the cheek.', ['10/03/2026']],
    ['Cat scratch on 6/30 around 1940 at a relative home: no supervision after dark', ['6/30']],
  ])('%p', (text, expected) => expect(dates(text)).toEqual(expected));

  it.each([
    'The caregiver webinar runs Thu 4/16, 1:00-2:00 pm; toddlers and screens is the topic.',
    'The Elm Street office closes at noon on Dec 31 and reopens Jan 2; children visiting that week should be rescheduled.',
    'Monthly support group 5/12 at 7pm at the library; childcare for kids provided.',
    'Notice issued 0900 hrs 14 OCT 26 by the Central Office about infant car seats.',
    'A child found alone should be reported at once; the policy was revised on 3 June 2026.',
    'Return the signed forms by 5 p.m. on Friday, May 8, 2026 for every child in care.',
  ])('leaves %p alone', (text) => expect(dates(text)).toEqual([]));
});

describe('phone numbers in more writings', () => {
  it.each<[string, string[]]>([
    ['Please call the great-aunt after 4: 9 1 8 - 5 5 5 - 0 1 4 2. She can take both boys.', ['9 1 8 - 5 5 5 - 0 1 4 2']],
    ["transcribed voicemail: the caller said her number is 5 0 5 5 5 5 0 1 2 3 call back", ['5 0 5 5 5 5 0 1 2 3']],
    ['Reach the uncle in Guatemala at 011 502 5512 3344 before the hearing.', ['011 502 5512 3344']],
    ['Her sister in Leeds can take the baby; her mobile is 07911 123456.', ['07911 123456']],
    ['Celular de la abuela: (505) 555-0177. No habla inglés.', ['(505) 555-0177']],
  ])('%p', (text, expected) => expect(phones(text)).toEqual(expected));

  it.each([
    'Webinar for caregivers, Tue 2/3. Dial-in 1-312-555-0199, meeting code 882 114 2290.',
    'Grandpa read his social over the phone: four one two, five five, zero one nine eight.',
    "Radio spot: 'Call one eight hundred, four two two, four four five three, day or night.'",
    'The MRN at the hospital is 00721446; the nurse called it in.',
  ])('leaves %p alone', (text) => expect(rules(text).filter(([k]) => k === 'phone')).toEqual([]));
});

describe('coordinates in more writings', () => {
  const geo = (t: string): string[] => found(geoCoordinatesDetector, t);
  it.each<[string, string[]]>([
    ['Ranger found the 6-year-old at 4112N 10922W, alone by the fire ring.', ['4112N 10922W']],
    ["Deputy's grid for the trailer: UTM 13S 0392114E 3998120N. Kids there with an uncle.", ['UTM 13S 0392114E 3998120N']],
    ['Scene what3words: ladder.pencil.orbit (the shed behind the barn).', ['ladder.pencil.orbit']],
    ['Plus code 76HR8XW2+4Q, green double-wide behind the grain elevator, dogs on chains.', ['76HR8XW2+4Q']],
    ['She was hurt at the river cabin (35.1122, -94.2210) while the grown-ups were fishing.', ['35.1122, -94.2210']],
  ])('%p', (text, expected) => expect(geo(text)).toEqual(expected));

  it.each([
    'Safe sleep slogan for the spring: alone.back.crib on every poster.',
    'Open house at the county fairgrounds (public plus code 8QJW+3F) with the Family Fun Day booths.',
    'The scene is described in report.final.version of the audit.',
  ])('leaves %p alone', (text) => expect(geo(text)).toEqual([]));
});

describe('identifiers with any label', () => {
  const cases = (t: string): string[] => found(caseNumberDetector, t);
  it.each<[string, string[]]>([
    ['Hotline Intake ID 31-2-550917 was assigned for an emergency response; the baby had burns.', ['Intake ID 31-2-550917']],
    ['Juvenile court case JV-DN-2025-044 controls; the county petition was withdrawn.', ['case JV-DN-2025-044']],
    ['Interstate compact packet #NM-AZ-25-0117 is pending; the cousin already has the girls.', ['NM-AZ-25-0117']],
    ['CONNECTIONS  case  no.  5 5 1 0 2 9 3 7 — the stepfather moved in with a new partner.', ['5 5 1 0 2 9 3 7']],
  ])('%p', (text, expected) => expect(cases(text)).toEqual(expected));

  it.each([
    'NDC 0054-3176-63 (buprenorphine film) is now on the formulary.',
    'Federal Register docket HHS-2026-0042 takes comments until March 9.',
    'Pool car #3318 is in the shop; take #3320 from the motor pool.',
    'Join with Zoom meeting ID 88211422901 at 10 a.m.',
    'Recall notice CPSC #25-118 covers the bassinet; see NIH Pub. No. 21-HD-5523 for the safe sleep poster.',
    'OK-CW-SN-2026-007: Medication lock boxes for kinship caregivers',
  ])('leaves %p alone', (text) => expect(rules(text).filter(([k]) => k === 'case_number')).toEqual([]));
});

describe('things and officials that hold a first name', () => {
  const names = (t: string): string[] => rules(t).filter(([k]) => k === 'personal_name').map(([, n]) => n);
  it.each([
    "Stop using the 'Rosie' high chair: the tray latch fails.",
    "Recall: 'Baby Theo' sound machine chargers can overheat.",
    "Parents like the 'Nana Bea's Calm' gripe drops, which contain alcohol.",
    "The 'Little Max' potty seat is not a bath aid.",
    'After Hurricane Marisol, families in shelters may lose formula.',
    'Tropical Storm Felix closed the coastal schools on Monday.',
    'The splash day moved to the Jasper Park pool because of the storm.',
    'Frederick Douglass Ave will be closed for repaving in March.',
    'State Fire Marshal Connor Pruitt reminds families to test smoke alarms.',
    'La coordinadora regional, Lic. Yolanda Ibarra, presentará la guía nueva.',
    'Books donated by the Kiwanis Club are in the new parent kits.',
    'Pair each new worker with a mentor from the Darius Project.',
    'The Navajos and the Hopis sent delegates to the summit.',
    "Stop using the 'Cloud Nine' rocker at once.",
  ])('leaves %p alone', (text) => expect(names(text)).toEqual([]));

  it.each<[string, string]>([
    ["Her boyfriend goes by 'Tito' and drives a gray van.", 'Tito'],
    ['The uncle, known on the block as "Chino," was the only adult there.', 'Chino'],
    ["Toddler 'Peanut' Okonkwo's burns: what the visit missed", "Peanut' Okonkwo"],
    ['The Vukovics have had three reports this year; the 6-year-old is often alone.', 'Vukovics'],
    ['Do not place another child with the Delacourts until the review is done.', 'Delacourts'],
    ["The toddler, 'Baby Jace', was left with a neighbour.", 'Jace'],
    ['Mom left the kids with Aunt Rosalind for the weekend.', 'Rosalind'],
  ])('still finds the name in %p', (text, name) => expect(names(text).join(' ')).toContain(name));
});

describe('quasi-identifiers in more writings', () => {
  const quasi = (t: string): string[] => found(quasiIdentifierDetector, t);
  it.each<[string, RegExp]>([
    ['The call came from the only laundromat in Keyes; the mother had left the twins in the van.', /the only laundromat in Keyes/],
    ['Dad is the middle school football coach in Okemah, so staff may know the family.', /Dad is the middle school football coach in Okemah/],
    ["The girl is the regional spelling bee winner from last spring's contest at Central.", /The girl is the regional spelling bee winner/],
    ['This is the infant from the KJRH story about the crib collapse in Sapulpa.', /KJRH story about the crib collapse/],
  ])('%p', (text, expected) => expect(quasi(text).join(' | ')).toMatch(expected));

  it.each([
    'The only pediatric trauma center in the region is at the university hospital.',
    'Channel 6 anchors will record the statewide safe sleep spot on Friday.',
    'Children who are state spelling bee winners may apply for the scholarship.',
  ])('leaves %p alone', (text) => expect(quasi(text)).toEqual([]));
});

describe('more structure: ranges, templates, surname-first names, initials in parentheses', () => {
  it.each<[string, Array<[string, string]>]>([
    ['Serials from 431-22-9001 through 431-22-9050 are affected; check the label under the seat.', []],
    ['Write to parents only from firstname.lastname@cfs.state.example.gov, never from Gmail.', []],
    ['Template: Name: Jane Doe, Role: kinship caregiver, Email: jane.doe@example.com.', []],
    ['PRUITT, DESTINY (mother) - left the baby with a neighbour overnight', [['personal_name', 'PRUITT, DESTINY']]],
    ['Father (RJ) refused the screen; the infant stays with the aunt.', [['initials', 'RJ']]],
    ['The parents post the chore videos on youtube.com/@TheMcAlisterFamilyLife for subscribers.', [['social_handle', 'youtube.com/@TheMcAlisterFamilyLife']]],
    ['Follow youtube.com/@OhioFamilyServices for the safe sleep series.', []],
    ['Perp SSN on the booking sheet: •••-••-5512.', [['ssn', '•••-••-5512']]],
    ['The grandfather gave his social as four one nine, two two, seven seven zero one.', [['ssn', 'four one nine, two two, seven seven zero one']]],
    ['El niño (J.C.R.M.), de 8 años, llegó solo a la clínica.', [['initials', 'J.C.R.M.']]],
    ['The R.I.S.E. workgroup and the C.A.R.E. team meet on Tuesday.', []],
    ['Last seen at 2210½ Harmon St with both boys.', [['street_address', '2210½ Harmon St']]],
    ['{"scene": "toddler found in the ditch", "lat": 35.22817, "lng": -97.44120}', [['geo_coordinates', '"lat": 35.22817, "lng": -97.44120']]],
    ['SOC 431-27 8820 for the father, from the benefits file.', [['ssn', '431-27 8820']]],
    ['Die Geburtsurkunde zeigt das Kind als geb. 03-04-2020 in Köln.', [['date_of_birth', '03-04-2020']]],
    ['Niña (iniciales R.M.): F. Nac. 14/02/2021; vive con la tía.', [['initials', 'R.M.'], ['date_of_birth', '14/02/2021']]],
    ["Add the brother (b. Jun '23) to the safety plan.", [['date_of_birth', "Jun '23"]]],
  ])('%p', (text, expected) => expect(rules(text)).toEqual(expected));
});

describe('addresses in more writings', () => {
  const addresses = (t: string): string[] => rules(t).filter(([k]) => k === 'street_address').map(([, a]) => a);
  it.each<[string, string]>([
    ['mom and the twins are in space 12 at twin oaks mhp off rte 9 now', 'space 12 at twin oaks mhp off rte 9'],
    ['Deputies reached HCR 2 Box 41A after the call; the boy was alone.', 'HCR 2 Box 41A'],
    ['Los niños viven en calle Hidalgo 212 con la abuela.', 'calle Hidalgo 212'],
    ['La familia vivía en el 118 de la Calle Robles, departamento 2, con el bebé.', '118 de la Calle Robles, departamento 2'],
    ['New address for the placement: 415 E Juniper #B, Enid 73701. Do not share it with the father.', '415 E Juniper #B, Enid 73701'],
  ])('%p', (text, expected) => expect(addresses(text).join(' | ')).toContain(expected));

  it('leaves an office address with a ZIP code alone', () => {
    expect(addresses('Mail the forms to the Records Unit, 406 E Monroe, Springfield 62701, by Friday.')).toEqual([]);
  });
});
