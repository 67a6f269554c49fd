import 'reflect-metadata';
import { ConfigError, createDataSource, loadConfig, SecretBox, systemActor, audit } from '@sne/core';

/**
 * `npm run secrets:reseal`: after setting a new SECRETS_KEY (with the old one in
 * SECRETS_KEY_PREVIOUS), seals every webhook signing secret under the new key. Idempotent.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) throw new ConfigError('DATABASE_URL', 'is required');
  const box = new SecretBox(config.secretsKey, config.secretsKeyPrevious);
  const db = createDataSource(config.databaseUrl, { poolSize: 2 });
  await db.initialize();
  let resealed = 0;
  try {
    const rows: { id: string; agency_id: string; signing_secret: string | null; previous_signing_secret: string | null }[] = await db.query(
      `SELECT id, agency_id, signing_secret, previous_signing_secret FROM subscriptions WHERE signing_secret IS NOT NULL`,
    );
    for (const r of rows) {
      const reseal = (v: string | null) => (v === null || box.isCurrent(v) ? v : box.seal(box.open(v)));
      const current = reseal(r.signing_secret);
      const previous = reseal(r.previous_signing_secret);
      if (current === r.signing_secret && previous === r.previous_signing_secret) continue;
      await db.transaction(async (m) => {
        await m.query(`UPDATE subscriptions SET signing_secret = $2, previous_signing_secret = $3 WHERE id = $1`, [r.id, current, previous]);
        await audit(m, systemActor('secrets-reseal'), { action: 'subscription.secret_resealed', entityType: 'subscription', entityId: r.id, agencyId: r.agency_id });
      });
      resealed++;
    }
    console.log(`${resealed} of ${rows.length} webhook secrets sealed under the new key`);
  } finally {
    await db.destroy();
  }
}

main().catch((err) => {
  console.error(err.message);
  process.exit(1);
});
