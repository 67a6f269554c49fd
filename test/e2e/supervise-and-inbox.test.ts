/**
 * Issue 10, items 3 and 4 on the real stack (PostgreSQL, NATS, the courier, an SMTP sink and a
 * webhook receiver): a supervisor reminds non-responders and resends to one agency with a note
 * (deliveries like any other, rate-limited, audited), reads each recipient's escalation
 * timeline and contacts; recipients read whom to ask (enquiries contact) and work from their
 * inbox, with actions underway, assigned to a colleague, with their own due time.
 */
import { ReminderScheduler } from '../../apps/dispatcher/src/reminder-scheduler.service';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { startWebhookReceiver, WebhookReceiver } from '../support/webhook-receiver';
import { startStack, Stack } from '../support/stack';
import { apiClient, createAgency, createTopics, eventually, TestAgency } from '../support/fixtures';

const ENQUIRIES = { name: 'Jordan Lee', role: 'Safe sleep program lead', email: 'jordan.lee@dcfs.test', phone: '+1 555 010 2030' };

describe('supervisors act on what they see; recipients know what they owe', () => {
  let stack: Stack;
  let smtp: SmtpSink;
  let receiver: WebhookReceiver;
  let call: ReturnType<typeof apiClient>;
  let issuer: TestAgency, hooked: TestAgency, mailed: TestAgency;
  let notice: any;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    receiver = await startWebhookReceiver();
    stack = await startStack({ SMTP_URL: smtp.url, ESCALATION_GRACE: '2h', MANUAL_REMINDER_INTERVAL: '1h' });
    call = apiClient(stack.url);
    await createTopics(stack.db, ['safe-sleep']);
    issuer = await createAgency(stack.db, { name: 'Issuer', type: 'state' });
    hooked = await createAgency(stack.db, { name: 'Hooked county' });
    mailed = await createAgency(stack.db, { name: 'Mailed tribe', type: 'tribal', timeZone: 'America/Denver' });
    await stack.db.query(`UPDATE agencies SET escalation_contacts = '{supervisor@tribe.test,director@tribe.test}' WHERE id = $1`, [mailed.id]);
    const hook = await call('POST', '/api/v1/subscriptions', {
      key: hooked.keys.agency_admin,
      body: { name: 'hook', topicPatterns: ['safe-sleep'], channel: 'webhook', webhookUrl: receiver.url('/county') },
    });
    receiver.setSecret('/county', hook.body.signingSecret);
    await call('POST', '/api/v1/subscriptions', {
      key: mailed.keys.agency_admin,
      body: { name: 'desk', topicPatterns: ['safe-sleep'], channel: 'email', emailAddresses: ['desk@tribe.test'] },
    });
    const draft = await call('POST', '/api/v1/notices', {
      key: issuer.keys.author,
      body: {
        title: 'Inclined sleepers',
        summary: 'Remove inclined sleepers',
        body: 'Line one',
        category: 'alert',
        severity: 'high',
        topics: ['safe-sleep'],
        requiredActions: ['Check homes with infants', 'Brief caseworkers'],
        enquiries: ENQUIRIES,
      },
    });
    expect(draft.status).toBe(201);
    expect(draft.body.enquiries).toEqual(ENQUIRIES);
    await call('POST', `/api/v1/notices/${draft.body.id}/submit`, { key: issuer.keys.author });
    const ok = await call('POST', `/api/v1/notices/${draft.body.id}/approve`, { key: issuer.keys.approver, body: { contentHash: draft.body.contentHash } });
    expect(ok.status).toBe(200);
    notice = ok.body;
  });

  afterAll(async () => {
    await stack?.close();
    await smtp?.close();
    await receiver?.close();
  });

  it('the enquiries contact travels with the notice: webhook payload, email, and a default of the author', async () => {
    const hook = await receiver.waitFor((r) => r.path === '/county' && JSON.parse(r.body).type === 'notice.published');
    expect(JSON.parse(hook.body).data.notice.enquiries).toEqual(ENQUIRIES);
    const mail = await smtp.waitFor((m) => m.envelope.rcptTo.includes('desk@tribe.test') && m.subject?.includes(notice.reference) === true);
    expect(mail.text).toContain('QUESTIONS ABOUT THIS NOTICE');
    expect(mail.text).toContain('Jordan Lee, Safe sleep program lead');
    expect(mail.text).toContain('jordan.lee@dcfs.test - +1 555 010 2030');
    expect(mail.html).toContain('mailto:jordan.lee@dcfs.test');

    const plain = await call('POST', '/api/v1/notices', {
      key: issuer.keys.author,
      body: { title: 'Plain notice', summary: 'Nothing to do', body: 'Body text', category: 'information', severity: 'low', topics: ['safe-sleep'] },
    });
    expect(plain.status).toBe(201);
    expect(plain.body.enquiries).toEqual({ name: `author ${issuer.name.split(' ').pop()}`, role: null, email: expect.stringMatching(/^author-/), phone: null });
    const bad = await call('POST', '/api/v1/notices', {
      key: issuer.keys.author,
      body: { title: 'Bad contact', summary: 'Nothing to do', body: 'Body text', category: 'information', severity: 'low', topics: ['safe-sleep'], enquiries: { name: 'X', email: 'not-an-address', phone: 'call me' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message.join(' ')).toMatch(/email/);
  });

  it('remind non-responders: every pending agency, through its own channel, with the note; then 429 with Retry-After', async () => {
    await eventually(async () => (await call('GET', `/api/v1/notices/${notice.id}/acknowledgments`, { key: issuer.keys.supervisor })).body.items.every((i: any) => i.deliveries.some((d: any) => d.status === 'delivered')));
    // The issuing agency sees each recipient's contacts on its row; a recipient does not.
    const rows = (await call('GET', `/api/v1/notices/${notice.id}/acknowledgments`, { key: issuer.keys.supervisor })).body.items;
    expect(rows.find((r: any) => r.agency.id === mailed.id).contacts).toEqual({
      noticesContact: mailed.contact,
      escalationContacts: ['supervisor@tribe.test', 'director@tribe.test'],
      fallbackContacts: [],
    });
    expect((await call('GET', `/api/v1/notices/${notice.id}/acknowledgments`, { key: hooked.keys.supervisor })).body.items[0].contacts).toBeNull();

    // Only the issuing agency's supervisors, approvers (and partnership admins) remind; others 403/404.
    expect((await call('POST', `/api/v1/notices/${notice.id}/reminders`, { key: issuer.keys.author, body: {} })).status).toBe(403);
    expect((await call('POST', `/api/v1/notices/${notice.id}/reminders`, { key: hooked.keys.supervisor, body: {} })).status).toBe(404);
    expect((await call('POST', `/api/v1/notices/${notice.id}/reminders`, { key: issuer.keys.supervisor, body: { note: 7 } })).status).toBe(400);

    const res = await call('POST', `/api/v1/notices/${notice.id}/reminders`, { key: issuer.keys.supervisor, body: { note: 'Please confirm by noon.' } });
    expect(res.status).toBe(200);
    expect(res.body.reminded.map((r: any) => [r.agencyId, r.owes]).sort()).toEqual([[hooked.id, 'acknowledgment'], [mailed.id, 'acknowledgment']].sort());
    expect(res.body.skipped).toEqual([]);

    const hook = await receiver.waitFor((r) => r.path === '/county' && JSON.parse(r.body).type === 'notice.reminder');
    expect(hook.verified).toBe(true);
    expect(JSON.parse(hook.body).data.reminder).toEqual({ stage: null, manual: true, note: 'Please confirm by noon.', requestedBy: { name: `supervisor ${issuer.name.split(' ').pop()}`, agency: issuer.name } });
    const mail = await smtp.waitFor((m) => m.envelope.rcptTo.includes('desk@tribe.test') && m.text?.includes('REMINDER:') === true);
    expect(mail.text).toContain('has not acknowledged this notice yet');
    expect(mail.text).toContain('Please confirm by noon.');

    // Durable rows: a negative sequence, the note and who asked; audited on the records and the notice.
    const deliveries = await stack.db.query(`SELECT sequence, note, requested_by, status FROM deliveries WHERE notice_id = $1 AND sequence < 0`, [notice.id]);
    expect(deliveries).toHaveLength(2);
    expect(deliveries.every((d: any) => d.sequence === -1 && d.note === 'Please confirm by noon.' && d.requested_by === issuer.userIds.supervisor)).toBe(true);
    const history = await call('GET', `/api/v1/audit?entityType=notice&entityId=${notice.id}`, { key: issuer.keys.agency_admin });
    expect(history.body.items.map((e: any) => e.action)).toContain('notice.reminders_requested');

    const again = await call('POST', `/api/v1/notices/${notice.id}/reminders`, { key: issuer.keys.supervisor, body: {} });
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(3500);
    expect(again.body.message).toMatch(/reminded less than 60 minutes ago/);
    const resendTooSoon = await call('POST', `/api/v1/notices/${notice.id}/recipients/${hooked.id}/resend`, { key: issuer.keys.supervisor, body: { note: 'Again' } });
    expect(resendTooSoon.status).toBe(429);
    expect(resendTooSoon.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await stack.db.query(`SELECT 1 FROM deliveries WHERE notice_id = $1 AND sequence < 0`, [notice.id])).toHaveLength(2);
  });

  it('resend to one agency with a note, once the window has passed; a note is required', async () => {
    await stack.db.query(`UPDATE deliveries SET created_at = created_at - interval '2 hours' WHERE notice_id = $1 AND sequence < 0`, [notice.id]);
    expect((await call('POST', `/api/v1/notices/${notice.id}/recipients/${hooked.id}/resend`, { key: issuer.keys.supervisor, body: {} })).status).toBe(400);
    expect((await call('POST', `/api/v1/notices/${notice.id}/recipients/${issuer.id}/resend`, { key: issuer.keys.supervisor, body: { note: 'x' } })).status).toBe(404);
    const res = await call('POST', `/api/v1/notices/${notice.id}/recipients/${hooked.id}/resend`, { key: issuer.keys.approver, body: { note: 'Your county says it never arrived.' } });
    expect(res.status).toBe(200);
    expect(res.body.reminded).toEqual([{ agencyId: hooked.id, agencyName: hooked.name, owes: 'acknowledgment', deliveryIds: [expect.any(String)] }]);
    const hook = await receiver.waitFor((r) => r.path === '/county' && JSON.parse(r.body).data?.reminder?.note === 'Your county says it never arrived.');
    expect(hook.headers['webhook-id']).toBe(res.body.deliveryIds?.[0] ?? res.body.reminded[0].deliveryIds[0]);
    const [row] = await stack.db.query(`SELECT sequence FROM deliveries WHERE id = $1`, [res.body.reminded[0].deliveryIds[0]]);
    expect(row.sequence).toBe(-2);
  });

  it("each recipient's escalation timeline: sent, reminded, escalated to whom, acknowledged", async () => {
    const [rec] = await stack.db.query(`SELECT due_at FROM acknowledgments WHERE notice_id = $1 AND agency_id = $2`, [notice.id, mailed.id]);
    const scheduler = new ReminderScheduler(stack.db, stack.deps.publisher, stack.config, { now: () => new Date() });
    const late = new Date(rec.due_at.getTime() + 3 * 3600_000);
    for (let i = 0; i < 3; i++) await scheduler.tick(late); // reminder before, at the due time, then rung 1
    await smtp.waitFor((m) => m.envelope.rcptTo.includes('supervisor@tribe.test'));
    await call('POST', `/api/v1/notices/${notice.id}/acknowledgments`, { key: mailed.keys.supervisor, body: { name: 'Dana' } });

    const t = await call('GET', `/api/v1/notices/${notice.id}/recipients/${mailed.id}/timeline`, { key: issuer.keys.supervisor });
    expect(t.status).toBe(200);
    expect(t.body.agency.contacts.escalationContacts).toEqual(['supervisor@tribe.test', 'director@tribe.test']);
    expect(t.body.entries.map((e: any) => e.kind)).toEqual(['sent', 'reminded', 'reminded', 'reminded', 'escalated', 'acknowledged']);
    const [sent, manual] = t.body.entries;
    // The subscription's address by its domain only (the agency's own business); its contacts in full.
    expect(sent.messages[0]).toMatchObject({ channel: 'email', to: ['***@tribe.test'] });
    expect(manual).toMatchObject({ by: `supervisor ${issuer.name.split(' ').pop()}`, note: 'Please confirm by noon.', detail: 'reminder sent on request' });
    const escalated = t.body.entries[4];
    expect(escalated).toMatchObject({ by: 'the scheduler', detail: 'escalated to supervisor@tribe.test' });
    expect(escalated.messages[0].to).toEqual(['supervisor@tribe.test']);
    expect(t.body.entries[5].by).toBe(`supervisor ${mailed.name.split(' ').pop()}`);

    // The recipient sees its own timeline; another agency's answers 404.
    const own = await call('GET', `/api/v1/notices/${notice.id}/recipients/${mailed.id}/timeline`, { key: mailed.keys.author });
    expect(own.status).toBe(200);
    expect(own.body.entries[0].messages[0].to).toEqual(['desk@tribe.test']);
    expect((await call('GET', `/api/v1/notices/${notice.id}/recipients/${mailed.id}/timeline`, { key: hooked.keys.supervisor })).status).toBe(404);
    const hookedTimeline = await call('GET', `/api/v1/notices/${notice.id}/recipients/${hooked.id}/timeline`, { key: issuer.keys.supervisor });
    // The scheduler's two reminders of the hooked county follow (it is pending too).
    expect(hookedTimeline.body.entries.map((e: any) => e.kind)).toEqual(['sent', 'reminded', 'resent', 'reminded', 'reminded']);
    expect(hookedTimeline.body.entries[2].note).toBe('Your county says it never arrived.');
  });

  it('the inbox: what we still owe and by when; actions underway, assigned to a colleague, with their own due time', async () => {
    const inbox = async (q = '') => (await call('GET', `/api/v1/inbox${q}`, { key: hooked.keys.author })).body;
    let owed = await inbox('?state=owed');
    expect(owed.total).toBe(1);
    expect(owed.items[0]).toMatchObject({ noticeId: notice.id, state: 'pending', enquiries: ENQUIRIES, issuingAgency: { id: issuer.id, name: issuer.name } });
    expect(owed.items[0].nextDeadline).toBe(owed.items[0].dueAt);
    expect(owed.items[0].nextDeadlineLocal).toMatch(/C[SD]T$/);
    expect((await call('GET', '/api/v1/inbox?state=everything', { key: hooked.keys.author })).status).toBe(400);

    await call('POST', `/api/v1/notices/${notice.id}/acknowledgments`, { key: hooked.keys.supervisor, body: {} });
    owed = await inbox('?state=owed');
    expect(owed.items[0].state).toBe('actions_owed');
    expect(owed.items[0].nextDeadline).toBe(owed.items[0].actionsDueAt);

    const colleagues = (await call('GET', '/api/v1/inbox/colleagues', { key: hooked.keys.author })).body.items;
    expect(colleagues.map((c: any) => c.id)).toContain(hooked.userIds.approver);
    const soon = new Date(Date.now() + 86400_000).toISOString();
    const stranger = await call('POST', `/api/v1/notices/${notice.id}/acknowledgments/actions`, {
      key: hooked.keys.supervisor,
      body: { answers: [{ action: 0, response: 'underway', assigneeUserId: mailed.userIds.approver }] },
    });
    expect(stranger.status).toBe(400);
    const assigned = await call('POST', `/api/v1/notices/${notice.id}/acknowledgments/actions`, {
      key: hooked.keys.supervisor,
      body: { answers: [{ action: 0, response: 'underway', note: 'Visits booked', assigneeUserId: hooked.userIds.approver, dueAt: soon }] },
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body.status).toBe('acknowledged'); // underway answers nothing yet
    owed = await inbox('?state=actions_owed');
    const item = owed.items[0];
    expect(item.nextDeadline).toBe(soon);
    expect(item.actions[0]).toMatchObject({ state: 'underway', assignee: { id: hooked.userIds.approver, name: `approver ${hooked.name.split(' ').pop()}` }, dueAt: soon });
    expect(item.actions[1]).toMatchObject({ state: 'open', assignee: null, dueAt: item.actionsDueAt });
    const row = (await call('GET', `/api/v1/notices/${notice.id}/acknowledgments`, { key: issuer.keys.supervisor })).body.items.find((i: any) => i.agency.id === hooked.id);
    expect(row.actions[0]).toMatchObject({ state: 'underway', assignee: { id: hooked.userIds.approver } });

    // Done keeps the assignee and due time; the record completes; underway cannot reopen it.
    const done = await call('POST', `/api/v1/notices/${notice.id}/acknowledgments/actions`, {
      key: hooked.keys.approver,
      body: { answers: [{ action: 0, response: 'done' }, { action: 1, response: 'done' }] },
    });
    expect(done.body.status).toBe('action_completed');
    const reopen = await call('POST', `/api/v1/notices/${notice.id}/acknowledgments/actions`, { key: hooked.keys.approver, body: { answers: [{ action: 0, response: 'underway' }] } });
    expect(reopen.status).toBe(409);
    const answers = (await call('GET', `/api/v1/acknowledgments/${row.acknowledgmentId}/answers`, { key: hooked.keys.author })).body.items;
    expect(answers.map((a: any) => [a.action, a.response, a.assignee?.id ?? null])).toEqual([
      [0, 'underway', hooked.userIds.approver],
      [0, 'done', hooked.userIds.approver],
      [1, 'done', null],
    ]);
    expect((await inbox('?state=owed')).total).toBe(0);
    const complete = await inbox('?state=complete&limit=1');
    expect(complete).toMatchObject({ total: 1, limit: 1, offset: 0, counts: { owed: 0, complete: 1 } });
    expect(complete.items[0]).toMatchObject({ state: 'complete', nextDeadline: null });
    expect((await inbox('?limit=1&offset=1')).items).toEqual([]);

    // Every change above is audited.
    const events = await stack.db.query(`SELECT action, after FROM audit_events WHERE entity_id = $1 ORDER BY id`, [row.acknowledgmentId]);
    expect(events.some((e: any) => e.action === 'acknowledgment.action_answered' && e.after.answers[0].response === 'underway')).toBe(true);
  });

  it('a reminder to an agency that acknowledged but owes actions says so; one that owes nothing is not reminded', async () => {
    await stack.db.query(`UPDATE deliveries SET created_at = created_at - interval '2 hours' WHERE notice_id = $1 AND sequence < 0`, [notice.id]);
    const res = await call('POST', `/api/v1/notices/${notice.id}/reminders`, { key: issuer.keys.supervisor, body: {} });
    expect(res.status).toBe(200);
    // The hooked county completed its actions above: only the tribe, which acknowledged, still owes them.
    expect(res.body.reminded).toEqual([{ agencyId: mailed.id, agencyName: mailed.name, owes: 'actions', deliveryIds: [expect.any(String)] }]);
    const mail = await smtp.waitFor((m) => m.envelope.rcptTo.includes('desk@tribe.test') && m.text?.includes('has not yet reported on its required actions') === true);
    expect(mail.text).toContain(`REMINDER: ${mailed.name} has acknowledged this notice but has not yet reported on its required actions, due`);
  });

  it('reminders or resends asked at the same moment: one goes, the others get 429; one audit event, one message per channel', async () => {
    const draft = await call('POST', '/api/v1/notices', {
      key: issuer.keys.author,
      body: { title: 'Asked twice at once', summary: 'Remove inclined sleepers', body: 'Body', category: 'advisory', severity: 'high', topics: ['safe-sleep'] },
    });
    await call('POST', `/api/v1/notices/${draft.body.id}/submit`, { key: issuer.keys.author });
    expect((await call('POST', `/api/v1/notices/${draft.body.id}/approve`, { key: issuer.keys.approver, body: { contentHash: draft.body.contentHash } })).status).toBe(200);
    const id = draft.body.id;
    await eventually(async () => (await stack.db.query(`SELECT count(*)::int AS n FROM acknowledgments WHERE notice_id = $1`, [id]))[0].n === 2, 10000, 'the records');
    const manual = async () => (await stack.db.query(`SELECT agency_id, sequence FROM deliveries WHERE notice_id = $1 AND sequence < 0 ORDER BY agency_id, sequence`, [id])) as { agency_id: string; sequence: number }[];
    const audited = async (action: string) => (await stack.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE entity_id = $1 AND action = $2`, [id, action]))[0].n;

    const reminders = await Promise.all([0, 1, 2, 3].map(() => call('POST', `/api/v1/notices/${id}/reminders`, { key: issuer.keys.supervisor, body: { note: 'At once' } })));
    expect(reminders.map((r) => r.status).sort()).toEqual([200, 429, 429, 429]);
    expect(await audited('notice.reminders_requested')).toBe(1);
    expect((await manual()).map((d) => d.sequence)).toEqual([-1, -1]);

    // The window has passed: four resends to the county at once.
    await stack.db.query(`UPDATE deliveries SET created_at = created_at - interval '2 hours' WHERE notice_id = $1 AND sequence < 0`, [id]);
    const resends = await Promise.all([0, 1, 2, 3].map(() => call('POST', `/api/v1/notices/${id}/recipients/${hooked.id}/resend`, { key: issuer.keys.supervisor, body: { note: 'At once' } })));
    expect(resends.map((r) => r.status).sort()).toEqual([200, 429, 429, 429]);
    expect(await audited('notice.resent')).toBe(1);
    expect((await manual()).filter((d) => d.agency_id === hooked.id).map((d) => d.sequence)).toEqual([-2, -1]);
  });
});
