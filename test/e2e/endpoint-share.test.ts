/**
 * Each send in flight to an origin is a connection opened and kept at both ends, so an endpoint
 * gets only the sends it can use (apps/courier/src/endpoint-limiter.ts):
 * - while the courier's sends are all taken, each endpoint with work has its fair share of them,
 *   however many deliveries it has waiting;
 * - an endpoint with the courier to itself grows to ENDPOINT_CONCURRENCY, never beyond.
 * Counted at real HTTP receivers (requests open at once, connections accepted), with answers slow
 * enough that every job is in the courier before any send of the first one ends.
 */
import { randomBytes } from 'node:crypto';
import { startWebhookReceiver, WebhookReceiver } from '../support/webhook-receiver';
import { startStack, Stack } from '../support/stack';
import { apiClient, createAgency, createTopics, TestAgency } from '../support/fixtures';

const COURIER_CONCURRENCY = 8;
const ENDPOINT_CONCURRENCY = 6;
const ANSWER_MS = 300;

describe('sends per endpoint', () => {
  let stack: Stack;
  let call: ReturnType<typeof apiClient>;
  let issuer: TestAgency;
  const shared: WebhookReceiver[] = [];
  let alone: WebhookReceiver;

  beforeAll(async () => {
    stack = await startStack({
      COURIER_CONCURRENCY: String(COURIER_CONCURRENCY),
      ENDPOINT_CONCURRENCY: String(ENDPOINT_CONCURRENCY),
      // One page, so every endpoint's job goes out together when the fan-out ends.
      FAN_OUT_FIRST_PAGE_AGENCIES: '0',
    });
    call = apiClient(stack.url);
    await createTopics(stack.db, ['safe-sleep', 'intake.screening']);
    issuer = await createAgency(stack.db, { name: 'Issuer' });
    for (let i = 0; i < 4; i++) shared.push(await startWebhookReceiver());
    alone = await startWebhookReceiver();
    for (const r of [...shared, alone]) r.respond('/hook', [{ status: 200, delayMs: ANSWER_MS }]);
    await subscribe('safe-sleep', shared.flatMap((r) => Array.from({ length: 16 }, () => r.url('/hook'))));
    await subscribe('intake.screening', Array.from({ length: 30 }, () => alone.url('/hook')));
  });

  afterAll(async () => {
    await stack?.close();
    await Promise.all([...shared, alone].map((r) => r?.close()));
  }, 60_000);

  /** One agency per URL, each with a webhook subscription to the topic. */
  async function subscribe(topic: string, urls: string[]): Promise<void> {
    await stack.db.query(
      `WITH a AS (
         INSERT INTO agencies (name, jurisdiction_type, jurisdiction_code, time_zone, notices_contact_email)
         SELECT 'share ' || $2 || ' ' || i, 'county', $2 || i, 'UTC', $2 || i || '@agency.test'
           FROM generate_series(1, cardinality($1::text[])) i
         RETURNING id, jurisdiction_code)
       INSERT INTO subscriptions (agency_id, name, topic_patterns, min_severity, channel, webhook_url, signing_secret)
       SELECT a.id, 'hook', ARRAY[$3], 'low', 'webhook', ($1::text[])[substr(a.jurisdiction_code, length($2) + 1)::int], $4
         FROM a`,
      [urls, randomBytes(3).toString('hex'), topic, `whsec_${randomBytes(32).toString('base64')}`],
    );
  }

  async function broadcast(topic: string): Promise<void> {
    const d = await call('POST', '/api/v1/notices', {
      key: issuer.keys.author,
      body: { title: `Share ${topic}`, summary: 'Summary', body: 'Body', category: 'advisory', severity: 'high', topics: [topic] },
    });
    await call('POST', `/api/v1/notices/${d.body.id}/submit`, { key: issuer.keys.author });
    const approved = await call('POST', `/api/v1/notices/${d.body.id}/approve`, { key: issuer.keys.approver, body: { contentHash: d.body.contentHash } });
    expect(approved.status).toBe(200);
  }

  it('gives each of several busy endpoints its share of the courier, however much each has waiting', async () => {
    await broadcast('safe-sleep');
    await Promise.all(shared.map((r) => r.waitForCount(16, () => true, 60_000)));
    const share = COURIER_CONCURRENCY / shared.length;
    for (const r of shared) {
      expect({ mostOpen: r.mostOpen, connections: r.connections }).toEqual({ mostOpen: share, connections: share });
    }
  });

  it('lets an endpoint with the courier to itself grow to ENDPOINT_CONCURRENCY, and no further', async () => {
    await broadcast('intake.screening');
    await alone.waitForCount(30, () => true, 60_000);
    expect(alone.mostOpen).toBe(ENDPOINT_CONCURRENCY);
    expect(alone.connections).toBeLessThanOrEqual(ENDPOINT_CONCURRENCY);
    // Nothing else was sent meanwhile: the shared endpoints got no more requests.
    for (const r of shared) expect(r.requests).toHaveLength(16);
  });
});
