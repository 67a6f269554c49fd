/**
 * No notice is lost to a subscription's state, on the real apps (API, dispatcher and courier over
 * JetStream), a real SMTP server and a webhook receiver that verifies every signature:
 *  - the outside check's reproduction: an endpoint answers 410, its subscription is disabled,
 *    and the next notice on its topic still gives the agency a record, a held webhook, an email
 *    to its fallback contacts at once, and the webhook itself when the subscription is resumed;
 *  - a paused subscription (the agency's own choice) holds, and sends on resume;
 *  - a deleted one sends what it still owed to the fallback contacts;
 *  - a new address (webhook URL or email addresses) applies to every message still owed: held,
 *    a dead letter replayed, an email held while paused (an outside audit found them sent to the
 *    old address).
 */
import { parse } from 'csv-parse/sync';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { startWebhookReceiver, WebhookReceiver } from '../support/webhook-receiver';
import { startStack, Stack } from '../support/stack';
import { apiClient, createAgency, createTopics, eventually, TestAgency } from '../support/fixtures';

describe('held deliveries', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  let smtp: SmtpSink;
  let call: ReturnType<typeof apiClient>;
  let issuer: TestAgency;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    smtp = await startSmtpSink();
    stack = await startStack({ RETRY_SCHEDULE: '100ms,200ms', SMTP_URL: smtp.url });
    call = apiClient(stack.url);
    await createTopics(stack.db, ['safe-sleep']);
    issuer = await createAgency(stack.db, { name: 'Issuer' });
  });

  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
    await smtp?.close();
  });

  /** One agency with one webhook subscription on safe-sleep, as in the reproduction. */
  async function agencyWithWebhook(path: string) {
    const agency = await createAgency(stack.db, { name: `Agency ${path}` });
    const fallback = `fallback${path.replace(/\//g, '-')}@agency.test`;
    await stack.db.query(`UPDATE agencies SET fallback_contacts = $2 WHERE id = $1`, [agency.id, [fallback]]);
    const sub = await call('POST', '/api/v1/subscriptions', {
      key: agency.keys.agency_admin,
      body: { name: path, topicPatterns: ['safe-sleep'], channel: 'webhook', webhookUrl: receiver.url(path) },
    });
    expect(sub.status).toBe(201);
    receiver.setSecret(path, sub.body.signingSecret);
    return { agency, sub: sub.body, fallback };
  }

  async function publish(title: string, severity = 'high') {
    const d = await call('POST', '/api/v1/notices', {
      key: issuer.keys.author,
      body: { title, summary: 'Summary', body: 'Body', category: 'advisory', severity, topics: ['safe-sleep'] },
    });
    await call('POST', `/api/v1/notices/${d.body.id}/submit`, { key: issuer.keys.author });
    const approved = await call('POST', `/api/v1/notices/${d.body.id}/approve`, { key: issuer.keys.approver, body: { contentHash: d.body.contentHash } });
    expect(approved.status).toBe(200);
    return { id: d.body.id as string, reference: approved.body.reference as string };
  }

  const rowOf = async (noticeId: string, agencyId: string) => {
    const view = await call('GET', `/api/v1/notices/${noticeId}/acknowledgments`, { key: issuer.keys.supervisor });
    return view.body.items.find((i: any) => i.agency.id === agencyId);
  };

  it('disabled by 410: the next notice gives a record, a held webhook and a fallback email now; resume sends the webhook', async () => {
    const { agency, sub, fallback } = await agencyWithWebhook('/gone-then-back');
    receiver.respond('/gone-then-back', [410]);
    const n1 = await publish('Notice one');
    await eventually(async () => {
      const s = await call('GET', `/api/v1/subscriptions/${sub.id}`, { key: agency.keys.agency_admin });
      return s.body.status === 'disabled';
    }, 20000, 'the subscription to be disabled');
    const adminMail = await smtp.waitFor((m) => m.subject?.includes('was disabled') === true && m.envelope.rcptTo.some((r) => r.startsWith('agency_admin-') && r.endsWith('agency.test')) && m.text!.includes(sub.id), 10000);
    expect(adminMail.text).toContain('held for it and emailed at once to your agency');

    const n2 = await publish('Notice two');
    // The supervisor sees the agency: its record, the held webhook and the fallback email.
    const row = await eventually(async () => {
      const r = await rowOf(n2.id, agency.id);
      return r?.deliveries.some((d: any) => d.fallback && d.status === 'delivered') && r;
    }, 15000, 'the record and its fallback email');
    expect(row.status).toBe('pending');
    const webhook = row.deliveries.find((d: any) => d.channel === 'webhook');
    expect(webhook).toMatchObject({ status: 'held', subscriptionId: sub.id, subscriptionStatus: 'disabled', eventType: 'notice.published' });
    expect(row.deliveries.find((d: any) => d.fallback)).toMatchObject({ channel: 'email', fallbackReason: 'subscription_disabled', status: 'delivered' });
    const view = await call('GET', `/api/v1/notices/${n2.id}/acknowledgments`, { key: issuer.keys.supervisor });
    expect(view.body.counts.held).toBe(1);
    const mail = await smtp.waitFor((m) => m.envelope.rcptTo.includes(fallback) && m.subject?.includes(n2.reference) === true, 10000);
    expect(mail.text).toContain('FALLBACK COPY');
    expect(mail.text).toContain('is disabled');
    expect(mail.text).toMatch(/\/ack\/[A-Za-z0-9_.-]+/);
    // The held delivery is listed, and reports show it: JSON and CSV.
    const heldList = await call('GET', `/api/v1/deliveries?status=held&subscriptionId=${sub.id}`, { key: agency.keys.agency_admin });
    expect(heldList.body.items.map((d: any) => d.id)).toEqual([webhook.id]);
    const report = await call('GET', `/api/v1/notices/${n2.id}/report`, { key: issuer.keys.supervisor });
    expect(report.body.counts.held).toBe(1);
    expect(report.body.items.find((i: any) => i.agency.id === agency.id)).toMatchObject({ held: true, reach: 'delivered' });
    const csv = await fetch(`${stack.url}/api/v1/notices/${n2.id}/report?format=csv`, { headers: { authorization: `Bearer ${issuer.keys.supervisor}` } });
    const rows: Record<string, string>[] = parse(await csv.text(), { columns: true });
    expect(rows.find((r) => r['agency.id'] === agency.id)).toMatchObject({ held: 'true', reach: 'delivered' });
    // The endpoint is not called while the subscription is disabled.
    expect(receiver.requests.filter((r) => r.path === '/gone-then-back').map((r) => r.headers['webhook-id'])).not.toContain(webhook.id);

    // Repaired and resumed: the held webhook goes out, signed, under its own id; retry-failed replays notice one.
    receiver.respond('/gone-then-back', [200]);
    const resumed = await call('POST', `/api/v1/subscriptions/${sub.id}/resume`, { key: agency.keys.agency_admin });
    expect(resumed.body.status).toBe('active');
    const sent = await receiver.waitFor((r) => r.path === '/gone-then-back' && r.headers['webhook-id'] === webhook.id, 15000);
    expect(sent.verified).toBe(true);
    expect(JSON.parse(sent.body)).toMatchObject({ type: 'notice.published', data: { notice: { id: n2.id } } });
    await eventually(async () => (await rowOf(n2.id, agency.id)).deliveries.find((d: any) => d.id === webhook.id).status === 'delivered', 10000, 'delivered');
    const replay = await call('POST', `/api/v1/subscriptions/${sub.id}/retry-failed`, { key: agency.keys.agency_admin });
    expect(replay.body.retried).toBe(1);
    const one = await receiver.waitFor((r) => r.path === '/gone-then-back' && r.status === 200 && JSON.parse(r.body).data.notice.id === n1.id, 15000);
    expect(one.verified).toBe(true);
    // Every step is audited.
    const actions = await stack.db.query(`SELECT action FROM audit_events WHERE entity_type = 'delivery' AND entity_id = $1 ORDER BY id`, [webhook.id]);
    expect(actions.map((a: any) => a.action)).toEqual(['delivery.created', 'delivery.released', 'delivery.delivered']);
  });

  it('paused by the agency: held, emailed to the fallback contacts when nothing else carries it, sent on resume', async () => {
    const { agency, sub, fallback } = await agencyWithWebhook('/paused');
    const paused = await call('POST', `/api/v1/subscriptions/${sub.id}/pause`, { key: agency.keys.agency_admin });
    expect(paused.body.status).toBe('paused');
    const n = await publish('While paused', 'moderate');
    const row = await eventually(async () => {
      const r = await rowOf(n.id, agency.id);
      return r?.deliveries.some((d: any) => d.fallback && d.status === 'delivered') && r;
    }, 15000, 'the record and its fallback');
    expect(row.deliveries.find((d: any) => d.channel === 'webhook')).toMatchObject({ status: 'held', subscriptionStatus: 'paused' });
    const mail = await smtp.waitFor((m) => m.envelope.rcptTo.includes(fallback) && m.subject?.includes(n.reference) === true, 10000);
    expect(mail.text).toContain('is paused');
    expect(receiver.requests.some((r) => r.path === '/paused')).toBe(false);

    await call('POST', `/api/v1/subscriptions/${sub.id}/resume`, { key: agency.keys.agency_admin });
    const sent = await receiver.waitFor((r) => r.path === '/paused', 15000);
    expect(sent.verified).toBe(true);
    expect(JSON.parse(sent.body).data.notice.id).toBe(n.id);
  });

  it('deleted: nothing more is sent to it, what it still owed goes to the fallback contacts, critical notices still reach the agency', async () => {
    const { agency, sub, fallback } = await agencyWithWebhook('/deleted');
    await call('POST', `/api/v1/subscriptions/${sub.id}/pause`, { key: agency.keys.agency_admin });
    const owed = await publish('Owed to a subscription about to be deleted');
    await eventually(async () => (await rowOf(owed.id, agency.id))?.deliveries.some((d: any) => d.status === 'held'), 10000, 'held');
    const removed = await call('DELETE', `/api/v1/subscriptions/${sub.id}`, { key: agency.keys.agency_admin });
    expect(removed.status).toBe(204);
    expect((await call('GET', `/api/v1/subscriptions/${sub.id}`, { key: agency.keys.agency_admin })).status).toBe(404);
    expect((await call('POST', `/api/v1/subscriptions/${sub.id}/resume`, { key: agency.keys.agency_admin })).status).toBe(404);
    const row = await rowOf(owed.id, agency.id);
    expect(row.deliveries.find((d: any) => d.channel === 'webhook')).toMatchObject({ status: 'failed', subscriptionStatus: 'deleted' });
    await smtp.waitFor((m) => m.envelope.rcptTo.includes(fallback) && m.subject?.includes(owed.reference) === true, 10000);

    const critical = await publish('Critical after deletion', 'critical');
    const reached = await eventually(async () => {
      const r = await rowOf(critical.id, agency.id);
      return r?.deliveries.some((d: any) => d.mandatory && d.status === 'delivered') && r;
    }, 15000, 'the mandatory email');
    expect(reached.deliveries.every((d: any) => d.subscriptionId !== sub.id)).toBe(true);
    expect(receiver.requests.some((r) => r.path === '/deleted')).toBe(false);
  });

  it('a new webhook URL applies to what is still owed: the held message on resume and a dead letter on retry-failed', async () => {
    const { agency, sub } = await agencyWithWebhook('/broken');
    receiver.respond('/broken', [500]);
    receiver.respond('/fixed', [200]);
    const dead = await publish('Dead-lettered at the broken address');
    const deadId = await eventually(async () => {
      const r = await rowOf(dead.id, agency.id);
      return r?.deliveries.find((d: any) => d.channel === 'webhook' && d.status === 'failed')?.id as string | undefined;
    }, 20000, 'the dead letter');
    await call('POST', `/api/v1/subscriptions/${sub.id}/pause`, { key: agency.keys.agency_admin });
    const held = await publish('Held while paused');
    const heldId = await eventually(async () => (await rowOf(held.id, agency.id))?.deliveries.find((d: any) => d.status === 'held')?.id as string | undefined, 10000, 'held');
    const delivered = await stack.db.query(`SELECT id, target_url FROM deliveries WHERE subscription_id = $1 AND status = 'delivered'`, [sub.id]);

    const toBrokenBefore = receiver.requests.filter((r) => r.path === '/broken').length;
    const patched = await call('PATCH', `/api/v1/subscriptions/${sub.id}`, { key: agency.keys.agency_admin, body: { webhookUrl: receiver.url('/fixed') } });
    expect(patched.status).toBe(200);
    receiver.setSecret('/fixed', sub.signingSecret);
    await call('POST', `/api/v1/subscriptions/${sub.id}/resume`, { key: agency.keys.agency_admin });
    const sentHeld = await receiver.waitFor((r) => r.path === '/fixed' && r.headers['webhook-id'] === heldId, 15000);
    expect(sentHeld.verified).toBe(true);
    expect((await call('POST', `/api/v1/subscriptions/${sub.id}/retry-failed`, { key: agency.keys.agency_admin })).body.retried).toBe(1);
    await receiver.waitFor((r) => r.path === '/fixed' && r.headers['webhook-id'] === deadId, 15000);
    await eventually(async () => {
      const [r] = await stack.db.query(`SELECT count(*)::int AS n FROM deliveries WHERE id = ANY($1::uuid[]) AND status = 'delivered'`, [[heldId, deadId]]);
      return r.n === 2;
    }, 10000, 'both delivered');
    // Neither went to the old address after the change; each move is audited; what was delivered before keeps its address.
    expect(receiver.requests.filter((r) => r.path === '/broken')).toHaveLength(toBrokenBefore);
    const moved = await stack.db.query(`SELECT entity_id FROM audit_events WHERE action = 'delivery.readdressed' ORDER BY entity_id`);
    expect(moved.map((e: any) => e.entity_id).sort()).toEqual([heldId, deadId].sort());
    for (const d of delivered) expect((await stack.db.query(`SELECT target_url FROM deliveries WHERE id = $1`, [d.id]))[0].target_url).toBe(d.target_url);
  });

  it('new email addresses apply to the message held while paused: sent to them on resume, not to the old ones', async () => {
    const agency = await createAgency(stack.db, { name: 'Agency moving desks' });
    const sub = await call('POST', '/api/v1/subscriptions', {
      key: agency.keys.agency_admin,
      body: { name: 'desk', topicPatterns: ['safe-sleep'], channel: 'email', emailAddresses: ['old-desk@moving.test'] },
    });
    expect(sub.status).toBe(201);
    await call('POST', `/api/v1/subscriptions/${sub.body.id}/pause`, { key: agency.keys.agency_admin });
    const n = await publish('Held for the old desk');
    await eventually(async () => (await rowOf(n.id, agency.id))?.deliveries.some((d: any) => d.status === 'held'), 10000, 'held');
    const patched = await call('PATCH', `/api/v1/subscriptions/${sub.body.id}`, { key: agency.keys.agency_admin, body: { emailAddresses: ['new-desk@moving.test'] } });
    expect(patched.status).toBe(200);
    await call('POST', `/api/v1/subscriptions/${sub.body.id}/resume`, { key: agency.keys.agency_admin });
    const mail = await smtp.waitFor((m) => m.envelope.rcptTo.includes('new-desk@moving.test') && m.subject?.includes(n.reference) === true, 15000);
    expect(mail.text).toContain(n.reference);
    await eventually(async () => (await rowOf(n.id, agency.id))?.deliveries.find((d: any) => d.subscriptionId === sub.body.id)?.status === 'delivered', 10000, 'delivered');
    expect(smtp.messages.some((m) => m.envelope.rcptTo.includes('old-desk@moving.test') && m.subject?.includes(n.reference))).toBe(false);
  });
});
