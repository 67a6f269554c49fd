/**
 * A hanging endpoint never delays healthy ones: per-endpoint concurrency keeps it from taking
 * the courier's slots. 100 healthy origins, one origin that never answers (with more deliveries
 * than the courier has slots), and a webhook timeout longer than the test: every healthy
 * delivery must arrive while every hanging attempt is still open, which is impossible if the
 * hanging requests held the slots. An order of events, not a stopwatch.
 */
import { randomBytes } from 'node:crypto';
import { startWebhookReceiver, WebhookReceiver } from '../support/webhook-receiver';
import { startStack, Stack } from '../support/stack';
import { apiClient, createAgency, createTopics, eventually, TestAgency } from '../support/fixtures';

/** Longer than the test runs: a hanging attempt never releases its slot while we watch. */
const TIMEOUT_MS = 120_000;

describe('endpoint isolation', () => {
  let stack: Stack;
  let call: ReturnType<typeof apiClient>;
  let issuer: TestAgency;
  const healthy: WebhookReceiver[] = [];
  let hanging: WebhookReceiver;

  beforeAll(async () => {
    stack = await startStack({ COURIER_CONCURRENCY: '16', ENDPOINT_CONCURRENCY: '4', WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS), DELIVERY_LEASE_SECONDS: '180' });
    call = apiClient(stack.url);
    await createTopics(stack.db, ['safe-sleep', 'intake.screening']);
    issuer = await createAgency(stack.db, { name: 'Issuer' });
    hanging = await startWebhookReceiver();
    hanging.respond('/hook', [{ status: 200, hang: true }]);
    for (let i = 0; i < 100; i++) healthy.push(await startWebhookReceiver());
    // The hanging origin's subscriptions come first, so their jobs are first in line.
    const urls = [...Array.from({ length: 30 }, () => hanging.url('/hook')), ...healthy.map((r) => r.url('/hook'))];
    await stack.db.query(
      `WITH a AS (
         INSERT INTO agencies (name, jurisdiction_type, jurisdiction_code, time_zone, notices_contact_email)
         SELECT 'isolation ' || i || ' ' || $2, 'county', 'iso' || i, 'UTC', 'iso' || i || '@agency.test'
           FROM generate_series(1, cardinality($1::text[])) i
         RETURNING id, jurisdiction_code)
       INSERT INTO subscriptions (agency_id, name, topic_patterns, min_severity, channel, webhook_url, signing_secret)
       SELECT a.id, 'hook', '{safe-sleep,intake.*}', 'low', 'webhook', ($1::text[])[substr(a.jurisdiction_code, 4)::int], $3
         FROM a`,
      [urls, randomBytes(3).toString('hex'), `whsec_${randomBytes(32).toString('base64')}`],
    );
  });

  afterAll(async () => {
    // The hanging endpoint goes first: its open requests then fail at once instead of holding the courier's shutdown.
    await hanging?.close();
    await stack?.close();
    await Promise.all(healthy.map((r) => r.close()));
  }, 120_000);

  async function broadcast(topic: string): Promise<{ approvedAt: number; noticeId: string }> {
    const d = await call('POST', '/api/v1/notices', {
      key: issuer.keys.author,
      body: { title: `Isolation ${topic}`, summary: 'Summary', body: 'Body', category: 'advisory', severity: 'high', topics: [topic] },
    });
    await call('POST', `/api/v1/notices/${d.body.id}/submit`, { key: issuer.keys.author });
    const approvedAt = Date.now();
    await call('POST', `/api/v1/notices/${d.body.id}/approve`, { key: issuer.keys.approver, body: { contentHash: d.body.contentHash } });
    return { approvedAt, noticeId: d.body.id };
  }

  /** When each healthy endpoint received the notice, in ms after approval. */
  async function healthyLatencies(since: number): Promise<number[]> {
    const arrivals = await eventually(async () => {
      const times = healthy.map((r) => r.requests.find((q) => q.receivedAt.getTime() >= since)?.receivedAt.getTime());
      return times.every((t) => t !== undefined) && (times as number[]);
    }, 30000, 'every healthy endpoint');
    return arrivals.map((t) => t - since);
  }

  it('delivers to every healthy endpoint before a hanging one could release a slot', async () => {
    const run = await broadcast('safe-sleep');
    const latencies = await healthyLatencies(run.approvedAt);
    const slowest = Math.max(...latencies);
    const p99 = [...latencies].sort((a, b) => a - b)[Math.ceil(latencies.length * 0.99) - 1];
    console.log(`healthy endpoints with one hanging endpoint: p99 ${p99} ms, slowest ${slowest} ms (hanging attempts still open)`);
    // Every hanging attempt is still open: none has ended, so none gave its slot back.
    const [ended] = await stack.db.query(
      `SELECT count(*)::int AS n FROM delivery_attempts t JOIN deliveries d ON d.id = t.delivery_id WHERE d.target_url = $1`,
      [hanging.url('/hook')],
    );
    expect(ended.n).toBe(0);
    expect(hanging.requests.length).toBeGreaterThan(0);
    // The hanging endpoint never had more than its share of requests open.
    expect(hanging.requests.length).toBeLessThanOrEqual(4);
  });
});
