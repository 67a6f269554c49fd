/**
 * The twenty-fourth round: structural rules for what held-out 24 (evaluated, then trained on) showed:
 * a family called by its surname and a group word ("the Skidmore bunch"); and small-member look-
 * alikes: "Assoc." and "Assn" end an organisation's name, a shared mailbox in camel case, a brand's
 * samples, an old template's file name, a church named like a person, a state plan amendment and a
 * tribal-state agreement, a school district, a regional safety officer. Examples written for this
 * spec, not taken from any labelled set.
 */
import { findingsWithTokenModel } from '../spec-helpers';

const findings = findingsWithTokenModel;

describe('round twenty-four: identifiers the guard now finds', () => {
  it('finds a family called by its surname and a group word', () => {
    expect(findings('Heads up on Turkey Creek Road: the Wimberly bunch has a loose dog by the porch where the little ones play.')).toContain('personal_name:Wimberly');
  });
});

describe('round twenty-four: public look-alikes the guard now leaves', () => {
  it.each<string>([
    'Send near-miss reports to the shared box, DCFS.LessonsLearned@mt.gov, not to staff.',
    'The Mary Kay lotion samples in the donation bins are fine; pull the nail polish remover.',
    'Badlands Foster Parent Assoc. potluck is Sat the 9th at the library, bring a dish.',
    'Foster Parent Assn of the Fox River meets second Tuesdays at the Oshkosh library, room A.',
    'The old one, SafetyPlan_v3_OLD.doc, is missing the firearms section.',
    "Grace Community Church's diaper pantry is open Thursdays 4 to 6. Grace's youth group collects cribs.",
    'State Plan Amendment MT-25-0011 extends postpartum Medicaid to 12 months.',
    'Our tribal-state agreement No. 2021-TSA-07 covers maintenance payments on and off the reservation.',
    'Big Horn County School District will send the dog-bite flyer home with every first grader.',
    'Regional safety officer Dolores Begay can be reached through the regional main line.',
  ])('%s', (text) => {
    expect(findings(text)).toEqual([]);
  });
});
