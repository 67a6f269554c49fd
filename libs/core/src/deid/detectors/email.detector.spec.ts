import { found } from '../spec-helpers';
import { emailDetector, isRoleMailbox } from './email.detector';

const email = (t: string, knownPublic?: string[]): string[] => found(emailDetector, t, { knownPublic });

describe('email detector', () => {
  it.each<[string, string]>([
    ['The advocate reached the mother at maria.lopez82@gmail.com.', 'maria.lopez82@gmail.com'],
    ['An email from the father, tony.reed@example.com, said so.', 'tony.reed@example.com'],
    ['Messages came from k.vang.dad@proton.me.', 'k.vang.dad@proton.me'],
    ['Nurse Keller kept notes from tkeller@countycps.example.org.', 'tkeller@countycps.example.org'],
  ])('finds the personal mailbox in %p', (text, expected) => {
    expect(email(text)).toEqual([expected]);
  });

  it.each([
    'Questions: safety@dcf.state.example or childsafety@health.example.gov.',
    'Send acknowledgments to notices@sne.example.org; do not reply to noreply@sne.example.org.',
    'Route questions to tribal.liaison@dhhs.example.gov and icwa.unit@dcfs.example.gov.',
    'Intake supervisors: email afterhours@okdhs.example.gov.',
  ])('leaves the role mailbox alone in %p', (text) => {
    expect(email(text)).toEqual([]);
  });

  it("never flags the issuing agency's own published mailboxes", () => {
    const text = "The family's caseworker wrote from dana.whitfield@agency.example.gov.";
    expect(email(text)).toEqual(['dana.whitfield@agency.example.gov']);
    expect(email(text, ['Dana.Whitfield@agency.example.gov'])).toEqual([]);
  });

  it.each([
    'Questions go to dana.whitfield@agency.example.gov.',
    'Contact Jordan Blake at jordan.blake@dhs.example.gov with questions about this notice.',
    'Marisol Vega, Safe Sleep Program Manager, m.vega@health.example.gov',
    'Email incident@cfs.example.org with the incident type only.',
    '- Data requests: cfr-data@dcs.example.org',
  ])("leaves a staff member's work mailbox given as the notice's contact, or an office's mailbox, alone in %p", (text) => {
    expect(email(text)).toEqual([]);
  });

  it.each<[string, string]>([
    ['Investigator Sam Ortega (sam.ortega@dfps.example.gov) handled the original report.', 'sam.ortega@dfps.example.gov'],
    ["Whitehorse, who carried the family's case, can be reached at j.whitehorse@cfs.example.gov.", 'j.whitehorse@cfs.example.gov'],
  ])('flags the work mailbox of a professional tied to the case in %p', (text, expected) => {
    expect(email(text)).toEqual([expected]);
  });

  it('recognises role mailboxes by their words, joined or separated', () => {
    expect(isRoleMailbox('childsafety')).toBe(true);
    expect(isRoleMailbox('icwa.unit')).toBe(true);
    expect(isRoleMailbox('jsmith')).toBe(false);
  });
});
