/**
 * Shares (numerator / denominator) by group, e.g. the share of reviews rating a domain ≥ 2 by
 * jurisdiction type, with an all-groups row. Several measures over the same denominators (one per
 * domain) go in ONE call, so a denominator hidden for one measure is hidden for all.
 *
 * The rule. We assume the reader knows, or can find, each group's denominator (we publish it when
 * safe), so a share is as revealing as its two counts: the numerator n and the remainder d − n.
 * - d in 1..k−1: the share is suppressed (too few units to say anything about).
 * - n in 1..k−1 ("2 of 40 reviews") or d − n in 1..k−1 ("all but 1 of 40"): suppressed, because
 *   those few units are singled out either way. Callers may opt out (protectNumerators: false)
 *   where the attribute says nothing about anyone, e.g. "reviews completed on time".
 * - n = 0 or n = d (0 % or 100 %) is shown: zeros are not sensitive under the product's rule. For
 *   survey answers, where "everyone answered X" discloses every respondent, do not publish such
 *   a share without thinking again.
 * Complements: the counts form one additive system (d = n + (d − n) per group and measure, and
 * every count of the all-groups row is the sum of the groups'), suppressed by suppression.ts, so no
 * margin or other measure gives a suppressed share back. A share is shown only when its
 * denominator, numerator and remainder are all published.
 */
import { AdditiveEquation, SuppressionCell, SuppressionInputError, SuppressionResult, suppress } from './suppression';

export interface ShareGroup {
  key: string;
  denominator: number;
  /** One numerator per measure id; each ≤ denominator. */
  numerators: Readonly<Record<string, number>>;
}

export interface ShareOptions {
  groups: ShareGroup[];
  /** Measure ids, e.g. one per review domain. */
  measures: string[];
  k: number;
  /** Add the all-groups row (default true). */
  total?: boolean;
  /** Treat numerators and remainders of 1..k−1 as sensitive (default true). */
  protectNumerators?: boolean;
}

export type ShareReason = 'shown' | 'no-data' | 'small-denominator' | 'small-numerator' | 'small-remainder' | 'complementary';

export interface PublishedShare {
  /** numerator / denominator, or null. */
  share: number | null;
  numerator: number | null;
  reason: ShareReason;
}

export interface ShareRow {
  /** null: the all-groups row. */
  key: string | null;
  denominator: number | null;
  shares: Record<string, PublishedShare>;
}

export interface SharesTable {
  rows: ShareRow[];
  total?: ShareRow;
  /** The underlying counts and their suppression, for audit and tests. */
  system: { cells: SuppressionCell[]; equations: AdditiveEquation[] };
  result: SuppressionResult;
}

/** Cell ids of the counts behind the shares (group null: the all-groups row); never clash with cube ids. */
export const shareCellIds = {
  denominator: (group: string | null) => `share:denominator:${JSON.stringify(group)}`,
  numerator: (measure: string, group: string | null) => `share:numerator:${JSON.stringify([measure, group])}`,
  remainder: (measure: string, group: string | null) => `share:remainder:${JSON.stringify([measure, group])}`,
};

/** The counts behind the shares as cells and additive equations. */
export function shareSystem(options: ShareOptions): { cells: SuppressionCell[]; equations: AdditiveEquation[] } {
  const { groups, measures } = options;
  if (new Set(groups.map((g) => g.key)).size !== groups.length) throw new SuppressionInputError('share group keys must be distinct');
  if (new Set(measures).size !== measures.length) throw new SuppressionInputError('measure ids must be distinct');
  const protect = options.protectNumerators ?? true;
  const withTotal = options.total ?? true;
  const cells: SuppressionCell[] = [];
  const equations: AdditiveEquation[] = [];
  const rows: Array<{ key: string | null; denominator: number; numerators: Record<string, number> }> = groups.map((g) => {
    for (const m of measures) {
      const n = g.numerators[m];
      if (n === undefined) throw new SuppressionInputError(`group ${g.key} has no numerator for ${m}`);
      if (!Number.isSafeInteger(n) || n < 0 || n > g.denominator) throw new SuppressionInputError(`group ${g.key}, ${m}: numerator must be an integer in 0..denominator (got ${n} of ${g.denominator})`);
    }
    return { key: g.key, denominator: g.denominator, numerators: { ...g.numerators } };
  });
  if (withTotal) {
    rows.push({
      key: null,
      denominator: groups.reduce((s, g) => s + g.denominator, 0),
      numerators: Object.fromEntries(measures.map((m) => [m, groups.reduce((s, g) => s + g.numerators[m], 0)])),
    });
  }
  for (const row of rows) {
    cells.push({ id: shareCellIds.denominator(row.key), value: row.denominator });
    for (const m of measures) {
      const n = row.numerators[m];
      cells.push({ id: shareCellIds.numerator(m, row.key), value: n, ...(protect ? {} : { sensitive: false }) });
      cells.push({ id: shareCellIds.remainder(m, row.key), value: row.denominator - n, ...(protect ? {} : { sensitive: false }) });
      equations.push({ total: shareCellIds.denominator(row.key), parts: [shareCellIds.numerator(m, row.key), shareCellIds.remainder(m, row.key)] });
    }
  }
  if (withTotal) {
    const keys = groups.map((g) => g.key);
    equations.push({ total: shareCellIds.denominator(null), parts: keys.map(shareCellIds.denominator) });
    for (const m of measures) {
      equations.push({ total: shareCellIds.numerator(m, null), parts: keys.map((g) => shareCellIds.numerator(m, g)) });
      equations.push({ total: shareCellIds.remainder(m, null), parts: keys.map((g) => shareCellIds.remainder(m, g)) });
    }
  }
  return { cells, equations };
}

export function suppressShares(options: ShareOptions): SharesTable {
  const system = shareSystem(options);
  return viewShares(options, suppress({ ...system, k: options.k }), system);
}

/**
 * Reads the shares out of a suppression result that covers shareSystem(options) (alone, or merged
 * with other counts they overlap: see cubeSystem()).
 */
export function viewShares(
  options: ShareOptions,
  result: SuppressionResult,
  system: { cells: SuppressionCell[]; equations: AdditiveEquation[] } = shareSystem(options),
): SharesTable {  const shown = (id: string) => result.published.get(id)!;
  const row = (key: string | null): ShareRow => {
    const denominator = shown(shareCellIds.denominator(key));
    const shares: Record<string, PublishedShare> = {};
    for (const m of options.measures) {
      const ids = [shareCellIds.denominator(key), shareCellIds.numerator(m, key), shareCellIds.remainder(m, key)];
      const numerator = shown(ids[1]);
      let reason: ShareReason = 'complementary';
      if (denominator === 0) reason = 'no-data';
      else if (ids.every((id) => shown(id) !== null)) reason = 'shown';
      else if (result.primary.has(ids[0])) reason = 'small-denominator';
      else if (result.primary.has(ids[1])) reason = 'small-numerator';
      else if (result.primary.has(ids[2])) reason = 'small-remainder';
      shares[m] = { share: reason === 'shown' ? numerator! / denominator! : null, numerator, reason };
    }
    return { key, denominator, shares };
  };
  return {
    rows: options.groups.map((g) => row(g.key)),
    ...((options.total ?? true) ? { total: row(null) } : {}),
    system,
    result,
  };
}
