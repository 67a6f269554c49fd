/**
 * In production, each app refuses to start when DATABASE_URL connects as a role that could
 * rewrite the audit history (a superuser, the schema owner): it exits with EX_CONFIG (78) and
 * says why. As the runtime role it starts. And compose's db-setup (`npm run db:roles`, then
 * `npm run migration:run`) followed by `npm run bootstrap` as the runtime role works from an
 * empty server. The built apps and scripts run as processes, as deployed.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { LoginRole, urlFor } from '@sne/core';
import { deleteWorkStream } from '@sne/messaging';
import { AppName, appEnv, Child, freePort, ProcessGroup, REPO_ROOT, startApp } from '../resilience/support/processes';
import { NATS_URL } from '../support/stack';
import { adminUrl, createTestDatabase, databaseUrl, TestDatabase, testPrefix, testRun } from '../support/test-database';

jest.setTimeout(120_000);

const APPS: AppName[] = ['api', 'dispatcher', 'courier'];
// SMTP_URL is required in production by the processes that send mail (nothing is sent here).
const PRODUCTION = { NODE_ENV: 'production', ACK_TOKEN_SECRET: randomBytes(32).toString('hex'), SECRETS_KEY: randomBytes(32).toString('base64'), SMTP_URL: 'smtp://127.0.0.1:2525' };

describe('production start-up and the database role', () => {
  const group = new ProcessGroup();
  const prefix = testPrefix();
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await group.cleanup();
    await deleteWorkStream(NATS_URL, prefix).catch(() => undefined);
    await db?.drop();
  });

  const REFUSED: { as: string; url: (d: TestDatabase) => string; power: RegExp }[] = [
    { as: 'a superuser', url: (d) => d.url, power: /is a superuser, or may become one/ },
    { as: 'the schema owner', url: (d) => d.ownerUrl, power: /owns the database: / },
  ];

  for (const { as, url, power } of REFUSED) {
    it.each(APPS)(`%s exits with 78 when DATABASE_URL is ${as}`, (app) =>
      group.printLogsOnFailure(async () => {
        const env = appEnv({ DATABASE_URL: url(db), NATS_URL, NATS_PREFIX: prefix }, { ...PRODUCTION, PORT: String(await freePort()) });
        const child = group.add(new Child(`${app} as ${as}`, process.execPath, [`${REPO_ROOT}/dist/apps/${app}/src/main.js`], { cwd: REPO_ROOT, env }));
        expect(await child.exited).toEqual({ code: 78, signal: null });
        expect(child.output).toMatch(/Configuration error: DATABASE_URL connects as "[^"]+", which can rewrite the audit history/);
        expect(child.output).toMatch(power);
      }),
    );
  }

  // Both send mail: the courier every notice email, the api survey invitations and reminders (never queued).
  it.each(['courier', 'api'])('the %s exits with 78 in production without SMTP_URL (it would keep mail in the dev mailbox)', (app) =>
    group.printLogsOnFailure(async () => {
      const env = appEnv({ DATABASE_URL: db.runtimeUrl, NATS_URL, NATS_PREFIX: prefix }, { ...PRODUCTION, PORT: String(await freePort()) });
      delete env.SMTP_URL;
      const child = group.add(new Child(`${app} without SMTP_URL`, process.execPath, [`${REPO_ROOT}/dist/apps/${app}/src/main.js`], { cwd: REPO_ROOT, env }));
      expect(await child.exited).toEqual({ code: 78, signal: null });
      expect(child.output).toMatch(/Configuration error: SMTP_URL is required when NODE_ENV=production/);
    }));

  it.each(['no-such-host.invalid', '192.0.2.77'])('the api exits with 78 naming HOST when HOST=%s is not an address of this machine', (host) =>
    group.printLogsOnFailure(async () => {
      const env = appEnv({ DATABASE_URL: db.runtimeUrl, NATS_URL, NATS_PREFIX: prefix }, { ...PRODUCTION, PORT: String(await freePort()), HOST: host });
      const child = group.add(new Child(`api on ${host}`, process.execPath, [`${REPO_ROOT}/dist/apps/api/src/main.js`], { cwd: REPO_ROOT, env }));
      expect(await child.exited).toEqual({ code: 78, signal: null });
      expect(child.output).toMatch(/Configuration error: HOST cannot be listened on/);
    }));

  it('the api starts in production as the runtime role', () =>
    group.printLogsOnFailure(async () => {
      const port = await freePort();
      const env = appEnv({ DATABASE_URL: db.runtimeUrl, NATS_URL, NATS_PREFIX: prefix }, { ...PRODUCTION, PORT: String(port) });
      const api = await startApp(group, 'api', env);
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      // No dev mailbox in production: it would show every acknowledgment link to anyone.
      expect((await fetch(`http://127.0.0.1:${port}/dev/mailbox`)).status).toBe(404);
      expect(api.output).not.toMatch(/rewrite the audit history/i);
      await api.stop();
    }));
});

describe('compose: db-setup, then bootstrap as the runtime role', () => {
  const run = promisify(execFile);
  const script = (name: string, env: Record<string, string>, args: string[] = []) =>
    run(process.execPath, [`${REPO_ROOT}/dist/scripts/${name}.js`, ...args], { cwd: REPO_ROOT, env: { PATH: process.env.PATH, ...env } });
  const database = `sne_t_${testRun()}_compose`;
  const role = (name: string) => ({ name: `sne_${testRun()}_${name}`, password: randomBytes(12).toString('hex') });
  const [owner, app] = [role('c_owner'), role('c_app')];
  const as = (role: LoginRole) => urlFor(databaseUrl(database), { role });
  const setup = { NODE_ENV: 'production', DATABASE_ADMIN_URL: adminUrl(), DATABASE_MIGRATION_URL: as(owner), DATABASE_URL: as(app) };

  afterAll(async () => {
    const admin = new Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end(); // the roles go with the run (global teardown)
  });

  it('creates the roles and the database, migrates as the owner, grants the runtime role; bootstrap then runs as the runtime role in production', async () => {
    expect((await script('create-database-roles', setup)).stdout).toContain(`schema owner "${owner.name}", runtime role "${app.name}"`);
    const first = await script('migrate', setup);
    expect(first.stdout).toMatch(new RegExp(`^applied \\d+ migration\\(s\\) as "${owner.name}"`));
    expect(first.stdout).toContain(`granted the runtime role "${app.name}" its privileges`);
    expect(first.stderr).toBe('');
    // Again: nothing to do, the same grants; and db:roles again changes nothing that matters.
    await script('create-database-roles', setup);
    expect((await script('migrate', setup)).stdout).toMatch(/^the schema is up to date/);

    const bootstrap = await script('bootstrap', { ...PRODUCTION, DATABASE_URL: as(app) }, ['--agency', 'Partnership', '--code', 'US', '--contact', 'n@p.example', '--admin-email', 'a@p.example', '--admin-name', 'A']);
    expect(bootstrap.stdout).toContain('Partnership admin created');
    const c = new Client({ connectionString: databaseUrl(database) });
    await c.connect();
    try {
      const { rows } = await c.query(`SELECT (SELECT actor_id FROM audit_events WHERE action = 'agency.created') AS actor, (SELECT pg_get_userbyid(relowner)::text FROM pg_class WHERE relname = 'audit_events') AS owner`);
      expect(rows[0]).toEqual({ actor: 'bootstrap', owner: owner.name });
    } finally {
      await c.end();
    }
  });
});
