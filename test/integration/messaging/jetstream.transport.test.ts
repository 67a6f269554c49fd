import { connect, NatsConnection } from 'nats';
import {
  ConsumerSpec,
  deleteWorkStream,
  durableName,
  JetStreamPublisher,
  JetStreamServer,
  Subjects,
  WorkGate,
  workStreamName,
  workSubject,
} from '@sne/messaging';
import { describeTransportBehaviour } from './support/transport-behaviour';
import { NATS_TEST_URL, randomPrefix, sleep, waitFor } from './support/wait-for';
import { startWorkApp } from './support/work-test-app';

const filePrefix = randomPrefix();
const prefixes: string[] = [];
let nc: NatsConnection;
let scopeCount = 0;

beforeAll(async () => {
  nc = await connect({ servers: NATS_TEST_URL });
});

afterAll(async () => {
  // Safety net: every stream this file created goes, even if a test failed before its own cleanup.
  await Promise.all(prefixes.map((p) => deleteWorkStream(NATS_TEST_URL, p)));
  await nc.close();
});

async function streamLength(prefix: string): Promise<number> {
  const jsm = await nc.jetstreamManager();
  return (await jsm.streams.info(workStreamName(prefix))).state.messages;
}

async function consumerOwes(prefix: string, durable: string): Promise<number> {
  const jsm = await nc.jetstreamManager();
  const info = await jsm.consumers.info(workStreamName(prefix), durableName(prefix, durable));
  return info.num_pending + info.num_ack_pending;
}

describeTransportBehaviour('JetStream', async () => {
  // A stream per test: a work-queue stream allows one consumer per subject, and leftovers must not leak between tests.
  const prefix = `${filePrefix}_${++scopeCount}`;
  prefixes.push(prefix);
  const publisher = new JetStreamPublisher({ servers: NATS_TEST_URL, prefix });
  await publisher.connect();
  return {
    publisher,
    server: (consumers: ConsumerSpec[], shutdownGraceMs?: number, gate?: WorkGate) =>
      new JetStreamServer({ servers: NATS_TEST_URL, prefix, consumers, shutdownGraceMs, gate }),
    stored: () => streamLength(prefix),
    outstanding: () => consumerOwes(prefix, 'courier'),
    dispose: async () => {
      await publisher.close();
      await deleteWorkStream(NATS_TEST_URL, prefix);
    },
  };
});

describe('JetStream transport specifics', () => {
  const prefix = `${filePrefix}_x`;
  let publisher: JetStreamPublisher;

  beforeAll(async () => {
    prefixes.push(prefix);
    publisher = new JetStreamPublisher({ servers: NATS_TEST_URL, prefix });
    await publisher.connect();
  });

  afterAll(async () => {
    await publisher.close();
  });

  it('terminates a message whose body is not JSON, without calling the handler', async () => {
    const calls: unknown[] = [];
    const app = await startWorkApp(
      new JetStreamServer({
        servers: NATS_TEST_URL,
        prefix,
        consumers: [{ subject: Subjects.deliveryJobs, durable: 'malformed', concurrency: 2, ackWaitMs: 1000 }],
      }),
      (data) => calls.push(data),
    );
    try {
      const js = nc.jetstream();
      await js.publish(workSubject(prefix, Subjects.deliveryJobs), 'not json {', { msgID: 'bad-1' });
      await publisher.publish({ subject: Subjects.deliveryJobs, payload: { deliveryId: 'good-1' }, msgId: 'good-1' });

      await waitFor(() => calls.length >= 1, 'the good message');
      await waitFor(async () => (await consumerOwes(prefix, 'malformed')) === 0, 'the consumer to let both go');
      await sleep(1500); // past ack wait: the bad one must not come back
      expect(calls).toEqual([{ deliveryId: 'good-1' }]);
    } finally {
      await app.close();
    }
  });

  it('refuses to listen when no handler is registered for a consumer subject', async () => {
    const server = new JetStreamServer({
      servers: NATS_TEST_URL,
      prefix,
      consumers: [{ subject: Subjects.noticeEvents, durable: 'nobody', concurrency: 1, ackWaitMs: 1000 }],
    });
    await expect(startWorkApp(server, () => undefined)).rejects.toThrow(/No @EventPattern\('notice.events'\)/);
  });
});
