/**
 * A reminder, resend or escalation goes only while the agency's record still owes what it owed
 * when the message was asked for. Each message here is queued and retrying (its webhook answers
 * 500, its mail server refuses the address for now) when the record meets one of the states a
 * record can reach; then the channel recovers. A record that stayed as it was gets its message; one
 * that was acknowledged, had its actions answered, was superseded or cancelled does not: the
 * delivery ends `skipped` with its reason and an audit event, and no fallback email follows it.
 * Fallback copies of a reminder say what the reminder said (its wording and the person's note).
 */
import { ReminderScheduler } from '../../apps/dispatcher/src/reminder-scheduler.service';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { startWebhookReceiver, WebhookReceiver } from '../support/webhook-receiver';
import { startStack, Stack } from '../support/stack';
import { apiClient, createAgency, createTopics, eventually, TestAgency } from '../support/fixtures';

const NOTE = 'Please confirm by noon.';
const FINAL = ['delivered', 'skipped', 'failed'];

interface Party {
  agency: TestAgency;
  channel: 'webhook' | 'email';
  /** The webhook path or the subscription's address. */
  target: string;
  fallback: string;
}

describe('reminders go only while the record still owes them', () => {
  let stack: Stack;
  let smtp: SmtpSink;
  let receiver: WebhookReceiver;
  let call: ReturnType<typeof apiClient>;
  let issuer: TestAgency;
  let n = 0;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    receiver = await startWebhookReceiver();
    stack = await startStack({ SMTP_URL: smtp.url, RETRY_SCHEDULE: '2s,2s', MANUAL_REMINDER_INTERVAL: '1h' });
    call = apiClient(stack.url);
    await createTopics(stack.db, ['t-acks', 't-cancel', 't-update', 't-alert', 't-ladder']);
    issuer = await createAgency(stack.db, { name: 'Issuer', type: 'state' });
  });

  afterAll(async () => {
    await stack?.close();
    await smtp?.close();
    await receiver?.close();
  });

  async function party(topic: string, channel: 'webhook' | 'email'): Promise<Party> {
    const agency = await createAgency(stack.db, { name: `${topic} ${channel} ${++n}` });
    const fallback = `fallback-${n}@agency.test`;
    await stack.db.query(`UPDATE agencies SET fallback_contacts = $2 WHERE id = $1`, [agency.id, [fallback]]);
    const target = channel === 'webhook' ? `/hook-${n}` : `desk-${n}@agency.test`;
    const body =
      channel === 'webhook'
        ? { name: 'hook', topicPatterns: [topic], channel, webhookUrl: receiver.url(target) }
        : { name: 'desk', topicPatterns: [topic], channel, emailAddresses: [target] };
    const sub = await call('POST', '/api/v1/subscriptions', { key: agency.keys.agency_admin, body });
    expect(sub.status).toBe(201);
    if (channel === 'webhook') receiver.setSecret(target, sub.body.signingSecret);
    return { agency, channel, target, fallback };
  }

  const breakChannel = (p: Party) => (p.channel === 'webhook' ? receiver.respond(p.target, [500]) : smtp.failRecipient(p.target, 'temporary'));
  const repair = (p: Party) => (p.channel === 'webhook' ? receiver.respond(p.target, [200]) : smtp.failRecipient(p.target, undefined));

  async function publish(topic: string, extra: object = {}) {
    const d = await call('POST', '/api/v1/notices', {
      key: issuer.keys.author,
      body: { title: `Notice on ${topic}`, summary: 'Summary', body: 'Body', category: 'advisory', severity: 'high', topics: [topic], ...extra },
    });
    expect(d.status).toBe(201);
    await call('POST', `/api/v1/notices/${d.body.id}/submit`, { key: issuer.keys.author });
    const ok = await call('POST', `/api/v1/notices/${d.body.id}/approve`, { key: issuer.keys.approver, body: { contentHash: d.body.contentHash } });
    expect(ok.status).toBe(200);
    // The notice itself reaches everyone before any channel breaks.
    await eventually(async () => {
      const rows = await stack.db.query(`SELECT status FROM deliveries WHERE notice_id = $1`, [ok.body.id]);
      return rows.length > 0 && rows.every((r: any) => r.status === 'delivered');
    }, 15000, 'the notice delivered');
    return ok.body;
  }

  /** The agency's reminders, resends and escalations (and their fallback copies) for the notice. */
  const remindersOf = (noticeId: string, p: Party): Promise<any[]> =>
    stack.db.query(
      `SELECT id, status, last_error, fallback, attempt_count, event_type FROM deliveries
        WHERE notice_id = $1 AND agency_id = $2 AND event_type IN ('notice.reminder','notice.escalation') ORDER BY fallback, created_at`,
      [noticeId, p.agency.id],
    );

  async function waitAll(noticeId: string, parties: Party[], ok: (r: any) => boolean, what: string) {
    await eventually(async () => {
      for (const p of parties) {
        const rows = await remindersOf(noticeId, p);
        if (rows.length === 0 || !rows.every(ok)) return false;
      }
      return true;
    }, 20000, what);
  }
  const retrying = (noticeId: string, parties: Party[]) => waitAll(noticeId, parties, (r) => r.fallback || (r.status === 'retrying' && r.attempt_count >= 1), 'reminders retrying');
  const final = (noticeId: string, parties: Party[]) => waitAll(noticeId, parties, (r) => FINAL.includes(r.status), 'reminders final');

  /** Reminder messages that reached the party's channel (a webhook answered 200, an email accepted). */
  const reminded = (p: Party) =>
    p.channel === 'webhook'
      ? receiver.requests.filter((r) => r.path === p.target && r.status === 200 && JSON.parse(r.body).type === 'notice.reminder').map((r) => JSON.parse(r.body))
      : smtp.messages.filter((m) => m.envelope.rcptTo.includes(p.target) && /\[(REMINDER|ESCALATION)\]/.test(m.subject ?? ''));
  const fallbackMails = (p: Party) => smtp.messages.filter((m) => m.envelope.rcptTo.includes(p.fallback) && /\[REMINDER\]/.test(m.subject ?? ''));

  async function expectSkipped(noticeId: string, p: Party, reason: RegExp) {
    const rows = await remindersOf(noticeId, p);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r).toMatchObject({ status: 'skipped' });
      expect(r.last_error).toMatch(reason);
      const [ev] = await stack.db.query(`SELECT after FROM audit_events WHERE action = 'delivery.skipped' AND entity_id = $1`, [r.id]);
      expect(ev.after).toMatchObject({ status: 'skipped', reason: r.last_error });
    }
    expect(reminded(p)).toEqual([]);
    expect(fallbackMails(p)).toEqual([]);
    // The supervisor sees why, beside the record.
    const view = await call('GET', `/api/v1/notices/${noticeId}/acknowledgments`, { key: issuer.keys.supervisor });
    const row = view.body.items.find((i: any) => i.agency.id === p.agency.id);
    const shown = row.deliveries.filter((d: any) => d.eventType === 'notice.reminder' || d.eventType === 'notice.escalation');
    expect(shown).toHaveLength(rows.length);
    expect(shown).toEqual(expect.arrayContaining(rows.map((r) => expect.objectContaining({ id: r.id, status: 'skipped', lastError: r.last_error }))));
    const timeline = await call('GET', `/api/v1/notices/${noticeId}/recipients/${p.agency.id}/timeline`, { key: issuer.keys.supervisor });
    const messages = timeline.body.entries.flatMap((e: any) => e.messages);
    for (const r of rows) expect(messages.find((m: any) => m.deliveryId === r.id)).toMatchObject({ status: 'skipped', skippedReason: r.last_error });
  }

  /** Ended at once, in the transaction that changed the record or notice, before any next attempt. */
  async function expectSkippedNow(noticeId: string, parties: Party[]) {
    for (const p of parties) expect((await remindersOf(noticeId, p)).map((r) => r.status)).toEqual((await remindersOf(noticeId, p)).map(() => 'skipped'));
  }

  /** A record changed behind the API's back (an operator's fix, a path that forgets the reminders): the courier's claim still stops them. */
  const changeRecordDirectly = (noticeId: string, p: Party, status: string) =>
    stack.db.query(`UPDATE acknowledgments SET status = $3, acknowledged_at = now(), channel = 'api', acknowledged_by_name = 'Operator' WHERE notice_id = $1 AND agency_id = $2`, [noticeId, p.agency.id, status]);

  const acknowledge = (noticeId: string, p: Party) => call('POST', `/api/v1/notices/${noticeId}/acknowledgments`, { key: p.agency.keys.supervisor, body: {} });
  const remind = (noticeId: string) => call('POST', `/api/v1/notices/${noticeId}/reminders`, { key: issuer.keys.supervisor, body: { note: NOTE } });

  it('pending stays reminded; acknowledged is not; a dead letter while pending falls back with the reminder and its note, one after acknowledgment does not', async () => {
    const [stays, staysMail, acks, acksMail, dead, deadLate, bypass] = [
      await party('t-acks', 'webhook'),
      await party('t-acks', 'email'),
      await party('t-acks', 'webhook'),
      await party('t-acks', 'email'),
      await party('t-acks', 'webhook'),
      await party('t-acks', 'webhook'),
      await party('t-acks', 'email'),
    ];
    const notice = await publish('t-acks');
    [stays, staysMail, acks, acksMail, dead, deadLate, bypass].forEach(breakChannel);
    smtp.failRecipient(deadLate.fallback, 'temporary');
    expect((await remind(notice.id)).status).toBe(200);
    await retrying(notice.id, [stays, staysMail, acks, acksMail, dead, deadLate, bypass]);

    expect((await acknowledge(notice.id, acks)).status).toBe(200);
    expect((await acknowledge(notice.id, acksMail)).status).toBe(200);
    await expectSkippedNow(notice.id, [acks, acksMail]);
    await changeRecordDirectly(notice.id, bypass, 'acknowledged');
    [stays, staysMail, acks, acksMail, bypass].forEach(repair);
    await final(notice.id, [stays, staysMail, acks, acksMail, bypass]);

    const [hook] = reminded(stays) as any[];
    expect(hook.data.acknowledgment.status).toBe('pending');
    expect(hook.data.reminder).toMatchObject({ manual: true, note: NOTE });
    const mail = await smtp.waitFor((m) => m.envelope.rcptTo.includes(staysMail.target) && /\[REMINDER\]/.test(m.subject ?? ''));
    expect(mail.text).toContain('has not acknowledged this notice yet');
    for (const p of [acks, acksMail, bypass]) await expectSkipped(notice.id, p, /^not sent: the agency's record is acknowledged$/);
    const [byCourier] = await stack.db.query(
      `SELECT e.actor_id FROM audit_events e JOIN deliveries d ON d.id::text = e.entity_id WHERE e.action = 'delivery.skipped' AND d.agency_id = $1`,
      [bypass.agency.id],
    );
    expect(byCourier.actor_id).toBe('courier');

    // Still pending when its webhook gives up: the fallback says what the reminder said.
    await waitAll(notice.id, [dead], (r) => r.status === (r.fallback ? 'delivered' : 'failed'), 'the dead letter and its fallback');
    const copy = await smtp.waitFor((m) => m.envelope.rcptTo.includes(dead.fallback) && /\[REMINDER\]/.test(m.subject ?? ''));
    expect(copy.text).toContain('has not acknowledged this notice yet');
    expect(copy.text).toContain(`Note from supervisor ${issuer.name.split(' ').pop()} (${issuer.name}): ${NOTE}`);
    expect(copy.text).not.toContain('SENT AGAIN');

    // Its fallback waiting on a refused address when the record moves on (here behind the API's back): never sent.
    await waitAll(notice.id, [deadLate], (r) => (r.fallback ? r.status === 'retrying' : r.status === 'failed'), 'a fallback retrying');
    await changeRecordDirectly(notice.id, deadLate, 'acknowledged');
    smtp.failRecipient(deadLate.fallback, undefined);
    await waitAll(notice.id, [deadLate], (r) => r.status === (r.fallback ? 'skipped' : 'failed'), 'the fallback skipped');
    expect(fallbackMails(deadLate)).toEqual([]);
  });

  it('cancelled: neither the reminder nor a resend goes, and the cancellation itself does', async () => {
    const [hook, mail, resent] = [await party('t-cancel', 'webhook'), await party('t-cancel', 'email'), await party('t-cancel', 'webhook')];
    const notice = await publish('t-cancel');
    expect((await acknowledge(notice.id, resent)).status).toBe(200);
    [hook, mail, resent].forEach(breakChannel);
    expect((await remind(notice.id)).status).toBe(200);
    const again = await call('POST', `/api/v1/notices/${notice.id}/recipients/${resent.agency.id}/resend`, { key: issuer.keys.supervisor, body: { note: 'Again' } });
    expect(again.status).toBe(200);
    await retrying(notice.id, [hook, mail, resent]);

    expect((await call('POST', `/api/v1/notices/${notice.id}/cancel`, { key: issuer.keys.approver, body: { reason: 'Issued in error' } })).status).toBe(200);
    await expectSkippedNow(notice.id, [hook, mail, resent]);
    [hook, mail, resent].forEach(repair);
    await final(notice.id, [hook, mail, resent]);
    for (const p of [hook, mail]) await expectSkipped(notice.id, p, /^not sent: the agency's record is cancelled$/);
    await expectSkipped(notice.id, resent, /^not sent: the (agency's record|notice) is cancelled$/);

    await receiver.waitFor((r) => r.path === hook.target && r.status === 200 && JSON.parse(r.body).type === 'notice.cancelled');
    await receiver.waitFor((r) => r.path === resent.target && r.status === 200 && JSON.parse(r.body).type === 'notice.cancelled');
    await smtp.waitFor((m) => m.envelope.rcptTo.includes(mail.target) && /\[CANCELLED\]/.test(m.subject ?? ''));
  });

  it('superseded by a material update: the reminder of the original does not go, the update does', async () => {
    const [hook, mail] = [await party('t-update', 'webhook'), await party('t-update', 'email')];
    const notice = await publish('t-update');
    [hook, mail].forEach(breakChannel);
    expect((await remind(notice.id)).status).toBe(200);
    await retrying(notice.id, [hook, mail]);

    const draft = await call('POST', `/api/v1/notices/${notice.id}/updates`, { key: issuer.keys.author, body: { material: true, summary: 'Changed' } });
    expect(draft.status).toBe(201);
    await call('POST', `/api/v1/notices/${draft.body.id}/submit`, { key: issuer.keys.author });
    const update = await call('POST', `/api/v1/notices/${draft.body.id}/approve`, { key: issuer.keys.approver, body: { contentHash: draft.body.contentHash } });
    expect(update.status).toBe(200);
    await expectSkippedNow(notice.id, [hook, mail]);
    [hook, mail].forEach(repair);
    await final(notice.id, [hook, mail]);
    // The original is superseded as the update is approved; its records close as the update fans out.
    for (const p of [hook, mail]) await expectSkipped(notice.id, p, /^not sent: the (notice|agency's record) is superseded$/);
    await receiver.waitFor((r) => r.path === hook.target && r.status === 200 && JSON.parse(r.body).type === 'notice.updated');
    await smtp.waitFor((m) => m.envelope.rcptTo.includes(mail.target) && /\[UPDATED\]/.test(m.subject ?? ''));
  });

  it('an alert: actions still owed stay reminded, answered actions or a fresh acknowledgment stop it; a resend of a complete record goes', async () => {
    const [owes, answers, acksNow, complete] = [
      await party('t-alert', 'webhook'),
      await party('t-alert', 'webhook'),
      await party('t-alert', 'webhook'),
      await party('t-alert', 'webhook'),
    ];
    const notice = await publish('t-alert', { category: 'alert', requiredActions: ['Check homes'] });
    const answer = (p: Party) =>
      call('POST', `/api/v1/notices/${notice.id}/acknowledgments/actions`, { key: p.agency.keys.supervisor, body: { answers: [{ action: 0, response: 'done' }] } });
    for (const p of [owes, answers, complete]) expect((await acknowledge(notice.id, p)).status).toBe(200);
    expect((await answer(complete)).body.status).toBe('action_completed');
    [owes, answers, acksNow, complete].forEach(breakChannel);
    expect((await remind(notice.id)).status).toBe(200);
    expect((await call('POST', `/api/v1/notices/${notice.id}/recipients/${complete.agency.id}/resend`, { key: issuer.keys.supervisor, body: { note: 'For your files' } })).status).toBe(200);
    await retrying(notice.id, [owes, answers, acksNow, complete]);

    expect((await answer(answers)).body.status).toBe('action_completed');
    expect((await acknowledge(notice.id, acksNow)).status).toBe(200);
    await expectSkippedNow(notice.id, [answers, acksNow]);
    [owes, answers, acksNow, complete].forEach(repair);
    await final(notice.id, [owes, answers, acksNow, complete]);

    expect((reminded(owes) as any[]).map((b) => b.data.acknowledgment.status)).toEqual(['acknowledged']);
    expect((reminded(complete) as any[]).map((b) => [b.data.acknowledgment.status, b.data.reminder.note])).toEqual([['action_completed', 'For your files']]);
    await expectSkipped(notice.id, answers, /^not sent: the agency's record is action_completed$/);
    await expectSkipped(notice.id, acksNow, /^not sent: the agency's record is acknowledged$/);
  });

  it("the scheduler's reminders and escalation stop at the acknowledgment, on every channel", async () => {
    const [hook, mail] = [await party('t-ladder', 'webhook'), await party('t-ladder', 'email')];
    const boss = `boss-${n}@agency.test`;
    await stack.db.query(`UPDATE agencies SET escalation_contacts = $2 WHERE id = $1`, [mail.agency.id, [boss]]);
    const notice = await publish('t-ladder', { acknowledgeBy: new Date(Date.now() + 3600_000).toISOString() });
    [hook, mail].forEach(breakChannel);
    smtp.failRecipient(boss, 'temporary');
    const scheduler = new ReminderScheduler(stack.db, stack.deps.publisher, stack.config, { now: () => new Date() });
    const later = new Date(Date.now() + 30 * 86400_000);
    for (let i = 0; i < 3; i++) await scheduler.tick(later); // two reminders, then the escalation rung
    expect((await remindersOf(notice.id, mail)).map((r) => r.event_type)).toEqual(['notice.reminder', 'notice.reminder', 'notice.escalation']);
    await retrying(notice.id, [hook, mail]);

    for (const p of [hook, mail]) expect((await acknowledge(notice.id, p)).status).toBe(200);
    await expectSkippedNow(notice.id, [hook, mail]);
    [hook, mail].forEach(repair);
    smtp.failRecipient(boss, undefined);
    await final(notice.id, [hook, mail]);
    for (const p of [hook, mail]) await expectSkipped(notice.id, p, /^not sent: the agency's record is acknowledged$/);
    expect(smtp.messages.filter((m) => m.envelope.rcptTo.includes(boss))).toEqual([]);
  });
});
