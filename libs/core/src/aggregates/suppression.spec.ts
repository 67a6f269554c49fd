import fc from 'fast-check';
import { Q, findLeaks } from './leak-checker.spec-helpers';
import { SuppressionInputError, suppress } from './suppression';
import { suppressCube } from './cube';

type Cell = { id: string; value: number };
type Equation = { total: string; parts: string[] };

/** The test's own cube: innermost counts, every marginal sum, every additive equation. */
function cubeTable(shape: number[], counts: number[]): { cells: Cell[]; equations: Equation[] } {
  const id = (coords: Array<number | null>) => coords.map((c) => (c === null ? '*' : String(c))).join(',');
  const all: Array<Array<number | null>> = shape.reduce<Array<Array<number | null>>>(
    (acc, n) => acc.flatMap((prefix) => [...Array.from({ length: n }, (_, i) => [...prefix, i]), [...prefix, null]]),
    [[]],
  );
  const inner = all.filter((c) => !c.includes(null));
  const value = new Map(inner.map((c, i) => [id(c), counts[i % counts.length]]));
  const valueOf = (c: Array<number | null>): number => {
    const axis = c.indexOf(null);
    if (axis < 0) return value.get(id(c))!;
    return Array.from({ length: shape[axis] }, (_, i) => valueOf(c.map((x, j) => (j === axis ? i : x)))).reduce((a, b) => a + b, 0);
  };
  const cells = all.map((c) => ({ id: id(c), value: valueOf(c) }));
  const equations = all.flatMap((c) =>
    c.flatMap((x, axis) => (x === null ? [{ total: id(c), parts: Array.from({ length: shape[axis] }, (_, i) => id(c.map((y, j) => (j === axis ? i : y)))) }] : [])),
  );
  return { cells, equations };
}

/** Counts with many small values, some zeros, some large. */
const counts = fc.array(fc.oneof({ arbitrary: fc.integer({ min: 0, max: 6 }), weight: 4 }, { arbitrary: fc.integer({ min: 0, max: 40 }), weight: 1 }), {
  minLength: 1,
  maxLength: 216,
});

function expectSound(table: { cells: Cell[]; equations: Equation[] }, k: number): void {
  const result = suppress({ ...table, k });
  // (a) every small non-zero cell is suppressed, and is primary
  for (const c of table.cells) {
    if (c.value > 0 && c.value < k) {
      expect(result.published.get(c.id)).toBeNull();
      expect(result.primary.has(c.id)).toBe(true);
    }
  }
  // (c) what is published is the truth; zeros are published
  for (const c of table.cells) {
    const shown = result.published.get(c.id);
    if (shown !== null) expect(shown).toBe(c.value);
    if (c.value === 0) expect(shown).toBe(0);
  }
  expect([...result.primary].every((id) => !result.complementary.has(id))).toBe(true);
  // (b) no primary cell is given back, by the independent checker
  expect(findLeaks(table, result.published, result.primary)).toEqual([]);
  // (d) same input, same output
  const again = suppress({ cells: table.cells.map((c) => ({ ...c })), equations: table.equations.map((e) => ({ ...e, parts: [...e.parts] })), k });
  expect([...again.published]).toEqual([...result.published]);
  expect([...again.complementary]).toEqual([...result.complementary]);
}

describe('suppress: properties', () => {
  it('2-D tables with all margins (1..6 × 1..6)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), counts, fc.integer({ min: 1, max: 8 }), (rows, cols, values, k) => {
        expectSound(cubeTable([rows, cols], values), k);
      }),
      { numRuns: 150 },
    );
  });

  it('2-D tables with some margins left out', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), counts, fc.integer({ min: 2, max: 6 }), fc.boolean(), (rows, cols, values, k, keepRows) => {
        const full = cubeTable([rows, cols], values);
        // Drop the column margins (or the row margins) and the equations that use them.
        const dropped = new Set(full.cells.filter((c) => (keepRows ? /^\*,\d+$/ : /^\d+,\*$/).test(c.id)).map((c) => c.id));
        const cells = full.cells.filter((c) => !dropped.has(c.id));
        const equations = full.equations.filter((e) => !dropped.has(e.total) && e.parts.every((p) => !dropped.has(p)));
        expectSound({ cells, equations }, k);
      }),
      { numRuns: 60 },
    );
  });

  it('3-D cubes with all marginal sums', () => {
    fc.assert(
      fc.property(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 })), counts, fc.integer({ min: 1, max: 7 }), (shape, values, k) => {
        expectSound(cubeTable(shape, values), k);
      }),
      { numRuns: 40 },
    );
  });

  it('random overlapping sums (totals of any cells, totals of totals)', () => {
    const system = fc.record({
      leaves: fc.array(fc.oneof({ arbitrary: fc.integer({ min: 0, max: 4 }), weight: 3 }, { arbitrary: fc.integer({ min: 0, max: 20 }), weight: 1 }), { minLength: 2, maxLength: 10 }),
      sums: fc.array(fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 }),
    });
    fc.assert(
      fc.property(system, fc.integer({ min: 2, max: 6 }), ({ leaves, sums }, k) => {
        const cells: Cell[] = leaves.map((v, i) => ({ id: `x${i}`, value: v }));
        const equations: Equation[] = [];
        sums.forEach((picks, s) => {
          const parts = [...new Set(picks.map((p) => p % cells.length))].map((i) => cells[i]);
          cells.push({ id: `s${s}`, value: parts.reduce((a, c) => a + c.value, 0) });
          equations.push({ total: `s${s}`, parts: parts.map((c) => c.id) });
        });
        expectSound({ cells, equations }, k);
      }),
      { numRuns: 300 },
    );
  });

  it('suppressCube publishes the same as the engine on the same cube, and the checker agrees', () => {
    fc.assert(
      fc.property(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })), counts, fc.integer({ min: 2, max: 6 }), (shape, values, k) => {
        const table = cubeTable(shape, values);
        const names = ['type', 'quarter', 'jurisdiction'];
        const cube = suppressCube({
          dimensions: shape.map((n, i) => ({ name: names[i], keys: Array.from({ length: n }, (_, j) => String(j)) })),
          value: (keys) => table.cells.find((c) => c.id === names.map((n) => keys[n]).join(','))!.value,
          k,
        });
        // Translate the cube's ids to the test's ids and check with the independent checker.
        const published = new Map(table.cells.map((c) => {
          const coords = c.id.split(',');
          return [c.id, cube.cell(Object.fromEntries(names.map((n, i) => [n, coords[i] === '*' ? null : coords[i]]))).value];
        }));
        const primary = table.cells.filter((c) => c.value > 0 && c.value < k).map((c) => c.id);
        expect(findLeaks(table, published, primary)).toEqual([]);
        for (const c of table.cells) if (published.get(c.id) !== null) expect(published.get(c.id)).toBe(c.value);
      }),
      { numRuns: 25 },
    );
  });
});

describe('suppress: by hand', () => {
  const row = (values: number[]) => ({
    cells: [...values.map((v, i) => ({ id: `c${i}`, value: v })), { id: 'total', value: values.reduce((a, b) => a + b, 0) }],
    equations: [{ total: 'total', parts: values.map((_, i) => `c${i}`) }],
  });

  it('a row with one small cell and its total: the smallest other part is the complement', () => {
    const r = suppress({ ...row([3, 12, 8, 0, 20]), k: 5 });
    expect(Object.fromEntries(r.published)).toEqual({ c0: null, c1: 12, c2: null, c3: 0, c4: 20, total: 43 });
    expect([...r.primary]).toEqual(['c0']);
    expect([...r.complementary]).toEqual(['c2']);
  });

  it('the classic 2×2: one small cell takes a rectangle of four', () => {
    const table = cubeTable([2, 2], [2, 10, 7, 9]);
    const r = suppress({ ...table, k: 5 });
    expect(new Set(table.cells.filter((c) => r.published.get(c.id) === null).map((c) => c.id))).toEqual(new Set(['0,0', '0,1', '1,0', '1,1']));
    expect(r.published.get('*,*')).toBe(28);
    expect(findLeaks(table, r.published, r.primary)).toEqual([]);
  });

  it('all cells small: everything non-zero is suppressed, and it holds', () => {
    const table = cubeTable([3, 3], [1, 2, 1, 3, 1, 1, 2, 1, 1]);
    const r = suppress({ ...table, k: 100 });
    expect([...r.published.values()].every((v) => v === null)).toBe(true);
    expect(findLeaks(table, r.published, r.primary)).toEqual([]);
  });

  it('all zero: nothing to hide, everything published', () => {
    const table = cubeTable([3, 4], [0]);
    const r = suppress({ ...table, k: 5 });
    expect([...r.published.values()].every((v) => v === 0)).toBe(true);
    expect(r.primary.size + r.complementary.size).toBe(0);
  });

  it('k = 1: nothing is suppressed', () => {
    const table = cubeTable([3, 3], [1, 0, 2, 1, 1, 1, 4, 0, 1]);
    const r = suppress({ ...table, k: 1 });
    expect([...r.published.values()].includes(null)).toBe(false);
  });

  // Found by the overlapping-sums property with the bounds guard switched off: with only t published,
  // s = u = a + b and t = s + a + u = 5 give s = (5 − a) / 2 with 0 ≤ a ≤ s, so s ∈ [5/3, 5/2]:
  // not determined linearly, yet 2 is its only integer value.
  const overlapping = {
    cells: [
      { id: 'a', value: 1 },
      { id: 'b', value: 1 },
      { id: 's', value: 2 },
      { id: 'u', value: 2 },
      { id: 'v', value: 1 },
      { id: 't', value: 5 },
    ],
    equations: [
      { total: 's', parts: ['b', 'a'] },
      { total: 'u', parts: ['b', 'a'] },
      { total: 'v', parts: ['a'] },
      { total: 't', parts: ['u', 'a', 's'] },
    ],
  };

  it('guards the bounds leak: a cell pinned by non-negativity and integrality takes one more complement', () => {
    const onlyTotalShown = new Map([...overlapping.cells.map((c): [string, number | null] => [c.id, null]), ['t', 5]]);
    expect(findLeaks(overlapping, onlyTotalShown, ['a', 'b', 's', 'u', 'v']).map((l) => [l.id, l.kind])).toEqual([['s', 'bounds'], ['u', 'bounds']]);
    const r = suppress({ ...overlapping, k: 3 });
    expect(r.published.get('t')).toBeNull();
    expect([...r.complementary]).toEqual(['t']);
    expect(findLeaks(overlapping, r.published, r.primary)).toEqual([]);
  });

  it('refuses bad input with a clear error', () => {
    expect(() => suppress({ ...row([1, 2]), k: 0 })).toThrow(SuppressionInputError);
    expect(() => suppress({ ...row([1, 2]), k: 2.5 })).toThrow(/k must be an integer/);
    expect(() => suppress({ cells: [{ id: 'a', value: -1 }], equations: [], k: 5 })).toThrow(/non-negative integer/);
    expect(() => suppress({ cells: [{ id: 'a', value: 1 }, { id: 't', value: 5 }], equations: [{ total: 't', parts: ['a'] }], k: 5 })).toThrow(/not the sum/);
    expect(() => suppress({ cells: [{ id: 't', value: 0 }], equations: [{ total: 't', parts: ['x'] }], k: 5 })).toThrow(/unknown cell x/);
  });
});

describe('the independent leak checker', () => {
  it('reports a cell given back by subtraction (total published, complement forgotten)', () => {
    const table = { cells: [{ id: 'a', value: 3 }, { id: 'b', value: 12 }, { id: 't', value: 15 }], equations: [{ total: 't', parts: ['a', 'b'] }] };
    const published = new Map<string, number | null>([['a', null], ['b', 12], ['t', 15]]);
    expect(findLeaks(table, published, ['a'])).toEqual([{ id: 'a', kind: 'linear' }]);
  });

  it('reports a cell given back by a linear combination of margins (a 2×2 with only three suppressed)', () => {
    const table = cubeTable([2, 2], [2, 10, 7, 9]);
    const published = new Map(table.cells.map((c) => [c.id, ['0,0', '0,1', '1,0'].includes(c.id) ? null : c.value]));
    expect(findLeaks(table, published, ['0,0']).map((l) => [l.id, l.kind])).toEqual([['0,0', 'linear']]);
  });

  it('reports a cell pinned by non-negativity (not by any linear combination)', () => {
    // a = e + f with f = 1 shown: a ≥ 1. b = c + d with c = 4 shown: b ≥ 4. a + b = 5 shown: a ≤ 1.
    const table = {
      cells: [
        { id: 'a', value: 1 },
        { id: 'b', value: 4 },
        { id: 'c', value: 4 },
        { id: 'd', value: 0 },
        { id: 'e', value: 0 },
        { id: 'f', value: 1 },
        { id: 'ab', value: 5 },
      ],
      equations: [
        { total: 'ab', parts: ['a', 'b'] },
        { total: 'b', parts: ['c', 'd'] },
        { total: 'a', parts: ['e', 'f'] },
      ],
    };
    const published = new Map<string, number | null>([['a', null], ['b', null], ['c', 4], ['d', null], ['e', null], ['f', 1], ['ab', 5]]);
    const found = findLeaks(table, published, ['a']);
    expect(found.map((l) => [l.id, l.kind])).toEqual([['a', 'bounds']]);
    expect([found[0].min, found[0].max]).toEqual([Q.of(1), Q.of(1)]);
    // Hide f as well and a ranges over [0, 1]: two integers, no longer a leak.
    expect(findLeaks(table, new Map([...published, ['f', null]]), ['a'])).toEqual([]);
  });
});
