import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { audit, createDataSource, systemActor } from '@sne/core';
import { AuditChainReport, verifyAuditChain } from '@sne/core/audit/audit-chain';
import { AuditChainSealer } from '@sne/core/audit/audit-sealer';
import { createTestDatabase } from '../../support/test-database';

/** What the audit-chain tests share: their databases, a realistic log, sealing it all, and the superuser's tampering. */

export interface Db {
  ds: DataSource;
  url: string;
  drop(): Promise<void>;
}

const opened: Db[] = [];

export async function openDb(): Promise<Db> {
  const database = await createTestDatabase();
  const ds = createDataSource(database.url, { poolSize: 12, applicationName: 'sne-audit-chain-test' });
  await ds.initialize();
  const db = {
    ds,
    url: database.url,
    async drop() {
      if (ds.isInitialized) await ds.destroy();
      await database.drop();
    },
  };
  opened.push(db);
  return db;
}

/** Drops every database openDb opened (each test file's afterAll). */
export async function dropOpenedDatabases(): Promise<void> {
  for (const db of opened.splice(0)) await db.drop().catch(() => undefined);
}

export const verify = (ds: DataSource, anchor?: string) => verifyAuditChain((sql, params) => ds.query(sql, params), { anchor });

export async function client(url: string): Promise<Client> {
  const c = new Client({ connectionString: url });
  await c.connect();
  return c;
}

/** Runs statements as the superuser with every user trigger off (what an attacker with full rights does). */
export async function asSuperuser(url: string, ...statements: string[]): Promise<void> {
  const c = await client(url);
  try {
    await c.query(`SET session_replication_role = replica`);
    for (const s of statements) await c.query(s);
  } finally {
    await c.end();
  }
}

/**
 * Seals until every committed event is in the chain. A hole's proof waits for every transaction
 * older than it to end, anywhere on the server: other test files' transactions count too, so the
 * patience is generous (a liveness bound, not a speed claim).
 */
export async function sealAll(ds: DataSource, sealer = new AuditChainSealer(ds, 7)): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    await sealer.sealAvailable();
    const [{ n }] = await ds.query(
      `SELECT count(*)::int AS n FROM audit_events e WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_id = e.id)`,
    );
    if (n === 0 && !sealer.waiting) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the sealer did not catch up');
}

/**
 * A realistic log: events through the audit() helper (inside transactions, with awkward content),
 * set-based inserts like the fan-out's and the courier's, and a rolled-back insert (a hole in the ids).
 */
export async function writeEvents(ds: DataSource): Promise<void> {
  const actor = { type: 'user' as const, id: '7b0f8a52-3c55-4a55-9d7f-8b4f1f0e0a11', agencyId: null };
  await ds.transaction(async (m) => {
    await audit(m, actor, { action: 'notice.created', entityType: 'notice', entityId: 'n-1', after: { title: 'Crib recall – «urgent» ✓', topics: ['safe-sleep'] } });
    await audit(m, actor, { action: 'notice.updated', entityType: 'notice', entityId: 'n-1', before: { n: 1.5, big: 12345678901234, nested: { z: 1, a: [null, true] } }, after: { n: 2, s: 'quote " backslash \\ newline \n tab \t' } });
  });
  await ds.transaction(async (m) => {
    await audit(m, systemActor('test'), { action: 'agency.created', entityType: 'agency', entityId: 'a-1' });
    throw new Error('rolled back on purpose');
  }).catch(() => undefined);
  await ds.query(
    `INSERT INTO audit_events (actor_type, actor_id, agency_id, action, entity_type, entity_id, before, after)
     SELECT 'system', 'fan-out', NULL, 'delivery.created', 'delivery', 'd-' || g, NULL, jsonb_build_object('status', 'pending', 'n', g)
       FROM generate_series(1, 40) g`,
  );
  // An explicit time with microseconds: the chain must keep all six digits.
  await ds.query(
    `INSERT INTO audit_events (at, actor_type, actor_id, action, entity_type, entity_id, after)
     VALUES ('2025-03-04 05:06:07.123456+00', 'recipient', 'someone@agency.test', 'acknowledgment.acknowledged', 'acknowledgment', 'k-1', '{"channel": "email_link"}')`,
  );
  await ds.transaction(async (m) => {
    for (let i = 0; i < 5; i++) await audit(m, systemActor('courier'), { action: 'delivery.delivered', entityType: 'delivery', entityId: `d-${i + 1}`, before: { status: 'sending' }, after: { status: 'delivered', attempt: 1 } });
  });
}

export async function links(ds: DataSource): Promise<{ seq: number; id: string; action: string }[]> {
  return ds.query(
    `SELECT c.seq::int AS seq, c.event_id::text AS id, e.action FROM audit_chain c LEFT JOIN audit_events e ON e.id = c.event_id ORDER BY c.seq`,
  );
}

/** A database with a sealed, intact chain. */
export async function sealedDb(): Promise<Db & { chain: { seq: number; id: string; action: string }[] }> {
  const db = await openDb();
  await writeEvents(db.ds);
  await sealAll(db.ds);
  const report = await verify(db.ds);
  expect(report.ok).toBe(true);
  return { ...db, chain: await links(db.ds) };
}

export function expectBroken(report: AuditChainReport, expected: Partial<NonNullable<AuditChainReport['firstBroken']>>) {
  expect(report.ok).toBe(false);
  expect(report.firstBroken).toMatchObject(expected);
}
