/**
 * The agencies' webhook endpoints, in a process of their own: one node:http server on each of
 * `RECEIVER_PORTS` (default 128) ports of 127.0.0.1, so subscriptions spread over that many
 * distinct origins. Answers 200 with an empty body as soon as the request body has arrived.
 * "Hang" paths never answer (the client's timeout ends them).
 *
 * It records, per request, the receipt time (end of body, wall clock with sub-ms resolution),
 * the `webhook-id` and the path. Signatures are not checked in the hot path; a sample (the first
 * request of a phase and then one in `verifyEvery`) is kept and verified with the
 * `standardwebhooks` package against the path's secret, to prove the signatures are valid.
 *
 * Controlled by the bench over IPC (see lib/ipc.ts): ports, reset, count, report.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { nowMs, serveIpc } from './lib/ipc';
import { RECEIVER_PORTS } from './lib/settings';

const PORTS = Number(process.env.RECEIVER_PORTS ?? RECEIVER_PORTS);

interface Phase {
  name: string;
  hang: Set<string>;
  secrets: Map<string, string>;
  verifyEvery: number;
  ids: string[];
  paths: string[];
  times: number[];
  distinct: Set<string>;
  firstBody?: string;
  sampled: number;
  verified: number;
  verifyFailures: string[];
  nonPost: number;
}

let phase: Phase = newPhase('idle', [], {}, 100);
const servers: Server[] = [];
const sockets = new Set<Socket>();
const hanging = new Set<ServerResponse>();

function newPhase(name: string, hang: string[], secrets: Record<string, string>, verifyEvery: number): Phase {
  return {
    name,
    hang: new Set(hang),
    secrets: new Map(Object.entries(secrets)),
    verifyEvery,
    ids: [],
    paths: [],
    times: [],
    distinct: new Set(),
    sampled: 0,
    verified: 0,
    verifyFailures: [],
    nonPost: 0,
  };
}

function onRequest(req: IncomingMessage, res: ServerResponse): void {
  const p = phase;
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const id = req.headers['webhook-id'];
  const webhookId = typeof id === 'string' ? id : '';
  const n = p.ids.length;
  const keep = p.firstBody === undefined || (p.verifyEvery > 0 && n % p.verifyEvery === 0);
  const chunks: Buffer[] | undefined = keep ? [] : undefined;
  if (chunks) req.on('data', (c: Buffer) => chunks.push(c));
  else req.resume();
  req.on('end', () => {
    const t = nowMs();
    if (req.method !== 'POST') p.nonPost++;
    p.ids.push(webhookId);
    p.paths.push(path);
    p.times.push(t);
    p.distinct.add(webhookId);
    if (chunks) {
      const body = Buffer.concat(chunks).toString('utf8');
      if (p.firstBody === undefined) p.firstBody = body;
      verify(p, path, body, req);
    }
    if (p.hang.has(path)) {
      // Never answer: the sender's timeout has to end it.
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    res.writeHead(200, { 'content-length': '0' });
    res.end();
  });
}

function verify(p: Phase, path: string, body: string, req: IncomingMessage): void {
  const secret = p.secrets.get(path);
  if (!secret) return;
  p.sampled++;
  try {
    new Webhook(secret).verify(body, {
      'webhook-id': String(req.headers['webhook-id'] ?? ''),
      'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
      'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
    });
    p.verified++;
  } catch (err) {
    if (p.verifyFailures.length < 5) p.verifyFailures.push(`${path}: ${(err as Error).message}`);
  }
}

async function listenAll(): Promise<number[]> {
  const ports: number[] = [];
  for (let i = 0; i < PORTS; i++) {
    const server = createServer({ keepAlive: true }, onRequest);
    // Hanging requests must outlive the sender's timeout; node's defaults would cut them at 300 s anyway.
    server.requestTimeout = 0;
    server.headersTimeout = 60_000;
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    servers.push(server);
    ports.push((server.address() as AddressInfo).port);
  }
  return ports;
}

const ready = listenAll();

serveIpc({
  async ports() {
    return ready;
  },
  /** Start a new phase: forget what came before, cut connections held by hanging answers. */
  reset(req) {
    for (const res of hanging) res.destroy();
    hanging.clear();
    if (req.dropConnections) for (const s of sockets) s.destroy();
    phase = newPhase(String(req.phase), (req.hang as string[]) ?? [], (req.secrets as Record<string, string>) ?? {}, Number(req.verifyEvery ?? 100));
    return { connections: sockets.size };
  },
  count() {
    return { requests: phase.ids.length, distinct: phase.distinct.size, connections: sockets.size };
  },
  report() {
    const p = phase;
    return {
      phase: p.name,
      ids: p.ids,
      paths: p.paths,
      times: p.times,
      distinct: p.distinct.size,
      firstBody: p.firstBody,
      sampled: p.sampled,
      verified: p.verified,
      verifyFailures: p.verifyFailures,
      nonPost: p.nonPost,
      connections: sockets.size,
    };
  },
  async close() {
    for (const s of sockets) s.destroy();
    await Promise.all(servers.map((s) => new Promise((r) => s.close(() => r(undefined)))));
    setImmediate(() => process.exit(0));
    return true;
  },
});
