import { found } from '../spec-helpers';
import { fileNameDetector, identifyingPart } from './file-name.detector';

const files = (t: string): string[] => found(fileNameDetector, t);

describe('file_name detector', () => {
  it.each<[string, string[]]>([
    ['Attachments:\n- Harmon_J_autopsy.pdf\n- scene_diagram_v2.png\n- CPS_referral_Harmon.docx', ['Harmon_J_autopsy.pdf', 'CPS_referral_Harmon.docx']],
    ['The draft linked to C:\\cases\\Lopez family\\intake.docx on the share.', ['C:\\cases\\Lopez family\\intake.docx']],
    ['Photos went to /shared/intake/2025/R-25-09921_photos.zip today.', ['/shared/intake/2025/R-25-09921_photos.zip']],
    ['The office received bodycam_RPT25-044102.mp4 by mistake.', ['bodycam_RPT25-044102.mp4']],
    ['Attachment: 25-0417 Morales autopsy prelim.pdf — see below.', ['25-0417 Morales autopsy prelim.pdf']],
    ['The path /Users/kmorales/Desktop/notes.txt shows in the title bar.', ['/Users/kmorales/Desktop/notes.txt']],
  ])('finds the file in %p', (text, expected) => {
    expect(files(text)).toEqual(expected);
  });

  it.each([
    'The toolkit (safe-sleep-toolkit-2026.pdf) and the poster (lookbeforeyoulock_flyer_ES.pdf) are on the portal.',
    'See scene_diagram_v2.png and Ohio_SUID_Report_2025.pdf.',
    'Download Safe_Sleep_Checklist.docx from the training site.',
  ])('does not flag %p', (text) => {
    expect(files(text)).toEqual([]);
  });

  it('explains what in the name identifies someone', () => {
    expect(identifyingPart('Tsosie_K_CANS_2025-03.xlsx')).toContain('Tsosie');
    expect(identifyingPart('safe_sleep_2025-03.xlsx')).toBeUndefined();
  });

  it.each<[string, string]>([
    ['saved a copy as ME AND BABY ZOE.mov. Both were deleted', 'ME AND BABY ZOE.mov'],
    ['Photo jtaylor_bathtub_0722.heic shared in a staff group chat', 'jtaylor_bathtub_0722.heic'],
    ['Open \\\\dcs-fs02\\intake\\2025\\0415_Whitaker and delete the duplicates.', '\\\\dcs-fs02\\intake\\2025\\0415_Whitaker'],
    ['Delete FamilyPhotos/2025/Bao_1st_bday.jpg from the drive.', 'FamilyPhotos/2025/Bao_1st_bday.jpg'],
    ['She uploaded Jayden Smith autopsy.pdf to the portal.', 'Jayden Smith autopsy.pdf'],
    ['The file JM_autopsy.pdf was shared.', 'JM_autopsy.pdf'],
    ['See https://share.example.org/cases/Lopez_J.pdf for details.', 'Lopez_J.pdf'],
    ['Attach JC-24-0117_petition.pdf', 'JC-24-0117_petition.pdf'],
  ])('finds the name or number in %p', (text, expected) => {
    expect(files(text).some((s) => s.includes(expected))).toBe(true);
  });

  it.each([
    'Download safesleep_checklist_2025.pdf, CPS_policy_update.docx and scene_diagram_v2.png.',
    'Open IMG_4471.JPG and 2025-03-14_summary.pdf.',
    'Attached: NPCS-2026-0021_Summary.docx and SafeSleep_ConversationGuide_2026.pdf',
    'Templates are in S:\\Policy\\Safe Sleep\\ and the form is C:\\forms\\checklist.docx',
  ])('does not flag ordinary file names or the notice reference in %p', (text) => {
    expect(files(text)).toEqual([]);
  });

  it.each<[string, string]>([
    ['See Hernandez_intake_final in the share.', 'Hernandez_intake_final'],
    ['Shared drive > Cases > Ortiz, Maria', 'Shared drive > Cases > Ortiz, Maria'],
    ['It is under /Users/kmorales/Desktop/cases now.', '/Users/kmorales/Desktop/cases'],
  ])('finds names in extensionless file names, breadcrumbs and folders in %p', (text, expected) => {
    expect(files(text)).toEqual([expected]);
  });

  it('does not flag snake_case words', () => {
    expect(files('Use names like safe_sleep_checklist_final in the system.')).toEqual([]);
  });
});
