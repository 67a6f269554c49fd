/**
 * The fan-out every resilience test runs: N webhook subscriptions seeded set-based in SQL,
 * spread over several slow webhook receivers (several origins, several paths each, one
 * `whsec_` secret per path), one notice approved through the API, then checks that every
 * subscription got exactly one delivery row, every agency one acknowledgment, and that every
 * request for a subscription carried that delivery's id as its `webhook-id`.
 */
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../../libs/core/src/database/data-source';
import { createTestDatabase } from '../../support/test-database';
import { ReceivedWebhook, startWebhookReceiver, WebhookReceiver } from '../../support/webhook-receiver';
import { apiClient, createAgency, createTopics, TestAgency } from '../../support/fixtures';
import { waitUntil } from './processes';

export const TOPIC = 'safe-sleep';
const SUB_NAME_PREFIX = 'resilience hook';

export interface WebhookTarget {
  url: string;
  path: string;
  secret: string;
}

/** Several receivers (origins), several paths on each; every path answers 200 after `delayMs`. */
export class WebhookFleet {
  private constructor(
    readonly receivers: WebhookReceiver[],
    readonly targets: WebhookTarget[],
  ) {}

  static async start(opts: { receivers?: number; pathsPerReceiver?: number; delayMs?: number } = {}): Promise<WebhookFleet> {
    const receivers: WebhookReceiver[] = [];
    const targets: WebhookTarget[] = [];
    for (let r = 0; r < (opts.receivers ?? 16); r++) {
      const receiver = await startWebhookReceiver();
      receivers.push(receiver);
      for (let p = 0; p < (opts.pathsPerReceiver ?? 2); p++) {
        const path = `/hooks/r${r}p${p}`;
        // A Standard Webhooks secret: whsec_ + base64 of 32 random bytes.
        const secret = `whsec_${randomBytes(32).toString('base64')}`;
        receiver.setSecret(path, secret);
        receiver.respond(path, [{ status: 200, delayMs: opts.delayMs ?? 30 }]);
        targets.push({ url: receiver.url(path), path, secret });
      }
    }
    return new WebhookFleet(receivers, targets);
  }

  get requests(): ReceivedWebhook[] {
    return this.receivers.flatMap((r) => r.requests);
  }

  get count(): number {
    return this.receivers.reduce((n, r) => n + r.requests.length, 0);
  }

  /** Resolves as soon as `n` requests have arrived (polled every few ms, so a kill lands close to the mark). */
  waitForCount(n: number, timeoutMs: number): Promise<number> {
    return waitUntil(() => this.count >= n && this.count, timeoutMs, `${n} webhook requests (have ${this.count})`, 5);
  }

  async close(): Promise<void> {
    await Promise.all(this.receivers.map((r) => r.close()));
  }
}

export interface Seeded {
  issuer: TestAgency;
  subscriptions: number;
  agencies: number;
}

/**
 * `subscriptions` webhook subscriptions on TOPIC, `perAgency` per agency, written set-based.
 * Each URL carries its subscription id (`?sub=`), so every request names its subscription.
 */
export async function seedWebhookSubscriptions(db: DataSource, fleet: WebhookFleet, subscriptions: number, perAgency = 2): Promise<Seeded> {
  if (subscriptions % perAgency !== 0) throw new Error('subscriptions must be a multiple of perAgency');
  await createTopics(db, [TOPIC]);
  const issuer = await createAgency(db, { name: 'Resilience issuer', roles: ['author', 'approver', 'supervisor'] });
  const agencies = subscriptions / perAgency;
  const tag = randomBytes(3).toString('hex');
  const rows: { n: number }[] = await db.query(
    `WITH g AS (
       INSERT INTO agencies (name, jurisdiction_type, jurisdiction_code, time_zone, notices_contact_email)
       SELECT format('Resilience agency %s-%s', $1::text, i), 'county', format('R%s', i), 'America/Chicago',
              format('notices-%s-%s@agency.test', $1::text, i)
         FROM generate_series(1, $2::int) i
       RETURNING id),
     s AS (
       SELECT gen_random_uuid() AS id, g.id AS agency_id, (row_number() OVER ()) - 1 AS n
         FROM g CROSS JOIN generate_series(1, $3::int))
     INSERT INTO subscriptions (id, agency_id, name, topic_patterns, min_severity, channel, webhook_url, signing_secret)
     SELECT s.id, s.agency_id, $4::text || ' ' || s.n, ARRAY[$5::text], 'low', 'webhook',
            ($6::text[])[(s.n % $8::int) + 1] || '?sub=' || s.id, ($7::text[])[(s.n % $8::int) + 1]
       FROM s
     RETURNING 1 AS n`,
    [tag, agencies, perAgency, SUB_NAME_PREFIX, TOPIC, fleet.targets.map((t) => t.url), fleet.targets.map((t) => t.secret), fleet.targets.length],
  );
  if (rows.length !== subscriptions) throw new Error(`seeded ${rows.length} subscriptions, wanted ${subscriptions}`);
  return { issuer, subscriptions, agencies };
}

/** Draft, submit and approve (two people) through the API; returns the notice id. */
export async function publishNotice(apiUrl: string, issuer: TestAgency, title = 'Resilience fan-out'): Promise<string> {
  const call = apiClient(apiUrl);
  const draft = await call('POST', '/api/v1/notices', {
    key: issuer.keys.author,
    body: { title, summary: 'A fan-out under fire', body: 'Body', category: 'advisory', severity: 'high', topics: [TOPIC] },
  });
  if (draft.status !== 201) throw new Error(`draft: ${draft.status} ${draft.text}`);
  const submitted = await call('POST', `/api/v1/notices/${draft.body.id}/submit`, { key: issuer.keys.author });
  if (submitted.status !== 200) throw new Error(`submit: ${submitted.status} ${submitted.text}`);
  const approved = await call('POST', `/api/v1/notices/${draft.body.id}/approve`, {
    key: issuer.keys.approver,
    body: { contentHash: draft.body.contentHash },
  });
  if (approved.status !== 200 || approved.body?.status !== 'published') throw new Error(`approve: ${approved.status} ${approved.text}`);
  return draft.body.id;
}

export interface DeliveryCounts {
  total: number;
  delivered: number;
  byStatus: Record<string, number>;
}

export async function deliveryCounts(db: DataSource, noticeId: string): Promise<DeliveryCounts> {
  const rows: { status: string; n: number }[] = await db.query(
    `SELECT status, count(*)::int AS n FROM deliveries WHERE notice_id = $1 GROUP BY status`,
    [noticeId],
  );
  const byStatus = Object.fromEntries(rows.map((r) => [r.status, r.n]));
  return { total: rows.reduce((a, r) => a + r.n, 0), delivered: byStatus.delivered ?? 0, byStatus };
}

/** Waits (tolerating a database that is briefly down) until `expected` deliveries of the notice are delivered. */
export async function waitForAllDelivered(db: DataSource, noticeId: string, expected: number, timeoutMs: number): Promise<DeliveryCounts> {
  let last: DeliveryCounts | undefined;
  try {
    return await waitUntil(
      async () => {
        last = await deliveryCounts(db, noticeId);
        return last.delivered >= expected && last;
      },
      timeoutMs,
      `${expected} delivered deliveries`,
      250,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; last counts: ${JSON.stringify(last)}`);
  }
}

export interface WebhookReport {
  requests: number;
  distinctWebhookIds: number;
  /** Requests beyond the first for the same webhook-id (allowed: at-least-once). */
  duplicates: number;
  maxRequestsPerId: number;
}

/**
 * The invariants of a fan-out that survived a crash:
 * - every seeded subscription has exactly one delivery row, and it is delivered (with a succeeded
 *   attempt and a `delivery.delivered` audit event);
 * - every agency has exactly one acknowledgment;
 * - every request was signed with its path's secret, was a notice.published for this notice,
 *   and carried as `webhook-id` the id of its subscription's one delivery row: one id per
 *   subscription, one subscription per id. Repeats of the same id are counted and returned.
 */
export async function verifyFanOut(db: DataSource, fleet: WebhookFleet, noticeId: string, seeded: Seeded): Promise<WebhookReport> {
  // Rows.
  const counts = await deliveryCounts(db, noticeId);
  expect(counts.byStatus).toEqual({ delivered: seeded.subscriptions });
  const [rows] = await db.query(
    `SELECT count(*)::int AS rows, count(DISTINCT subscription_id)::int AS subscriptions,
            count(*) FILTER (WHERE subscription_id IS NULL)::int AS without_subscription
       FROM deliveries WHERE notice_id = $1`,
    [noticeId],
  );
  expect(rows).toEqual({ rows: seeded.subscriptions, subscriptions: seeded.subscriptions, without_subscription: 0 });
  const [{ missing }] = await db.query(
    `SELECT count(*)::int AS missing FROM subscriptions s
      WHERE s.name LIKE $2 AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.notice_id = $1 AND d.subscription_id = s.id)`,
    [noticeId, `${SUB_NAME_PREFIX} %`],
  );
  expect(missing).toBe(0);
  const [acks] = await db.query(
    `SELECT count(*)::int AS rows, count(DISTINCT agency_id)::int AS agencies FROM acknowledgments WHERE notice_id = $1`,
    [noticeId],
  );
  expect(acks).toEqual({ rows: seeded.agencies, agencies: seeded.agencies });
  const [trail] = await db.query(
    `SELECT count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM delivery_attempts a WHERE a.delivery_id = d.id AND a.succeeded))::int AS without_success,
            count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM audit_events e
                              WHERE e.entity_type = 'delivery' AND e.entity_id = d.id::text AND e.action = 'delivery.created'))::int AS without_created_audit,
            count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM audit_events e
                              WHERE e.entity_type = 'delivery' AND e.entity_id = d.id::text AND e.action = 'delivery.delivered'))::int AS without_delivered_audit
       FROM deliveries d WHERE d.notice_id = $1`,
    [noticeId],
  );
  expect(trail).toEqual({ without_success: 0, without_created_audit: 0, without_delivered_audit: 0 });

  // Requests.
  const deliveryOf = new Map<string, string>(
    (await db.query(`SELECT subscription_id, id FROM deliveries WHERE notice_id = $1`, [noticeId])).map(
      (r: { subscription_id: string; id: string }) => [r.subscription_id, r.id],
    ),
  );
  const requests = fleet.requests;
  const idsBySubscription = new Map<string, Set<string>>();
  const subscriptionsById = new Map<string, Set<string>>();
  const requestsById = new Map<string, number>();
  const unverified: string[] = [];
  const foreign: string[] = [];
  for (const r of requests) {
    const sub = new URL(r.url, 'http://x').searchParams.get('sub') ?? '(none)';
    const id = String(r.headers['webhook-id'] ?? '(none)');
    if (!r.verified) unverified.push(`${r.url} ${id}`);
    let body: { type?: string; data?: { notice?: { id?: string } } } = {};
    try {
      body = JSON.parse(r.body);
    } catch {
      // counted as foreign below
    }
    if (body.type !== 'notice.published' || body.data?.notice?.id !== noticeId) foreign.push(`${r.url} ${body.type}`);
    if (!idsBySubscription.has(sub)) idsBySubscription.set(sub, new Set());
    idsBySubscription.get(sub)!.add(id);
    if (!subscriptionsById.has(id)) subscriptionsById.set(id, new Set());
    subscriptionsById.get(id)!.add(sub);
    requestsById.set(id, (requestsById.get(id) ?? 0) + 1);
  }
  expect(unverified.slice(0, 5)).toEqual([]);
  expect(foreign.slice(0, 5)).toEqual([]);
  // Different ids for one subscription, or one id for different subscriptions, are never allowed.
  const manyIds = [...idsBySubscription].filter(([, ids]) => ids.size > 1).map(([sub, ids]) => `${sub}: ${[...ids].join(', ')}`);
  expect(manyIds.slice(0, 5)).toEqual([]);
  const sharedIds = [...subscriptionsById].filter(([, subs]) => subs.size > 1).map(([id, subs]) => `${id}: ${[...subs].join(', ')}`);
  expect(sharedIds.slice(0, 5)).toEqual([]);
  // Every subscription was reached, and with its delivery row's id.
  const unreached = [...deliveryOf.keys()].filter((sub) => !idsBySubscription.has(sub));
  expect(unreached.slice(0, 5)).toEqual([]);
  const wrongId = [...deliveryOf].filter(([sub, id]) => idsBySubscription.has(sub) && !idsBySubscription.get(sub)!.has(id)).map(([sub, id]) => `${sub} expected ${id}, got ${[...idsBySubscription.get(sub)!]}`);
  expect(wrongId.slice(0, 5)).toEqual([]);
  expect(idsBySubscription.size).toBe(seeded.subscriptions);

  const distinct = requestsById.size;
  return {
    requests: requests.length,
    distinctWebhookIds: distinct,
    duplicates: requests.length - distinct,
    maxRequestsPerId: Math.max(0, ...requestsById.values()),
  };
}

/**
 * What every fan-out crash test starts from: a webhook fleet, a database of its own with N
 * subscriptions seeded, and a connection to read the outcome. `close()` undoes it all.
 */
export class FanOutScene {
  private constructor(
    readonly fleet: WebhookFleet,
    readonly database: Awaited<ReturnType<typeof createTestDatabase>>,
    readonly db: DataSource,
    readonly seeded: Seeded,
  ) {}

  static async start(opts: { subscriptions: number; delayMs: number }): Promise<FanOutScene> {
    const fleet = await WebhookFleet.start({ receivers: 16, pathsPerReceiver: 2, delayMs: opts.delayMs });
    const database = await createTestDatabase();
    const db = createDataSource(database.url, { poolSize: 4, applicationName: 'sne-resilience-test' });
    await db.initialize();
    const seeded = await seedWebhookSubscriptions(db, fleet, opts.subscriptions, 2);
    return new FanOutScene(fleet, database, db, seeded);
  }

  async close(): Promise<void> {
    await this.fleet.close();
    await this.db.destroy().catch(() => undefined);
    await this.database.drop().catch(() => undefined);
  }
}
