/**
 * The database goes away in the middle of a fan-out: a test-owned PostgreSQL is stopped
 * (`pg_ctl stop -m fast`: every connection is cut, open transactions roll back) while the courier
 * is claiming and recording deliveries, and started again on the same data directory a few
 * seconds later. It is done twice, with about 140 and about 1,400 delivery jobs still waiting in
 * the stream, and each time:
 * - nothing is lost: the apps reconnect by themselves and finish, every subscription delivered
 *   once, no duplicate rows, repeated webhooks with the same webhook-id;
 * - while the database is down, every API route answers 503 with Retry-After (the error shape
 *   for the JSON API), never a 500;
 * - the apps log the outage once per state change ("database unavailable since …", "database
 *   back after …"), and the warn/error lines each process prints from the stop until everything
 *   is delivered stay under a small constant, whatever the backlog (the courier used to log two
 *   stack traces per job every 2 s).
 */
import { DataSource } from 'typeorm';
import { deleteWorkStream } from '@sne/messaging';
import { AUTHORIZATION } from '../../apps/api/src/common/authorization.table';
import { createDataSource, runMigrations } from '../../libs/core/src/database/data-source';
import { NATS_URL } from '../support/stack';
import { testPrefix } from '../support/test-database';
import { publishNotice, seedWebhookSubscriptions, verifyFanOut, waitForAllDelivered, WebhookFleet, WebhookReport } from './support/fan-out';
import { OwnPostgres, ownPostgresAvailable } from './support/postgres';
import { AppName, appEnv, Child, freePort, ProcessGroup, sleep, startApp, waitUntil } from './support/processes';

jest.setTimeout(300_000);

const PHASES = [
  { name: 'small', subscriptions: 200 },
  { name: 'large', subscriptions: 2000 },
] as const;
/** Long enough for the old behaviour (every job redelivered every 2 s) to show. */
const OUTAGE_MS = 5000;
/**
 * Warn/error lines one process may print for one outage: its "database unavailable" line, the
 * outbox listener's lost connection, the sweeper's re-queue of the deliveries whose attempt the
 * outage cut short, and room for a few more of that kind; never one per job.
 */
const MAX_OUTAGE_LINES = 8;
const APPS: AppName[] = ['api', 'dispatcher', 'courier'];

interface RouteAnswer {
  route: string;
  status: number;
  retryAfter: string | null;
  contentType: string;
  body: string;
}

interface PhaseResult {
  backlog: number;
  lines: Record<AppName, string[]>;
  stateChanges: Record<AppName, { unavailable: number; back: number }>;
  answers: RouteAnswer[];
  webhooks: WebhookReport;
}

(ownPostgresAvailable ? describe : describe.skip)('resilience: PostgreSQL restarted mid fan-out', () => {
  const group = new ProcessGroup();
  const prefixes: string[] = [];
  const fleets: WebhookFleet[] = [];
  const sources: DataSource[] = [];
  const results: Partial<Record<(typeof PHASES)[number]['name'], PhaseResult>> = {};
  let pg: OwnPostgres;
  /** The last phase's apps stay up for the LISTEN check. */
  let last: { db: DataSource; apps: Record<AppName, Child> } | undefined;

  beforeAll(async () => {
    pg = await OwnPostgres.create();
  });

  afterAll(async () => {
    await group.cleanup();
    await Promise.all(fleets.map((f) => f.close()));
    await Promise.all(sources.map((db) => db.destroy().catch(() => undefined)));
    await pg?.destroy(); // the databases go with the cluster's directory
    await Promise.all(prefixes.map((p) => deleteWorkStream(NATS_URL, p).catch(() => undefined)));
  });

  /** Every route of the authorization table, with made-up ids: during the outage none may answer 500. */
  async function callEveryRoute(apiUrl: string, key: string): Promise<RouteAnswer[]> {
    const answers: RouteAnswer[] = [];
    for (const route of Object.keys(AUTHORIZATION)) {
      const [method, pattern] = route.split(' ');
      const path = pattern
        .replace(':token', 'not-a-token')
        .replace(':file', 'console.css')
        .replace(/:[A-Za-z]+/g, '6f1c1f0e-5b0a-4c39-9d7e-000000000000');
      const isConsole = path.startsWith('/console') || path === '/';
      const headers: Record<string, string> = { authorization: `Bearer ${key}` };
      let body: string | undefined;
      if (method !== 'GET') {
        headers['content-type'] = isConsole ? 'application/x-www-form-urlencoded' : 'application/json';
        body = isConsole ? '' : '{}';
      }
      const res = await fetch(`${apiUrl}${path}`, { method, headers, body, redirect: 'manual' });
      answers.push({ route, status: res.status, retryAfter: res.headers.get('retry-after'), contentType: res.headers.get('content-type') ?? '', body: (await res.text()).slice(0, 300) });
    }
    return answers;
  }

  /** warn/error lines, and anything that is not a JSON log line (a stack trace printed raw). */
  function isWarnOrError(line: string): boolean {
    if (!line.trim()) return false;
    try {
      return ['warn', 'error', 'fatal'].includes(JSON.parse(line).level);
    } catch {
      return true;
    }
  }

  async function fanOutThroughAnOutage(phase: (typeof PHASES)[number], keepRunning: boolean): Promise<PhaseResult> {
    // Migrated as the schema owner; the apps connect as the runtime role, as in production.
    const database = await pg.createAppDatabase(`sne_outage_${phase.name}`);
    const owner = createDataSource(database.ownerUrl, { poolSize: 2, applicationName: 'sne-resilience-migrate' });
    await owner.initialize();
    await runMigrations(owner, { grantTo: 'sne_app' });
    await owner.destroy();
    const db = createDataSource(database.url, { poolSize: 4, applicationName: 'sne-resilience-test' });
    sources.push(db);
    await db.initialize();
    const fleet = await WebhookFleet.start({ receivers: 16, pathsPerReceiver: 2, delayMs: 30 });
    fleets.push(fleet);
    const seeded = await seedWebhookSubscriptions(db, fleet, phase.subscriptions, 2);
    const prefix = testPrefix();
    prefixes.push(prefix);
    const port = await freePort();
    const env = appEnv({ DATABASE_URL: database.runtimeUrl, NATS_URL, NATS_PREFIX: prefix }, { PORT: String(port), LOG_FORMAT: 'json' });
    const started = await Promise.all(APPS.map((app) => startApp(group, app, env, `${app} (${phase.name})`)));
    const apps = Object.fromEntries(APPS.map((app, i) => [app, started[i]])) as Record<AppName, Child>;
    const apiUrl = `http://127.0.0.1:${port}`;

    const noticeId = await publishNotice(apiUrl, seeded.issuer);
    await fleet.waitForCount(Math.round(phase.subscriptions * 0.3), 45_000);

    const lines = Object.fromEntries(APPS.map((app) => [app, [] as string[]])) as Record<AppName, string[]>;
    const all = Object.fromEntries(APPS.map((app) => [app, [] as string[]])) as Record<AppName, string[]>;
    const unwatch = APPS.map((app) =>
      apps[app].onLine((line) => {
        all[app].push(line);
        if (isWarnOrError(line)) lines[app].push(line);
      }),
    );
    // Jobs not yet sent when the database goes (the courier records its outcomes in batches, so the rows lag behind).
    const backlog = phase.subscriptions - fleet.count;
    await pg.stop('fast');
    const answers = await callEveryRoute(apiUrl, seeded.issuer.keys.author!);
    await sleep(OUTAGE_MS);
    await pg.start();

    await waitForAllDelivered(db, noticeId, phase.subscriptions, 120_000);
    const webhooks = await verifyFanOut(db, fleet, noticeId, seeded);
    const stateChangesOf = (app: AppName) => ({
      unavailable: all[app].filter((l) => /database unavailable since/.test(l)).length,
      back: all[app].filter((l) => /database back after/.test(l)).length,
    });
    // Each app that noticed the outage says so again when its probe finds the database back
    // (not waited for forever: the assertions below say what is missing).
    await waitUntil(() => APPS.every((app) => stateChangesOf(app).back >= stateChangesOf(app).unavailable), 30_000, 'every app to see the database back').catch(() => undefined);
    unwatch.forEach((stop) => stop());
    expect(APPS.map((app) => apps[app].running)).toEqual([true, true, true]);

    const stateChanges = Object.fromEntries(APPS.map((app) => [app, stateChangesOf(app)])) as PhaseResult['stateChanges'];
    if (keepRunning) last = { db, apps };
    else await Promise.all(APPS.map((app) => apps[app].stop(10_000)));
    return { backlog, lines, stateChanges, answers, webhooks };
  }

  for (const [i, phase] of PHASES.entries()) {
    it(`${phase.name} backlog (${phase.subscriptions} subscriptions): nothing lost, 503 + Retry-After during the outage, the outage logged once`, () =>
      group.printLogsOnFailure(async () => {
        const result = await fanOutThroughAnOutage(phase, i === PHASES.length - 1);
        results[phase.name] = result;
        const counts = Object.fromEntries(APPS.map((app) => [app, result.lines[app].length]));
        // eslint-disable-next-line no-console
        console.log(
          `postgres-restart (${phase.name}): ${result.backlog} jobs waiting at the stop; warn/error lines during the outage ${JSON.stringify(counts)}; ` +
            `state-change lines ${JSON.stringify(result.stateChanges)}; webhooks ${JSON.stringify(result.webhooks)}\n` +
            APPS.flatMap((app) => result.lines[app].map((l) => `  ${app}: ${l.slice(0, 240)}`)).join('\n'),
        );

        // The API during the outage: never a 500; 503 + Retry-After wherever the database is needed.
        const wrong = result.answers.filter((a) => {
          const rule = AUTHORIZATION[a.route];
          if (a.route === 'GET /health/live') return a.status !== 200;
          if (a.route === 'GET /health' || a.route === 'GET /health/ready') return a.status !== 503;
          if (a.status >= 500 && a.status !== 503) return true;
          if (a.status === 503 && !/^\d+$/.test(a.retryAfter ?? '')) return true;
          if (a.status === 503 && (a.route.includes(' /api/v1/') || a.route === 'GET /metrics')) {
            if (!a.contentType.startsWith('application/json')) return true;
            const body = JSON.parse(a.body);
            if (body.statusCode !== 503 || body.error !== 'Service Unavailable' || typeof body.message !== 'string') return true;
          }
          // Anything that needs a caller needs the database to know who it is.
          return rule.roles !== 'public' && a.status !== 503;
        });
        expect(wrong.map((a) => `${a.route} → ${a.status} retry-after=${a.retryAfter} ${a.contentType} ${a.body}`)).toEqual([]);
        expect(result.answers.filter((a) => a.status === 503).length).toBeGreaterThan(60);

        // The outage is logged once per state change by every app, and little else is.
        for (const app of APPS) expect({ app, ...result.stateChanges[app] }).toEqual({ app, unavailable: 1, back: 1 });
        const tooMany = APPS.filter((app) => result.lines[app].length > MAX_OUTAGE_LINES).map((app) => ({ app, lines: result.lines[app].slice(0, 12) }));
        expect(tooMany).toEqual([]);
      }));
  }

  // Both outages were held to the same constant above; this shows the backlogs really differed.
  it('the two outages met backlogs an order of magnitude apart', () => {
    expect(results.small && results.large).toBeDefined();
    expect(results.large!.backlog).toBeGreaterThan(3 * results.small!.backlog);
  });

  // The outbox relay LISTENs on a connection of its own and re-opens it when it is lost. Losing
  // it must leave exactly one listener behind, however many outages there were (a second restart
  // here shows whether stray listeners multiply).
  it('after each restart the dispatcher holds exactly one outbox LISTEN connection', () =>
    group.printLogsOnFailure(async () => {
      expect(last).toBeDefined();
      const { db } = last!;
      const listeners = async () =>
        (
          await db.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'sne-outbox-listener'`,
          )
        )[0].n as number;
      const settled = async () => {
        await waitUntil(async () => (await listeners()) >= 1, 15_000, 'the outbox listener to reconnect');
        await sleep(3000); // every pending re-listen attempt (1 s apart) has had its chance
        return listeners();
      };
      const afterFirst = await settled();
      await pg.stop('fast');
      await sleep(1500);
      await pg.start();
      const afterSecond = await settled();
      expect({ afterFirst, afterSecond }).toEqual({ afterFirst: 1, afterSecond: 1 });
    }));
});
