/**
 * The broker crashes (`kill -9` of a test-owned nats-server) in the middle of a fan-out to 3,000
 * webhook subscribers, while the dispatcher is still publishing delivery jobs and the courier is
 * already sending, and comes back a few seconds later on the same port and store directory.
 * The apps reconnect by themselves and finish: every subscription delivered once, no duplicate
 * rows, repeated webhooks with the same webhook-id.
 */
import { DataSource } from 'typeorm';
import { workStreamName } from '@sne/messaging';
import { createDataSource } from '../../libs/core/src/database/data-source';
import { createTestDatabase, testPrefix } from '../support/test-database';
import { deliveryCounts, publishNotice, Seeded, seedWebhookSubscriptions, verifyFanOut, waitForAllDelivered, WebhookFleet } from './support/fan-out';
import { NatsNode, natsServerAvailable, startNatsServer, withNats } from './support/nats';
import { appEnv, freePort, ProcessGroup, sleep, startApp, waitUntil } from './support/processes';

jest.setTimeout(180_000);

const SUBSCRIPTIONS = 3000;
const OUTAGE_MS = 3000;

(natsServerAvailable ? describe : describe.skip)('resilience: NATS server killed and restarted mid fan-out', () => {
  const group = new ProcessGroup();
  const prefix = testPrefix();
  let nats: NatsNode;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: DataSource;
  let fleet: WebhookFleet;
  let seeded: Seeded;

  beforeAll(async () => {
    nats = await startNatsServer(group);
    fleet = await WebhookFleet.start({ receivers: 16, pathsPerReceiver: 2, delayMs: 10 });
    database = await createTestDatabase();
    db = createDataSource(database.url, { poolSize: 4, applicationName: 'sne-resilience-test' });
    await db.initialize();
    seeded = await seedWebhookSubscriptions(db, fleet, SUBSCRIPTIONS, 2);
  });

  afterAll(async () => {
    await group.cleanup();
    await nats?.remove(); // the stream lives in its store directory
    await fleet?.close();
    await db?.destroy().catch(() => undefined);
    await database?.drop().catch(() => undefined);
  });

  it('kill -9 of nats-server while jobs are published and sent, back after 3 s on the same store: everything is delivered once', () =>
    group.printLogsOnFailure(async () => {
      const port = await freePort();
      const env = appEnv({ DATABASE_URL: database.url, NATS_URL: nats.url, NATS_PREFIX: prefix }, { PORT: String(port) });
      const apps = await Promise.all([startApp(group, 'api', env), startApp(group, 'dispatcher', env), startApp(group, 'courier', env)]);

      const started = Date.now();
      const noticeId = await publishNotice(`http://127.0.0.1:${port}`, seeded.issuer);
      // Kill once the first 1,000 jobs are stored: the dispatcher is mid-publish, the courier mid-send.
      let jobsStored = 0;
      await withNats(nats.url, async (nc) => {
        const jsm = await nc.jetstreamManager();
        await waitUntil(
          async () => {
            jobsStored = Number((await jsm.streams.info(workStreamName(prefix))).state.last_seq) - 1;
            return jobsStored > 1000;
          },
          45_000,
          'the dispatcher to publish 1,000 jobs',
          5,
        );
      });
      await nats.kill();
      const atKill = { ms: Date.now() - started, jobsStoredBeforeKill: jobsStored, requests: fleet.count, ...(await deliveryCounts(db, noticeId)) };
      expect(atKill.delivered).toBeLessThan(SUBSCRIPTIONS);

      await sleep(OUTAGE_MS);
      const duringOutage = { requests: fleet.count, ...(await deliveryCounts(db, noticeId)) };
      await nats.start();

      const done = await waitForAllDelivered(db, noticeId, SUBSCRIPTIONS, 120_000);
      const report = await verifyFanOut(db, fleet, noticeId, seeded);
      // No app gave up on the broker: all three are still running.
      expect(apps.map((a) => a.running)).toEqual([true, true, true]);
      // eslint-disable-next-line no-console
      console.log(
        `nats-restart: at kill ${JSON.stringify(atKill)}; after ${OUTAGE_MS} ms outage ${JSON.stringify(duringOutage)}; ` +
          `all ${done.delivered} delivered after ${Date.now() - started} ms; webhooks ${JSON.stringify(report)}`,
      );
    }));
});
