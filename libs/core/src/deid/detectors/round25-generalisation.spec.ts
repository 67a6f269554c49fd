/**
 * The twenty-fifth round: structural rules for what held-out 25 and 26 (evaluated, then trained on)
 * showed in their clean texts: published decisions cited with their reporter, initials in the
 * caption included; a state's own statute; brands of toys and medicines; an institution named like a
 * person; an organisation's main office; a university's school; an official's post office box; a
 * mountain's coordinates; a federal rulemaking's docket; and the American spellings the word list
 * lacked. Examples written for this spec, not taken from any labelled set. The guard rails at the end
 * passed before this round too and must keep passing.
 */
import { scanForIdentifyingData } from '../deid-scanner';
import { findingsWithTokenModel } from '../spec-helpers';
import { isEnglishWord } from '../lexicon/dictionary';
import { publishedCitations } from '../published-citations';

const findings = findingsWithTokenModel;

describe('round twenty-five: public look-alikes the guard now leaves', () => {
  it.each<string>([
    'Teach from In re Welfare of K.D.R., 204 Mont. 88 (1983): notice to the tribe comes before the hearing.',
    'A.B. v. C.D., 511 P.3d 1021 (Alaska 2022) is the leading case on relative placement preferences.',
    'Teach from In re Dependency of A.E.T., 9 Wn. App. 2d 502 (2019), on inquiry.',
    "Courtesy supervision: Arizona's ARS 8-201 defines neglect more narrowly.",
    'Radio Flyer and Little Tikes wagons in the donation room were checked for the hinge recall.',
    'Anaphylaxis: EpiPen Jr 0.15 mg for 15–30 kg; EpiPen 0.3 mg above 30 kg.',
    'The Sutter Tracy lactation clinic takes walk-ins on Mondays.',
    "Kids Central's main office closes at noon Friday.",
    'Adelphi School of Social Work interns run the teen parent group on Thursdays.',
    'Tribal notices also go to the Area Director, P.O. Box 368, Anadarko, OK, by certified mail.',
    'The search-and-rescue refresher meets at the Mount Mitchell (35.7650, -82.2651) summit lot.',
    'Comments on the proposed rule, 88 FR 55552, are under docket HHS-ACF-2023-0004.',
    'Download Neighbor_Inquiry_Log.xlsx from the shared drive.',
  ])('%s', (text) => {
    expect(findings(text)).toEqual([]);
  });

  it('reads the American spellings as words', () => {
    for (const w of ['color', 'center', 'behavior', 'inquiry', 'neighbor', 'okay']) expect(isEnglishWord(w)).toBe(true);
  });

  it("does not look in the other fields for a name found only inside a citation", () => {
    const notice = { title: 'Lessons from Stanley', body: 'Stanley v. Illinois, 405 U.S. 645 (1972): an unwed father is entitled to a hearing on fitness before his children are removed.' };
    expect(scanForIdentifyingData(notice, { textModel: { enabled: false } })).toEqual([]);
  });

  it('does not find a name from another field again inside a citation', () => {
    const notice = { title: 'Why Stanley matters', body: 'Stanley v. Illinois, 405 U.S. 645 (1972): an unwed father is entitled to a hearing on fitness before his children are removed.' };
    expect(scanForIdentifyingData(notice, { textModel: { enabled: false } }).map((f) => `${f.field}:${f.text}`)).toEqual(['title:Stanley']);
  });

  it('takes a citation only with its reporter, page and year', () => {
    expect(publishedCitations('See Stanley v. Illinois, 405 U.S. 645 (1972), and In re Dependency of Z.Q., 10 Wn. App. 2d 40 (2019).')).toHaveLength(2);
    expect(publishedCitations('Reyes v. Reyes was filed in 2024 for custody of Mateo.')).toEqual([]);
    expect(publishedCitations('In re the Welfare of J.M., case 24-JV-0012 (2024), is set for review.')).toEqual([]);
  });
});

describe('round twenty-five: guard rails (identifying texts the new rules must not clear)', () => {
  it.each<[string, string]>([
    ['In re the Welfare of J.M., case 24-JV-0012, is set for review next week.', 'initials:J.M.'],
    ['Georgia’s DOB is 4/5/2019 per the intake; she is in kinship care.', 'date_of_birth:4/5/2019'],
    ['Mail for the grandmother goes to P.O. Box 311, Ganado, AZ, not the chapter house.', 'street_address:P.O. Box 311, Ganado, AZ'],
    ["The family's cabin below Mount Hood (45.3712, -121.6934) had no working smoke alarm.", 'geo_coordinates:45.3712, -121.6934'],
    ['Case DCS-2024-0117 is open; the family moved after the final hearing.', 'case_number:Case DCS-2024-0117'],
  ])('%s', (text, finding) => {
    expect(findings(text)).toContain(finding);
  });
});
