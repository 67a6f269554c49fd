/**
 * Test-only, and independent of the engine: given a table, its equations and what was published,
 * does any primary-suppressed cell leak? Linear leak: exact rational elimination shows the cell
 * has one value in every real solution. Bounds leak: an exact rational simplex finds the cell's
 * range over the non-negative real solutions, and it holds fewer than two integers.
 */

export class Q {
  readonly n: bigint;
  readonly d: bigint;
  constructor(n: bigint, d: bigint = 1n) {
    if (d === 0n) throw new Error('division by zero');
    // Most values are integers: no gcd to take (the checker spends its time here).
    if (d === 1n || n === 0n) {
      this.n = n;
      this.d = 1n;
      return;
    }
    if (d < 0n) [n, d] = [-n, -d];
    let a = n < 0n ? -n : n;
    let b = d;
    while (b !== 0n) [a, b] = [b, a % b];
    this.n = a > 1n ? n / a : n;
    this.d = a > 1n ? d / a : d;
  }
  static of(v: number | bigint): Q {
    return new Q(BigInt(v));
  }
  add(o: Q): Q {
    return this.d === o.d ? new Q(this.n + o.n, this.d) : new Q(this.n * o.d + o.n * this.d, this.d * o.d);
  }
  sub(o: Q): Q {
    return this.d === o.d ? new Q(this.n - o.n, this.d) : new Q(this.n * o.d - o.n * this.d, this.d * o.d);
  }
  mul(o: Q): Q {
    return new Q(this.n * o.n, this.d * o.d);
  }
  div(o: Q): Q {
    return new Q(this.n * o.d, this.d * o.n);
  }
  neg(): Q {
    return new Q(-this.n, this.d);
  }
  sign(): number {
    return this.n > 0n ? 1 : this.n < 0n ? -1 : 0;
  }
  cmp(o: Q): number {
    return this.sub(o).sign();
  }
  floor(): bigint {
    const q = this.n / this.d;
    return this.n < 0n && q * this.d !== this.n ? q - 1n : q;
  }
  ceil(): bigint {
    return -this.neg().floor();
  }
}

const ZERO = Q.of(0);

export interface Leak {
  id: string;
  kind: 'linear' | 'bounds';
  /** Range over non-negative real solutions; max null = unbounded. */
  min?: Q;
  max?: Q | null;
}

interface Table {
  cells: Array<{ id: string; value: number }>;
  equations: Array<{ total: string; parts: string[] }>;
}

/** Every primary (0 < value < k unless listed in `primary`) suppressed cell that leaks. */
export function findLeaks(table: Table, published: Map<string, number | null>, primary: Iterable<string>): Leak[] {
  const value = new Map(table.cells.map((c) => [c.id, c.value]));
  const hidden = table.cells.map((c) => c.id).filter((id) => published.get(id) === null);
  const column = new Map(hidden.map((id, j) => [id, j]));
  // Every equation as Σ coef·y = rhs over the suppressed cells.
  const rows = table.equations
    .map((e) => {
      const coef = hidden.map(() => ZERO);
      let rhs = ZERO;
      const members: Array<[string, number]> = [[e.total, 1], ...e.parts.map((p): [string, number] => [p, -1])];
      for (const [id, c] of members) {
        if (column.has(id)) coef[column.get(id)!] = coef[column.get(id)!].add(Q.of(c));
        else rhs = rhs.sub(Q.of(c * published.get(id)!));
      }
      return { coef, rhs };
    })
    .filter((r) => r.coef.some((c) => c.sign() !== 0));
  const leaks: Leak[] = [];
  for (const id of primary) {
    if (published.get(id) !== null) continue;
    // Only the rows linked to the cell (through other suppressed cells) can say anything about it.
    const linked = new Set([column.get(id)!]);
    let mine: Row[] = [];
    for (let grew = true; grew; ) {
      mine = rows.filter((r) => r.coef.some((c, j) => c.sign() !== 0 && linked.has(j)));
      const before = linked.size;
      for (const r of mine) r.coef.forEach((c, j) => c.sign() !== 0 && linked.add(j));
      grew = linked.size > before;
    }
    const columns = [...linked].sort((a, b) => a - b);
    const local = mine.map((r) => ({ coef: columns.map((j) => r.coef[j]), rhs: r.rhs }));
    const p = columns.indexOf(column.get(id)!);
    if (determined(local, columns.length, p)) {
      leaks.push({ id, kind: 'linear' });
      continue;
    }
    const max = optimum(local, columns.length, p, 1);
    const min = optimum(local, columns.length, p, -1)!.neg();
    const integers = (max === null ? BigInt(value.get(id)!) + 2n : max.floor()) - min.ceil() + 1n;
    if (integers < 2n) leaks.push({ id, kind: 'bounds', min, max });
  }
  return leaks;
}

type Row = { coef: Q[]; rhs: Q };

/** Gauss-Jordan over the rationals: is column p a pivot whose row has no other non-zero entry? */
function determined(input: Row[], n: number, p: number): boolean {
  const rows = input.map((r) => ({ coef: [...r.coef], rhs: r.rhs }));
  let rank = 0;
  let pivotOfP = -1;
  for (let col = 0; col < n && rank < rows.length; col++) {
    const found = rows.findIndex((r, i) => i >= rank && r.coef[col].sign() !== 0);
    if (found < 0) continue;
    [rows[rank], rows[found]] = [rows[found], rows[rank]];
    const pv = rows[rank].coef[col];
    rows[rank] = { coef: rows[rank].coef.map((c) => c.div(pv)), rhs: rows[rank].rhs.div(pv) };
    for (let i = 0; i < rows.length; i++) {
      const a = rows[i].coef[col];
      if (i === rank || a.sign() === 0) continue;
      rows[i] = { coef: rows[i].coef.map((c, j) => (rows[rank].coef[j].n === 0n ? c : c.sub(a.mul(rows[rank].coef[j])))), rhs: rows[i].rhs.sub(a.mul(rows[rank].rhs)) };
    }
    if (col === p) pivotOfP = rank;
    rank++;
  }
  return pivotOfP >= 0 && rows[pivotOfP].coef.every((c, j) => j === p || c.sign() === 0);
}

/**
 * max (direction 1) or max of −y_p (direction −1) subject to rows, y ≥ 0: two-phase tableau
 * simplex with Bland's rule, exact. null when unbounded.
 */
function optimum(input: Row[], n: number, p: number, direction: 1 | -1): Q | null {
  const m = input.length;
  const width = n + m; // variables, then one artificial per row
  const t: Q[][] = input.map((r, i) => {
    const flip = r.rhs.sign() < 0;
    const row = [...r.coef.map((c) => (flip ? c.neg() : c)), ...input.map((_, j) => Q.of(i === j ? 1 : 0)), flip ? r.rhs.neg() : r.rhs];
    return row;
  });
  const basis = input.map((_, i) => n + i);
  const pivot = (r: number, c: number) => {
    const pv = t[r][c];
    t[r] = t[r].map((v) => v.div(pv));
    for (let i = 0; i < m; i++) {
      const a = t[i][c];
      // A zero of the pivot row leaves the entry as it is (the tableau is mostly zeros).
      if (i !== r && a.sign() !== 0) t[i] = t[i].map((v, j) => (t[r][j].n === 0n ? v : v.sub(a.mul(t[r][j]))));
    }
    basis[r] = c;
  };
  /** Minimizes cost·y over the columns allowed; false when unbounded. */
  const run = (cost: Q[], allowed: (j: number) => boolean): boolean => {
    for (;;) {
      let entering = -1;
      for (let j = 0; j < width && entering < 0; j++) {
        if (!allowed(j) || basis.includes(j)) continue;
        let reduced = cost[j];
        for (let i = 0; i < m; i++) if (cost[basis[i]].n !== 0n && t[i][j].n !== 0n) reduced = reduced.sub(cost[basis[i]].mul(t[i][j]));
        if (reduced.sign() < 0) entering = j;
      }
      if (entering < 0) return true;
      let leaving = -1;
      let best: Q | undefined;
      for (let i = 0; i < m; i++) {
        if (t[i][entering].sign() <= 0) continue;
        const ratio = t[i][width].div(t[i][entering]);
        const c = best === undefined ? -1 : ratio.cmp(best);
        if (c < 0 || (c === 0 && basis[i] < basis[leaving])) [leaving, best] = [i, ratio];
      }
      if (leaving < 0) return false;
      pivot(leaving, entering);
    }
  };
  const phase1 = Array.from({ length: width }, (_, j) => Q.of(j >= n ? 1 : 0));
  run(phase1, () => true);
  if (basis.some((b, i) => b >= n && t[i][width].sign() !== 0)) throw new Error('checker: the published table has no non-negative solution');
  // Drive remaining (zero-valued) artificials out where a real column can replace them.
  for (let i = 0; i < m; i++) {
    if (basis[i] < n) continue;
    const j = t[i].findIndex((v, col) => col < n && v.sign() !== 0 && !basis.includes(col));
    if (j >= 0) pivot(i, j);
  }
  const cost = Array.from({ length: width }, (_, j) => Q.of(j === p ? -direction : 0));
  if (!run(cost, (j) => j < n)) return null;
  let y = ZERO;
  for (let i = 0; i < m; i++) if (basis[i] === p) y = t[i][width];
  return direction === 1 ? y : y.neg();
}
