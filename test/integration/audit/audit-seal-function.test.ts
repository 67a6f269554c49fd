import { DataSource } from 'typeorm';
import { audit, createDataSource, systemActor } from '@sne/core';
import { canonicalEventSql, chainHash, GENESIS_HASH, verifyAuditChain } from '@sne/core/audit/audit-chain';
import { createTestDatabase, TestDatabase } from '../../support/test-database';

/**
 * `sne_audit_seal` (migration 1764500000000), the sealer's linking in PostgreSQL, held to the
 * chain's definition as the JavaScript verifier computes it: the canonical text the migration
 * froze is the one the verifier reads, every link is sha256(hex(prev) || canonical text) with the
 * right seq and prev_hash, a chain continues from a given head, an id without an event writes
 * nothing, and the runtime role may run it without any right it does not already have.
 */

let database: TestDatabase;
let runtime: DataSource;

beforeAll(async () => {
  database = await createTestDatabase();
  runtime = createDataSource(database.runtimeUrl, { poolSize: 2, applicationName: 'sne-audit-seal-test' });
  await runtime.initialize();
});

afterAll(async () => {
  if (runtime?.isInitialized) await runtime.destroy();
  await database?.drop();
});

interface Link {
  seq: string;
  event_id: string;
  prev: string;
  hash: string;
}

const seal = async (ids: string[], firstSeq: number, prev: string): Promise<{ sealed: number; head: string | null }> =>
  (
    await runtime.query(`SELECT sealed, encode(head, 'hex') AS head FROM sne_audit_seal($1::bigint[], $2::bigint, decode($3, 'hex'))`, [
      ids,
      firstSeq,
      prev,
    ])
  )[0];

const chain = (): Promise<Link[]> =>
  runtime.query(`SELECT c.seq::text AS seq, c.event_id::text AS event_id, encode(c.prev_hash, 'hex') AS prev, encode(c.hash, 'hex') AS hash FROM audit_chain c ORDER BY c.seq`);

/** What the chain must hold for these events after `prev`, computed in JavaScript from the verifier's canonical text. */
async function expectedLinks(ids: string[], firstSeq: number, prev: string): Promise<Link[]> {
  const rows: { id: string; content: string }[] = await runtime.query(
    `SELECT e.id::text AS id, ${canonicalEventSql('e')} AS content FROM audit_events e WHERE e.id = ANY($1::bigint[]) ORDER BY e.id`,
    [ids],
  );
  return rows.map(({ id, content }, i) => {
    const hash = chainHash(prev, content);
    const link = { seq: String(firstSeq + i), event_id: id, prev, hash };
    prev = hash;
    return link;
  });
}

async function writeEvents(n: number, tag: string): Promise<string[]> {
  await runtime.transaction(async (m) => {
    for (let i = 0; i < n; i++) {
      await audit(m, systemActor('test'), {
        action: 'notice.updated',
        entityType: 'notice',
        entityId: `${tag}-${i}`,
        // Awkward content: non-ASCII, quotes, escapes, nulls, big and fractional numbers, nesting.
        before: i % 2 ? null : { title: 'Crib recall – «urgent» ✓ 👶', n: 1.5 },
        after: { s: 'quote " backslash \\ newline \n tab \t', big: 12345678901234, nested: { z: 1, a: [null, true, i] } },
      });
    }
  });
  const rows: { id: string }[] = await runtime.query(`SELECT e.id::text AS id FROM audit_events e WHERE e.entity_id LIKE $1 ORDER BY e.id`, [`${tag}-%`]);
  return rows.map((r) => r.id);
}

it('freezes the canonical text the verifier reads, and runs with its caller’s rights', async () => {
  const [fn]: { prosrc: string; prosecdef: boolean }[] = await runtime.query(`SELECT prosrc, prosecdef FROM pg_proc WHERE proname = 'sne_audit_seal'`);
  // A change to canonicalEventSql needs a migration that replaces the function: this fails until then.
  expect(fn.prosrc).toContain(canonicalEventSql('e'));
  expect(fn.prosecdef).toBe(false);
});

it('links events as the JavaScript chain does, continues from a head, and the verifier accepts the chain', async () => {
  const first = await writeEvents(7, 'a');
  const sealed = await seal(first, 1, GENESIS_HASH);
  const expected = await expectedLinks(first, 1, GENESIS_HASH);
  expect(await chain()).toEqual(expected);
  expect(sealed).toEqual({ sealed: 7, head: expected[6].hash });

  const second = await writeEvents(5, 'b');
  const more = await seal(second, 8, sealed.head!);
  const continued = await expectedLinks(second, 8, sealed.head!);
  expect(await chain()).toEqual([...expected, ...continued]);
  expect(more).toEqual({ sealed: 5, head: continued[4].hash });

  const report = await verifyAuditChain((sql, params) => runtime.query(sql, params));
  expect(report).toMatchObject({ ok: true, checked: 12, unsealed: { count: 0 } });
});

it('writes nothing, and returns no head, when an id has no event', async () => {
  const before = await chain();
  const ids = await writeEvents(3, 'c');
  const missing = String(BigInt(ids[2]) + 1000n);
  expect(await seal([...ids, missing], before.length + 1, before[before.length - 1].hash)).toEqual({ sealed: 3, head: null });
  expect(await chain()).toEqual(before);
});
