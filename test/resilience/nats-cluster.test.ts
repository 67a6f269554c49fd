/**
 * A 3-node NATS cluster (test-owned nats-server processes on loopback) with the work stream
 * replicated three times (NATS_REPLICAS=3). The node leading the stream is killed (`kill -9`)
 * while the dispatcher publishes the jobs of a fan-out to 1,000 webhook subscribers and the
 * courier sends them. The remaining two nodes keep quorum: nothing is lost, every subscription
 * is delivered once, repeated webhooks carry the same webhook-id.
 */
import { workStreamName } from '@sne/messaging';
import { testPrefix } from '../support/test-database';
import { deliveryCounts, FanOutScene, publishNotice, verifyFanOut, waitForAllDelivered } from './support/fan-out';
import { NatsNode, natsServerAvailable, startNatsCluster, withNats } from './support/nats';
import { appEnv, freePort, ProcessGroup, startApp, waitUntil } from './support/processes';

jest.setTimeout(180_000);

const SUBSCRIPTIONS = 1000;

(natsServerAvailable ? describe : describe.skip)('resilience: NATS cluster node killed mid fan-out', () => {
  const group = new ProcessGroup();
  const prefix = testPrefix();
  let nodes: NatsNode[] = [];
  let scene: FanOutScene;

  beforeAll(async () => {
    nodes = await startNatsCluster(group, 3);
    scene = await FanOutScene.start({ subscriptions: SUBSCRIPTIONS, delayMs: 30 });
  });

  afterAll(async () => {
    await group.cleanup();
    await Promise.all(nodes.map((n) => n.remove())); // streams live in the nodes' store directories
    await scene?.close();
  });

  it('kill -9 of the stream leader while jobs are published and sent: nothing is lost', () =>
    group.printLogsOnFailure(async () => {
      const servers = nodes.map((n) => n.url).join(',');
      const stream = workStreamName(prefix);
      const port = await freePort();
      const env = appEnv({ DATABASE_URL: scene.database.runtimeUrl, NATS_URL: servers, NATS_PREFIX: prefix }, { PORT: String(port), NATS_REPLICAS: '3' });
      const apps = await Promise.all([startApp(group, 'api', env), startApp(group, 'dispatcher', env), startApp(group, 'courier', env)]);

      const before = await withNats(servers, async (nc) => (await (await nc.jetstreamManager()).streams.info(stream)));
      expect(before.config.num_replicas).toBe(3);
      expect(before.cluster?.replicas?.length).toBe(2);

      const started = Date.now();
      const noticeId = await publishNotice(`http://127.0.0.1:${port}`, scene.seeded.issuer);
      // Find the stream leader and wait until the courier is sending.
      const { leader, jobsStored } = await withNats(servers, async (nc) => {
        const jsm = await nc.jetstreamManager();
        return waitUntil(
          async () => {
            const info = await jsm.streams.info(stream);
            const jobs = Number(info.state.last_seq) - 1;
            // A job names up to 64 deliveries: once they are stored, kill while the courier is mid-way through them.
            return jobs > 0 && scene.fleet.count >= SUBSCRIPTIONS / 5 && { leader: info.cluster!.leader!, jobsStored: jobs };
          },
          45_000,
          'the jobs to be stored and a fifth of them sent',
          5,
        );
      });
      const victim = nodes.find((n) => n.name === leader)!;
      expect(victim).toBeDefined();
      await victim.kill();
      const atKill = { ms: Date.now() - started, leader, jobsStored, requests: scene.fleet.count, ...(await deliveryCounts(scene.db, noticeId)) };
      expect(atKill.delivered).toBeLessThan(SUBSCRIPTIONS);

      const survivors = nodes.filter((n) => n !== victim).map((n) => n.url).join(',');
      const newLeader = await waitUntil(
        () => withNats(survivors, async (nc) => (await (await nc.jetstreamManager()).streams.info(stream)).cluster?.leader),
        30_000,
        'a new stream leader',
        250,
      );
      expect(newLeader).not.toBe(leader);

      const done = await waitForAllDelivered(scene.db, noticeId, SUBSCRIPTIONS, 120_000);
      const report = await verifyFanOut(scene.db, scene.fleet, noticeId, scene.seeded);
      // No app gave up on the broker: all three are still running.
      expect(apps.map((a) => a.running)).toEqual([true, true, true]);
      // eslint-disable-next-line no-console
      console.log(
        `nats-cluster: at kill ${JSON.stringify(atKill)}; new leader ${newLeader}; ` +
          `all ${done.delivered} delivered after ${Date.now() - started} ms; webhooks ${JSON.stringify(report)}`,
      );
    }));
});
