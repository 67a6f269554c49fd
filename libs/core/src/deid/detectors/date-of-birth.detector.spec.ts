import { found } from '../spec-helpers';
import { dateOfBirthDetector } from './date-of-birth.detector';

const dobs = (t: string): string[] => found(dateOfBirthDetector, t);

describe('date_of_birth detector', () => {
  it.each<[string, string]>([
    ['Education was documented for the family, DOB 02/11/2025, at the visit.', '02/11/2025'],
    ['The infant, born on September 28, 2025, was sleeping in a swing.', 'September 28, 2025'],
    ["The toddler's birth date is listed as 2023-08-15 on the agreement.", '2023-08-15'],
    ['D.O.B. 9/2/23 - admitted after a fall.', '9/2/23'],
    ['The child was born on the ninth of November, twenty twenty-two, at home.', 'the ninth of November, twenty twenty-two'],
    ['Intake lists DOB: twelve April twenty twenty-three for the twin.', 'twelve April twenty twenty-three'],
    ['Precious (DOB: March the 3rd, two thousand twenty) was the youngest.', 'March the 3rd, two thousand twenty'],
    ['Noelle, born on Christmas Eve 2023, slept in a car seat.', 'Christmas Eve 2023'],
    ['Case summary — D.O.B. 2022.07.19, KIDS #2024-0093317', '2022.07.19'],
    ['DOB 20210817 | report CPS-2025-000781', '20210817'],
    ['Apple Health client (DOB 4-Oct-22) had a missed referral.', '4-Oct-22'],
    ['Sky was born the twenty-first of August in 2019.', 'the twenty-first of August in 2019'],
    ['**Subject:** Kenzie, dob 2/29/2020', '2/29/2020'],
  ])('finds the birth date in %p', (text, expected) => {
    expect(dobs(text)).toEqual([expected]);
  });

  it.each([
    'Infants born on or after January 1, 2026 are eligible for the home visiting program.',
    'Record the date of birth in MM/DD/YYYY format.',
    'Babies born before 37 weeks should never sleep on inclined products.',
    'Check the date of manufacture stamped on the seat (for example DOM 2019-06).',
    'Eligible children are those born after 12/31/2024 whose parents enrolled.',
  ])('does not flag %p', (text) => {
    expect(dobs(text)).toEqual([]);
  });

  it.each<[string, string]>([
    ['3. Youngest: birthdate 09JAN2024', '09JAN2024'],
    ['la niña nació el 9 de diciembre de 2025 and slept prone', '9 de diciembre de 2025'],
    ['Infant (b. 11/2025) dies in an inclined sleeper', '11/2025'],
    ['the child was born on the evening of the twenty-first of September, two thousand twenty-four, at home', 'the twenty-first of September, two thousand twenty-four'],
    ['DoB: 12-APR-2023', '12-APR-2023'],
    ['DOB 4.12.23', '4.12.23'],
    ['dob 04122023 per the face sheet', '04122023'],
    ['born march 3 2023', 'march 3 2023'],
    ['Birth: 3/4/2023', '3/4/2023'],
    ['04/12/2023 (DOB), lived with her aunt', '04/12/2023'],
    ['Kiona (3/8/2020) lives with her grandmother.', '3/8/2020'],
    ['The infant was born March of 2023.', 'March of 2023'],
    ['She turned two on March 3, 2026, a week before the fall.', 'March 3, 2026'],
    ['born at 2:14 a.m. on March 3, 2023 at home', 'March 3, 2023'],
  ])('finds the birth date, in any writing or position, in %p', (text, expected) => {
    expect(dobs(text)).toEqual([expected]);
  });

  it('takes a second date beside a birth date as one too, but not a date in another column', () => {
    expect(dobs('Records list the birth date as 07/30/2023, but the state system shows 07/03/2023.')).toEqual(['07/30/2023', '07/03/2023']);
    expect(dobs('| Child | DOB | Placed |\n|---|---|---|\n| J.M. | 04/12/2023 | 05/01/2025 |')).toEqual(['04/12/2023']);
  });

  it.each(['Infants born from January 1, 2026 must be screened.', 'All children born by March 1, 2026 must have a crib.', 'Executive Order 2026-03 (January 28, 2026) applies.'])(
    'does not flag cohort rules or dates of documents in %p',
    (text) => {
      expect(dobs(text)).toEqual([]);
    },
  );
});
