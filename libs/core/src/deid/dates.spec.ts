import { findDates } from './dates';

const dates = (t: string): Array<[string, string, boolean]> => findDates(t).map((d) => [t.slice(d.start, d.end), d.precision, d.hasYear]);

describe('findDates', () => {
  it.each<[string, [string, string, boolean]]>([
    ['on March 3, 2026 at', ['March 3, 2026', 'day', true]],
    ['on Jan. 27, 2026.', ['Jan. 27, 2026', 'day', true]],
    ['the ninth of November, twenty twenty-two, at home', ['the ninth of November, twenty twenty-two', 'day', true]],
    ['DOB: twelve April twenty twenty-three and', ['twelve April twenty twenty-three', 'day', true]],
    ['March the 3rd, two thousand twenty', ['March the 3rd, two thousand twenty', 'day', true]],
    ['born on Christmas Eve 2023', ['Christmas Eve 2023', 'day', true]],
    ['on Tuesday the 11th of March.', ['Tuesday the 11th of March', 'day', false]],
    ['Saturday, June 14, and', ['Saturday, June 14', 'day', false]],
    ['(DOB 4-Oct-22)', ['4-Oct-22', 'day', true]],
    ['D.O.B. 2022.07.19,', ['2022.07.19', 'day', true]],
    ['on 9/22/25 the', ['9/22/25', 'day', true]],
    ['in January 2026 the', ['January 2026', 'month', true]],
  ])('reads %p', (text, expected) => {
    expect(dates(text)).toEqual([expected]);
  });

  it.each(['you may march on', 'version 1.5.2 of the app', 'a 13/45/2020 typo', 'May I ask?'])('finds no date in %p', (text) => {
    expect(dates(text)).toEqual([]);
  });

  it('reads Spanish dates, compact dates and month/year forms', () => {
    const texts = (t: string): string[] => findDates(t).map((d) => t.slice(d.start, d.end));
    expect(texts('nació el 9 de diciembre de 2025')).toEqual(['9 de diciembre de 2025']);
    expect(texts('birthdate 09JAN2024')).toEqual(['09JAN2024']);
    expect(texts('b. 11/2025')).toEqual(['11/2025']);
    expect(texts('born March of 2023')).toEqual(['March of 2023']);
    expect(findDates('b. 11/2025')[0].precision).toBe('month');
  });
});
