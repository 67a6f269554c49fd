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
    const rows: { id: string; agency_id: string; signing_secret: string; retired: { id: string; signing_secret: string }[] }[] = await db.query(
      `SELECT s.id, s.agency_id, s.signing_secret,
              coalesce((SELECT json_agg(json_build_object('id', r.id, 'signing_secret', r.signing_secret))
                          FROM subscription_retired_secrets r WHERE r.subscription_id = s.id), '[]') AS retired
         FROM subscriptions s WHERE s.signing_secret IS NOT NULL`,
    );
    for (const r of rows) {
      const reseal = (v: string) => (box.isCurrent(v) ? v : box.seal(box.open(v)));
      const current = reseal(r.signing_secret);
      // Secrets rotated out within the last 24 h still sign, so they are sealed anew too.
      const retired = r.retired.map((x) => ({ id: x.id, before: x.signing_secret, after: reseal(x.signing_secret) })).filter((x) => x.after !== x.before);
      if (current === r.signing_secret && retired.length === 0) continue;
      await db.transaction(async (m) => {
        await m.query(`UPDATE subscriptions SET signing_secret = $2 WHERE id = $1`, [r.id, current]);
        for (const x of retired) await m.query(`UPDATE subscription_retired_secrets SET signing_secret = $2 WHERE id = $1`, [x.id, x.after]);
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
