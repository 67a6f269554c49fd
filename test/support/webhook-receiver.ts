/**
 * A real HTTP server (node:http on 127.0.0.1, random port) standing in for agencies' webhook
 * endpoints. It records every request, verifies Standard Webhooks signatures with the
 * `standardwebhooks` package when a secret is known for the path, and answers from a
 * per-path script: `respond('/a', [500, 500, 200])` answers 500, 500, then 200 for ever.
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedWebhook {
  method: string;
  /** Path without the query string; scripts and secrets are keyed by it. */
  path: string;
  /** Path with the query string, as requested. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: Date;
  /** Verified with the standardwebhooks package against the path's secret (false when there is none). */
  verified: boolean;
  /** The status the script chose (answered later, or never, for delayed and hanging responses). */
  status: number;
}

export interface ScriptedResponseSpec {
  status: number;
  headers?: Record<string, string>;
  /** Text, or exact bytes (a body that is not UTF-8). */
  body?: string | Buffer;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Never answer (the connection stays open until the client gives up or close()). */
  hang?: boolean;
}
export type ScriptedResponse = number | ScriptedResponseSpec;

export interface WebhookReceiverOptions {
  /** Secret for every path that has none of its own. */
  secret?: string;
}

export interface WebhookReceiver {
  port: number;
  /** http://127.0.0.1:PORT */
  baseUrl: string;
  url(path: string): string;
  requests: ReceivedWebhook[];
  /** Connections accepted so far. */
  readonly connections: number;
  /** The most requests that were open (received, not yet answered or cut) at one moment. */
  readonly mostOpen: number;
  setSecret(path: string, secret: string | undefined): void;
  /** Replace the path's script. After the last entry it repeats; unscripted paths answer 200. */
  respond(path: string, responses: ScriptedResponse[]): void;
  waitFor(predicate: (r: ReceivedWebhook) => boolean, timeoutMs?: number): Promise<ReceivedWebhook>;
  waitForCount(count: number, predicate?: (r: ReceivedWebhook) => boolean, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  clear(): void;
  /** Stops the server and destroys every socket, including ones held by hanging responses. */
  close(): Promise<void>;
}

const MAX_BODY = 5 * 1024 * 1024;

export async function startWebhookReceiver(opts: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
  const secrets = new Map<string, string>();
  const scripts = new Map<string, ScriptedResponseSpec[]>();
  const requests: ReceivedWebhook[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const events = new EventEmitter();
  events.setMaxListeners(0);
  let connections = 0;
  let open = 0;
  let mostOpen = 0;

  const next = (path: string): ScriptedResponseSpec => {
    const queue = scripts.get(path);
    if (!queue || queue.length === 0) return { status: 200 };
    return queue.length > 1 ? queue.shift()! : queue[0];
  };

  const verify = (path: string, body: string, headers: IncomingHttpHeaders): boolean => {
    const secret = secrets.get(path) ?? opts.secret;
    if (!secret) return false;
    try {
      new Webhook(secret).verify(body, headers as Record<string, string>, { jsonParse: false });
      return true;
    } catch {
      return false;
    }
  };

  const server = createServer((req, res) => {
    mostOpen = Math.max(mostOpen, ++open);
    res.once('close', () => open--);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      const url = req.url ?? '/';
      const path = url.split('?')[0];
      const body = Buffer.concat(chunks).toString('utf8');
      const spec = next(path);
      const record: ReceivedWebhook = {
        method: req.method ?? 'GET',
        path,
        url,
        headers: req.headers,
        body,
        receivedAt: new Date(),
        verified: verify(path, body, req.headers),
        status: spec.status,
      };
      requests.push(record);
      events.emit('request', record);
      if (spec.hang) return;
      const answer = () => {
        if (res.destroyed) return;
        res.writeHead(spec.status, { 'content-type': 'text/plain', ...spec.headers });
        res.end(spec.body ?? '');
      };
      if (spec.delayMs) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          answer();
        }, spec.delayMs);
        timers.add(timer);
      } else {
        answer();
      }
    });
  });
  server.on('connection', (socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;

  const waitForCount = (count: number, predicate: (r: ReceivedWebhook) => boolean = () => true, timeoutMs = 10_000) =>
    new Promise<ReceivedWebhook[]>((resolve, reject) => {
      const check = () => {
        const matching = requests.filter(predicate);
        if (matching.length < count) return false;
        clearTimeout(timer);
        events.off('request', check);
        resolve(matching.slice(0, count));
        return true;
      };
      const timer = setTimeout(() => {
        events.off('request', check);
        reject(new Error(`webhook-receiver: ${requests.filter(predicate).length}/${count} matching requests after ${timeoutMs} ms (${requests.length} received)`));
      }, timeoutMs);
      if (!check()) events.on('request', check);
    });

  return {
    port,
    baseUrl,
    url: (path: string) => baseUrl + (path.startsWith('/') ? path : `/${path}`),
    requests,
    get connections() {
      return connections;
    },
    get mostOpen() {
      return mostOpen;
    },
    setSecret(path, secret) {
      if (secret === undefined) secrets.delete(path);
      else secrets.set(path, secret);
    },
    respond(path, responses) {
      scripts.set(path, responses.map((r) => (typeof r === 'number' ? { status: r } : { ...r })));
    },
    waitFor: (predicate, timeoutMs) => waitForCount(1, predicate, timeoutMs).then((found) => found[0]),
    waitForCount,
    clear() {
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
