/**
 * Where a delivery went belongs to the recipient agency. A webhook URL carries its credentials in
 * the path and query (chat hooks, `?token=`), and a subscription's addresses are its people: the
 * issuing agency (any role) and a partnership admin see the webhook's origin and each
 * subscription address's domain, in every view of the delivery, while the recipient agency
 * sees its own in full. Email to an agency's contacts stays whole (the issuer is given those to
 * chase it).
 */
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { startWebhookReceiver, WebhookReceiver } from '../support/webhook-receiver';
import { startStack, Stack } from '../support/stack';
import { apiClient, createAgency, createTopics, eventually, TestAgency } from '../support/fixtures';

const HOOK_PATH = '/services/T0001/B0002/XoXsEcReTtOkEn';
const ADDRESSES = ['desk.duty@tribe.test', 'bounce.box@tribe.test'];
/** None of these may reach anyone but the recipient agency. */
const SECRETS = ['XoXsEcReTtOkEn', 's3cr3t', '/services/T0001', 'desk.duty', 'bounce.box'];

describe("another agency's delivery targets", () => {
  let stack: Stack;
  let smtp: SmtpSink;
  let receiver: WebhookReceiver;
  let call: ReturnType<typeof apiClient>;
  let issuer: TestAgency, hooked: TestAgency, mailed: TestAgency, contacted: TestAgency, partnership: TestAgency;
  let hookUrl: string;
  let noticeId: string;
  let webhookId: string, emailId: string;

  beforeAll(async () => {
    smtp = await startSmtpSink({ failRecipients: { 'bounce.box@tribe.test': 'permanent' } });
    receiver = await startWebhookReceiver();
    stack = await startStack({ SMTP_URL: smtp.url });
    call = apiClient(stack.url);
    await createTopics(stack.db, ['safe-sleep']);
    issuer = await createAgency(stack.db, { name: 'Issuer', type: 'state' });
    hooked = await createAgency(stack.db, { name: 'Hooked county' });
    mailed = await createAgency(stack.db, { name: 'Mailed tribe', type: 'tribal' });
    contacted = await createAgency(stack.db, { name: 'Contacted city' });
    partnership = await createAgency(stack.db, { name: 'Partnership', roles: ['admin'] });
    hookUrl = `${receiver.url(HOOK_PATH)}?token=s3cr3t`;
    const hook = await call('POST', '/api/v1/subscriptions', {
      key: hooked.keys.agency_admin,
      body: { name: 'chat', topicPatterns: ['safe-sleep'], channel: 'webhook', webhookUrl: hookUrl },
    });
    expect(hook.status).toBe(201);
    receiver.setSecret(HOOK_PATH, hook.body.signingSecret);
    const desk = await call('POST', '/api/v1/subscriptions', {
      key: mailed.keys.agency_admin,
      body: { name: 'desk', topicPatterns: ['safe-sleep'], channel: 'email', emailAddresses: ADDRESSES },
    });
    expect(desk.status).toBe(201);

    const draft = await call('POST', '/api/v1/notices', {
      key: issuer.keys.author,
      body: { title: 'Inclined sleepers', summary: 'Remove them', body: 'Body', category: 'alert', severity: 'critical', topics: ['safe-sleep'], targetJurisdictions: [hooked, mailed, contacted].map((g) => g.name.split(' ').pop()) },
    });
    expect(draft.status).toBe(201);
    noticeId = draft.body.id;
    await call('POST', `/api/v1/notices/${noticeId}/submit`, { key: issuer.keys.author });

    // Before approval: the review shows the webhook's origin and the subscription's domains, and
    // its digest (over the whole list) still confirms the approval.
    const review = await call('GET', `/api/v1/notices/${noticeId}/review`, { key: issuer.keys.approver });
    expect(review.status).toBe(200);
    expectNoSecrets('the review', review.text);
    const channels = review.body.recipients.recipients.flatMap((r: any) => r.channels);
    expect(channels.find((c: any) => c.channel === 'webhook').target).toEqual([receiver.baseUrl]);
    expect(channels.find((c: any) => c.subscriptionId === desk.body.id).target).toEqual(['***@tribe.test', '***@tribe.test']);
    const approved = await call('POST', `/api/v1/notices/${noticeId}/approve`, {
      key: issuer.keys.approver,
      body: { contentHash: draft.body.contentHash, recipientsDigest: review.body.recipients.digest },
    });
    expect(approved.status).toBe(200);

    // The webhook delivered; the email subscription dead-lettered on its bouncing address (its error names it).
    const rows = await eventually(async () => {
      const r: { id: string; channel: string; status: string }[] = await stack.db.query(
        `SELECT id, channel, status FROM deliveries WHERE notice_id = $1 AND subscription_id IS NOT NULL`,
        [noticeId],
      );
      const done = r.filter((d) => (d.channel === 'webhook' && d.status === 'delivered') || (d.channel === 'email' && d.status === 'failed'));
      return done.length === 2 && r;
    }, 20000, 'the webhook delivered and the email dead-lettered');
    webhookId = rows.find((d) => d.channel === 'webhook')!.id;
    emailId = rows.find((d) => d.channel === 'email')!.id;
  });

  afterAll(async () => {
    await stack?.close();
    await smtp?.close();
    await receiver?.close();
  });

  function expectNoSecrets(what: string, text: string) {
    for (const s of SECRETS) if (text.includes(s)) throw new Error(`${what} shows ${s}`);
  }

  /** Every view of the issuer (and a partnership admin) that names a delivery's destination or its error. */
  const VIEWS: [string, (key: string) => Promise<{ status: number; text: string; body?: any }>][] = [
    ['GET /api/v1/notices/{id}/deliveries', (key) => call('GET', `/api/v1/notices/${noticeId}/deliveries`, { key })],
    ['GET /api/v1/deliveries?noticeId=', (key) => call('GET', `/api/v1/deliveries?noticeId=${noticeId}`, { key })],
    ['GET /api/v1/deliveries?status=failed', (key) => call('GET', `/api/v1/deliveries?status=failed`, { key })],
    ['GET /api/v1/deliveries/{webhook}', (key) => call('GET', `/api/v1/deliveries/${webhookId}`, { key })],
    ['GET /api/v1/deliveries/{email}', (key) => call('GET', `/api/v1/deliveries/${emailId}`, { key })],
    ['GET /api/v1/notices/{id}/acknowledgments', (key) => call('GET', `/api/v1/notices/${noticeId}/acknowledgments`, { key })],
    ['GET …/recipients/{hooked}/timeline', (key) => call('GET', `/api/v1/notices/${noticeId}/recipients/${hooked.id}/timeline`, { key })],
    ['GET …/recipients/{mailed}/timeline', (key) => call('GET', `/api/v1/notices/${noticeId}/recipients/${mailed.id}/timeline`, { key })],
    ['GET /api/v1/notices/{id}/events', (key) => sse(`/api/v1/notices/${noticeId}/events?lastEventId=0`, key)],
    ['GET /api/v1/feed', (key) => sse(`/api/v1/feed?lastEventId=0`, key)],
    ['GET /console/notices/{id}', (key) => page(`/console/notices/${noticeId}`, key)],
    ['GET /console/notices/{id}/recipients', (key) => page(`/console/notices/${noticeId}/recipients`, key)],
    ['GET /console/notices/{id}/recipients/{hooked}', (key) => page(`/console/notices/${noticeId}/recipients/${hooked.id}`, key)],
    ['GET /console/notices/{id}/recipients/{mailed}', (key) => page(`/console/notices/${noticeId}/recipients/${mailed.id}`, key)],
  ];

  async function page(path: string, key: string) {
    const res = await fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${key}` }, redirect: 'manual' });
    return { status: res.status, text: await res.text() };
  }

  /** An event stream, read until the email's dead letter (whose error names the bouncing address) has come by, or for 5 s. */
  async function sse(path: string, key: string) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 5000);
    let status = 0;
    let text = '';
    try {
      const res = await fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' }, signal: abort.signal });
      status = res.status;
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      while (!(text.includes(emailId) && text.includes('delivery.failed'))) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
    } catch {
      // aborted: the stream had nothing more
    } finally {
      clearTimeout(timer);
      abort.abort();
    }
    return { status, text };
  }

  it("shows the issuer, whatever its role, and a partnership admin only the webhook's origin and the subscription's domains", async () => {
    const callers: [string, string][] = [
      ...(['author', 'approver', 'supervisor', 'agency_admin'] as const).map((r): [string, string] => [`the issuer's ${r}`, issuer.keys[r]!]),
      ['a partnership admin', partnership.keys.admin!],
    ];
    for (const [who, key] of callers) {
      for (const [route, view] of VIEWS) {
        const res = await view(key);
        // A partnership admin has no timeline or console page of a notice it did not issue (404), nor agency feed of others.
        if (res.status !== 200) {
          expect([who, route, res.status]).toEqual([who, route, 404]);
          continue;
        }
        expectNoSecrets(`${route} as ${who}`, res.text);
      }
    }

    // What they see instead: the origin, and the address's domain, as the review showed them.
    const webhook = (await call('GET', `/api/v1/deliveries/${webhookId}`, { key: issuer.keys.author })).body;
    expect(webhook.target).toBe(receiver.baseUrl);
    expect(webhook.attempts.map((a: any) => a.recipient)).toEqual([receiver.baseUrl]);
    const email = (await call('GET', `/api/v1/deliveries/${emailId}`, { key: partnership.keys.admin })).body;
    expect(email.target).toEqual(['***@tribe.test', '***@tribe.test']);
    expect(email.attempts.map((a: any) => a.recipient).sort()).toEqual(['***@tribe.test', '***@tribe.test']);
    expect(email.lastError).toMatch(/^\*\*\*@tribe\.test: /);
    const timeline = (await call('GET', `/api/v1/notices/${noticeId}/recipients/${hooked.id}/timeline`, { key: issuer.keys.supervisor })).body;
    expect(timeline.entries[0].messages[0].to).toEqual([receiver.baseUrl]);
  });

  it('shows the recipient agency its own targets in full', async () => {
    const webhook = await call('GET', `/api/v1/deliveries/${webhookId}`, { key: hooked.keys.author });
    expect(webhook.body.target).toBe(hookUrl);
    expect(webhook.body.attempts.map((a: any) => a.recipient)).toEqual([hookUrl]);
    const own = await call('GET', `/api/v1/notices/${noticeId}/deliveries`, { key: hooked.keys.supervisor });
    expect(own.body.items.find((d: any) => d.id === webhookId).target).toBe(hookUrl);
    const listed = await call('GET', `/api/v1/deliveries?noticeId=${noticeId}`, { key: hooked.keys.agency_admin });
    expect(listed.body.items.find((d: any) => d.id === webhookId).target).toBe(hookUrl);
    const timeline = await call('GET', `/api/v1/notices/${noticeId}/recipients/${hooked.id}/timeline`, { key: hooked.keys.author });
    expect(timeline.body.entries[0].messages[0].to).toEqual([hookUrl]);

    const email = await call('GET', `/api/v1/deliveries/${emailId}`, { key: mailed.keys.supervisor });
    expect(email.body.target).toEqual(ADDRESSES);
    expect(email.body.attempts.map((a: any) => a.recipient).sort()).toEqual([...ADDRESSES].sort());
    expect(email.body.lastError).toMatch(/^bounce\.box@tribe\.test: /);
    const mine = await page(`/console/notices/${noticeId}/recipients/${mailed.id}`, mailed.keys.supervisor!);
    expect(mine.text).toContain('desk.duty@tribe.test');
  });

  it("keeps email to an agency's contacts whole for the issuer, who is given those contacts", async () => {
    // A critical notice reaches an agency with no subscription at its notices contact.
    const mandatory = await eventually(async () => {
      const all = (await call('GET', `/api/v1/notices/${noticeId}/deliveries`, { key: issuer.keys.supervisor })).body.items;
      return all.find((d: any) => d.mandatory && d.agencyId === contacted.id && d.attempts.length > 0);
    }, 15000, 'the mandatory email');
    expect(mandatory.target).toEqual([contacted.contact]);
    expect(mandatory.attempts[0].recipient).toBe(contacted.contact);
  });
});
