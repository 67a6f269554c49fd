/**
 * The dispatcher is killed (`kill -9`) while it publishes the delivery jobs of a fan-out to
 * 5,000 webhook subscribers: its rows are committed, part of the jobs are in the stream, the
 * notice event is unacknowledged. A restarted dispatcher brings the rest: its sweeper re-queues
 * the pending deliveries whose jobs were never published (the unacknowledged notice event itself
 * only comes back after the dispatcher consumer's ack wait, 120 s, after this test is done). Every
 * subscription is delivered once, no delivery or acknowledgment row is duplicated, and repeated
 * webhooks carry the same webhook-id.
 */
import { connect, NatsConnection } from 'nats';
import { deleteWorkStream, workStreamName } from '@sne/messaging';
import { NATS_URL } from '../support/stack';
import { testPrefix } from '../support/test-database';
import { deliveryCounts, FanOutScene, publishNotice, verifyFanOut, waitForAllDelivered } from './support/fan-out';
import { appEnv, freePort, ProcessGroup, startApp, waitUntil } from './support/processes';

jest.setTimeout(180_000);

const SUBSCRIPTIONS = 5000;

describe('resilience: dispatcher killed mid fan-out', () => {
  const group = new ProcessGroup();
  const prefix = testPrefix();
  let scene: FanOutScene;
  let nc: NatsConnection;

  beforeAll(async () => {
    scene = await FanOutScene.start({ subscriptions: SUBSCRIPTIONS, delayMs: 5 });
    nc = await connect({ servers: NATS_URL });
  });

  afterAll(async () => {
    await group.cleanup();
    await nc?.close().catch(() => undefined);
    await scene?.close();
    await deleteWorkStream(NATS_URL, prefix).catch(() => undefined);
  });

  it('kill -9 of the dispatcher while it publishes jobs: a restarted dispatcher gets every subscription delivered once', () =>
    group.printLogsOnFailure(async () => {
      const port = await freePort();
      // One page for the whole fan-out (no quick first page either), so the kill lands where this test means it to: every row
      // committed, the jobs partly published. A kill between pages has its own test.
      const env = appEnv({ DATABASE_URL: scene.database.runtimeUrl, NATS_URL, NATS_PREFIX: prefix, FAN_OUT_PAGE_AGENCIES: String(SUBSCRIPTIONS), FAN_OUT_FIRST_PAGE_AGENCIES: '0' }, { PORT: String(port) });
      const [api, dispatcher, courier] = await Promise.all([
        startApp(group, 'api', env),
        startApp(group, 'dispatcher', env, 'dispatcher #1'),
        startApp(group, 'courier', env),
      ]);
      const jsm = await nc.jetstreamManager();
      const stream = workStreamName(prefix);
      /** Messages ever stored in the work stream (one notice event, then jobs). */
      const stored = async () => Number((await jsm.streams.info(stream)).state.last_seq);

      const started = Date.now();
      const noticeId = await publishNotice(`http://127.0.0.1:${port}`, scene.seeded.issuer);
      let rowsAt = 0;
      await waitUntil(
        async () => {
          if (!rowsAt && (await deliveryCounts(scene.db, noticeId)).total > 0) rowsAt = Date.now() - started;
          // The fan-out's rows are committed: kill now, while it publishes its jobs (a job names up to 64
          // deliveries, so there are a few dozen of them, stored within moments).
          return rowsAt > 0;
        },
        60_000,
        'the dispatcher to start publishing jobs',
        5,
      );
      await dispatcher.kill('SIGKILL');
      const atKill = { ms: Date.now() - started, rowsAt, jobsStored: (await stored()) - 1, requests: scene.fleet.count, ...(await deliveryCounts(scene.db, noticeId)) };
      // eslint-disable-next-line no-console
      console.log(`dispatcher-kill: at kill ${JSON.stringify(atKill)}`);
      expect(atKill.total).toBe(SUBSCRIPTIONS); // the fan-out rows were committed before the kill…
      expect(atKill.jobsStored).toBeLessThan(SUBSCRIPTIONS); // …and the jobs only partly published

      const dispatcher2 = await startApp(group, 'dispatcher', env, 'dispatcher #2');
      const done = await waitForAllDelivered(scene.db, noticeId, SUBSCRIPTIONS, 120_000);
      const report = await verifyFanOut(scene.db, scene.fleet, noticeId, scene.seeded);
      expect([api.running, dispatcher2.running, courier.running]).toEqual([true, true, true]);
      // eslint-disable-next-line no-console
      console.log(`dispatcher-kill: all ${done.delivered} delivered after ${Date.now() - started} ms; webhooks ${JSON.stringify(report)}`);
    }));
});
