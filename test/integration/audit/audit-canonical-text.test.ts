import { Client } from 'pg';
import { canonicalEventJsonbSql, canonicalEventSql } from '@sne/core/audit/audit-chain';
import { createTestDatabase, TestDatabase } from '../../support/test-database';

/**
 * The chain hashes `canonicalEventSql`, which writes the jsonb text of the event's object out by
 * hand (a third of the cost). Every link ever sealed must still verify, so the two must agree byte
 * for byte on every value a column can hold: here, every awkward value of every column, and a few
 * thousand random events, under session settings that change how PostgreSQL prints other things.
 */

// Strings that stress JSON escaping: quotes, backslashes, every control character, DEL,
// line and paragraph separators, astral characters, combining marks, right-to-left text.
const CONTROL = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i + 1 === 32 ? 127 : i + 1)).join('');
const HARD_STRINGS = [
  '',
  ' ',
  'plain',
  'a "quoted" word',
  'back\\slash \\u0041 \\n',
  CONTROL,
  'tab\tnew\nline\rreturn\bbell\fform',
  '\u2028\u2029',
  'é à ü ß ñ',
  '中文 日本語 한국어',
  '😀 👩‍👩‍👧 🇺🇸',
  'e\u0301 combining',
  'עברית العربية',
  '</script><script>alert(1)</script>',
  "'; DROP TABLE audit_events; --",
  'x'.repeat(5000),
];

// jsonb values for before/after: numbers PostgreSQL keeps exactly, nesting, key order, scalars.
const HARD_JSON = [
  null,
  'null',
  '{}',
  '[]',
  '{"status":"sending"}',
  '{"b":1,"a":2,"aa":3,"":4,"é":5,"Z":6}',
  '{"n":[0,-0,1.0,1.50,0.1,1e-7,-12345678901234567890.123456789,1e400,3.14159265358979323846264338327950288]}',
  '{"deep":{"x":[{"y":{"z":[null,true,false,"s"]}}]}}',
  '"a string scalar"',
  '12.5',
  'true',
  `{"text":${JSON.stringify(CONTROL + '\u2028"\\😀')}}`,
  '{"dup":1,"dup":2}',
];

const HARD_TIMES = [
  '2026-12-04T23:31:04.000000Z',
  '2026-12-04T23:31:04.123456Z',
  '2026-03-08T10:30:00.5+05:30',
  '1970-01-01T00:00:00Z',
  '1969-12-31T23:59:59.999999Z',
  '2000-02-29T12:00:00.000001Z',
  '0999-06-15T00:00:00Z',
  '9999-12-31T23:59:59.999999Z',
];

interface EventRow {
  id: string;
  at: string;
  actor_type: string;
  actor_id: string | null;
  agency_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  before: string | null;
  after: string | null;
}

/** A small deterministic generator, so a failure names the same events every run. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 2246822507) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

function events(): EventRow[] {
  const rows: EventRow[] = [];
  let id = 1n;
  const base = (): EventRow => ({
    id: String(id++),
    at: HARD_TIMES[0],
    actor_type: 'system',
    actor_id: 'courier',
    agency_id: '2b1e4f2c-1f7e-4c2a-9b5e-6f0d1c2b3a4d',
    action: 'delivery.delivered',
    entity_type: 'delivery',
    entity_id: '7d2f7a36-5b1c-4f6e-8a9d-0e1f2a3b4c5d',
    before: '{"status":"sending"}',
    after: '{"status":"delivered","attempt":1}',
  });
  // Every awkward value in every column, one column at a time.
  for (const at of HARD_TIMES) rows.push({ ...base(), at });
  for (const actor_type of ['user', 'system', 'recipient']) rows.push({ ...base(), actor_type });
  for (const s of HARD_STRINGS) {
    rows.push({ ...base(), actor_id: s }, { ...base(), action: s }, { ...base(), entity_type: s }, { ...base(), entity_id: s });
  }
  rows.push({ ...base(), actor_id: null }, { ...base(), agency_id: null });
  for (const j of HARD_JSON) rows.push({ ...base(), before: j }, { ...base(), after: j });
  // The largest ids a bigserial reaches.
  rows.push({ ...base(), id: '9223372036854775806' }, { ...base(), id: '9223372036854775807' });
  // Random mixtures of all of them.
  const r = random(20261204);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  for (let i = 0; i < 3000; i++) {
    rows.push({
      id: String(id++),
      at: new Date(Math.floor(r() * 4102444800000)).toISOString().replace('Z', `${String(Math.floor(r() * 1000)).padStart(3, '0')}Z`),
      actor_type: pick(['user', 'system', 'recipient']),
      actor_id: r() < 0.1 ? null : pick(HARD_STRINGS),
      agency_id: r() < 0.2 ? null : crypto.randomUUID(),
      action: pick(HARD_STRINGS),
      entity_type: pick(HARD_STRINGS),
      entity_id: pick(HARD_STRINGS),
      before: pick(HARD_JSON),
      after: pick(HARD_JSON),
    });
  }
  return rows;
}

describe('the canonical text of an audit event', () => {
  let db: TestDatabase;
  let c: Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    c = new Client({ connectionString: db.url });
    await c.connect();
    // A table of the events' own column types, so no trigger or sequence is in the way.
    await c.query(`CREATE TEMP TABLE e_rows (LIKE audit_events)`);
    const rows = events();
    const col = <K extends keyof EventRow>(k: K) => rows.map((row) => row[k]);
    await c.query(
      `INSERT INTO e_rows (id, at, actor_type, actor_id, agency_id, action, entity_type, entity_id, before, after)
       SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::text[], $9::jsonb[], $10::jsonb[])`,
      [col('id'), col('at'), col('actor_type'), col('actor_id'), col('agency_id'), col('action'), col('entity_type'), col('entity_id'), col('before'), col('after')],
    );
  });

  afterAll(async () => {
    await c?.end();
    await db?.drop();
  });

  it.each([
    ['the default settings', ''],
    ['another time zone and date style', `SET TimeZone = 'Pacific/Chatham'; SET DateStyle = 'SQL, DMY'; SET IntervalStyle = 'sql_standard'`],
    ['other float digits and encoding-related settings', `SET extra_float_digits = -15; SET bytea_output = 'escape'; SET standard_conforming_strings = off`],
  ])('is byte for byte the jsonb text of the event object, on every awkward and random event (%s)', async (_name, settings) => {
    if (settings) await c.query(settings);
    const rows: { id: string; fast: string; jsonb: string }[] = await c
      .query(`SELECT e.id::text AS id, ${canonicalEventSql('e')} AS fast, ${canonicalEventJsonbSql('e')} AS jsonb FROM e_rows e ORDER BY e.id`)
      .then((r) => r.rows);
    expect(rows.length).toBeGreaterThan(3000);
    const differing = rows.filter((row) => row.fast !== row.jsonb);
    expect(differing.slice(0, 3)).toEqual([]);
    // The text is JSON, and it holds what the row holds.
    const sample = rows.find((row) => row.id === '9223372036854775807')!;
    expect(sample.fast.startsWith('{"at": "2026-12-04T23:31:04.000000Z", "id": 9223372036854775807, "after": {"status": "delivered"')).toBe(true);
    for (const row of rows) expect(() => JSON.parse(row.fast)).not.toThrow();
    await c.query('RESET ALL');
  });

  it('changes when any content field changes', async () => {
    const [row] = await c.query(`SELECT ${canonicalEventSql('e')} AS text FROM e_rows e ORDER BY id LIMIT 1`).then((r) => r.rows);
    const edits = [
      `at = at + interval '1 microsecond'`,
      `actor_type = 'user'`,
      `actor_id = actor_id || 'x'`,
      `agency_id = NULL`,
      `action = action || 'x'`,
      `entity_type = entity_type || 'x'`,
      `entity_id = entity_id || 'x'`,
      `before = '{"status":"pending"}'`,
      `after = NULL`,
    ];
    for (const edit of edits) {
      await c.query('BEGIN');
      await c.query(`UPDATE e_rows SET ${edit} WHERE id = (SELECT min(id) FROM e_rows)`);
      const [changed] = await c.query(`SELECT ${canonicalEventSql('e')} AS text FROM e_rows e ORDER BY id LIMIT 1`).then((r) => r.rows);
      await c.query('ROLLBACK');
      expect({ edit, same: changed.text === row.text }).toEqual({ edit, same: false });
    }
  });
});
