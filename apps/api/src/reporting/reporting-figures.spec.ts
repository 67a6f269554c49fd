import { findLeaks } from '../../../../libs/core/src/aggregates/leak-checker.spec-helpers';
import { contributions, differencingRisk, ReviewFact, RecommendationFact, ids } from './reporting-system';
import { median, ownFigures, partnershipFigures } from './reporting-figures';
import { lastQuarters, periodProblem, quartersBetween } from './reporting-facts';

const Q = ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'];

/** A deterministic pseudo-random sequence (so a failure repeats). */
function rng(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
}

function facts(seed: number, n: number): { reviews: ReviewFact[]; recs: RecommendationFact[] } {
  const r = rng(seed);
  const pick = <T>(list: T[]) => list[Math.floor(r() * list.length)];
  const reviews: ReviewFact[] = [];
  const recs: RecommendationFact[] = [];
  for (let i = 0; i < n; i++) {
    const jt = pick(['state', 'state', 'county', 'county', 'tribal']);
    const version = pick(['1', '2']);
    const items = version === '1' ? ['cp.workload', 'su.coaching', 'tr.equipment', 'ex.courts'] : ['cp.vacancies', 'cp.turnover', 'tc.handoffs', 'pp.policy-gap'];
    const quarter = pick(Q);
    reviews.push({ agencyId: `a-${jt}`, jurisdictionType: jt, incidentType: pick(['fatality', 'near_fatality', 'serious_injury']), quarter, instrumentVersion: version, contributedItems: items.filter(() => r() < 0.5) });
    for (let j = 0; j < 2; j++) {
      const done = r() < 0.5;
      recs.push({ agencyId: `a-${jt}`, jurisdictionType: jt, quarter, status: done ? 'implemented' : 'accepted', daysToImplement: done ? Math.floor(r() * 200) : null });
    }
  }
  return { reviews, recs };
}

describe('reporting figures: one suppressed system', () => {
  it('reads v1 and v2 items as their baseline items and domains, each once per review', () => {
    const c = contributions({ instrumentVersion: '2', contributedItems: ['cp.vacancies', 'cp.turnover', 'su.coaching'] });
    expect([...c.items].sort()).toEqual(['cp.turnover', 'su.coaching']);
    expect([...c.domains].sort()).toEqual(['caseworker-personnel', 'supervision']);
  });

  it('publishes exact counts, suppresses every count under k, and no published view gives one back', () => {
    for (const [seed, n] of [[1, 60], [42, 140]] as const) {
      const { reviews, recs } = facts(seed, n);
      const started = Date.now();
      const f = partnershipFigures(reviews, recs, Q, 5);
      expect(Date.now() - started).toBeLessThan(5000);
      const truth = new Map(f.system.cells.map((c) => [c.id, c.value]));
      for (const cell of f.incidents) {
        const t = truth.get(ids.cube(cell.incidentType, cell.quarter, cell.jurisdictionType))!;
        expect(t).toBe(reviews.filter((r) => (cell.incidentType === null || r.incidentType === cell.incidentType) && (cell.quarter === null || r.quarter === cell.quarter) && (cell.jurisdictionType === null || r.jurisdictionType === cell.jurisdictionType)).length);
        if (cell.count !== null) expect(cell.count).toBe(t);
        if (t > 0 && t < 5) expect(cell.count).toBeNull();
      }
      for (const row of f.heatMap) for (const cell of [...row.cells, row.all]) if (cell.status === 'shown') expect(cell.reviews! >= 5 && cell.contributing! >= 0).toBe(true);
      // The period's figures are sums of its quarters' published figures (reporting-periods.spec.ts
      // checks that, and every window together); so no view gives one back when no quarter's does.
      for (const q of Q) {
        const one = partnershipFigures(reviews, recs, [q], 5);
        expect(findLeaks(one.system, one.result.published, one.result.primary)).toEqual([]);
      }
    }
  });

  it('orders the items by their published count and puts suppressed ones last', () => {
    const { reviews, recs } = facts(3, 80);
    const f = partnershipFigures(reviews, recs, Q, 5);
    const shown = f.topItems.filter((i) => i.reviews !== null).map((i) => i.reviews!);
    expect(shown).toEqual([...shown].sort((a, b) => b - a));
    const firstHidden = f.topItems.findIndex((i) => i.reviews === null);
    if (firstHidden >= 0) expect(f.topItems.slice(firstHidden).every((i) => i.reviews === null)).toBe(true);
  });

  it('shows an agency its own figures in full', () => {
    const own = ownFigures(
      [
        { agencyId: 'a', jurisdictionType: 'tribal', incidentType: 'fatality', quarter: '2026-Q1', instrumentVersion: '1', contributedItems: ['cp.workload'] },
        { agencyId: 'a', jurisdictionType: 'tribal', incidentType: 'fatality', quarter: '2026-Q2', instrumentVersion: '2', contributedItems: [] },
      ],
      [{ agencyId: 'a', jurisdictionType: 'tribal', quarter: '2026-Q1', status: 'implemented', daysToImplement: 10 }],
      Q,
    );
    expect(own.reviews).toBe(2);
    expect(own.incidentsByType.fatality).toBe(2);
    expect(own.domains['caseworker-personnel']).toEqual({ contributing: 1, share: 0.5 });
    expect(own.recommendations).toEqual({ recommendations: 1, implemented: 1, rate: 1, medianDaysToImplement: 10 });
  });

  it('marks a figure another member could work out by taking away its own part', () => {
    expect(differencingRisk(10, [7, 3], 5)).toBe(true); // the first agency learns the second's 3
    expect(differencingRisk(10, [5, 5], 5)).toBe(false);
    expect(differencingRisk(10, [10], 5)).toBe(false); // one agency's own figure: nobody else in it
    expect(differencingRisk(0, [], 5)).toBe(false);
    const { reviews, recs } = facts(11, 90);
    const f = partnershipFigures(reviews, recs, Q, 5);
    for (const cell of f.incidents) {
      if (cell.count === null) continue;
      const mine = (a: string) => reviews.filter((r) => r.agencyId === a && (cell.incidentType === null || r.incidentType === cell.incidentType) && (cell.quarter === null || r.quarter === cell.quarter) && (cell.jurisdictionType === null || r.jurisdictionType === cell.jurisdictionType)).length;
      for (const a of ['a-state', 'a-county', 'a-tribal']) {
        const rest = cell.count - mine(a);
        expect(rest === 0 || rest >= 5).toBe(true);
      }
    }
  });

  it('computes medians and periods', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNull();
    expect(quartersBetween('2025-Q4', '2026-Q2')).toEqual(['2025-Q4', '2026-Q1', '2026-Q2']);
    expect(lastQuarters(new Date('2026-12-03T00:00:00Z'))).toEqual(Q);
    expect(periodProblem('2026-Q3', '2026-Q1')).toMatch(/after/);
    expect(periodProblem('2024-Q1', '2026-Q1')).toMatch(/at most/);
    expect(periodProblem('2026-Q5', '2026-Q1')).toMatch(/quarters like/);
    expect(periodProblem('2026-Q1', '2026-Q4')).toBeNull();
  });
});
