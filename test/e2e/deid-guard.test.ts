/**
 * The de-identification guard on the way to publication: submit and approve refuse a notice that
 * may identify a child or family, naming each finding and its span, until the text is fixed or
 * an approver (never the author) overrides each finding with a justification, which is audited.
 */
import { startStack, Stack } from '../support/stack';
import { apiClient, createAgency, createTopics, TestAgency } from '../support/fixtures';

describe('de-identification guard', () => {
  let stack: Stack;
  let call: ReturnType<typeof apiClient>;
  let agency: TestAgency;

  beforeAll(async () => {
    stack = await startStack();
    call = apiClient(stack.url);
    await createTopics(stack.db, ['safe-sleep']);
    agency = await createAgency(stack.db, { name: 'Deid' });
  });

  afterAll(async () => {
    await stack?.close();
  });

  const identifying = 'On March 3, 2026 the infant, Jayden, was found unresponsive in an inclined sleeper. Call his mother at 555-201-3344.';

  it('refuses submission while findings stand, names their spans, and lets an approver override with a reason', async () => {
    const draft = await call('POST', '/api/v1/notices', {
      key: agency.keys.author,
      body: { title: 'Inclined sleeper death', summary: 'Remove inclined sleepers', body: identifying, category: 'alert', severity: 'high', topics: ['safe-sleep'] },
    });
    const refused = await call('POST', `/api/v1/notices/${draft.body.id}/submit`, { key: agency.keys.author });
    expect(refused.status).toBe(422);
    expect(refused.body.message).toMatch(/may identify a child or family/);
    const kinds = refused.body.findings.map((f: any) => f.kind);
    expect(kinds).toEqual(expect.arrayContaining(['personal_name', 'phone']));
    for (const f of refused.body.findings) {
      expect(identifying.slice(f.start, f.end)).toBe(f.text);
      expect(f.field).toBe('body');
      expect(f.reason).toEqual(expect.any(String));
    }
    expect((await call('GET', `/api/v1/notices/${draft.body.id}`, { key: agency.keys.author })).body.status).toBe('draft');

    // The author fixes the name; the phone number is the duty worker's published cell, which the approver accepts.
    const fixed = await call('PATCH', `/api/v1/notices/${draft.body.id}`, {
      key: agency.keys.author,
      body: { body: "An infant was found unresponsive in an inclined sleeper. Questions: the duty worker's cell at 555-201-3344." },
    });
    const still = await call('POST', `/api/v1/notices/${draft.body.id}/submit`, { key: agency.keys.author });
    expect(still.status).toBe(422);
    const phone = still.body.findings.find((f: any) => f.kind === 'phone');
    expect(phone).toBeDefined();
    expect(still.body.findings.some((f: any) => f.kind === 'personal_name')).toBe(false);

    const override = { field: phone.field, kind: phone.kind, text: phone.text, justification: "The duty worker's cell is published as the state's safe-sleep line, not a family's number" };
    expect((await call('POST', `/api/v1/notices/${draft.body.id}/deid-overrides`, { key: agency.keys.author, body: { overrides: [override] } })).status).toBe(403);
    expect((await call('POST', `/api/v1/notices/${draft.body.id}/deid-overrides`, { key: agency.keys.approver, body: { overrides: [{ ...override, justification: 'ok' }] } })).status).toBe(400);
    const done = await call('POST', `/api/v1/notices/${draft.body.id}/deid-overrides`, { key: agency.keys.approver, body: { overrides: [override] } });
    expect(done.status).toBe(200);
    expect(done.body.findings.every((f: any) => f.override?.justification)).toBe(true);

    expect((await call('POST', `/api/v1/notices/${draft.body.id}/submit`, { key: agency.keys.author })).status).toBe(200);
    const approved = await call('POST', `/api/v1/notices/${draft.body.id}/approve`, { key: agency.keys.approver, body: { contentHash: fixed.body.contentHash } });
    expect(approved.status).toBe(200);
    const events = await stack.db.query(`SELECT after FROM audit_events WHERE action = 'notice.deid_overridden' AND entity_id = $1`, [draft.body.id]);
    expect(events).toHaveLength(1);
    expect(events[0].after.justification).toBe(override.justification);
  });

  it('checks again on approval: an override does not cover new identifying text', async () => {
    const draft = await call('POST', '/api/v1/notices', {
      key: agency.keys.author,
      body: { title: 'Screening gap', summary: 'Summary', body: 'Screen every report.', category: 'advisory', severity: 'low', topics: ['safe-sleep'] },
    });
    expect((await call('POST', `/api/v1/notices/${draft.body.id}/submit`, { key: agency.keys.author })).status).toBe(200);
    // Identifying text slipped in after submission (written straight to the row, as a bug or a tamper would).
    await stack.db.query(`UPDATE notices SET body_markdown = 'Case #2024-00123: the child, Maria Lopez, age 4.' WHERE id = $1`, [draft.body.id]);
    const refused = await call('POST', `/api/v1/notices/${draft.body.id}/approve`, { key: agency.keys.approver, body: { contentHash: draft.body.contentHash } });
    expect(refused.status).toBe(422);
    expect(refused.body.findings.map((f: any) => f.kind)).toEqual(expect.arrayContaining(['case_number']));
  });

  it("never flags the issuing agency's own published contacts (its mailbox, its line, the name in its mailbox), only another agency's", async () => {
    const own = await createAgency(stack.db, { name: 'Deid Own Contacts' });
    await stack.db.query(`UPDATE agencies SET escalation_contacts = $2, fallback_contacts = $3 WHERE id = $1`, [
      own.id,
      ['dana.whitfield@own-agency.example.gov'],
      ['(614) 555-0177'],
    ]);
    const body =
      'Remove inclined sleepers from every home. Questions: Dana Whitfield at dana.whitfield@own-agency.example.gov, or text the ' +
      "safety manager's cell at (614) 555-0177.";
    const notice = { title: 'Inclined sleepers', summary: 'Remove inclined sleepers', body, category: 'alert', severity: 'high', topics: ['safe-sleep'] };

    // The same text from an agency that does not publish these contacts is refused for the mailbox and the cell
    // (the name is a notice contact, after "Questions:", so it is never a finding).
    const foreign = await call('POST', '/api/v1/notices', { key: agency.keys.author, body: notice });
    const refused = await call('POST', `/api/v1/notices/${foreign.body.id}/submit`, { key: agency.keys.author });
    expect(refused.status).toBe(422);
    expect(refused.body.findings.map((f: any) => `${f.kind}:${f.text}`).sort()).toEqual(
      ['email:dana.whitfield@own-agency.example.gov', 'phone:(614) 555-0177'].sort(),
    );

    const draft = await call('POST', '/api/v1/notices', { key: own.keys.author, body: notice });
    expect((await call('GET', `/api/v1/notices/${draft.body.id}/deid`, { key: own.keys.author })).body.findings).toEqual([]);
    expect((await call('POST', `/api/v1/notices/${draft.body.id}/submit`, { key: own.keys.author })).status).toBe(200);
  });
});
