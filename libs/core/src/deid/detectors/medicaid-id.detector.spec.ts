import { found } from '../spec-helpers';
import { medicaidIdDetector } from './medicaid-id.detector';

const ids = (t: string): string[] => found(medicaidIdDetector, t);

describe('medicaid_id detector', () => {
  it.each<[string, string]>([
    ['Medicaid ID 712004519823 was used to pull claims.', '712004519823'],
    ['Medi-Cal CIN 91827364A was active.', '91827364A'],
    ["Use the mother's Medicaid card, CIN AB12345C, when scheduling.", 'AB12345C'],
    ["The infant's TennCare member ID (7719220418) shows no visit.", '7719220418'],
    ['Georgia Medicaid member ID 3331 0098 2271 appears on the papers.', '3331 0098 2271'],
    ['Records were matched by PMI 01928374.', '01928374'],
    ['Apple Health client 123456789WA had a missed referral.', '123456789WA'],
  ])('finds the number in %p', (text, expected) => {
    expect(ids(text)).toEqual([expected]);
  });

  it.each([
    'The 1915(c) Medicaid waiver now covers in-home nursing.',
    'Bill care coordination under HCPCS code T1017 with modifier HA.',
    'Medicaid-eligible children must have an EPSDT screen within 30 days.',
    'CHIP 2026 enrollment opens in November.',
  ])('does not flag %p', (text) => {
    expect(ids(text)).toEqual([]);
  });

  it.each<[string, string[]]>([
    ["Claims under the infant's Medi-Cal BIC 91234567A95001 show no visit.", ['91234567A95001']],
    ["Re-enter the children's ProviderOne client IDs (100012345WA, 100012346WA).", ['100012345WA', '100012346WA']],
  ])('finds numbers a few words after the programme, and lists of them, in %p', (text, expected) => {
    expect(ids(text)).toEqual(expected);
  });

  it('does not take a waiver section or a claims count for an ID', () => {
    expect(ids('Medicaid waiver 1915(c) and Medicaid paid 1234567 claims')).toEqual([]);
  });
});
