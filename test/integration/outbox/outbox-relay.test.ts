import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { connect, JetStreamManager, NatsConnection } from 'nats';
import { DataSource } from 'typeorm';
import { createDataSource, enqueue, OutboxRelay } from '@sne/core';
import {
  ClosableWorkPublisher,
  createWorkPublisher,
  deleteWorkStream,
  OutgoingMessage,
  Subjects,
  WorkPublisher,
  workStreamName,
  workSubject,
} from '@sne/messaging';
import { createTestDatabase, testPrefix } from '../../support/test-database';

/**
 * The transactional outbox against the real PostgreSQL and the real JetStream: only committed rows
 * go out, each once, with Nats-Msg-Id = outbox id, so a crash between publish and mark is absorbed
 * by the stream's duplicate window; replicas draining at once share rows (FOR UPDATE SKIP LOCKED).
 */

const NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

const prefix = testPrefix();
const stream = workStreamName(prefix);
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let dataSource: DataSource;
let publisher: ClosableWorkPublisher;
let nc: NatsConnection;
let jsm: JetStreamManager;

interface StoredMessage {
  seq: number;
  subject: string;
  msgId: string | undefined;
  payload: unknown;
}

async function streamCount(): Promise<number> {
  return (await jsm.streams.info(stream)).state.messages;
}

/** Every message the stream holds, read back one by one by sequence. */
async function storedMessages(): Promise<StoredMessage[]> {
  const { state } = await jsm.streams.info(stream);
  const out: StoredMessage[] = [];
  if (state.messages === 0) return out;
  for (let seq = state.first_seq; seq <= state.last_seq; seq++) {
    const m = await jsm.streams.getMessage(stream, { seq });
    out.push({ seq: m.seq, subject: m.subject, msgId: m.header?.get('Nats-Msg-Id'), payload: m.json() });
  }
  return out;
}

/** A publisher that records which msgIds it was asked to publish, optionally held at a gate first. */
function recording(inner: WorkPublisher, gate?: () => Promise<void>) {
  const published: string[] = [];
  const publisherView: WorkPublisher = {
    async publish(m: OutgoingMessage) {
      published.push(m.msgId);
      await inner.publish(m);
    },
    async publishMany(ms: OutgoingMessage[]) {
      if (gate) await gate();
      published.push(...ms.map((m) => m.msgId));
      await inner.publishMany(ms);
    },
    isReady: () => inner.isReady(),
  };
  return { publisher: publisherView, published };
}

async function outboxRows(): Promise<{ id: string; subject: string; payload: any; sent_at: Date | null }[]> {
  return dataSource.query(`SELECT id, subject, payload, sent_at FROM outbox ORDER BY seq`);
}

beforeAll(async () => {
  Logger.overrideLogger(['error']);
  database = await createTestDatabase();
  dataSource = createDataSource(database.url, { poolSize: 10, applicationName: 'sne-outbox-test' });
  await dataSource.initialize();
  publisher = createWorkPublisher({ natsUrl: NATS_URL, prefix });
  // Connect (and create the stream) before the first test reads it.
  await publisher.isReady();
  nc = await connect({ servers: NATS_URL });
  jsm = await nc.jetstreamManager();
});

afterAll(async () => {
  await publisher?.close();
  await nc?.close();
  await deleteWorkStream(NATS_URL, prefix);
  await dataSource?.destroy();
  await database?.drop();
});

beforeEach(async () => {
  await dataSource.query(`TRUNCATE outbox`);
  await jsm.streams.purge(stream);
});

it('publishes exactly the committed rows, with Nats-Msg-Id = outbox id, marks them sent, and publishes nothing twice', async () => {
  const committed = await dataSource.transaction(async (m) => [
    await enqueue(m, Subjects.noticeEvents, { type: 'notice.published', noticeId: 'n-1' }),
    await enqueue(m, Subjects.deliveryJobs, { deliveryId: 'd-1' }),
    await enqueue(m, Subjects.deliveryJobs, { deliveryId: 'd-2' }),
  ]);
  await expect(
    dataSource.transaction(async (m) => {
      await enqueue(m, Subjects.noticeEvents, { type: 'notice.published', noticeId: 'rolled-back' });
      throw new Error('roll back');
    }),
  ).rejects.toThrow('roll back');
  expect((await outboxRows()).map((r) => r.id)).toEqual(committed);
  expect(await streamCount()).toBe(0);

  const relay = new OutboxRelay(dataSource, publisher, database.url);
  expect(await relay.drain()).toBe(3);

  const stored = await storedMessages();
  expect(stored).toHaveLength(3);
  expect(stored.map((m) => m.msgId).sort()).toEqual([...committed].sort());
  const byId = new Map(stored.map((m) => [m.msgId, m]));
  expect(byId.get(committed[0])).toMatchObject({
    subject: workSubject(prefix, Subjects.noticeEvents),
    payload: { type: 'notice.published', noticeId: 'n-1' },
  });
  expect(byId.get(committed[1])).toMatchObject({ subject: workSubject(prefix, Subjects.deliveryJobs), payload: { deliveryId: 'd-1' } });
  expect(byId.get(committed[2])).toMatchObject({ subject: workSubject(prefix, Subjects.deliveryJobs), payload: { deliveryId: 'd-2' } });
  expect(stored.some((m) => JSON.stringify(m.payload).includes('rolled-back'))).toBe(false);

  const rows = await outboxRows();
  expect(rows.every((r) => r.sent_at instanceof Date)).toBe(true);

  // A second pass finds nothing to send.
  const recorder = recording(publisher);
  const second = new OutboxRelay(dataSource, recorder.publisher, database.url);
  expect(await second.drain()).toBe(0);
  expect(recorder.published).toEqual([]);
  expect(await streamCount()).toBe(3);
});

it('a crash between publish and mark re-publishes with the same msgIds, and the stream keeps one copy', async () => {
  const ids = await dataSource.transaction(async (m) => [
    await enqueue(m, Subjects.deliveryJobs, { deliveryId: 'c-1' }),
    await enqueue(m, Subjects.deliveryJobs, { deliveryId: 'c-2' }),
    await enqueue(m, Subjects.deliveryJobs, { deliveryId: 'c-3' }),
  ]);
  const relay = new OutboxRelay(dataSource, publisher, database.url);
  expect(await relay.drain()).toBe(3);
  expect(await streamCount()).toBe(3);

  // The process died after the PubAcks but before its UPDATE committed: the rows are unsent again.
  await dataSource.query(`UPDATE outbox SET sent_at = NULL`);
  const recorder = recording(publisher);
  const restarted = new OutboxRelay(dataSource, recorder.publisher, database.url);
  expect(await restarted.drain()).toBe(3);
  expect([...recorder.published].sort()).toEqual([...ids].sort());
  expect(await streamCount()).toBe(3);
  expect((await storedMessages()).map((m) => m.msgId).sort()).toEqual([...ids].sort());
  expect((await outboxRows()).every((r) => r.sent_at instanceof Date)).toBe(true);

  // And the same messages published straight through the publisher are dropped too.
  const rows = await outboxRows();
  await publisher.publishMany(rows.map((r) => ({ subject: r.subject as never, payload: r.payload, msgId: r.id })));
  expect(await streamCount()).toBe(3);
});

it('two relays draining at once on 200 rows publish each row once: the second skips the rows the first has locked', async () => {
  const ids: string[] = (
    await dataSource.query(
      `INSERT INTO outbox (subject, payload)
       SELECT $1, jsonb_build_object('deliveryId', 'bulk-' || i) FROM generate_series(1, 200) i RETURNING id`,
      [Subjects.deliveryJobs],
    )
  ).map((r: { id: string }) => r.id);

  // A second replica: its own pool, as another process would have.
  const other = createDataSource(database.url, { poolSize: 4, applicationName: 'sne-outbox-test-b' });
  await other.initialize();
  const probe = new Client({ connectionString: database.url });
  await probe.connect();
  try {
    // Relay A claims its batch and is held before publishing, until relay B has finished its pass
    // (or is seen blocked on A's row locks, which would mean the claim does not skip locked rows).
    let bSettled = false;
    let bBlockedOnLock = false;
    let aHolding!: () => void;
    const aHasClaimed = new Promise<void>((resolve) => (aHolding = resolve));
    const gate = async () => {
      aHolding();
      while (!bSettled) {
        const { rows } = await probe.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        if (rows[0].n > 0) {
          bBlockedOnLock = true;
          return;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    const a = recording(publisher, gate);
    const b = recording(publisher);
    const relayA = new OutboxRelay(dataSource, a.publisher, database.url);
    const relayB = new OutboxRelay(other, b.publisher, database.url);

    const drainA = relayA.drain();
    await aHasClaimed;
    const drainB = relayB.drain().finally(() => (bSettled = true));
    const [sentA, sentB] = await Promise.all([drainA, drainB]);

    expect(bBlockedOnLock).toBe(false);
    expect(sentA + sentB).toBe(200);
    const published = [...a.published, ...b.published];
    expect(published).toHaveLength(200);
    expect(new Set(published).size).toBe(200);
    expect([...published].sort()).toEqual([...ids].sort());
    expect(await streamCount()).toBe(200);
    expect(await dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`)).toEqual([{ n: 0 }]);
  } finally {
    await probe.end();
    await other.destroy();
  }
});

it('two relays racing freely over 200 rows still publish each row exactly once', async () => {
  await dataSource.query(
    `INSERT INTO outbox (subject, payload) SELECT $1, jsonb_build_object('deliveryId', 'race-' || i) FROM generate_series(1, 200) i`,
    [Subjects.deliveryJobs],
  );
  const a = recording(publisher);
  const b = recording(publisher);
  const [sentA, sentB] = await Promise.all([
    new OutboxRelay(dataSource, a.publisher, database.url).drain(),
    new OutboxRelay(dataSource, b.publisher, database.url).drain(),
  ]);
  expect(sentA + sentB).toBe(200);
  const published = [...a.published, ...b.published];
  expect(new Set(published).size).toBe(published.length);
  expect(published).toHaveLength(200);
  expect(await streamCount()).toBe(200);
});
