import type { INestMicroservice } from '@nestjs/common';
import { JetStreamPublisher, JetStreamServer, Subjects } from '@sne/messaging';
import { NatsTestServer, natsServerAvailable } from './support/nats-test-server';
import { randomPrefix, waitFor } from './support/wait-for';
import { startWorkApp } from './support/work-test-app';

// Needs its own nats-server binary to kill and restart; the shared server must not be touched.
const describeWithServer = natsServerAvailable ? describe : describe.skip;

describeWithServer('JetStream transport across a NATS server restart', () => {
  const prefix = randomPrefix();
  let nats: NatsTestServer;
  let server: JetStreamServer;
  let app: INestMicroservice;
  let publisher: JetStreamPublisher;
  const handled: string[] = [];
  const statuses: string[] = [];
  let reconnects = 0;

  beforeAll(async () => {
    nats = await NatsTestServer.start();
    server = new JetStreamServer({
      servers: nats.url,
      prefix,
      consumers: [{ subject: Subjects.deliveryJobs, durable: 'courier', concurrency: 4, ackWaitMs: 1000 }],
    });
    server.status.subscribe((s) => statuses.push(s));
    server.on('reconnect', () => reconnects++);
    app = await startWorkApp(server, (data) => {
      handled.push(data.deliveryId);
    });
    publisher = new JetStreamPublisher({ servers: nats.url, prefix });
    await publisher.connect();
  });

  afterAll(async () => {
    await app?.close();
    await publisher?.close();
    // The store directory (and with it the stream) goes with the server.
    await nats?.stop();
  });

  const publish = (tag: string, n: number) =>
    publisher.publishMany(
      Array.from({ length: n }, (_, i) => ({ subject: Subjects.deliveryJobs, payload: { deliveryId: `${tag}-${i}` }, msgId: `${tag}-${i}` })),
    );

  it('keeps consuming after the server is killed and restarted on the same store', async () => {
    await publish('before', 5);
    await waitFor(() => handled.length >= 5, 'messages before the crash');

    await nats.kill();
    await waitFor(async () => !(await publisher.isReady()), 'the publisher to report not ready');
    await waitFor(() => statuses.includes('disconnected'), 'the server to report the disconnect');

    await nats.boot();
    await waitFor(() => publisher.isReady(), 'the publisher to reconnect', 30_000);
    await waitFor(() => reconnects > 0, 'the server to reconnect', 30_000);
    expect(statuses[statuses.length - 1]).toBe('connected');

    await publish('after', 5);
    await waitFor(() => handled.filter((id) => id.startsWith('after-')).length >= 5, 'messages after the restart', 30_000);
    expect(new Set(handled).size).toBe(10);
  });
});
