/**
 * A worker started while its NATS cluster is still forming (test-owned nats-server processes on
 * loopback): one node of three is up, so JetStream has no meta leader and its API answers with
 * timeouts and "temporarily unavailable". The worker must wait for the cluster, not exit, and
 * consume once the other two nodes join. Before this was handled, a start-up that met a JetStream
 * API timeout failed ("failed to start", exit 1).
 */
import type { INestMicroservice } from '@nestjs/common';
import { JetStreamPublisher, JetStreamServer, Subjects, workStreamName } from '@sne/messaging';
import { testPrefix } from '../support/test-database';
import { startWorkApp } from '../integration/messaging/support/work-test-app';
import { natsClusterNodes, NatsNode, natsServerAvailable, waitForJetStream, withNats } from './support/nats';
import { ProcessGroup, waitUntil } from './support/processes';

jest.setTimeout(120_000);

/** The nats.js JetStream API timeout: a start-up that did not retry would have failed by now. */
const API_TIMEOUT_MS = 5_000;

(natsServerAvailable ? describe : describe.skip)('resilience: a worker started before its NATS cluster has formed', () => {
  const group = new ProcessGroup();
  const prefix = testPrefix();
  let nodes: NatsNode[] = [];
  let publisher: JetStreamPublisher | undefined;
  let server: JetStreamServer | undefined;

  afterAll(async () => {
    await server?.close();
    await publisher?.close();
    await group.cleanup();
    await Promise.all(nodes.map((n) => n.remove()));
  });

  it('waits for the cluster, then creates its replicated stream and consumer and consumes', () =>
    group.printLogsOnFailure(async () => {
      nodes = await natsClusterNodes(group, 3);
      const servers = nodes.map((n) => n.url).join(',');
      await nodes[0].start();

      const received: unknown[] = [];
      server = new JetStreamServer({
        servers: nodes[0].url,
        prefix,
        replicas: 3,
        consumers: [{ subject: Subjects.deliveryJobs, durable: 'courier', concurrency: 4, ackWaitMs: 5_000 }],
      });
      let outcome: 'pending' | 'started' | Error = 'pending';
      const starting: Promise<INestMicroservice> = startWorkApp(server, (data) => received.push(data));
      starting.then(
        () => (outcome = 'started'),
        (err: Error) => (outcome = err),
      );

      // Well past one API timeout with no meta leader: the worker is still waiting, not failed.
      await new Promise((resolve) => setTimeout(resolve, API_TIMEOUT_MS + 2_000));
      expect(outcome).toBe('pending');

      await Promise.all(nodes.slice(1).map((n) => n.start()));
      await waitForJetStream(servers, 60_000);
      const app = await starting;
      expect(outcome).toBe('started');

      const info = await withNats(servers, async (nc) => (await nc.jetstreamManager()).streams.info(workStreamName(prefix)));
      expect(info.config.num_replicas).toBe(3);

      publisher = new JetStreamPublisher({ servers, prefix, replicas: 3 });
      await publisher.publish({ subject: Subjects.deliveryJobs, payload: { deliveryId: 'after-forming' }, msgId: 'after-forming' });
      await waitUntil(() => received.length > 0, 30_000, 'the job to be consumed', 50);
      expect(received).toEqual([{ deliveryId: 'after-forming' }]);
      await app.close();
      server = undefined;
    }));
});
