/**
 * The twenty-sixth round: structural rules for what held-out 27 (evaluated, then trained on) showed.
 * Identifiers: a child named with "a" by a rare condition and a town; a district's or school's only
 * child of a kind. Look-alikes: a child-care facility's licence number (`facility-licences.ts`),
 * and the facility named with it; the end of a lot-code range; a district's only official accounts;
 * a team named by a plural before its games. Examples written for this spec, not taken from any
 * labelled set. The guard rails at the end passed before this round too and must keep passing.
 */
import { facilityLicences } from '../facility-licences';
import { findingsWithTokenModel } from '../spec-helpers';

const findings = findingsWithTokenModel;

describe('round twenty-six: identifiers the guard now finds', () => {
  it.each<[string, string]>([
    ['The draft mentions a kindergartner with Rett syndrome in Waukon; take it out.', 'quasi_identifier:a kindergartner with Rett syndrome in Waukon'],
    ["Our school's only blind kindergartner rides bus 7 with an aide.", "quasi_identifier:Our school's only blind kindergartner rides"],
  ])('%s', (text, finding) => {
    expect(findings(text)).toContain(finding);
  });
});

describe('round twenty-six: public look-alikes the guard now leaves', () => {
  it.each<string>([
    'Happy Trails Academy (license #CC-2210458) closed its corrective action plan this week.',
    'Tiny Tots Preschool, license 2207765, renewed with no citations.',
    'Citation issued to Little Acorns Daycare, facility #5502218, for an expired fire drill log and infant ratios.',
    'Parents: our center license (#HS-77019) is posted by the front desk.',
    'Formula recall: lot codes 31-C-1100 through 31-C-1190 are affected.',
    "The county's only approved vendors are listed on the portal.",
    "The Eastside Mountain Lions' home games start at 6 p.m. this fall.",
  ])('%s', (text) => {
    expect(findings(text)).toEqual([]);
  });

  it("takes a facility's licence, never a home's", () => {
    expect(facilityLicences('Sunny Days Child Care Center, license #44102, and the Ortiz family home license #FH-2231.')).toHaveLength(1);
  });
});

describe('round twenty-six: guard rails (texts the new rules must leave as they were)', () => {
  it.each<[string, string]>([
    ['The Garcia foster home license #FH-22318 was suspended after the visit.', 'case_number:FH-22318'],
    ['Case files 24-JV-0412 through 24-JV-0460 were misfiled.', 'case_number:24-JV-0460'],
    ["Jayden Torres' home games are the only time his dad shows up, per the aunt.", 'personal_name:Jayden Torres'],
    ['Kiddie Korner Preschool, where Mia was hurt, license 1012447, passed.', 'personal_name:Mia'],
  ])('%s', (text, finding) => {
    expect(findings(text)).toContain(finding);
  });

  it('leaves guidance about a condition in a state', () => {
    expect(findings('A child with Down syndrome in Texas may qualify for the waiver.')).toEqual([]);
  });
});
