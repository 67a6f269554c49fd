import 'reflect-metadata';
import { DataSource } from 'typeorm';
import * as entities from './entities';
import { InitialSchema1764150000000 } from './migrations/1764150000000-initial-schema';
import { FailingEndpoints1764160000000 } from './migrations/1764160000000-failing-endpoints';
import { AcknowledgmentTiers1764170000000 } from './migrations/1764170000000-acknowledgment-tiers';
import { TamperEvidentAudit1764180000000 } from './migrations/1764180000000-tamper-evident-audit';
import { PeopleAndKeys1764190000000 } from './migrations/1764190000000-people-and-keys';
import { DeidOverrides1764200000000 } from './migrations/1764200000000-deid-overrides';
import { OperatorControls1764220000000 } from './migrations/1764220000000-operator-controls';

export const MIGRATIONS = [InitialSchema1764150000000, FailingEndpoints1764160000000, AcknowledgmentTiers1764170000000, TamperEvidentAudit1764180000000, PeopleAndKeys1764190000000, DeidOverrides1764200000000, OperatorControls1764220000000];
export const ENTITIES = Object.values(entities).filter((e) => typeof e === 'function');

/** The one DataSource definition, shared by the apps, the tests and the TypeORM CLI. */
export function createDataSource(url: string, options: { poolSize?: number; applicationName?: string } = {}) {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES as any,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    extra: { max: options.poolSize ?? 20, application_name: options.applicationName ?? 'sne' },
  });
}

/** Brings the schema up to date; safe to call from several processes at once (an advisory lock serialises them). */
export async function runMigrations(dataSource: DataSource): Promise<void> {
  // The lock lives on one connection, so hold that connection for the whole run.
  const lockHolder = dataSource.createQueryRunner();
  await lockHolder.connect();
  try {
    await lockHolder.query(`SELECT pg_advisory_lock(7264001)`);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await lockHolder.query(`SELECT pg_advisory_unlock(7264001)`).catch(() => undefined);
    await lockHolder.release();
  }
}

/** For the TypeORM CLI: `npx typeorm -d dist/libs/core/src/database/data-source.js migration:show`. */
export default createDataSource(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/sne');
