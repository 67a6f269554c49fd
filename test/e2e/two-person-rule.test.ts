/**
 * The two-person rule against a person who holds both roles (an outside audit found one of them
 * rewriting a colleague's draft and publishing it alone, and the same with an incident review):
 * whoever edited what is under review cannot approve it, nor accept its de-identification
 * findings; a refusal changes nothing; a second person still can; holding both roles without
 * having edited is no bar.
 */
import { currentInstrument, itemsOf } from '@sne/core';
import { addUser, apiClient, createAgency, createTopics, TestAgency } from '../support/fixtures';
import { startStack, Stack } from '../support/stack';


describe('the two-person rule, against one person holding both roles', () => {
  let stack: Stack;
  let call: ReturnType<typeof apiClient>;
  let A: TestAgency;
  let both: { id: string; key: string };

  beforeAll(async () => {
    stack = await startStack();
    call = apiClient(stack.url);
    await createTopics(stack.db, ['safe-sleep']);
    A = await createAgency(stack.db, { name: 'Two roles', roles: ['author', 'approver', 'reviewer', 'review_lead'] });
    both = await addUser(stack.db, A, 'Carl both roles', ['author', 'approver', 'reviewer']);
  });

  afterAll(async () => {
    await stack?.close();
  });

  const state = async (noticeId: string) =>
    (await stack.db.query(`SELECT n.status, n.reference, (SELECT count(*)::int FROM audit_events WHERE entity_id = $1::text) AS events FROM notices n WHERE n.id = $1::uuid`, [noticeId]))[0];

  const draft = async (body = 'Original text by the author.') => {
    const d = await call('POST', '/api/v1/notices', {
      key: A.keys.author,
      body: { title: 'Bath seat advisory', summary: 'Bath seat risk', body, category: 'advisory', severity: 'low', topics: ['safe-sleep'] },
    });
    expect(d.status).toBe(201);
    return d.body;
  };

  it("refuses to let a colleague who edited the author's draft approve it; a second person can", async () => {
    const d = await draft();
    const edited = await call('PATCH', `/api/v1/notices/${d.id}`, { key: both.key, body: { body: 'Entirely rewritten by the colleague.' } });
    expect(edited.status).toBe(200);
    const submitted = await call('POST', `/api/v1/notices/${d.id}/submit`, { key: both.key });
    expect(submitted.status).toBe(200);
    const before = await state(d.id);
    const refused = await call('POST', `/api/v1/notices/${d.id}/approve`, { key: both.key, body: { contentHash: submitted.body.contentHash } });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/two-person rule/);
    expect(await state(d.id)).toEqual(before);
    // Nor reject it.
    expect((await call('POST', `/api/v1/notices/${d.id}/reject`, { key: both.key, body: { reasons: ['Not needed'] } })).status).toBe(403);
    expect(await state(d.id)).toEqual(before);
    const approved = await call('POST', `/api/v1/notices/${d.id}/approve`, { key: A.keys.approver, body: { contentHash: submitted.body.contentHash } });
    expect(approved.status).toBe(200);
  });

  it('lets a person with both roles approve a draft they did not touch', async () => {
    const d = await draft();
    const submitted = await call('POST', `/api/v1/notices/${d.id}/submit`, { key: A.keys.author });
    const approved = await call('POST', `/api/v1/notices/${d.id}/approve`, { key: both.key, body: { contentHash: submitted.body.contentHash } });
    expect(approved.status).toBe(200);
  });

  it("refuses a colleague who edited the draft the override of its de-identification findings", async () => {
    const d = await draft("Questions: the duty worker's cell at 555-201-3344.");
    await call('PATCH', `/api/v1/notices/${d.id}`, { key: both.key, body: { summary: 'Bath seat risk, edited' } });
    const refused = await call('POST', `/api/v1/notices/${d.id}/submit`, { key: A.keys.author });
    expect(refused.status).toBe(422);
    const phone = refused.body.findings.find((f: any) => f.kind === 'phone');
    const override = { field: phone.field, kind: phone.kind, text: phone.text, justification: "The duty worker's published cell, not a family's number" };
    const byEditor = await call('POST', `/api/v1/notices/${d.id}/deid-overrides`, { key: both.key, body: { overrides: [override] } });
    expect(byEditor.status).toBe(403);
    expect((await stack.db.query(`SELECT count(*)::int AS n FROM deid_overrides WHERE notice_id = $1`, [d.id]))[0].n).toBe(0);
    expect((await call('POST', `/api/v1/notices/${d.id}/deid-overrides`, { key: A.keys.approver, body: { overrides: [override] } })).status).toBe(200);
  });

  it('refuses to let a colleague who edited this version of a review approve it, and only this version', async () => {
    const items = [...itemsOf(currentInstrument().version).keys()];
    const created = await call('POST', '/api/v1/reviews', {
      key: A.keys.reviewer,
      body: {
        incident: { incidentType: 'near_fatality', incidentYear: 2025, incidentMonth: 4, ageBand: 'under_1', priorInvolvement: 'none', circumstances: ['unsafe_sleep'], summary: 'An infant was found unresponsive.' },
        summary: 'Safe sleep guidance was not part of the closing visit.',
        ratings: Object.fromEntries(items.map((id) => [id, 1])),
        findings: [{ text: 'Closing visits had no checklist.' }],
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await call('PATCH', `/api/v1/reviews/${id}`, { key: both.key, body: { summary: 'Rewritten by the colleague.' } })).status).toBe(200);
    const submitted = await call('POST', `/api/v1/reviews/${id}/submit`, { key: A.keys.review_lead });
    expect(submitted.status).toBe(200);
    const hash = { version: submitted.body.version, contentHash: submitted.body.contentHash };
    const events = async () => (await stack.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE entity_id = $1`, [id]))[0].n;
    const before = await events();
    const refused = await call('POST', `/api/v1/reviews/${id}/approve`, { key: both.key, body: hash });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/two-person rule/);
    expect(await events()).toBe(before);
    expect((await call('POST', `/api/v1/reviews/${id}/approve`, { key: A.keys.approver, body: hash })).status).toBe(200);

    // The next version, which the colleague did not edit, is theirs to approve.
    const amended = await call('POST', `/api/v1/reviews/${id}/amend`, { key: A.keys.review_lead });
    expect(amended.status).toBe(200);
    const again = await call('POST', `/api/v1/reviews/${id}/submit`, { key: A.keys.review_lead });
    expect(again.status).toBe(200);
    expect((await call('POST', `/api/v1/reviews/${id}/approve`, { key: both.key, body: { version: again.body.version, contentHash: again.body.contentHash } })).status).toBe(200);
  });
});
