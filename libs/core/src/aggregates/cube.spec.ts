import fc from 'fast-check';
import { findLeaks } from './leak-checker.spec-helpers';
import { crossTable, suppressCube } from './cube';
import { SuppressionInputError } from './suppression';

describe('crossTable', () => {
  const rows = ['A', 'B', 'C'];
  const cols = ['Q1', 'Q2', 'Q3'];
  const data: Record<string, number> = { 'A|Q1': 2, 'A|Q2': 10, 'A|Q3': 12, 'B|Q1': 8, 'B|Q2': 9, 'B|Q3': 30, 'C|Q1': 0, 'C|Q2': 14, 'C|Q3': 20 };
  const value = (r: string, c: string) => data[`${r}|${c}`];

  it('with every margin: the small cell, a rectangle of complements, margins shown', () => {
    const t = crossTable(rows, cols, value, { k: 5, rowTotals: true, colTotals: true, grandTotal: true });
    expect(t.values).toEqual([
      [null, null, 12],
      [null, null, 30],
      [0, 14, 20],
    ]);
    expect(t.primary).toEqual([
      [true, false, false],
      [false, false, false],
      [false, false, false],
    ]);
    expect(t.rowTotals!.map((v) => v.value)).toEqual([24, 47, 34]);
    expect(t.colTotals!.map((v) => v.value)).toEqual([10, 33, 62]);
    expect(t.grandTotal).toEqual({ value: 105, primary: false });
  });

  it('without margins only the small cells go; with row totals only, each such row loses one more', () => {
    expect(crossTable(rows, cols, value, { k: 5 }).values).toEqual([
      [null, 10, 12],
      [8, 9, 30],
      [0, 14, 20],
    ]);
    const t = crossTable(rows, cols, value, { k: 5, rowTotals: true });
    expect(t.values[0]).toEqual([null, null, 12]);
    expect(t.values.slice(1)).toEqual([
      [8, 9, 30],
      [0, 14, 20],
    ]);
    expect(t.colTotals).toBeUndefined();
  });

  it('refuses duplicate keys', () => {
    expect(() => crossTable(['A', 'A'], cols, value, { k: 5 })).toThrow(SuppressionInputError);
  });

  it('property: any margins asked for, nothing leaks (checked on the test’s own equations)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 36, maxLength: 36 }),
        fc.record({ rowTotals: fc.boolean(), colTotals: fc.boolean(), grandTotal: fc.boolean() }),
        fc.integer({ min: 1, max: 7 }),
        (nr, nc, counts, margins, k) => {
          const rk = Array.from({ length: nr }, (_, i) => `r${i}`);
          const ck = Array.from({ length: nc }, (_, i) => `c${i}`);
          const v = (r: string, c: string) => counts[Number(r.slice(1)) * 6 + Number(c.slice(1))];
          const t = crossTable(rk, ck, v, { k, ...margins });
          const cells: Array<{ id: string; value: number }> = [];
          const published = new Map<string, number | null>();
          const add = (id: string, truth: number, shown: number | null) => {
            cells.push({ id, value: truth });
            published.set(id, shown);
            if (shown !== null) expect(shown).toBe(truth);
            if (truth > 0 && truth < k) expect(shown).toBeNull();
          };
          rk.forEach((r, i) => ck.forEach((c, j) => add(`${r}${c}`, v(r, c), t.values[i][j])));
          const rowSum = (r: string) => ck.reduce((s, c) => s + v(r, c), 0);
          const colSum = (c: string) => rk.reduce((s, r) => s + v(r, c), 0);
          const equations: Array<{ total: string; parts: string[] }> = [];
          if (margins.rowTotals) rk.forEach((r, i) => (add(r, rowSum(r), t.rowTotals![i].value), equations.push({ total: r, parts: ck.map((c) => `${r}${c}`) })));
          if (margins.colTotals) ck.forEach((c, j) => (add(c, colSum(c), t.colTotals![j].value), equations.push({ total: c, parts: rk.map((r) => `${r}${c}`) })));
          if (margins.grandTotal) {
            add('all', rk.reduce((s, r) => s + rowSum(r), 0), t.grandTotal!.value);
            if (margins.rowTotals) equations.push({ total: 'all', parts: rk });
            if (margins.colTotals) equations.push({ total: 'all', parts: ck });
            if (!margins.rowTotals && !margins.colTotals) equations.push({ total: 'all', parts: rk.flatMap((r) => ck.map((c) => `${r}${c}`)) });
          }
          const primary = cells.filter((c) => c.value > 0 && c.value < k).map((c) => c.id);
          expect(findLeaks({ cells, equations }, published, primary)).toEqual([]);
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe('suppressCube: one cube per dashboard, every view from it', () => {
  const types = ['fatality', 'near-fatality', 'serious-injury'];
  const quarters = ['2026Q1', '2026Q2', '2026Q3', '2026Q4'];
  const jurisdictions = ['tribal', 'county', 'state'];
  const counts = [0, 1, 7, 12, 3, 9, 15, 22, 6, 0, 2, 8, 11, 5, 19, 4, 13, 7, 1, 30, 9, 10, 6, 2, 14, 8, 0, 17, 3, 21, 12, 6, 9, 4, 25, 11];
  const value = (keys: Record<string, string>) =>
    counts[types.indexOf(keys.type) * 12 + quarters.indexOf(keys.quarter) * 3 + jurisdictions.indexOf(keys.jurisdiction)];
  const cube = suppressCube({
    dimensions: [
      { name: 'type', keys: types },
      { name: 'quarter', keys: quarters },
      { name: 'jurisdiction', keys: jurisdictions },
    ],
    value,
    k: 5,
  });

  it('linked tables agree: a slice, its margins and the all-jurisdictions table are the same cells', () => {
    const tribal = cube.table('type', 'quarter', { jurisdiction: 'tribal' });
    const all = cube.table('type', 'quarter');
    types.forEach((type, r) => {
      quarters.forEach((quarter, c) => {
        expect(tribal.values[r][c]).toBe(cube.cell({ type, quarter, jurisdiction: 'tribal' }).value);
        expect(all.values[r][c]).toBe(cube.cell({ type, quarter }).value);
      });
      expect(all.rowTotals![r]).toEqual(cube.cell({ type }));
    });
    const byJurisdiction = cube.table('jurisdiction', 'type');
    expect(byJurisdiction.colTotals).toEqual(all.rowTotals);
    expect(byJurisdiction.grandTotal).toEqual(cube.cell({}));
    expect(cube.cell({}).value).toBe(counts.reduce((a, b) => a + b, 0));
  });

  it('hides every small cell, shows the truth elsewhere', () => {
    for (const type of types) {
      for (const quarter of quarters) {
        for (const jurisdiction of jurisdictions) {
          const truth = value({ type, quarter, jurisdiction });
          const shown = cube.cell({ type, quarter, jurisdiction });
          if (truth > 0 && truth < 5) expect(shown).toEqual({ value: null, primary: true });
          else if (shown.value !== null) expect(shown.value).toBe(truth);
        }
      }
    }
  });

  it('refuses unknown dimensions and keys', () => {
    expect(() => cube.cell({ region: 'north' })).toThrow(/no dimension region/);
    expect(() => cube.cell({ type: 'burn' })).toThrow(/type has no key burn/);
    expect(() => cube.table('type', 'type')).toThrow(SuppressionInputError);
  });
});
