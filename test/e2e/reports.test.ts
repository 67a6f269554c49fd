/**
 * Reports over acknowledgment records, against a hand-computed fixture (test/support/reports-fixture.ts):
 * four notices published through the API to four recipient agencies (two counties, a tribe, a
 * state), then every record's times set to exact values in the database so each median, p90,
 * count and overdue line below can be worked out by hand (the arithmetic is written next to each
 * expectation).
 */
import { parse } from 'csv-parse/sync';
import { Stack } from '../support/stack';
import { apiClient, TestAgency } from '../support/fixtures';
import { expectCsvEqualsJson } from '../support/csv-expect';
import { ReportsFixture, startReportsFixture } from '../support/reports-fixture';

describe('reports', () => {
  let stack: Stack;
  let call: ReturnType<typeof apiClient>;
  let issuer: TestAgency, partnership: TestAgency, cook: TestAgency, evil: TestAgency, tribe: TestAgency, indiana: TestAgency;
  let n: ReportsFixture['n'];

  beforeAll(async () => {
    ({ stack, call, issuer, partnership, cook, evil, tribe, indiana, n } = await startReportsFixture());
  });

  afterAll(async () => {
    await stack?.close();
  });

  describe('per notice', () => {
    it('gives the issuer every recipient, the counts by state, and median and p90 time to acknowledge', async () => {
      const res = await call('GET', `/api/v1/notices/${n.N1.id}/report`, { key: issuer.keys.supervisor });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        noticeId: n.N1.id,
        reference: n.N1.reference,
        title: 'Inclined sleepers, "rock and play" models: remove now',
        severity: 'critical',
        category: 'alert',
        status: 'published',
        publishedAt: '2026-03-01T00:00:00.000Z',
        scope: 'all',
      });
      expect(res.body.counts).toEqual({
        recipients: 4, pending: 1, overdue: 1, acknowledged: 1, action_completed: 1, action_not_required: 1, superseded: 0, cancelled: 0, held: 0, notReached: 0,
      });
      // Acknowledged after 600, 3600 and 90000 s (the tribe is still pending).
      // median = 3600; p90: rank 0.9 × (3 − 1) = 1.8 → 3600 + 0.8 × (90000 − 3600) = 72720.
      expect(res.body.timeToAcknowledge).toEqual({ count: 3, medianSeconds: 3600, p90Seconds: 72720 });

      const rows = new Map<string, any>(res.body.items.map((i: any) => [i.agency.id, i]));
      expect([...rows.keys()].sort()).toEqual([cook.id, evil.id, tribe.id, indiana.id].sort());
      expect(rows.get(cook.id)).toEqual({
        agency: { id: cook.id, name: cook.name, jurisdictionType: 'county', jurisdictionCode: '17031', timeZone: 'America/Chicago', offboarded: false },
        acknowledgmentId: expect.any(String),
        status: 'action_completed',
        overdue: false,
        dueAt: '2026-03-02T00:00:00.000Z',
        dueAtLocal: 'Mar 1, 2026, 6:00 PM CST',
        acknowledgedAt: '2026-03-01T00:10:00.000Z',
        acknowledgedAtLocal: 'Feb 28, 2026, 6:10 PM CST',
        late: false,
        lateSeconds: 0,
        secondsToAcknowledge: 600,
        actionsStatus: 'completed',
        actionsDueAt: '2026-03-08T00:00:00.000Z',
        actionsDueAtLocal: 'Mar 7, 2026, 6:00 PM CST',
        actionsCompletedAt: '2026-03-01T02:00:00.000Z',
        actionsLate: false,
        closedAt: null,
        // Who acknowledged, for the case file: the name given, the key owner's address, the channel.
        acknowledgedBy: { name: 'Casey Cook', email: expect.stringMatching(/^supervisor-.+@agency\.test$/), channel: 'api' },
        reach: 'delivered',
        held: false,
      });
      expect(rows.get(evil.id)).toMatchObject({
        status: 'acknowledged', overdue: false, late: false, lateSeconds: 0, secondsToAcknowledge: 3600,
        dueAtLocal: 'Mar 1, 2026, 5:00 PM MST', actionsStatus: 'overdue',
      });
      expect(rows.get(tribe.id)).toMatchObject({
        status: 'pending', overdue: true, acknowledgedAt: null, late: null, lateSeconds: null, secondsToAcknowledge: null,
        // Arizona keeps standard time all year.
        dueAtLocal: 'Mar 1, 2026, 5:00 PM MST', actionsStatus: 'overdue',
        agency: { jurisdictionType: 'tribal', jurisdictionCode: 'Navajo Nation', timeZone: 'America/Phoenix' },
      });
      expect(rows.get(indiana.id)).toMatchObject({
        status: 'action_not_required', late: true, lateSeconds: 3600, secondsToAcknowledge: 90000,
        dueAtLocal: 'Mar 1, 2026, 7:00 PM EST', actionsStatus: 'not_required', actionsCompletedAt: '2026-03-02T03:46:40.000Z',
      });
    });

    it('counts every state, including superseded, and crosses a daylight-saving change in local times', async () => {
      const res = await call('GET', `/api/v1/notices/${n.N3.id}/report`, { key: partnership.keys.admin });
      expect(res.status).toBe(200);
      expect(res.body.scope).toBe('all');
      expect(res.body.counts).toEqual({
        recipients: 4, pending: 1, overdue: 1, acknowledged: 2, action_completed: 0, action_not_required: 0, superseded: 1, cancelled: 0, held: 0, notReached: 0,
      });
      // 300 and 900 s: median 600; p90 = 300 + 0.9 × 600 = 840.
      expect(res.body.timeToAcknowledge).toEqual({ count: 2, medianSeconds: 600, p90Seconds: 840 });
      const rows = new Map<string, any>(res.body.items.map((i: any) => [i.agency.id, i]));
      // Due 2026-04-01T23:00Z: daylight time by then, except in Arizona.
      expect(rows.get(cook.id).dueAtLocal).toBe('Apr 1, 2026, 6:00 PM CDT');
      expect(rows.get(tribe.id).dueAtLocal).toBe('Apr 1, 2026, 4:00 PM MST');
      expect(rows.get(indiana.id).dueAtLocal).toBe('Apr 1, 2026, 7:00 PM EDT');
      expect(rows.get(cook.id).actionsStatus).toBe('none');
      expect(rows.get(evil.id)).toMatchObject({ status: 'superseded', closedAt: '2026-04-01T00:00:00.000Z', actionsStatus: 'none', overdue: false });
    });

    it("shows any other member only its own agency's row, with counts and times over that row", async () => {
      const res = await call('GET', `/api/v1/notices/${n.N1.id}/report`, { key: cook.keys.author });
      expect(res.status).toBe(200);
      expect(res.body.scope).toBe('own');
      expect(res.body.items.map((i: any) => i.agency.id)).toEqual([cook.id]);
      expect(res.body.counts).toEqual({
        recipients: 1, pending: 0, overdue: 0, acknowledged: 0, action_completed: 1, action_not_required: 0, superseded: 0, cancelled: 0, held: 0, notReached: 0,
      });
      expect(res.body.timeToAcknowledge).toEqual({ count: 1, medianSeconds: 600, p90Seconds: 600 });
      // The partnership office received nothing: no rows, nothing to measure.
      const none = await call('GET', `/api/v1/notices/${n.N1.id}/report`, { key: partnership.keys.supervisor });
      expect(none.body).toMatchObject({ scope: 'own', items: [], timeToAcknowledge: { count: 0, medianSeconds: null, p90Seconds: null } });
      expect(none.body.counts.recipients).toBe(0);
    });

    it("answers 404 for another agency's draft and for unknown ids, 401 without a key, 400 for a bad id", async () => {
      const draft = await call('POST', '/api/v1/notices', {
        key: issuer.keys.author,
        body: { title: 'Draft only', summary: 'Not yet.', body: 'x', category: 'information', severity: 'low', topics: ['safe-sleep'] },
      });
      expect((await call('GET', `/api/v1/notices/${draft.body.id}/report`, { key: cook.keys.supervisor })).status).toBe(404);
      expect((await call('GET', `/api/v1/notices/${draft.body.id}/report`, { key: issuer.keys.supervisor })).status).toBe(200);
      expect((await call('GET', `/api/v1/notices/00000000-0000-4000-8000-000000000000/report`, { key: cook.keys.supervisor })).status).toBe(404);
      expect((await call('GET', `/api/v1/notices/${n.N1.id}/report`)).status).toBe(401);
      expect((await call('GET', `/api/v1/notices/not-a-uuid/report`, { key: cook.keys.supervisor })).status).toBe(400);
      expect((await call('GET', `/api/v1/notices/${n.N1.id}/report?format=xml`, { key: cook.keys.supervisor })).status).toBe(400);
    });

    it('exports the rows as CSV that parses back to the JSON rows, with the formula in a name neutralised', async () => {
      const json = (await call('GET', `/api/v1/notices/${n.N1.id}/report`, { key: issuer.keys.supervisor })).body;
      const csv = await call('GET', `/api/v1/notices/${n.N1.id}/report?format=csv`, { key: issuer.keys.supervisor });
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename=".+\.csv"/);
      expectCsvEqualsJson(csv.text, json.items);
      const records = parse(csv.text, { columns: true }) as Record<string, string>[];
      const evilRow = records.find((r) => r['agency.id'] === evil.id)!;
      expect(evilRow['agency.name']).toBe(`'${evil.name}`);
      expect(evilRow['agency.name'].startsWith("'=HYPERLINK(")).toBe(true);

      // Accept: text/csv asks for the same.
      const byAccept = await call('GET', `/api/v1/notices/${n.N1.id}/report`, { key: issuer.keys.supervisor, headers: { accept: 'text/csv' } });
      expect(byAccept.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(byAccept.text).toBe(csv.text);
    });
  });

  describe('per agency', () => {
    it('lists every notice the agency received with its record, newest first', async () => {
      const res = await call('GET', `/api/v1/agencies/${cook.id}/notices`, { key: cook.keys.author });
      expect(res.status).toBe(200);
      expect(res.body.agency).toEqual({ id: cook.id, name: cook.name, jurisdictionType: 'county', jurisdictionCode: '17031', timeZone: 'America/Chicago', offboarded: false });
      expect(res.body.items.map((i: any) => i.reference)).toEqual([n.N4.reference, n.N3.reference, n.N2.reference, n.N1.reference]);
      const [r4, r3, r2, r1] = res.body.items;
      expect(r1).toEqual({
        noticeId: n.N1.id,
        reference: n.N1.reference,
        title: 'Inclined sleepers, "rock and play" models: remove now',
        severity: 'critical',
        category: 'alert',
        noticeStatus: 'published',
        publishedAt: '2026-03-01T00:00:00.000Z',
        acknowledgmentId: expect.any(String),
        status: 'action_completed',
        overdue: false,
        dueAt: '2026-03-02T00:00:00.000Z',
        dueAtLocal: 'Mar 1, 2026, 6:00 PM CST',
        acknowledgedAt: '2026-03-01T00:10:00.000Z',
        late: false,
        lateSeconds: 0,
        actionsStatus: 'completed',
        actionsDueAt: '2026-03-08T00:00:00.000Z',
        actionsDueAtLocal: 'Mar 7, 2026, 6:00 PM CST',
        actionsCompletedAt: '2026-03-01T02:00:00.000Z',
        actionsLate: false,
        acknowledgedBy: { name: 'Casey Cook', email: expect.stringMatching(/^supervisor-.+@agency\.test$/), channel: 'api' },
        reach: 'delivered',
        held: false,
      });
      expect(r2).toMatchObject({ status: 'acknowledged', acknowledgedAt: '2026-03-10T12:20:00.000Z', late: false, actionsStatus: 'open' });
      expect(r3).toMatchObject({ category: 'advisory', status: 'acknowledged', actionsStatus: 'none', actionsDueAt: null, actionsDueAtLocal: null });
      expect(r4).toMatchObject({ status: 'pending', overdue: true, acknowledgedAt: null, late: null, lateSeconds: null, dueAtLocal: 'Apr 1, 2026, 7:00 PM CDT' });

      const late = await call('GET', `/api/v1/agencies/${tribe.id}/notices`, { key: tribe.keys.supervisor });
      const n2 = late.body.items.find((i: any) => i.noticeId === n.N2.id);
      // Acknowledged 48 h after publication, due at 24 h: 86400 s late; actions due at 48 h, done at 72 h.
      expect(n2).toMatchObject({ status: 'action_completed', late: true, lateSeconds: 86400, actionsStatus: 'completed', actionsLate: true });
    });

    it('filters by record state', async () => {
      const res = await call('GET', `/api/v1/agencies/${indiana.id}/notices?status=pending`, { key: indiana.keys.supervisor });
      expect(res.body.items.map((i: any) => i.reference)).toEqual([n.N3.reference, n.N2.reference]);
      expect((await call('GET', `/api/v1/agencies/${indiana.id}/notices?status=bogus`, { key: indiana.keys.supervisor })).status).toBe(400);
    });

    it('is for the agency itself and partnership admins only: anyone else gets 404', async () => {
      expect((await call('GET', `/api/v1/agencies/${cook.id}/notices`, { key: evil.keys.supervisor })).status).toBe(404);
      // The issuer of the notices does not get the recipient's list either.
      expect((await call('GET', `/api/v1/agencies/${cook.id}/notices`, { key: issuer.keys.supervisor })).status).toBe(404);
      // A partnership supervisor without the admin role is just another agency.
      expect((await call('GET', `/api/v1/agencies/${cook.id}/notices`, { key: partnership.keys.supervisor })).status).toBe(404);
      const admin = await call('GET', `/api/v1/agencies/${cook.id}/notices`, { key: partnership.keys.admin });
      expect(admin.status).toBe(200);
      expect(admin.body.items).toHaveLength(4);
      expect((await call('GET', `/api/v1/agencies/00000000-0000-4000-8000-000000000000/notices`, { key: partnership.keys.admin })).status).toBe(404);
    });

    it('exports CSV equal to the JSON (quotes and commas in titles survive)', async () => {
      const json = (await call('GET', `/api/v1/agencies/${cook.id}/notices`, { key: cook.keys.supervisor })).body;
      const csv = await call('GET', `/api/v1/agencies/${cook.id}/notices`, { key: cook.keys.supervisor, headers: { accept: 'text/csv' } });
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(csv.text).toContain('"Inclined sleepers, ""rock and play"" models: remove now"');
      expectCsvEqualsJson(csv.text, json.items);
    });
  });

  describe('overdue (compliance list)', () => {
    it('lists agencies with overdue records, longest overdue first, with their references', async () => {
      const res = await call('GET', '/api/v1/reports/overdue', { key: partnership.keys.admin });
      expect(res.status).toBe(200);
      // Overdue records: N1/tribe pending (due 03-02 00:00Z); N1/Adams acknowledged with actions due 03-08 00:00Z;
      // N2/Indiana pending (due 03-11 12:00Z) and N3/Indiana pending (due 04-01 23:00Z); N4/Cook pending (due 04-02 00:00Z).
      expect(res.body.items).toEqual([
        {
          agency: { id: tribe.id, name: tribe.name, jurisdictionType: 'tribal', jurisdictionCode: 'Navajo Nation', timeZone: 'America/Phoenix', offboarded: false },
          overdueNotices: 1, overdueAcknowledgments: 1, overdueActions: 0,
          oldestDueAt: '2026-03-02T00:00:00.000Z', oldestDueAtLocal: 'Mar 1, 2026, 5:00 PM MST',
          references: [n.N1.reference],
        },
        {
          agency: { id: evil.id, name: evil.name, jurisdictionType: 'county', jurisdictionCode: '08001', timeZone: 'America/Denver', offboarded: false },
          overdueNotices: 1, overdueAcknowledgments: 0, overdueActions: 1,
          // 2026-03-08T00:00Z is still standard time in Denver (daylight time starts at 2 AM local that day).
          oldestDueAt: '2026-03-08T00:00:00.000Z', oldestDueAtLocal: 'Mar 7, 2026, 5:00 PM MST',
          references: [n.N1.reference],
        },
        {
          agency: { id: indiana.id, name: indiana.name, jurisdictionType: 'state', jurisdictionCode: '18', timeZone: 'America/New_York', offboarded: false },
          overdueNotices: 2, overdueAcknowledgments: 2, overdueActions: 0,
          oldestDueAt: '2026-03-11T12:00:00.000Z', oldestDueAtLocal: 'Mar 11, 2026, 8:00 AM EDT',
          references: [n.N2.reference, n.N3.reference],
        },
        {
          agency: { id: cook.id, name: cook.name, jurisdictionType: 'county', jurisdictionCode: '17031', timeZone: 'America/Chicago', offboarded: false },
          overdueNotices: 1, overdueAcknowledgments: 1, overdueActions: 0,
          oldestDueAt: '2026-04-02T00:00:00.000Z', oldestDueAtLocal: 'Apr 1, 2026, 7:00 PM CDT',
          references: [n.N4.reference],
        },
      ]);
      expect(Date.parse(res.body.asOf)).not.toBeNaN();
    });

    it("shows a supervisor only their own agency's line, and refuses other roles", async () => {
      const own = await call('GET', '/api/v1/reports/overdue', { key: indiana.keys.supervisor });
      expect(own.status).toBe(200);
      expect(own.body.items.map((i: any) => i.agency.id)).toEqual([indiana.id]);
      const none = await call('GET', '/api/v1/reports/overdue', { key: issuer.keys.supervisor });
      expect(none.body.items).toEqual([]);
      expect((await call('GET', '/api/v1/reports/overdue', { key: indiana.keys.author })).status).toBe(403);
      expect((await call('GET', '/api/v1/reports/overdue', { key: indiana.keys.agency_admin })).status).toBe(403);
    });

    it('exports CSV equal to the JSON, references joined in one cell', async () => {
      const json = (await call('GET', '/api/v1/reports/overdue', { key: partnership.keys.admin })).body;
      const csv = await call('GET', '/api/v1/reports/overdue?format=csv', { key: partnership.keys.admin });
      expectCsvEqualsJson(csv.text, json.items);
      const records = parse(csv.text, { columns: true }) as Record<string, string>[];
      expect(records.map((r) => r['agency.id'])).toEqual([tribe.id, evil.id, indiana.id, cook.id]);
      expect(records[2].references).toBe(`${n.N2.reference}; ${n.N3.reference}`);
      expect(records[1]['agency.name']).toBe(`'${evil.name}`);
    });
  });

  describe('response times (cross-jurisdiction comparison)', () => {
    const range = 'from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z';

    it('per agency, over the notices published in [from, to)', async () => {
      const res = await call('GET', `/api/v1/reports/response-times?${range}&groupBy=agency`, { key: partnership.keys.admin });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z', groupBy: 'agency' });
      const byAgency = new Map<string, any>(res.body.items.map((i: any) => [i.agency.id, i]));
      // N1 (on the lower bound) counts; N4 (on the upper bound) does not; nobody else received anything.
      expect([...byAgency.keys()].sort()).toEqual([cook.id, evil.id, tribe.id, indiana.id].sort());
      // Cook: acknowledged after 600 (N1), 1200 (N2), 300 (N3). Sorted 300, 600, 1200: median 600;
      // p90 rank 1.8 → 600 + 0.8 × 600 = 1080. Actions: N1 done after 7200 s.
      expect(byAgency.get(cook.id)).toEqual({
        agency: { id: cook.id, name: cook.name, jurisdictionType: 'county', jurisdictionCode: '17031', offboarded: false },
        received: 3, acknowledged: 3, late: 0, overdue: 0,
        timeToAcknowledge: { count: 3, medianSeconds: 600, p90Seconds: 1080 },
        timeToCompleteActions: { count: 1, medianSeconds: 7200, p90Seconds: 7200 },
        actionsLate: 0,
      });
      // Adams: N1 after 3600 s; N2 pending but not yet due; N3 superseded unacknowledged.
      expect(byAgency.get(evil.id)).toMatchObject({
        received: 3, acknowledged: 1, late: 0, overdue: 0,
        timeToAcknowledge: { count: 1, medianSeconds: 3600, p90Seconds: 3600 },
        timeToCompleteActions: { count: 0, medianSeconds: null, p90Seconds: null },
        actionsLate: 0,
      });
      // Tribe: N1 overdue; N2 after 172800 s (late), actions after 259200 s (late); N3 after 900 s.
      // median (900 + 172800) / 2 = 86850; p90 = 900 + 0.9 × 171900 = 155610.
      expect(byAgency.get(tribe.id)).toMatchObject({
        received: 3, acknowledged: 2, late: 1, overdue: 1,
        timeToAcknowledge: { count: 2, medianSeconds: 86850, p90Seconds: 155610 },
        timeToCompleteActions: { count: 1, medianSeconds: 259200, p90Seconds: 259200 },
        actionsLate: 1,
      });
      // Indiana: N1 after 90000 s (late), actions answered after 100000 s; N2 and N3 overdue.
      expect(byAgency.get(indiana.id)).toMatchObject({
        received: 3, acknowledged: 1, late: 1, overdue: 2,
        timeToAcknowledge: { count: 1, medianSeconds: 90000, p90Seconds: 90000 },
        timeToCompleteActions: { count: 1, medianSeconds: 100000, p90Seconds: 100000 },
        actionsLate: 0,
      });
    });

    it('per jurisdiction type', async () => {
      const res = await call('GET', `/api/v1/reports/response-times?${range}&groupBy=jurisdictionType`, { key: partnership.keys.admin });
      expect(res.status).toBe(200);
      // Counties: 300, 600, 1200, 3600 → median (600 + 1200) / 2 = 900; p90 rank 2.7 → 1200 + 0.7 × 2400 = 2880.
      expect(res.body.items).toEqual([
        {
          jurisdictionType: 'county', agencies: 2, received: 6, acknowledged: 4, late: 0, overdue: 0,
          timeToAcknowledge: { count: 4, medianSeconds: 900, p90Seconds: 2880 },
          timeToCompleteActions: { count: 1, medianSeconds: 7200, p90Seconds: 7200 },
          actionsLate: 0,
        },
        {
          jurisdictionType: 'state', agencies: 1, received: 3, acknowledged: 1, late: 1, overdue: 2,
          timeToAcknowledge: { count: 1, medianSeconds: 90000, p90Seconds: 90000 },
          timeToCompleteActions: { count: 1, medianSeconds: 100000, p90Seconds: 100000 },
          actionsLate: 0,
        },
        {
          jurisdictionType: 'tribal', agencies: 1, received: 3, acknowledged: 2, late: 1, overdue: 1,
          timeToAcknowledge: { count: 2, medianSeconds: 86850, p90Seconds: 155610 },
          timeToCompleteActions: { count: 1, medianSeconds: 259200, p90Seconds: 259200 },
          actionsLate: 1,
        },
      ]);
    });

    it("is the partnership's benchmark: any supervisor sees every group's figures, other roles get 403", async () => {
      const asAdmin = await call('GET', `/api/v1/reports/response-times?${range}`, { key: partnership.keys.admin });
      const asSupervisor = await call('GET', `/api/v1/reports/response-times?${range}`, { key: cook.keys.supervisor });
      expect(asSupervisor.status).toBe(200);
      expect(asSupervisor.body).toEqual(asAdmin.body);
      expect(asSupervisor.body.groupBy).toBe('agency');
      // Aggregates only: no notice ids or references anywhere.
      const text = JSON.stringify(asSupervisor.body);
      for (const notice of Object.values(n)) {
        expect(text).not.toContain(notice.id);
        expect(text).not.toContain(notice.reference);
      }
      expect((await call('GET', `/api/v1/reports/response-times?${range}`, { key: cook.keys.author })).status).toBe(403);
    });

    it('validates the range: from < to, at most 2 years, zoned times, known groupings', async () => {
      const get = (q: string) => call('GET', `/api/v1/reports/response-times?${q}`, { key: partnership.keys.admin });
      expect((await get('to=2026-04-01T00:00:00Z')).status).toBe(400);
      expect((await get('from=2026-04-01T00:00:00Z&to=2026-04-01T00:00:00Z')).status).toBe(400);
      expect((await get('from=2026-04-02T00:00:00Z&to=2026-04-01T00:00:00Z')).status).toBe(400);
      expect((await get('from=2024-03-01T00:00:00Z&to=2026-03-01T00:00:00.001Z')).status).toBe(400);
      const twoYears = await get('from=2024-03-01T00:00:00Z&to=2026-03-01T00:00:00Z');
      expect(twoYears.status).toBe(200);
      expect(twoYears.body.items).toEqual([]); // N1 is published exactly at `to`: excluded
      expect((await get('from=2026-03-01&to=2026-04-01')).status).toBe(200);
      expect((await get('from=2026-03-01T00:00:00&to=2026-04-01T00:00:00Z')).status).toBe(400);
      expect((await get('from=yesterday&to=2026-04-01T00:00:00Z')).status).toBe(400);
      expect((await get('from=2026-02-30T00:00:00Z&to=2026-04-01T00:00:00Z')).status).toBe(400);
      expect((await get(`${range}&groupBy=county`)).status).toBe(400);
      expect((await get(`${range}&extra=1`)).status).toBe(400);
      const err = await get('from=2026-04-02T00:00:00Z&to=2026-04-01T00:00:00Z');
      expect(err.body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'from must be before to' });
    });

    it('exports CSV equal to the JSON for both groupings', async () => {
      for (const groupBy of ['agency', 'jurisdictionType']) {
        const json = (await call('GET', `/api/v1/reports/response-times?${range}&groupBy=${groupBy}`, { key: partnership.keys.admin })).body;
        const csv = await call('GET', `/api/v1/reports/response-times?${range}&groupBy=${groupBy}&format=csv`, { key: partnership.keys.admin });
        expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
        expectCsvEqualsJson(csv.text, json.items);
      }
    });
  });
});
