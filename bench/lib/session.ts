/**
 * The bench's session (bench/run.ts): its options, the names of what it creates (database, roles,
 * streams, logs), the processes it started, and the cleanup that removes them all, also on error
 * and Ctrl-C.
 */
import { ChildProcess, execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { deleteWorkStream } from '../../libs/messaging/src/jetstream/jetstream.connection';
import { RunningApp, stopApp } from './apps';
import { IpcClient } from './ipc';
import { Scenario } from './report';
import { DEFAULT_CONCURRENCY, DEFAULT_WEBHOOK_TIMEOUT_MS } from './settings';

// ---------------------------------------------------------------------------------------------
// Options

export const { values: opts } = parseArgs({
  options: {
    large: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    only: { type: 'string' },
    concurrency: { type: 'string', default: String(DEFAULT_CONCURRENCY) },
    'webhook-timeout-ms': { type: 'string', default: String(DEFAULT_WEBHOOK_TIMEOUT_MS) },
    'admin-url': { type: 'string', default: process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    'nats-url': { type: 'string', default: process.env.BENCH_NATS_URL ?? 'nats://127.0.0.1:4222' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

const ALL: Scenario[] = [
  { key: '100', label: '100 webhooks', n: 100, emailShare: 0, hangShare: 0, profile: false },
  { key: '1000', label: '1,000 webhooks', n: 1000, emailShare: 0, hangShare: 0, profile: false },
  { key: '10000', label: '10,000 webhooks', n: 10_000, emailShare: 0, hangShare: 0, profile: false },
  { key: 'mixed', label: 'mixed 10,000 (20 % email)', n: 10_000, emailShare: 0.2, hangShare: 0, profile: false },
  { key: 'hanging', label: 'hanging 1,000 (1 % never answer)', n: 1000, emailShare: 0, hangShare: 0.01, profile: false },
  { key: '100000', label: '100,000 webhooks', n: 100_000, emailShare: 0, hangShare: 0, profile: false },
];

export function chooseScenarios(): Scenario[] {
  let keys: string[];
  if (opts.only) keys = opts.only.split(',').map((s) => s.trim());
  else if (opts.profile) keys = ['10000'];
  else keys = ['100', '1000', '10000', 'mixed', 'hanging', ...(opts.large ? ['100000'] : [])];
  const chosen = keys.map((k) => {
    const s = ALL.find((x) => x.key === k);
    if (!s) throw new Error(`unknown scenario ${k}; known: ${ALL.map((x) => x.key).join(', ')}`);
    return { ...s, profile: opts.profile };
  });
  return chosen;
}

export const CONCURRENCY = Number(opts.concurrency);
export const TIMEOUT_MS = Number(opts['webhook-timeout-ms']);
export const WARMUP_SUBSCRIPTIONS = 16;
export const POLL_MS = 50;

// ---------------------------------------------------------------------------------------------
// Process-wide state, for cleanup

export const RUN_ID = randomBytes(3).toString('hex');
export const DB_NAME = `sne_bench_${RUN_ID}`;
export const TMP = `/tmp/sne-bench-${RUN_ID}`;
export const PROFILE_DIR = '/tmp/sne-prof';
export const adminUrl = opts['admin-url']!;
export const natsUrl = opts['nats-url']!;
/** The bench's database as the admin: seeding and emptying it between runs, past the append-only guard. */
export const dbUrl = (() => {
  const u = new URL(adminUrl);
  u.pathname = `/${DB_NAME}`;
  return u.toString();
})();
/** The apps run as in production: a runtime role that owns nothing; the migrations as the schema owner. Dropped at the end. */
export const ROLES = {
  owner: { name: `${DB_NAME}_owner`, password: randomBytes(18).toString('hex') },
  runtime: { name: `${DB_NAME}_app`, password: randomBytes(18).toString('hex') },
};

/** Which code was measured: the commit, and whether the working tree differed from it. */
export const CODE_VERSION = (() => {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: join(__dirname, '..', '..', '..') }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', 'apps', 'libs', 'templates'], {
      cwd: join(__dirname, '..', '..', '..'),
    })
      .toString()
      .trim()
      .split('\n')
      .filter(Boolean).length;
    return dirty ? `${head} + ${dirty} modified file(s) in apps/libs/templates` : head;
  } catch {
    return 'unknown';
  }
})();

export const children = new Set<ChildProcess>();
export const runningApps = new Set<RunningApp>();
export const prefixesUsed: string[] = [];
let cleaning: Promise<void> | undefined;
/** What the run has done so far that cleanup and main must know. */
export const state = {
  dbCreated: false,
  /** A run failed: keep the app logs for a look. */
  keepLogs: false,
  /** Ctrl-C or SIGTERM: stop after the current step. */
  interrupted: false,
};

export function log(line: string): void {
  const t = new Date().toISOString().slice(11, 23);
  console.log(`[${t}] ${line}`);
}

export async function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const app of runningApps) await stopApp(app, 5000).catch(() => undefined);
    for (const c of children) {
      if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    }
    for (const prefix of prefixesUsed) {
      await deleteWorkStream(natsUrl, prefix).catch((err) => log(`could not delete stream ${prefix}_work: ${err.message}`));
    }
    if (state.dbCreated && !opts.keep) {
      const admin = new Client({ connectionString: adminUrl });
      try {
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
        for (const role of [ROLES.runtime, ROLES.owner]) await admin.query(`DROP ROLE IF EXISTS ${role.name}`);
      } catch (err) {
        log(`could not drop database ${DB_NAME} and its roles: ${(err as Error).message}`);
      } finally {
        await admin.end().catch(() => undefined);
      }
    }
    if (!opts.keep && !state.keepLogs) rmSync(TMP, { recursive: true, force: true });
    else log(`app logs kept in ${TMP}`);
  })();
  return cleaning;
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (state.interrupted) return;
    state.interrupted = true;
    log(`${sig}: stopping the apps and children, dropping ${DB_NAME}, deleting the streams`);
    cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------
// Helpers

export function forkChild(script: string, name: string, env: Record<string, string> = {}): IpcClient {
  const child = fork(join(__dirname, '..', script), [], {
    env: { ...process.env, ...env },
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return new IpcClient(child, name);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// One scenario

export interface Ctx {
  natsPid?: number;
  receiver: IpcClient;
  smtp: IpcClient;
  ports: number[];
  smtpUrl: string;
  db: Client;
}
