/**
 * The webhook SSRF guard end to end: a real WebhookSender against a real HTTP server on
 * 127.0.0.1. With nothing allowlisted, no spelling of the address and no name that resolves to
 * it gets a single byte to the server; allowlisting loopback lets the same requests through.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BadRequestException } from '@nestjs/common';
import { request } from 'undici';
import { SubscriptionsService } from '../../../apps/api/src/subscriptions/subscriptions.service';
import { WebhookSender } from '../../../apps/courier/src/webhook.sender';
import { loadConfig } from '@sne/core';
import {
  checkWebhookUrlSyntax,
  ForbiddenAddressError,
  HostResolver,
  parseAllowList,
  resolveAndCheck,
} from '@sne/core/webhooks/address-guard';
import { generateWebhookSecret } from '@sne/core/webhooks/standard-webhooks';

const BODY = JSON.stringify({ type: 'subscription.test', timestamp: '2026-03-06T09:30:00Z', data: {} });
const secret = generateWebhookSecret();

interface Target {
  server: Server;
  port: number;
  connections: number;
  requests: string[];
  close(): Promise<void>;
}

async function startTarget(handler?: (req: IncomingMessage, res: ServerResponse) => void): Promise<Target> {
  const target = { connections: 0, requests: [] as string[] } as Target;
  const server = createServer((req, res) => {
    target.requests.push(`${req.method} ${req.headers.host} ${req.url}`);
    req.resume();
    req.on('end', () => (handler ? handler(req, res) : res.end('ok')));
  });
  server.on('connection', () => target.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  target.server = server;
  target.port = (server.address() as AddressInfo).port;
  target.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return target;
}

/** A resolver that knows a few test names; everything else goes to the system resolver. */
function resolverFor(answers: Record<string, string | (() => string)>): HostResolver & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (hostname: string) => {
    calls.push(hostname);
    const answer = answers[hostname];
    if (answer === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    const address = typeof answer === 'function' ? answer() : answer;
    return [{ address, family: address.includes(':') ? 6 : 4 }];
  };
  return Object.assign(resolve, { calls });
}

describe('webhook SSRF guard (WebhookSender)', () => {
  let target: Target;
  const senders: WebhookSender[] = [];
  const sender = (options: Partial<ConstructorParameters<typeof WebhookSender>[0]>) => {
    const s = new WebhookSender({ timeoutMs: 3000, ...options });
    senders.push(s);
    return s;
  };
  const send = (s: WebhookSender, url: string) => s.send({ url, secrets: [secret], webhookId: 'msg_ssrf', body: BODY });

  beforeEach(async () => {
    target = await startTarget();
  });
  afterEach(async () => {
    await Promise.all(senders.splice(0).map((s) => s.close()));
    await target.close();
  });

  const spellings = (port: number) => ({
    'dotted IPv4': `http://127.0.0.1:${port}/hook`,
    'localhost (system resolver)': `http://localhost:${port}/hook`,
    'IPv4-mapped IPv6': `http://[::ffff:127.0.0.1]:${port}/hook`,
    decimal: `http://2130706433:${port}/hook`,
    octal: `http://0177.0.0.1:${port}/hook`,
    hex: `http://0x7f000001:${port}/hook`,
    short: `http://127.1:${port}/hook`,
    'a name that resolves to loopback': `http://rebind.test:${port}/hook`,
  });

  it('refuses every way of reaching a loopback server when nothing is allowlisted; the server receives nothing', async () => {
    // rebind.test is answered by a fake; localhost goes to the real system resolver.
    const fake = resolverFor({ 'rebind.test': '127.0.0.1' });
    const s = sender({ allow: [], resolve: async (host, opts) => (host === 'localhost' ? systemLookup(host, opts) : fake(host, opts)) });
    for (const [name, url] of Object.entries(spellings(target.port))) {
      const result = await send(s, url);
      expect({ name, ok: result.ok, gone: result.gone, abort: result.abort }).toEqual({ name, ok: false, gone: false, abort: false });
      expect(result.statusCode).toBeUndefined();
      expect(result.error).toMatch(/^refused: webhook (address|host) .*forbidden.*loopback/);
    }
    expect(target.requests).toEqual([]);
    expect(target.connections).toBe(0);
  });

  it('says which host, which address and why', async () => {
    const s = sender({ allow: [], resolve: resolverFor({ 'rebind.test': '127.0.0.1', 'intranet.test': '10.1.2.3', 'imds.test': '169.254.169.254' }) });
    expect((await send(s, `http://127.0.0.1:${target.port}/`)).error).toBe('refused: webhook address 127.0.0.1 is forbidden (loopback)');
    expect((await send(s, `http://2130706433:${target.port}/`)).error).toBe('refused: webhook address 127.0.0.1 is forbidden (loopback)');
    expect((await send(s, `http://[::ffff:127.0.0.1]:${target.port}/`)).error).toBe('refused: webhook address ::ffff:7f00:1 is forbidden (IPv4-mapped loopback)');
    expect((await send(s, `http://rebind.test:${target.port}/`)).error).toBe(
      'refused: webhook host rebind.test resolves to a forbidden address (loopback: 127.0.0.1)',
    );
    expect((await send(s, 'https://intranet.test/hook')).error).toBe(
      'refused: webhook host intranet.test resolves to a forbidden address (private (RFC 1918): 10.1.2.3)',
    );
    expect((await send(s, 'http://imds.test/latest/meta-data/')).error).toBe(
      'refused: webhook host imds.test resolves to a forbidden address (cloud metadata: 169.254.169.254)',
    );
    expect((await send(s, 'http://169.254.169.254/latest/meta-data/')).error).toBe('refused: webhook address 169.254.169.254 is forbidden (cloud metadata)');
    expect((await send(s, 'http://[fd00:ec2::254]/latest/meta-data/')).error).toBe('refused: webhook address fd00:ec2::254 is forbidden (cloud metadata)');
    expect(target.connections).toBe(0);
  });

  it('lets the same requests through when loopback is allowlisted', async () => {
    const s = sender({
      allow: parseAllowList('127.0.0.0/8,::1/128'),
      resolve: async (host, opts) => (host === 'rebind.test' ? [{ address: '127.0.0.1', family: 4 }] : systemLookup(host, opts)),
    });
    for (const [name, url] of Object.entries(spellings(target.port))) {
      const result = await send(s, url);
      expect({ name, ok: result.ok, error: result.error }).toEqual({ name, ok: true, error: undefined });
    }
    expect(target.requests).toHaveLength(Object.keys(spellings(target.port)).length);
  });

  it('allows exactly what is listed: 127.0.0.1/32 does not open 127.0.0.2', async () => {
    const s = sender({ allow: ['127.0.0.1/32'], resolve: resolverFor({ 'one.test': '127.0.0.1', 'two.test': '127.0.0.2' }) });
    expect((await send(s, `http://one.test:${target.port}/`)).ok).toBe(true);
    expect((await send(s, `http://two.test:${target.port}/`)).error).toBe('refused: webhook host two.test resolves to a forbidden address (loopback: 127.0.0.2)');
    expect((await send(s, `http://127.0.0.2:${target.port}/`)).error).toBe('refused: webhook address 127.0.0.2 is forbidden (loopback)');
    expect(target.requests).toHaveLength(1);
  });

  it('DNS rebinding: a name that was public when saved and resolves to loopback when connecting is refused', async () => {
    let answer = '93.184.215.14';
    const resolve = resolverFor({ 'rebind.test': () => answer });
    const url = `https://rebind.test:${target.port}/hook`;
    // Save time: the URL is fine, and the name even resolves to a public address.
    expect(checkWebhookUrlSyntax(url, { allowHttp: false, allow: parseAllowList('') })).toBeUndefined();
    await expect(resolveAndCheck('rebind.test', parseAllowList(''), resolve)).resolves.toEqual([{ address: '93.184.215.14', family: 4 }]);
    // The attacker's DNS now answers 127.0.0.1 (TTL 0).
    answer = '127.0.0.1';
    const s = sender({ allow: [], resolve });
    const result = await send(s, url.replace('https:', 'http:'));
    expect(result).toMatchObject({ ok: false, gone: false, abort: false });
    expect(result.error).toBe('refused: webhook host rebind.test resolves to a forbidden address (loopback: 127.0.0.1)');
    expect(resolve.calls).toEqual(['rebind.test', 'rebind.test']);
    expect(target.connections).toBe(0);
  });

  it('DNS rebinding between connections: every new connection resolves and checks again', async () => {
    // The receiver closes each connection, so each attempt opens a new one.
    await target.close();
    target = await startTarget((_req, res) => res.writeHead(200, { connection: 'close' }).end('ok'));
    let answer = '127.0.0.1';
    const resolve = resolverFor({ 'flip.test': () => answer });
    const s = sender({ allow: ['127.0.0.1/32'], resolve });
    const url = `http://flip.test:${target.port}/hook`;
    expect((await send(s, url)).ok).toBe(true);
    expect((await send(s, url)).ok).toBe(true);
    answer = '127.0.0.2'; // not allowlisted
    const third = await send(s, url);
    expect(third.ok).toBe(false);
    expect(third.error).toBe('refused: webhook host flip.test resolves to a forbidden address (loopback: 127.0.0.2)');
    expect(resolve.calls).toEqual(['flip.test', 'flip.test', 'flip.test']);
    expect(target.requests).toHaveLength(2);
    expect(target.connections).toBe(2);
  });

  it('judges an IP-literal host the same on every send: the verdicts it remembers never leak between hosts, nor survive past its bound', async () => {
    const s = sender({ allow: ['127.0.0.1/32'] });
    const allowed = `http://127.0.0.1:${target.port}/hook`;
    const refused = `http://127.0.0.2:${target.port}/hook`;
    for (let i = 0; i < 3; i++) {
      expect((await send(s, allowed)).ok).toBe(true);
      expect((await send(s, refused)).error).toBe('refused: webhook address 127.0.0.2 is forbidden (loopback)');
    }
    // More distinct hosts than it remembers (private addresses, refused before any socket is opened).
    for (let i = 0; i < 5000; i++) {
      const result = await send(s, `http://10.${(i >> 8) & 255}.${i & 255}.7/hook`);
      expect(result.error).toBe(`refused: webhook address 10.${(i >> 8) & 255}.${i & 255}.7 is forbidden (private (RFC 1918))`);
    }
    expect((await send(s, refused)).error).toBe('refused: webhook address 127.0.0.2 is forbidden (loopback)');
    expect((await send(s, allowed)).ok).toBe(true);
    expect(target.requests).toHaveLength(4);
    // Another sender with another allowlist judges for itself.
    const strict = sender({ allow: [] });
    expect((await send(strict, allowed)).error).toBe('refused: webhook address 127.0.0.1 is forbidden (loopback)');
  });

  it('the connector itself refuses IP literals, even for a request that skips send()', async () => {
    const s = sender({ allow: [] });
    const agent = (s as unknown as { agent: import('undici').Agent }).agent;
    const err = await request(`http://127.0.0.1:${target.port}/`, { dispatcher: agent, method: 'POST', body: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ForbiddenAddressError);
    expect(target.connections).toBe(0);
  });

  it('never throws for a refusal: it is a failed attempt with an error, retryable like any connection failure', async () => {
    const s = sender({ allow: [], resolve: resolverFor({ 'rebind.test': '::1' }) });
    const result = await send(s, `http://rebind.test:${target.port}/`);
    expect(result).toEqual({ ok: false, durationMs: expect.any(Number), error: expect.stringMatching(/^refused: .*\(loopback: ::1\)$/), gone: false, abort: false });
  });
});

describe('webhook SSRF guard (save time: SubscriptionsService)', () => {
  // checkWebhookUrl runs before the database is touched, so no database is needed here.
  const service = (env: Record<string, string>) =>
    new (SubscriptionsService as unknown as new (...args: unknown[]) => SubscriptionsService)(undefined, loadConfig({ NODE_ENV: 'test', ...env }), undefined);
  const principal = { userId: 'u', agencyId: 'a', roles: ['agency_admin'], name: 'Fran', email: 'f@example.org', apiKeyId: 'k' } as never;
  const create = (svc: SubscriptionsService, webhookUrl: string) =>
    svc.create(principal, { name: 'hook', topicPatterns: ['safe-sleep'], channel: 'webhook', webhookUrl } as never);

  it.each([
    ['http://2130706433:8080/', 'webhookUrl points to a forbidden address (loopback: 127.0.0.1)'],
    ['http://[::ffff:127.0.0.1]/', 'webhookUrl points to a forbidden address (IPv4-mapped loopback: ::ffff:7f00:1)'],
    ['http://localhost:3000/', 'webhookUrl points to a forbidden address (loopback: localhost)'],
    ['http://10.0.0.8/hook', 'webhookUrl points to a forbidden address (private (RFC 1918): 10.0.0.8)'],
    ['http://169.254.169.254/latest/meta-data/', 'webhookUrl points to a forbidden address (cloud metadata: 169.254.169.254)'],
  ])('answers 400 for %s with WEBHOOK_ALLOWED_NETWORKS=none', async (url, message) => {
    const err = await create(service({ WEBHOOK_ALLOWED_NETWORKS: 'none' }), url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestException);
    expect((err as BadRequestException).message).toBe(message);
  });

  it('keeps https-only in production mode and refuses credentials', async () => {
    const prod = service({ WEBHOOK_ALLOW_HTTP: 'false' });
    expect(((await create(prod, 'http://hooks.example.org/').catch((e: unknown) => e)) as Error).message).toBe('webhookUrl must use https');
    expect(((await create(prod, 'https://u:p@hooks.example.org/').catch((e: unknown) => e)) as Error).message).toBe('webhookUrl must not carry credentials');
  });

  it('with the test default (loopback allowlisted) a loopback URL passes the check', async () => {
    // It gets past the check and fails later, on the missing database: not with a 400.
    const err = await create(service({}), 'http://127.0.0.1:4000/hook').catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(BadRequestException);
  });
});

async function systemLookup(host: string, opts: { family?: number } = {}) {
  const { promises } = await import('node:dns');
  return promises.lookup(host, { all: true, family: opts.family ?? 0 });
}
