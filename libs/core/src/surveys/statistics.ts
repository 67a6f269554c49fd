/**
 * Small statistics for comparing agencies: Spearman's rank correlation with a confidence interval,
 * quantiles and percentile ranks. Pure functions; hand-computed examples in statistics.spec.ts.
 */
import { Z95 } from './scoring';

/** Ranks 1..n, ties given the mean of the ranks they span. */
export function ranks(xs: number[]): number[] {
  const order = xs.map((x, i) => ({ x, i })).sort((a, b) => a.x - b.x);
  const out = new Array<number>(xs.length);
  for (let s = 0; s < order.length; ) {
    let e = s;
    while (e + 1 < order.length && order[e + 1].x === order[s].x) e++;
    const rank = (s + e) / 2 + 1;
    for (let j = s; j <= e; j++) out[order[j].i] = rank;
    s = e + 1;
  }
  return out;
}

function pearson(x: number[], y: number[]): number | null {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null;
}

export interface Correlation {
  n: number;
  /** Spearman's rho; null when n < 3 or one variable does not vary. */
  rho: number | null;
  /** 95% interval; null when not computable (n < 4, or rho = ±1). */
  lower: number | null;
  upper: number | null;
  /** Plain words on how far to trust it. */
  note: string;
}

/**
 * Spearman's rho: Pearson's correlation of the ranks (ties: mean ranks). The 95% interval is
 * Fisher's z with the BONETT–WRIGHT variance for Spearman, (1 + rho²/2) / (n − 3):
 * tanh(atanh(rho) ± 1.96 · sqrt((1 + rho²/2) / (n − 3))). Pairs with a missing side are left out.
 */
export function spearman(pairs: Array<[number | null | undefined, number | null | undefined]>): Correlation {
  const ok = pairs.filter((p): p is [number, number] => typeof p[0] === 'number' && Number.isFinite(p[0]) && typeof p[1] === 'number' && Number.isFinite(p[1]));
  const n = ok.length;
  if (n < 3) return { n, rho: null, lower: null, upper: null, note: `not computable: ${n} ${n === 1 ? 'agency' : 'agencies'} (at least 3 needed)` };
  // Rounded first, so figures equal on paper (a mean computed two ways) tie as they should.
  const tidy = (v: number) => Math.round(v * 1e9) / 1e9;
  const rho = pearson(ranks(ok.map((p) => tidy(p[0]))), ranks(ok.map((p) => tidy(p[1]))));
  if (rho === null) return { n, rho: null, lower: null, upper: null, note: 'not computable: one of the two figures is the same for every agency' };
  if (n < 4 || Math.abs(rho) >= 1) return { n, rho, lower: null, upper: null, note: `interval not computable with n = ${n}${Math.abs(rho) >= 1 ? ' and a perfect rank agreement' : ''}: read this as no evidence either way` };
  const se = Math.sqrt((1 + (rho * rho) / 2) / (n - 3));
  const z = Math.atanh(rho);
  const lower = Math.tanh(z - Z95 * se);
  const upper = Math.tanh(z + Z95 * se);
  const wide = upper - lower > 1 ? `very wide interval: n = ${n} is small` : n < 10 ? `n = ${n} is small` : `n = ${n}`;
  return { n, rho, lower, upper, note: lower <= 0 && upper >= 0 ? `${wide}; the interval includes 0 (no clear association)` : wide };
}

/** Quantile q of sorted values, linear between order statistics (as PostgreSQL's percentile_cont). */
export function quantile(sorted: number[], q: number): number | null {
  if (!sorted.length) return null;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export interface Quartiles {
  n: number;
  min: number | null;
  q1: number | null;
  median: number | null;
  q3: number | null;
  max: number | null;
}

export function quartiles(values: number[]): Quartiles {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, min: s[0] ?? null, q1: quantile(s, 0.25), median: quantile(s, 0.5), q3: quantile(s, 0.75), max: s.length ? s[s.length - 1] : null };
}

/** Percentile rank 0..100 of x among values (mid-rank: below + half of the equal ones, over n). */
export function percentileRank(values: number[], x: number): number | null {
  if (!values.length) return null;
  const below = values.filter((v) => v < x).length;
  const equal = values.filter((v) => v === x).length;
  return (100 * (below + equal / 2)) / values.length;
}
