import { Logger, LoggerService } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { ConfigError, createDataSource, loadConfig, LoginRole, openDatabase, provisionDatabase, runMigrations, urlFor } from '@sne/core';
import { adminUrl, createTestDatabase, databaseUrl, TestDatabase, testRoles, testRun } from '../../support/test-database';

/**
 * How a process starts with the database roles it is given (open-database.ts), and the
 * superuser's provisioning (database-provisioning.ts):
 * - the runtime role starts quietly; the schema owner or a superuser as DATABASE_URL is refused
 *   in production and announced loudly elsewhere;
 * - a runtime role missing grants is refused everywhere, and the owner's URL repairs it;
 * - a runtime role facing pending migrations names DATABASE_MIGRATION_URL;
 * - provisioning is idempotent, refuses roles that would defeat it, and hands a database
 *   migrated by one role (before there were two) over to the owner.
 */

const { owner, runtime } = testRoles();
const opened: { destroy(): Promise<void> }[] = [];
const created: string[] = [];

class Recorder implements LoggerService {
  warnings: string[] = [];
  log() {}
  error() {}
  debug() {}
  verbose() {}
  warn(message: string) {
    this.warnings.push(message);
  }
}
let recorder: Recorder;

beforeEach(() => {
  recorder = new Recorder();
  Logger.overrideLogger(recorder);
});

afterAll(async () => {
  for (const ds of opened) await ds.destroy().catch(() => undefined);
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});

function config(env: 'production' | 'development' | 'test', urls: { DATABASE_URL: string; DATABASE_MIGRATION_URL?: string }) {
  return loadConfig({ NODE_ENV: env, ACK_TOKEN_SECRET: 'x'.repeat(40), SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'), ...urls });
}

async function open(env: 'production' | 'development' | 'test', urls: { DATABASE_URL: string; DATABASE_MIGRATION_URL?: string }) {
  const ds = await openDatabase(config(env, urls), { applicationName: 'sne-startup-test', poolSize: 2 });
  opened.push(ds);
  return ds;
}

/** An empty database of this run (the teardown drops it if this file cannot). */
async function emptyDatabase(ownedBy?: string): Promise<string> {
  const name = `sne_t_${testRun()}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}${ownedBy ? ` OWNER ${ownedBy}` : ''}`);
  await admin.end();
  created.push(name);
  return name;
}

const withRole = (url: string, role: LoginRole) => urlFor(url, { role });

describe('which role DATABASE_URL names', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const ds of opened.splice(0)) await ds.destroy().catch(() => undefined);
    await db?.drop();
  });

  const ROLES: { as: string; urls: (db: TestDatabase) => { DATABASE_URL: string; DATABASE_MIGRATION_URL?: string }; powers: RegExp[] }[] = [
    { as: 'the runtime role', urls: (d) => ({ DATABASE_URL: d.runtimeUrl }), powers: [] },
    { as: 'the runtime role, with the owner for the migrations', urls: (d) => ({ DATABASE_URL: d.runtimeUrl, DATABASE_MIGRATION_URL: d.ownerUrl }), powers: [] },
    { as: 'the schema owner', urls: (d) => ({ DATABASE_URL: d.ownerUrl }), powers: [/owns the database/, /owns, and so may alter, drop or switch the triggers off: audit_chain, audit_events, /] },
    { as: 'the schema owner, named in both', urls: (d) => ({ DATABASE_URL: d.ownerUrl, DATABASE_MIGRATION_URL: d.ownerUrl }), powers: [/owns the database/, /owns, and so may alter, drop or switch the triggers off: audit_chain, audit_events, /] },
    { as: 'a superuser', urls: (d) => ({ DATABASE_URL: d.url }), powers: [/is a superuser, or may become one/, /may switch every trigger off: session_replication_role/] },
  ];

  it.each(ROLES)('production, $as', async ({ urls, powers }) => {
    const opening = open('production', urls(db));
    if (!powers.length) return expect(opening).resolves.toBeDefined();
    const refusal = await opening.then(() => null, (err) => err);
    expect(refusal).toBeInstanceOf(ConfigError);
    expect(refusal.message).toMatch(/^Configuration error: DATABASE_URL connects as "[^"]+", which can rewrite the audit history/);
    for (const power of powers) expect(refusal.message).toMatch(power);
  });

  it.each(ROLES)('development, $as', async ({ urls, powers }) => {
    await open('development', urls(db));
    const loud = recorder.warnings.join('\n');
    if (!powers.length) return expect(recorder.warnings).toEqual([]);
    expect(loud).toMatch(/CAN REWRITE THE AUDIT HISTORY/);
    expect(loud).toMatch(/NODE_ENV=production refuses to start like this/);
    for (const power of powers) expect(loud).toMatch(power);
  });
});

describe('grants and migrations the runtime role cannot do itself', () => {
  it('a runtime role missing grants stops the start, naming them; the owner URL grants them again', async () => {
    const db = await createTestDatabase();
    try {
      const asOwner = new Client({ connectionString: db.ownerUrl });
      await asOwner.connect();
      await asOwner.query(`REVOKE INSERT ON audit_events FROM ${runtime.name}`);
      await asOwner.query(`REVOKE USAGE ON SEQUENCE audit_events_id_seq FROM ${runtime.name}`);
      await asOwner.end();
      await expect(open('test', { DATABASE_URL: db.runtimeUrl })).rejects.toThrow(
        /DATABASE_URL's role "[^"]+" lacks privileges the apps need: INSERT on audit_events; USAGE on audit_events_id_seq\. .*DATABASE_MIGRATION_URL/,
      );
      const repaired = await open('test', { DATABASE_URL: db.runtimeUrl, DATABASE_MIGRATION_URL: db.ownerUrl });
      await repaired.query(`INSERT INTO audit_events (actor_type, actor_id, action, entity_type, entity_id) VALUES ('system', 'test', 'test.done', 'test', '1')`);
      await repaired.destroy();
    } finally {
      await db.drop();
    }
  });

  it('a runtime role facing pending migrations names DATABASE_MIGRATION_URL; with it, the schema is built and granted', async () => {
    const name = await emptyDatabase(owner.name);
    const urls = { DATABASE_URL: withRole(databaseUrl(name), runtime), DATABASE_MIGRATION_URL: withRole(databaseUrl(name), owner) };
    const refusal = await open('test', { DATABASE_URL: urls.DATABASE_URL }).then(() => null, (err) => err);
    expect(refusal).toBeInstanceOf(ConfigError);
    expect(refusal.message).toMatch(/^Configuration error: DATABASE_MIGRATION_URL is not set, and DATABASE_URL's role "[^"]+" may not change the schema/);
    const ds = await open('test', urls);
    expect((await ds.query(`SELECT count(*)::int AS n FROM migrations`))[0].n).toBeGreaterThan(0);
    expect(recorder.warnings).toEqual([]);
  });
});

describe('provisioning (the superuser part)', () => {
  const legacy = { owner: { name: `sne_${testRun()}_legacy_owner`, password: 'p1' }, runtime: { name: `sne_${testRun()}_legacy_app`, password: 'p2' } };

  it('hands a database migrated by one role over to the owner, twice without harm; the apps then start clean', async () => {
    const name = await emptyDatabase();
    const single = createDataSource(databaseUrl(name), { poolSize: 2 });
    await single.initialize();
    await runMigrations(single); // as the admin: how databases were migrated before there were two roles
    // TypeORM used to install this as the connecting superuser; an extension's objects stay with it.
    await single.query(`CREATE EXTENSION IF NOT EXISTS "uuid-ossp"`);
    await single.destroy();

    await provisionDatabase(adminUrl(), { database: name, ...legacy });
    await provisionDatabase(adminUrl(), { database: name, ...legacy });

    const admin = new Client({ connectionString: databaseUrl(name) });
    await admin.connect();
    try {
      const { rows } = await admin.query(
        `SELECT kind, name FROM (
           SELECT 'relation' AS kind, c.relname AS name, c.relowner AS owner FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
           UNION ALL SELECT 'function', p.proname, p.proowner FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
         ) o WHERE pg_get_userbyid(o.owner) <> $1 AND o.name NOT LIKE 'uuid\\_%'`,
        [legacy.owner.name],
      );
      expect(rows).toEqual([]);
      const [db] = (await admin.query(`SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = current_database()`)).rows;
      expect(db.owner).toBe(legacy.owner.name);
    } finally {
      await admin.end();
    }
    await open('production', { DATABASE_URL: withRole(databaseUrl(name), legacy.runtime), DATABASE_MIGRATION_URL: withRole(databaseUrl(name), legacy.owner) });
    expect(recorder.warnings).toEqual([]);
  });

  it.each([
    ['one role for both', () => ({ owner: legacy.owner, runtime: legacy.owner }), /must differ/],
    ['a superuser as the owner', () => ({ owner: { name: new URL(adminUrl()).username || 'postgres' }, runtime: legacy.runtime }), /exists and is a superuser/],
    ['a superuser as the runtime role', () => ({ owner: legacy.owner, runtime: { name: new URL(adminUrl()).username || 'postgres' } }), /exists and is a superuser/],
  ])('refuses %s', async (_, roles, message) => {
    await expect(provisionDatabase(adminUrl(), { database: `sne_t_${testRun()}_never`, ...roles() })).rejects.toThrow(message);
  });

  it('refuses a runtime role that is a member of the owner', async () => {
    const member = { owner: { name: `sne_${testRun()}_m_owner` }, runtime: { name: `sne_${testRun()}_m_app` } };
    const name = await emptyDatabase();
    await provisionDatabase(adminUrl(), { database: name, ...member });
    const admin = new Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`GRANT ${member.owner.name} TO ${member.runtime.name}`);
    await admin.end();
    await expect(provisionDatabase(adminUrl(), { database: name, ...member })).rejects.toThrow(/is a member of the schema owner/);
  });
});
