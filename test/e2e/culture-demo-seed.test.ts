/**
 * The demo seed's culture surveys (apps/standalone/src/demo-seed-surveys.ts): two closed waves per
 * member agency, agreements covering culture, and the benchmark and results showing figures with
 * the small teams suppressed, on the real stack.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedDemo } from '../../apps/standalone/src/demo-seed';
import { startStack, Stack } from '../support/stack';
import { apiClient } from '../support/fixtures';

describe('demo seed: culture surveys', () => {
  let stack: Stack;
  let call: ReturnType<typeof apiClient>;
  let keys: Awaited<ReturnType<typeof seedDemo>>;

  beforeAll(async () => {
    stack = await startStack();
    call = apiClient(stack.url);
    keys = await seedDemo(stack.db, join(mkdtempSync(join(tmpdir(), 'sne-demo-')), 'demo-keys.json'));
  });

  afterAll(async () => {
    await stack?.close();
  });

  it("leaves an audit event for every agency, topic, person, password, API key and subscription it writes", async () => {
    const unaudited = await stack.db.query(
      `SELECT kind, id FROM (
         SELECT 'agency' AS kind, id::text AS id, 'agency.created' AS action FROM agencies
         UNION ALL SELECT 'topic', key, 'topic.created' FROM topics
         UNION ALL SELECT 'user', id::text, 'user.created' FROM users
         UNION ALL SELECT 'user', id::text, 'user.password_set' FROM users WHERE password_hash IS NOT NULL
         UNION ALL SELECT 'api_key', id::text, 'api_key.created' FROM api_keys
         UNION ALL SELECT 'subscription', id::text, 'subscription.created' FROM subscriptions) w
        WHERE NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.entity_type = w.kind AND e.entity_id = w.id AND e.action = w.action)`,
    );
    expect(unaudited).toEqual([]);
    expect(Number((await stack.db.query(`SELECT count(*) AS n FROM api_keys`))[0].n)).toBe(keys.length);
  });

  it('writes two closed waves for each of the four member agencies, and agreements covering culture', async () => {
    const waves = await stack.db.query(`SELECT agency_id, count(*)::int AS n, bool_and(status = 'closed') AS closed FROM survey_waves GROUP BY agency_id`);
    expect(waves).toHaveLength(4);
    expect(waves.every((w: any) => w.n === 2 && w.closed)).toBe(true);
    const [{ n }] = await stack.db.query(
      `SELECT count(*)::int AS n FROM (SELECT DISTINCT ON (agency_id) covers FROM data_sharing_agreements ORDER BY agency_id, recorded_at DESC, id DESC) l WHERE 'culture' = ANY(covers)`,
    );
    expect(n).toBe(4);
  });

  it('shows figures in the benchmark, and suppresses the small teams in the results', async () => {
    const admin = keys.find((k) => k.role === 'admin')!.key;
    const b = await call('GET', '/api/v1/culture/benchmark', { key: admin });
    expect(b.status).toBe(200);
    const shown = b.body.agencies.filter((r: any) => r.percentPositive !== null);
    expect(new Set(shown.map((r: any) => r.agency.id)).size).toBe(4);
    expect(b.body.distribution.every((d: any) => d.n === 4 && d.median > 0 && d.median < 1)).toBe(true);
    const fran = keys.find((k) => k.email === 'fran@fccs.example')!.key;
    const [wave] = await stack.db.query(`SELECT w.id FROM survey_waves w JOIN agencies a ON a.id = w.agency_id WHERE a.name = 'Franklin County Children Services' AND w.title LIKE 'Autumn%'`);
    const r = await call('GET', `/api/v1/surveys/waves/${wave.id}/results`, { key: fran });
    expect(r.status).toBe(200);
    expect(r.body.teams.find((t: any) => t.name === 'After hours')).toMatchObject({ responses: null, suppressed: 'too-few' });
    expect(r.body.agency.responses).toBeGreaterThanOrEqual(10);
    expect(r.body.previousWave.title).toBe('Spring 2026 team survey');
    expect(r.body.changes.agency.length).toBeGreaterThan(0);
  });
});
