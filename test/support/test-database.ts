import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { LoginRole, urlFor } from '../../libs/core/src/database/database-provisioning';

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
 * The run's schema owner and runtime role. Roles are cluster-wide, so their names carry the run
 * id (parallel runs never share one); globalSetup creates them and globalTeardown drops them.
 */
export function testRoles(): { owner: LoginRole; runtime: LoginRole } {
  const run = testRun();
  const password = process.env.SNE_TEST_ROLE_PASSWORD;
  if (!password) throw new Error('SNE_TEST_ROLE_PASSWORD is not set: run the tests through jest (globalSetup)');
  return { owner: { name: `sne_${run}_owner`, password }, runtime: { name: `sne_${run}_app`, password } };
}

export interface TestDatabase {
  name: string;
  /** As the admin (a superuser): for a test's own setup and checks, and for tampering on purpose. */
  url: string;
  /** As the schema owner (DATABASE_MIGRATION_URL). */
  ownerUrl: string;
  /** As the runtime role (DATABASE_URL): what the apps connect as. */
  runtimeUrl: string;
  drop(): Promise<void>;
}

/**
 * A database of its own for one test file, cloned from the run's migrated template (its grants included).
 * `asyncCommit`: commits do not wait for the WAL flush (this database only), for a test that makes
 * thousands of small commits and never crashes the database server.
 */
export async function createTestDatabase(opts: { asyncCommit?: boolean } = {}): Promise<TestDatabase> {
  const run = testRun();
  const roles = testRoles();
  const name = `sne_t_${run}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE sne_tpl_${run} OWNER ${roles.owner.name}`);
    if (opts.asyncCommit) await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(name);
  return {
    name,
    url,
    ownerUrl: urlFor(url, { role: roles.owner }),
    runtimeUrl: urlFor(url, { role: roles.runtime }),
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
