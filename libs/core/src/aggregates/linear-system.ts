/**
 * Exact, fraction-free row reduction of a small integer linear system A·y = b (bigint throughout,
 * so no rounding can decide whether a suppressed cell is given back). Rows are reduced to a
 * reduced row echelon form scaled to integers: every pivot column is zero in every other row.
 */

export interface IntegerRow {
  /** Coefficients, one per column. */
  coef: bigint[];
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
  for (const c of row.coef) if (c !== 0n) g = gcd(g, c);
  if (g > 1n) {
    for (let i = 0; i < row.coef.length; i++) row.coef[i] /= g;
    row.rhs /= g;
  }
}

export function reduce(columns: number, input: IntegerRow[]): ReducedSystem {
  const rows = input.map((r) => ({ coef: [...r.coef], rhs: r.rhs }));
  const pivotRow = new Array<number>(columns).fill(-1);
  const pivots: number[] = [];
  let rank = 0;
  for (let col = 0; col < columns && rank < rows.length; col++) {
    const found = rows.findIndex((r, i) => i >= rank && r.coef[col] !== 0n);
    if (found < 0) continue;
    [rows[rank], rows[found]] = [rows[found], rows[rank]];
    const pivot = rows[rank];
    if (pivot.coef[col] < 0n) {
      for (let i = 0; i < columns; i++) pivot.coef[i] = -pivot.coef[i];
      pivot.rhs = -pivot.rhs;
    }
    normalize(pivot);
    const p = pivot.coef[col];
    for (let i = 0; i < rows.length; i++) {
      const a = rows[i].coef[col];
      if (i === rank || a === 0n) continue;
      const row = rows[i];
      for (let j = 0; j < columns; j++) row.coef[j] = row.coef[j] * p - pivot.coef[j] * a;
      row.rhs = row.rhs * p - pivot.rhs * a;
      normalize(row);
    }
    pivotRow[col] = rank;
    pivots.push(col);
    rank++;
  }
  const inconsistent = rows.slice(rank).some((r) => r.rhs !== 0n);
  return { columns, rows: rows.slice(0, rank).map((r, i) => ({ ...r, pivot: pivots[i] })), pivotRow, inconsistent };
}

/** True when column `col` has one value in every solution (its row mentions no free column). */
export function isDetermined(system: ReducedSystem, col: number): boolean {
  const r = system.pivotRow[col];
  if (r < 0) return false;
  return system.rows[r].coef.every((c, j) => j === col || c === 0n);
}

/**
 * The null-space vector for free column `free`: integer, primitive (gcd 1), with d[free] > 0.
 * Adding it to any solution gives another solution.
 */
export function nullVector(system: ReducedSystem, free: number): bigint[] {
  let scale = 1n;
  for (const row of system.rows) if (row.coef[free] !== 0n) scale = lcm(scale, row.coef[row.pivot]);
  const d = new Array<bigint>(system.columns).fill(0n);
  d[free] = scale;
  for (const row of system.rows) {
    if (row.coef[free] !== 0n) d[row.pivot] = (-row.coef[free] * scale) / row.coef[row.pivot];
  }
  const g = d.reduce((acc, v) => (v === 0n ? acc : gcd(acc, v)), 0n);
  return g > 1n ? d.map((v) => v / g) : d;
}
