import { found } from '../spec-helpers';
import { caseNumberDetector } from './case-number.detector';

const ids = (t: string): string[] => found(caseNumberDetector, t);

describe('case_number detector', () => {
  it.each<[string, string]>([
    ['Urine toxicology for the infant (case #2024-00123) was positive.', 'case #2024-00123'],
    ['CPS case 19-4432 was screened out twice.', 'case 19-4432'],
    ['Person ID 8812345 had three prior reports.', 'Person ID 8812345'],
    ['Docket no. 24-DP-1187: the court ordered supervised visits.', 'Docket no. 24-DP-1187'],
    ['The referral was logged as TFACTS 1827734.', 'TFACTS 1827734'],
    ['River (eWiSACWIS 8823104) was in a kinship placement.', 'eWiSACWIS 8823104'],
    ["Children's Hospital MRN 00739214 must be removed.", 'MRN 00739214'],
    ['Police report RPT 24-118832 names the boyfriend.', 'RPT 24-118832'],
    ['**Record:** IMPACT person 7781-4410', 'IMPACT person 7781-4410'],
    ['Ask the clerk to seal Cause No. 2025-JV-00412.', 'Cause No. 2025-JV-00412'],
    ['One prior report (24-LA-0038815) alleged neglect.', 'report (24-LA-0038815'],
    ['She was listed as the safety resource under NMCYFD-25-771204.', 'NMCYFD-25-771204'],
    ['The shooter (student ID 302118447) brought the pistol.', 'student ID 302118447'],
  ])('finds the identifier in %p', (text, expected) => {
    expect(ids(text)).toEqual([expected]);
  });

  it.each([
    'Notice NPCS-2026-0014 is superseded by this notice.',
    'Policy 2025-07 replaces Administrative Rule 5101:2-36-01 for intake decisions.',
    'Case 3 in the review involved a grandmother caring for four grandchildren.',
    'Remove the sleep sack; see CPSC recall 24-157.',
    "Workers must record the child's person ID, never the name.",
    'Car seat model 8AF37 (lot 2210-44) is not affected.',
    'Policy Memo DCS-PM-2026-004 replaces the firearm storage guidance.',
    'The course (Course ID 0417-2211-0093) is open until May 31.',
    'Administrative Order 2025-AO-0009 sets the new timeline.',
    'HB-2026-0413 and SB 1187 passed the legislature.',
  ])('does not flag %p', (text) => {
    expect(ids(text)).toEqual([]);
  });
});
