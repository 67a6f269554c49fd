/**
 * A job that names deliveries to several endpoints (the fan-out packs agencies with endpoints of
 * their own together) must not make one endpoint's retry wait for another endpoint's send. One
 * notice, two agencies on two origins: A answers 500 then 200, B never answers within the webhook
 * timeout. A's second attempt must come on A's own short schedule, while B's first attempt is
 * still open, not when B's request times out. Judged by the order of events and against the
 * hanging timeout, not by a stopwatch.
 */
import { connect, NatsConnection } from 'nats';
import { durableName, Subjects, workStreamName, workSubject } from '@sne/messaging';
import { startWebhookReceiver, WebhookReceiver } from '../support/webhook-receiver';
import { NATS_URL, startStack, Stack } from '../support/stack';
import { apiClient, createAgency, createTopics, eventually, publishAdvisory, TestAgency } from '../support/fixtures';

/** B's request hangs this long before the courier gives up on it: far longer than A's retry delay (200 ms). */
const TIMEOUT_MS = 20_000;

describe('a job to several endpoints, one failing fast and one hanging', () => {
  let stack: Stack;
  let fast: WebhookReceiver;
  let hanging: WebhookReceiver;
  let call: ReturnType<typeof apiClient>;
  let issuer: TestAgency;
  let nc: NatsConnection;
  /** Every job published on the courier's subject, as seen by a plain subscriber. */
  const jobs: { deliveryId?: string; deliveryIds?: string[]; endpoints?: (string | null)[] }[] = [];
  let hangingDelivery: string | undefined;

  beforeAll(async () => {
    // Two receivers: two origins, so the fan-out packs their deliveries into one mixed job.
    fast = await startWebhookReceiver();
    hanging = await startWebhookReceiver();
    fast.respond('/a', [500, 200]);
    hanging.respond('/b', [{ status: 200, hang: true }]);
    stack = await startStack({ RETRY_SCHEDULE: '200ms,200ms,200ms', WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS) });
    call = apiClient(stack.url);
    await createTopics(stack.db, ['safe-sleep']);
    issuer = await createAgency(stack.db, { name: 'Issuer' });
    nc = await connect({ servers: NATS_URL });
    nc.subscribe(workSubject(stack.config.natsPrefix, Subjects.deliveryJobs), { callback: (_e, m) => jobs.push(m.json()) });
  });

  afterAll(async () => {
    // The hanging endpoint goes first: its open request then fails at once instead of holding the courier's shutdown.
    await hanging?.close();
    // And the mixed job ends (B's retry job stored) before the stack's publisher closes under it.
    if (hangingDelivery) await eventually(async () => jobs.some((j) => j.deliveryId === hangingDelivery), 10_000, "B's retry job").catch(() => undefined);
    await nc?.close();
    await stack?.close();
    await fast?.close();
  });

  async function subscribe(receiver: WebhookReceiver, path: string): Promise<TestAgency> {
    const agency = await createAgency(stack.db, { name: `Endpoint ${path}` });
    const sub = await call('POST', '/api/v1/subscriptions', {
      key: agency.keys.agency_admin,
      body: { name: path, topicPatterns: ['safe-sleep'], channel: 'webhook', webhookUrl: receiver.url(path) },
    });
    receiver.setSecret(path, sub.body.signingSecret);
    return agency;
  }

  const publish = (title: string) => publishAdvisory(call, issuer, title);

  it("retries the failing endpoint on its own schedule while the hanging endpoint's request is still open", async () => {
    const a = await subscribe(fast, '/a');
    const b = await subscribe(hanging, '/b');
    const noticeId = await publish('One job, two endpoints');

    const [hangingAttempt] = await hanging.waitForCount(1, (r) => r.path === '/b', 20_000);
    // Without the fix the second attempt comes only when B times out: wait past that, so the
    // assertions below (not a receiver timeout) say what went wrong.
    const [firstA, secondA] = await fast.waitForCount(2, (r) => r.path === '/a', TIMEOUT_MS + 15_000);
    const rows: { id: string; agency_id: string; status: string; attempt_count: number }[] = await stack.db.query(
      `SELECT id, agency_id, status, attempt_count FROM deliveries WHERE notice_id = $1 AND channel = 'webhook'`,
      [noticeId],
    );
    const deliveryA = rows.find((r) => r.agency_id === a.id)!;
    const deliveryB = rows.find((r) => r.agency_id === b.id)!;
    hangingDelivery = deliveryB.id;
    expect(firstA.headers['webhook-id']).toBe(deliveryA.id);
    expect(secondA.headers['webhook-id']).toBe(deliveryA.id);
    expect(hangingAttempt.headers['webhook-id']).toBe(deliveryB.id);

    // The premise: both deliveries travelled in one job that names each one's endpoint.
    await nc.flush();
    const mixed = jobs.filter((j) => j.deliveryIds?.includes(deliveryA.id));
    expect(mixed).toHaveLength(1);
    expect(mixed[0].deliveryIds).toContain(deliveryB.id);
    expect(new Set(mixed[0].endpoints)).toEqual(new Set([fast.baseUrl, hanging.baseUrl]));

    // Against the hanging timeout: A's retry came a small fraction of it after B's request began.
    const lag = secondA.receivedAt.getTime() - hangingAttempt.receivedAt.getTime();
    console.log(`A's second attempt came ${lag} ms after B's hanging request began (B times out after ${TIMEOUT_MS} ms)`);
    expect(lag).toBeLessThan(TIMEOUT_MS / 4);

    // Order: A is delivered while B's first attempt is still open (no attempt of B recorded, B still sending).
    await eventually(async () => {
      const [d] = await stack.db.query(`SELECT status FROM deliveries WHERE id = $1`, [deliveryA.id]);
      return d.status === 'delivered';
    }, 10_000, "A's second attempt recorded");
    const [bNow] = await stack.db.query(
      `SELECT d.status, (SELECT count(*)::int FROM delivery_attempts t WHERE t.delivery_id = d.id) AS attempts FROM deliveries d WHERE d.id = $1`,
      [deliveryB.id],
    );
    expect(bNow).toEqual({ status: 'sending', attempts: 0 });

    // The mixed job itself is still unacknowledged: it is acked only once B's delivery has an outcome too.
    const jsm = await nc.jetstreamManager();
    await eventually(async () => {
      const info = await jsm.consumers.info(workStreamName(stack.config.natsPrefix), durableName(stack.config.natsPrefix, 'courier'));
      return info.num_pending === 0 && info.num_ack_pending === 1;
    }, 10_000, 'only the mixed job in flight');
  }, TIMEOUT_MS + 40_000);
});
