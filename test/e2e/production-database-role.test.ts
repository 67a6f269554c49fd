/**
 * In production, each app refuses to start when DATABASE_URL connects as a role that could
 * rewrite the audit history (a superuser, the schema owner): it exits with EX_CONFIG (78) and
 * says why. As the runtime role it starts. The built apps run as processes, as deployed.
 */
import { randomBytes } from 'node:crypto';
import { deleteWorkStream } from '@sne/messaging';
import { AppName, appEnv, Child, freePort, ProcessGroup, REPO_ROOT, startApp } from '../resilience/support/processes';
import { NATS_URL } from '../support/stack';
import { createTestDatabase, TestDatabase, testPrefix } from '../support/test-database';

jest.setTimeout(120_000);

const APPS: AppName[] = ['api', 'dispatcher', 'courier'];
const PRODUCTION = { NODE_ENV: 'production', ACK_TOKEN_SECRET: randomBytes(32).toString('hex'), SECRETS_KEY: randomBytes(32).toString('base64') };

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
    { as: 'the schema owner', url: (d) => d.ownerUrl, power: /owns the database, and with it the schema public/ },
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

  it('the api starts in production as the runtime role', () =>
    group.printLogsOnFailure(async () => {
      const port = await freePort();
      const env = appEnv({ DATABASE_URL: db.runtimeUrl, NATS_URL, NATS_PREFIX: prefix }, { ...PRODUCTION, PORT: String(port) });
      const api = await startApp(group, 'api', env);
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      expect(api.output).not.toMatch(/rewrite the audit history/i);
      await api.stop();
    }));
});
