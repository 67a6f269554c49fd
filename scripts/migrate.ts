import 'reflect-metadata';
import { ConfigError, createDataSource, inspectRuntimeRole, loadDatabaseConfig, runMigrations } from '@sne/core';
import { withClient } from '@sne/core/database/pg-client';

const USAGE = `Brings the schema up to date as its owner, then grants the runtime role its privileges.

  DATABASE_MIGRATION_URL=postgres://sne_owner:…@db/sne DATABASE_URL=postgres://sne_app:…@db/sne npm run migration:run

DATABASE_MIGRATION_URL is the schema owner, DATABASE_URL the runtime role the apps connect as.
With DATABASE_URL alone, that one role runs the migrations and nothing is granted.`;

const INSUFFICIENT_PRIVILEGE = '42501';

/** `npm run migration:run`. Safe to run at any time, and from several places at once. */
async function main(): Promise<void> {
  if (process.argv.includes('--help')) return void console.log(USAGE);
  const { databaseUrl, databaseMigrationUrl } = loadDatabaseConfig();
  const ownerUrl = databaseMigrationUrl ?? databaseUrl;
  if (!ownerUrl) throw new ConfigError('DATABASE_MIGRATION_URL', `is required (or DATABASE_URL alone)\n\n${USAGE}`);
  const asRuntime = { connectionString: databaseUrl, application_name: 'sne-migrate' };
  const runtimeRole = databaseMigrationUrl && databaseUrl ? await withClient(asRuntime, async (c) => (await c.query(`SELECT current_user AS role`)).rows[0].role as string) : undefined;
  const db = createDataSource(ownerUrl, { poolSize: 2, applicationName: 'sne-migrate' });
  await db.initialize();
  try {
    const [{ role }] = await db.query(`SELECT current_user AS role`);
    const grantTo = runtimeRole && runtimeRole !== role ? runtimeRole : undefined;
    const applied = await runMigrations(db, { grantTo }).catch((err) => {
      if (err.code !== INSUFFICIENT_PRIVILEGE) throw err;
      throw new Error(`the role "${role}" may not change the schema (${err.message}): set DATABASE_MIGRATION_URL to the schema owner`);
    });
    console.log(applied.length ? `applied ${applied.length} migration(s) as "${role}": ${applied.join(', ')}` : `the schema is up to date (checked as "${role}")`);
    if (grantTo) console.log(`granted the runtime role "${grantTo}" its privileges`);
  } finally {
    await db.destroy();
  }
  if (!databaseUrl) return;
  const report = await withClient(asRuntime, (c) => inspectRuntimeRole(async (sql, params) => (await c.query(sql, params)).rows));
  if (report.powers.length) console.warn(`WARNING: DATABASE_URL's role "${report.role}" can rewrite the audit history: it ${report.powers.join('; it ')}`);
  if (report.missing.length) console.warn(`WARNING: DATABASE_URL's role "${report.role}" lacks: ${report.missing.join('; ')}`);
}

main().catch((err) => {
  console.error(err.message);
  process.exit(err instanceof ConfigError ? 78 : 1);
});
