import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { AppConfig, ConfigError } from '../config';
import { createDataSource, runMigrations } from './data-source';
import { inspectRuntimeRole, RuntimeRoleReport } from './database-roles';

const INSUFFICIENT_PRIVILEGE = '42501';

/**
 * The apps' way into PostgreSQL (and `npm run bootstrap`'s):
 * 1. a pool as the runtime role (DATABASE_URL);
 * 2. the schema brought up to date: as the owner (DATABASE_MIGRATION_URL, on a connection of
 *    its own that is closed at once), which then grants the runtime role its privileges; or,
 *    with no owner URL, as the runtime role itself, which works only when nothing is pending;
 * 3. the runtime role checked (database-roles.ts): a role that could rewrite the audit history
 *    stops the start in production and is announced loudly elsewhere; a role missing the grants
 *    the apps need stops the start everywhere.
 */
export async function openDatabase(config: AppConfig, options: { applicationName?: string; poolSize?: number } = {}): Promise<DataSource> {
  if (!config.databaseUrl) throw new ConfigError('DATABASE_URL', 'is required here');
  const applicationName = options.applicationName ?? 'sne';
  const dataSource = createDataSource(config.databaseUrl, { applicationName, poolSize: options.poolSize ?? config.dbPoolSize });
  await dataSource.initialize();
  try {
    const [{ role }] = await dataSource.query(`SELECT current_user AS role`);
    if (config.databaseMigrationUrl) await migrateAsOwner(config.databaseMigrationUrl, role, `${applicationName}-migrate`);
    else await migrateAsRuntime(dataSource, role);
    judgeRuntimeRole(await inspectRuntimeRole((sql, params) => dataSource.query(sql, params)), config.env, new Logger('Database'));
    return dataSource;
  } catch (err) {
    await dataSource.destroy().catch(() => undefined);
    throw err;
  }
}

async function migrateAsOwner(url: string, runtimeRole: string, applicationName: string): Promise<void> {
  const owner = createDataSource(url, { poolSize: 2, applicationName });
  await owner.initialize();
  try {
    const [{ role }] = await owner.query(`SELECT current_user AS role`);
    // One role for both is today's single-URL set-up written twice: nothing to grant, the check will speak.
    await runMigrations(owner, { grantTo: role === runtimeRole ? undefined : runtimeRole });
  } finally {
    await owner.destroy();
  }
}

async function migrateAsRuntime(dataSource: DataSource, role: string): Promise<void> {
  try {
    await runMigrations(dataSource);
  } catch (err) {
    if ((err as { code?: string }).code !== INSUFFICIENT_PRIVILEGE) throw err;
    throw new ConfigError(
      'DATABASE_MIGRATION_URL',
      `is not set, and DATABASE_URL's role "${role}" may not change the schema, which is not up to date (${(err as Error).message}). ` +
        'Run `npm run migration:run` with DATABASE_MIGRATION_URL set to the schema owner, or set it for this process.',
    );
  }
}

/**
 * Refuses or warns about what inspectRuntimeRole found. Missing grants always stop the start (the
 * apps would fail later, one statement at a time); powers over the history stop it in production.
 */
export function judgeRuntimeRole(report: RuntimeRoleReport, env: AppConfig['env'], log: Pick<Logger, 'warn'>): void {
  if (report.powers.length && env === 'production') {
    throw new ConfigError(
      'DATABASE_URL',
      `connects as "${report.role}", which can rewrite the audit history: it ${report.powers.join('; it ')}. ` +
        'In production the apps connect as a runtime role that owns nothing, and DATABASE_MIGRATION_URL names the schema owner (README: Database roles).',
    );
  }
  if (report.missing.length) {
    throw new Error(
      `DATABASE_URL's role "${report.role}" lacks privileges the apps need: ${report.missing.join('; ')}. ` +
        'The schema owner grants them after the migrations: run `npm run migration:run` with DATABASE_MIGRATION_URL, or set it for this process.',
    );
  }
  if (report.powers.length) {
    log.warn('*'.repeat(78));
    log.warn(`DATABASE_URL connects as "${report.role}", which CAN REWRITE THE AUDIT HISTORY:`);
    for (const power of report.powers) log.warn(`  it ${power}`);
    log.warn('It could switch off the append-only triggers and change events; only the hash chain would notice.');
    log.warn('Connect as a runtime role and set DATABASE_MIGRATION_URL to the schema owner (README: Database roles).');
    log.warn('NODE_ENV=production refuses to start like this.');
    log.warn('*'.repeat(78));
  }
}
