import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The shared PostgreSQL the tests use (CI: the machine's, trust auth). */
export function adminUrl(): string {
  return process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

export function databaseUrl(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export function testRun(): string {
  const run = process.env.SNE_TEST_RUN;
  if (!run) throw new Error('SNE_TEST_RUN is not set: run the tests through jest (globalSetup)');
  return run;
}

/**
 * A database of its own for one test file, cloned from the run's migrated template.
 * `asyncCommit`: commits do not wait for the WAL flush (this database only), for a test that makes
 * thousands of small commits and never crashes the database server.
 */
export async function createTestDatabase(opts: { asyncCommit?: boolean } = {}): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const run = testRun();
  const name = `sne_t_${run}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE sne_tpl_${run}`);
    if (opts.asyncCommit) await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: databaseUrl(name),
    async drop() {
      const c = new Client({ connectionString: adminUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A NATS subject/stream prefix of its own for one test file. */
export function testPrefix(): string {
  return `t${testRun()}${randomBytes(2).toString('hex')}`;
}
