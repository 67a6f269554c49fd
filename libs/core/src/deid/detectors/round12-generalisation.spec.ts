/**
 * The twelfth round: structural rules for what held-out 11 and 12 (evaluated, then trained on)
 * showed. Examples written for this spec, not taken from any labelled set. The 'finds' cases need
 * the new rules; the 'leaves' cases are public look-alikes the new explanations must pass.
 */
import { findingsWithTokenModel } from '../spec-helpers';

const findings = findingsWithTokenModel;

describe('round twelve: identifiers the guard now finds', () => {
  it.each<[string, string]>([
    // One initial for a family or a newborn, whatever the token model reads.
    ['the K. family lets the toddlers ride in the truck bed to the store.', 'initials:K'],
    ['The W household had no working smoke alarm after the fire.', 'initials:W'],
    ['baby boy J went home with the father despite the hold.', 'initials:J'],
    ['Baby Girl S. was born at 31 weeks with a positive screen.', 'initials:S.'],
  ])('finds %j', (text, expected) => {
    expect(findings(text)).toContain(expected);
  });

  it('does not read an ordinary phrase as a family initial', () => {
    expect(findings('The A team will meet on Friday.')).toEqual([]);
    expect(findings('The B family of products is not part of the recall.')).toEqual([]);
  });
});

describe('round twelve: public look-alikes the guard now leaves', () => {
  it.each<string>([
    // Abbreviations that are not initials, also when the token model reads them as initials.
    'Use SUID in notices unless the M.E. has ruled on the cause.',
    'Reviewed by the R.N. consultants. N.B.: dosing applies to children 2 and older.',
    // An invoice number.
    'Invoice INV-2026-00412 covers the 200 lockboxes at the regional warehouse.',
    // Coordinates of a landmark.
    'The Gateway Arch grounds (38.6247° N, 90.1848° W) will host the water-safety fair.',
    'The Capitol dome (30.2747, -97.7404) will be lit blue on April 1.',
    // An office's address, with its floor or suite, also against the token model.
    'Send completed forms to the Licensing Unit, 2 Peachtree St NW, 18th Floor, Atlanta.',
    'Mail appeals to the Records Section, 400 Main St, Suite 210, Reno.',
  ])('leaves %j', (text) => {
    expect(findings(text)).toEqual([]);
  });

  it('still finds a household at the same kinds of places', () => {
    expect(findings('The family lives at 2 Peachtree St NW, 18th Floor, Atlanta.')).toContain('street_address:2 Peachtree St');
    expect(findings('The trailer behind the Capitol (30.2747, -97.7404) is where the baby was found.')).toContain('geo_coordinates:30.2747, -97.7404');
    expect(findings('Case INV-2026-00412 is open for the children.').some((f) => f.startsWith('case_number:'))).toBe(true);
  });
});
