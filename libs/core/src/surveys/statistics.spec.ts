import { percentileRank, quantile, quartiles, ranks, spearman } from './statistics';

describe("Spearman's rank correlation", () => {
  it('matches a hand computation: x 1..5, y 2,1,4,3,5 → Σd² = 4, rho = 1 − 6·4/(5·24) = 0.8', () => {
    const c = spearman([[1, 2], [2, 1], [3, 4], [4, 3], [5, 5]]);
    expect(c.n).toBe(5);
    expect(c.rho).toBeCloseTo(0.8, 12);
    // Fisher z with the Bonett–Wright variance: se = sqrt((1 + 0.32) / 2) = 0.8124; atanh(0.8) = 1.0986;
    // tanh(1.0986 ∓ 1.96 · 0.8124) = −0.4571 .. 0.9908.
    expect(c.lower).toBeCloseTo(-0.45712, 4);
    expect(c.upper).toBeCloseTo(0.99084, 4);
    expect(c.note).toMatch(/very wide interval: n = 5 is small; the interval includes 0/);
  });

  it('ranks ties by their mean rank, and works on values not ranks', () => {
    expect(ranks([10, 20, 20, 30])).toEqual([1, 2.5, 2.5, 4]);
    const c = spearman([[0.1, 3], [0.5, 9], [0.5, 9], [0.9, 12]]);
    expect(c.rho).toBeCloseTo(1, 12);
    expect(c.lower).toBeNull(); // a perfect agreement: Fisher z is infinite
    // Equal on paper, different in floating point (0.1 + 0.2 ≠ 0.3): still a tie.
    // x ranks 1.5, 1.5, 3, 4 (0.1 + 0.2 and 0.3 tie); y 2, 1, 3, 4 → Pearson of the ranks 0.9487 (unrounded, 0.1 + 0.2 would rank above 0.3 and give 1).
    expect(spearman([[0.1 + 0.2, 2], [0.3, 1], [0.5, 3], [0.9, 4]]).rho).toBeCloseTo(0.9486833, 6);
    const d = spearman([[1, 40], [2, 30], [3, 20], [4, 10], [5, 0], [6, -1]]);
    expect(d.rho).toBeCloseTo(-1, 12);
  });

  it('says when it cannot compute: fewer than 3 agencies, a constant figure, or no interval with n = 3', () => {
    expect(spearman([[1, 2], [2, 3]])).toMatchObject({ n: 2, rho: null, lower: null, upper: null });
    expect(spearman([[1, 2], [2, 2], [3, 2]]).rho).toBeNull();
    const three = spearman([[1, 1], [2, 3], [3, 2]]);
    expect(three.rho).toBeCloseTo(0.5, 12);
    expect(three.lower).toBeNull();
    expect(three.note).toMatch(/not computable with n = 3/);
    expect(spearman([[1, null], [2, 3], [3, undefined], [4, 1]]).n).toBe(2);
  });
});

describe('quantiles and percentile ranks', () => {
  it('interpolates like percentile_cont', () => {
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quartiles([4, 1, 3, 2])).toEqual({ n: 4, min: 1, q1: 1.75, median: 2.5, q3: 3.25, max: 4 });
    expect(quartiles([])).toEqual({ n: 0, min: null, q1: null, median: null, q3: null, max: null });
  });

  it('gives the mid-rank percentile', () => {
    expect(percentileRank([10, 20, 30, 40], 30)).toBe(62.5);
    expect(percentileRank([10, 20, 30, 40], 5)).toBe(0);
    expect(percentileRank([], 5)).toBeNull();
  });
});
