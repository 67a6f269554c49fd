import { found } from '../spec-helpers';
import { exactAgeDateDetector } from './exact-age-date.detector';

const dates = (t: string): string[] => found(exactAgeDateDetector, t);

describe('exact_age_date detector', () => {
  it.each<[string, string]>([
    ['A 3-month-old who died on March 3, 2026 had been placed in an inclined rocker.', 'March 3, 2026'],
    ['A 22-month-old drowned in a bathtub on 6/14/2025.', '6/14/2025'],
    ['A 5-week-old was admitted on Jan. 27, 2026 with subdural hematomas.', 'Jan. 27, 2026'],
    ['Victim: a girl, age 8. Incident date: 11/30/2025.', '11/30/2025'],
    ['Hunter, age 4, got into an unlocked truck on Saturday, June 14, and was found later.', 'Saturday, June 14'],
    ['Jaxon, 19 months, got into the pills on Tuesday the 11th of March.', 'Tuesday the 11th of March'],
    ['Trần Bảo Ngọc, 18 months, swallowed a coin battery on 14 Feb 2026.', '14 Feb 2026'],
    ['- 2025-11-14: Ethan, 2, found unresponsive after ingesting methadone', '2025-11-14'],
  ])('finds the exact date in %p', (text, expected) => {
    expect(dates(text)).toEqual([expected]);
  });

  it.each([
    'Infants under 6 months accounted for 71% of the sleep-related deaths reviewed in 2025.',
    "Effective March 3, 2026, caseworkers must observe the infant's sleep space.",
    'Transport staff must complete Child Passenger Safety training by December 31, 2026.',
    'Between 12/1/2025 and 2/28/2026, 7 infant deaths involved adult beds.',
    'A 4-month-old should sleep on her back, alone, in a crib.',
    'The recall of the swings was announced on October 17, 2023.',
    'On June 3, 2026, a webinar for foster parents will cover drowning prevention for children ages 1 to 4.',
  ])('does not flag %p', (text) => {
    expect(dates(text)).toEqual([]);
  });

  it.each<[string, string]>([
    ['At 13 months, on 02/18/2025, she was found wedged between the mattress and the wall.', '02/18/2025'],
    ['The worker visited on 1/6/2026 and noted that the infant, R.P., 4 months, was in a car seat.', '1/6/2026'],
    ['On June 2, 2025, the twenty-two-month-old drowned.', 'June 2, 2025'],
    ['The infant was found unresponsive on March 3, 2026 in a swing.', 'March 3, 2026'],
  ])('finds the incident date with an age in any writing, or one child in an incident, in %p', (text, expected) => {
    expect(dates(text)).toEqual([expected]);
  });

  it('does not flag a date of effect about every infant', () => {
    expect(dates('Effective March 3, 2026, every infant found in an unsafe sleep space must be reported.')).toEqual([]);
  });
});
