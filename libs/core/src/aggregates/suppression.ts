/**
 * Small-cell suppression for published aggregates (counts of incidents, reviews, survey answers).
 *
 * Input: cells (id, true value: a non-negative integer), additive equations (a total cell equals
 * the sum of its part cells; totals are cells and are published too) and k ≥ 1.
 *
 * 1. Primary suppression: every cell with 0 < value < k (totals included), or the cells the
 *    caller marks `sensitive` (rates.ts uses that). Zero cells are not sensitive and are never
 *    suppressed: a published 0 is a structural fact, not a person.
 * 2. Complementary suppression, to a fixpoint: an equation with exactly one suppressed member
 *    gets a second one, the smallest non-zero part (ties by id), the total only when no part can.
 * 3. Verification (protection.ts), exact integer arithmetic: for each primary cell we look for a
 *    SECOND TABLE and suppress more until every primary cell has one (a primary cell proven once
 *    stays proven, since suppressing more only widens what the attacker must allow). When one is
 *    missing, the next complement is a published non-zero cell of an equation of that primary cell
 *    (else of its linked suppressed cells, else any), non-totals first, smallest first, ties by id.
 *    This ends: with every non-zero cell suppressed, doubling the table is always a second table.
 *
 * GUARANTEE. Let the attacker know every published value, every equation, and that every cell is
 * a non-negative integer. For every primary-suppressed cell c with true value v there is a second
 * table — non-negative integers, equal to every published value, satisfying every equation — in
 * which c ≠ v. So c is not determined by linear combinations of published values (the linear
 * leak), nor pinned by non-negativity (the bounds leak), nor by integrality: the set of values c
 * can take contains at least two integers. It does NOT promise a wide interval (c may be known
 * to lie in {v, v + 1}), nor anything about information outside the equations (other published
 * tables must be part of the same call: build one cube per dashboard, see cube.ts).
 *
 * The search for the second table is a sufficient test, not an optimum: the engine may suppress
 * more than a minimal pattern would, never less than the guarantee needs.
 */
import { CellModel, Component, componentSystem, components, protection } from './protection';

export interface SuppressionCell {
  id: string;
  /** The true count: a non-negative integer. */
  value: number;
  /** Overrides the 0 < value < k rule for this cell (zero cells are never suppressed). */
  sensitive?: boolean;
}

export interface AdditiveEquation {
  total: string;
  parts: string[];
}

export interface SuppressionInput {
  cells: SuppressionCell[];
  equations: AdditiveEquation[];
  /** Smallest count that may be published (config: SUPPRESSION_MIN_CELL). */
  k: number;
}

export interface SuppressionResult {
  /** Every cell, in input order: its value, or null when suppressed. */
  published: Map<string, number | null>;
  primary: Set<string>;
  complementary: Set<string>;
}

export class SuppressionInputError extends Error {
  constructor(problem: string) {
    super(`Suppression input: ${problem}`);
    this.name = 'SuppressionInputError';
  }
}

export function suppress(input: SuppressionInput): SuppressionResult {
  const model = buildModel(input);
  const n = model.ids.length;
  const isTotal = new Array<boolean>(n).fill(false);
  input.equations.forEach((e) => (isTotal[model.index.get(e.total)!] = true));
  const primary = input.cells.map((c) => c.value > 0 && (c.sensitive ?? c.value < input.k));
  const suppressed = [...primary];
  let unproven = primary.flatMap((p, i) => (p ? [i] : []));
  for (;;) {
    closeSingletons(model, suppressed, isTotal);
    const groups = components(model, suppressed);
    const systems = new Map<Component, ReturnType<typeof componentSystem>>();
    let failing: number | undefined;
    const stillUnproven: number[] = [];
    for (const cell of unproven) {
      if (failing !== undefined) {
        stillUnproven.push(cell);
        continue;
      }
      const group = groups.get(cell)!;
      if (!systems.has(group)) systems.set(group, componentSystem(model, suppressed, group));
      const { system, homogeneous } = systems.get(group)!;
      if (system.inconsistent) throw new Error('suppression: published values contradict the equations (internal error)');
      if (!protection(model, group, system, homogeneous, cell).protected) {
        failing = cell;
        stillUnproven.push(cell);
      }
    }
    unproven = stillUnproven;
    if (failing === undefined) break;
    const extra = nextComplement(model, suppressed, isTotal, failing, groups.get(failing)!);
    // Unreachable: with every non-zero cell suppressed, doubling the table is a second table.
    if (extra === undefined) throw new Error(`suppression: no complement left for ${model.ids[failing]} (internal error)`);
    suppressed[extra] = true;
  }
  const published = new Map<string, number | null>();
  model.ids.forEach((id, i) => published.set(id, suppressed[i] ? null : input.cells[i].value));
  return {
    published,
    primary: new Set(model.ids.filter((_, i) => primary[i])),
    complementary: new Set(model.ids.filter((_, i) => suppressed[i] && !primary[i])),
  };
}

/** Which complement to take first: cells that are no total, then smaller values, then ids. */
function byPreference(model: CellModel, isTotal: boolean[]) {
  return (a: number, b: number): number =>
    Number(isTotal[a]) - Number(isTotal[b]) ||
    (model.values[a] < model.values[b] ? -1 : model.values[a] > model.values[b] ? 1 : 0) ||
    (model.ids[a] < model.ids[b] ? -1 : model.ids[a] > model.ids[b] ? 1 : 0);
}

/** Step 2: no equation may have exactly one suppressed member (plain subtraction gives it back). */
function closeSingletons(model: CellModel, suppressed: boolean[], isTotal: boolean[]): void {
  const prefer = byPreference(model, isTotal);
  let changed = true;
  while (changed) {
    changed = false;
    for (const members of model.equations) {
      if (members.filter((m) => suppressed[m.cell]).length !== 1) continue;
      // The total of an equation has coef +1; a total cell that is a part here counts as a part.
      const candidates = members.filter((m) => !suppressed[m.cell] && model.values[m.cell] > 0n);
      const parts = candidates.filter((m) => m.coef < 0n).map((m) => m.cell).sort(prefer);
      const pick = parts[0] ?? candidates.map((m) => m.cell)[0];
      if (pick === undefined) continue; // every other member is a published 0: then the suppressed one is 0 too
      suppressed[pick] = true;
      changed = true;
    }
  }
}

function nextComplement(model: CellModel, suppressed: boolean[], isTotal: boolean[], cell: number, group: Component): number | undefined {
  const open = (cells: number[]) => cells.filter((c) => !suppressed[c] && model.values[c] > 0n).sort(byPreference(model, isTotal));
  const membersOf = (equations: number[]) => equations.flatMap((e) => model.equations[e].map((m) => m.cell));
  return (
    open(membersOf(model.equationsOf[cell]))[0] ??
    open(membersOf(group.equations))[0] ??
    open(model.ids.map((_, i) => i))[0]
  );
}

function buildModel(input: SuppressionInput): CellModel & { index: Map<string, number> } {
  if (!Number.isInteger(input.k) || input.k < 1) throw new SuppressionInputError(`k must be an integer ≥ 1 (got ${input.k})`);
  const index = new Map<string, number>();
  input.cells.forEach((c, i) => {
    if (index.has(c.id)) throw new SuppressionInputError(`cell ${c.id} appears twice`);
    if (!Number.isSafeInteger(c.value) || c.value < 0) throw new SuppressionInputError(`cell ${c.id} must be a non-negative integer (got ${c.value})`);
    index.set(c.id, i);
  });
  const at = (id: string): number => {
    const i = index.get(id);
    if (i === undefined) throw new SuppressionInputError(`an equation names unknown cell ${id}`);
    return i;
  };
  const values = input.cells.map((c) => BigInt(c.value));
  const equationsOf: number[][] = input.cells.map(() => []);
  const equations = input.equations.map((e, n) => {
    const members = [{ cell: at(e.total), coef: 1n }, ...e.parts.map((p) => ({ cell: at(p), coef: -1n }))];
    if (new Set(members.map((m) => m.cell)).size !== members.length) throw new SuppressionInputError(`equation for ${e.total} names a cell twice`);
    if (members.reduce((s, m) => s + m.coef * values[m.cell], 0n) !== 0n) {
      throw new SuppressionInputError(`${e.total} (${e.total && input.cells[at(e.total)].value}) is not the sum of its parts`);
    }
    for (const m of members) equationsOf[m.cell].push(n);
    return members;
  });
  return { ids: input.cells.map((c) => c.id), values, equations, equationsOf, index };
}
