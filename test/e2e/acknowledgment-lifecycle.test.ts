/**
 * product.md scenarios 2 and 5 and the acknowledgment model: two tiers with per-action answers
 * (history kept), updates that supersede (material resets acknowledgments, non-material keeps
 * them), cancellations that close everything and tell everyone, and reminders and escalation
 * rungs that fire exactly once, in order, with two schedulers on a controllable clock.
 */
import { Webhook } from 'standardwebhooks';
import { ReminderScheduler } from '../../apps/dispatcher/src/reminder-scheduler.service';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { startWebhookReceiver, WebhookReceiver } from '../support/webhook-receiver';
import { startStack, Stack } from '../support/stack';
import { apiClient, createAgency, createTopics, eventually, TestAgency } from '../support/fixtures';

describe('acknowledgments a partnership can be run on', () => {
  let stack: Stack;
  let smtp: SmtpSink;
  let receiver: WebhookReceiver;
  let call: ReturnType<typeof apiClient>;
  let issuer: TestAgency, hooked: TestAgency, mailed: TestAgency;
  let secret: string;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    receiver = await startWebhookReceiver();
    stack = await startStack({ SMTP_URL: smtp.url, REMINDER_BEFORE_DUE: '4h', ESCALATION_GRACE: '2h' });
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
    secret = hook.body.signingSecret;
    receiver.setSecret('/county', secret);
    await call('POST', '/api/v1/subscriptions', {
      key: mailed.keys.agency_admin,
      body: { name: 'desk', topicPatterns: ['safe-sleep'], channel: 'email', emailAddresses: ['desk@tribe.test'] },
    });
  });

  afterAll(async () => {
    await stack?.close();
    await smtp?.close();
    await receiver?.close();
  });

  async function publish(extra: object = {}) {
    const d = await call('POST', '/api/v1/notices', {
      key: issuer.keys.author,
      body: {
        title: 'Inclined sleepers',
        summary: 'Remove inclined sleepers',
        body: 'Line one\nLine two',
        category: 'alert',
        severity: 'high',
        topics: ['safe-sleep'],
        requiredActions: ['Check homes with infants', 'Brief caseworkers'],
        ...extra,
      },
    });
    return approve(d.body);
  }

  async function approve(draft: any) {
    await call('POST', `/api/v1/notices/${draft.id}/submit`, { key: issuer.keys.author });
    const ok = await call('POST', `/api/v1/notices/${draft.id}/approve`, { key: issuer.keys.approver, body: { contentHash: draft.contentHash } });
    expect(ok.status).toBe(200);
    await eventually(async () => {
      const [r] = await stack.db.query(`SELECT count(*)::int AS n FROM deliveries WHERE notice_id = $1 AND status = 'delivered'`, [draft.id]);
      return r.n >= 2;
    }, 15000, 'the broadcast');
    return ok.body;
  }

  const recordOf = async (noticeId: string, agencyId: string) => {
    const v = await call('GET', `/api/v1/notices/${noticeId}/acknowledgments`, { key: issuer.keys.supervisor });
    return v.body.items.find((i: any) => i.agency.id === agencyId);
  };

  it('two tiers: acknowledged, then each required action answered; every answer kept', async () => {
    const notice = await publish();
    const early = await call('POST', `/api/v1/notices/${notice.id}/acknowledgments/actions`, {
      key: hooked.keys.supervisor,
      body: { answers: [{ action: 0, response: 'done' }] },
    });
    expect(early.status).toBe(409); // acknowledge first

    await call('POST', `/api/v1/notices/${notice.id}/acknowledgments`, { key: hooked.keys.supervisor, body: {} });
    const one = await call('POST', `/api/v1/notices/${notice.id}/acknowledgments/actions`, {
      key: hooked.keys.supervisor,
      body: { answers: [{ action: 0, response: 'not_applicable', note: 'No infants on caseload' }] },
    });
    expect(one.body.status).toBe('acknowledged');
    const noReason = await call('POST', `/api/v1/notices/${notice.id}/acknowledgments/actions`, {
      key: hooked.keys.supervisor,
      body: { answers: [{ action: 1, response: 'not_applicable' }] },
    });
    expect(noReason.status).toBe(400);
    const outOfRange = await call('POST', `/api/v1/notices/${notice.id}/acknowledgments/actions`, {
      key: hooked.keys.supervisor,
      body: { answers: [{ action: 7, response: 'done' }] },
    });
    expect(outOfRange.status).toBe(400);
    const both = await call('POST', `/api/v1/notices/${notice.id}/acknowledgments/actions`, {
      key: hooked.keys.supervisor,
      body: { answers: [{ action: 0, response: 'done', note: 'Checked after all' }, { action: 1, response: 'done', note: 'Briefed' }] },
    });
    expect(both.body.status).toBe('action_completed');
    expect(both.body.actionsCompletedAt).not.toBeNull();
    expect(both.body.actionsLate).toBe(false);

    const row = await recordOf(notice.id, hooked.id);
    expect(row.actions.map((a: any) => a.latest.response)).toEqual(['done', 'done']);
    const history = await call('GET', `/api/v1/acknowledgments/${row.acknowledgmentId}/answers`, { key: issuer.keys.supervisor });
    expect(history.body.items.map((h: any) => [h.action, h.response])).toEqual([
      [0, 'not_applicable'],
      [0, 'done'],
      [1, 'done'],
    ]);
    // Another agency cannot read it.
    expect((await call('GET', `/api/v1/acknowledgments/${row.acknowledgmentId}/answers`, { key: mailed.keys.supervisor })).status).toBe(404);

    // The email recipient reports action through the acknowledgment page.
    const mail = await smtp.waitFor((m) => m.subject?.includes(notice.reference) === true && m.envelope.rcptTo.includes('desk@tribe.test'));
    const link = /(http:\/\/[^\s"<>]+\/ack\/[A-Za-z0-9_.-]+)/.exec(mail.text!)![1];
    await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=Dana' });
    const page = await (await fetch(link)).text();
    expect(page).toContain('Report action');
    const form = await fetch(`${link.replace('/ack/', '/ack/')}/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=Dana&action_0=not_applicable&note_0=No+infants&action_1=not_applicable&note_1=No+caseworkers',
    });
    expect(form.status).toBe(200);
    expect((await recordOf(notice.id, mailed.id)).status).toBe('action_not_required');
  });

  it('the email link’s page offers underway: the action stays open, then done completes it', async () => {
    const notice = await publish({ title: 'Recalled sleeper, work in progress' });
    const mail = await smtp.waitFor((m) => m.subject?.includes(notice.reference) === true && m.envelope.rcptTo.includes('desk@tribe.test'));
    const link = /(http:\/\/[^\s"<>]+\/ack\/[A-Za-z0-9_.-]+)/.exec(mail.text!)![1];
    const post = (path: string, body: string) =>
      fetch(`${link}${path}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect((await post('', 'name=Dana')).status).toBe(303);
    const page = await (await fetch(link)).text();
    for (const i of [0, 1]) expect(page).toContain(`<input type="radio" id="action_${i}_underway" name="action_${i}" value="underway">`);
    expect(page).toContain('<label for="action_0_underway">Underway</label>');

    const underway = await post('/actions', 'name=Dana&action_0=underway&note_0=Visits+booked');
    expect(underway.status).toBe(303);
    expect(underway.headers.get('location')).toBe(new URL(link).pathname);
    const after = await (await fetch(link)).text();
    expect(after).toContain('(last answer: underway by Dana)');
    let row = await recordOf(notice.id, mailed.id);
    expect(row.status).toBe('acknowledged');
    expect(row.actions[0].latest.response).toBe('underway');
    expect(row.actions[0].state).toBe('underway');
    const [answer] = await stack.db.query(
      `SELECT r.response, r.note, r.channel FROM action_responses r JOIN acknowledgments a ON a.id = r.acknowledgment_id WHERE a.notice_id = $1 AND a.agency_id = $2`,
      [notice.id, mailed.id],
    );
    expect(answer).toEqual({ response: 'underway', note: 'Visits booked', channel: 'email_link' });
    const [audited] = await stack.db.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'acknowledgment.action_answered' AND entity_id = $1 AND after->'answers'->0->>'response' = 'underway'`,
      [row.acknowledgmentId],
    );
    expect(audited.n).toBe(1);

    // An answer that is not one of the three changes nothing.
    const bad = await post('/actions', 'name=Dana&action_1=started');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Choose underway, done or not applicable for each action.');

    await post('/actions', 'name=Dana&action_0=done&note_0=Visited&action_1=done&note_1=Briefed');
    row = await recordOf(notice.id, mailed.id);
    expect(row.status).toBe('action_completed');
    // Answered actions cannot go back to underway (409), so the page no longer offers it; done and not applicable stay.
    const answered = await (await fetch(link)).text();
    expect(answered).not.toContain('value="underway"');
    expect(answered).toContain('<label for="action_0_done">Done</label>');
  });

  it('a non-material update keeps acknowledgments; every recipient is told with a readable diff', async () => {
    const original = await publish({ category: 'advisory', requiredActions: [] });
    await call('POST', `/api/v1/notices/${original.id}/acknowledgments`, { key: hooked.keys.supervisor, body: {} });
    const draft = await call('POST', `/api/v1/notices/${original.id}/updates`, {
      key: issuer.keys.author,
      body: { material: false, body: 'Line one\nLine 2 clarified' },
    });
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({ status: 'draft', supersedesId: original.id, material: false });
    // Only one update at a time.
    expect((await call('POST', `/api/v1/notices/${original.id}/updates`, { key: issuer.keys.author, body: { material: true } })).status).toBe(409);
    const update = await approve(draft.body);
    expect(update.changes).toEqual([{ field: 'Body', before: 'Line one\nLine two', after: 'Line one\nLine 2 clarified', lines: ['- Line two', '+ Line 2 clarified'] }]);
    expect((await call('GET', `/api/v1/notices/${original.id}`, { key: issuer.keys.supervisor })).body.status).toBe('superseded');

    const told = await receiver.waitFor((r) => r.path === '/county' && JSON.parse(r.body).type === 'notice.updated');
    const payload = new Webhook(secret).verify(told.body, told.headers as Record<string, string>) as any;
    expect(payload.data.supersedes).toEqual({ id: original.id, reference: original.reference });
    expect(payload.data.changes[0].field).toBe('Body');
    const mail = await smtp.waitFor((m) => m.subject?.startsWith('[UPDATED]') === true && m.subject.includes(update.reference));
    expect(mail.text).toContain('Line 2 clarified');

    // Non-material: the county's acknowledgment carries over; the tribe still owes one.
    expect((await recordOf(update.id, hooked.id)).status).toBe('acknowledged');
    expect((await recordOf(update.id, mailed.id)).status).toBe('pending');
    expect((await recordOf(original.id, hooked.id)).status).toBe('acknowledged'); // history: it was acknowledged
    expect((await recordOf(original.id, mailed.id)).status).toBe('superseded');

    // The original email's link sends the tribe to the update it still owes (it said "nothing more is needed").
    const first = await smtp.waitFor((m) => m.subject?.includes(original.reference) === true && !m.subject.startsWith('[UPDATED]') && m.envelope.rcptTo.includes('desk@tribe.test'));
    const link = /(http:\/\/[^\s"<>]+\/ack\/[A-Za-z0-9_.-]+)/.exec(first.text!)![1];
    const owed = await (await fetch(link)).text();
    expect(owed).toContain(`This notice was replaced by an update, ${update.reference}.`);
    expect(owed).toContain('has not acknowledged the update yet');
    expect(owed).not.toContain('Nothing more is needed');
    await call('POST', `/api/v1/notices/${update.id}/acknowledgments`, { key: mailed.keys.supervisor, body: {} });
    const done = await (await fetch(link)).text();
    expect(done).toContain('has acknowledged the update: nothing more is needed from this page.');
  });

  it('a non-material update of an overdue notice keeps the agency overdue, late and on the same reminder rung', async () => {
    const original = await publish({ category: 'advisory', requiredActions: [] });
    // Time passes: the tribe is four hours overdue and its ladder is at the first escalation.
    const rung = { due: new Date(Date.now() - 4 * 3600_000), next: new Date(Date.now() + 3600_000) };
    await stack.db.query(
      `UPDATE acknowledgments SET due_at = $3, reminder_stage = 3, next_reminder_at = $4 WHERE notice_id = $1 AND agency_id = $2`,
      [original.id, mailed.id, rung.due, rung.next],
    );
    const draft = await call('POST', `/api/v1/notices/${original.id}/updates`, { key: issuer.keys.author, body: { material: false, summary: 'Remove inclined sleepers (typo fixed)' } });
    const update = await approve(draft.body);
    const carried = await eventually(async () => (await recordOf(update.id, mailed.id)) ?? false, 10000, 'the carried record');
    expect(carried).toMatchObject({ status: 'pending', overdue: true, dueAt: rung.due.toISOString() });
    const [row] = await stack.db.query(`SELECT reminder_stage, next_reminder_at FROM acknowledgments WHERE notice_id = $1 AND agency_id = $2`, [update.id, mailed.id]);
    expect({ stage: row.reminder_stage, next: row.next_reminder_at.toISOString() }).toEqual({ stage: 3, next: rung.next.toISOString() });
    // Still on the compliance list, under the update's reference.
    const overdue = await call('GET', '/api/v1/reports/overdue', { key: mailed.keys.supervisor });
    expect(overdue.body.items[0].references).toContain(update.reference);
    // Acknowledging now is late.
    const ack = await call('POST', `/api/v1/notices/${update.id}/acknowledgments`, { key: mailed.keys.supervisor, body: {} });
    expect(ack.body).toMatchObject({ status: 'acknowledged', late: true });

    // An update that changes the due time itself (or a material one) starts the clock again.
    const again = await call('POST', `/api/v1/notices/${update.id}/updates`, {
      key: issuer.keys.author,
      body: { material: false, acknowledgeBy: new Date(Date.now() + 48 * 3600_000).toISOString() },
    });
    const moved = await approve(again.body);
    const fresh = await eventually(async () => (await recordOf(moved.id, hooked.id)) ?? false, 10000, 'the moved record');
    expect(new Date(fresh.dueAt).getTime()).toBe(new Date(moved.acknowledgeBy).getTime());
  });

  it('a material update asks everyone for a fresh acknowledgment', async () => {
    const original = await publish({ category: 'advisory', requiredActions: [] });
    await call('POST', `/api/v1/notices/${original.id}/acknowledgments`, { key: hooked.keys.supervisor, body: {} });
    const draft = await call('POST', `/api/v1/notices/${original.id}/updates`, { key: issuer.keys.author, body: { material: true, severity: 'critical' } });
    const update = await approve(draft.body);
    expect((await recordOf(update.id, hooked.id)).status).toBe('pending');
    expect((await recordOf(original.id, hooked.id)).status).toBe('acknowledged');
    // Acknowledging the superseded original is refused with a pointer to the update.
    const old = await call('POST', `/api/v1/notices/${original.id}/acknowledgments`, { key: mailed.keys.supervisor, body: {} });
    expect(old.status).toBe(409);
    expect(old.body.message).toMatch(/superseded/);
  });

  it('a notice superseded (materially or not) or cancelled takes no more answers, even on a complete record: by key, by link or on the link page', async () => {
    for (const end of ['material update', 'typo fix', 'cancellation'] as const) {
      const original = await publish();
      for (const agency of [hooked, mailed]) {
        await call('POST', `/api/v1/notices/${original.id}/acknowledgments`, { key: agency.keys.supervisor, body: {} });
        const answered = await call('POST', `/api/v1/notices/${original.id}/acknowledgments/actions`, {
          key: agency.keys.supervisor,
          body: { answers: [{ action: 0, response: 'done' }, { action: 1, response: 'done' }] },
        });
        expect(answered.body.status).toBe('action_completed');
      }
      const mail = await smtp.waitFor((m) => m.subject?.includes(original.reference) === true && !m.subject.startsWith('[UPDATED]') && m.envelope.rcptTo.includes('desk@tribe.test'));
      const token = /\/ack\/([A-Za-z0-9_.-]+)/.exec(mail.text!)![1];
      let said: RegExp;
      let shows: string;
      if (end === 'cancellation') {
        expect((await call('POST', `/api/v1/notices/${original.id}/cancel`, { key: issuer.keys.approver, body: { reason: 'Issued in error' } })).status).toBe(200);
        [said, shows] = [/cancelled: Issued in error/, 'This notice is closed.'];
      } else {
        const draft = await call('POST', `/api/v1/notices/${original.id}/updates`, { key: issuer.keys.author, body: { material: end === 'material update', summary: 'Remove inclined sleepers (revised)' } });
        const update = await approve(draft.body);
        [said, shows] = [new RegExp(`superseded by ${update.reference}: report action on the update`), `This notice was replaced by an update, ${update.reference}.`];
      }
      // The complete records stay on the original as they were (history); nothing may change them now.
      const state = async () =>
        (
          await stack.db.query(
            `SELECT (SELECT count(*)::int FROM action_responses r JOIN acknowledgments a ON a.id = r.acknowledgment_id WHERE a.notice_id = $1) AS answers,
                    (SELECT string_agg(status, ',' ORDER BY agency_id) FROM acknowledgments WHERE notice_id = $1) AS statuses,
                    (SELECT count(*)::int FROM audit_events WHERE entity_type = 'acknowledgment' AND entity_id IN (SELECT id::text FROM acknowledgments WHERE notice_id = $1)) AS audited`,
            [original.id],
          )
        )[0];
      const before = await state();
      expect(before.statuses).toBe('action_completed,action_completed');
      const change = [{ action: 1, response: 'not_applicable', note: 'No longer applies' }];
      const byKey = await call('POST', `/api/v1/notices/${original.id}/acknowledgments/actions`, { key: hooked.keys.supervisor, body: { answers: change } });
      const byLink = await call('POST', `/api/v1/acknowledgments/${token}/actions`, { body: { answers: change, name: 'Desk' } });
      const onPage = await fetch(`${stack.url}/ack/${token}/actions`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'action_1=not_applicable&note_1=No+longer+applies&name=Desk',
        redirect: 'manual',
      });
      const pageText = await onPage.text();
      expect({ end, statuses: [byKey.status, byLink.status, onPage.status] }).toEqual({ end, statuses: [409, 409, 409] });
      expect(byKey.body.message).toMatch(said);
      expect(byLink.body.message).toMatch(said);
      expect(pageText).toMatch(said);
      expect(await state()).toEqual(before);
      // The link's page no longer offers the form, and says why.
      const page = await (await fetch(`${stack.url}/ack/${token}`)).text();
      expect(page).not.toContain(`/ack/${token}/actions`);
      expect(page).toContain(shows);
    }
  });

  it('a cancellation closes open acknowledgments, tells every recipient and stops reminders', async () => {
    const notice = await publish({ category: 'advisory', requiredActions: [] });
    await call('POST', `/api/v1/notices/${notice.id}/acknowledgments`, { key: hooked.keys.supervisor, body: {} });
    expect((await call('POST', `/api/v1/notices/${notice.id}/cancel`, { key: issuer.keys.author, body: { reason: 'x' } })).status).toBe(403);
    const cancelled = await call('POST', `/api/v1/notices/${notice.id}/cancel`, { key: issuer.keys.approver, body: { reason: 'Issued in error' } });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: 'Issued in error' });

    const hook = await receiver.waitFor((r) => r.path === '/county' && JSON.parse(r.body).type === 'notice.cancelled' && JSON.parse(r.body).data.notice.id === notice.id);
    expect(JSON.parse(hook.body).data.cancellation).toEqual({ reason: 'Issued in error' });
    const mail = await smtp.waitFor((m) => m.subject?.startsWith('[CANCELLED]') === true && m.subject.includes(notice.reference));
    expect(mail.text).toContain('Issued in error');
    expect(mail.text).not.toMatch(/\/ack\//);

    expect((await recordOf(notice.id, mailed.id)).status).toBe('cancelled');
    // A finished record (an advisory, acknowledged) stays as it was: only open ones close.
    expect((await recordOf(notice.id, hooked.id)).status).toBe('acknowledged');
    const late = await call('POST', `/api/v1/notices/${notice.id}/acknowledgments`, { key: mailed.keys.supervisor, body: {} });
    expect(late.status).toBe(409);
    // No reminder is ever due for it.
    const scheduler = new ReminderScheduler(stack.db, stack.deps.publisher, stack.config, { now: () => new Date() });
    await scheduler.tick(new Date(Date.now() + 365 * 86400_000));
    const [r] = await stack.db.query(`SELECT count(*)::int AS n FROM deliveries WHERE notice_id = $1 AND event_type IN ('notice.reminder','notice.escalation')`, [notice.id]);
    expect(r.n).toBe(0);
  });

  it('reminders and escalation rungs fire exactly once, in order, with two schedulers, and stop at acknowledgment', async () => {
    const dueAt = new Date(Date.now() + 10 * 86400_000);
    dueAt.setUTCMilliseconds(0);
    const notice = await publish({ category: 'advisory', requiredActions: [], acknowledgeBy: dueAt.toISOString() });
    const clock = (at: Date) => ({ now: () => at });
    const replicas = () => [0, 1].map(() => new ReminderScheduler(stack.db, stack.deps.publisher, stack.config, clock(new Date())));
    const tickBoth = async (at: Date) => {
      const [a, b] = replicas(); // fresh instances each time: a restart between rungs changes nothing
      const advanced = await Promise.all([a.tick(at), b.tick(at)]);
      return advanced[0] + advanced[1];
    };
    const h = 3600_000;
    const messages = async () =>
      stack.db.query(
        `SELECT d.event_type, d.sequence, d.agency_id, d.channel, d.recipients FROM deliveries d
          WHERE d.notice_id = $1 AND d.event_type IN ('notice.reminder','notice.escalation') ORDER BY d.sequence, d.agency_id, d.channel`,
        [notice.id],
      );

    // Other notices' records advance too; the assertions look at this notice's messages only.
    await tickBoth(new Date(dueAt.getTime() - 5 * h));
    expect(await messages()).toHaveLength(0);
    await tickBoth(new Date(dueAt.getTime() - 4 * h));
    await tickBoth(new Date(dueAt.getTime() - 4 * h)); // never twice
    expect((await messages()).map((m: any) => [m.event_type, m.sequence, m.channel]).sort()).toEqual([
      ['notice.reminder', 1, 'email'],
      ['notice.reminder', 1, 'webhook'],
    ]);

    // The county acknowledges: no more reminders for it.
    await call('POST', `/api/v1/notices/${notice.id}/acknowledgments`, { key: hooked.keys.supervisor, body: {} });
    await tickBoth(dueAt); // the tribe's reminder at the due time
    expect(await messages()).toHaveLength(3);
    // A scheduler that was down catches up one rung per tick, in order, none skipped. (One
    // replica here: two replicas ticking one after the other may rightly take two rungs.)
    const [alone] = replicas();
    await alone.tick(new Date(dueAt.getTime() + 10 * h));
    expect(await messages()).toHaveLength(4);
    await alone.tick(new Date(dueAt.getTime() + 10 * h));
    expect(await messages()).toHaveLength(5);
    await tickBoth(new Date(dueAt.getTime() + 10 * h)); // two contacts, two rungs: nothing more
    await tickBoth(new Date(dueAt.getTime() + 100 * h));
    expect(await messages()).toHaveLength(5);
    const all = await messages();
    expect(all.filter((m: any) => m.agency_id === hooked.id)).toHaveLength(1);
    expect(all.filter((m: any) => m.agency_id === mailed.id).map((m: any) => [m.event_type, m.sequence, m.recipients])).toEqual([
      ['notice.reminder', 1, ['desk@tribe.test']],
      ['notice.reminder', 2, ['desk@tribe.test']],
      ['notice.escalation', 3, ['supervisor@tribe.test']],
      ['notice.escalation', 4, ['director@tribe.test']],
    ]);
    // The courier sends them: the reminder and the escalation reach their people.
    const reminder = await smtp.waitFor((m) => m.subject?.startsWith('[REMINDER]') === true && m.subject.includes(notice.reference));
    expect(reminder.text).toContain('has not acknowledged this notice yet');
    const escalation = await smtp.waitFor((m) => m.envelope.rcptTo.includes('director@tribe.test') && m.subject?.includes(notice.reference) === true);
    expect(escalation.subject).toMatch(/^\[ESCALATION\]/);
    expect(escalation.text).toMatch(/\/ack\//);
    // Due times are shown in the recipient's own zone.
    const row = await recordOf(notice.id, mailed.id);
    expect(row.dueAtLocal).toMatch(/M[SD]T$/);
    const events = await stack.db.query(
      `SELECT action, after->>'stage' AS stage FROM audit_events WHERE entity_type = 'acknowledgment' AND entity_id = $1 AND action LIKE 'acknowledgment.%ed' AND after ? 'stage' ORDER BY id`,
      [row.acknowledgmentId],
    );
    expect(events.map((e: any) => `${e.action}:${e.stage}`)).toEqual([
      'acknowledgment.reminded:1',
      'acknowledgment.reminded:2',
      'acknowledgment.escalated:3',
      'acknowledgment.escalated:4',
    ]);
  });
});
