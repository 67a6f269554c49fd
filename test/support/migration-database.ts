/**
 * A brand-new EMPTY database for a migrations test file (not the run's template, which the
 * migrations built already), made before the file's tests and dropped after them, and what the
 * tests read the schema with.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createDataSource, MIGRATIONS, runMigrations } from '@sne/core';
import { adminUrl, databaseUrl, testRun } from './test-database';

export interface MigrationDatabase {
  /** Set once the file's beforeAll has run. */
  readonly ds: DataSource;
  tables(): Promise<string[]>;
  functions(): Promise<string[]>;
  /** Everything that describes the schema: columns, constraints, indexes, migration rows. */
  schemaFingerprint(): Promise<unknown>;
  /** The schema itself (the migrations table's row ids move on). */
  schema(): Promise<unknown>;
  /** Runs a statement expected to fail and returns the PostgreSQL error (code, constraint). */
  pgError(sql: string, params?: unknown[]): Promise<{ code?: string; constraint?: string }>;
  /**
   * Undoes the migrations applied after `name`, then `name` itself: a test names the migration it
   * is about, and does not change when another is added after it.
   */
  undoThrough(name: string): Promise<void>;
}

/** Registers the database's beforeAll (`migrated`: run every migration first) and afterAll. */
export function migrationDatabase(options: { migrated?: boolean } = {}): MigrationDatabase {
  // The name carries the run id, so the global teardown drops it even if the file crashes.
  const dbName = `sne_mig_${testRun()}_${randomBytes(3).toString('hex')}`;
  let ds: DataSource;

  const admin = async <T>(fn: (c: Client) => Promise<T>): Promise<T> => {
    const c = new Client({ connectionString: adminUrl() });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    await admin((c) => c.query(`CREATE DATABASE ${dbName}`));
    ds = createDataSource(databaseUrl(dbName), { poolSize: 4, applicationName: 'sne-migrations-test' });
    await ds.initialize();
    if (options.migrated) await runMigrations(ds);
  });

  afterAll(async () => {
    if (ds?.isInitialized) await ds.destroy();
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
  });

  const schemaFingerprint = async (): Promise<unknown> => {
    const [columns, constraints, indexes, migrations] = await Promise.all([
      ds.query(
        `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
          WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
      ),
      ds.query(
        `SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
          WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`,
      ),
      ds.query(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`),
      ds.query(`SELECT id, timestamp, name FROM migrations ORDER BY id`),
    ]);
    return { columns, constraints, indexes, migrations };
  };

  return {
    get ds() {
      return ds;
    },
    async tables() {
      const rows: { table_name: string }[] = await ds.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
      );
      return rows.map((r) => r.table_name);
    },
    async functions() {
      const rows: { proname: string }[] = await ds.query(
        `SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
          WHERE n.nspname = 'public' AND p.proname LIKE 'sne\\_%' ORDER BY p.proname`,
      );
      return rows.map((r) => r.proname);
    },
    schemaFingerprint,
    async schema() {
      const { columns, constraints, indexes } = (await schemaFingerprint()) as Record<string, unknown>;
      return { columns, constraints, indexes };
    },
    async pgError(sql: string, params: unknown[] = []) {
      try {
        await ds.query(sql, params);
      } catch (err) {
        const e = err as { driverError?: { code?: string; constraint?: string }; code?: string; constraint?: string };
        const driver = e.driverError ?? e;
        return { code: driver.code, constraint: driver.constraint };
      }
      throw new Error(`expected the statement to fail, but it succeeded: ${sql}`);
    },
    async undoThrough(name: string) {
      expect(MIGRATIONS.map((M) => new M().name ?? M.name)).toContain(name);
      for (;;) {
        const [last] = await ds.query(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`);
        await ds.undoLastMigration({ transaction: 'each' });
        if (!last || last.name === name) return;
      }
    },
  };
}
