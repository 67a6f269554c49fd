/**
 * The outside analyst's attack on the real stack: the caller chooses the period, so two allowed
 * periods that differ by one quarter gave that quarter's suppressed figures back by subtraction.
 * Fixture (approved reviews, through the one write path): a state agency with 15 reviews a quarter
 * (8 near fatalities, 7 serious injuries, none rating teamwork-communication) and a tribe with
 *   2023-Q4: 3 fatalities + 7 serious injuries, 6 of the 10 rating tc.handoffs 2;
 *   2024-Q1: 4 fatalities + 6 near fatalities, 5 of the 10 rating tc.handoffs 2;
 *   2024-Q2: 4 fatalities, 2 of them rating tc.handoffs 2.
 * Before the fix: fatality, all quarters = 11 over 2023-Q4..2024-Q2 and 7 over 2023-Q4..2024-Q1,
 * so 2024-Q2's suppressed 4 was 11 − 7; the tribal teamwork-communication cell 13 of 24 and 11 of
 * 20 gave 2024-Q2's suppressed 2 of 4. Now every figure over several quarters is the sum of the
 * quarters' own published figures, or suppressed: no difference of two periods tells anything new.
 */
import { parse } from 'csv-parse/sync';
import { insertReviewRecord, IncidentType, ReviewRecordInput } from '@sne/core';
import { ITEMS } from '../../apps/api/src/reporting/reporting-system';
import { startStack, Stack } from '../support/stack';
import { apiClient, createAgency, TestAgency } from '../support/fixtures';

const QUARTERS = ['2023-Q4', '2024-Q1', '2024-Q2'];
const WINDOWS = QUARTERS.flatMap((_, i) => QUARTERS.slice(i).map((_, j) => QUARTERS.slice(i, i + j + 1)));
const period = (w: string[]) => `from=${w[0]}&to=${w[w.length - 1]}`;
const TEAMWORK = 'teamwork-communication';

type Group = { who: 'S' | 'T'; quarter: string; type: IncidentType; n: number; teamwork: boolean };
const GROUPS: Group[] = [
  ...QUARTERS.flatMap((quarter): Group[] => [
    { who: 'S', quarter, type: 'near_fatality', n: 8, teamwork: false },
    { who: 'S', quarter, type: 'serious_injury', n: 7, teamwork: false },
  ]),
  { who: 'T', quarter: '2023-Q4', type: 'fatality', n: 3, teamwork: true },
  { who: 'T', quarter: '2023-Q4', type: 'serious_injury', n: 3, teamwork: true },
  { who: 'T', quarter: '2023-Q4', type: 'serious_injury', n: 4, teamwork: false },
  { who: 'T', quarter: '2024-Q1', type: 'fatality', n: 4, teamwork: true },
  { who: 'T', quarter: '2024-Q1', type: 'near_fatality', n: 1, teamwork: true },
  { who: 'T', quarter: '2024-Q1', type: 'near_fatality', n: 5, teamwork: false },
  { who: 'T', quarter: '2024-Q2', type: 'fatality', n: 2, teamwork: true },
  { who: 'T', quarter: '2024-Q2', type: 'fatality', n: 2, teamwork: false },
];

function record(g: Group, i: number): ReviewRecordInput {
  const [year, q] = g.quarter.split('-Q').map(Number);
  const rated = g.teamwork ? ['tc.handoffs'] : g.who === 'S' ? ['cp.workload'] : [];
  return {
    incident: { incidentType: g.type, incidentYear: year, incidentMonth: (q - 1) * 3 + 1 + (i % 3), ageBand: 'under_1', priorInvolvement: 'none', priorRecency: null, circumstances: ['unsafe_sleep'] },
    instrumentVersion: '1',
    ratings: Object.fromEntries(ITEMS().map((item) => [item.id, rated.includes(item.id) ? 2 : 0])),
    findings: [],
    recommendations: [],
  };
}

describe('reporting periods: no two periods give a quarter back', () => {
  let stack: Stack;
  let call: ReturnType<typeof apiClient>;
  const a = {} as Record<'S' | 'T' | 'P', TestAgency>;

  beforeAll(async () => {
    stack = await startStack();
    call = apiClient(stack.url);
    const roles = ['agency_admin', 'review_lead', 'reviewer'] as const;
    a.S = await createAgency(stack.db, { name: 'State', type: 'state', roles: [...roles] });
    a.T = await createAgency(stack.db, { name: 'Tribe', type: 'tribal', roles: [...roles] });
    a.P = await createAgency(stack.db, { name: 'Partnership', type: 'federal', roles: ['admin', 'analyst'] });
    for (const w of ['S', 'T'] as const) {
      expect((await call('POST', `/api/v1/agencies/${a[w].id}/data-sharing`, { key: a[w].keys.agency_admin, body: { covers: ['incidents'], signedOn: '2023-01-10' } })).status).toBe(201);
    }
    await stack.db.transaction(async (m) => {
      for (const g of GROUPS) {
        for (let i = 0; i < g.n; i++) {
          await insertReviewRecord(m, a[g.who].id, a[g.who].userIds.review_lead!, record(g, i), { status: 'approved', leadId: a[g.who].userIds.review_lead!, year: 2024 });
        }
      }
    });
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  const csv = async (table: string, w: string[]) => {
    const res = await call('GET', `/api/v1/reporting/partnership/export?table=${table}&format=csv&${period(w)}`, { key: a.P.keys.analyst });
    expect(res.status).toBe(200);
    return parse(res.text, { columns: true }) as Record<string, string>[];
  };
  const json = async (table: string, w: string[]) => (await call('GET', `/api/v1/reporting/partnership/export?table=${table}&format=json&${period(w)}`, { key: a.P.keys.admin })).body.items as Record<string, any>[];
  const count = (rows: Record<string, any>[], t: string, q: string, j: string) => rows.find((r) => r.incidentType === t && r.quarter === q && r.jurisdictionType === j)!.count;
  const heat = (rows: Record<string, any>[], d: string, j: string) => rows.find((r) => r.domain === d && r.jurisdictionType === j)!;

  it("no longer gives 2024-Q2's 4 fatalities back as the difference of two periods' all-quarters margins", async () => {
    expect(count(await csv('incidents', ['2024-Q2']), 'fatality', '2024-Q2', 'all')).toBe('suppressed');
    const withQ2 = count(await csv('incidents', QUARTERS), 'fatality', 'all', 'all');
    const withoutQ2 = count(await csv('incidents', QUARTERS.slice(0, 2)), 'fatality', 'all', 'all');
    // Was 11 and 7. The margin over a period holding 2024-Q2 has a suppressed part, so it is suppressed.
    expect(withQ2).toBe('suppressed');
    expect([withQ2, withoutQ2]).toContain('suppressed');
    // The same in JSON, and in the state's own view beside the partnership (its partnership column).
    expect(count(await json('incidents', QUARTERS), 'fatality', 'all', 'all')).toBeNull();
    const agency = await call('GET', `/api/v1/reporting/agency/export?table=incidents-by-type&format=json&${period(QUARTERS)}`, { key: a.S.keys.reviewer });
    expect(agency.body.items.find((r: any) => r.incidentType === 'fatality')).toEqual({ incidentType: 'fatality', own: 0, partnership: null });
  });

  it("no longer gives 2024-Q2's 2 of 4 back from the heat map of two periods", async () => {
    expect(heat(await csv('heat-map', ['2024-Q2']), TEAMWORK, 'tribal')).toMatchObject({ contributing: 'suppressed', status: 'suppressed' });
    const withQ2 = heat(await csv('heat-map', QUARTERS), TEAMWORK, 'tribal'); // was 13 of 24
    const withoutQ2 = heat(await csv('heat-map', QUARTERS.slice(0, 2)), TEAMWORK, 'tribal'); // was 11 of 20
    expect(withQ2).toMatchObject({ reviews: 'suppressed', contributing: 'suppressed', share: 'suppressed', status: 'suppressed' });
    for (const column of ['reviews', 'contributing']) expect([withQ2[column], withoutQ2[column]]).toContain('suppressed');
    expect(heat(await json('heat-map', QUARTERS), TEAMWORK, 'tribal')).toMatchObject({ reviews: null, contributing: null, share: null });
  });

  it("publishes every figure of every period only as the sum of its quarters' own published figures", async () => {
    const sum = (parts: string[]) => (parts.includes('suppressed') ? 'suppressed' : String(parts.reduce((s, p) => s + Number(p), 0)));
    const one = new Map<string, { incidents: Record<string, string>[]; heat: Record<string, string>[] }>();
    for (const q of QUARTERS) one.set(q, { incidents: await csv('incidents', [q]), heat: await csv('heat-map', [q]) });
    let compared = 0;
    for (const w of WINDOWS.filter((x) => x.length > 1)) {
      for (const r of await csv('incidents', w)) {
        const parts = r.quarter === 'all' ? w.map((q) => count(one.get(q)!.incidents, r.incidentType, q, r.jurisdictionType)) : [count(one.get(r.quarter)!.incidents, r.incidentType, r.quarter, r.jurisdictionType)];
        expect([w, r, r.count]).toEqual([w, r, sum(parts)]);
        compared++;
      }
      for (const r of await csv('heat-map', w)) {
        for (const column of ['reviews', 'contributing']) {
          const parts = w.map((q) => heat(one.get(q)!.heat, r.domain, r.jurisdictionType)[column]);
          expect([w, r.domain, r.jurisdictionType, column, r[column]]).toEqual([w, r.domain, r.jurisdictionType, column, sum(parts)]);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(300);
    // A figure whose every quarter is shown is still shown over the period (not everything is hidden).
    const pooled = (await csv('incidents', QUARTERS)).filter((r) => r.quarter === 'all' && !['suppressed', '0'].includes(r.count));
    expect(pooled.length).toBeGreaterThan(0);
  });
});
