/**
 * Exact, fraction-free row reduction of a small integer linear system A·y = b (bigint throughout,
 * so no rounding can decide whether a suppressed cell is given back). Rows are reduced to a
 * reduced row echelon form scaled to integers: every pivot column is zero in every other row.
 */

export interface IntegerRow {
  /** Non-zero coefficients by column (sparse: the systems are sums of a few cells each). */
  coef: Map<number, bigint>;
  rhs: bigint;
}

export interface ReducedSystem {
  columns: number;
  /** Non-zero rows after reduction, each with its pivot column (positive coefficient). */
  rows: Array<IntegerRow & { pivot: number }>;
  /** Row index by pivot column; -1 for a free column. */
  pivotRow: number[];
  /** True when some row reduced to 0 = non-zero: the system has no solution. */
  inconsistent: boolean;
}

export function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function lcm(a: bigint, b: bigint): bigint {
  return (a / gcd(a, b)) * b;
}

/** Divides a row by the gcd of its entries, so numbers stay as small as the system allows. */
function normalize(row: IntegerRow): void {
  let g = row.rhs;
  for (const c of row.coef.values()) g = gcd(g, c);
  if (g > 1n) {
    for (const [j, c] of row.coef) row.coef.set(j, c / g);
    row.rhs /= g;
  }
}

/** row := row·p − pivot·a, dropping the zeros. */
function eliminate(row: IntegerRow, pivot: IntegerRow, p: bigint, a: bigint): void {
  for (const [j, c] of row.coef) row.coef.set(j, c * p);
  for (const [j, c] of pivot.coef) {
    const v = (row.coef.get(j) ?? 0n) - c * a;
    if (v === 0n) row.coef.delete(j);
    else row.coef.set(j, v);
  }
  row.rhs = row.rhs * p - pivot.rhs * a;
  normalize(row);
}

export function reduce(columns: number, input: IntegerRow[]): ReducedSystem {
  let pending = input.map((r) => ({ coef: new Map([...r.coef].filter(([, c]) => c !== 0n)), rhs: r.rhs }));
  const done: Array<IntegerRow & { pivot: number }> = [];
  const pivotRow = new Array<number>(columns).fill(-1);
  for (let col = 0; col < columns; col++) {
    // The sparsest row holding this column (first of equals), to keep fill-in low.
    let at = -1;
    pending.forEach((r, i) => {
      if (r.coef.has(col) && (at < 0 || r.coef.size < pending[at].coef.size)) at = i;
    });
    if (at < 0) continue;
    const pivot = pending[at];
    if (pivot.coef.get(col)! < 0n) {
      for (const [j, c] of pivot.coef) pivot.coef.set(j, -c);
      pivot.rhs = -pivot.rhs;
    }
    normalize(pivot);
    const p = pivot.coef.get(col)!;
    pending = pending.filter((_, i) => i !== at);
    for (const row of [...pending, ...done]) {
      const a = row.coef.get(col);
      if (a !== undefined) eliminate(row, pivot, p, a);
    }
    pivotRow[col] = done.length;
    done.push({ ...pivot, pivot: col });
  }
  return { columns, rows: done, pivotRow, inconsistent: pending.some((r) => r.rhs !== 0n) };
}

/** True when column `col` has one value in every solution (its row mentions no free column). */
export function isDetermined(system: ReducedSystem, col: number): boolean {
  const r = system.pivotRow[col];
  return r >= 0 && system.rows[r].coef.size === 1;
}

/**
 * The null-space vector for free column `free`: integer, primitive (gcd 1), with d[free] > 0.
 * Adding it to any solution gives another solution.
 */
export function nullVector(system: ReducedSystem, free: number): bigint[] {
  let scale = 1n;
  for (const row of system.rows) if (row.coef.has(free)) scale = lcm(scale, row.coef.get(row.pivot)!);
  const d = new Array<bigint>(system.columns).fill(0n);
  d[free] = scale;
  for (const row of system.rows) {
    const c = row.coef.get(free);
    if (c !== undefined) d[row.pivot] = (-c * scale) / row.coef.get(row.pivot)!;
  }
  const g = d.reduce((acc, v) => (v === 0n ? acc : gcd(acc, v)), 0n);
  return g > 1n ? d.map((v) => v / g) : d;
}
