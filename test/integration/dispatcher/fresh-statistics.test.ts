import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '@sne/core';
import { FanOutService } from '../../../apps/dispatcher/src/fan-out.service';
import { createTopics } from '../../support/fixtures';
import { FanOutTestScene } from './fan-out-scene';

/**
 * Plans that keep up with a fan-out (migration 1764490000000, issue 13's unstable 100,000 run).
 * PostgreSQL caches each connection's foreign-key checks: one made while `deliveries` was nearly
 * empty reads the whole table for every attempt recorded. The fan-out refreshes the statistics of
 * the tables it grows, which makes every connection plan them again.
 */

let scene: FanOutTestScene;
let db: DataSource;
/** A courier's connection, as the runtime role: one session, so its cached foreign-key plan is the one measured. */
let courier: Client;

beforeAll(async () => {
  scene = await FanOutTestScene.start('sne-fresh-statistics-test');
  db = scene.db;
  await createTopics(db, ['placement']);
  // Autovacuum would analyze whenever it wakes; here only what is tested may.
  for (const table of ['deliveries', 'acknowledgments', 'delivery_attempts', 'audit_events']) await db.query(`ALTER TABLE ${table} SET (autovacuum_enabled = false)`);
  courier = new Client({ connectionString: scene.database.runtimeUrl });
  await courier.connect();
});

afterAll(async () => {
  await courier?.end();
  await scene?.close();
});

/** `n` agencies under `code`, each with an active webhook subscription to placement. */
async function agencies(code: string, n: number): Promise<void> {
  await db.query(
    `WITH g AS (
       INSERT INTO agencies (name, jurisdiction_type, jurisdiction_code, time_zone, notices_contact_email)
       SELECT $1 || ' #' || i, 'county', $1, 'America/Chicago', 'contact-' || i || '@stats.test' FROM generate_series(1, $2::int) i RETURNING id)
     INSERT INTO subscriptions (agency_id, name, topic_patterns, min_severity, channel, webhook_url, signing_secret)
     SELECT id, 'hook ' || id, ARRAY['placement'], 'low', 'webhook', 'https://hooks.stats.test/' || id, 'whsec_dGVzdC1zZWNyZXQtZm9yLWZhbi1vdXQ=' FROM g`,
    [code, n],
  );
}

async function fanOut(code: string, pageAgencies: number): Promise<string[]> {
  const notice = await scene.publishedNotice({ severity: 'high', topics: ['placement'], targets: [code] });
  await new FanOutService(db, scene.publisher, loadConfig({ FAN_OUT_PAGE_AGENCIES: String(pageAgencies) })).noticePublished(notice);
  return (await db.query(`SELECT id FROM deliveries WHERE notice_id = $1 ORDER BY id`, [notice])).map((r: { id: string }) => r.id);
}

/** Records one attempt per delivery in one statement, as the courier's batched outcome does: a foreign-key check per row. */
async function recordAttempts(ids: string[]): Promise<void> {
  await courier.query(
    `INSERT INTO delivery_attempts (delivery_id, attempt_number, started_at, duration_ms, succeeded) SELECT id, 1, now(), 5, true FROM unnest($1::uuid[]) id`,
    [ids],
  );
}

/**
 * The courier connection's own scans of deliveries while it records the attempts, read before and
 * after inside one transaction (pg_stat_xact_user_tables holds what this backend has not reported
 * yet, and it reports only between transactions): no other session's counters blur the figure.
 */
async function scansWhileRecording(ids: string[]): Promise<{ seq: number; idx: number }> {
  const scans = async () =>
    (await courier.query(`SELECT seq_scan::int AS seq, coalesce(idx_scan, 0)::int AS idx FROM pg_stat_xact_user_tables WHERE relname = 'deliveries'`)).rows[0];
  await courier.query('BEGIN');
  try {
    const before = await scans();
    await recordAttempts(ids);
    const after = await scans();
    return { seq: after.seq - before.seq, idx: after.idx - before.idx };
  } finally {
    await courier.query('COMMIT');
  }
}

it('a connection that checked deliveries while the table was nearly empty looks them up by key once a fan-out has grown it', async () => {
  // A first notice to a few agencies; the courier records their attempts one statement at a time
  // (PostgreSQL settles on one plan for the check after five).
  await agencies('FEW', 4);
  const few = await fanOut('FEW', 1000);
  // Statistics taken while the tables were small, as autovacuum takes them after a new table's first 50 rows.
  await db.query(`ANALYZE deliveries, acknowledgments`);
  for (const id of [...few, ...few]) await recordAttempts([id]);

  // Without fresh statistics: the table grows behind the plan's back, and each row checked reads all of it.
  const [{ id: agencyId }] = await db.query(`SELECT id FROM agencies WHERE jurisdiction_code = 'FEW' LIMIT 1`);
  const grown: string[] = (
    await db.query(`INSERT INTO deliveries (agency_id, event_type, channel, status) SELECT $1, 'subscription.disabled', 'email', 'delivered' FROM generate_series(1, 3000) RETURNING id`, [
      agencyId,
    ])
  ).map((r: { id: string }) => r.id);
  const stale = await scansWhileRecording(grown.slice(0, 50));
  expect(stale.seq).toBeGreaterThanOrEqual(50);

  // A fan-out in pages refreshes what it grew: the same connection now finds each delivery by its key.
  await agencies('MANY', 1200);
  const many = await fanOut('MANY', 300);
  expect(many).toHaveLength(1200);
  const fresh = await scansWhileRecording(many.slice(0, 200));
  expect(fresh).toEqual({ seq: 0, idx: expect.any(Number) });
  expect(fresh.idx).toBeGreaterThanOrEqual(200);
});

it('analyzes a table whose statistics were taken while it was small once it has outgrown them, for the runtime role, which may not analyze it itself', async () => {
  const refresh = async (): Promise<string[]> => (await courier.query(`SELECT sne_refresh_statistics() AS analyzed`)).rows[0].analyzed;
  const pages = async () => (await db.query(`SELECT relpages FROM pg_class WHERE relname = 'delivery_attempts'`))[0].relpages;
  const attempts = (n: number) =>
    db.query(`INSERT INTO delivery_attempts (delivery_id, attempt_number, started_at, duration_ms, succeeded)
              SELECT (SELECT id FROM deliveries LIMIT 1), i, now(), 5, true FROM generate_series(1, $1::int) i`, [n]);
  // The attempts above fill a few pages: not yet worth a look.
  await db.query(`ANALYZE delivery_attempts`);
  expect(await pages()).toBeLessThan(8);
  expect(await refresh()).toEqual([]);
  await attempts(8000);
  // The runtime role owns no table: its own ANALYZE is skipped with a warning.
  await courier.query(`ANALYZE delivery_attempts`);
  expect(await pages()).toBeLessThan(8);
  expect(await refresh()).toEqual(['delivery_attempts']);
  const analyzed = await pages();
  expect(analyzed).toBeGreaterThanOrEqual(32);
  // From there a look-up by key stays an index scan however large the table grows: autovacuum's care, not the fan-out's.
  await attempts(40000);
  expect(await refresh()).toEqual([]);
  expect(await pages()).toBe(analyzed);
});
