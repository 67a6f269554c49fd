/**
 * The twentieth round: held-out 20 (evaluated, then trained on) missed nothing; its false alarms were
 * public documents pasted into notices. Structural rules for them: release, award, audit and federal
 * report numbers; a policy's old numbering; a form's number inside its file name; officers whose
 * title says they speak for the agency; a signature block's mailbox; a mailbox of inflected words;
 * a city before a state's full name; a schedule's venues beside a session held online; a form's
 * "Location:" line above coordinates; a hotel's address beside a hyphenated "resource-parent"; a
 * citation's "Vol."; "pediatric" as a word. Examples written for this spec, not taken from any
 * labelled set; the ones the guard "still finds" and the marked guard rail held before too.
 */
import { findingsWithTokenModel } from '../spec-helpers';

const findings = findingsWithTokenModel;

describe('round twenty: public look-alikes the guard now leaves', () => {
  it.each<string>([
    // Numbers of public documents.
    'PRESS RELEASE - Billings Police Department\nRelease No. 25-077\nOfficers will check car seats at the fairgrounds on June 7.',
    'NOTICE OF AWARD\nAward No. 90CX7012-02-00\nRecipient: Department of Family Services',
    'IT NOTICE #2026-014\nThe new intake form is on the intranet.',
    'Legislative Auditor Report No. 25-11, page 9, found that 31% of relative homes had no crib check.',
    'NTSB report HWY23MH009 on a van crash recommends lap-shoulder belts for every seat.',
    'Policy 4100.2 replaces the old numbering, FS-21-204, which the intranet no longer accepts.',
    'Download Form_22-418_rev2025.docx from the training page before the session.',
    // Officers who speak for the agency, and a signature block.
    'School Resource Officer Tanya Redbird (Badge 2208) will demonstrate helmet fitting at headquarters on June 2.',
    "'Check the water heater setting,' said County Health Officer Dr. Lena Markowitz.",
    'Thank you,\nMarisol Quintero, LCSW\nKinship Program Manager, Family Support Unit\nOffice: 307-777-4100 | marisol.quintero@wyo.example.gov\nPierre, South Dakota',
    'Send lessons for the next issue to lessons.learned@dcyf.example.gov by Friday.',
    // Places.
    'Trainings: Jan 14 - Safe Sleep (virtual); Feb 11 - Firearms and Kids (Casper); Mar 11 - Water Safety (Riverton).',
    'SEARCH AND RESCUE DRILL\nLocation: Boysen State Park boat ramp\nCoordinates: 43.4192, -108.1776\nBring waders.',
    'The kinship-parent summit is at the Holiday Inn, 204 S. Center St., Casper, on May 8.',
    // A citation's abbreviation.
    'MMWR Vol. 74, No. 9 reported that most sleep-related infant deaths happened in adult beds.',
  ])('%s', (text) => {
    expect(findings(text)).toEqual([]);
  });

  // Guard rail (held before this round too, by the token model's veto): a clinical word in a protocol's title.
  it('EMS Protocol C-7 (Pediatric Submersion): start rescue breaths before compressions for children.', () => {
    expect(findings('EMS Protocol C-7 (Pediatric Submersion): start rescue breaths before compressions for children.')).toEqual([]);
  });
});

describe('round twenty: identifiers the guard still finds', () => {
  it.each<[string, string]>([
    // "release" as a verb is no news release.
    ["Ask the sheriff's office to release report RPT 26-004417 to the review team.", 'case_number:RPT 26-004417'],
    ['Please release case #2231-889 to the new worker.', 'case_number:case #2231-889'],
    // A state that is also a given name, after a child's name.
    ['Maria, Georgia. Both girls were left alone overnight.', 'personal_name:Maria'],
    // A venue in parentheses means nothing when the line is about a family.
    ['The kids stayed with their aunt (Casper) while mom was in jail.', 'personal_name:Casper'],
    // A private place on the "Location:" line.
    ["Location: the family's trailer behind the boat ramp\nCoordinates: 43.4192, -108.1776", 'geo_coordinates:43.4192, -108.1776'],
  ])('%s', (text, finding) => {
    expect(findings(text).map((f) => f.replace(/:\s+/, ':').trim())).toContain(finding);
  });
});
