/**
 * Deleting a subscription ends everything it still owed, of every kind and in every open state,
 * on the real apps (API, dispatcher and courier over JetStream), a real webhook receiver and a
 * real SMTP server. An outside reviewer found a deleted subscription's test event left `sending`
 * for ever: the sweeper re-queued it every lease, and the courier threw `WebhookSecretError` each
 * time (the deletion had wiped the secret it signed with). Each case here failed before the fix.
 */
import { Logger } from '@nestjs/common';
import { Subjects } from '@sne/messaging';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { startWebhookReceiver, WebhookReceiver } from '../support/webhook-receiver';
import { startStack, Stack } from '../support/stack';
import { apiClient, createAgency, createTopics, eventually, TestAgency } from '../support/fixtures';
import {
  AGENCY_ONLY_KINDS,
  deliveryKindsInSchema,
  insertNotice,
  insertOwed,
  Kind,
  OwedRow,
  statesFor,
  SUBSCRIPTION_KINDS,
} from '../support/owed-deliveries';

/** Long enough for a sweep (every 5 s) to meet what the deletion left, and a lease (2 s) to lapse. */
const WATCH_MS = 8000;

describe('deleting a subscription ends what it still owed', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  let smtp: SmtpSink;
  let call: ReturnType<typeof apiClient>;
  let issuer: TestAgency;
  let seq = 0;
  const errors: string[] = [];
  const sweptIds: string[] = [];

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    smtp = await startSmtpSink();
    // Retries come round within the watch, and a lapsed lease is swept within it.
    stack = await startStack({ RETRY_SCHEDULE: Array(30).fill('1s').join(','), WEBHOOK_TIMEOUT_MS: '1500', DELIVERY_LEASE_SECONDS: '2', SMTP_URL: smtp.url });
    call = apiClient(stack.url);
    await createTopics(stack.db, ['safe-sleep']);
    issuer = await createAgency(stack.db, { name: 'Issuer' });
    // Whatever any app logs as an error (the transport's "Handler failed for delivery.jobs", an exception handler's).
    jest.spyOn(Logger.prototype, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.map(String).join(' ')));
    // The sweeper's re-queues carry msgIds `sweep:<delivery id>:…`.
    const publishMany = stack.deps.publisher.publishMany.bind(stack.deps.publisher);
    jest.spyOn(stack.deps.publisher, 'publishMany').mockImplementation(async (msgs) => {
      for (const m of msgs) if (m.msgId?.startsWith('sweep:')) sweptIds.push(m.msgId.split(':')[1]);
      return publishMany(msgs);
    });
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await stack?.close();
    await receiver?.close();
    await smtp?.close();
  });

  async function agencyWith(channel: 'webhook' | 'email', path: string) {
    const agency = await createAgency(stack.db, { name: `Agency ${path}` });
    const fallback = `fallback${path.replace(/\//g, '-')}@agency.test`;
    await stack.db.query(`UPDATE agencies SET fallback_contacts = $2 WHERE id = $1`, [agency.id, [fallback]]);
    const body =
      channel === 'webhook'
        ? { name: path, topicPatterns: ['safe-sleep'], channel, webhookUrl: receiver.url(path) }
        : { name: path, topicPatterns: ['safe-sleep'], channel, emailAddresses: [`desk${path.replace(/\//g, '-')}@agency.test`] };
    const created = await call('POST', '/api/v1/subscriptions', { key: agency.keys.agency_admin, body });
    expect(created.status).toBe(201);
    if (created.body.signingSecret) receiver.setSecret(path, created.body.signingSecret);
    return { agency, sub: created.body, fallback, admin: `agency_admin-${agency.contact.slice('notices-'.length)}` };
  }

  const remove = async (agency: TestAgency, subId: string) =>
    expect((await call('DELETE', `/api/v1/subscriptions/${subId}`, { key: agency.keys.agency_admin })).status).toBe(204);

  const rowsOf = (ids: string[]) =>
    stack.db.query(`SELECT id, status, last_error, attempt_count FROM deliveries WHERE id = ANY($1::uuid[]) ORDER BY id`, [ids]);

  const endings = async (ids: string[]) =>
    stack.db.query(
      `SELECT entity_id AS id, action, actor_type, before, after FROM audit_events
        WHERE entity_type = 'delivery' AND entity_id = ANY($1::text[]) AND action IN ('delivery.failed','delivery.skipped') ORDER BY id`,
      [ids],
    );

  /** Over a sweep and a lapsed lease: not re-queued, not sent, not changed, and no app logged an error. */
  async function expectLeftAlone(ids: string[], paths: string[], addresses: string[]) {
    const before = await rowsOf(ids);
    const requestsBefore = receiver.requests.filter((r) => paths.includes(r.path)).length;
    const errorsBefore = errors.length;
    await new Promise((r) => setTimeout(r, WATCH_MS));
    expect(await rowsOf(ids)).toEqual(before);
    expect(sweptIds.filter((id) => ids.includes(id))).toEqual([]);
    expect(receiver.requests.filter((r) => paths.includes(r.path)).length).toBe(requestsBefore);
    expect(smtp.messages.filter((m) => m.envelope.rcptTo.some((to) => addresses.includes(to)))).toEqual([]);
    expect(errors.slice(errorsBefore)).toEqual([]);
  }

  it('knows every kind of delivery the schema allows: each is a subscription’s or never one', async () => {
    expect(await deliveryKindsInSchema(stack.db)).toEqual([...Object.keys(SUBSCRIPTION_KINDS), ...AGENCY_ONLY_KINDS].sort());
  });

  for (const channel of ['webhook', 'email'] as const) {
    for (const subscriptionStatus of ['active', 'paused', ...(channel === 'webhook' ? ['disabled' as const] : [])] as const) {
      it(`${channel}, ${subscriptionStatus}: every kind in every state it can be in ends, with its reason and audit event, and stays ended`, async () => {
        const path = `/${channel}-${subscriptionStatus}`;
        const { agency, sub, fallback, admin } = await agencyWith(channel, path);
        if (subscriptionStatus === 'paused') await call('POST', `/api/v1/subscriptions/${sub.id}/pause`, { key: agency.keys.agency_admin });
        if (subscriptionStatus === 'disabled') {
          await stack.db.query(`UPDATE subscriptions SET status = 'disabled', disabled_reason = 'the endpoint answered 410 Gone' WHERE id = $1`, [sub.id]);
        }
        const owner = { id: sub.id, agencyId: agency.id, channel, webhookUrl: sub.webhookUrl, emailAddresses: sub.emailAddresses };
        const kinds = (Object.keys(SUBSCRIPTION_KINDS) as Kind[]).filter((k) => k !== 'subscription.disabled' || channel === 'webhook');
        const owed: OwedRow[] = [];
        const notices = new Map<string, string>();
        for (const kind of kinds) {
          for (const state of statesFor(kind, subscriptionStatus)) {
            const notice = SUBSCRIPTION_KINDS[kind].notice ? (notices.get(state) ?? (await insertNotice(stack.db, issuer, `DEL-${++seq}`))) : null;
            if (notice) notices.set(state, notice);
            owed.push(await insertOwed(stack.db, owner, kind, state, notice, admin));
          }
        }
        // An escalation of the same agency goes to its escalation contacts, not through the subscription.
        const escalationNotice = await insertNotice(stack.db, issuer, `DEL-${++seq}`);
        const [escalation] = await stack.db.query(
          `INSERT INTO deliveries (notice_id, agency_id, event_type, channel, recipients, sequence, next_attempt_at)
           VALUES ($1, $2, 'notice.escalation', 'email', ARRAY['escalation@agency.test'], 3, now() + interval '1 hour') RETURNING id`,
          [escalationNotice, agency.id],
        );

        await remove(agency, sub.id);

        const ids = owed.map((o) => o.id);
        const rows: { id: string; status: string; last_error: string }[] = await rowsOf(ids);
        const audited: { id: string; action: string; actor_type: string; before: { status: string } | null; after: { status: string; error: string } }[] = await endings(ids);
        // Every combination at once, so a failure names each one that did not end as it should.
        const seen = owed.map((o) => {
          const row = rows.find((r) => r.id === o.id)!;
          const events = audited.filter((a) => a.id === o.id).map((e) => [e.action, e.actor_type, e.before?.status, e.after.status, e.after.error]);
          return { where: `${o.kind}, ${o.state}`, status: row.status, reason: row.last_error, events };
        });
        const expected = owed.map((o) => {
          const status = o.kind === 'subscription.disabled' ? 'skipped' : 'failed';
          const reason = status === 'skipped' ? 'not sent: subscription deleted' : 'subscription deleted';
          return { where: `${o.kind}, ${o.state}`, status, reason, events: [[`delivery.${status}`, 'user', o.state, status, 'subscription deleted']] };
        });
        expect(seen).toEqual(expected);
        // Nothing of the subscription stays open; the escalation is not the subscription's to end.
        const [open] = await stack.db.query(`SELECT count(*)::int AS n FROM deliveries WHERE subscription_id = $1 AND phase IN ('open','held')`, [sub.id]);
        expect(open.n).toBe(0);
        expect((await rowsOf([escalation.id]))[0].status).toBe('pending');

        // Only a notice's message goes to the fallback contacts: one email per message, each delivered.
        const noticeMessages = owed.filter((o) => o.noticeId);
        const fallbacks: { notice_id: string; event_type: string; fallback_reason: string; status: string }[] = await eventually(async () => {
          const f = await stack.db.query(
            `SELECT notice_id, event_type, fallback_reason, status FROM deliveries WHERE agency_id = $1 AND fallback ORDER BY notice_id, event_type`,
            [agency.id],
          );
          return f.length === noticeMessages.length && f.every((x: { status: string }) => x.status === 'delivered') && f;
        }, 20000, 'every fallback email delivered');
        expect(fallbacks.map((f) => `${f.notice_id} ${f.event_type} ${f.fallback_reason}`).sort()).toEqual(
          noticeMessages.map((o) => `${o.noticeId} ${o.kind} subscription_deleted`).sort(),
        );
        expect(smtp.messages.filter((m) => m.envelope.rcptTo.includes(fallback))).toHaveLength(noticeMessages.length);

        await expectLeftAlone(ids, [path], [...(sub.emailAddresses ?? []), admin]);
      });
    }
  }

  it('the reviewer’s sequence: a retrying test event and a notice, then DELETE: both end, only the notice is emailed, nothing loops', async () => {
    const path = '/reviewer';
    const { agency, sub, fallback } = await agencyWith('webhook', path);
    receiver.respond(path, [500]);
    const test = await call('POST', `/api/v1/subscriptions/${sub.id}/test`, { key: agency.keys.agency_admin });
    expect(test.status).toBe(202);
    const draft = await call('POST', '/api/v1/notices', {
      key: issuer.keys.author,
      body: { title: 'Reviewer notice', summary: 'Summary', body: 'Body', category: 'advisory', severity: 'high', topics: ['safe-sleep'] },
    });
    await call('POST', `/api/v1/notices/${draft.body.id}/submit`, { key: issuer.keys.author });
    const approved = await call('POST', `/api/v1/notices/${draft.body.id}/approve`, { key: issuer.keys.approver, body: { contentHash: draft.body.contentHash } });
    expect(approved.status).toBe(200);
    const noticeDelivery = await eventually(async () => {
      const [d] = await stack.db.query(`SELECT id FROM deliveries WHERE notice_id = $1 AND subscription_id = $2 AND status = 'retrying'`, [draft.body.id, sub.id]);
      return d?.id as string | undefined;
    }, 15000, 'the notice delivery retrying');
    // Both have failed at least once against the 500 endpoint; the test event is retrying (or being retried).
    await eventually(async () => (await rowsOf([test.body.deliveryId]))[0].attempt_count >= 1, 15000, 'the test event attempted');

    await remove(agency, sub.id);

    const ids = [test.body.deliveryId, noticeDelivery];
    const rows = await rowsOf(ids);
    expect(rows.map((r: { status: string; last_error: string }) => [r.status, r.last_error])).toEqual([
      ['failed', 'subscription deleted'],
      ['failed', 'subscription deleted'],
    ]);
    expect((await endings(ids)).map((e: { action: string }) => e.action)).toEqual(['delivery.failed', 'delivery.failed']);
    await smtp.waitFor((m) => m.envelope.rcptTo.includes(fallback) && m.subject?.includes(approved.body.reference) === true, 15000);
    await expectLeftAlone(ids, [path], []);
    // One fallback email: the notice's; the test event has none.
    expect(smtp.messages.filter((m) => m.envelope.rcptTo.includes(fallback))).toHaveLength(1);
  });

  it('a webhook being sent at the moment of deletion ends with it; the attempt in flight is recorded and reopens nothing', async () => {
    const path = '/in-flight';
    const { agency, sub } = await agencyWith('webhook', path);
    receiver.respond(path, [{ status: 500, delayMs: 1000 }]);
    const test = await call('POST', `/api/v1/subscriptions/${sub.id}/test`, { key: agency.keys.agency_admin });
    await receiver.waitFor((r) => r.path === path, 10000);
    expect((await rowsOf([test.body.deliveryId]))[0].status).toBe('sending');

    await remove(agency, sub.id);

    expect((await rowsOf([test.body.deliveryId]))[0]).toMatchObject({ status: 'failed', last_error: 'subscription deleted' });
    await eventually(async () => {
      const [a] = await stack.db.query(`SELECT status_code FROM delivery_attempts WHERE delivery_id = $1`, [test.body.deliveryId]);
      return a?.status_code === 500;
    }, 10000, 'the attempt in flight recorded');
    await expectLeftAlone([test.body.deliveryId], [path], []);
  });

  it('what an older version left open for a deleted subscription is ended by the sweeper, not re-queued', async () => {
    const path = '/left-over';
    const { agency, sub } = await agencyWith('webhook', path);
    await remove(agency, sub.id);
    // As the reviewer's database had them: a test event `sending` under a lapsed lease, and one retrying and due.
    const leftOver: string[] = [];
    for (const set of [
      `status = 'sending', attempt_count = 2, lease_until = now() - interval '1 second', last_error = 'no outcome: the courier stopped during attempt 1'`,
      `status = 'retrying', attempt_count = 1, next_attempt_at = now() - interval '1 minute', last_error = 'HTTP 500'`,
    ]) {
      const [{ id }] = await stack.db.query(
        `INSERT INTO deliveries (subscription_id, agency_id, event_type, channel, target_url) VALUES ($1, $2, 'subscription.test', 'webhook', $3) RETURNING id`,
        [sub.id, agency.id, receiver.url(path)],
      );
      await stack.db.query(`UPDATE deliveries SET ${set} WHERE id = $1`, [id]);
      leftOver.push(id);
    }
    const errorsBefore = errors.length;
    await eventually(async () => (await rowsOf(leftOver)).every((r: { status: string }) => r.status === 'failed'), 15000, 'the sweeper to end them');
    const audited = await endings(leftOver);
    expect(audited.map((e: { actor_type: string; after: { error: string } }) => [e.actor_type, e.after.error])).toEqual([
      ['system', 'subscription deleted'],
      ['system', 'subscription deleted'],
    ]);
    expect(errors.slice(errorsBefore)).toEqual([]);
    await expectLeftAlone(leftOver, [path], []);
    expect(receiver.requests.filter((r) => r.path === path)).toEqual([]);
  });

  it('the courier’s own gate: a message it cannot address ends at once with its reason, never thrown back in a loop', async () => {
    const path = '/no-address';
    const { agency, sub, fallback } = await agencyWith('webhook', path);
    const notice = await insertNotice(stack.db, issuer, `DEL-${++seq}`);
    // A notice's webhook whose row lost its URL, and an escalation whose contact was removed ({NULL}).
    const [{ id: noUrl }] = await stack.db.query(
      `INSERT INTO deliveries (notice_id, subscription_id, agency_id, event_type, channel) VALUES ($1, $2, $3, 'notice.published', 'webhook') RETURNING id`,
      [notice, sub.id, agency.id],
    );
    const [{ id: noAddress }] = await stack.db.query(
      `INSERT INTO deliveries (notice_id, agency_id, event_type, channel, recipients, sequence) VALUES ($1, $2, 'notice.escalation', 'email', ARRAY[NULL]::text[], 3) RETURNING id`,
      [notice, agency.id],
    );
    const errorsBefore = errors.length;
    await stack.deps.publisher.publishMany([noUrl, noAddress].map((id) => ({ subject: Subjects.deliveryJobs, payload: { deliveryId: id }, msgId: `gate:${id}` })));
    const ended = await eventually(async () => {
      const r = await rowsOf([noUrl, noAddress]);
      return r.every((x: { status: string }) => x.status === 'failed') && r;
    }, 15000, 'both ended');
    const reasons = Object.fromEntries(ended.map((r: { id: string; last_error: string }) => [r.id, r.last_error]));
    expect(reasons).toEqual({ [noUrl]: 'not sent: no webhook URL to send to', [noAddress]: 'not sent: no email address to send to' });
    const audited = await endings([noUrl, noAddress]);
    expect(audited.map((e: { id: string; after: { error: string } }) => [e.id, e.after.error]).sort()).toEqual(
      [[noUrl, reasons[noUrl]], [noAddress, reasons[noAddress]]].sort(),
    );
    // The notice still reaches a person: its webhook's fallback email.
    await smtp.waitFor((m) => m.envelope.rcptTo.includes(fallback), 15000);
    expect(errors.slice(errorsBefore)).toEqual([]);
    await expectLeftAlone([noUrl, noAddress], [path], ['escalation@agency.test']);
  });
});
