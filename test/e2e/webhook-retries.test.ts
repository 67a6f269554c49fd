/**
 * Failed attempts are retried with backoff, always with the same webhook-id; an endpoint that
 * keeps failing ends as a visible dead letter an operator can retry; 410 disables the endpoint.
 * The retry schedule is shortened by configuration so the test needs no clock tricks.
 */
import { startWebhookReceiver, WebhookReceiver } from '../support/webhook-receiver';
import { startStack, Stack } from '../support/stack';
import { apiClient, createAgency, createTopics, eventually, TestAgency } from '../support/fixtures';

describe('webhook retries and dead letters', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  let call: ReturnType<typeof apiClient>;
  let issuer: TestAgency;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    stack = await startStack({ RETRY_SCHEDULE: '100ms,200ms,300ms' });
    call = apiClient(stack.url);
    await createTopics(stack.db, ['safe-sleep']);
    issuer = await createAgency(stack.db, { name: 'Issuer' });
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
    return { agency, sub: sub.body };
  }

  async function publish(title: string) {
    const d = await call('POST', '/api/v1/notices', {
      key: issuer.keys.author,
      body: { title, summary: 'Summary', body: 'Body', category: 'advisory', severity: 'high', topics: ['safe-sleep'] },
    });
    await call('POST', `/api/v1/notices/${d.body.id}/submit`, { key: issuer.keys.author });
    await call('POST', `/api/v1/notices/${d.body.id}/approve`, { key: issuer.keys.approver, body: { contentHash: d.body.contentHash } });
    return d.body.id as string;
  }

  const deliveryOf = async (noticeId: string, agencyId: string) => {
    const list = await call('GET', `/api/v1/notices/${noticeId}/deliveries`, { key: issuer.keys.supervisor });
    return list.body.items.find((d: any) => d.agencyId === agencyId);
  };

  it('500, 500, 500, then 200: delivered on the fourth attempt with one webhook-id', async () => {
    const { agency } = await subscribe('/flaky');
    receiver.respond('/flaky', [500, 500, 500, 200]);
    const noticeId = await publish('Flaky endpoint');
    const delivery = await eventually(async () => {
      const d = await deliveryOf(noticeId, agency.id);
      return d?.status === 'delivered' && d;
    }, 20000, 'the fourth attempt');
    expect(delivery.attemptCount).toBe(4);
    expect(delivery.attempts.map((a: any) => a.statusCode)).toEqual([500, 500, 500, 200]);
    const requests = receiver.requests.filter((r) => r.path === '/flaky');
    expect(requests).toHaveLength(4);
    expect(new Set(requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([delivery.id]));
    expect(requests.every((r) => r.verified)).toBe(true);
  });

  it('always 500: a dead letter after the schedule, then retried by an operator with the same webhook-id', async () => {
    const { agency } = await subscribe('/broken');
    receiver.respond('/broken', [500]);
    const noticeId = await publish('Broken endpoint');
    const dead = await eventually(async () => {
      const d = await deliveryOf(noticeId, agency.id);
      return d?.status === 'failed' && d;
    }, 20000, 'the dead letter');
    expect(dead.attemptCount).toBe(4); // the first attempt and three retries
    expect(dead.lastError).toMatch(/500/);

    receiver.respond('/broken', [200]);
    const retry = await call('POST', `/api/v1/deliveries/${dead.id}/retry`, { key: agency.keys.agency_admin });
    expect(retry.status).toBe(202);
    const revived = await eventually(async () => {
      const d = await deliveryOf(noticeId, agency.id);
      return d?.status === 'delivered' && d;
    }, 20000, 'the operator retry');
    expect(revived.id).toBe(dead.id);
    expect(revived.attemptCount).toBe(5);
    const ids = new Set(receiver.requests.filter((r) => r.path === '/broken').map((r) => r.headers['webhook-id']));
    expect(ids).toEqual(new Set([dead.id]));
    // Retrying something that is not a dead letter is refused.
    expect((await call('POST', `/api/v1/deliveries/${dead.id}/retry`, { key: agency.keys.agency_admin })).status).toBe(409);
  });

  it('410 Gone disables the subscription at once', async () => {
    const { agency, sub } = await subscribe('/gone');
    receiver.respond('/gone', [410]);
    const noticeId = await publish('Gone endpoint');
    const d = await eventually(async () => {
      const x = await deliveryOf(noticeId, agency.id);
      return x?.status === 'failed' && x;
    }, 20000, 'the 410');
    expect(d.attemptCount).toBe(1);
    const after = await call('GET', `/api/v1/subscriptions/${sub.id}`, { key: agency.keys.agency_admin });
    expect(after.body.status).toBe('disabled');
    const [event] = await stack.db.query(`SELECT actor_type FROM audit_events WHERE action = 'subscription.disabled' AND entity_id = $1`, [sub.id]);
    expect(event.actor_type).toBe('system');
  });
});
