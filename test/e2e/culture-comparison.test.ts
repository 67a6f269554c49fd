/**
 * Survey results, the culture benchmark and culture beside incidents beside notices, on the real
 * stack, against a hand-computed fixture written straight into the tables (waves, teams, responses,
 * agreements, approved reviews, notices and their records). Every response answers every item
 * either all positive or all negative, so every domain's percent positive is the share of positive
 * responses; the arithmetic is written beside each expectation.
 *
 *  agency  type    agreement            responses (positive)  supervision ≥ 2   ack hours  rec4 overdue
 *  A1      county  culture + incidents  10 (8) → 0.8          10 of 15          1, 2, 3    yes
 *  A2      county  culture + incidents  10 (5) → 0.5           5 of 15          4, 8, 12   no
 *  A3      state   culture + incidents   4 (4) → suppressed    9 of 15          1, 1, 1    yes
 *  A4      tribal  culture only          8 (6) → 0.75 (teams of 2 and 6; previous wave 10 (5))
 *  A5      county  none                 10 (10): out
 *  A6      state   culture, then withdrawn  10 (10): out
 *  A7      county  culture + incidents  10 (2) → 0.2           7 of 15          2, 6, 10   yes
 *  A8      state   culture + incidents  10 (9) → 0.9           8 of 15          1, 3, 5    no
 */
import { parse } from 'csv-parse/sync';
import { cultureInstrument } from '@sne/core';
import { startStack, Stack } from '../support/stack';
import { apiClient, createAgency, TestAgency } from '../support/fixtures';

const ins = cultureInstrument('1')!;
const answers = (positive: boolean) => Object.fromEntries(ins.domains.flatMap((d) => d.items.map((i) => [i.id, positive === !i.reverse ? 5 : 1])));

describe('culture comparison across jurisdictions', () => {
  let stack: Stack;
  let call: ReturnType<typeof apiClient>;
  let P: TestAgency;
  const A: Record<string, TestAgency> = {};
  let waveA4: string;
  let previousA4: string;
  let serial = 0;

  async function wave(agency: TestAgency, title: string, teams: Array<{ name: string; positive: number; negative: number }>, closesOn = '2026-11-30'): Promise<string> {
    const [w] = await stack.db.query(
      `INSERT INTO survey_waves (agency_id, title, instrument_version, opens_on, closes_on, status, closed_at) VALUES ($1, $2, '1', $3::date - 14, $3, 'closed', now()) RETURNING id`,
      [agency.id, title, closesOn],
    );
    for (const t of teams) {
      const [team] = await stack.db.query(`INSERT INTO survey_teams (wave_id, name, expected_headcount) VALUES ($1, $2, 20) RETURNING id`, [w.id, t.name]);
      const rows = [...Array(t.positive).fill(answers(true)), ...Array(t.negative).fill(answers(false))];
      await stack.db.query(
        `INSERT INTO survey_responses (wave_id, team_id, submitted_on, answers) SELECT $1, $2, $3::date, a FROM unnest($4::jsonb[]) a`,
        [w.id, team.id, closesOn, rows.map((r) => JSON.stringify(r))],
      );
    }
    return w.id;
  }

  async function agreement(agency: TestAgency, covers: string[], recordedAt = '2026-01-01T00:00:00Z') {
    await stack.db.query(`INSERT INTO data_sharing_agreements (agency_id, covers, signed_on, recorded_at) VALUES ($1, $2, '2025-12-01', $3)`, [agency.id, covers, recordedAt]);
  }

  /**
   * 15 approved reviews (the first 7 on instrument version 2), `supervision` of them rating
   * su.availability 2; one draft and one amendment that must not count. Incidents of the month
   * eleven months ago (the oldest the comparison counts); and one more approved review, rating
   * supervision, of the month before that, which must not count either.
   */
  async function reviews(agency: TestAgency, supervision: number) {
    const ids: string[] = [];
    const now = new Date();
    const monthsAgo = (n: number) => {
      const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - n, 1));
      return [d.getUTCFullYear(), d.getUTCMonth() + 1];
    };
    for (let g = 1; g <= 18; g++) {
      const [year, month] = monthsAgo(g === 18 ? 12 : 11);
      const [i] = await stack.db.query(
        `INSERT INTO critical_incidents (agency_id, reference, incident_type, incident_year, incident_month, age_band, prior_involvement, circumstances)
         VALUES ($1, $2, 'fatality', $3, $4, 'under_1', 'none', '{neglect}') RETURNING id`,
        [agency.id, `CI-${g}`, year, month],
      );
      // 16: a draft never approved; 15: approved as version 1, amended to version 2 (in progress).
      const [status, version, approved] = g === 16 ? ['draft', 1, null] : g === 15 ? ['draft', 2, 1] : ['approved', 1, 1];
      const [r] = await stack.db.query(
        `INSERT INTO incident_reviews (agency_id, incident_id, reference, status, version, approved_version, instrument_version) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [agency.id, i.id, `R-${g}`, status, version, approved, g <= 7 ? '2' : '1'],
      );
      if (g === 17) continue; // 17: approved with no ratings at all (counts in the denominator)
      if (g === 18) {
        // 18: approved and rating supervision, but its incident is older than 12 months.
        await stack.db.query(`INSERT INTO review_ratings (review_id, version, item_id, rating) VALUES ($1, 1, 'su.availability', 3)`, [r.id]);
        continue;
      }
      ids.push(r.id);
      const rating = g <= supervision || g === 16 ? (g === 16 ? 3 : 2) : 0;
      await stack.db.query(`INSERT INTO review_ratings (review_id, version, item_id, rating) VALUES ($1, 1, 'su.availability', $2), ($1, 1, 'su.coaching', 1)`, [r.id, rating]);
      if (g === 15) await stack.db.query(`INSERT INTO review_ratings (review_id, version, item_id, rating) VALUES ($1, 2, 'su.availability', 3)`, [r.id]);
    }
    return ids;
  }

  /** Four records on the four notices: action completed, acknowledged with actions overdue, acknowledged with actions open, pending. */
  async function records(agency: TestAgency, notices: string[], hours: [number, number, number], rec4Overdue: boolean) {
    const q = (status: string, notice: string, h: number | null, actionsDue: string | null, due: string | null, completed: boolean) =>
      stack.db.query(
        `INSERT INTO acknowledgments (notice_id, agency_id, status, due_at, acknowledged_at, channel, actions_due_at, actions_completed_at)
         SELECT n.id, $2, $3, ${due ?? 'NULL'}, CASE WHEN $4::int IS NULL THEN NULL ELSE n.published_at + make_interval(hours => $4::int) END,
                CASE WHEN $4::int IS NULL THEN NULL ELSE 'api' END, ${actionsDue ?? 'NULL'}, CASE WHEN $5 THEN n.published_at + interval '3 days' END
           FROM notices n WHERE n.id = $1`,
        [notice, agency.id, status, h, completed],
      );
    await q('action_completed', notices[0], hours[0], `n.published_at + interval '5 days'`, null, true);
    await q('acknowledged', notices[1], hours[1], `now() - interval '1 day'`, null, false);
    await q('acknowledged', notices[2], hours[2], `now() + interval '5 days'`, null, false);
    await q('pending', notices[3], null, null, rec4Overdue ? `now() - interval '1 day'` : `now() + interval '1 day'`, false);
  }

  beforeAll(async () => {
    stack = await startStack();
    call = apiClient(stack.url);
    P = await createAgency(stack.db, { name: 'Partnership', type: 'federal', roles: ['admin', 'analyst', 'author', 'supervisor'] });
    const types: Record<string, 'county' | 'state' | 'tribal'> = { A1: 'county', A2: 'county', A3: 'state', A4: 'tribal', A5: 'county', A6: 'state', A7: 'county', A8: 'state' };
    for (const [name, type] of Object.entries(types)) A[name] = await createAgency(stack.db, { name, type, roles: ['agency_admin', 'supervisor', 'analyst'] });
    for (const n of ['A1', 'A2', 'A3', 'A7', 'A8']) await agreement(A[n], ['incidents', 'culture']);
    await agreement(A.A4, ['culture']);
    await agreement(A.A6, ['culture', 'incidents'], '2026-01-01T00:00:00Z');
    await agreement(A.A6, [], '2026-02-01T00:00:00Z'); // withdrawn: the latest row is in force
    await wave(A.A1, 'Autumn 2026', [{ name: 'Intake', positive: 8, negative: 2 }]);
    await wave(A.A2, 'Autumn 2026', [{ name: 'Intake', positive: 5, negative: 5 }]);
    await wave(A.A3, 'Autumn 2026', [{ name: 'Intake', positive: 4, negative: 0 }]);
    previousA4 = await wave(A.A4, 'Spring 2026', [{ name: 'Ongoing services', positive: 5, negative: 5 }], '2026-05-31');
    waveA4 = await wave(A.A4, 'Autumn 2026', [{ name: 'Intake', positive: 1, negative: 1 }, { name: 'Ongoing services', positive: 5, negative: 1 }]);
    await wave(A.A5, 'Autumn 2026', [{ name: 'Intake', positive: 10, negative: 0 }]);
    await wave(A.A6, 'Autumn 2026', [{ name: 'Intake', positive: 10, negative: 0 }]);
    await wave(A.A7, 'Autumn 2026', [{ name: 'Intake', positive: 2, negative: 8 }]);
    await wave(A.A8, 'Autumn 2026', [{ name: 'Intake', positive: 9, negative: 1 }]);
    // An open wave is not a result yet: A1's would read 0.0 if it counted.
    const [open] = await stack.db.query(`INSERT INTO survey_waves (agency_id, title, instrument_version, opens_on, closes_on) VALUES ($1, 'Winter', '1', current_date, current_date + 30) RETURNING id`, [A.A1.id]);
    const [team] = await stack.db.query(`INSERT INTO survey_teams (wave_id, name, expected_headcount) VALUES ($1, 'Intake', 10) RETURNING id`, [open.id]);
    await stack.db.query(`INSERT INTO survey_responses (wave_id, team_id, submitted_on, answers) SELECT $1, $2, current_date, $3 FROM generate_series(1, 6)`, [open.id, team.id, answers(false)]);
    // Free text: the small team's goes under "Other teams combined" (8 responses there), never under its name.
    const teams: any[] = await stack.db.query(`SELECT id, name FROM survey_teams WHERE wave_id = $1`, [waveA4]);
    for (const t of teams) await stack.db.query(`INSERT INTO survey_free_text (wave_id, team_id, question_id, text, submitted_on) VALUES ($1, $2, 'q.anything-else', $3, '2026-11-30')`, [waveA4, t.id, `More time for visits (${t.name})`]);
    for (const [n, s] of [['A1', 10], ['A2', 5], ['A3', 9], ['A7', 7], ['A8', 8]] as const) await reviews(A[n], s);
    const [author] = await stack.db.query(`SELECT id FROM users WHERE agency_id = $1 AND 'author' = ANY(roles)`, [P.id]);
    const notices: string[] = [];
    for (let i = 0; i < 4; i++) {
      const [n] = await stack.db.query(
        `INSERT INTO notices (reference, issuing_agency_id, author_id, status, content_hash, title, summary, body_markdown, body_html, category, severity, topics, published_at)
         VALUES ($1, $2, $3, 'published', 'h', 'Notice', 'Summary', 'Body', '<p>Body</p>', 'alert', 'high', '{safe-sleep}', now() - interval '10 days') RETURNING id`,
        [`CC-${P.id.slice(0, 6)}-${++serial}`, P.id, author.id],
      );
      notices.push(n.id);
    }
    await records(A.A1, notices, [1, 2, 3], true);
    await records(A.A2, notices, [4, 8, 12], false);
    await records(A.A3, notices, [1, 1, 1], true);
    await records(A.A7, notices, [2, 6, 10], true);
    await records(A.A8, notices, [1, 3, 5], false);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it("a wave's results: the small team suppressed, a second one with it, the agency whole, the change with its interval, free text rolled up", async () => {
    const res = await call('GET', `/api/v1/surveys/waves/${waveA4}/results`, { key: A.A4.keys.supervisor });
    expect(res.status).toBe(200);
    const r = res.body;
    expect(r.agency).toMatchObject({ id: A.A4.id, responses: 8, expected: 40, responseRate: 0.2, suppressed: null });
    expect(r.agency.domains.every((d: any) => d.percentPositive === 0.75)).toBe(true); // 6 of 8
    expect(r.teams.map((t: any) => [t.name, t.responses, t.suppressed, t.domains])).toEqual([
      ['Intake', null, 'too-few', null],
      ['Ongoing services', null, 'complementary', null],
    ]);
    expect(r.previousWave.id).toBe(previousA4);
    // 0.75 of 8 against 0.5 of 10: Newcombe −0.1807 to 0.5682 → no clear change.
    const change = r.changes.agency[0];
    expect(change.difference).toBeCloseTo(0.25, 10);
    expect(change.lower).toBeCloseTo(-0.18067, 4);
    expect(change.upper).toBeCloseTo(0.5682, 4);
    expect(change.verdict).toBe('no clear change');
    expect(r.freeText).toEqual([
      { group: 'Other teams combined', questionId: 'q.anything-else', question: expect.any(String), texts: ['More time for visits (Intake)', 'More time for visits (Ongoing services)'] },
    ]);
    const csv = await call('GET', `/api/v1/surveys/waves/${waveA4}/results?format=csv`, { key: A.A4.keys.agency_admin });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const rows = parse(csv.text, { columns: true }) as any[];
    const intake = rows.filter((x) => x.group === 'Intake');
    expect(intake).toHaveLength(ins.domains.length);
    expect(intake.every((x) => x.responses === '' && x.percentPositive === '' && x.suppressed === 'too-few')).toBe(true);
    expect(rows.find((x) => x.group === 'Agency').percentPositive).toBe('0.75');
    // Another agency's wave is not found; an analyst may not read it.
    expect((await call('GET', `/api/v1/surveys/waves/${waveA4}/results`, { key: A.A1.keys.supervisor })).status).toBe(404);
    expect((await call('GET', `/api/v1/surveys/waves/${waveA4}/results`, { key: A.A4.keys.analyst })).status).toBe(403);
  });

  it("an open wave's results wait for its close (read before and after one answer, they would give it away); the console says so", async () => {
    const [open] = await stack.db.query(`SELECT id FROM survey_waves WHERE agency_id = $1 AND status = 'open'`, [A.A1.id]);
    for (const path of [`/api/v1/surveys/waves/${open.id}/results`, `/api/v1/surveys/waves/${open.id}/results?format=csv`, `/console/surveys/${open.id}/results`]) {
      const res = await call('GET', path, { key: A.A1.keys.agency_admin });
      expect([path, res.status]).toEqual([path, 409]);
      expect(res.text).toMatch(/once the wave is closed/);
      expect(res.text).not.toMatch(/percentPositive|Percent positive/);
    }
    const page = await call('GET', `/console/surveys/${open.id}`, { key: A.A1.keys.agency_admin });
    expect(page.text).toContain('The results are shown once the wave is closed.');
    expect(page.text).not.toContain(`/console/surveys/${open.id}/results`);

    // Nor through a closed wave's change against it: an earlier wave still open is not "the previous wave".
    const [early] = await stack.db.query(`INSERT INTO survey_waves (agency_id, title, instrument_version, opens_on, closes_on) VALUES ($1, 'Early, still open', '1', '2026-01-01', '2099-12-31') RETURNING id`, [A.A1.id]);
    const [team] = await stack.db.query(`INSERT INTO survey_teams (wave_id, name, expected_headcount) VALUES ($1, 'Intake', 10) RETURNING id`, [early.id]);
    await stack.db.query(`INSERT INTO survey_responses (wave_id, team_id, submitted_on, answers) SELECT $1, $2, current_date, $3 FROM generate_series(1, 6)`, [early.id, team.id, answers(false)]);
    const [autumn] = await stack.db.query(`SELECT id FROM survey_waves WHERE agency_id = $1 AND status = 'closed'`, [A.A1.id]);
    const later = await call('GET', `/api/v1/surveys/waves/${autumn.id}/results`, { key: A.A1.keys.agency_admin });
    expect(later.status).toBe(200);
    expect(later.body.previousWave).toBeNull();
    expect(later.body.changes).toEqual({ agency: [], teams: [] });
  });

  it('benchmark: only agencies sharing culture, the small one suppressed, quartiles and percentiles by hand', async () => {
    const res = await call('GET', '/api/v1/culture/benchmark', { key: P.keys.analyst });
    expect(res.status).toBe(200);
    const b = res.body;
    const names = [...new Set(b.agencies.map((r: any) => r.agency.name.split(' ')[0]))];
    expect(names).toEqual(['A1', 'A2', 'A3', 'A4', 'A7', 'A8']); // not A5 (no agreement), not A6 (withdrawn), not the partnership
    const ps = b.agencies.filter((r: any) => r.domainId === 'supervisor-support');
    const of = (n: string) => ps.find((r: any) => r.agency.id === A[n].id);
    expect(of('A3')).toMatchObject({ percentPositive: null, percentile: null, suppressed: 'too-few-responses', responses: null });
    // Values 0.2, 0.5, 0.75, 0.8, 0.9: A1 has 3 below and itself → (3 + 0.5) / 5 = 70.
    expect(of('A1')).toMatchObject({ percentPositive: 0.8, percentile: 70, wave: 'Autumn 2026' });
    expect(of('A7').percentile).toBe(10);
    expect(of('A4').percentPositive).toBe(0.75);
    const dist = b.distribution.find((r: any) => r.domainId === 'supervisor-support');
    expect(dist).toEqual({ group: 'partnership', domainId: 'supervisor-support', domain: 'Supervisor support', n: 5, min: 0.2, q1: 0.5, median: 0.75, q3: 0.8, max: 0.9 });
    const county = b.jurisdiction.find((r: any) => r.group === 'county' && r.domainId === 'teamwork');
    // County: 0.8, 0.5, 0.2 → quartiles 0.35, 0.5, 0.65.
    expect(county.n).toBe(3);
    expect(county.q1).toBeCloseTo(0.35, 12);
    expect(county.median).toBeCloseTo(0.5, 12);
    expect(county.q3).toBeCloseTo(0.65, 12);
    expect(b.jurisdiction.find((r: any) => r.group === 'tribal')).toMatchObject({ n: 1, median: null }); // one agency: no distribution
    const csv = await call('GET', '/api/v1/culture/benchmark?format=csv&table=agencies', { key: P.keys.admin });
    const rows = parse(csv.text, { columns: true }) as any[];
    const a3 = rows.filter((x) => x['agency.id'] === A.A3.id);
    expect(a3).toHaveLength(ins.domains.length);
    expect(a3.every((x) => x.percentPositive === '' && x.suppressed === 'too-few-responses')).toBe(true);
    expect(rows.some((x) => x['agency.id'] === A.A5.id || x['agency.id'] === A.A6.id)).toBe(false);
    const q = parse((await call('GET', '/api/v1/culture/benchmark?format=csv&table=distribution', { key: P.keys.analyst })).text, { columns: true }) as any[];
    expect(q.find((x) => x.domainId === 'supervisor-support')).toMatchObject({ n: '5', median: '0.75' });
    expect((await call('GET', '/api/v1/culture/benchmark', { key: A.A1.keys.supervisor })).status).toBe(403);
  });

  it('comparison: culture beside review rates (v1 and v2 combined, approved versions only) beside notice follow-through, with Spearman and its interval', async () => {
    const res = await call('GET', '/api/v1/culture/comparison', { key: P.keys.admin });
    expect(res.status).toBe(200);
    const c = res.body;
    const rows = c.agencies.filter((r: any) => r.domainId === 'supervisor-support');
    expect(rows.map((r: any) => r.agency.name.split(' ')[0])).toEqual(['A1', 'A2', 'A3', 'A7', 'A8']); // A4 shares no incident data
    const of = (n: string) => rows.find((r: any) => r.agency.id === A[n].id);
    // 16 approved reviews (15 rated + 1 without ratings; the draft and the one older than 12 months are out); A1: 10 rate supervision ≥ 2 (the amendment's 3 does not count).
    expect(of('A1')).toMatchObject({ reviewDomain: 'supervision', reviewsApproved: 16, reviewsRatingDomain: 10, percentPositive: 0.8 });
    expect(of('A1').reviewRate).toBeCloseTo(10 / 16, 12);
    expect(of('A3')).toMatchObject({ percentPositive: null, reviewsRatingDomain: 9 });
    // Follow-through: A1 acknowledged after 1, 2, 3 hours → median 2; 1 of 3 records with actions completed; 2 of 4 overdue.
    expect(of('A1')).toMatchObject({ medianHoursToAcknowledge: 2, noticeRecords: 4, overdueRate: 0.5 });
    expect(of('A1').actionCompletionRate).toBeCloseTo(1 / 3, 12);
    expect(of('A2')).toMatchObject({ medianHoursToAcknowledge: 8, overdueRate: 0.25 });
    // Supervisor support against supervision, n = 4 (A3 suppressed): x 0.8, 0.5, 0.2, 0.9; y 10, 5, 7, 8 (of 16).
    // Ranks x: A7 1, A2 2, A1 3, A8 4; y: A2 1, A7 2, A8 3, A1 4; Σd² = 1 + 1 + 1 + 1 = 4; rho = 1 − 24/60 = 0.6.
    // Bonett–Wright: se = sqrt(1.18 / 1); tanh(atanh(0.6) ∓ 1.96·se) = −0.8929 .. 0.9930.
    const s = c.correlations.find((x: any) => x.x === 'culture: supervisor-support');
    expect(s.n).toBe(4);
    expect(s.rho).toBeCloseTo(0.6, 12);
    expect(s.lower).toBeCloseTo(-0.89287, 4);
    expect(s.upper).toBeCloseTo(0.99295, 4);
    expect(s.note).toMatch(/n = 4 is small; the interval includes 0/);
    // Culture (mean of the domains) against median hours: x as above, y 2, 8, 6, 3 → Σd² = 16, rho = 1 − 96/60 = −0.6.
    const h = c.correlations.find((x: any) => x.y === 'median hours to acknowledge');
    expect(h.rho).toBeCloseTo(-0.6, 12);
    expect(h.lower).toBeCloseTo(-0.99295, 4);
    // Completion is 1/3 everywhere: no correlation can be computed.
    expect(c.correlations.find((x: any) => x.y === 'action-completion rate')).toMatchObject({ rho: null, lower: null });
    const csv = parse((await call('GET', '/api/v1/culture/comparison?format=csv&table=correlations', { key: P.keys.analyst })).text, { columns: true }) as any[];
    expect(csv.find((x) => x.x === 'culture: supervisor-support')).toMatchObject({ n: '4', rho: expect.stringMatching(/^0\.6/) });
    const agenciesCsv = parse((await call('GET', '/api/v1/culture/comparison?format=csv', { key: P.keys.analyst })).text, { columns: true }) as any[];
    expect(agenciesCsv.filter((x) => x['agency.id'] === A.A3.id).every((x) => x.percentPositive === '')).toBe(true);
    expect(agenciesCsv.some((x) => x['agency.id'] === A.A4.id || x['agency.id'] === A.A5.id)).toBe(false);
    const overall = parse((await call('GET', '/api/v1/culture/comparison?format=csv&table=overall', { key: P.keys.analyst })).text, { columns: true }) as any[];
    expect(Number(overall.find((x) => x.agency === A.A1.name).culture)).toBeCloseTo(0.8, 12);
    expect(overall.find((x) => x.agency === A.A1.name)).toMatchObject({ 'follow.records': '4', 'follow.medianHoursToAcknowledge': '2', 'follow.overdueRate': '0.5' });
    expect(overall.find((x) => x.agency === A.A3.name).culture).toBe(''); // suppressed

  });

  it("an agency against the partnership: its figures, percentile and the other agencies' quartiles, nobody's own", async () => {
    const res = await call('GET', '/api/v1/culture/agency', { key: A.A2.keys.agency_admin });
    expect(res.status).toBe(200);
    const v = res.body;
    expect(v.agency).toMatchObject({ id: A.A2.id, sharesCulture: true });
    expect(v.partnershipAgencies).toBe(5);
    // A2's own 0.5 aside, 4 agencies have a workload figure: too few to show.
    expect(v.domains.find((x: any) => x.domainId === 'workload')).toMatchObject({ percentPositive: 0.5, quarter: null, partnership: null, jurisdictionType: null });
    expect(JSON.stringify(v)).not.toContain(A.A1.name);
    // A5 shares nothing: against all 5 (0.2, 0.5, 0.75, 0.8, 0.9), its 1 is at the top; never the lowest nor the highest shown.
    const out = (await call('GET', '/api/v1/culture/agency', { key: A.A5.keys.supervisor })).body;
    expect(out.agency.sharesCulture).toBe(false);
    expect(out.domains.find((x: any) => x.domainId === 'workload')).toMatchObject({ percentPositive: 1, quarter: 4, partnership: { n: 5, min: null, q1: 0.5, median: 0.75, q3: 0.8, max: null } });
    expect(JSON.stringify(out)).not.toContain('0.9'); // the highest workload figure (0.2 the lowest) appears nowhere
    expect(JSON.stringify(out)).not.toMatch(/0\.2[,}]/);
    const small = (await call('GET', '/api/v1/culture/agency?format=csv', { key: A.A3.keys.supervisor })).text;
    const rows = parse(small, { columns: true }) as any[];
    expect(rows.every((x) => x.percentPositive === '' && x.suppressed === 'too-few-responses')).toBe(true);
    expect(Object.keys(rows[0])).not.toContain('partnership.min');
    expect((await call('GET', '/api/v1/culture/agency', { key: P.keys.analyst })).status).toBe(403);
  });

  // The viewer runs its own waves, so it can move its own figure: what it sees of the others must
  // not move with it. For every agency: exactly the quartiles of the other agencies' figures
  // (the analysts' benchmark), when at least 5 others have one, and never their lowest or highest.
  it("every agency's view is the other agencies' figures only, never its own", async () => {
    const bench = parse((await call('GET', '/api/v1/culture/benchmark?format=csv&table=agencies', { key: P.keys.analyst })).text, { columns: true }) as any[];
    const quantile = (s: number[], q: number) => {
      const pos = (s.length - 1) * q;
      const lo = Math.floor(pos);
      return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo);
    };
    for (const name of Object.keys(A)) {
      const view = (await call('GET', '/api/v1/culture/agency', { key: A[name].keys.supervisor })).body;
      for (const d of view.domains) {
        const others = bench
          .filter((r) => r.domainId === d.domainId && r['agency.id'] !== A[name].id && r.percentPositive !== '')
          .map((r) => Number(r.percentPositive))
          .sort((x, y) => x - y);
        const want = others.length >= 5 ? { n: others.length, min: null, q1: quantile(others, 0.25), median: quantile(others, 0.5), q3: quantile(others, 0.75), max: null } : null;
        expect({ viewer: name, domain: d.domainId, partnership: d.partnership }).toEqual({ viewer: name, domain: d.domainId, partnership: want === null ? null : expect.objectContaining(want) });
        // Where it falls is read off those quartiles only (a rank would count the others below each figure it tries).
        const own = d.percentPositive;
        const quarter = want === null || own === null ? null : own < want.q1 ? 1 : own < want.median ? 2 : own < want.q3 ? 3 : 4;
        expect({ viewer: name, domain: d.domainId, quarter: d.quarter }).toEqual({ viewer: name, domain: d.domainId, quarter });
        expect(d).not.toHaveProperty('percentile');
      }
    }
  });

  it('the console pages show the same figures', async () => {
    const page = await call('GET', '/console/culture', { key: P.keys.analyst });
    expect(page.status).toBe(200);
    expect(page.text).toContain('Association, not cause.');
    expect(page.text).toMatch(/n (=|&#x3D;) 4/);
    expect(page.text).toMatch(/<svg[^>]*role="img"/);
    expect(page.text).not.toContain(A.A5.name);
    const results = await call('GET', `/console/surveys/${waveA4}/results`, { key: A.A4.keys.agency_admin });
    expect(results.status).toBe(200);
    expect(results.text).toContain('no clear change');
    expect(results.text).toContain('Other teams combined');
    const agency = await call('GET', '/console/culture/agency', { key: A.A2.keys.supervisor });
    expect(agency.status).toBe(200);
    expect(agency.text).toContain('Other agencies’ median');
  });
});
