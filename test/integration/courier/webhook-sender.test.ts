import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { WebhookSender, parseRetryAfter, MAX_RETRY_AFTER_MS } from '../../../apps/courier/src/webhook.sender';
import { generateWebhookSecret, WebhookSecretError } from '@sne/core/webhooks/standard-webhooks';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver';

const BODY = JSON.stringify({ type: 'notice.published', timestamp: '2026-03-06T09:30:00Z', data: { reference: 'NPCS-2026-0042' } });

/** A bare node:http server for behaviour the receiver does not script (socket counting, half-sent bodies). */
async function rawServer(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const server = createServer(handler);
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    server,
    url,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('WebhookSender', () => {
  let receiver: WebhookReceiver;
  let sender: WebhookSender;
  const secret = generateWebhookSecret();

  beforeEach(async () => {
    receiver = await startWebhookReceiver({ secret });
    sender = new WebhookSender({ timeoutMs: 5000 });
  });
  afterEach(async () => {
    await receiver.close();
    await sender.close();
  });

  it('delivers a signed Standard Webhooks request', async () => {
    const ts = Math.floor(Date.now() / 1000);
    const result = await sender.send({ url: receiver.url('/hooks/south?agency=7'), secrets: [secret], webhookId: 'msg_01HZX', body: BODY, timestampSec: ts });
    expect(result).toMatchObject({ ok: true, statusCode: 200, gone: false, abort: false, responseSnippet: '' });
    expect(result.error).toBeUndefined();
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    const [got] = receiver.requests;
    expect(got).toMatchObject({ method: 'POST', url: '/hooks/south?agency=7', body: BODY, verified: true });
    expect(got.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'SafetyNoticeExchange/1.0',
      'webhook-id': 'msg_01HZX',
      'webhook-timestamp': String(ts),
    });
    expect(new Webhook(secret).verify(got.body, got.headers as Record<string, string>)).toEqual(JSON.parse(BODY));
  });

  it('signs with every secret during rotation', async () => {
    const newSecret = generateWebhookSecret();
    receiver.setSecret('/new', newSecret);
    await sender.send({ url: receiver.url('/old'), secrets: [newSecret, secret], webhookId: 'msg_rot', body: BODY });
    await sender.send({ url: receiver.url('/new'), secrets: [newSecret, secret], webhookId: 'msg_rot', body: BODY });
    expect(receiver.requests.map((r) => r.verified)).toEqual([true, true]);
    expect(String(receiver.requests[0].headers['webhook-signature']).split(' ')).toHaveLength(2);
  });

  it('defaults the timestamp to now', async () => {
    const before = Math.floor(Date.now() / 1000);
    await sender.send({ url: receiver.url('/t'), secrets: [secret], webhookId: 'msg_t', body: BODY });
    const ts = Number(receiver.requests[0].headers['webhook-timestamp']);
    expect(ts).toBeGreaterThanOrEqual(before);
    expect(ts).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
  });

  it('reports a non-2xx status with the start of the response body', async () => {
    receiver.respond('/err', [{ status: 500, body: 'database down' }]);
    const result = await sender.send({ url: receiver.url('/err'), secrets: [secret], webhookId: 'msg_e', body: BODY });
    expect(result).toMatchObject({ ok: false, statusCode: 500, responseSnippet: 'database down', gone: false, abort: false });
    expect(result.error).toBeUndefined();
    expect(result.retryAfterMs).toBeUndefined();
  });

  it('does not follow redirects', async () => {
    receiver.respond('/moved', [{ status: 302, headers: { location: receiver.url('/target') } }]);
    const result = await sender.send({ url: receiver.url('/moved'), secrets: [secret], webhookId: 'msg_r', body: BODY });
    expect(result).toMatchObject({ ok: false, statusCode: 302 });
    expect(receiver.requests.map((r) => r.path)).toEqual(['/moved']);
  });

  it('flags 410 Gone', async () => {
    receiver.respond('/gone', [410]);
    expect(await sender.send({ url: receiver.url('/gone'), secrets: [secret], webhookId: 'msg_g', body: BODY })).toMatchObject({
      ok: false,
      statusCode: 410,
      gone: true,
    });
  });

  it('flags webhook-delivery: abort', async () => {
    receiver.respond('/abort', [{ status: 400, headers: { 'webhook-delivery': 'Abort' } }]);
    expect(await sender.send({ url: receiver.url('/abort'), secrets: [secret], webhookId: 'msg_a', body: BODY })).toMatchObject({
      ok: false,
      statusCode: 400,
      abort: true,
      gone: false,
    });
  });

  it('reads Retry-After on 429 and 503, in seconds or as an HTTP date', async () => {
    const inAnHour = new Date(Date.now() + 3600_000).toUTCString();
    receiver.respond('/429', [{ status: 429, headers: { 'retry-after': '120' } }]);
    receiver.respond('/503', [{ status: 503, headers: { 'retry-after': inAnHour } }]);
    receiver.respond('/500', [{ status: 500, headers: { 'retry-after': '120' } }]);
    const send = (path: string) => sender.send({ url: receiver.url(path), secrets: [secret], webhookId: 'msg_ra', body: BODY });
    expect((await send('/429')).retryAfterMs).toBe(120_000);
    const fromDate = (await send('/503')).retryAfterMs!;
    expect(fromDate).toBeGreaterThan(3000_000);
    expect(fromDate).toBeLessThanOrEqual(3600_000);
    expect((await send('/500')).retryAfterMs).toBeUndefined();
  });

  it('keeps only the first 4 KB of a large response, and still returns', async () => {
    receiver.respond('/big', [{ status: 200, body: 'é'.repeat(600_000) }]);
    const result = await sender.send({ url: receiver.url('/big'), secrets: [secret], webhookId: 'msg_b', body: BODY });
    expect(result.ok).toBe(true);
    expect(Buffer.byteLength(result.responseSnippet!)).toBeLessThanOrEqual(4096 + 3);
    expect(result.responseSnippet!.startsWith('é'.repeat(2000))).toBe(true);
    // The connection was cut, not left half-read: the next request still works.
    receiver.respond('/after', [{ status: 201, body: 'fine' }]);
    expect(await sender.send({ url: receiver.url('/after'), secrets: [secret], webhookId: 'msg_c', body: BODY })).toMatchObject({
      ok: true,
      statusCode: 201,
      responseSnippet: 'fine',
    });
  });

  it('makes NUL bytes in the response storable', async () => {
    receiver.respond('/bin', [{ status: 200, body: 'a\u0000b' }]);
    const result = await sender.send({ url: receiver.url('/bin'), secrets: [secret], webhookId: 'msg_n', body: BODY });
    expect(result.responseSnippet).toBe('a\uFFFDb');
  });

  it('stores any response body as text: empty, invalid UTF-8, a character cut at 4 KB', async () => {
    receiver.respond('/empty', [{ status: 204, body: '' }]);
    expect((await sender.send({ url: receiver.url('/empty'), secrets: [secret], webhookId: 'msg_e', body: BODY })).responseSnippet).toBe('');
    receiver.respond('/latin1', [{ status: 200, body: Buffer.from([0x6f, 0x6b, 0xe9, 0x21]) }]);
    expect((await sender.send({ url: receiver.url('/latin1'), secrets: [secret], webhookId: 'msg_l', body: BODY })).responseSnippet).toBe('ok\uFFFD!');
    // 4,095 ASCII bytes, then a two-byte character whose second byte falls past the 4 KB kept.
    receiver.respond('/cut', [{ status: 200, body: 'a'.repeat(4095) + 'é' + 'b'.repeat(10) }]);
    const cut = (await sender.send({ url: receiver.url('/cut'), secrets: [secret], webhookId: 'msg_k', body: BODY })).responseSnippet!;
    expect(cut).toBe('a'.repeat(4095) + '\uFFFD');
  });

  it('times out a receiver that never answers', async () => {
    const quick = new WebhookSender({ timeoutMs: 300 });
    try {
      receiver.respond('/hang', [{ status: 200, hang: true }]);
      const result = await quick.send({ url: receiver.url('/hang'), secrets: [secret], webhookId: 'msg_h', body: BODY });
      expect(result).toMatchObject({ ok: false, error: 'timeout after 300 ms', gone: false, abort: false });
      expect(result.statusCode).toBeUndefined();
    } finally {
      await quick.close();
    }
  });

  it('takes a 2xx that came in time as success though its body never finishes, and cuts the connection; any other status so stalled times out', async () => {
    let requests = 0;
    const srv = await rawServer((req, res) => {
      requests++;
      if (req.url === '/next') return void res.writeHead(200).end('ok');
      res.writeHead(req.url === '/slow-500' ? 500 : 200, { 'content-type': 'text/plain' });
      res.write('partial'); // …and never end
    });
    const quick = new WebhookSender({ timeoutMs: 300, connectionsPerOrigin: 1 });
    try {
      const result = await quick.send({ url: srv.url + '/slow-body', secrets: [secret], webhookId: 'msg_sb', body: BODY });
      expect(result).toMatchObject({ ok: true, statusCode: 200 });
      // The half-read connection was cut, not reused: the next request (one connection per origin) goes through.
      expect(await quick.send({ url: srv.url + '/next', secrets: [secret], webhookId: 'msg_sb2', body: BODY })).toMatchObject({ ok: true, statusCode: 200 });
      const failed = await quick.send({ url: srv.url + '/slow-500', secrets: [secret], webhookId: 'msg_sb3', body: BODY });
      expect(failed).toMatchObject({ ok: false, statusCode: 500, error: 'timeout after 300 ms' });
      expect(requests).toBe(3);
    } finally {
      await quick.close();
      await srv.close();
    }
  });

  it('returns connection errors instead of throwing', async () => {
    const srv = await rawServer(() => undefined);
    const closedUrl = srv.url;
    await srv.close();
    const refused = await sender.send({ url: closedUrl + '/x', secrets: [secret], webhookId: 'msg_x', body: BODY });
    expect(refused).toMatchObject({ ok: false, error: 'ECONNREFUSED', gone: false, abort: false });
    expect(refused.statusCode).toBeUndefined();
    // "localhost" may resolve to ::1 and 127.0.0.1; both refusing still reads as ECONNREFUSED.
    const viaName = await sender.send({ url: closedUrl.replace('127.0.0.1', 'localhost') + '/x', secrets: [secret], webhookId: 'msg_x', body: BODY });
    expect(viaName).toMatchObject({ ok: false, error: 'ECONNREFUSED' });

    const resetting = await rawServer((req) => req.socket.destroy());
    try {
      const reset = await sender.send({ url: resetting.url + '/x', secrets: [secret], webhookId: 'msg_y', body: BODY });
      expect(reset.ok).toBe(false);
      expect(reset.error).toMatch(/UND_ERR_SOCKET|ECONNRESET|EPIPE/);
    } finally {
      await resetting.close();
    }
  });

  it('reuses keep-alive connections', async () => {
    const srv = await rawServer((req, res) => {
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    try {
      for (let i = 0; i < 10; i++) {
        expect((await sender.send({ url: srv.url + '/ka', secrets: [secret], webhookId: `msg_${i}`, body: BODY })).ok).toBe(true);
      }
      // undici may open a second socket while the first is being handed back; never one per request.
      expect(srv.connections()).toBeLessThanOrEqual(2);
    } finally {
      await srv.close();
    }
  });

  it('opens at most connectionsPerOrigin sockets to one receiver', async () => {
    const bounded = new WebhookSender({ timeoutMs: 5000, connectionsPerOrigin: 3 });
    let inFlight = 0;
    let maxInFlight = 0;
    const srv = await rawServer((req, res) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      req.resume();
      setImmediate(() => {
        inFlight--;
        res.end('ok');
      });
    });
    try {
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) => bounded.send({ url: srv.url + '/p', secrets: [secret], webhookId: `msg_p${i}`, body: BODY })),
      );
      expect(results.every((r) => r.ok)).toBe(true);
      expect(srv.connections()).toBeLessThanOrEqual(3);
      expect(maxInFlight).toBeLessThanOrEqual(3);
    } finally {
      await bounded.close();
      await srv.close();
    }
  });

  it('reads the final answer after informational (1xx) responses', async () => {
    const srv = await rawServer((req, res) => {
      req.resume();
      res.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' });
      req.on('end', () => {
        res.writeHead(503, { 'retry-after': '7', 'webhook-delivery': 'abort' });
        res.end('busy');
      });
    });
    try {
      const result = await sender.send({ url: srv.url + '/hints', secrets: [secret], webhookId: 'msg_103', body: BODY });
      expect(result).toMatchObject({ ok: false, statusCode: 503, retryAfterMs: 7000, abort: true, responseSnippet: 'busy' });
    } finally {
      await srv.close();
    }
  });

  it('reads a body up to 64 KB to the end and keeps its connection; cuts a longer one', async () => {
    const sizes: Record<string, number> = { '/20k': 20_000, '/64k': 64 * 1024, '/100k': 100_000 };
    const srv = await rawServer((req, res) => {
      req.resume();
      req.on('end', () => res.end('x'.repeat(sizes[req.url!])));
    });
    // One socket, so a second one can only mean the first was closed.
    const single = new WebhookSender({ timeoutMs: 5000, connectionsPerOrigin: 1 });
    const send = async (path: string) => single.send({ url: srv.url + path, secrets: [secret], webhookId: 'msg_d', body: BODY });
    try {
      for (const path of ['/20k', '/64k', '/20k']) expect(await send(path)).toMatchObject({ ok: true, statusCode: 200, responseSnippet: 'x'.repeat(4096) });
      expect(srv.connections()).toBe(1);
      expect(await send('/100k')).toMatchObject({ ok: true, statusCode: 200, responseSnippet: 'x'.repeat(4096) });
      expect(await send('/20k')).toMatchObject({ ok: true, statusCode: 200 });
      expect(srv.connections()).toBe(2);
    } finally {
      await single.close();
      await srv.close();
    }
  });

  it('times out requests still waiting for a connection, and never sends them afterwards', async () => {
    const single = new WebhookSender({ timeoutMs: 300, connectionsPerOrigin: 1 });
    const seen: string[] = [];
    const srv = await rawServer((req) => {
      seen.push(String(req.headers['webhook-id'])); // …and never answer
    });
    try {
      const results = await Promise.all(
        Array.from({ length: 5 }, (_, i) => single.send({ url: srv.url + '/q', secrets: [secret], webhookId: `msg_q${i}`, body: BODY })),
      );
      for (const r of results) {
        expect(r).toMatchObject({ ok: false, error: 'timeout after 300 ms' });
        // Each by its own deadline, not one timeout after another.
        expect(r.durationMs).toBeLessThan(300 * 3);
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(seen).toEqual(['msg_q0']);
    } finally {
      await single.close();
      await srv.close();
    }
  });

  it('rejects caller errors: non-http URLs, bad secrets, bad ids', async () => {
    await expect(sender.send({ url: 'ftp://example.test/x', secrets: [secret], webhookId: 'msg_1', body: BODY })).rejects.toThrow(TypeError);
    await expect(sender.send({ url: 'not a url', secrets: [secret], webhookId: 'msg_1', body: BODY })).rejects.toThrow(TypeError);
    await expect(sender.send({ url: receiver.url('/x'), secrets: [], webhookId: 'msg_1', body: BODY })).rejects.toThrow(WebhookSecretError);
    await expect(sender.send({ url: receiver.url('/x'), secrets: ['whsec_short'], webhookId: 'msg_1', body: BODY })).rejects.toThrow(
      WebhookSecretError,
    );
    await expect(sender.send({ url: receiver.url('/x'), secrets: [secret], webhookId: 'a.b', body: BODY })).rejects.toThrow(TypeError);
    expect(receiver.requests).toHaveLength(0);
  });

  it('can be closed twice', async () => {
    await sender.close();
    await sender.onModuleDestroy();
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-03-06T12:00:00Z');
  it('parses seconds and HTTP dates, clamps to [0, MAX_RETRY_AFTER_MS], ignores junk', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 30 ', now)).toBe(30_000);
    expect(parseRetryAfter('Fri, 06 Mar 2026 12:05:00 GMT', now)).toBe(300_000);
    expect(parseRetryAfter('Fri, 06 Mar 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('99999999', now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
