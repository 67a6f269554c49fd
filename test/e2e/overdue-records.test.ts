/**
 * GET /api/v1/reports/overdue-records (issue 10: the dashboard's overdue table covered only the
 * 8 latest notices): every overdue record on the notices the caller's agency issued, paged,
 * longest overdue first; a partnership admin sees every notice's. Real stack.
 */
import { apiClient, createAgency, createTopics, eventually, TestAgency } from '../support/fixtures';
import { startStack, Stack } from '../support/stack';

jest.setTimeout(90_000);

describe('overdue records: every one, paged, within the caller’s reach', () => {
  let stack: Stack;
  let ohio: TestAgency;
  let texas: TestAgency;
  let county: TestAgency;
  let partnership: TestAgency;
  const api = () => apiClient(stack.url);
  const ohioNotices: string[] = [];
  let texasNotice = '';

  async function publish(issuer: TestAgency, title: string): Promise<string> {
    const draft = await api()('POST', '/api/v1/notices', {
      key: issuer.keys.author,
      body: { title, summary: `${title}: what to do.`, body: `## What to do\n\n${title}.`, category: 'advisory', severity: 'high', topics: ['safe-sleep'] },
    });
    expect(draft.status).toBe(201);
    expect((await api()('POST', `/api/v1/notices/${draft.body.id}/submit`, { key: issuer.keys.author })).status).toBe(200);
    expect((await api()('POST', `/api/v1/notices/${draft.body.id}/approve`, { key: issuer.keys.approver, body: { contentHash: draft.body.contentHash } })).status).toBe(200);
    await eventually(async () => Number((await stack.db.query(`SELECT count(*) AS n FROM acknowledgments WHERE notice_id = $1`, [draft.body.id]))[0].n) >= 1, 15_000, 'dispatch');
    return draft.body.id;
  }

  beforeAll(async () => {
    stack = await startStack();
    await createTopics(stack.db, ['safe-sleep']);
    ohio = await createAgency(stack.db, { type: 'state', roles: ['author', 'approver', 'supervisor'] });
    texas = await createAgency(stack.db, { type: 'state', roles: ['author', 'approver', 'supervisor'] });
    county = await createAgency(stack.db, { roles: ['agency_admin', 'supervisor'] });
    partnership = await createAgency(stack.db, { type: 'federal', roles: ['admin'] });
    const sub = await api()('POST', '/api/v1/subscriptions', { key: county.keys.agency_admin, body: { name: 'Desk', topicPatterns: ['safe-sleep'], channel: 'email', emailAddresses: ['desk@county.test'] } });
    expect(sub.status).toBe(201);
    for (let i = 0; i < 10; i++) ohioNotices.push(await publish(ohio, `Ohio notice ${i + 1}`));
    texasNotice = await publish(texas, 'Texas notice');
    // Every county record overdue, each by a different time: Ohio's first notice the longest.
    await stack.db.query(
      `UPDATE acknowledgments a SET due_at = now() - make_interval(hours => 200 - r.n)
         FROM (SELECT a2.id, row_number() OVER (ORDER BY n.published_at, n.id)::int AS n
                 FROM acknowledgments a2 JOIN notices n ON n.id = a2.notice_id WHERE a2.agency_id = $1) r
        WHERE a.id = r.id`,
      [county.id],
    );
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('a supervisor gets every overdue record on their agency’s notices, paged, longest overdue first', async () => {
    const first = await api()('GET', '/api/v1/reports/overdue-records?limit=4', { key: ohio.keys.supervisor });
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(10);
    expect(first.body.items).toHaveLength(4);
    expect(first.body.items[0]).toMatchObject({ noticeId: ohioNotices[0], what: 'acknowledgment', agency: { id: county.id } });
    const pages = [first.body.items];
    for (const offset of [4, 8]) pages.push((await api()('GET', `/api/v1/reports/overdue-records?limit=4&offset=${offset}`, { key: ohio.keys.supervisor })).body.items);
    const all = pages.flat();
    expect(all.map((i: { noticeId: string }) => i.noticeId)).toEqual(ohioNotices);
    // Longest overdue first.
    const due = all.map((i: { dueAt: string }) => i.dueAt);
    expect([...due].sort()).toEqual(due);
    expect(all.every((i: { overdueSeconds: number }) => i.overdueSeconds > 0)).toBe(true);
  });

  it('another issuer’s supervisor sees only theirs; a partnership admin sees every one', async () => {
    const tx = await api()('GET', '/api/v1/reports/overdue-records', { key: texas.keys.supervisor });
    expect(tx.body.total).toBe(1);
    expect(tx.body.items.map((i: { noticeId: string }) => i.noticeId)).toEqual([texasNotice]);
    const admin = await api()('GET', '/api/v1/reports/overdue-records?limit=200', { key: partnership.keys.admin });
    expect(admin.body.total).toBe(11);
    // A recipient's supervisor issued nothing: nothing of others' notices.
    expect((await api()('GET', '/api/v1/reports/overdue-records', { key: county.keys.supervisor })).body).toMatchObject({ total: 0, items: [] });
  });

  it('refuses bad paging with a clear 400, and other roles with 403', async () => {
    for (const q of ['limit=0', 'limit=201', 'offset=-1', 'limit=abc', 'includeOffboarded=maybe']) {
      const res = await api()('GET', `/api/v1/reports/overdue-records?${q}`, { key: ohio.keys.supervisor });
      expect([q, res.status]).toEqual([q, 400]);
      expect(res.body.message).toBeDefined();
    }
    expect((await api()('GET', '/api/v1/reports/overdue-records', { key: ohio.keys.author })).status).toBe(403);
  });
});
