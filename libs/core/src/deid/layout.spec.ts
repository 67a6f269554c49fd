import { Layout } from './layout';

describe('Layout', () => {
  it('places a table cell under its column header and beside its row label', () => {
    const text = '| Who | Number |\n|---|---|\n| Mother | 555-555-0111 |\n| Babysitter (neighbor) | (555)5550124 |';
    const layout = new Layout(text);
    expect(layout.placementOf(text.indexOf('(555)5550124'))).toEqual({ header: 'Number', rowLabel: 'Babysitter (neighbor)' });
    expect(layout.placementOf(text.indexOf('555-555-0111'))).toEqual({ header: 'Number', rowLabel: 'Mother' });
  });

  it('places a list line under its lead-in line, across blank lines, with the text before the value as its label', () => {
    const text = 'Enrollment numbers as recorded:\n\n    Mother ........ 0617/44\n    Father ........ TCID 118 204 55';
    const placed = new Layout(text).placementOf(text.indexOf('TCID'));
    expect(placed?.header).toBe('Enrollment numbers as recorded:');
    expect(placed?.rowLabel.trim()).toBe('Father ........');
  });

  it('places nothing in plain prose', () => {
    const text = 'The mother called 555-0134 twice.';
    expect(new Layout(text).placementOf(text.indexOf('555'))).toBeUndefined();
  });

  it('finds the header of a very long table without recursion (linear, no stack overflow)', () => {
    const text = `| A | B |\n${'| x | 1 |\n'.repeat(30_000)}| y | 4471 |`;
    expect(new Layout(text).placementOf(text.lastIndexOf('4471'))?.header).toBe('B');
  });
});
