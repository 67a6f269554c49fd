/**
 * The nineteenth round: structural rules for what held-out 19 (evaluated, then trained on) showed:
 * an SSN in a sentence about masking, a timestamp's date, an incident moment with a fracture or a
 * fire, degrees and minutes with no degree sign or with decimal minutes beside a child's mishap,
 * an honorific and a surname in lower case, a child who plays; and a file name that does not run
 * back over the verb before it. Public look-alikes: Alaska's statutes, organisations named like
 * people (a conference, "… of America"), places listed after "including". Examples written for
 * this spec, not taken from any labelled set; those marked as guard rails held before too.
 */
import { findingsWithTokenModel, found } from '../spec-helpers';
import { personalNameDetector } from './personal-name.detector';

const findings = findingsWithTokenModel;

describe('round nineteen: identifiers the guard now finds', () => {
  it.each<[string, string]>([
    // "not a real mask" says nothing about whether the number is real.
    ['The notice masked only the area number (***-61-2087), which is not a real mask.', 'ssn:***-61-2087'],
    // A timestamp's date, with one child and a drowning.
    ['Drowning call logged 2025-07-02T14:05 at the irrigation ditch; the 3-year-old was out of sight for minutes.', 'exact_age_date:2025-07-02'],
    // A moment with a fracture; a moment of a fire with the door "propped open" (no opening hours).
    ['Baby boy K. was brought to the Kotzebue ER on 03/14/2024 around 10 p.m. with a skull fracture.', 'exact_age_date:03/14/2024'],
    ['Trailer fire on the night of 9 Feb 2025, around 2215, after the kids were left with the oven door propped open.', 'exact_age_date:9 Feb 2025'],
    // Degrees and minutes without a degree sign; decimal minutes beside a child's mishap.
    ["The boat capsized at 57 47'N 152 24'W with the two girls aboard.", "geo_coordinates:57 47'N 152 24'W"],
    ["The kids' four-wheeler overturned at 64°50.2' N, 147°43.1' W, and the dispatch center sent the wrong crew.", "geo_coordinates:64°50.2' N, 147°43.1' W"],
    // An honorific and a surname in lower case.
    ["mrs. tsinajinnie says the boys sleep in the truck when it's cold.", 'personal_name:mrs. tsinajinnie'],
    // A child who plays.
    ['Kaysen plays Fortnite every night and the adult found him there.', 'personal_name:Kaysen'],
  ])('%s', (text, finding) => {
    expect(findings(text)).toContain(finding);
  });

  it('keeps a file name apart from the person who sent it', () => {
    const found = findingsWithTokenModel('Uncle Thaddeus emailed OKC_2024-2210_contacts.xlsx to the whole team.');
    expect(found).toContain('file_name:OKC_2024-2210_contacts.xlsx');
    expect(found).toContain('personal_name:Thaddeus');
  });
});

describe('round nineteen: public look-alikes the guard now leaves', () => {
  it.each<string>([
    // Alaska's statutes.
    'AS 47.14.100 governs the placement preferences; the training covers it.',
  ])('%s', (text) => {
    expect(findings(text)).toEqual([]);
  });

  it.each<string>([
    // Organisations named like people ("… of America"), and places listed after "including" a plural place noun.
    'The local Jack and Jill of America chapter is donating 150 pack-and-plays; pickup is at the county office.',
    'Mobile clinic stops are back in the western districts, including Ali Chukson and Gu Oidak.',
    'The van now stops at the eastern villages, including Kaka and Pia Oik.',
  ])('the name rules leave: %s', (text) => {
    expect(found(personalNameDetector, text)).toEqual([]);
  });

  // Guard rails: these held before this round too.
  it.each<string>([
    'The Koyukuk Chiefs Conference wellness gathering in Huslia has a session on kinship care.',
    'The Dena\'ina Council wellness gathering in Kenai has a session on kinship care.',
  ])('%s', (text) => {
    expect(findings(text)).toEqual([]);
  });

  it("still reads 'as' in lower case as a word: a number given 'as' is still a phone", () => {
    expect(findings('Her cell was listed as 555.01.234 on the intake.')).toContain('phone:555.01.234');
  });

  it('still finds children named in a list after "including" (no plural place noun before it)', () => {
    expect(findings('Her three kids, including Jayden and Mia, were left alone.')).toEqual(['personal_name:Jayden', 'personal_name:Mia']);
  });
});
