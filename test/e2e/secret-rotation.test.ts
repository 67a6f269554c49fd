/**
 * Rotating a webhook signing secret (outside audit: a second rotation within 24 h dropped the
 * first secret's signature at once, so an accidental double submit broke a receiver that had
 * not switched yet). Every secret rotated out keeps signing until its own 24 hours are over; at
 * most MAX_RETIRED_SECRETS do at once, and a rotation beyond that is refused (429, naming when
 * the oldest expires), never made by dropping one.
 *
 * Each webhook is checked the way a receiver would, with a Standard Webhooks verification
 * written here from the specification (HMAC-SHA256 over `id.timestamp.body`, keyed by the
 * base64 after `whsec_`, each `v1,` signature of the space-separated header), not the app's own
 * signer. Time passing is the retired secrets' times moved back (they are the only clock here).
 * Real stack: PostgreSQL, NATS, HTTP.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SecretBox } from '@sne/core';
import { MAX_RETIRED_SECRETS } from '../../apps/api/src/subscriptions/secret-rotation';
import { apiClient, createAgency, createTopics, eventually, TestAgency } from '../support/fixtures';
import { startStack, Stack } from '../support/stack';
import { startWebhookReceiver, WebhookReceiver } from '../support/webhook-receiver';

jest.setTimeout(120_000);

/** The specification's check, nothing of the app: does any v1 signature in the header match this secret? */
function verifies(secret: string, webhook: { id: string; timestamp: string; signature: string; body: string }): boolean {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${webhook.id}.${webhook.timestamp}.${webhook.body}`).digest();
  return webhook.signature.split(' ').some((part) => {
    const [version, sig] = part.split(',');
    const given = Buffer.from(sig ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

const HOUR = 3600;

describe('signing secret rotation: every secret rotated out signs for its own 24 hours', () => {
  let stack: Stack;
  let agency: TestAgency;
  let receiver: WebhookReceiver;
  let call: ReturnType<typeof apiClient>;
  /** Every secret issued in this file, for the audit check. */
  const issued: string[] = [];

  beforeAll(async () => {
    stack = await startStack();
    call = apiClient(stack.url);
    await createTopics(stack.db, ['safe-sleep']);
    agency = await createAgency(stack.db, { roles: ['agency_admin'] });
    receiver = await startWebhookReceiver();
  });

  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });

  const admin = () => agency.keys.agency_admin!;

  /** A webhook subscription; its secrets, oldest first. */
  async function subscribe(name: string): Promise<{ id: string; secrets: string[] }> {
    const res = await call('POST', '/api/v1/subscriptions', {
      key: admin(),
      body: { name, channel: 'webhook', topicPatterns: ['safe-sleep'], webhookUrl: receiver.url(`/hook/${name}`) },
    });
    expect(res.status).toBe(201);
    issued.push(res.body.signingSecret);
    return { id: res.body.id, secrets: [res.body.signingSecret] };
  }

  async function rotate(sub: { id: string; secrets: string[] }) {
    const res = await call('POST', `/api/v1/subscriptions/${sub.id}/rotate-secret`, { key: admin() });
    if (res.status === 200) {
      expect(res.body.signingSecret).toMatch(/^whsec_/);
      issued.push(res.body.signingSecret);
      sub.secrets.push(res.body.signingSecret);
    }
    return res;
  }

  /** Time passes for the subscription's retired secrets (the current one has no clock). */
  async function elapse(subId: string, seconds: number) {
    await stack.db.query(
      `UPDATE subscription_retired_secrets SET retired_at = retired_at - make_interval(secs => $2), expires_at = expires_at - make_interval(secs => $2)
        WHERE subscription_id = $1`,
      [subId, seconds],
    );
  }

  /** Sends a subscription.test webhook and returns it as the receiver got it. */
  async function webhook(subId: string) {
    const sent = await call('POST', `/api/v1/subscriptions/${subId}/test`, { key: admin() });
    expect(sent.status).toBe(202);
    const got = await receiver.waitFor((r) => r.headers['webhook-id'] === sent.body.deliveryId, 20_000);
    return {
      id: String(got.headers['webhook-id']),
      timestamp: String(got.headers['webhook-timestamp']),
      signature: String(got.headers['webhook-signature']),
      body: got.body,
    };
  }

  /** Which of the secrets verify the next webhook, by their place in the list. */
  async function verifying(sub: { id: string; secrets: string[] }): Promise<boolean[]> {
    const w = await webhook(sub.id);
    return sub.secrets.map((s) => verifies(s, w));
  }

  it('one rotation: the original and the new secret both verify', async () => {
    const sub = await subscribe('one');
    expect(await verifying(sub)).toEqual([true]);
    expect((await rotate(sub)).status).toBe(200);
    expect(await verifying(sub)).toEqual([true, true]);
  });

  it('two rotations at once (a double submit): the original still verifies, with both newer ones', async () => {
    const sub = await subscribe('two');
    expect((await rotate(sub)).status).toBe(200);
    expect((await rotate(sub)).status).toBe(200);
    expect(await verifying(sub)).toEqual([true, true, true]);
    // And minutes later, still all three.
    await elapse(sub.id, 5 * 60);
    expect(await verifying(sub)).toEqual([true, true, true]);
  });

  it(`three rotations: all four verify; a fourth within the window is refused (429, naming when the oldest expires) and drops nothing`, async () => {
    expect(MAX_RETIRED_SECRETS).toBe(3);
    const sub = await subscribe('three');
    for (let i = 0; i < 3; i++) {
      expect((await rotate(sub)).status).toBe(200);
      await elapse(sub.id, HOUR);
    }
    expect(await verifying(sub)).toEqual([true, true, true, true]);

    const refused = await rotate(sub);
    expect(refused.status).toBe(429);
    const [oldest] = await stack.db.query(`SELECT min(expires_at) AS at FROM subscription_retired_secrets WHERE subscription_id = $1`, [sub.id]);
    expect(refused.body.message).toContain(new Date(oldest.at).toISOString());
    // The oldest was rotated out 3 h ago: 21 h to go, in the body and in Retry-After.
    expect(Math.abs(refused.body.retryAfterSeconds - 21 * HOUR)).toBeLessThan(60);
    expect(refused.headers.get('retry-after')).toBe(String(refused.body.retryAfterSeconds));
    expect(refused.body.signingSecret).toBeUndefined();
    // Nothing changed: the same four sign, the current one is still the last issued.
    expect(sub.secrets).toHaveLength(4);
    expect(await verifying(sub)).toEqual([true, true, true, true]);
    const [row] = await stack.db.query(`SELECT signing_secret FROM subscriptions WHERE id = $1`, [sub.id]);
    expect(stack.api.get(SecretBox).open(row.signing_secret)).toBe(sub.secrets[3]);
  });

  it('a rotated-out secret stops verifying when its own 24 hours are over, not when the next rotation comes', async () => {
    const sub = await subscribe('expiry');
    expect((await rotate(sub)).status).toBe(200); // the original retired now
    await elapse(sub.id, 23 * HOUR);
    expect((await rotate(sub)).status).toBe(200); // the second retired 23 h after the first
    expect(await verifying(sub)).toEqual([true, true, true]);
    await elapse(sub.id, HOUR + 1);
    expect(await verifying(sub)).toEqual([false, true, true]);
    await elapse(sub.id, 23 * HOUR);
    expect(await verifying(sub)).toEqual([false, false, true]);
  });

  it('rotating after the retired secrets expired: allowed again, and only the secrets of the last 24 hours verify', async () => {
    const sub = await subscribe('after');
    for (let i = 0; i < 3; i++) expect((await rotate(sub)).status).toBe(200);
    expect((await rotate(sub)).status).toBe(429);
    await elapse(sub.id, 24 * HOUR + 1);
    expect(await verifying(sub)).toEqual([false, false, false, true]);
    expect((await rotate(sub)).status).toBe(200);
    expect(await verifying(sub)).toEqual([false, false, false, true, true]);
    // The expired ones signed nothing any more and are gone; the one just rotated out is kept, sealed.
    const rows: { signing_secret: string }[] = await stack.db.query(`SELECT signing_secret FROM subscription_retired_secrets WHERE subscription_id = $1`, [sub.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].signing_secret).toMatch(/^enc:v1:/);
    expect(stack.api.get(SecretBox).open(rows[0].signing_secret)).toBe(sub.secrets[3]);
  });

  it('a secret whose 24 hours are over is removed within seconds (the sweeper), audited; one still signing stays', async () => {
    const sub = await subscribe('forgotten');
    expect((await rotate(sub)).status).toBe(200);
    await elapse(sub.id, 23 * HOUR);
    expect((await rotate(sub)).status).toBe(200);
    await elapse(sub.id, HOUR + 1); // the first rotated out is over; the second has 23 hours left
    const left = () => stack.db.query(`SELECT count(*)::int AS n FROM subscription_retired_secrets WHERE subscription_id = $1`, [sub.id]);
    await eventually(async () => (await left())[0].n === 1, 20_000, 'the expired secret removed');
    expect(await verifying(sub)).toEqual([false, true, true]);
    const events = await stack.db.query(`SELECT actor_type, after FROM audit_events WHERE entity_id = $1 AND action = 'subscription.retired_secrets_removed'`, [sub.id]);
    expect(events).toEqual([{ actor_type: 'system', after: { removed: 1, reason: 'their 24 hours of signing were over' } }]);
  });

  it('deleting the subscription wipes every retired secret too', async () => {
    const sub = await subscribe('deleted');
    for (let i = 0; i < 2; i++) expect((await rotate(sub)).status).toBe(200);
    expect((await call('DELETE', `/api/v1/subscriptions/${sub.id}`, { key: admin() })).status).toBe(204);
    expect(await stack.db.query(`SELECT count(*)::int AS n FROM subscription_retired_secrets WHERE subscription_id = $1`, [sub.id])).toEqual([{ n: 0 }]);
  });

  it('each rotation leaves an audit event with counts and times, never a secret', async () => {
    const events: { entity_id: string; before: unknown; after: Record<string, unknown> }[] = await stack.db.query(
      `SELECT entity_id, before, after FROM audit_events WHERE agency_id = $1 AND action = 'subscription.secret_rotated' ORDER BY id`,
      [agency.id],
    );
    // one + two + three + expiry + after (3 + 1) + forgotten + deleted; the refused ones left none.
    expect(events).toHaveLength(1 + 2 + 3 + 2 + 4 + 2 + 2);
    expect(Object.keys(events[0].after).sort()).toEqual(['expiredSecretsRemoved', 'retiredSecretExpiresAt', 'signingSecrets']);
    const trail = JSON.stringify(await stack.db.query(`SELECT * FROM audit_events WHERE agency_id = $1`, [agency.id]));
    expect(issued.length).toBeGreaterThan(10);
    for (const secret of issued) {
      expect(trail).not.toContain(secret);
      expect(trail).not.toContain(secret.slice('whsec_'.length, 20));
    }
    expect(trail).not.toMatch(/enc:v1:/);
  });
});
