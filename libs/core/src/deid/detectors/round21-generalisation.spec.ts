/**
 * The twenty-first round: structural rules for what held-out 21 (evaluated, then trained on) showed:
 * a given name's incident in a short title ("Hunter's trampoline fall"); and big-city look-alikes: a
 * precinct and a defenders' office are organisations, a hospital's social work team, a neighbourhood
 * named "Little …", a safe-haven programme's signage, a retailer's item number, an event's hours, a
 * school's family centre, and a county letter's acronym in a file name. Examples written for this
 * spec, not taken from any labelled set.
 */
import { findingsWithTokenModel } from '../spec-helpers';

const findings = findingsWithTokenModel;

describe('round twenty-one: identifiers the guard now finds', () => {
  it.each<[string, string]>([
    ["Hope's trampoline fall - no netting", 'personal_name:Hope'],
    ["Hunter's bunk-bed fall: no guard rail", 'personal_name:Hunter'],
  ])('%s', (text, finding) => {
    expect(findings(text)).toContain(finding);
  });
});

describe('round twenty-one: public look-alikes the guard now leaves', () => {
  it.each<string>([
    "The 52nd Precinct's youth officer will join the tenants' association meeting on March 4.",
    "The Brooklyn Defenders' family practice asked us to keep parents' stories out of notices.",
    "Bellevue's social work team says most infant falls from shelters involve changing tables.",
    'Outreach workers in Little Saigon report families using imported sleep wedges; bring the Vietnamese handout.',
    'Check that every firehouse has the Baby Moses signage posted in English and Spanish.',
    'Target DPCI 012-34-5678 is the same recalled bath seat as Walmart item 5542189.',
    'The drowning-prevention event is at Orchard Beach in the Bronx (40.8677, -73.7930), 10 a.m. to 2 p.m. on July 12.',
    'The Ida B. Wells Elementary family center will hand out free smoke alarms next month.',
    'All County Letter 25-12 sets the rule. See attachment ACL_25-12_CarSeats.pdf for the approved trainings.',
  ])('%s', (text) => {
    expect(findings(text)).toEqual([]);
  });

  // Guard rails: these held before this round too.
  it('still finds a child after "Little" when no place preposition leads it', () => {
    expect(findings('Little Kimimela, 3, reached the woodstove and burned her palm.')).toContain('personal_name:Kimimela');
  });

  it("still finds a file name holding a person's initials that the text spells out as a name", () => {
    expect(findings('Jayden Morales: the scan JM_autopsy.pdf went to the whole list.').some((f) => f.startsWith('file_name:'))).toBe(true);
  });
});
