/**
 * The seventeenth round: structural rules for what held-out 17 (evaluated, then trained on) showed:
 * a caregiver's box, a named channel, an SSN with one digit masked, a military time, double given
 * names and names in capitals naming a case; and launch-and-approval dates, opening hours, safety
 * alerts, safe-haven programmes and staff at a session. Examples written for this spec, not taken
 * from any labelled set.
 */
import { findingsWithTokenModel } from '../spec-helpers';

const findings = findingsWithTokenModel;

describe('round seventeen: identifiers the guard now finds', () => {
  it.each<[string, string]>([
    // Mail sent to a person of the case: their box is a household's, though "mail ... to" reads like an office's.
    ['Mail for the kinship caregiver goes to P.O. Box 87, Kyle, SD 57752, and the letter printed it.', 'street_address:P.O. Box 87, Kyle, SD'],
    // A channel named after the cue.
    ["The dad's YouTube channel 'TheOkaforFamilyAdventures' shows the kids' bedrooms.", 'social_handle:TheOkaforFamilyAdventures'],
    // An SSN with one digit of its middle masked.
    ["The form lists the mother's SSN as 452-7X-1183.", 'ssn:452-7X-1183'],
    // A military time before a date, and "the juvenile" as the one child.
    ['Incident at approx. 2145 hrs 3/9/2024 when the juvenile was struck by a reversing truck.', 'exact_age_date:3/9/2024'],
    // Two given names joined by a hyphen; a given name in capitals naming a case.
    ['Practice note from the huddle: Mary-Louise was moved three times in a month because nobody checked the calendar.', 'personal_name:Mary-Louise'],
    ['Lessons from the JAYLEN incident for respite providers', 'personal_name:JAYLEN'],
  ])('%s', (text, finding) => {
    expect(findings(text)).toContain(finding);
  });
});

describe('round seventeen: public look-alikes the guard now leaves', () => {
  it.each<string>([
    // An approval's date, and opening hours.
    'The Family First Act lets us claim IV-E for prevention services for children at imminent risk of entering care. Our three-year prevention plan was approved on 07/01/2025.',
    "St. Luke's Medical Center in Boise has opened a child-advocacy clinic, open 8 a.m. to 6 p.m. on weekdays.",
    // A safety alert's number.
    'Patient-safety alert PSA-2025-019 from the hospital association: drills must include the maternity unit.',
    // A safe-haven programme named after a person.
    'New Baby Moses safe-haven signage must be posted at every fire station.',
    // Staff leading a session, though a hyphenated word holds "youth".
    'Lt. Dana Whitehorse of the Navajo Nation Police will co-lead the missing-youth session at the summit.',
    // Where forms are sent, though a foster parent is named as who sends them.
    'Send completed foster parent applications to P.O. Box 2210, Helena, MT 59604.',
  ])('%s', (text) => {
    expect(findings(text)).toEqual([]);
  });

  it('keeps the cases these rules must not reach', () => {
    // An alert linked to a case number: the case number is still a case's.
    expect(findings('Link this alert to FACTS 4410928 before it is broadcast.')).toContain('case_number:FACTS 4410928');
    // Hyphenated places are no double given names.
    expect(findings('The Winston-Salem office and the Wilkes-Barre clinic are open on Saturdays.')).toEqual([]);
    // An agency's channel stays public.
    expect(findings("The agency's YouTube channel 'SafeSleepOhio' has the video.")).toEqual([]);
  });
});
