/**
 * product.md scenario 6: bad input of every kind gets a clear 4xx and changes nothing.
 * The whole database is fingerprinted before and after; any row written would show.
 */
import { signAckToken } from '@sne/core';
import { startStack, Stack } from '../support/stack';
import { apiClient, createAgency, createTopics, TestAgency } from '../support/fixtures';

const TABLES = ['agencies', 'users', 'api_keys', 'topics', 'notices', 'subscriptions', 'deliveries', 'delivery_attempts', 'acknowledgments', 'outbox', 'audit_events', 'reference_counters'];

describe('scenario 6: hostile input', () => {
  let stack: Stack;
  let call: ReturnType<typeof apiClient>;
  let mine: TestAgency, theirs: TestAgency;
  let myDraft: any, theirDraft: any, theirSubscription: any, mySubscription: any, published: any, ackId: string;

  /** Every table's row count and content hash: equal fingerprints mean nothing changed. */
  async function fingerprint(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const t of TABLES) {
      const [r] = await stack.db.query(`SELECT count(*)::int AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM ${t} x`);
      out[t] = `${r.n}:${r.h}`;
    }
    return out;
  }

  beforeAll(async () => {
    stack = await startStack();
    call = apiClient(stack.url);
    await createTopics(stack.db, ['safe-sleep']);
    mine = await createAgency(stack.db, { name: 'Mine' });
    theirs = await createAgency(stack.db, { name: 'Theirs' });
    const notice = { title: 'A notice title', summary: 'Summary here', body: 'Body', category: 'advisory', severity: 'moderate', topics: ['safe-sleep'] };
    myDraft = (await call('POST', '/api/v1/notices', { key: mine.keys.author, body: notice })).body;
    theirDraft = (await call('POST', '/api/v1/notices', { key: theirs.keys.author, body: notice })).body;
    theirSubscription = (await call('POST', '/api/v1/subscriptions', {
      key: theirs.keys.agency_admin,
      body: { name: 'theirs', topicPatterns: ['safe-sleep'], channel: 'email', emailAddresses: ['t@theirs.test'] },
    })).body;
    mySubscription = (await call('POST', '/api/v1/subscriptions', {
      key: mine.keys.agency_admin,
      body: { name: 'mine', topicPatterns: ['safe-sleep'], channel: 'email', emailAddresses: ['m@mine.test'] },
    })).body;
    published = (await call('POST', '/api/v1/notices', { key: mine.keys.author, body: { ...notice, title: 'Published one' } })).body;
    await call('POST', `/api/v1/notices/${published.id}/submit`, { key: mine.keys.author });
    await call('POST', `/api/v1/notices/${myDraft.id}/submit`, { key: mine.keys.author });
    await call('POST', `/api/v1/notices/${published.id}/approve`, { key: mine.keys.approver, body: { contentHash: published.contentHash } });
    // A notice my agency receives (an issuer owes no acknowledgment for its own): its record is the one the tokens name.
    const received = (await call('POST', '/api/v1/notices', { key: theirs.keys.author, body: { ...notice, title: 'Received one' } })).body;
    await call('POST', `/api/v1/notices/${received.id}/submit`, { key: theirs.keys.author });
    await call('POST', `/api/v1/notices/${received.id}/approve`, { key: theirs.keys.approver, body: { contentHash: received.contentHash } });
    // Wait for both fan-outs so their rows are in place before the fingerprint.
    for (let i = 0; i < 200; i++) {
      const [r] = await stack.db.query(`SELECT count(*)::int AS n FROM deliveries WHERE status = 'delivered'`);
      if (r.n >= 2) break;
      await new Promise((res) => setTimeout(res, 50));
    }
    [{ id: ackId }] = await stack.db.query(`SELECT id FROM acknowledgments WHERE agency_id = $1`, [mine.id]);
  });

  afterAll(async () => {
    await stack?.close();
  });

  const validNotice = () => ({ title: 'Valid title', summary: 'Valid summary', body: 'Body', category: 'alert', severity: 'high', topics: ['safe-sleep'] });

  type Case = [name: string, status: number, send: () => Promise<{ status: number; body: any }>];
  const cases: Case[] = [
    ['malformed JSON', 400, () => call('POST', '/api/v1/notices', { key: mine.keys.author, raw: '{"title": "x",' })],
    ['JSON that is a bare string', 400, () => call('POST', '/api/v1/notices', { key: mine.keys.author, raw: '"just a string"' })],
    ['wrong type: severity a number', 400, () => call('POST', '/api/v1/notices', { key: mine.keys.author, body: { ...validNotice(), severity: 5 } })],
    ['wrong type: topics a string', 400, () => call('POST', '/api/v1/notices', { key: mine.keys.author, body: { ...validNotice(), topics: 'safe-sleep' } })],
    ['wrong type: acknowledgeBy not a date', 400, () => call('POST', '/api/v1/notices', { key: mine.keys.author, body: { ...validNotice(), acknowledgeBy: 12345 } })],
    ['unknown field', 400, () => call('POST', '/api/v1/notices', { key: mine.keys.author, body: { ...validNotice(), status: 'published' } })],
    ['unknown topic', 400, () => call('POST', '/api/v1/notices', { key: mine.keys.author, body: { ...validNotice(), topics: ['no-such-topic'] } })],
    ['oversized body', 413, () => call('POST', '/api/v1/notices', { key: mine.keys.author, body: { ...validNotice(), body: 'x'.repeat(400_000) } })],
    ['a topic pattern that matches no topic of the catalogue', 400, () => call('POST', '/api/v1/subscriptions', { key: mine.keys.agency_admin, body: { name: 'x', topicPatterns: ['safe-sleep', 'safe-slep'], channel: 'email', emailAddresses: ['a@b.test'] } })],
    ['a wildcard that matches no topic of the catalogue', 400, () => call('POST', '/api/v1/subscriptions', { key: mine.keys.agency_admin, body: { name: 'x', topicPatterns: ['intake.*'], channel: 'email', emailAddresses: ['a@b.test'] } })],
    ['changing a subscription to a topic not in the catalogue', 400, () => call('PATCH', `/api/v1/subscriptions/${mySubscription.id}`, { key: mine.keys.agency_admin, body: { topicPatterns: ['safe-sleep.>'] } })],
    ['SQL in a topic pattern', 400, () => call('POST', '/api/v1/subscriptions', { key: mine.keys.agency_admin, body: { name: 'x', topicPatterns: ["a'; DROP TABLE notices; --"], channel: 'email', emailAddresses: ['a@b.test'] } })],
    ['webhook subscription without URL', 400, () => call('POST', '/api/v1/subscriptions', { key: mine.keys.agency_admin, body: { name: 'x', topicPatterns: ['safe-sleep'], channel: 'webhook' } })],
    ['webhook URL with a javascript: scheme', 400, () => call('POST', '/api/v1/subscriptions', { key: mine.keys.agency_admin, body: { name: 'x', topicPatterns: ['safe-sleep'], channel: 'webhook', webhookUrl: 'javascript:alert(1)' } })],
    ['no API key', 401, () => call('POST', '/api/v1/notices', { body: validNotice() })],
    ['a made-up API key', 401, () => call('POST', '/api/v1/notices', { key: 'sne_abcdefgh_' + 'A'.repeat(43), body: validNotice() })],
    ['the wrong role', 403, () => call('POST', '/api/v1/subscriptions', { key: mine.keys.author, body: { name: 'x', topicPatterns: ['safe-sleep'], channel: 'email', emailAddresses: ['a@b.test'] } })],
    ['a malformed id', 400, () => call('GET', '/api/v1/notices/not-a-uuid', { key: mine.keys.author })],
    ["another agency's draft: read", 404, () => call('GET', `/api/v1/notices/${theirDraft.id}`, { key: mine.keys.author })],
    ["another agency's draft: edit", 404, () => call('PATCH', `/api/v1/notices/${theirDraft.id}`, { key: mine.keys.author, body: { title: 'Hijacked title' } })],
    ["another agency's draft: submit", 404, () => call('POST', `/api/v1/notices/${theirDraft.id}/submit`, { key: mine.keys.author })],
    ["another agency's draft: approve", 404, () => call('POST', `/api/v1/notices/${theirDraft.id}/approve`, { key: mine.keys.approver, body: { contentHash: theirDraft.contentHash } })],
    ["another agency's subscription: read", 404, () => call('GET', `/api/v1/subscriptions/${theirSubscription.id}`, { key: mine.keys.agency_admin })],
    ["another agency's subscription: pause", 404, () => call('POST', `/api/v1/subscriptions/${theirSubscription.id}/pause`, { key: mine.keys.agency_admin })],
    ["another agency's subscription: rotate secret", 404, () => call('POST', `/api/v1/subscriptions/${theirSubscription.id}/rotate-secret`, { key: mine.keys.agency_admin })],
    ["another agency's subscription: test", 404, () => call('POST', `/api/v1/subscriptions/${theirSubscription.id}/test`, { key: mine.keys.agency_admin })],
    ['the author approving', 403, () => call('POST', `/api/v1/notices/${myDraft.id}/approve`, { key: mine.keys.author, body: { contentHash: myDraft.contentHash } })],
    ['approval with a stale content hash', 403, () => call('POST', `/api/v1/notices/${myDraft.id}/approve`, { key: mine.keys.approver, body: { contentHash: 'f'.repeat(64) } })],
    ['approving a published notice again', 409, () => call('POST', `/api/v1/notices/${published.id}/approve`, { key: mine.keys.approver, body: { contentHash: published.contentHash } })],
    ['editing a published notice', 409, () => call('PATCH', `/api/v1/notices/${published.id}`, { key: mine.keys.author, body: { title: 'Nope nope' } })],
    ['a forged acknowledgment token (API)', 400, () => call('POST', '/api/v1/acknowledgments/eyJhY2tJZCI6IngifQ.Zm9yZ2Vk', { body: { name: 'Mallory' } })],
    ['a forged acknowledgment token (page)', 400, () => fetch(`${stack.url}/ack/eyJhY2tJZCI6IngifQ.Zm9yZ2Vk`).then((r) => ({ status: r.status, body: null }))],
    ['a token signed with another secret', 400, () => call('POST', `/api/v1/acknowledgments/${signAckToken({ ackId, email: 'm@mine.test', exp: Math.floor(Date.now() / 1000) + 3600 }, 'x'.repeat(40))}`, { body: { name: 'Mallory' } })],
    ['an expired token', 410, () => call('POST', `/api/v1/acknowledgments/${signAckToken({ ackId, email: 'm@mine.test', exp: Math.floor(Date.now() / 1000) - 60 }, stack.config.ackTokenSecret)}`, { body: { name: 'Late' } })],
    ['a huge token', 400, () => call('POST', `/api/v1/acknowledgments/${'a'.repeat(3000)}`, { body: { name: 'x' } })],
    ['acknowledging without a name', 400, () => call('POST', `/api/v1/acknowledgments/${signAckToken({ ackId, email: 'm@mine.test', exp: Math.floor(Date.now() / 1000) + 3600 }, stack.config.ackTokenSecret)}`, { body: {} })],
    ['acknowledging a notice your agency did not receive', 404, () => call('POST', `/api/v1/notices/${theirDraft.id}/acknowledgments`, { key: mine.keys.supervisor, body: {} })],
    ['a query parameter of the wrong type', 400, () => call('GET', '/api/v1/notices?limit=lots', { key: mine.keys.author })],
    ['a deep prototype-pollution attempt', 400, () => call('POST', '/api/v1/notices', { key: mine.keys.author, raw: JSON.stringify(validNotice()).replace(/}$/, ',"__proto__":{"status":"published"}}') })],
    ['a constructor-pollution attempt', 400, () => call('POST', '/api/v1/notices', { key: mine.keys.author, raw: JSON.stringify(validNotice()).replace(/}$/, ',"constructor":{"prototype":{"x":1}}}') })],
  ];

  it('takes topic patterns that match a topic of the catalogue: the key itself, a wildcard, and everything', async () => {
    for (const pattern of ['safe-sleep', '*', '>']) {
      const made = await call('POST', '/api/v1/subscriptions', { key: mine.keys.agency_admin, body: { name: `p ${pattern}`, topicPatterns: [pattern], channel: 'email', emailAddresses: ['p@mine.test'] } });
      expect({ pattern, status: made.status }).toEqual({ pattern, status: 201 });
      expect((await call('DELETE', `/api/v1/subscriptions/${made.body.id}`, { key: mine.keys.agency_admin })).status).toBe(204);
    }
    const refused = await call('POST', '/api/v1/subscriptions', { key: mine.keys.agency_admin, body: { name: 'typo', topicPatterns: ['safe-slep'], channel: 'email', emailAddresses: ['p@mine.test'] } });
    expect(refused.body.message).toMatch(/match no topic of the catalogue.*safe-slep/);
  });

  it('answers every hostile request with the expected 4xx and the error shape, and changes nothing', async () => {
    const before = await fingerprint();
    const results: string[] = [];
    for (const [name, expected, send] of cases) {
      const res = await send();
      results.push(`${name}: ${res.status}`);
      expect({ name, status: res.status }).toEqual({ name, status: expected });
      if (res.body) {
        expect(res.body).toEqual(expect.objectContaining({ statusCode: expected, error: expect.any(String), message: expect.anything() }));
      }
    }
    const after = await fingerprint();
    // api_keys.last_used_at moves on every authenticated call; compare it without that column.
    delete before.api_keys;
    delete after.api_keys;
    expect(after).toEqual(before);
  });
});
