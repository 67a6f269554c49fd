import { Client } from 'pg';
import { isTopicKey, isTopicPattern, SEVERITIES, topicMatches } from '@sne/core';
import { createTestDatabase } from '../../support/test-database';

/**
 * Fan-out matches subscriptions in SQL (sne_topic_matches); the API and the docs use the
 * TypeScript rule (topicMatches). The two must agree on every valid pattern and topic key,
 * or an agency receives a notice it did not subscribe to (or misses one it did).
 */

/** [pattern, topic, expected]: every pattern passes isTopicPattern and every topic isTopicKey. */
const CASES: Array<[string, string, boolean]> = [
  // '>' alone: everything
  ['>', 'a', true],
  ['>', 'substance-exposure.fentanyl.infant', true],
  // '*' alone: exactly one level
  ['*', 'a', true],
  ['*', 'substance-exposure', true],
  ['*', 'a.b', false],
  // literals
  ['a', 'a', true],
  ['a', 'b', false],
  ['a', 'a.b', false],
  ['a.b', 'a', false],
  ['a.b', 'a.b', true],
  ['a1.b2', 'a1.b2', true],
  ['a.b', 'a.c', false],
  ['missing', 'missing-child', false],
  ['missing-child', 'missing', false],
  ['substance-exposure', 'substance-exposure.fentanyl', false],
  // trailing '*'
  ['a.*', 'a.b', true],
  ['a.*', 'a', false],
  ['a.*', 'a.b.c', false],
  ['x.*', 'x.y-z', true],
  ['substance-exposure.*', 'substance-exposure.fentanyl', true],
  ['missing-child.*', 'missing-child', false],
  // trailing '>'
  ['a.>', 'a', false],
  ['a.>', 'a.b', true],
  ['a.>', 'a.b.c.d', true],
  ['a.>', 'b.a', false],
  ['a.b.>', 'a.b', false],
  ['a.b.>', 'a.bc.d', false],
  ['substance-exposure.>', 'substance-exposure.opioids.fentanyl', true],
  // leading and inner '*', multi-level
  ['*.b', 'a.b', true],
  ['*.b', 'a.c', false],
  ['*.*', 'a.b', true],
  ['*.*', 'a.b.c', false],
  ['*.>', 'a', false],
  ['*.>', 'a.b', true],
  ['a.*.c', 'a.b.c', true],
  ['a.*.c', 'a.b.d', false],
  ['a.*.c', 'a.b.x.c', false],
  ['a.*.>', 'a.b', false],
  ['a.*.>', 'a.b.c', true],
  ['*.fentanyl', 'substance-exposure.fentanyl', true],
  // edge cases: a '.' in a pattern separates levels; it is not "any character"
  ['a.b', 'a-b', false],
  ['a.b', 'axb', false],
  ['a.*', 'abc', false],
  ['*.b', 'aab', false],
  ['a.>', 'a-b', false],
  ['substance.*', 'substance-exposure', false],
  ['substance.>', 'substance-exposure', false],
  ['abuse.*', 'abuse-neglect', false],
];

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let client: Client;

beforeAll(async () => {
  db = await createTestDatabase();
  client = new Client({ connectionString: db.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await db?.drop();
});

it('uses a table of at least 30 valid (pattern, topic) pairs, and TypeScript gives the expected answers', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(30);
  for (const [pattern, topic] of CASES) {
    expect({ pattern, valid: isTopicPattern(pattern) }).toEqual({ pattern, valid: true });
    expect({ topic, valid: isTopicKey(topic) }).toEqual({ topic, valid: true });
  }
  const wrong = CASES.filter(([p, t, expected]) => topicMatches(p, t) !== expected).map(([p, t, e]) => `${p} ~ ${t}: expected ${e}`);
  expect(wrong).toEqual([]);
});

it('sne_topic_matches agrees with topicMatches on every pair (one statement)', async () => {
  const { rows } = await client.query<{ i: string; pattern: string; topic: string; matches: boolean }>(
    `SELECT x.i, x.pattern, x.topic, sne_topic_matches(x.pattern, x.topic) AS matches
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS x(pattern, topic, i)
      ORDER BY x.i`,
    [CASES.map((c) => c[0]), CASES.map((c) => c[1])],
  );
  expect(rows).toHaveLength(CASES.length);
  const disagreements = rows
    .filter((r) => r.matches !== topicMatches(r.pattern, r.topic))
    .map((r) => `sne_topic_matches('${r.pattern}', '${r.topic}') = ${r.matches}, topicMatches = ${topicMatches(r.pattern, r.topic)}`);
  expect(disagreements).toEqual([]);
  // Both directions are exercised: the table holds matches and non-matches.
  expect(rows.filter((r) => r.matches).length).toBeGreaterThan(10);
  expect(rows.filter((r) => !r.matches).length).toBeGreaterThan(10);
});

it('sne_severity_rank orders critical < high < moderate < low, and knows nothing else', async () => {
  const { rows } = await client.query<{ s: string; rank: number | null }>(
    `SELECT s, sne_severity_rank(s) AS rank FROM unnest($1::text[]) AS s ORDER BY sne_severity_rank(s) NULLS LAST, s`,
    [['low', 'critical', 'unknown', 'moderate', 'high']],
  );
  expect(rows).toEqual([
    { s: 'critical', rank: 1 },
    { s: 'high', rank: 2 },
    { s: 'moderate', rank: 3 },
    { s: 'low', rank: 4 },
    { s: 'unknown', rank: null },
  ]);
  // The same order the TypeScript side uses.
  expect(rows.slice(0, 4).map((r) => r.s)).toEqual([...SEVERITIES]);
});
