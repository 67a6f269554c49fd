/**
 * The fan-out hands the courier one job per endpoint naming many deliveries. Whatever each named
 * delivery's state, the job ends right: fresh ones are sent once, a failing one is retried on
 * its own schedule with the same webhook-id, and naming delivered or unknown deliveries again
 * sends nothing. Checked in order of events (the consumer drained), never by a stopwatch.
 */
import { randomUUID } from 'node:crypto';
import { connect } from 'nats';
import { durableName, Subjects, workStreamName, workSubject } from '@sne/messaging';
import { startWebhookReceiver, WebhookReceiver } from '../support/webhook-receiver';
import { NATS_URL, startStack, Stack } from '../support/stack';
import { apiClient, createAgency, createTopics, eventually, publishAdvisory, TestAgency } from '../support/fixtures';

describe('jobs that name many deliveries', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  let call: ReturnType<typeof apiClient>;
  let issuer: TestAgency;
  const paths = ['/m/1', '/m/2', '/m/3', '/m/4', '/m/5', '/m/flaky'];

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    stack = await startStack({ RETRY_SCHEDULE: '200ms,400ms' });
    call = apiClient(stack.url);
    await createTopics(stack.db, ['safe-sleep']);
    issuer = await createAgency(stack.db, { name: 'Issuer' });
    for (const path of paths) await subscribe(path);
    receiver.respond('/m/flaky', [500, 200]);
  });

  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });

  async function subscribe(path: string) {
    const agency = await createAgency(stack.db, { name: `Endpoint ${path}` });
    const sub = await call('POST', '/api/v1/subscriptions', {
      key: agency.keys.agency_admin,
      body: { name: path, topicPatterns: ['safe-sleep'], channel: 'webhook', webhookUrl: receiver.url(path) },
    });
    receiver.setSecret(path, sub.body.signingSecret);
  }

  const publish = (title: string) => publishAdvisory(call, issuer, title);

  const deliveries = async (noticeId: string): Promise<{ id: string; status: string; attempt_count: number; target_url: string }[]> =>
    stack.db.query(`SELECT id, status, attempt_count, target_url FROM deliveries WHERE notice_id = $1 ORDER BY target_url`, [noticeId]);

  /** Every job handed to the courier has been acknowledged: nothing pending, nothing in flight. */
  async function courierDrained(): Promise<void> {
    const nc = await connect({ servers: NATS_URL });
    try {
      const jsm = await nc.jetstreamManager();
      const stream = workStreamName(stack.config.natsPrefix);
      const durable = durableName(stack.config.natsPrefix, 'courier');
      await eventually(async () => {
        const info = await jsm.consumers.info(stream, durable);
        return info.num_pending === 0 && info.num_ack_pending === 0;
      }, 20000, 'the courier consumer drained');
    } finally {
      await nc.close();
    }
  }

  let first: string;

  it('one job carries the endpoint\'s deliveries: each sent once, the failing one retried with its own webhook-id', async () => {
    // Every job published is seen on its subject, whatever the stream keeps after it is acknowledged.
    const nc = await connect({ servers: NATS_URL });
    const jobs: { deliveryIds?: string[]; deliveryId?: string }[] = [];
    const sub = nc.subscribe(workSubject(stack.config.natsPrefix, Subjects.deliveryJobs), { callback: (_e, m) => jobs.push(m.json()) });
    first = await publish('Many to one endpoint');
    const rows = await eventually(async () => {
      const r = await deliveries(first);
      return r.length === paths.length && r.every((d) => d.status === 'delivered') && r;
    }, 20000, 'every delivery of the first notice');
    const flaky = rows.find((d) => d.target_url.endsWith('/m/flaky'))!;
    expect(flaky.attempt_count).toBe(2);
    expect(rows.filter((d) => d !== flaky).every((d) => d.attempt_count === 1)).toBe(true);
    const requests = receiver.requests.filter((r) => rows.some((d) => d.id === r.headers['webhook-id']));
    expect(requests).toHaveLength(paths.length + 1);
    for (const d of rows) {
      const mine = requests.filter((r) => r.headers['webhook-id'] === d.id);
      expect(mine.map((r) => r.path)).toEqual(d === flaky ? ['/m/flaky', '/m/flaky'] : [new URL(d.target_url).pathname]);
      expect(mine.every((r) => r.verified)).toBe(true);
    }
    // The fan-out published one job naming all six (they share one origin), not six.
    await nc.flush();
    sub.unsubscribe();
    await nc.close();
    const many = jobs.filter((j) => j.deliveryIds?.some((id) => rows.some((d) => d.id === id)));
    expect(many).toHaveLength(1);
    expect([...many[0].deliveryIds!].sort()).toEqual(rows.map((d) => d.id).sort());
  });

  it('a job naming delivered and unknown deliveries sends nothing and is acknowledged', async () => {
    const rows = await deliveries(first);
    const before = receiver.requests.length;
    await stack.deps.publisher.publish({
      subject: Subjects.deliveryJobs,
      payload: { deliveryIds: [...rows.map((d) => d.id), randomUUID()], endpoint: new URL(rows[0].target_url).origin },
      msgId: `test-replay:${randomUUID()}`,
    });
    await courierDrained();
    expect(receiver.requests.length).toBe(before);
    expect((await deliveries(first)).map((d) => [d.status, d.attempt_count])).toEqual(rows.map((d) => [d.status, d.attempt_count]));
  });
});
