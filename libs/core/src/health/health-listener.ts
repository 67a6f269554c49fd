import { INestApplicationContext, Logger } from '@nestjs/common';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { AppConfig } from '../config';
import { Readiness } from './readiness';

/** Distinct from each other and from the api's PORT (3000), so the three apps can share a host. */
export const DEFAULT_HEALTH_PORTS = { dispatcher: 3001, courier: 3002 } as const;
export type WorkerName = keyof typeof DEFAULT_HEALTH_PORTS;

/** HEALTH_PORT, or the worker's default; null when HEALTH_PORT=off. */
export function healthPortFor(config: Pick<AppConfig, 'healthPort'>, worker: WorkerName): number | null {
  return config.healthPort === undefined ? DEFAULT_HEALTH_PORTS[worker] : config.healthPort;
}

export interface HealthListener {
  port: number;
  close(): Promise<void>;
}

/**
 * A worker (no HTTP of its own) answers the orchestrator's probes on a small HTTP listener:
 * GET /health/live, and GET /health or /health/ready with the same body and status as the api's
 * /health. Nothing else. Returns undefined when HEALTH_PORT=off.
 */
export async function startHealthListener(app: INestApplicationContext, config: AppConfig, worker: WorkerName): Promise<HealthListener | undefined> {
  const log = new Logger(`${worker} health`);
  const port = healthPortFor(config, worker);
  if (port === null) {
    log.log('HEALTH_PORT=off: no health listener');
    return undefined;
  }
  const listener = await listenForHealth(app.get(Readiness), port, config.host).catch((err: Error) => {
    throw new Error(`the health listener cannot listen on ${config.host}:${port} (${err.message}); set HEALTH_PORT to a free port, or HEALTH_PORT=off`);
  });
  log.log(`health checks on http://${config.host}:${listener.port}/health (liveness: /health/live)`);
  return listener;
}

export function listenForHealth(readiness: Readiness, port: number, host: string): Promise<HealthListener> {
  const server = createServer((req, res) => void answer(readiness, req, res));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

async function answer(readiness: Readiness, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return send(req, res, 405, { statusCode: 405, error: 'Method Not Allowed', message: 'health checks answer GET only' });
  }
  if (path === '/health/live') return send(req, res, 200, readiness.live());
  if (path === '/health' || path === '/health/ready') {
    try {
      const { httpStatus, body } = await readiness.answer();
      return send(req, res, httpStatus, body);
    } catch (err) {
      return send(req, res, 503, { status: 'error', info: {}, error: { readiness: { status: 'down', message: (err as Error).message } }, details: {} });
    }
  }
  return send(req, res, 404, { statusCode: 404, error: 'Not Found', message: 'only /health, /health/ready and /health/live are served here' });
}

function send(req: IncomingMessage, res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json), 'cache-control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : json);
}
