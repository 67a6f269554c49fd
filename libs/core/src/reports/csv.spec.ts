import { parse } from 'csv-parse/sync';
import { neutralise, toCsv } from './csv';

describe('CSV export', () => {
  const rows = [
    { name: 'Plain', note: 'a, "quoted", multi\nline', n: -3 },
    { name: '=HYPERLINK("http://evil")', note: '+1', n: 0 },
    { name: '@SUM(A1)', note: '-cmd', n: 7 },
    { name: '\tTabbed', note: null, n: 1.5 },
  ];
  const csv = toCsv(rows, [
    { header: 'name', value: (r) => r.name },
    { header: 'note', value: (r) => r.note },
    { header: 'n', value: (r) => r.n },
  ]);

  it('round-trips through a CSV parser with correct quoting', () => {
    const parsed = parse(csv, { columns: true });
    expect(parsed).toEqual([
      { name: 'Plain', note: 'a, "quoted", multi\nline', n: '-3' },
      { name: `'=HYPERLINK("http://evil")`, note: `'+1`, n: '0' },
      { name: `'@SUM(A1)`, note: `'-cmd`, n: '7' },
      { name: `'\tTabbed`, note: '', n: '1.5' },
    ]);
  });

  it('escapes every formula start and leaves numbers alone', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(neutralise(`${start}x`)).toBe(`'${start}x`);
    expect(neutralise(-5)).toBe('-5');
    expect(neutralise('safe')).toBe('safe');
    expect(neutralise(undefined)).toBe('');
  });
});
