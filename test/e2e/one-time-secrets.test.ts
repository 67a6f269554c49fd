/**
 * One-time secrets in the console (issue 10, "reloading a one-time page repeats its action"):
 * every console form that makes a secret answers with a redirect (post/redirect/get), and the
 * page it redirects to shows the secret once, from a short-lived server-side slot of that
 * caller. Reloading that page shows nothing new and repeats nothing: no second subscription, no
 * second key, no second rotation (the secret the receiver holds keeps verifying). The same for
 * the acknowledgment page's forms. The slots are kept in PostgreSQL (sealed, owner hashed), so
 * with two API replicas the page finds its secret whichever replica serves it.
 * Real stack: PostgreSQL, NATS, HTTP.
 */
import { Role, SecretBox } from '@sne/core';
import { issueApiKey } from '../../apps/api/src/api-keys/api-keys.controller';
import { createAgency, createTopics, TestAgency } from '../support/fixtures';
import { startApiReplica, startStack, Stack } from '../support/stack';

jest.setTimeout(60_000);

describe('one-time secrets: post/redirect/get, shown once, reloading repeats nothing', () => {
  let stack: Stack;
  let agency: TestAgency;
  /** A second key of the same agency admin: another caller, so another slot. */
  let otherKey: string;

  beforeAll(async () => {
    stack = await startStack();
    await createTopics(stack.db, ['safe-sleep']);
    agency = await createAgency(stack.db, { roles: ['agency_admin', 'author'] as Role[] });
    const [user] = await stack.db.query(`SELECT * FROM users WHERE id = $1`, [agency.userIds.agency_admin]);
    otherKey = (await issueApiKey(stack.db.manager, { ...user, agencyId: user.agency_id }, 'second', null)).key;
  });

  afterAll(async () => {
    await stack?.close();
  });

  /** A console request as the agency admin (an API key: no CSRF token needed), never following redirects. */
  async function send(method: 'GET' | 'POST', path: string, form?: Record<string, string>, key = agency.keys.agency_admin!, base = stack.url) {
    const res = await fetch(`${base}${path}`, {
      method,
      redirect: 'manual',
      headers: { authorization: `Bearer ${key}`, ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    return { status: res.status, location: res.headers.get('location') ?? '', text: await res.text() };
  }

  const count = async (sql: string, params: unknown[]) => Number((await stack.db.query(sql, params))[0].n);
  const subscriptions = () => count(`SELECT count(*) AS n FROM subscriptions WHERE agency_id = $1`, [agency.id]);
  const keysOf = (userId: string) => count(`SELECT count(*) AS n FROM api_keys WHERE user_id = $1`, [userId]);
  const audits = (action: string, entityId: string) => count(`SELECT count(*) AS n FROM audit_events WHERE action = $1 AND entity_id = $2`, [action, entityId]);
  /** The secret that signs now, opened from its sealed column. */
  const storedSecret = async (id: string) => stack.api.get(SecretBox).open((await stack.db.query(`SELECT signing_secret FROM subscriptions WHERE id = $1`, [id]))[0].signing_secret);
  const unescape = (html: string) => html.replace(/&#x3D;/g, '=').replace(/&#x2F;/g, '/').replace(/&amp;/g, '&');
  const secretIn = (html: string) => {
    const m = /<code class="secret" id="secret">(whsec_[^<]+)<\/code>/.exec(html)?.[1];
    return m ? unescape(m) : undefined;
  };

  it('creating a webhook subscription redirects to its secret, shown once; reloading creates no second subscription', async () => {
    const before = await subscriptions();
    const created = await send('POST', '/console/subscriptions', { name: 'Case system', channel: 'webhook', topics: 'safe-sleep', webhookUrl: 'https://intake.example.org/hooks/sne' });
    expect(created.status).toBe(303);
    const id = /^\/console\/subscriptions\/([0-9a-f-]{36})\/secret$/.exec(created.location)?.[1];
    expect(id).toBeDefined();
    // The secret is never in the address.
    expect(created.location).not.toMatch(/whsec_/);
    expect(await subscriptions()).toBe(before + 1);

    // Another caller finds the slot empty: the secret belongs to the one who made it.
    const stranger = await send('GET', created.location, undefined, otherKey);
    expect(stranger.status).toBe(200);
    expect(secretIn(stranger.text)).toBeUndefined();

    const shown = await send('GET', created.location);
    expect(shown.status).toBe(200);
    const secret = secretIn(shown.text);
    expect(secret).toBe(await storedSecret(id!));
    expect(shown.text).toContain('Copy the signing secret now');

    // Reload: nothing new shown, nothing created.
    const reloaded = await send('GET', created.location);
    expect(reloaded.status).toBe(200);
    expect(secretIn(reloaded.text)).toBeUndefined();
    expect(reloaded.text).toContain('The secret is no longer shown');
    expect(unescape(reloaded.text)).not.toContain(secret!);
    expect(await subscriptions()).toBe(before + 1);
    expect(await audits('subscription.created', id!)).toBe(1);
  });

  it('rotating the signing secret redirects to the new one, shown once; reloading rotates nothing', async () => {
    const created = await send('POST', '/console/subscriptions', { name: 'Second system', channel: 'webhook', topics: 'safe-sleep', webhookUrl: 'https://intake.example.org/hooks/two' });
    const id = created.location.split('/')[3];
    await send('GET', created.location);

    const rotated = await send('POST', `/console/subscriptions/${id}/rotate-secret`, {});
    expect(rotated.status).toBe(303);
    expect(rotated.location).toBe(`/console/subscriptions/${id}/secret`);
    const shown = await send('GET', rotated.location);
    const secret = secretIn(shown.text);
    expect(secret).toMatch(/^whsec_/);
    expect(shown.text).toContain('The secret this one replaces keeps signing alongside it for 24 hours');
    expect(await storedSecret(id)).toBe(secret);

    for (let i = 0; i < 2; i++) {
      const reloaded = await send('GET', rotated.location);
      expect(secretIn(reloaded.text)).toBeUndefined();
    }
    // The secret the receiver now holds still verifies: it is still the one signing.
    expect(await storedSecret(id)).toBe(secret);
    expect(await audits('subscription.secret_rotated', id)).toBe(1);
  });

  it.each([
    ['your account', '/console/account/keys', '/console/account'],
    ['administration', '/console/admin/keys', '/console/admin'],
  ])('a new API key (%s) is shown once after a redirect; reloading creates no second key', async (_where, action, page) => {
    const userId = agency.userIds.agency_admin!;
    const before = await keysOf(userId);
    const created = await send('POST', action, { name: `intake ${page}` });
    expect(created.status).toBe(303);
    expect(created.location).toBe(`${page}?done=key_created#issued-key`);
    expect(await keysOf(userId)).toBe(before + 1);

    const shown = await send('GET', created.location.replace(/#.*$/, ''));
    const found = /<code class="secret" id="new-key">(sne_[^<]+)<\/code>/.exec(shown.text)?.[1];
    const key = found && unescape(found);
    expect(key).toBeDefined();
    // The key works: it is the one that was stored.
    expect((await send('GET', '/console/account', undefined, key)).status).toBe(200);

    const reloaded = await send('GET', created.location.replace(/#.*$/, ''));
    expect(reloaded.status).toBe(200);
    expect(reloaded.text).not.toContain('id="new-key"');
    expect(unescape(reloaded.text)).not.toContain(key!);
    expect(reloaded.text).toContain('The API key was created.');
    expect(await keysOf(userId)).toBe(before + 1);
  });

  it('the secret made through one API replica is shown by another (slots live in PostgreSQL, sealed), once, even under concurrent reloads', async () => {
    const replica = await startApiReplica(stack);
    try {
      const created = await send('POST', '/console/subscriptions', { name: 'Behind the balancer', channel: 'webhook', topics: 'safe-sleep', webhookUrl: 'https://intake.example.org/hooks/lb' });
      expect(created.status).toBe(303);
      const id = created.location.split('/')[3];
      const secret = await storedSecret(id);

      // At rest: the owner is a hash (not the key or its id), the value sealed (not the secret).
      const [row] = await stack.db.query(`SELECT owner, purpose, sealed, expires_at - now() AS ttl FROM one_time_slots WHERE purpose = $1`, [`sub-secret:${id}`]);
      expect(row.owner).toMatch(/^[0-9a-f]{64}$/);
      expect(row.sealed).toMatch(/^enc:v1:/);
      const [keyRow] = await stack.db.query(`SELECT id FROM api_keys WHERE user_id = $1 ORDER BY created_at LIMIT 1`, [agency.userIds.agency_admin]);
      expect(JSON.stringify(row)).not.toContain(secret);
      expect(JSON.stringify(row)).not.toContain(keyRow.id);
      expect(row.ttl.minutes).toBe(4);

      // Five reloads at once on the other replica: exactly one shows the secret.
      const reads = await Promise.all(Array.from({ length: 5 }, () => send('GET', created.location, undefined, undefined, replica.url)));
      expect(reads.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      const shown = reads.map((r) => secretIn(r.text)).filter(Boolean);
      expect(shown).toEqual([secret]);
      // A later read, on either replica, shows nothing.
      expect(secretIn((await send('GET', created.location, undefined, undefined, replica.url)).text)).toBeUndefined();
      expect(secretIn((await send('GET', created.location)).text)).toBeUndefined();
      expect(await count(`SELECT count(*) AS n FROM one_time_slots WHERE purpose = $1`, [`sub-secret:${id}`])).toBe(0);
    } finally {
      await replica.close();
    }
  });

  it('an expired slot is not shown, and is swept', async () => {
    const created = await send('POST', '/console/account/keys', { name: 'too late' });
    expect(created.status).toBe(303);
    await stack.db.query(`UPDATE one_time_slots SET expires_at = now() - interval '1 second' WHERE purpose = 'api-key:account'`);
    const late = await send('GET', '/console/account');
    expect(late.text).not.toContain('id="new-key"');
    expect(await count(`SELECT count(*) AS n FROM one_time_slots WHERE purpose = 'api-key:account'`, [])).toBe(0);
    // Another caller's expired slot is swept when any slot is put.
    await send('POST', '/console/admin/keys', { name: 'expired, never read' }, otherKey);
    await stack.db.query(`UPDATE one_time_slots SET expires_at = now() - interval '1 second'`);
    await send('POST', '/console/account/keys', { name: 'fresh' });
    expect(await count(`SELECT count(*) AS n FROM one_time_slots WHERE expires_at <= now()`, [])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM one_time_slots`, [])).toBe(1);
  });

  it('a form sent with errors changes nothing and is answered with the form (no redirect, no slot)', async () => {
    const before = await subscriptions();
    const bad = await send('POST', '/console/subscriptions', { name: '', channel: 'webhook', webhookUrl: 'not a url' });
    expect(bad.status).toBe(400);
    expect(await subscriptions()).toBe(before);
  });
});
