/**
 * The broker crashes (`kill -9` of a test-owned nats-server) in the middle of a fan-out to 3,000
 * webhook subscribers, while the dispatcher is still publishing delivery jobs and the courier is
 * already sending, and comes back a few seconds later on the same port and store directory.
 * The apps reconnect by themselves and finish: every subscription delivered once, no duplicate
 * rows, repeated webhooks with the same webhook-id.
 */
import { workStreamName } from '@sne/messaging';
import { testPrefix } from '../support/test-database';
import { deliveryCounts, FanOutScene, publishNotice, verifyFanOut, waitForAllDelivered } from './support/fan-out';
import { NatsNode, natsServerAvailable, startNatsServer, withNats } from './support/nats';
import { appEnv, freePort, ProcessGroup, sleep, startApp, waitUntil } from './support/processes';

jest.setTimeout(180_000);

const SUBSCRIPTIONS = 3000;
const OUTAGE_MS = 3000;

(natsServerAvailable ? describe : describe.skip)('resilience: NATS server killed and restarted mid fan-out', () => {
  const group = new ProcessGroup();
  const prefix = testPrefix();
  let nats: NatsNode;
  let scene: FanOutScene;

  beforeAll(async () => {
    nats = await startNatsServer(group);
    scene = await FanOutScene.start({ subscriptions: SUBSCRIPTIONS, delayMs: 10 });
  });

  afterAll(async () => {
    await group.cleanup();
    await nats?.remove(); // the stream lives in its store directory
    await scene?.close();
  });

  it('kill -9 of nats-server while jobs are published and sent, back after 3 s on the same store: everything is delivered once', () =>
    group.printLogsOnFailure(async () => {
      const port = await freePort();
      const env = appEnv({ DATABASE_URL: scene.database.runtimeUrl, NATS_URL: nats.url, NATS_PREFIX: prefix }, { PORT: String(port) });
      const apps = await Promise.all([startApp(group, 'api', env), startApp(group, 'dispatcher', env), startApp(group, 'courier', env)]);

      const started = Date.now();
      const noticeId = await publishNotice(`http://127.0.0.1:${port}`, scene.seeded.issuer);
      // Kill once the jobs are stored and the courier is a third of the way through them: a job names
      // up to 64 deliveries, so publishing is over in moments and the kill lands on jobs in flight.
      let jobsStored = 0;
      await withNats(nats.url, async (nc) => {
        const jsm = await nc.jetstreamManager();
        await waitUntil(
          async () => {
            jobsStored = Number((await jsm.streams.info(workStreamName(prefix))).state.last_seq) - 1;
            return jobsStored > 0 && scene.fleet.count >= SUBSCRIPTIONS / 3;
          },
          45_000,
          'the courier to be a third of the way through the jobs',
          5,
        );
      });
      await nats.kill();
      const atKill = { ms: Date.now() - started, jobsStoredBeforeKill: jobsStored, requests: scene.fleet.count, ...(await deliveryCounts(scene.db, noticeId)) };
      expect(atKill.delivered).toBeLessThan(SUBSCRIPTIONS);

      await sleep(OUTAGE_MS);
      const duringOutage = { requests: scene.fleet.count, ...(await deliveryCounts(scene.db, noticeId)) };
      await nats.start();

      const done = await waitForAllDelivered(scene.db, noticeId, SUBSCRIPTIONS, 120_000);
      const report = await verifyFanOut(scene.db, scene.fleet, noticeId, scene.seeded);
      // No app gave up on the broker: all three are still running.
      expect(apps.map((a) => a.running)).toEqual([true, true, true]);
      // eslint-disable-next-line no-console
      console.log(
        `nats-restart: at kill ${JSON.stringify(atKill)}; after ${OUTAGE_MS} ms outage ${JSON.stringify(duringOutage)}; ` +
          `all ${done.delivered} delivered after ${Date.now() - started} ms; webhooks ${JSON.stringify(report)}`,
      );
    }));
});
