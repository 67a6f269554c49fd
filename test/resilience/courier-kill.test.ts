/**
 * Scenario 4: the delivery worker is killed (`kill -9`) in the middle of a fan-out to 2,000
 * webhook subscribers. A new courier finishes the work: every subscription is delivered, there
 * is one delivery row per subscription and one acknowledgment per agency, and any webhook sent
 * twice carries the same webhook-id. The apps run as child processes (built JS) on the shared
 * PostgreSQL and NATS, in a database and stream prefix of this test's own.
 */
import { deleteWorkStream } from '@sne/messaging';
import { NATS_URL } from '../support/stack';
import { testPrefix } from '../support/test-database';
import { deliveryCounts, FanOutScene, publishNotice, verifyFanOut, waitForAllDelivered } from './support/fan-out';
import { appEnv, freePort, ProcessGroup, startApp } from './support/processes';

jest.setTimeout(180_000);

const SUBSCRIPTIONS = 2000;

describe('resilience: courier killed mid fan-out', () => {
  const group = new ProcessGroup();
  const prefix = testPrefix();
  let scene: FanOutScene;

  beforeAll(async () => {
    scene = await FanOutScene.start({ subscriptions: SUBSCRIPTIONS, delayMs: 30 });
  });

  afterAll(async () => {
    await group.cleanup();
    await scene?.close();
    await deleteWorkStream(NATS_URL, prefix).catch(() => undefined);
  });

  it('kill -9 of the courier at ~30% delivered: a new courier delivers every subscription once, same webhook-ids', () =>
    group.printLogsOnFailure(async () => {
      const port = await freePort();
      const env = appEnv({ DATABASE_URL: scene.database.runtimeUrl, NATS_URL, NATS_PREFIX: prefix }, { PORT: String(port) });
      const [api, dispatcher, courier] = await Promise.all([
        startApp(group, 'api', env),
        startApp(group, 'dispatcher', env),
        startApp(group, 'courier', env, 'courier #1'),
      ]);

      const started = Date.now();
      const noticeId = await publishNotice(`http://127.0.0.1:${port}`, scene.seeded.issuer);
      await scene.fleet.waitForCount(Math.round(SUBSCRIPTIONS * 0.3), 45_000);
      await courier.kill('SIGKILL');
      const atKill = { requests: scene.fleet.count, ms: Date.now() - started, ...(await deliveryCounts(scene.db, noticeId)) };
      // The kill really landed mid fan-out.
      expect(atKill.delivered).toBeLessThan(SUBSCRIPTIONS);
      expect(atKill.requests).toBeLessThan(SUBSCRIPTIONS);

      const courier2 = await startApp(group, 'courier', env, 'courier #2');
      const done = await waitForAllDelivered(scene.db, noticeId, SUBSCRIPTIONS, 120_000);
      const report = await verifyFanOut(scene.db, scene.fleet, noticeId, scene.seeded);
      expect([api.running, dispatcher.running, courier2.running]).toEqual([true, true, true]);
      // eslint-disable-next-line no-console
      console.log(`courier-kill: at kill ${JSON.stringify(atKill)}; all ${done.delivered} delivered after ${Date.now() - started} ms; webhooks ${JSON.stringify(report)}`);
    }));
});
