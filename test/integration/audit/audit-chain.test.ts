import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { audit, createDataSource, systemActor } from '@sne/core';
import { AuditChainReport, canonicalEventSql, verifyAuditChain } from '@sne/core/audit/audit-chain';
import { exportAuditChain, verifyAuditExport } from '@sne/core/audit/audit-export';
import { AuditChainSealer } from '@sne/core/audit/audit-sealer';
import { createTestDatabase } from '../../support/test-database';

// A hole in the audit ids waits for every older transaction on the server (see sealAll).
jest.setTimeout(240_000);

/**
 * The tamper-evident audit log against the real PostgreSQL: events written the normal ways are
 * sealed in id order into a hash chain that verifies; every kind of tampering done with superuser
 * rights (an edited event, a deleted one, two reordered, a forged one, a rewritten hash) is named;
 * an export verifies offline and a tampered line is named; nobody without superuser rights can
 * change or remove an event; and the sealer never chains an event before an earlier id that is
 * still uncommitted, with concurrent writers and concurrent sealers.
 */

interface Db {
  ds: DataSource;
  url: string;
  drop(): Promise<void>;
}

const opened: Db[] = [];

async function openDb(): Promise<Db> {
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

afterAll(async () => {
  for (const db of opened) await db.drop().catch(() => undefined);
});

const verify = (ds: DataSource, anchor?: string) => verifyAuditChain((sql, params) => ds.query(sql, params), { anchor });

async function client(url: string): Promise<Client> {
  const c = new Client({ connectionString: url });
  await c.connect();
  return c;
}

/** Runs statements as the superuser with every user trigger off (what an attacker with full rights does). */
async function asSuperuser(url: string, ...statements: string[]): Promise<void> {
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
async function sealAll(ds: DataSource, sealer = new AuditChainSealer(ds, 7)): Promise<void> {
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
async function writeEvents(ds: DataSource): Promise<void> {
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

async function links(ds: DataSource): Promise<{ seq: number; id: string; action: string }[]> {
  return ds.query(
    `SELECT c.seq::int AS seq, c.event_id::text AS id, e.action FROM audit_chain c LEFT JOIN audit_events e ON e.id = c.event_id ORDER BY c.seq`,
  );
}

/** A database with a sealed, intact chain. */
async function sealedDb(): Promise<Db & { chain: { seq: number; id: string; action: string }[] }> {
  const db = await openDb();
  await writeEvents(db.ds);
  await sealAll(db.ds);
  const report = await verify(db.ds);
  expect(report.ok).toBe(true);
  return { ...db, chain: await links(db.ds) };
}

function expectBroken(report: AuditChainReport, expected: Partial<NonNullable<AuditChainReport['firstBroken']>>) {
  expect(report.ok).toBe(false);
  expect(report.firstBroken).toMatchObject(expected);
}

describe('sealing and verifying', () => {
  let db: Db;

  beforeAll(async () => {
    db = await openDb();
    await writeEvents(db.ds);
  });

  it('reports unsealed events (not a break) until the sealer has run', async () => {
    const report = await verify(db.ds);
    // Lagging: one event carries a time from 2025, so the oldest unsealed event is over a minute old.
    expect(report).toMatchObject({ ok: true, checked: 0, head: null, unsealed: { count: 48, oldestAt: '2025-03-04T05:06:07.123456Z', lagging: true } });
  });

  it('seals every event in id order, gap-free, and the chain verifies', async () => {
    await sealAll(db.ds);
    const chain = await links(db.ds);
    const [{ ids }] = await db.ds.query(`SELECT array_agg(id::text ORDER BY id) AS ids FROM audit_events`);
    expect(chain.map((l) => l.id)).toEqual(ids);
    expect(chain.map((l) => l.seq)).toEqual(ids.map((_: string, i: number) => i + 1));
    // The rolled-back insert left a hole in the ids, which the chain skips.
    const idNumbers = chain.map((l) => Number(l.id));
    expect(idNumbers.some((id, i) => i > 0 && id !== idNumbers[i - 1] + 1)).toBe(true);

    const report = await verify(db.ds);
    expect(report).toMatchObject({ ok: true, source: 'database', checked: 48, unsealed: { count: 0, oldestId: null, lagging: false } });
    expect(report.head).toEqual({ seq: 48, id: chain[47].id, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(report.firstBroken).toBeUndefined();
  });

  it('computes each hash as sha256(prev_hash hex || canonical text), the same in PostgreSQL', async () => {
    const rows: { ok: boolean; prev_ok: boolean }[] = await db.ds.query(
      `SELECT c.hash = sha256(convert_to(encode(c.prev_hash, 'hex') || ${canonicalEventSql('e')}, 'UTF8')) AS ok,
              c.prev_hash = coalesce(lag(c.hash) OVER (ORDER BY c.seq), decode(repeat('0', 64), 'hex')) AS prev_ok
         FROM audit_chain c JOIN audit_events e ON e.id = c.event_id ORDER BY c.seq`,
    );
    expect(rows).toHaveLength(48);
    expect(rows.every((r) => r.ok && r.prev_ok)).toBe(true);
    const [{ content }] = await db.ds.query(`SELECT ${canonicalEventSql('e')} AS content FROM audit_events e WHERE entity_id = 'k-1'`);
    expect(content).toContain('"at": "2025-03-04T05:06:07.123456Z"');
    expect(JSON.parse(content)).toMatchObject({ actorType: 'recipient', actorId: 'someone@agency.test', action: 'acknowledgment.acknowledged', after: { channel: 'email_link' } });
  });

  it('keeps sealing as new events arrive, continuing the same chain', async () => {
    const before = await verify(db.ds);
    await db.ds.transaction((m) => audit(m, systemActor('test'), { action: 'topic.created', entityType: 'topic', entityId: 't-1', after: { key: 'x' } }));
    await sealAll(db.ds);
    const after = await verify(db.ds, before.head!.hash);
    expect(after).toMatchObject({ ok: true, checked: 49, anchor: { hash: before.head!.hash, foundAtSeq: 48 } });
  });

  it('several sealers at once write one chain', async () => {
    await db.ds.query(
      `INSERT INTO audit_events (actor_type, actor_id, action, entity_type, entity_id) SELECT 'system', 'x', 'bulk.created', 'bulk', g::text FROM generate_series(1, 3000) g`,
    );
    const sealers = [new AuditChainSealer(db.ds, 100), new AuditChainSealer(db.ds, 100), new AuditChainSealer(db.ds, 100)];
    await Promise.all(sealers.map((s) => sealAll(db.ds, s)));
    const report = await verify(db.ds);
    expect(report).toMatchObject({ ok: true, checked: 3049, unsealed: { count: 0 } });
  });
});

describe('append-only', () => {
  let db: Db;
  const role = `sne_app_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    db = await sealedDb();
    // A role with every table privilege but not the owner: what an application role should be.
    await db.ds.query(`CREATE ROLE ${role} NOLOGIN`);
    await db.ds.query(`GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public TO ${role}`);
    await db.ds.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
  });

  afterAll(async () => {
    await db.ds.query(`DROP OWNED BY ${role}`).catch(() => undefined);
    await db.ds.query(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
  });

  async function failure(c: Client, sql: string): Promise<{ code: string; message: string }> {
    try {
      await c.query(sql);
    } catch (err) {
      return { code: (err as { code: string }).code, message: (err as Error).message };
    }
    throw new Error(`expected to fail: ${sql}`);
  }

  it.each([
    ['UPDATE', `UPDATE audit_events SET action = 'forged' WHERE id = (SELECT max(id) FROM audit_events)`],
    ['DELETE', `DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events)`],
    ['TRUNCATE', `TRUNCATE audit_events`],
    ['UPDATE', `UPDATE audit_chain SET hash = sha256('x') WHERE seq = 1`],
    ['DELETE', `DELETE FROM audit_chain WHERE seq = (SELECT max(seq) FROM audit_chain)`],
    ['TRUNCATE', `TRUNCATE audit_chain`],
  ])('%s is refused, for the table owner and for an application role: %s', async (op, sql) => {
    for (const asRole of [null, role]) {
      const c = await client(db.url);
      try {
        if (asRole) await c.query(`SET ROLE ${asRole}`);
        const err = await failure(c, sql);
        expect(err.code).toBe('42501');
        expect(err.message).toMatch(new RegExp(`append-only: ${op} is not allowed`));
      } finally {
        await c.end();
      }
    }
    expect((await verify(db.ds)).ok).toBe(true);
  });

  it('an application role can insert events, but cannot switch the guard off', async () => {
    const c = await client(db.url);
    try {
      await c.query(`SET ROLE ${role}`);
      await c.query(`INSERT INTO audit_events (actor_type, actor_id, action, entity_type, entity_id) VALUES ('system', 'app', 'app.did', 'thing', '1')`);
      expect((await failure(c, `ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`)).code).toBe('42501');
      expect((await failure(c, `SET session_replication_role = replica`)).code).toBe('42501');
      expect((await failure(c, `DROP TRIGGER audit_events_append_only ON audit_events`)).code).toBe('42501');
    } finally {
      await c.end();
    }
  });

  it('an INSERT takes its transaction id before it draws an event id (what makes the sealer exact)', async () => {
    // The probe runs while the row is built, i.e. when its id is drawn.
    const probe = `INSERT INTO audit_events (actor_type, actor_id, action, entity_type, entity_id)
                   SELECT 'system', pg_current_xact_id_if_assigned()::text, 'xid.probe', 'probe', '1' RETURNING actor_id`;
    const c = await client(db.url);
    try {
      await c.query('BEGIN');
      expect((await c.query(probe)).rows[0].actor_id).toMatch(/^\d+$/);
      await c.query('ROLLBACK');
      // Without the trigger (replica mode turns it off) the id would only come after the event id.
      await c.query(`SET session_replication_role = replica`);
      await c.query('BEGIN');
      expect((await c.query(probe)).rows[0].actor_id).toBeNull();
      await c.query('ROLLBACK');
    } finally {
      await c.end();
    }
  });
});

describe('tampering is detected and the right event named', () => {
  it('an edited event: content changed', async () => {
    const db = await sealedDb();
    const target = db.chain[10];
    await asSuperuser(db.url, `UPDATE audit_events SET after = jsonb_set(after, '{status}', '"failed"') WHERE id = ${target.id}`);
    const report = await verify(db.ds);
    expectBroken(report, { seq: 11, id: target.id, action: target.action, entityType: 'delivery', problem: 'content changed' });
    expect(report.checked).toBe(10);
    expect(report.head?.seq).toBe(10);
  });

  it('an edited event whose hash was recomputed too: content changed (the next link still chains to the original)', async () => {
    const db = await sealedDb();
    const target = db.chain[20];
    const c = await client(db.url);
    try {
      await c.query(`SET session_replication_role = replica`);
      await c.query(`UPDATE audit_events SET actor_id = 'someone-else' WHERE id = $1`, [target.id]);
      const { rows } = await c.query(
        `SELECT encode(c.prev_hash, 'hex') AS prev, ${canonicalEventSql('e')} AS content FROM audit_chain c JOIN audit_events e ON e.id = c.event_id WHERE c.event_id = $1`,
        [target.id],
      );
      const { createHash } = await import('node:crypto');
      const forged = createHash('sha256').update(rows[0].prev + rows[0].content).digest('hex');
      await c.query(`UPDATE audit_chain SET hash = decode($1, 'hex') WHERE event_id = $2`, [forged, target.id]);
    } finally {
      await c.end();
    }
    expectBroken(await verify(db.ds), { seq: 21, id: target.id, action: target.action, problem: 'content changed' });
  });

  it('a deleted event: missing event, named by its link', async () => {
    const db = await sealedDb();
    const target = db.chain[5];
    // With the guard trigger disabled by ALTER TABLE this time.
    await asSuperuser(
      db.url,
      `ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`,
      `DELETE FROM audit_events WHERE id = ${target.id}`,
      `ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`,
    );
    const report = await verify(db.ds);
    expectBroken(report, { seq: 6, id: target.id, problem: 'missing event' });
    expect(report.checked).toBe(5);
  });

  it('a deleted event and its link: missing event, naming the event after the gap', async () => {
    const db = await sealedDb();
    const target = db.chain[30];
    const after = db.chain[31];
    await asSuperuser(db.url, `DELETE FROM audit_events WHERE id = ${target.id}`, `DELETE FROM audit_chain WHERE seq = 31`);
    const report = await verify(db.ds);
    expectBroken(report, { seq: 32, id: after.id, action: after.action, problem: 'missing event' });
    expect(report.firstBroken!.detail).toMatch(/seq 31 missing/);
  });

  it('two events reordered in the chain (their seq swapped): out of order', async () => {
    const db = await sealedDb();
    const [a, b] = [db.chain[14], db.chain[17]];
    await asSuperuser(
      db.url,
      `UPDATE audit_chain SET seq = 1000000 WHERE seq = 15`,
      `UPDATE audit_chain SET seq = 15 WHERE seq = 18`,
      `UPDATE audit_chain SET seq = 18 WHERE seq = 1000000`,
    );
    const report = await verify(db.ds);
    // Position 15 now holds the later event b: the first link out of place.
    expectBroken(report, { seq: 15, id: b.id, problem: 'out of order' });
    expect(Number(a.id)).toBeLessThan(Number(b.id));
  });

  it('two adjacent events reordered: out of order at the first of them', async () => {
    const db = await sealedDb();
    const [a, b] = [db.chain[2], db.chain[3]];
    await asSuperuser(
      db.url,
      `UPDATE audit_chain SET seq = 1000000 WHERE seq = 3`,
      `UPDATE audit_chain SET seq = 3 WHERE seq = 4`,
      `UPDATE audit_chain SET seq = 4 WHERE seq = 1000000`,
    );
    expectBroken(await verify(db.ds), { seq: 3, id: b.id, action: b.action, problem: 'out of order' });
    expect(Number(a.id)).toBeLessThan(Number(b.id));
  });

  it('two events with their ids swapped (rows reordered in the table): content changed at the first', async () => {
    const db = await sealedDb();
    const [a, b] = [db.chain[0], db.chain[1]];
    await asSuperuser(
      db.url,
      `UPDATE audit_events SET id = 1000000 WHERE id = ${a.id}`,
      `UPDATE audit_events SET id = ${a.id} WHERE id = ${b.id}`,
      `UPDATE audit_events SET id = ${b.id} WHERE id = 1000000`,
    );
    expectBroken(await verify(db.ds), { seq: 1, id: a.id, action: b.action, problem: 'content changed' });
  });

  it('a stored hash overwritten: hash mismatch', async () => {
    const db = await sealedDb();
    await asSuperuser(db.url, `UPDATE audit_chain SET hash = sha256('forged') WHERE seq = 40`);
    expectBroken(await verify(db.ds), { seq: 40, id: db.chain[39].id, problem: 'hash mismatch' });
  });

  it('an event forged into the sealed range: inserted event', async () => {
    const db = await sealedDb();
    // The id of the rolled-back insert, which the chain skipped.
    const ids = db.chain.map((l) => Number(l.id));
    const hole = ids.find((id, i) => i > 0 && id !== ids[i - 1] + 1)! - 1;
    await asSuperuser(
      db.url,
      `INSERT INTO audit_events (id, actor_type, actor_id, action, entity_type, entity_id) VALUES (${hole}, 'user', 'mallory', 'user.created', 'user', 'u-forged')`,
    );
    expectBroken(await verify(db.ds), { seq: null, id: String(hole), action: 'user.created', entityId: 'u-forged', problem: 'inserted event' });
  });

  it('a tail cut off is caught with an anchor kept from before', async () => {
    const db = await sealedDb();
    const anchor = (await verify(db.ds)).head!.hash;
    await asSuperuser(db.url, `DELETE FROM audit_chain WHERE seq > 45`, `DELETE FROM audit_events WHERE id > ${db.chain[44].id}`);
    expect((await verify(db.ds)).ok).toBe(true); // nothing inside the chain shows it…
    expectBroken(await verify(db.ds, anchor), { seq: 46, problem: 'missing event' }); // …the anchor does
  });
});

describe('export, verified offline', () => {
  let db: Db;
  let dir: string;
  let lines: string[];

  beforeAll(async () => {
    db = await sealedDb();
    dir = mkdtempSync(join(tmpdir(), 'sne-audit-'));
    lines = [];
    for await (const page of exportAuditChain((sql, params) => db.ds.query(sql, params), 10)) lines.push(...page);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function file(name: string, content: string[]): string {
    const path = join(dir, name);
    writeFileSync(path, content.join('\n') + '\n');
    return path;
  }

  it('exports every link in seq order with the event as hashed, and the file verifies', async () => {
    expect(lines).toHaveLength(48);
    const first = JSON.parse(lines[0]);
    expect(first).toMatchObject({ seq: 1, prevHash: '0'.repeat(64), hash: expect.stringMatching(/^[0-9a-f]{64}$/), event: { action: 'notice.created' } });
    const report = await verifyAuditExport(file('ok.jsonl', lines));
    const inDb = await verify(db.ds);
    expect(report).toEqual({ ok: true, source: 'file', checked: 48, head: inDb.head });
  });

  it('an edited line: content changed, naming its event', async () => {
    const edited = [...lines];
    const event = JSON.parse(edited[12]).event;
    edited[12] = edited[12].replace('"pending"', '"delivered"');
    expect(edited[12]).not.toEqual(lines[12]);
    expectBroken(await verifyAuditExport(file('edited.jsonl', edited)), { seq: 13, id: String(event.id), action: event.action, problem: 'content changed' });
  });

  it('a deleted line: missing event, naming the event after the gap', async () => {
    const cut = lines.filter((_, i) => i !== 7);
    const next = JSON.parse(lines[8]).event;
    expectBroken(await verifyAuditExport(file('cut.jsonl', cut)), { seq: 9, id: String(next.id), problem: 'missing event' });
  });

  it('two lines swapped: out of order', async () => {
    const swapped = [...lines];
    [swapped[20], swapped[25]] = [swapped[25], swapped[20]];
    const moved = JSON.parse(lines[25]);
    expectBroken(await verifyAuditExport(file('swapped.jsonl', swapped)), { seq: moved.seq, id: String(moved.event.id), problem: 'out of order' });
  });

  it('a line rewritten by a JSON tool: named, as not the line that was exported', async () => {
    const reformatted = [...lines];
    reformatted[3] = JSON.stringify(JSON.parse(lines[3]));
    const event = JSON.parse(lines[3]).event;
    expectBroken(await verifyAuditExport(file('reformatted.jsonl', reformatted)), { seq: 4, id: String(event.id), problem: 'content changed' });
  });

  it('the tampered database exports a file that fails the same way', async () => {
    const target = JSON.parse(lines[30]).event;
    await asSuperuser(db.url, `UPDATE audit_events SET entity_id = 'd-999' WHERE id = ${target.id}`);
    const tampered: string[] = [];
    for await (const page of exportAuditChain((sql, params) => db.ds.query(sql, params))) tampered.push(...page);
    const fromFile = await verifyAuditExport(file('tampered.jsonl', tampered));
    const fromDb = await verify(db.ds);
    expectBroken(fromFile, { seq: 31, id: String(target.id), entityId: 'd-999', problem: 'content changed' });
    expect(fromDb.firstBroken).toEqual(fromFile.firstBroken);
    expect(readFileSync(join(dir, 'ok.jsonl'), 'utf8')).toContain(`"entityId": "${target.entityId}"`);
  });
});

describe('the sealer with concurrent writers', () => {
  const insertOne = (c: Client, tag: string) =>
    c.query(
      `INSERT INTO audit_events (actor_type, actor_id, action, entity_type, entity_id) VALUES ('system', 'writer', 'test.written', 'test', $1) RETURNING id::text`,
      [tag],
    );

  it('an id committed before an earlier one is not sealed until the earlier one commits; then both, in id order', async () => {
    const db = await openDb();
    const sealer = new AuditChainSealer(db.ds);
    await db.ds.query(`INSERT INTO audit_events (actor_type, actor_id, action, entity_type, entity_id) VALUES ('system', 'w', 'test.first', 'test', '0')`);
    const a = await client(db.url);
    const b = await client(db.url);
    try {
      await a.query('BEGIN');
      const { rows: [{ id: earlier }] } = await insertOne(a, 'A');
      await b.query('BEGIN');
      const { rows: [{ id: later }] } = await insertOne(b, 'B');
      await b.query('COMMIT');
      expect(BigInt(later)).toBeGreaterThan(BigInt(earlier));

      for (let i = 0; i < 5; i++) {
        await sealer.sealAvailable();
        await new Promise((r) => setTimeout(r, 30));
      }
      let chain = await links(db.ds);
      expect(chain.map((l) => l.id)).not.toContain(later);
      expect(chain.every((l) => BigInt(l.id) < BigInt(earlier))).toBe(true);
      const waiting = await verify(db.ds);
      expect(waiting).toMatchObject({ ok: true, unsealed: { count: 1, oldestId: later } });

      await a.query('COMMIT');
      await sealAll(db.ds, sealer);
      chain = await links(db.ds);
      const seqOf = (id: string) => chain.find((l) => l.id === id)!.seq;
      expect(seqOf(earlier)).toBeLessThan(seqOf(later));
      expect((await verify(db.ds)).ok).toBe(true);
    } finally {
      await a.end();
      await b.end();
    }
  });

  it('a hole left by a rollback is skipped once the transaction that drew it has ended', async () => {
    const db = await openDb();
    const sealer = new AuditChainSealer(db.ds);
    const a = await client(db.url);
    const b = await client(db.url);
    try {
      await a.query('BEGIN');
      const { rows: [{ id: lost }] } = await insertOne(a, 'A');
      const { rows: [{ id: kept }] } = await insertOne(b, 'B'); // autocommit
      for (let i = 0; i < 5; i++) await sealer.sealAvailable();
      expect(await links(db.ds)).toEqual([]);
      expect(sealer.waiting).toBe(true);

      await a.query('ROLLBACK');
      await sealAll(db.ds, sealer);
      const chain = await links(db.ds);
      expect(chain.map((l) => l.id)).toEqual([kept]);
      expect(chain.map((l) => l.id)).not.toContain(lost);
      expect((await verify(db.ds)).ok).toBe(true);
    } finally {
      await a.end();
      await b.end();
    }
  });

  it('many writers (committing and rolling back out of order) and two sealers running all along: one chain, in id order, nothing missed', async () => {
    const db = await openDb();
    const sealers = [new AuditChainSealer(db.ds, 50), new AuditChainSealer(db.ds, 50)];
    let writing = true;
    const sealing = sealers.map(async (s) => {
      while (writing) {
        await s.sealAvailable();
        await new Promise((r) => setTimeout(r, 5));
      }
    });
    const writers = Array.from({ length: 6 }, async (_, w) => {
      const c = await client(db.url);
      try {
        for (let t = 0; t < 40; t++) {
          await c.query('BEGIN');
          const rows = 1 + ((w + t) % 3);
          for (let r = 0; r < rows; r++) await insertOne(c, `${w}-${t}-${r}`);
          if (t % 4 === 1) {
            await c.query(
              `INSERT INTO audit_events (actor_type, actor_id, action, entity_type, entity_id)
               SELECT 'system', 'writer', 'test.bulk', 'test', $1 || '-' || g FROM generate_series(1, 25) g`,
              [`${w}-${t}`],
            );
          }
          await new Promise((r) => setTimeout(r, (w * 7 + t * 3) % 11));
          await c.query(t % 5 === 3 ? 'ROLLBACK' : 'COMMIT');
        }
      } finally {
        await c.end();
      }
    });
    await Promise.all(writers);
    writing = false;
    await Promise.all(sealing);
    await sealAll(db.ds, sealers[0]);

    const chain = await links(db.ds);
    const [{ ids }] = await db.ds.query(`SELECT array_agg(id::text ORDER BY id) AS ids FROM audit_events`);
    expect(chain.map((l) => l.id)).toEqual(ids);
    const report = await verify(db.ds);
    expect(report).toMatchObject({ ok: true, checked: ids.length, unsealed: { count: 0 } });
  });
});
