import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { audit, systemActor } from '@sne/core';
import { canonicalEventSql } from '@sne/core/audit/audit-chain';
import { AuditChainSealer } from '@sne/core/audit/audit-sealer';
import { asSuperuser, client, Db, dropOpenedDatabases, expectBroken, links, openDb, sealAll, sealedDb, verify, writeEvents } from './audit-chain-support';

// A hole in the audit ids waits for every older transaction on the server (see sealAll).
jest.setTimeout(240_000);

/**
 * The tamper-evident audit log against the real PostgreSQL: events written the normal ways are
 * sealed in id order into a hash chain that verifies; every kind of tampering done with superuser
 * rights (an edited event, a deleted one, two reordered, a forged one, a rewritten hash) is named;
 * and nobody without superuser rights can change or remove an event. The export is in
 * audit-chain-export.test.ts, concurrent writers and sealers in audit-sealer-concurrency.test.ts.
 */

afterAll(dropOpenedDatabases);

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
