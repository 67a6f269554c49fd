import { request } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A plain node:http client, so these tests don't depend on the code under test elsewhere. */
function post(url: string, body: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function signedHeaders(secret: string, id: string, body: string) {
  const ts = new Date();
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(ts.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, ts, body),
  };
}

describe('webhook receiver', () => {
  let receiver: WebhookReceiver;
  beforeEach(async () => {
    receiver = await startWebhookReceiver();
  });
  afterEach(() => receiver.close());

  it('records requests and answers 200 by default', async () => {
    expect(receiver.url('/hooks/a?x=1')).toBe(`http://127.0.0.1:${receiver.port}/hooks/a?x=1`);
    const reply = await post(receiver.url('/hooks/a?x=1'), '{"n":1}', { 'x-extra': 'yes' });
    expect(reply.status).toBe(200);
    const [r] = receiver.requests;
    expect(r).toMatchObject({ method: 'POST', path: '/hooks/a', url: '/hooks/a?x=1', body: '{"n":1}', verified: false, status: 200 });
    expect(r.headers['x-extra']).toBe('yes');
    expect(r.receivedAt).toBeInstanceOf(Date);
  });

  it('verifies signatures per path and with a default secret', async () => {
    const other = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
    receiver.setSecret('/signed', SECRET);
    const body = '{"type":"notice.published"}';
    await post(receiver.url('/signed'), body, signedHeaders(SECRET, 'msg_1', body));
    await post(receiver.url('/signed'), body, signedHeaders(other, 'msg_2', body));
    await post(receiver.url('/signed'), '{"tampered":1}', signedHeaders(SECRET, 'msg_3', body));
    await post(receiver.url('/no-secret'), body, signedHeaders(SECRET, 'msg_4', body));
    expect(receiver.requests.map((r) => [r.headers['webhook-id'], r.verified])).toEqual([
      ['msg_1', true],
      ['msg_2', false],
      ['msg_3', false],
      ['msg_4', false],
    ]);

    const withDefault = await startWebhookReceiver({ secret: other });
    try {
      withDefault.setSecret('/own', SECRET);
      await post(withDefault.url('/any'), body, signedHeaders(other, 'msg_5', body));
      await post(withDefault.url('/own'), body, signedHeaders(other, 'msg_6', body));
      expect(withDefault.requests.map((r) => r.verified)).toEqual([true, false]);
    } finally {
      await withDefault.close();
    }
  });

  it('follows the per-path script, repeating the last entry', async () => {
    receiver.respond('/flaky', [500, 503, 200]);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await post(receiver.url('/flaky'), '{}')).status);
    expect(statuses).toEqual([500, 503, 200, 200, 200]);
    expect((await post(receiver.url('/other'), '{}')).status).toBe(200);
    expect(receiver.requests.map((r) => r.status)).toEqual([500, 503, 200, 200, 200, 200]);
  });

  it('sends scripted headers and bodies (Retry-After, 410, webhook-delivery: abort)', async () => {
    receiver.respond('/limited', [{ status: 429, headers: { 'retry-after': '120' }, body: 'slow down' }]);
    receiver.respond('/gone', [410]);
    receiver.respond('/abort', [{ status: 200, headers: { 'webhook-delivery': 'abort' } }]);
    const limited = await post(receiver.url('/limited'), '{}');
    expect(limited).toMatchObject({ status: 429, body: 'slow down' });
    expect(limited.headers['retry-after']).toBe('120');
    expect((await post(receiver.url('/gone'), '{}')).status).toBe(410);
    expect((await post(receiver.url('/abort'), '{}')).headers['webhook-delivery']).toBe('abort');
  });

  it('delays responses', async () => {
    receiver.respond('/slow', [{ status: 202, delayMs: 50 }]);
    const pending = post(receiver.url('/slow'), '{}');
    const seen = await receiver.waitFor((r) => r.path === '/slow');
    expect(seen.status).toBe(202);
    expect((await pending).status).toBe(202);
  });

  it('records a hanging request, and close() ends its connection', async () => {
    receiver.respond('/hang', [{ status: 200, hang: true }]);
    const pending = post(receiver.url('/hang'), '{"h":1}');
    await receiver.waitFor((r) => r.path === '/hang');
    await receiver.close();
    await expect(pending).rejects.toThrow(/socket hang up|ECONNRESET/);
    receiver = await startWebhookReceiver(); // for afterEach
  });

  it('closes with idle keep-alive connections open', async () => {
    // A keep-alive client leaves its socket open after the response; close() must not wait for it.
    const { Agent } = await import('node:http');
    const agent = new Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      const req = request(receiver.url('/ka'), { method: 'POST', agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end('{}');
    });
    await receiver.close();
    agent.destroy();
    receiver = await startWebhookReceiver();
  });

  it('waitFor finds past and future requests, waitForCount counts, and both time out', async () => {
    await post(receiver.url('/w'), '{"i":0}');
    await expect(receiver.waitFor((r) => r.body === '{"i":0}')).resolves.toMatchObject({ path: '/w' });
    const three = receiver.waitForCount(3, (r) => r.path === '/w');
    await post(receiver.url('/w'), '{"i":1}');
    await post(receiver.url('/w'), '{"i":2}');
    expect((await three).map((r) => r.body)).toEqual(['{"i":0}', '{"i":1}', '{"i":2}']);
    await expect(receiver.waitFor((r) => r.path === '/never', 50)).rejects.toThrow(/0\/1 matching requests/);
    receiver.clear();
    expect(receiver.requests).toHaveLength(0);
  });
});
