import { isIdentifierValue, valueAfter, valuesAfterLabels, valuesUnderHeaders } from './labelled-values';
import { contextOf } from './spec-helpers';

const after = (text: string, label: RegExp): string[] => {
  const ctx = contextOf(text);
  return valuesAfterLabels(ctx, label).map((v) => text.slice(v.start, v.end));
};

describe('labelled values', () => {
  it.each<[string, string[]]>([
    ['Census No. 7719 belongs to the grandmother.', ['7719']],
    ['Census (Reg. No. 5539-28) lists her.', ['5539-28']],
    ['Census card no. CZ/2019/0456 was shown.', ['CZ/2019/0456']],
    ['Census: TCID 118 204 55', ['TCID 118 204 55']],
    ['Census IDs (100012345WA, 100012346WA) were entered.', ['100012345WA', '100012346WA']],
    ['Census ID 3331 0098 2271 appears.', ['3331 0098 2271']],
  ])('takes the ID-shaped value a few words after the label in %p', (text, expected) => {
    expect(after(text, /\bCensus\b/g)).toEqual(expected);
  });

  it.each([
    'Census grew 4% in 2024.',
    'Census figures: 12,011 citizens.',
    'Census office: call (928) 555-0100.',
    'Census rule 4471 applies.',
    'Census. The child, 4471 days old.',
    'Census taken on 04/12/2023.',
    'Census under section 1915(c).',
  ])('takes no value across a citation, phone, count, date or sentence end in %p', (text) => {
    expect(after(text, /\bCensus\b/g)).toEqual([]);
  });

  it('reads values under a table header or list lead-in', () => {
    const text = '| Child | Enrollment # |\n|---|---|\n| J.M. | 4471-0932 |';
    const ctx = contextOf(text);
    expect(valuesUnderHeaders(ctx, /enrollment/i).map((v) => text.slice(v.start, v.end))).toEqual(['4471-0932']);
  });

  it('judges a value by its shape and what follows it', () => {
    const ctx = contextOf('IDs 2024 and 4471 members and 12-3345 and 555-0134.');
    const at = (s: string): [number, number] => [ctx.text.indexOf(s), ctx.text.indexOf(s) + s.length];
    expect(isIdentifierValue(ctx, ...at('2024'))).toBe(false);
    expect(isIdentifierValue(ctx, ...at('4471'))).toBe(false);
    expect(isIdentifierValue(ctx, ...at('12-3345'))).toBe(true);
    expect(isIdentifierValue(ctx, ...at('555-0134'))).toBe(false);
    expect(isIdentifierValue(ctx, ...at('555-0134'), { allowPhoneShape: true })).toBe(true);
    expect(valueAfter(ctx, 0, { maxGap: 40 }).map(([s, e]) => ctx.text.slice(s, e))).toEqual(['12-3345']);
  });
});
