import { AdditiveEquation, suppress, SuppressionCell } from '@sne/core';
import { ACTION_STATES, ActionState } from './action-figures';

export interface FollowThroughCells {
  /** One row per notice action. */
  key: string;
  noticeId: string;
  counts: Record<ActionState, number>;
}

export type PublishedCounts = Record<ActionState | 'total', number | null>;

export interface SuppressedFollowThrough {
  rows: Map<string, PublishedCounts>;
  totals: PublishedCounts;
  suppressedCells: number;
}

/**
 * The follow-through table published with small-cell suppression: each count describes recipient
 * agencies' records, so a count under k could point at one agency's answer. Rows (notice actions)
 * × states with row totals, column totals and the grand total are suppressed as ONE system
 * (libs/core/src/aggregates), with complements so no margin gives a cell back. The actions of one
 * notice have the same recipients, so their row totals are equal: the system links them
 * (one-part equations), else a published sibling total would give a suppressed one back.
 */
export function suppressFollowThrough(rows: FollowThroughCells[], k: number): SuppressedFollowThrough {
  const cells: SuppressionCell[] = [];
  const equations: AdditiveEquation[] = [];
  const id = (row: string, col: string) => JSON.stringify([row, col]);
  const add = (cell: string, value: number) => cells.push({ id: cell, value });
  const colSums = Object.fromEntries(ACTION_STATES.map((s) => [s, 0])) as Record<ActionState, number>;
  const firstOfNotice = new Map<string, string>();
  for (const r of rows) {
    let total = 0;
    for (const s of ACTION_STATES) {
      add(id(r.key, s), r.counts[s]);
      total += r.counts[s];
      colSums[s] += r.counts[s];
    }
    add(id(r.key, 'total'), total);
    equations.push({ total: id(r.key, 'total'), parts: ACTION_STATES.map((s) => id(r.key, s)) });
    const first = firstOfNotice.get(r.noticeId);
    if (first === undefined) firstOfNotice.set(r.noticeId, r.key);
    else equations.push({ total: id(r.key, 'total'), parts: [id(first, 'total')] });
  }
  const grand = ACTION_STATES.reduce((sum, s) => sum + colSums[s], 0);
  if (rows.length) {
    for (const s of ACTION_STATES) {
      add(id('', s), colSums[s]);
      equations.push({ total: id('', s), parts: rows.map((r) => id(r.key, s)) });
    }
    add(id('', 'total'), grand);
    equations.push({ total: id('', 'total'), parts: ACTION_STATES.map((s) => id('', s)) });
    equations.push({ total: id('', 'total'), parts: rows.map((r) => id(r.key, 'total')) });
  }
  const result = rows.length ? suppress({ cells, equations, k }) : null;
  const read = (row: string): PublishedCounts =>
    Object.fromEntries([...ACTION_STATES, 'total'].map((s) => [s, result ? (result.published.get(id(row, s)) ?? null) : 0])) as PublishedCounts;
  return {
    rows: new Map(rows.map((r) => [r.key, read(r.key)])),
    totals: read(''),
    suppressedCells: result ? result.primary.size + result.complementary.size : 0,
  };
}
