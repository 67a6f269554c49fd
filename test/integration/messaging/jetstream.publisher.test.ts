import { connect, NatsConnection } from 'nats';
import { deleteWorkStream, ensureWorkStream, JetStreamPublisher, OutgoingMessage, Subjects, workStreamName } from '@sne/messaging';
import { NATS_TEST_URL, randomPrefix } from './support/wait-for';

const prefix = randomPrefix();
let nc: NatsConnection;
let publisher: JetStreamPublisher;

async function streamInfo() {
  const jsm = await nc.jetstreamManager();
  return jsm.streams.info(workStreamName(prefix));
}

async function purge() {
  const jsm = await nc.jetstreamManager();
  await jsm.streams.purge(workStreamName(prefix));
}

beforeAll(async () => {
  nc = await connect({ servers: NATS_TEST_URL });
  publisher = new JetStreamPublisher({ servers: NATS_TEST_URL, prefix });
});

afterAll(async () => {
  await publisher.close();
  await deleteWorkStream(NATS_TEST_URL, prefix);
  await nc.close();
});

beforeEach(async () => {
  await publisher.connect();
  await purge();
});

it('creates the work stream on connect with work-queue retention, file storage and a 2-minute duplicate window', async () => {
  const { config } = await streamInfo();
  expect(config.subjects).toEqual([`${prefix}.>`]);
  expect(config.retention).toBe('workqueue');
  expect(config.storage).toBe('file');
  expect(config.duplicate_window).toBe(120 * 1e9);
  expect(config.num_replicas).toBe(1);
  // Idempotent: ensuring again (as every process does at start-up) changes nothing.
  await ensureWorkStream(await nc.jetstreamManager(), prefix);
  expect((await streamInfo()).config.duplicate_window).toBe(120 * 1e9);
});

it('stores a message published twice with the same msgId once', async () => {
  const message: OutgoingMessage = { subject: Subjects.deliveryJobs, payload: { deliveryId: 'd-1' }, msgId: 'd-1' };
  await publisher.publish(message);
  await publisher.publish(message);
  await publisher.publishMany([message, { ...message, payload: { deliveryId: 'changed' } }]);
  expect((await streamInfo()).state.messages).toBe(1);

  const stored = await (await nc.jetstreamManager()).streams.getMessage(workStreamName(prefix), { seq: (await streamInfo()).state.first_seq });
  expect(stored.subject).toBe(`${prefix}.delivery.jobs`);
  expect(stored.header.get('Nats-Msg-Id')).toBe('d-1');
  expect(stored.json()).toEqual({ deliveryId: 'd-1' });
});

it('publishes 10,000 messages with publishMany, every one stored', async () => {
  const messages: OutgoingMessage[] = Array.from({ length: 10_000 }, (_, i) => ({
    subject: i % 2 ? Subjects.deliveryJobs : Subjects.noticeEvents,
    payload: { deliveryId: `bulk-${i}` },
    msgId: `bulk-${i}`,
  }));
  await publisher.publishMany(messages);
  expect((await streamInfo()).state.messages).toBe(10_000);
});

it('rejects publishMany when a message cannot be stored', async () => {
  const bad = new JetStreamPublisher({ servers: NATS_TEST_URL, prefix });
  await bad.connect();
  // A subject outside the stream: nothing captures it, so there is no PubAck.
  const stray = { subject: '..invalid' as never, payload: {}, msgId: 'stray' };
  await expect(bad.publishMany([{ subject: Subjects.deliveryJobs, payload: {}, msgId: 'fine' }, stray])).rejects.toThrow();
  await bad.close();
});

it('reports readiness while connected, and not after close', async () => {
  const probe = new JetStreamPublisher({ servers: NATS_TEST_URL, prefix });
  expect(await probe.isReady()).toBe(true);
  await probe.close();
  expect(await probe.isReady()).toBe(false);
});

it('fails to connect (instead of hanging) when no server answers', async () => {
  const nowhere = new JetStreamPublisher({ servers: 'nats://127.0.0.1:1', prefix });
  await expect(nowhere.publish({ subject: Subjects.deliveryJobs, payload: {}, msgId: 'x' })).rejects.toThrow();
  expect(await nowhere.isReady()).toBe(false);
  await nowhere.close();
});
