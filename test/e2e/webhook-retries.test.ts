/**
 * Failed attempts are retried with backoff, always with the same webhook-id; an endpoint that
 * keeps failing ends as a visible dead letter an operator can retry; 410 disables the endpoint.
 * The retry schedule is shortened by configuration so the test needs no clock tricks.
 */
import { randomBytes } from 'node:crypto';
import { SecretBox } from '@sne/core';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { startWebhookReceiver, WebhookReceiver } from '../support/webhook-receiver';
import { startStack, Stack } from '../support/stack';
import { apiClient, createAgency, createTopics, eventually, TestAgency } from '../support/fixtures';

describe('webhook retries and dead letters', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  let smtp: SmtpSink;
  let call: ReturnType<typeof apiClient>;
  let issuer: TestAgency;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    smtp = await startSmtpSink();
    stack = await startStack({ RETRY_SCHEDULE: '100ms,200ms,300ms', SMTP_URL: smtp.url, SUBSCRIPTION_DISABLE_AFTER_DEAD_LETTERS: '2' });
    call = apiClient(stack.url);
    await createTopics(stack.db, ['safe-sleep']);
    issuer = await createAgency(stack.db, { name: 'Issuer' });
  });

  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
    await smtp?.close();
  });

  async function subscribe(path: string) {
    const agency = await createAgency(stack.db, { name: `Endpoint ${path}` });
    await stack.db.query(`UPDATE agencies SET fallback_contacts = $2 WHERE id = $1`, [agency.id, [`fallback${path.replace(/\//g, '-')}@agency.test`]]);
    const sub = await call('POST', '/api/v1/subscriptions', {
      key: agency.keys.agency_admin,
      body: { name: path, topicPatterns: ['safe-sleep'], channel: 'webhook', webhookUrl: receiver.url(path) },
    });
    receiver.setSecret(path, sub.body.signingSecret);
    return { agency, sub: sub.body };
  }

  async function publish(title: string) {
    const d = await call('POST', '/api/v1/notices', {
      key: issuer.keys.author,
      body: { title, summary: 'Summary', body: 'Body', category: 'advisory', severity: 'high', topics: ['safe-sleep'] },
    });
    await call('POST', `/api/v1/notices/${d.body.id}/submit`, { key: issuer.keys.author });
    await call('POST', `/api/v1/notices/${d.body.id}/approve`, { key: issuer.keys.approver, body: { contentHash: d.body.contentHash } });
    return d.body.id as string;
  }

  const deliveryOf = async (noticeId: string, agencyId: string) => {
    const list = await call('GET', `/api/v1/notices/${noticeId}/deliveries`, { key: issuer.keys.supervisor });
    return list.body.items.find((d: any) => d.agencyId === agencyId && d.channel === 'webhook');
  };

  it('500, 500, 500, then 200: delivered on the fourth attempt with one webhook-id', async () => {
    const { agency, sub } = await subscribe('/flaky');
    receiver.respond('/flaky', [500, 500, 500, 200]);
    const noticeId = await publish('Flaky endpoint');
    const delivery = await eventually(async () => {
      const d = await deliveryOf(noticeId, agency.id);
      return d?.status === 'delivered' && d;
    }, 20000, 'the fourth attempt');
    expect(delivery.attemptCount).toBe(4);
    expect(delivery.attempts.map((a: any) => a.statusCode)).toEqual([500, 500, 500, 200]);
    const requests = receiver.requests.filter((r) => r.path === '/flaky');
    expect(requests).toHaveLength(4);
    expect(new Set(requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([delivery.id]));
    expect(requests.every((r) => r.verified)).toBe(true);
    // The success ended the endpoint's failing streak.
    const after = await call('GET', `/api/v1/subscriptions/${sub.id}`, { key: agency.keys.agency_admin });
    expect(after.body).toMatchObject({ status: 'active', failingSince: null });
  });

  it('always 500: a dead letter after the schedule, then retried by an operator with the same webhook-id', async () => {
    const { agency } = await subscribe('/broken');
    receiver.respond('/broken', [500]);
    const noticeId = await publish('Broken endpoint');
    const dead = await eventually(async () => {
      const d = await deliveryOf(noticeId, agency.id);
      return d?.status === 'failed' && d;
    }, 20000, 'the dead letter');
    expect(dead.attemptCount).toBe(4); // the first attempt and three retries
    expect(dead.lastError).toMatch(/500/);

    receiver.respond('/broken', [200]);
    const retry = await call('POST', `/api/v1/deliveries/${dead.id}/retry`, { key: agency.keys.agency_admin });
    expect(retry.status).toBe(202);
    const revived = await eventually(async () => {
      const d = await deliveryOf(noticeId, agency.id);
      return d?.status === 'delivered' && d;
    }, 20000, 'the operator retry');
    expect(revived.id).toBe(dead.id);
    expect(revived.attemptCount).toBe(5);
    const ids = new Set(receiver.requests.filter((r) => r.path === '/broken').map((r) => r.headers['webhook-id']));
    expect(ids).toEqual(new Set([dead.id]));
    // Retrying something that is not a dead letter is refused.
    expect((await call('POST', `/api/v1/deliveries/${dead.id}/retry`, { key: agency.keys.agency_admin })).status).toBe(409);
  });

  it('a signing secret sealed under a key the courier does not hold: failed attempts on the schedule, a dead letter and the fallback email; replayed once the key is back', async () => {
    const { agency, sub } = await subscribe('/unopened');
    const box = stack.api.get(SecretBox);
    const [{ signing_secret: sealed }] = await stack.db.query(`SELECT signing_secret FROM subscriptions WHERE id = $1`, [sub.id]);
    // As if SECRETS_KEY had changed and SECRETS_KEY_PREVIOUS been removed before `secrets:reseal` reached it.
    const underAnotherKey = new SecretBox(randomBytes(32)).seal(box.open(sealed));
    await stack.db.query(`UPDATE subscriptions SET signing_secret = $2 WHERE id = $1`, [sub.id, underAnotherKey]);
    const noticeId = await publish('Secret under another key');
    const dead = await eventually(async () => {
      const d = await deliveryOf(noticeId, agency.id);
      return d?.status === 'failed' && d;
    }, 20000, 'the dead letter');
    expect(dead.attemptCount).toBe(4);
    expect(dead.attempts.map((a: any) => a.error)).toEqual(Array(4).fill(expect.stringMatching(/signing secret cannot be opened/)));
    expect(dead.lastError).toMatch(/signing secret cannot be opened/);
    expect(receiver.requests.filter((r) => r.path === '/unopened')).toHaveLength(0);
    await smtp.waitFor((m) => m.envelope.rcptTo.includes('fallback-unopened@agency.test'));
    // The endpoint was never tried: its failing streak, which disables subscriptions, is not its to carry.
    const [streak] = await stack.db.query(`SELECT status, failing_since, consecutive_dead_letters FROM subscriptions WHERE id = $1`, [sub.id]);
    expect(streak).toEqual({ status: 'active', failing_since: null, consecutive_dead_letters: 0 });

    // The key is back (the operator restored SECRETS_KEY_PREVIOUS and resealed): the replay goes out, signed, with the same webhook-id.
    await stack.db.query(`UPDATE subscriptions SET signing_secret = $2 WHERE id = $1`, [sub.id, sealed]);
    expect((await call('POST', `/api/v1/deliveries/${dead.id}/retry`, { key: agency.keys.agency_admin })).status).toBe(202);
    const request = await receiver.waitFor((r) => r.path === '/unopened');
    expect(request.headers['webhook-id']).toBe(dead.id);
    expect(request.verified).toBe(true);
  });

  it('410 Gone disables the subscription at once', async () => {
    const { agency, sub } = await subscribe('/gone');
    receiver.respond('/gone', [410]);
    const noticeId = await publish('Gone endpoint');
    const d = await eventually(async () => {
      const x = await deliveryOf(noticeId, agency.id);
      return x?.status === 'failed' && x;
    }, 20000, 'the 410');
    expect(d.attemptCount).toBe(1);
    const after = await call('GET', `/api/v1/subscriptions/${sub.id}`, { key: agency.keys.agency_admin });
    expect(after.body.status).toBe('disabled');
    const [event] = await stack.db.query(`SELECT actor_type FROM audit_events WHERE action = 'subscription.disabled' AND entity_id = $1`, [sub.id]);
    expect(event.actor_type).toBe('system');
  });

  it('429 with Retry-After: 7 schedules the next attempt 7 s later', async () => {
    const { agency } = await subscribe('/throttled');
    receiver.respond('/throttled', [{ status: 429, headers: { 'retry-after': '7' } }, 200]);
    const noticeId = await publish('Throttled endpoint');
    const d = await eventually(async () => {
      const x = await deliveryOf(noticeId, agency.id);
      return x?.status === 'retrying' && x;
    }, 10000, 'the 429');
    const firstAttempt = new Date(d.attempts[0].startedAt).getTime() + d.attempts[0].durationMs;
    const delay = new Date(d.nextAttemptAt).getTime() - firstAttempt;
    expect(delay).toBeGreaterThanOrEqual(6500);
    expect(delay).toBeLessThanOrEqual(7500);
  });

  it('a receiver answering webhook-delivery: abort stops the retries', async () => {
    const { agency } = await subscribe('/abort');
    receiver.respond('/abort', [{ status: 500, headers: { 'webhook-delivery': 'abort' } }]);
    const noticeId = await publish('Aborting endpoint');
    const d = await eventually(async () => {
      const x = await deliveryOf(noticeId, agency.id);
      return x?.status === 'failed' && x;
    }, 10000, 'the abort');
    expect(d.attemptCount).toBe(1);
  });

  it('a dead letter is emailed to the fallback contacts, listed, and shown in the supervisor view', async () => {
    const { agency, sub } = await subscribe('/down');
    receiver.respond('/down', [503]);
    const noticeId = await publish('Endpoint down');
    const mail = await smtp.waitFor((m) => m.envelope.rcptTo.includes('fallback-down@agency.test'), 20000);
    expect(mail.text).toContain('FALLBACK COPY');
    expect(mail.text).toMatch(/\/ack\/[A-Za-z0-9_.-]+/);

    const dead = await call('GET', `/api/v1/deliveries?status=failed&subscriptionId=${sub.id}`, { key: agency.keys.agency_admin });
    expect(dead.body.items).toHaveLength(1);
    expect(dead.body.items[0]).toMatchObject({ noticeId, channel: 'webhook', status: 'failed' });

    // The mail can arrive a moment before the courier records it as delivered.
    const row = await eventually(async () => {
      const view = await call('GET', `/api/v1/notices/${noticeId}/acknowledgments`, { key: issuer.keys.supervisor });
      const r = view.body.items.find((i: any) => i.agency.id === agency.id);
      return r.deliveries.every((x: any) => x.status === 'delivered' || x.channel === 'webhook') && r;
    }, 10000, 'the fallback to be recorded');
    expect(row.deliveries.map((x: any) => [x.channel, x.fallback, x.status])).toEqual([
      ['webhook', false, 'failed'],
      ['email', true, 'delivered'],
    ]);
    // The fallback link acknowledges the same record.
    const link = /(http:\/\/[^\s"<>]+\/ack\/[A-Za-z0-9_.-]+)/.exec(mail.text!)![1];
    const ack = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=Fallback+Reader' });
    expect(ack.status).toBe(200);
    const after = await call('GET', `/api/v1/notices/${noticeId}/acknowledgments`, { key: agency.keys.supervisor });
    expect(after.body.items[0]).toMatchObject({ status: 'acknowledged', channel: 'email_link' });
  });

  it('dead letters in a row disable the subscription, tell the agency admins, and bulk retry replays them', async () => {
    const { agency, sub } = await subscribe('/dying');
    receiver.respond('/dying', [500]);
    const first = await publish('Dying endpoint 1');
    await eventually(async () => (await deliveryOf(first, agency.id))?.status === 'failed', 20000, 'the first dead letter');
    const second = await publish('Dying endpoint 2');
    await eventually(async () => (await deliveryOf(second, agency.id))?.status === 'failed', 20000, 'the second dead letter');

    const disabled = await eventually(async () => {
      const s = await call('GET', `/api/v1/subscriptions/${sub.id}`, { key: agency.keys.agency_admin });
      return s.body.status === 'disabled' && s.body;
    }, 10000, 'the subscription to be disabled');
    expect(disabled.disabledReason).toMatch(/2 deliveries in a row/);
    const adminMail = await smtp.waitFor((m) => m.subject?.includes('"/dying" was disabled') === true && m.envelope.rcptTo.some((r) => r.startsWith('agency_admin-')), 10000);
    expect(adminMail.text).toContain(receiver.url('/dying'));

    // A notice that comes while it is disabled is held for it, and its fallback contacts get it now.
    const third = await publish('Dying endpoint 3');
    const held = await eventually(async () => (await deliveryOf(third, agency.id))?.status === 'held' && (await deliveryOf(third, agency.id)), 10000, 'the held delivery');
    await smtp.waitFor((m) => m.envelope.rcptTo.includes('fallback-dying@agency.test') && m.subject?.includes('Dying endpoint 3') === true, 10000);

    // Repaired: resume, then replay every dead letter with the same webhook-ids.
    receiver.respond('/dying', [200]);
    expect((await call('POST', `/api/v1/subscriptions/${sub.id}/resume`, { key: agency.keys.agency_admin })).body).toMatchObject({ status: 'active', disabledReason: null });
    const replay = await call('POST', `/api/v1/subscriptions/${sub.id}/retry-failed`, { key: agency.keys.agency_admin });
    expect(replay.body.retried).toBe(2);
    // The held one went out on resume, under its own id.
    expect(held.status).toBe('held');
    for (const noticeId of [first, second, third]) {
      const d = await eventually(async () => {
        const x = await deliveryOf(noticeId, agency.id);
        return x?.status === 'delivered' && x;
      }, 20000, 'the replay');
      const ids = new Set(receiver.requests.filter((r) => r.path === '/dying' && r.headers['webhook-id'] === d.id).map((r) => r.headers['webhook-id']));
      expect(ids.size).toBe(1);
    }
  });

  it('an endpoint failing for longer than the limit is disabled on its next failure', async () => {
    const { agency, sub } = await subscribe('/stale');
    receiver.respond('/stale', [500]);
    await stack.db.query(`UPDATE subscriptions SET failing_since = now() - interval '25 hours' WHERE id = $1`, [sub.id]);
    const noticeId = await publish('Long-failing endpoint');
    await eventually(async () => (await deliveryOf(noticeId, agency.id))?.attemptCount >= 1, 10000, 'an attempt');
    const s = await eventually(async () => {
      const x = await call('GET', `/api/v1/subscriptions/${sub.id}`, { key: agency.keys.agency_admin });
      return x.body.status === 'disabled' && x.body;
    }, 10000, 'the subscription to be disabled');
    expect(s.disabledReason).toMatch(/every attempt has failed since/);
    // Its outstanding delivery is held for it, and goes to the fallback contacts at once.
    await smtp.waitFor((m) => m.envelope.rcptTo.includes('fallback-stale@agency.test'), 10000);
  });
});
