/**
 * An orchestrator probes every app. The dispatcher and the courier (no HTTP of their own) answer
 * on HEALTH_PORT with the api's /health logic: liveness, and readiness that goes unready (503)
 * when their database or broker is away and ready again when it is back. Everything here is
 * owned by the test (a PostgreSQL cluster and a nats-server), so both can be taken down.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { OwnPostgres, ownPostgresAvailable } from './support/postgres';
import { NatsNode, natsServerAvailable, startNatsServer } from './support/nats';
import { AppName, appEnv, Child, freePorts, ProcessGroup, REPO_ROOT, startApp, waitUntil } from './support/processes';

jest.setTimeout(180_000);

interface Probe {
  status: number;
  body: any;
}

async function probe(url: string, init?: RequestInit): Promise<Probe> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** The TCP ports a process listens on, from /proc (its socket inodes matched against the LISTEN rows). */
function listeningPorts(pid: number): number[] {
  const inodes = new Set(
    readdirSync(`/proc/${pid}/fd`)
      .map((fd) => {
        try {
          return /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
        } catch {
          return undefined;
        }
      })
      .filter((x): x is string => !!x),
  );
  const ports: number[] = [];
  for (const table of ['tcp', 'tcp6']) {
    for (const row of readFileSync(`/proc/${pid}/net/${table}`, 'utf8').split('\n').slice(1)) {
      const f = row.trim().split(/\s+/);
      if (f.length > 9 && f[3] === '0A' && inodes.has(f[9])) ports.push(parseInt(f[1].split(':')[1], 16));
    }
  }
  return ports.sort((a, b) => a - b);
}

(ownPostgresAvailable && natsServerAvailable ? describe : describe.skip)('health of every app, as processes', () => {
  const group = new ProcessGroup();
  let pg: OwnPostgres;
  let nats: NatsNode;
  let ports: { api: number; dispatcher: number; courier: number };
  const apps: Partial<Record<AppName, Child>> = {};
  const url = (app: AppName, path: string) => `http://127.0.0.1:${ports[app]}${path}`;
  const readyAll = () => Promise.all((['api', 'dispatcher', 'courier'] as const).map((app) => probe(url(app, '/health'))));
  /**
   * Every app's readiness ([api, dispatcher, courier]) once all three answer `status` and name
   * every check in `down` as down (each process has its own connections, which notice at their
   * own moment).
   */
  const allAnswer = (status: number, down: string[] = [], timeoutMs = 30_000) =>
    waitUntil(async () => {
      const all = await readyAll();
      // all[0] is the api, which has no consumers.
      const named = (i: number) => (i === 0 ? down.filter((key) => key !== 'consumers') : down);
      return all.every((p, i) => p.status === status && named(i).every((key) => p.body.error?.[key]?.status === 'down')) && all;
    }, timeoutMs, `every app to answer /health with ${status}${down.length ? ` naming ${down.join(' and ')}` : ''}`);

  beforeAll(async () => {
    pg = await OwnPostgres.create();
    nats = await startNatsServer(group);
    const databaseUrl = await pg.createDatabase('sne_health');
    const [api, dispatcher, courier] = await freePorts(3);
    ports = { api, dispatcher, courier };
    const base = { DATABASE_URL: databaseUrl, NATS_URL: nats.url, NATS_PREFIX: 'health' };
    // The api first: it runs the migrations (the others would wait on the same advisory lock anyway).
    apps.api = await startApp(group, 'api', appEnv(base, { PORT: String(api) }));
    apps.dispatcher = await startApp(group, 'dispatcher', appEnv(base, { PORT: String(api), HEALTH_PORT: String(dispatcher) }));
    apps.courier = await startApp(group, 'courier', appEnv(base, { PORT: String(api), HEALTH_PORT: String(courier) }));
  });

  afterAll(async () => {
    await group.cleanup();
    await nats?.remove();
    await pg?.destroy();
  });

  it('the workers answer liveness and readiness on HEALTH_PORT, in the shape of the api /health', () =>
    group.printLogsOnFailure(async () => {
      for (const worker of ['dispatcher', 'courier'] as const) {
        await apps[worker]!.waitForOutput(new RegExp(`health checks on http://127\\.0\\.0\\.1:${ports[worker]}/health`), 10_000);
        expect(listeningPorts(apps[worker]!.pid!)).toEqual([ports[worker]]);
        expect(await probe(url(worker, '/health/live'))).toEqual({ status: 200, body: { status: 'ok' } });
        const up = { status: 'up' };
        const ready = { status: 'ok', info: { database: up, messaging: up, consumers: up }, error: {}, details: { database: up, messaging: up, consumers: up } };
        expect(await probe(url(worker, '/health'))).toEqual({ status: 200, body: ready });
        expect(await probe(url(worker, '/health/ready'))).toEqual({ status: 200, body: ready });
        expect(await probe(url(worker, '/metrics'))).toEqual({ status: 404, body: { statusCode: 404, error: 'Not Found', message: expect.any(String) } });
        expect(await probe(url(worker, '/health'), { method: 'POST' })).toEqual({ status: 405, body: { statusCode: 405, error: 'Method Not Allowed', message: expect.any(String) } });
      }
      // The api's own /health: the same answer, less the consumers it does not have.
      const api = await probe(url('api', '/health'));
      expect(api).toEqual({ status: 200, body: { status: 'ok', info: { database: { status: 'up' }, messaging: { status: 'up' } }, error: {}, details: { database: { status: 'up' }, messaging: { status: 'up' } } } });
    }));

  it('readiness goes unready while the database is down (liveness stays), and ready again when it is back', () =>
    group.printLogsOnFailure(async () => {
      await pg.stop('fast');
      try {
        const down = await allAnswer(503, ['database']);
        for (const p of down) {
          expect(p.body).toMatchObject({ status: 'error', error: { database: { status: 'down' } }, info: { messaging: { status: 'up' } } });
        }
        const [, dispatcher, courier] = down;
        expect([dispatcher.body.info.consumers, courier.body.info.consumers]).toEqual([{ status: 'up' }, { status: 'up' }]);
        for (const app of ['api', 'dispatcher', 'courier'] as const) expect((await probe(url(app, '/health/live'))).status).toBe(200);
      } finally {
        await pg.start();
      }
      await allAnswer(200);
    }));

  it('readiness goes unready while the broker is down (the consumers with it), and ready again when it is back', () =>
    group.printLogsOnFailure(async () => {
      await nats.kill();
      try {
        const down = await allAnswer(503, ['messaging', 'consumers']);
        for (const p of down) {
          expect(p.body).toMatchObject({ status: 'error', error: { messaging: { status: 'down', message: 'broker not reachable' } }, info: { database: { status: 'up' } } });
        }
        expect([down[1].body.error.consumers, down[2].body.error.consumers]).toEqual([
          { status: 'down', message: 'consumers not running' },
          { status: 'down', message: 'consumers not running' },
        ]);
      } finally {
        await nats.start();
      }
      await allAnswer(200, [], 60_000);
    }));

  it('HEALTH_PORT=off: no listener at all', () =>
    group.printLogsOnFailure(async () => {
      const env = appEnv({ DATABASE_URL: pg.url('sne_health'), NATS_URL: nats.url, NATS_PREFIX: 'health' }, { HEALTH_PORT: 'off' });
      const courier = await startApp(group, 'courier', env, 'courier (HEALTH_PORT=off)');
      await courier.waitForOutput(/HEALTH_PORT=off: no health listener/, 10_000);
      expect(listeningPorts(courier.pid!)).toEqual([]);
      await courier.stop();
    }));

  it('a health port already taken stops the worker with a message naming HEALTH_PORT', () =>
    group.printLogsOnFailure(async () => {
      const env = appEnv({ DATABASE_URL: pg.url('sne_health'), NATS_URL: nats.url, NATS_PREFIX: 'health' }, { HEALTH_PORT: String(ports.courier) });
      const child = group.add(new Child('courier (port taken)', process.execPath, [resolve(REPO_ROOT, 'dist/apps/courier/src/main.js')], { cwd: REPO_ROOT, env }));
      const exit = await child.exited;
      expect(exit.code).toBe(1);
      expect(child.output).toMatch(new RegExp(`cannot listen on 127\\.0\\.0\\.1:${ports.courier} .*HEALTH_PORT`));
    }));

  it.each(['dispatcher', 'courier', 'api'] as const)('%s: a lease that does not exceed the webhook timeout stops it at start-up (exit 78), naming both', (app) =>
    group.printLogsOnFailure(async () => {
      const env = appEnv({ DATABASE_URL: pg.url('sne_health'), NATS_URL: nats.url, NATS_PREFIX: 'health' }, { DELIVERY_LEASE_SECONDS: '15', WEBHOOK_TIMEOUT_MS: '15000' });
      const child = group.add(new Child(`${app} (lease too short)`, process.execPath, [resolve(REPO_ROOT, `dist/apps/${app}/src/main.js`)], { cwd: REPO_ROOT, env }));
      const exit = await child.exited;
      expect(exit.code).toBe(78);
      expect(child.output).toMatch(/Configuration error: DELIVERY_LEASE_SECONDS \(15 s\) must exceed WEBHOOK_TIMEOUT_MS \(15000 ms\)/);
    }));
});
