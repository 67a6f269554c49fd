import { INestApplication, INestMicroservice, Logger } from '@nestjs/common';
import { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig, createCoreDeps, loadConfig, RunningDeps } from '@sne/core';
import { deleteWorkStream } from '@sne/messaging';
import { createApiApp } from '../../apps/api/src/api.app';
import { createCourierApp } from '../../apps/courier/src/courier.app';
import { createDispatcherApp } from '../../apps/dispatcher/src/dispatcher.app';
import { createTestDatabase, testPrefix } from './test-database';

export const NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

export interface Stack {
  url: string;
  /** The apps' own pool: it connects as the runtime role, like the apps. */
  db: DataSource;
  /** This database as the admin (a superuser), for tampering on purpose. */
  adminDatabaseUrl: string;
  config: AppConfig;
  /** The process-wide adapters, for tests that drive a service directly (e.g. the scheduler with a fake clock). */
  deps: RunningDeps;
  /** The HTTP app itself, for tests that inspect what it registered (e.g. every route). */
  api: INestApplication;
  close(): Promise<void>;
}

/**
 * The three apps booted in this process the way production runs them: over the real NATS
 * JetStream (own stream prefix) and the real PostgreSQL (own database), HTTP on a free port.
 * They connect as the run's runtime role, so every test also proves that its grants suffice;
 * the schema owner's URL is given too, as `npm start` does.
 */
export async function startStack(env: Record<string, string> = {}, opts: { asyncCommit?: boolean } = {}): Promise<Stack> {
  Logger.overrideLogger(['error']);
  const database = await createTestDatabase(opts);
  const prefix = testPrefix();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.runtimeUrl,
    DATABASE_MIGRATION_URL: database.ownerUrl,
    NATS_URL: NATS_URL,
    NATS_PREFIX: prefix,
    PORT: '0',
    WEBHOOK_ALLOW_HTTP: 'true',
    // Tests send bursts from one IP; the rate-limit test sets its own, lower limits.
    RATE_LIMIT_LOGIN_PER_MINUTE: '100000',
    RATE_LIMIT_ACK_PER_MINUTE: '100000',
    RATE_LIMIT_WRITES_PER_MINUTE: '100000',
    RATE_LIMIT_IP_WRITES_PER_MINUTE: '100000',
    ...env,
  });
  const deps: RunningDeps = await createCoreDeps(config, { poolSize: 10 });
  const dispatcher: INestMicroservice = await createDispatcherApp(deps);
  await dispatcher.listen();
  const courier: INestMicroservice = await createCourierApp(deps);
  await courier.listen();
  const api: INestApplication = await createApiApp(deps);
  await api.listen(0, '127.0.0.1');
  const port = (api.getHttpServer().address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  // Links in emails and webhooks must point at this server.
  (config as { publicUrl: string }).publicUrl = url;
  return {
    url,
    db: deps.dataSource,
    adminDatabaseUrl: database.url,
    config,
    deps,
    api,
    async close() {
      await api.close();
      await courier.close();
      await dispatcher.close();
      await deps.close();
      await deleteWorkStream(NATS_URL, prefix).catch(() => undefined);
      await database.drop();
    },
  };
}

/**
 * A second API replica on the stack's database and stream (its own pool and NATS connection,
 * same configuration and keys), as a second instance behind a load balancer would be.
 */
export async function startApiReplica(stack: Stack): Promise<{ url: string; close(): Promise<void> }> {
  const deps: RunningDeps = await createCoreDeps(stack.config, { poolSize: 5 });
  const api: INestApplication = await createApiApp(deps);
  await api.listen(0, '127.0.0.1');
  const port = (api.getHttpServer().address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await api.close();
      await deps.close();
    },
  };
}

/**
 * Rewrites one audit event's `after` field behind the app's back, as someone with superuser
 * rights could (the append-only trigger bypassed): what the hash chain must then report.
 */
export async function rewriteAuditEvent(stack: Stack, eventId: string, field: string, value: string): Promise<void> {
  const su = new Client({ connectionString: stack.adminDatabaseUrl });
  await su.connect();
  try {
    await su.query(`SET session_replication_role = replica`);
    await su.query(`UPDATE audit_events SET after = jsonb_set(after, $2::text[], to_jsonb($3::text)) WHERE id = $1`, [eventId, [field], value]);
  } finally {
    await su.end();
  }
}
