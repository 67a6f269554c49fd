/**
 * The database goes away in the middle of a fan-out to 2,000 webhook subscribers: a test-owned
 * PostgreSQL is stopped (`pg_ctl stop -m fast`: every connection is cut, open transactions roll
 * back) while the courier is claiming and recording deliveries, and started again on the same
 * data directory a few seconds later. The apps reconnect by themselves and finish: every
 * subscription delivered once, no duplicate rows, repeated webhooks with the same webhook-id.
 */
import { DataSource } from 'typeorm';
import { deleteWorkStream } from '@sne/messaging';
import { createDataSource, runMigrations } from '../../libs/core/src/database/data-source';
import { NATS_URL } from '../support/stack';
import { testPrefix } from '../support/test-database';
import { deliveryCounts, publishNotice, Seeded, seedWebhookSubscriptions, verifyFanOut, waitForAllDelivered, WebhookFleet } from './support/fan-out';
import { OwnPostgres, ownPostgresAvailable } from './support/postgres';
import { appEnv, freePort, ProcessGroup, sleep, startApp, waitUntil } from './support/processes';

jest.setTimeout(180_000);

const SUBSCRIPTIONS = 2000;
const OUTAGE_MS = 3000;

(ownPostgresAvailable ? describe : describe.skip)('resilience: PostgreSQL restarted mid fan-out', () => {
  const group = new ProcessGroup();
  const prefix = testPrefix();
  let pg: OwnPostgres;
  let database: { url: string; ownerUrl: string; runtimeUrl: string };
  let db: DataSource;
  let fleet: WebhookFleet;
  let seeded: Seeded;
  let restarted = false;

  beforeAll(async () => {
    pg = await OwnPostgres.create();
    database = await pg.createAppDatabase('sne_resilience');
    const owner = createDataSource(database.ownerUrl, { poolSize: 2, applicationName: 'sne-resilience-migrate' });
    await owner.initialize();
    await runMigrations(owner, { grantTo: 'sne_app' });
    await owner.destroy();
    db = createDataSource(database.url, { poolSize: 4, applicationName: 'sne-resilience-test' });
    await db.initialize();
    fleet = await WebhookFleet.start({ receivers: 16, pathsPerReceiver: 2, delayMs: 30 });
    seeded = await seedWebhookSubscriptions(db, fleet, SUBSCRIPTIONS, 2);
  });

  afterAll(async () => {
    await group.cleanup();
    await fleet?.close();
    await db?.destroy().catch(() => undefined);
    await pg?.destroy(); // the database goes with the cluster's directory
    await deleteWorkStream(NATS_URL, prefix).catch(() => undefined);
  });

  it('pg_ctl stop -m fast at ~30% delivered, started again after 3 s: the apps reconnect and deliver everything once', () =>
    group.printLogsOnFailure(async () => {
      const port = await freePort();
      // The apps connect as the runtime role (the schema was migrated above).
      const env = appEnv({ DATABASE_URL: database.runtimeUrl, NATS_URL, NATS_PREFIX: prefix }, { PORT: String(port) });
      const [api, dispatcher, courier] = await Promise.all([startApp(group, 'api', env), startApp(group, 'dispatcher', env), startApp(group, 'courier', env)]);

      const started = Date.now();
      const noticeId = await publishNotice(`http://127.0.0.1:${port}`, seeded.issuer);
      await fleet.waitForCount(Math.round(SUBSCRIPTIONS * 0.3), 45_000);
      const beforeStop = { ms: Date.now() - started, requests: fleet.count, ...(await deliveryCounts(db, noticeId)) };
      await pg.stop('fast');
      const stoppedAt = { ms: Date.now() - started, requests: fleet.count };
      expect(beforeStop.delivered).toBeLessThan(SUBSCRIPTIONS);

      await sleep(OUTAGE_MS);
      const duringOutage = { requests: fleet.count };
      await pg.start();
      restarted = true;

      const done = await waitForAllDelivered(db, noticeId, SUBSCRIPTIONS, 120_000);
      const report = await verifyFanOut(db, fleet, noticeId, seeded);
      // No app gave up: all three are still running.
      expect([api.running, dispatcher.running, courier.running]).toEqual([true, true, true]);
      // eslint-disable-next-line no-console
      console.log(
        `postgres-restart: before stop ${JSON.stringify(beforeStop)}; stopped ${JSON.stringify(stoppedAt)}; after ${OUTAGE_MS} ms outage ${JSON.stringify(duringOutage)}; ` +
          `all ${done.delivered} delivered after ${Date.now() - started} ms; webhooks ${JSON.stringify(report)}`,
      );
    }));

  // The outbox relay LISTENs on a connection of its own and re-opens it when it is lost. Losing
  // it must leave exactly one listener behind, however many outages there were (a second restart
  // here shows whether stray listeners multiply).
  it('after each restart the dispatcher holds exactly one outbox LISTEN connection', () =>
    group.printLogsOnFailure(async () => {
      expect(restarted).toBe(true);
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
