/**
 * Rotating SECRETS_KEY: with the old key in SECRETS_KEY_PREVIOUS, `npm run secrets:reseal`
 * (the built script, run as a process) seals every webhook secret under the new key, and the
 * secrets still open to the same value: the current one and every one rotated out that still signs.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { createDataSource, SecretBox } from '@sne/core';
import { createAgency } from '../../support/fixtures';
import { createTestDatabase } from '../../support/test-database';

describe('secrets key rotation', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDataSource(database.url, { poolSize: 2 });
    await db.initialize();
  });

  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('re-seals every secret under the new key, idempotently', async () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const agency = await createAgency(db, { roles: ['agency_admin'] });
    const sealed = new SecretBox(oldKey).seal('whsec_rotating');
    const [sub] = await db.query(
      `INSERT INTO subscriptions (agency_id, name, topic_patterns, min_severity, channel, webhook_url, signing_secret)
       VALUES ($1, 'hook', '{safe-sleep}', 'low', 'webhook', 'https://receiver.example/hook', $2) RETURNING id`,
      [agency.id, sealed],
    );
    const retired = ['whsec_retired_1', 'whsec_retired_2'];
    for (const [i, secret] of retired.entries()) {
      await db.query(
        `INSERT INTO subscription_retired_secrets (subscription_id, signing_secret, expires_at) VALUES ($1, $2, now() + make_interval(hours => $3))`,
        [sub.id, new SecretBox(oldKey).seal(secret), i + 1],
      );
    }
    const run = () =>
      execFileSync('node', [resolve(__dirname, '../../../dist/scripts/reseal-secrets.js')], {
        env: { ...process.env, DATABASE_URL: database.runtimeUrl, SECRETS_KEY: newKey.toString('base64'), SECRETS_KEY_PREVIOUS: oldKey.toString('base64') },
        encoding: 'utf8',
      });
    expect(run()).toMatch(/^1 of 1 webhook secrets sealed under the new key/);
    const [after] = await db.query(`SELECT signing_secret FROM subscriptions WHERE id = $1`, [sub.id]);
    expect(new SecretBox(newKey).open(after.signing_secret)).toBe('whsec_rotating');
    expect(() => new SecretBox(oldKey).open(after.signing_secret)).toThrow();
    const rows: { signing_secret: string }[] = await db.query(`SELECT signing_secret FROM subscription_retired_secrets WHERE subscription_id = $1 ORDER BY expires_at`, [sub.id]);
    expect(rows.map((r) => new SecretBox(newKey).open(r.signing_secret))).toEqual(retired);
    for (const r of rows) expect(() => new SecretBox(oldKey).open(r.signing_secret)).toThrow();
    expect(run()).toMatch(/^0 of 1/);
  });
});
