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

  it.each<[string, string]>([
    ['Expediente número 2024-118 was opened.', '2024-118'],
    ['CPS case 4471 was closed.', '4471'],
    ['Waya (#3304-17-0088) is eligible for ICWA protections.', '3304-17-0088'],
    ['The file No. 44718 was sealed.', '44718'],
    ['Her number 3304-17-0088 appears twice.', '3304-17-0088'],
  ])('finds an identifier with a Spanish label, an agency acronym or no label at all in %p', (text, expected) => {
    expect(ids(text).some((s) => s.includes(expected))).toBe(true);
  });

  it.each([
    'DoB: 12-APR-2023',
    'Docket No. 2025-CV-0113 (State v. Acme Cribs) concerned a recalled product.',
    'Report 2025-03 from the Office of Inspector General found gaps.',
    'See question #12 and Table #2; call ext. #4417.',
    'Model numbers 30-1789-4210 through 30-1789-4299 are recalled.',
    'OAC 340:75-1-12 and 25 U.S.C. 1903-1963 apply.',
  ])('does not flag dates, reported cases, numbered things or ranges in %p', (text) => {
    expect(ids(text)).toEqual([]);
  });
});
