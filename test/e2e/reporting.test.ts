/**
 * Partnership reporting on the real stack, against a hand-built fixture: approved reviews of five
 * agencies (two states, a county, a tribe, and a county that withdrew its data-sharing agreement)
 * over the four quarters of 2025, written through the one write path (insertReviewRecord), plus
 * drafts and an amendment in progress that must count nowhere. Every figure below is worked out
 * by hand from the fixture table (the arithmetic is next to each expectation). Then: exports
 * (null in JSON, "suppressed" in CSV), the agency view, the data dictionary, a leak check over
 * every published table and margin together (the suppress branch's independent checker), and no
 * figure a member could difference down to another agency's small part with its own reviews.
 */
import { parse } from 'csv-parse/sync';
import { insertReviewRecord, IncidentType, ReviewRecordInput, shareCellIds, writeVersionRows } from '@sne/core';
import { findLeaks } from '../../libs/core/src/aggregates/leak-checker.spec-helpers';
import { DOMAINS, ids, ITEMS, reportingSystem, ReviewFact, RecommendationFact, JURISDICTIONS } from '../../apps/api/src/reporting/reporting-system';
import { startStack, Stack } from '../support/stack';
import { apiClient, createAgency, TestAgency } from '../support/fixtures';

const Q = ['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4'];
const PERIOD = 'from=2025-Q1&to=2025-Q4';
const K = 5;

/** Rating patterns: the items rated 2 (every other item of the version 0). */
const PATTERNS: Record<'A' | 'B' | 'C' | 'D', { version: string; items: string[] }> = {
  A: { version: '1', items: ['fc.caregiver-substance-use', 'cp.workload'] },
  B: { version: '1', items: [] },
  // v2: two items that both continue cp.turnover (a review counts once for it), and ex.courts.
  C: { version: '2', items: ['cp.vacancies', 'cp.turnover', 'ex.courts'] },
  D: { version: '1', items: ['ex.courts'] },
};

type Who = 'S1' | 'S2' | 'C' | 'T' | 'X';
interface Group {
  who: Who;
  type: IncidentType;
  quarter: number;
  n: number;
  pattern: keyof typeof PATTERNS;
  /** One recommendation per review: implemented after these days (one per review), or 'accepted'. */
  rec?: number[] | 'accepted';
}
const days = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

// The fixture. State = S1 + S2, county = C, tribal = T; X withdrew its agreement (out of everything).
const GROUPS: Group[] = [
  { who: 'S1', type: 'fatality', quarter: 0, n: 3, pattern: 'A', rec: days(3, (i) => 10 * (i + 1)) }, // 10 20 30
  { who: 'S2', type: 'fatality', quarter: 0, n: 3, pattern: 'A', rec: days(3, (i) => 10 * (i + 4)) }, // 40 50 60
  { who: 'S1', type: 'fatality', quarter: 1, n: 5, pattern: 'A', rec: days(5, (i) => 10 * (i + 7)) }, // 70..110
  { who: 'S2', type: 'fatality', quarter: 3, n: 7, pattern: 'A', rec: days(7, (i) => 10 * (i + 12)) }, // 120..180
  { who: 'S1', type: 'near_fatality', quarter: 0, n: 5, pattern: 'B', rec: 'accepted' },
  { who: 'S1', type: 'near_fatality', quarter: 1, n: 6, pattern: 'B', rec: 'accepted' },
  { who: 'S1', type: 'near_fatality', quarter: 2, n: 5, pattern: 'B', rec: 'accepted' },
  { who: 'S1', type: 'near_fatality', quarter: 3, n: 5, pattern: 'B', rec: 'accepted' },
  { who: 'S2', type: 'serious_injury', quarter: 0, n: 8, pattern: 'C' },
  { who: 'S2', type: 'serious_injury', quarter: 1, n: 2, pattern: 'C' },
  { who: 'S2', type: 'serious_injury', quarter: 2, n: 6, pattern: 'C' },
  { who: 'S2', type: 'serious_injury', quarter: 3, n: 5, pattern: 'C' },
  { who: 'C', type: 'fatality', quarter: 0, n: 5, pattern: 'A', rec: days(5, () => 40) },
  { who: 'C', type: 'fatality', quarter: 1, n: 5, pattern: 'A', rec: days(5, () => 40) },
  { who: 'C', type: 'near_fatality', quarter: 2, n: 6, pattern: 'C' },
  { who: 'C', type: 'serious_injury', quarter: 3, n: 1, pattern: 'B' },
  { who: 'T', type: 'fatality', quarter: 1, n: 3, pattern: 'D', rec: days(3, () => 5) },
  { who: 'T', type: 'serious_injury', quarter: 0, n: 5, pattern: 'D' },
  { who: 'X', type: 'fatality', quarter: 0, n: 4, pattern: 'A', rec: days(4, () => 1) },
];
const JT: Record<Who, string> = { S1: 'state', S2: 'state', C: 'county', T: 'tribal', X: 'county' };

function ratingsOf(pattern: keyof typeof PATTERNS, value = 2, others = 0): Record<string, number> {
  const { version, items } = PATTERNS[pattern];
  const all = version === '1' ? ITEMS().map((i) => i.id) : [...ITEMS().map((i) => i.id), 'cp.vacancies'];
  return Object.fromEntries(all.map((id) => [id, items.includes(id) ? value : others]));
}

function record(g: Group, i: number): ReviewRecordInput {
  const rec = g.rec === undefined ? [] : g.rec === 'accepted' ? [{ text: 'Add a caregiver reassessment step.', owner: 'agency' as const, status: 'accepted' as const }] : [{ text: 'Add a caregiver reassessment step.', owner: 'agency' as const, status: 'implemented' as const, implementedOn: isoPlus('2025-06-01', g.rec[i]) }];
  return {
    incident: { incidentType: g.type, incidentYear: 2025, incidentMonth: g.quarter * 3 + 1 + (i % 3), ageBand: 'under_1', priorInvolvement: 'none', priorRecency: null, circumstances: ['unsafe_sleep'] },
    instrumentVersion: PATTERNS[g.pattern].version,
    ratings: ratingsOf(g.pattern),
    findings: [],
    recommendations: rec,
  };
}
const isoPlus = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** The same fixture as facts, for the leak check's equations (independent of the SQL). */
function fixtureFacts(): { reviews: ReviewFact[]; recs: RecommendationFact[] } {
  const reviews: ReviewFact[] = [];
  const recs: RecommendationFact[] = [];
  for (const g of GROUPS.filter((x) => x.who !== 'X')) {
    for (let i = 0; i < g.n; i++) {
      reviews.push({ agencyId: g.who, jurisdictionType: JT[g.who], incidentType: g.type, quarter: Q[g.quarter], instrumentVersion: PATTERNS[g.pattern].version, contributedItems: PATTERNS[g.pattern].items });
      if (g.rec) recs.push({ agencyId: g.who, jurisdictionType: JT[g.who], quarter: Q[g.quarter], status: g.rec === 'accepted' ? 'accepted' : 'implemented', daysToImplement: g.rec === 'accepted' ? null : g.rec[i] });
    }
  }
  return { reviews, recs };
}

describe('partnership reporting', () => {
  let stack: Stack;
  let call: ReturnType<typeof apiClient>;
  const a = {} as Record<Who | 'P', TestAgency>;
  let report: any;

  beforeAll(async () => {
    stack = await startStack();
    call = apiClient(stack.url);
    const roles = ['agency_admin', 'review_lead', 'approver', 'reviewer'] as const;
    a.S1 = await createAgency(stack.db, { name: 'State One', type: 'state', roles: [...roles] });
    a.S2 = await createAgency(stack.db, { name: 'State Two', type: 'state', roles: [...roles] });
    a.C = await createAgency(stack.db, { name: 'County', type: 'county', roles: [...roles] });
    a.T = await createAgency(stack.db, { name: 'Tribe', type: 'tribal', roles: [...roles] });
    a.X = await createAgency(stack.db, { name: 'Withdrawn County', type: 'county', roles: [...roles] });
    a.P = await createAgency(stack.db, { name: 'Partnership', type: 'federal', roles: ['admin', 'analyst'] });
    // Agreements through the API; X signs, then withdraws (an empty covers).
    for (const w of ['S1', 'S2', 'C', 'T', 'X'] as const) {
      const res = await call('POST', `/api/v1/agencies/${a[w].id}/data-sharing`, { key: a[w].keys.agency_admin, body: { covers: ['incidents'], signedOn: '2025-01-10', note: 'signed by the director' } });
      expect(res.status).toBe(201);
    }
    expect((await call('POST', `/api/v1/agencies/${a.X.id}/data-sharing`, { key: a.X.keys.agency_admin, body: { covers: [], signedOn: '2025-02-01' } })).status).toBe(201);

    await stack.db.transaction(async (m) => {
      for (const g of GROUPS) {
        for (let i = 0; i < g.n; i++) {
          const r = await insertReviewRecord(m, a[g.who].id, a[g.who].userIds.review_lead!, record(g, i), { status: 'approved', leadId: a[g.who].userIds.review_lead!, year: 2025 });
          await m.query(`UPDATE incident_reviews SET submitted_by = $2, approved_by = $3 WHERE id = $1`, [r.reviewId, a[g.who].userIds.review_lead, a[g.who].userIds.approver]);
        }
      }
      // Drafts count nowhere: two state fatalities in Q3 (where the approved count is 0).
      for (let i = 0; i < 2; i++) await insertReviewRecord(m, a.S1.id, a.S1.userIds.reviewer!, record({ who: 'S1', type: 'fatality', quarter: 2, n: 2, pattern: 'A' }, i), { status: 'draft', year: 2025 });
      // An amendment in progress: one approved S1 near fatality (pattern B, nothing contributed) gets a version 2 rating everything 3.
      const [amended] = await m.query(
        `SELECT r.id FROM incident_reviews r JOIN critical_incidents i ON i.id = r.incident_id WHERE r.agency_id = $1 AND i.incident_type = 'near_fatality' AND r.approved_version = 1 LIMIT 1`,
        [a.S1.id],
      );
      await m.query(`UPDATE incident_reviews SET version = 2, status = 'draft' WHERE id = $1`, [amended.id]);
      await writeVersionRows(m, amended.id, 2, { ratings: ratingsOf('B', 3, 3), findings: [] });
      // Recommendations were made on 2025-06-01 (the time to implement counts from there).
      await m.query(`UPDATE review_recommendations SET created_at = '2025-06-01T12:00:00Z'`);
    });
    const res = await call('GET', `/api/v1/reporting/partnership?${PERIOD}`, { key: a.P.keys.analyst });
    expect(res.status).toBe(200);
    report = res.body;
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  const cell = (t: string | null, q: string | null, j: string | null) => report.incidents.find((c: any) => c.incidentType === t && c.quarter === q && c.jurisdictionType === j).count;
  /** The hand count of the fixture (X excluded): the figure every published cell must equal. */
  const truth = (t: string | null, q: string | null, j: string | null) =>
    GROUPS.filter((g) => g.who !== 'X' && (t === null || g.type === t) && (q === null || Q[g.quarter] === q) && (j === null || JT[g.who] === j)).reduce((s, g) => s + g.n, 0);

  it('counts approved reviews of agencies with an agreement in force, by type × quarter × jurisdiction type', () => {
    expect(report.k).toBe(K);
    expect(report.quarters).toEqual(Q);
    expect(report.contributingAgencies).toBeGreaterThanOrEqual(4);
    // 85 = state 60 (fatality 6+5+7, near 5+6+5+5, serious 8+2+6+5) + county 17 (5+5+6+1) + tribal 8 (3+5); X's 4, the 2 drafts: nowhere.
    expect(cell(null, null, null)).toBe(85);
    // Q2's state figure, 13, is S1's 11 + S2's 2: S1 would learn S2's 2, so it is suppressed in Q2, and
    // a figure over several quarters is shown only when each quarter's is (the year's 60 too).
    expect(cell(null, '2025-Q2', 'state')).toBeNull();
    expect(cell(null, null, 'state')).toBeNull();
    // Fatalities: 18 state + 10 county + 3 tribal = 31 where shown; Q2's 3 tribal ones are suppressed in
    // Q2, with complements there, so whether the year's total is shown depends on Q2's (checked below).
    if (cell('fatality', null, null) !== null) expect(cell('fatality', null, null)).toBe(31);
    expect(cell('fatality', '2025-Q3', 'state')).toBe(0); // the drafts are not counted
    for (const c of report.incidents) {
      const t = truth(c.incidentType, c.quarter, c.jurisdictionType);
      if (c.count !== null) expect(c.count).toBe(t);
      if (t > 0 && t < K) expect(c.count).toBeNull();
    }
    // The small cells, each suppressed: 2 state serious injuries in Q2, 1 county serious injury in Q4, 3 tribal fatalities in Q2.
    expect(cell('serious_injury', '2025-Q2', 'state')).toBeNull();
    expect(cell('serious_injury', '2025-Q4', 'county')).toBeNull();
    expect(cell('fatality', '2025-Q2', 'tribal')).toBeNull();
    expect(cell('fatality', null, 'tribal')).toBeNull();
  });

  it("suppresses a figure that a member could difference down to another agency's small part with its own reviews", () => {
    // State fatalities in Q1: 6 = S1's 3 + S2's 3. Each state knows its own 3, so 6 would tell it the other's 3.
    expect(cell('fatality', '2025-Q1', 'state')).toBeNull();
    // No published cube cell minus any one agency's own part leaves 1..k−1.
    const own = (w: Who, t: string | null, q: string | null, j: string | null) =>
      GROUPS.filter((g) => g.who === w && (t === null || g.type === t) && (q === null || Q[g.quarter] === q) && (j === null || JT[g.who] === j)).reduce((s, g) => s + g.n, 0);
    for (const c of report.incidents) {
      if (c.count === null) continue;
      for (const w of ['S1', 'S2', 'C', 'T'] as const) {
        const rest = c.count - own(w, c.incidentType, c.quarter, c.jurisdictionType);
        if (rest > 0 && rest < K) throw new Error(`${JSON.stringify(c)} minus ${w}'s own part leaves ${rest}`);
      }
    }
  });

  it('builds the heat map from the approved versions, v1 and v2 together, suppressing small numerators and remainders', () => {
    const row = (d: string) => report.heatMap.find((h: any) => h.domain === d);
    const at = (d: string, j: string | null) => (j === null ? row(d).all : row(d).cells[report.jurisdictionTypes.indexOf(j)]);
    // family-child: pattern A only. State 18/60, county 10/17, tribal 0/8 (a zero is shown), all 28/85.
    // The year's figures are the sums of the quarters' (a complement in one quarter hides the year's: checked below).
    const fc = at('family-child', null);
    expect(fc.reviews).toBe(85);
    if (fc.status === 'shown') expect(fc).toEqual({ reviews: 85, contributing: 28, share: Math.round((28 / 85) * 10000) / 10000, status: 'shown' });
    for (const [j, n, d] of [['state', 18, 60], ['county', 10, 17], ['tribal', 0, 8]] as const) {
      const c = at('family-child', j);
      if (c.status === 'shown') expect(c).toEqual({ reviews: d, contributing: n, share: Math.round((n / d) * 10000) / 10000, status: 'shown' });
    }
    // caseworker-personnel: A (cp.workload) or C (cp.vacancies/cp.turnover, v2). County 10 + 6 = 16 of 17: "all but one" is suppressed.
    expect(at('caseworker-personnel', 'county')).toMatchObject({ share: null, status: 'suppressed' });
    // The amended review's unapproved version (every item 3) changes nothing: culture-climate is rated by nobody.
    expect(at('culture-climate', null)).toEqual({ reviews: 85, contributing: 0, share: 0, status: 'shown' });
    // external-environment: C or D. All: state 21 + county 6 + tribal 8 = 35 of 85; tribal 8 of 8 (everyone) is shown.
    if (at('external-environment', null).contributing !== null) expect(at('external-environment', null).contributing).toBe(35);
  });

  it('lists the most frequent contributing items by baseline item, a review once per item', () => {
    const shown = report.topItems.filter((i: any) => i.reviews !== null);
    // ex.courts 35 (C 27 + D 8); cp.workload 28 and fc.caregiver-substance-use 28 (A); cp.turnover 27 (C, once per
    // review though two v2 items map to it); every other item 0. Each shown where every quarter's count is (below).
    const hand: Record<string, number> = { 'ex.courts': 35, 'cp.workload': 28, 'fc.caregiver-substance-use': 28, 'cp.turnover': 27 };
    for (const i of shown) expect([i.item, i.reviews]).toEqual([i.item, hand[i.item] ?? 0]);
    expect(shown.map((i: any) => i.reviews)).toEqual([...shown.map((i: any) => i.reviews)].sort((x, y) => y - x));
    expect(shown.filter((i: any) => i.reviews > 0).length).toBeGreaterThan(0);
  });

  it('reports the recommendation implementation rate and the median days to implement', () => {
    const all = report.recommendations.find((r: any) => r.jurisdictionType === null);
    // 52 recommendations (state 18 + 21, county 10, tribal 3), 31 implemented (18 + 10 + 3); X's are out.
    // Sorted days: 5 5 5 10 20 30, then eleven 40s (county's ten and one state), 50..180: the 16th of 31 is 40.
    expect(all).toEqual({ jurisdictionType: null, recommendations: 52, implemented: 31, rate: Math.round((31 / 52) * 10000) / 10000, medianDaysToImplement: 40, status: 'shown' });
    const tribal = report.recommendations.find((r: any) => r.jurisdictionType === 'tribal');
    expect(tribal.rate).toBeNull(); // 3 recommendations: fewer than k
    const state = report.recommendations.find((r: any) => r.jurisdictionType === 'state');
    if (state.status === 'shown') expect(state).toMatchObject({ recommendations: 39, implemented: 18, medianDaysToImplement: 95 }); // 10..180: (90 + 100) / 2
  });

  it('gives no suppressed cell back: every published table and margin together (the independent leak checker)', () => {
    const { reviews, recs } = fixtureFacts();
    const system = reportingSystem(reviews, recs, Q, K);
    const published = new Map<string, number | null>();
    const put = (id: string, v: number | null) => {
      if (published.has(id) && published.get(id) !== v) throw new Error(`${id} published twice: ${published.get(id)} and ${v}`);
      published.set(id, v);
    };
    const share = (idOf: (id: string) => string, measure: string, group: string | null, c: { reviews: number | null; contributing: number | null }) => {
      put(idOf(shareCellIds.denominator(group)), c.reviews);
      put(idOf(shareCellIds.numerator(measure, group)), c.contributing);
      put(idOf(shareCellIds.remainder(measure, group)), c.reviews !== null && c.contributing !== null ? c.reviews - c.contributing : null);
    };
    for (const c of report.incidents) put(ids.cube(c.incidentType, c.quarter, c.jurisdictionType), c.count);
    for (const h of report.heatMap) {
      JURISDICTIONS.forEach((j, i) => share(system.heatId, h.domain, j, h.cells[i]));
      share(system.heatId, h.domain, null, h.all);
    }
    for (const t of report.domainTrends) share(system.trendId, t.domain, t.quarter, t);
    for (const i of report.topItems) share(system.itemsId, i.item, 'all', { reviews: cell(null, null, null), contributing: i.reviews });
    for (const r of report.recommendations) share(system.recId, 'implemented', r.jurisdictionType, { reviews: r.recommendations, contributing: r.implemented });
    // Every cell of the system is published by some table (nothing is left out of the check), and truly.
    expect(system.cells.filter((c) => !published.has(c.id)).map((c) => c.id)).toEqual([]);
    for (const c of system.cells) if (published.get(c.id) !== null) expect([c.id, published.get(c.id)]).toEqual([c.id, c.value]);
    const primary = system.cells.filter((c) => c.value > 0 && (c.sensitive ?? c.value < K)).map((c) => c.id);
    expect(primary.length).toBeGreaterThan(5);
    for (const id of primary) expect([id, published.get(id)]).toEqual([id, null]);
    expect(findLeaks(system, published, primary)).toEqual([]);
    expect(DOMAINS().length).toBe(report.heatMap.length);
  });

  it("makes every figure of the year from the four quarters' own figures, as one-quarter reports show them", async () => {
    const quarters: any[] = [];
    for (const q of Q) quarters.push((await call('GET', `/api/v1/reporting/partnership?from=${q}&to=${q}`, { key: a.P.keys.analyst })).body);
    const sum = (parts: Array<number | null>) => (parts.includes(null) ? null : parts.reduce((x, y) => x! + y!, 0));
    const countIn = (r: any, t: string | null, q: string | null, j: string | null) => r.incidents.find((c: any) => c.incidentType === t && c.quarter === q && c.jurisdictionType === j).count;
    for (const c of report.incidents) {
      const expected = c.quarter === null ? sum(quarters.map((r, i) => countIn(r, c.incidentType, Q[i], c.jurisdictionType))) : countIn(quarters[Q.indexOf(c.quarter)], c.incidentType, c.quarter, c.jurisdictionType);
      expect([c, c.count]).toEqual([c, expected]);
    }
    report.heatMap.forEach((h: any, d: number) => {
      [...h.cells, h.all].forEach((cellOf: any, j: number) => {
        const parts = quarters.map((r) => (j < h.cells.length ? r.heatMap[d].cells[j] : r.heatMap[d].all));
        expect([h.domain, j, cellOf.reviews, cellOf.contributing]).toEqual([h.domain, j, sum(parts.map((p) => p.reviews)), sum(parts.map((p) => p.contributing))]);
      });
    });
    for (const i of report.topItems) expect([i.item, i.reviews]).toEqual([i.item, sum(quarters.map((r) => r.topItems.find((x: any) => x.item === i.item).reviews))]);
    for (const r of report.recommendations) {
      const parts = quarters.map((x) => x.recommendations.find((y: any) => y.jurisdictionType === r.jurisdictionType));
      expect([r.jurisdictionType, r.recommendations, r.implemented]).toEqual([r.jurisdictionType, sum(parts.map((p) => p.recommendations)), sum(parts.map((p) => p.implemented))]);
    }
    // The trend's quarters are the quarters' own figures.
    for (const t of report.domainTrends) expect(t).toEqual(quarters[Q.indexOf(t.quarter)].domainTrends.find((x: any) => x.domain === t.domain));
  });

  it('exports: null in JSON, "suppressed" in CSV, empty where there is no data', async () => {
    const json = await call('GET', `/api/v1/reporting/partnership/export?table=incidents&format=json&${PERIOD}`, { key: a.P.keys.admin });
    expect(json.status).toBe(200);
    const small = json.body.items.find((r: any) => r.incidentType === 'serious_injury' && r.quarter === '2025-Q2' && r.jurisdictionType === 'state');
    expect(small.count).toBeNull();
    expect(json.body.items.find((r: any) => r.incidentType === 'all' && r.quarter === 'all' && r.jurisdictionType === 'all').count).toBe(85);
    const csv = await call('GET', `/api/v1/reporting/partnership/export?table=incidents&format=csv&${PERIOD}`, { key: a.P.keys.analyst });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = parse(csv.text, { columns: true }) as Record<string, string>[];
    expect(rows.find((r) => r.incidentType === 'serious_injury' && r.quarter === '2025-Q2' && r.jurisdictionType === 'state')!.count).toBe('suppressed');
    expect(rows.find((r) => r.incidentType === 'all' && r.quarter === 'all' && r.jurisdictionType === 'all')!.count).toBe('85');
    expect(rows.filter((r) => r.count === 'suppressed').length).toBe(json.body.items.filter((r: any) => r.count === null).length);
    const heat = parse((await call('GET', `/api/v1/reporting/partnership/export?table=heat-map&format=csv&${PERIOD}`, { key: a.P.keys.analyst })).text, { columns: true }) as Record<string, string>[];
    expect(heat.find((r) => r.domain === 'caseworker-personnel' && r.jurisdictionType === 'county')!.share).toBe('suppressed');
    expect(heat.find((r) => r.domain === 'family-child' && r.jurisdictionType === 'federal')).toMatchObject({ share: '', status: 'no-data' });
    for (const t of ['items', 'recommendations', 'domain-trends']) expect((await call('GET', `/api/v1/reporting/partnership/export?table=${t}&format=csv&${PERIOD}`, { key: a.P.keys.analyst })).status).toBe(200);
    expect((await call('GET', `/api/v1/reporting/partnership/export?table=nope&${PERIOD}`, { key: a.P.keys.analyst })).status).toBe(400);
    expect((await call('GET', `/api/v1/reporting/partnership?from=2025-Q4&to=2025-Q1`, { key: a.P.keys.analyst })).status).toBe(400);
    expect((await call('GET', `/api/v1/reporting/partnership?from=2023-Q1&to=2025-Q1`, { key: a.P.keys.analyst })).status).toBe(400);
  });

  it("shows an agency its own figures in full beside the partnership's suppressed ones", async () => {
    // The tribe: its own 3 fatalities in full, while the partnership's tribal fatality cell is suppressed.
    const t = await call('GET', `/api/v1/reporting/agency?${PERIOD}`, { key: a.T.keys.reviewer });
    expect(t.status).toBe(200);
    expect(t.body.agency).toMatchObject({ id: a.T.id, jurisdictionType: 'tribal', contributing: true });
    expect(t.body.reviews).toBe(8);
    // The partnership column is the partnership report's own figure (suppressed or not), never a figure of its own.
    expect(t.body.incidentsByType.find((x: any) => x.key === 'fatality')).toEqual({ key: 'fatality', own: 3, partnership: cell('fatality', null, null) });
    expect(t.body.recommendations.own).toEqual({ recommendations: 3, implemented: 3, rate: 1, medianDaysToImplement: 5 });
    expect(t.body.recommendations.partnership.rate).toBe(Math.round((31 / 52) * 10000) / 10000);
    // S1 after its amendment: the approved version counts (pattern B: no near fatality contributed anything).
    const s1 = await call('GET', `/api/v1/reporting/agency?${PERIOD}`, { key: a.S1.keys.review_lead });
    expect(s1.body.reviews).toBe(29); // fatality 3 + 5, near fatality 21; the drafts are not counted
    expect(s1.body.domains.find((d: any) => d.domain === 'culture-climate').own).toEqual({ contributing: 0, share: 0 });
    expect(s1.body.domains.find((d: any) => d.domain === 'family-child').own).toEqual({ contributing: 8, share: Math.round((8 / 29) * 10000) / 10000 });
    // X withdrew: its own figures are its own, but it is in no partnership figure (85 without its 4).
    const x = await call('GET', `/api/v1/reporting/agency?${PERIOD}`, { key: a.X.keys.agency_admin });
    expect(x.body.agency.contributing).toBe(false);
    expect(x.body.incidentsByType.find((r: any) => r.key === 'all')).toEqual({ key: 'all', own: 4, partnership: 85 });
    const csv = parse((await call('GET', `/api/v1/reporting/agency/export?table=incidents-by-quarter&format=csv&${PERIOD}`, { key: a.T.keys.reviewer })).text, { columns: true }) as Record<string, string>[];
    expect(csv.map((r) => r.own)).toEqual(['5', '3', '0', '0']);
  });

  it('keeps a history of agreements; withdrawing takes an agency out of every figure at once', async () => {
    const h = await call('GET', `/api/v1/agencies/${a.X.id}/data-sharing`, { key: a.X.keys.reviewer });
    expect(h.status).toBe(200);
    expect(h.body.contributing).toBe(false);
    expect(h.body.items.map((i: any) => i.covers)).toEqual([[], ['incidents']]);
    expect((await call('GET', `/api/v1/agencies/${a.X.id}/data-sharing`, { key: a.S1.keys.agency_admin })).status).toBe(404);
    expect((await call('POST', `/api/v1/agencies/${a.X.id}/data-sharing`, { key: a.S1.keys.agency_admin, body: { covers: ['incidents'], signedOn: '2025-01-01' } })).status).toBe(404);
    expect((await call('POST', `/api/v1/agencies/${a.T.id}/data-sharing`, { key: a.T.keys.agency_admin, body: { covers: ['incidents'], signedOn: '2999-01-01' } })).status).toBe(400);
    expect((await call('POST', `/api/v1/agencies/${a.T.id}/data-sharing`, { key: a.T.keys.agency_admin, body: { covers: ['everything'], signedOn: '2025-01-01' } })).status).toBe(400);
    // The tribe withdraws (recorded by the partnership admin): its 8 reviews leave every figure.
    expect((await call('POST', `/api/v1/agencies/${a.T.id}/data-sharing`, { key: a.P.keys.admin, body: { covers: ['culture'], signedOn: '2025-03-01' } })).status).toBe(201);
    const after = (await call('GET', `/api/v1/reporting/partnership?${PERIOD}`, { key: a.P.keys.analyst })).body;
    const at = (t: string | null, q: string | null, j: string | null) => after.incidents.find((c: any) => c.incidentType === t && c.quarter === q && c.jurisdictionType === j).count;
    expect(at(null, null, null)).toBe(77);
    expect(at(null, null, 'tribal')).toBe(0);
    const ex = after.heatMap.find((x: any) => x.domain === 'external-environment').all.contributing;
    if (ex !== null) expect(ex).toBe(27);
    const recs = after.recommendations.find((r: any) => r.jurisdictionType === null).recommendations;
    if (recs !== null) expect(recs).toBe(49);
    const [event] = await stack.db.query(`SELECT action, entity_type FROM audit_events WHERE entity_type = 'data_sharing_agreement' AND agency_id = $1 ORDER BY id DESC LIMIT 1`, [a.T.id]);
    expect(event).toEqual({ action: 'data_sharing.recorded', entity_type: 'data_sharing_agreement' });
    // Restore for any later test.
    expect((await call('POST', `/api/v1/agencies/${a.T.id}/data-sharing`, { key: a.T.keys.agency_admin, body: { covers: ['incidents'], signedOn: '2025-03-02' } })).status).toBe(201);
  });

  it('answers who may see what, and serves the data dictionary to everyone', async () => {
    expect((await call('GET', `/api/v1/reporting/partnership?${PERIOD}`, { key: a.S1.keys.agency_admin })).status).toBe(403);
    expect((await call('GET', `/api/v1/reporting/partnership`)).status).toBe(401);
    const d = await call('GET', '/api/v1/reporting/dictionary', { key: a.C.keys.reviewer });
    expect(d.status).toBe(200);
    expect(d.body.instruments.map((i: any) => i.version)).toEqual(['1', '2']);
    const v2 = d.body.instruments[1].domains.flatMap((x: any) => x.items);
    expect(v2.find((i: any) => i.id === 'cp.vacancies')).toMatchObject({ mapsTo: 'cp.turnover', baselineItem: 'cp.turnover', baselineDomain: 'caseworker-personnel' });
    expect(d.body.codeLists.find((l: any) => l.name === 'incidentType').codes.map((c: any) => c.code)).toEqual(['fatality', 'near_fatality', 'serious_injury']);
    expect(d.body.rules.find((r: any) => r.name === 'Small cells').text).toContain(`k = ${K}`);
  });
});
