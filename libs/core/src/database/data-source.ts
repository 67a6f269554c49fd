import 'reflect-metadata';
import type { EventEmitter } from 'node:events';
import { DataSource } from 'typeorm';
import { grantRuntimePrivileges } from './database-roles';
import * as entities from './entities';
import { InitialSchema1764150000000 } from './migrations/1764150000000-initial-schema';
import { FailingEndpoints1764160000000 } from './migrations/1764160000000-failing-endpoints';
import { AcknowledgmentTiers1764170000000 } from './migrations/1764170000000-acknowledgment-tiers';
import { TamperEvidentAudit1764180000000 } from './migrations/1764180000000-tamper-evident-audit';
import { PeopleAndKeys1764190000000 } from './migrations/1764190000000-people-and-keys';
import { DeidOverrides1764200000000 } from './migrations/1764200000000-deid-overrides';
import { HeldDeliveries1764210000000 } from './migrations/1764210000000-held-deliveries';
import { OperatorControls1764220000000 } from './migrations/1764220000000-operator-controls';
import { ReviewWorkflow1764250000000 } from './migrations/1764250000000-review-workflow';
import { SuperviseAndInbox1764260000000 } from './migrations/1764260000000-supervise-and-inbox';
import { Attachments1764270000000 } from './migrations/1764270000000-attachments';
import { OneTimeSlots1764300000000 } from './migrations/1764300000000-one-time-slots';
import { IncidentReviews1764400000000 } from './migrations/1764400000000-incident-reviews';
import { CultureSurveys1764450000000 } from './migrations/1764450000000-culture-surveys';
import { SurveyInvitations1764460000000 } from './migrations/1764460000000-survey-invitations';
import { ReviewNoticeActions1764440000000 } from './migrations/1764440000000-review-notice-actions';
import { DeliveryWriteCost1764470000000 } from './migrations/1764470000000-delivery-write-cost';
import { FanOutPages1764480000000 } from './migrations/1764480000000-fan-out-pages';
import { FreshStatistics1764490000000 } from './migrations/1764490000000-fresh-statistics';
import { AuditSealInDatabase1764500000000 } from './migrations/1764500000000-audit-seal-in-database';
import { ReviewAmendments1764510000000 } from './migrations/1764510000000-review-amendments';
import { RetiredSigningSecrets1764520000000 } from './migrations/1764520000000-retired-signing-secrets';
import { RemindersWhileOwed1764530000000 } from './migrations/1764530000000-reminders-while-owed';
import { SignInFailuresPerClient1764540000000 } from './migrations/1764540000000-sign-in-failures-per-client';

export const MIGRATIONS = [
  InitialSchema1764150000000,
  FailingEndpoints1764160000000,
  AcknowledgmentTiers1764170000000,
  TamperEvidentAudit1764180000000,
  PeopleAndKeys1764190000000,
  DeidOverrides1764200000000,
  HeldDeliveries1764210000000,
  OperatorControls1764220000000,
  ReviewWorkflow1764250000000,
  SuperviseAndInbox1764260000000,
  Attachments1764270000000,
  OneTimeSlots1764300000000,
  IncidentReviews1764400000000,
  ReviewNoticeActions1764440000000,
  CultureSurveys1764450000000,
  SurveyInvitations1764460000000,
  DeliveryWriteCost1764470000000,
  FanOutPages1764480000000,
  FreshStatistics1764490000000,
  AuditSealInDatabase1764500000000,
  ReviewAmendments1764510000000,
  RetiredSigningSecrets1764520000000,
  RemindersWhileOwed1764530000000,
  SignInFailuresPerClient1764540000000,
];
export const ENTITIES = Object.values(entities).filter((e) => typeof e === 'function');

/**
 * Connections the pool keeps however long they sit idle (the rest close after 10 s, pg's default).
 * A server process caches what it has planned and looked up for its whole life: a fresh one runs
 * the fan-out's first page or the courier's first claim in about three times the time, so after
 * a quiet spell the first notice reached its first agency 30 ms later than the next one.
 */
export const WARM_CONNECTIONS = 2;

/** The one DataSource definition, shared by the apps, the tests and the TypeORM CLI. */
export function createDataSource(url: string, options: { poolSize?: number; applicationName?: string; idleTimeoutMs?: number } = {}) {
  const max = options.poolSize ?? 20;
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES as any,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    // The schema needs no extension (gen_random_uuid is built in); the runtime role may not install one anyway.
    installExtensions: false,
    // A connection (or a free slot in the pool) not had within this is an error the apps treat as
    // the database being away (503, work waits), rather than a wait as long as TCP's own timeout.
    connectTimeoutMS: 10_000,
    extra: {
      max,
      min: Math.min(WARM_CONNECTIONS, max),
      idleTimeoutMillis: options.idleTimeoutMs ?? 10_000,
      application_name: options.applicationName ?? 'sne',
      // A connection the server ends (shutdown: 57P01) can emit 'error' while it sits between the
      // pool and TypeORM with no listener, which would crash the process. Every connection keeps
      // this listener; the failure still reaches whoever uses the connection next, as an error.
      onConnect: (client: EventEmitter) => void client.on('error', () => undefined),
    },
  });
}

/**
 * Brings the schema up to date; safe to call from several processes at once (an advisory lock
 * serialises them). Run as the schema owner with `grantTo`, it then sets that runtime role's
 * privileges (database-roles.ts), under the same lock and in one transaction.
 */
export async function runMigrations(dataSource: DataSource, options: { grantTo?: string } = {}): Promise<string[]> {
  // The lock lives on one connection, so hold that connection for the whole run.
  const lockHolder = dataSource.createQueryRunner();
  await lockHolder.connect();
  try {
    await lockHolder.query(`SELECT pg_advisory_lock(7264001)`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (options.grantTo) {
      await lockHolder.startTransaction();
      try {
        await grantRuntimePrivileges((sql, params) => lockHolder.query(sql, params), options.grantTo);
        await lockHolder.commitTransaction();
      } catch (err) {
        await lockHolder.rollbackTransaction().catch(() => undefined);
        throw err;
      }
    }
    return applied.map((m) => m.name);
  } finally {
    await lockHolder.query(`SELECT pg_advisory_unlock(7264001)`).catch(() => undefined);
    await lockHolder.release();
  }
}

/**
 * For the TypeORM CLI: `npx typeorm -d dist/libs/core/src/database/data-source.js migration:show`.
 * It connects as the schema owner; `npm run migration:run` (which also applies the runtime role's
 * grants) is the way to run them.
 */
export default createDataSource(process.env.DATABASE_MIGRATION_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/sne');
