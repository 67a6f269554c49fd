import { Client } from 'pg';
import { AuditChainSealer } from '@sne/core/audit/audit-sealer';
import { client, dropOpenedDatabases, links, openDb, sealAll, verify } from './audit-chain-support';

// A hole in the audit ids waits for every older transaction on the server (see sealAll).
jest.setTimeout(240_000);

/**
 * The audit sealer against the real PostgreSQL with concurrent writers: it never chains an event
 * before an earlier id that is still uncommitted, skips a rolled-back hole once its transaction
 * has ended, and several sealers at once write one gap-free chain in id order.
 */

afterAll(dropOpenedDatabases);

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
