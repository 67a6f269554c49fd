/**
 * The scene the acknowledgment tests share: an issuing state agency, a county on a webhook and a
 * tribe (in America/Denver, with two escalation contacts) on email, all on one topic; and how a
 * notice is published to them and its records read.
 */
import { Stack, startStack } from './stack';
import { SmtpSink, startSmtpSink } from './smtp-sink';
import { startWebhookReceiver, WebhookReceiver } from './webhook-receiver';
import { apiClient, createAgency, createTopics, eventually, TestAgency } from './fixtures';

export interface AcknowledgmentScene {
  stack: Stack;
  smtp: SmtpSink;
  receiver: WebhookReceiver;
  call: ReturnType<typeof apiClient>;
  issuer: TestAgency;
  hooked: TestAgency;
  mailed: TestAgency;
  /** The county's webhook signing secret. */
  secret: string;
  /** Drafts, submits and approves an alert (two required actions, high) unless `extra` says otherwise; waits for two deliveries. */
  publish(extra?: object): Promise<any>;
  /** Submits and approves a draft; waits for two of its deliveries. */
  approve(draft: any): Promise<any>;
  /** The agency's record as the issuer's supervisor sees it. */
  recordOf(noticeId: string, agencyId: string): Promise<any>;
  close(): Promise<void>;
}

export async function startAcknowledgmentScene(): Promise<AcknowledgmentScene> {
  const smtp = await startSmtpSink();
  const receiver = await startWebhookReceiver();
  const stack = await startStack({ SMTP_URL: smtp.url, REMINDER_BEFORE_DUE: '4h', ESCALATION_GRACE: '2h' });
  const call = apiClient(stack.url);
  await createTopics(stack.db, ['safe-sleep']);
  const issuer = await createAgency(stack.db, { name: 'Issuer', type: 'state' });
  const hooked = await createAgency(stack.db, { name: 'Hooked county' });
  const mailed = await createAgency(stack.db, { name: 'Mailed tribe', type: 'tribal', timeZone: 'America/Denver' });
  await stack.db.query(`UPDATE agencies SET escalation_contacts = '{supervisor@tribe.test,director@tribe.test}' WHERE id = $1`, [mailed.id]);
  const hook = await call('POST', '/api/v1/subscriptions', {
    key: hooked.keys.agency_admin,
    body: { name: 'hook', topicPatterns: ['safe-sleep'], channel: 'webhook', webhookUrl: receiver.url('/county') },
  });
  const secret = hook.body.signingSecret;
  receiver.setSecret('/county', secret);
  await call('POST', '/api/v1/subscriptions', {
    key: mailed.keys.agency_admin,
    body: { name: 'desk', topicPatterns: ['safe-sleep'], channel: 'email', emailAddresses: ['desk@tribe.test'] },
  });

  async function approve(draft: any) {
    await call('POST', `/api/v1/notices/${draft.id}/submit`, { key: issuer.keys.author });
    const ok = await call('POST', `/api/v1/notices/${draft.id}/approve`, { key: issuer.keys.approver, body: { contentHash: draft.contentHash } });
    expect(ok.status).toBe(200);
    await eventually(async () => {
      const [r] = await stack.db.query(`SELECT count(*)::int AS n FROM deliveries WHERE notice_id = $1 AND status = 'delivered'`, [draft.id]);
      return r.n >= 2;
    }, 15000, 'the broadcast');
    return ok.body;
  }

  return {
    stack,
    smtp,
    receiver,
    call,
    issuer,
    hooked,
    mailed,
    secret,
    approve,
    async publish(extra: object = {}) {
      const d = await call('POST', '/api/v1/notices', {
        key: issuer.keys.author,
        body: {
          title: 'Inclined sleepers',
          summary: 'Remove inclined sleepers',
          body: 'Line one\nLine two',
          category: 'alert',
          severity: 'high',
          topics: ['safe-sleep'],
          requiredActions: ['Check homes with infants', 'Brief caseworkers'],
          ...extra,
        },
      });
      return approve(d.body);
    },
    async recordOf(noticeId: string, agencyId: string) {
      const v = await call('GET', `/api/v1/notices/${noticeId}/acknowledgments`, { key: issuer.keys.supervisor });
      return v.body.items.find((i: any) => i.agency.id === agencyId);
    },
    async close() {
      await stack?.close();
      await smtp?.close();
      await receiver?.close();
    },
  };
}
