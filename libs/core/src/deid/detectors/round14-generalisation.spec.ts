/**
 * The fourteenth round: structural rules for what held-out 14 (evaluated, then trained on) showed:
 * dates and ages in other languages, handles and initials in lower case, and staff, offices and
 * public lines in announcements. Examples written for this spec, not taken from any labelled set.
 */
import { findDates } from '../dates';
import { findingsWithTokenModel } from '../spec-helpers';

const findings = findingsWithTokenModel;

describe('round fourteen: identifiers the guard now finds', () => {
  it.each<[string, string]>([
    // An exact date tied to a child: a weekday's short name, a title with no article, a noun for the incident.
    ['Burn to foster child, Tue 3 June 2025', 'exact_age_date:Tue 3 June 2025'],
    // A date with its minute and one child: a moment on a recording, even after "from".
    ['Check the bus camera from 5/2/2025 4:17 PM to see who walked the child home.', 'exact_age_date:5/2/2025'],
    // Dates and ages written in other languages.
    ['Bé gái 2 tuổi bị bỏng nước sôi ngày 9 tháng 10 năm 2024 ở nhà bà.', 'exact_age_date:9 tháng 10 năm 2024'],
    ['Cháu sinh ngày 21 tháng 3 năm 2022, ngủ chung giường với người lớn.', 'date_of_birth:21 tháng 3 năm 2022'],
    ['Wiilka 4 jirka ah wuxuu ka dhacay daaqadda 9-ka Maarso 2025 habeenkii.', 'exact_age_date:9-ka Maarso 2025'],
    ['Le garçon de 5 ans est tombé du balcon le 14 juillet 2025 vers midi.', 'exact_age_date:14 juillet 2025'],
    // Handles: a two-word cue, and a given name in lower case in a family's account.
    ["Her gamer tag Pixel_Warrior_09 was added by a stranger.", 'social_handle:Pixel_Warrior_09'],
    ['The mother posted the kids on @maria_lopez_family with the street sign.', 'social_handle:@maria_lopez_family'],
    // Initials in lower case with the person's age after them.
    ['re: k.t. - he\'s 12 and keeps leaving the group home at night.', 'initials:k.t.'],
    ['j.r., 6 yo, was left in the car.', 'initials:j.r.'],
  ])('%s', (text, finding) => {
    expect(findings(text)).toContain(finding);
  });

  it('reads the other languages\' dates as dates, with a day and a year only where a month name could be a word', () => {
    const spans = (text: string): string[] => findDates(text).map((d) => text.slice(d.start, d.end));
    expect(spans('ngày 05 tháng 6 năm 2023')).toEqual(['05 tháng 6 năm 2023']);
    expect(spans('17-da Oktoobar 2024')).toEqual(['17-da Oktoobar 2024']);
    expect(spans('ika-12 ng Abril 2025')).toEqual(['ika-12 ng Abril 2025']);
    expect(spans('Hulyo 4, 2025')).toEqual(['Hulyo 4, 2025']);
    // "mai" (French May) is also a word: without a year it is not a date.
    expect(spans('le 3 mai')).toEqual([]);
  });
});

describe('round fourteen: public look-alikes the guard now leaves', () => {
  it.each<string>([
    // Staff named with their title kept inside the name, or recognised, or teaching at an event.
    'Kudos and shout out to Deputy Rosa Tsinajinnie at Kayenta PD for running our car seat clinic!',
    'Media calls go to Public Information Officer Hiroshi Tanaka at the main line.',
    'Ombuds Katherine Lowe: complaints about the outage are due Friday.',
    'Registered dietitian Kimberly Adeyemi from the WIC program will explain formula safety at the lunch-and-learn.',
    'Reminder - Tom Ekwueme from the Fire Marshal\'s office is doing the extinguisher demo at our staff meeting.',
    // Abbreviations that name a thing, not a person.
    'All new hires need a T.B. skin test before the first home visit.',
    'N.A. and A.A. meetings in the resource guide are free for kinship caregivers.',
    'A.R.P.A. (American Rescue Plan Act) money must be spent by December.',
    // A public body's web page, a vanity toll-free line, where forms are sent, an office's address in Spanish.
    'Recall notices are posted on wa.gov/dcyf/recalls every Friday.',
    'Put the new hotline # 1-855-NM-4-KIDS on the break room board.',
    'Send completed foster parent applications to P.O. Box 2210, Helena, MT 59604.',
    'Las solicitudes se entregan en la oficina principal, 1400 W. Jefferson St., Phoenix.',
    // A guard rail for the new Vietnamese dates: a date of effect and an age range in policy text.
    'Kể từ ngày 1 tháng 1 năm 2026, trẻ dưới 8 tuổi phải ngồi ghế nâng.',
  ])('%s', (text) => {
    expect(findings(text)).toEqual([]);
  });

  it('keeps the cases these rules must not reach', () => {
    // A title before a name does not clear a person of the case.
    expect(findings('Officer Dana Redcloud removed the child from the home.').length).toBeGreaterThan(0);
    // A parent's box is still a household's.
    expect(findings('Send the letter to the mother at P.O. Box 22, Chinle, AZ.')).toContain('street_address:P.O. Box 22, Chinle, AZ');
    // Staff at an event, but a child in the sentence: still a finding.
    expect(findings('Jaylen from the group home told the child about the class.').length).toBeGreaterThan(0);
    // A city-like given name before two capitals that are no state's code.
    expect(findings('The girl, Helena, OK\'d the plan.')).toContain('personal_name:Helena');
    // A folder on a share is still a folder.
    expect(findings('Photos are in cases/2025/Whitaker_family.')).toContain('file_name:cases/2025/Whitaker_family.');
  });
});
