/**
 * Is a suppressed cell protected? The attacker knows every published value, every equation and
 * that counts are non-negative integers. A cell is protected when we can show them a second
 * table: non-negative integers, equal to the published values where published, satisfying every
 * equation, and different in that cell. We look for it as truth + d or truth − d, d an integer
 * vector of the null space of the equations over the suppressed cells (published cells fixed).
 */
import { IntegerRow, ReducedSystem, isDetermined, nullVector, reduce } from './linear-system';

/** Cells by index; equations as signed member lists (total +1, parts −1: Σ coef·value = 0). */
export interface CellModel {
  ids: string[];
  values: bigint[];
  equations: Array<Array<{ cell: number; coef: bigint }>>;
  /** Equations each cell belongs to. */
  equationsOf: number[][];
}

export interface Component {
  /** Suppressed cells linked through equations, ascending. */
  cells: number[];
  /** Equations that mention at least one of them. */
  equations: number[];
}

/** Groups the suppressed cells that share equations (directly or through other suppressed cells). */
export function components(model: CellModel, suppressed: boolean[]): Map<number, Component> {
  const parent = model.ids.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  model.equations.forEach((members) => {
    const hidden = members.filter((m) => suppressed[m.cell]).map((m) => find(m.cell));
    for (const r of hidden.slice(1)) parent[find(r)] = find(hidden[0]);
  });
  const byRoot = new Map<number, Component>();
  model.ids.forEach((_, i) => {
    if (!suppressed[i]) return;
    const root = find(i);
    if (!byRoot.has(root)) byRoot.set(root, { cells: [], equations: [] });
    byRoot.get(root)!.cells.push(i);
  });
  model.equations.forEach((members, e) => {
    const hidden = members.find((m) => suppressed[m.cell]);
    if (hidden) byRoot.get(find(hidden.cell))!.equations.push(e);
  });
  const byCell = new Map<number, Component>();
  for (const c of byRoot.values()) for (const cell of c.cells) byCell.set(cell, c);
  return byCell;
}

/** The equations of a component over its suppressed cells, published values moved to the right. */
export function componentSystem(model: CellModel, suppressed: boolean[], component: Component): { system: ReducedSystem; homogeneous: boolean } {
  const column = new Map(component.cells.map((cell, j) => [cell, j]));
  const rows: IntegerRow[] = component.equations.map((e) => {
    const coef = new Map<number, bigint>();
    let rhs = 0n;
    for (const m of model.equations[e]) {
      const j = column.get(m.cell);
      if (j !== undefined) coef.set(j, (coef.get(j) ?? 0n) + m.coef);
      else rhs -= m.coef * model.values[m.cell];
    }
    return { coef, rhs };
  });
  return { system: reduce(component.cells.length, rows), homogeneous: rows.every((r) => r.rhs === 0n) };
}

export type Protection = { protected: true; witness: bigint[] } | { protected: false; reason: 'determined' | 'bounded' };

/**
 * Looks for the second table for suppressed cell `cell` of `component`. The witness is the other
 * table's values for the component's cells (same order as component.cells).
 */
export function protection(model: CellModel, component: Component, system: ReducedSystem, homogeneous: boolean, cell: number): Protection {
  const col = component.cells.indexOf(cell);
  if (isDetermined(system, col)) return { protected: false, reason: 'determined' };
  const truth = component.cells.map((c) => model.values[c]);
  const directions: bigint[][] = [];
  const row = system.pivotRow[col];
  if (row < 0) directions.push(nullVector(system, col));
  else {
    for (const free of [...system.rows[row].coef.keys()].sort((a, b) => a - b)) {
      if (free !== col) directions.push(nullVector(system, free));
    }
  }
  // Everything around the component is published as 0: doubling the whole component is a table too.
  if (homogeneous) directions.push(truth);
  for (const d of directions) {
    for (const sign of [1n, -1n]) {
      const other = truth.map((v, j) => v + sign * d[j]);
      if (other.every((v) => v >= 0n)) return { protected: true, witness: other };
    }
  }
  return { protected: false, reason: 'bounded' };
}
