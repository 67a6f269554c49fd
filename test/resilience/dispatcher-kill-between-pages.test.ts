/**
 * The dispatcher is killed (`kill -9`) between the pages of a first fan-out: some pages of
 * agencies are committed (and their jobs sent), the rest do not exist yet, and the notice event is
 * unacknowledged. A restarted dispatcher gets the event again after the consumer's ack wait, finds
 * the committed pages and writes the rest whole. Every subscription is delivered once, every agency
 * has one acknowledgment, no row is duplicated and repeated webhooks carry the same webhook-id.
 */
import { NATS_URL } from '../support/stack';
import { testPrefix } from '../support/test-database';
import { deleteWorkStream } from '@sne/messaging';
import { deliveryCounts, FanOutScene, publishNotice, verifyFanOut, waitForAllDelivered } from './support/fan-out';
import { appEnv, freePort, ProcessGroup, startApp, waitUntil } from './support/processes';

jest.setTimeout(180_000);

const SUBSCRIPTIONS = 3000;
const AGENCIES = SUBSCRIPTIONS / 2;
const PAGE = 150;

describe('resilience: dispatcher killed between the pages of a fan-out', () => {
  const group = new ProcessGroup();
  const prefix = testPrefix();
  let scene: FanOutScene;

  beforeAll(async () => {
    scene = await FanOutScene.start({ subscriptions: SUBSCRIPTIONS, delayMs: 5 });
  });

  afterAll(async () => {
    await group.cleanup();
    await scene?.close();
    await deleteWorkStream(NATS_URL, prefix).catch(() => undefined);
  });

  it('kill -9 after some pages: the redelivered event writes the rest, and every subscription is delivered once', () =>
    group.printLogsOnFailure(async () => {
      const port = await freePort();
      // Pages of one size (no quick first page), so whole pages at the kill are multiples of PAGE.
      const env = appEnv({ DATABASE_URL: scene.database.runtimeUrl, NATS_URL, NATS_PREFIX: prefix, FAN_OUT_PAGE_AGENCIES: String(PAGE), FAN_OUT_FIRST_PAGE_AGENCIES: '0' }, { PORT: String(port) });
      const [api, dispatcher, courier] = await Promise.all([
        startApp(group, 'api', env),
        startApp(group, 'dispatcher', env, 'dispatcher #1'),
        startApp(group, 'courier', env),
      ]);
      const started = Date.now();
      const noticeId = await publishNotice(`http://127.0.0.1:${port}`, scene.seeded.issuer);
      const acknowledgments = async () =>
        Number((await scene.db.query(`SELECT count(*)::int AS n FROM acknowledgments WHERE notice_id = $1`, [noticeId]))[0].n);
      await waitUntil(async () => (await acknowledgments()) > 0, 60_000, 'the first page to commit', 5);
      await dispatcher.kill('SIGKILL');
      const atKill = { ms: Date.now() - started, acknowledgments: await acknowledgments(), requests: scene.fleet.count, ...(await deliveryCounts(scene.db, noticeId)) };
      // eslint-disable-next-line no-console
      console.log(`dispatcher-kill-between-pages: at kill ${JSON.stringify(atKill)}`);
      // Whole pages only, and not all of them.
      expect(atKill.acknowledgments % PAGE).toBe(0);
      expect(atKill.acknowledgments).toBeLessThan(AGENCIES);
      expect(atKill.total).toBe(atKill.acknowledgments * 2);

      const dispatcher2 = await startApp(group, 'dispatcher', env, 'dispatcher #2');
      const done = await waitForAllDelivered(scene.db, noticeId, SUBSCRIPTIONS, 120_000);
      const report = await verifyFanOut(scene.db, scene.fleet, noticeId, scene.seeded);
      expect([api.running, dispatcher2.running, courier.running]).toEqual([true, true, true]);
      // eslint-disable-next-line no-console
      console.log(`dispatcher-kill-between-pages: all ${done.delivered} delivered after ${Date.now() - started} ms; webhooks ${JSON.stringify(report)}`);
    }));
});
