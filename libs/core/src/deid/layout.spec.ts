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

  it('places a CSV cell under the header row of short labels with as many cells, across rows', () => {
    const text = 'product,model,lot,action\ncar seat,CS-4410,L2309B,replace clip\nplay yard,PY-300,all,stop use';
    const layout = new Layout(text);
    expect(layout.placementOf(text.indexOf('PY-300'))).toEqual({ header: 'model', rowLabel: 'play yard' });
    expect(layout.placementOf(text.indexOf('L2309B'))).toEqual({ header: 'lot', rowLabel: 'car seat' });
    expect(new Layout('recall_no,date,lots\n25-101,2025-01-16,W100').placementOf(20)?.header).toBe('recall no');
  });

  it('places no CSV cell without a header row of labels, or where the rows have other cell counts', () => {
    const prose = 'Jayden, 4, and Mia, 2, were left alone, the report says.';
    expect(new Layout(prose).placementOf(prose.indexOf('4'))).toBeUndefined();
    const ragged = 'name,ssn,note\nx,523819046\n';
    expect(new Layout(ragged).placementOf(ragged.indexOf('523'))).toBeUndefined();
  });

  it('finds the header of a very long table without recursion (linear, no stack overflow)', () => {
    const text = `| A | B |\n${'| x | 1 |\n'.repeat(30_000)}| y | 4471 |`;
    expect(new Layout(text).placementOf(text.lastIndexOf('4471'))?.header).toBe('B');
  });
});
