/**
 * `npm run bench`: fan-out benchmark of the apps as separate processes over NATS JetStream and
 * PostgreSQL, against a webhook receiver on 128 ports (distinct origins) and an SMTP sink, each
 * in its own process. For each scenario it seeds N subscriptions, restarts the three apps,
 * warms them up with a small notice, then publishes one notice (create, submit, approve; t0 =
 * just before the approve request) and waits until every delivery is committed as delivered in
 * PostgreSQL and has arrived. Then the reference: a bare undici loop in its own process sends the
 * same signed bytes to the same URLs at the same concurrency.
 *
 *   npm run bench                      100, 1,000, 10,000, mixed 10,000 (20 % email), hanging 1,000
 *   npm run bench -- --large           … and 100,000
 *   npm run bench -- --only 100,hanging
 *   npm run bench -- --profile         one 10,000 run with --cpu-prof on the apps, and a summary
 *   options: --concurrency 256  --webhook-timeout-ms 15000  --keep (keep the database and logs)
 *
 * Prints a table per run and a summary against the targets; writes /tmp/sne-bench-latest.json.
 * Always cleans up (children, database, streams), also on error and Ctrl-C.
 */
import { ChildProcess, execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { provisionDatabase, urlFor } from '../libs/core/src/database/database-provisioning';
import { deleteWorkStream } from '../libs/messaging/src/jetstream/jetstream.connection';
import { APP_NAMES, AppName, RunningApp, startApp, stopApp, tail } from './lib/apps';
import { IpcClient, nowMs } from './lib/ipc';
import { natsServerPid, ProcSampler } from './lib/proc';
import { printRun, printSummary, ReferenceFigures, RunResult, Scenario } from './lib/report';
import { Endpoint, MAIN_TOPIC, resetData, seed, Seeded, WARMUP_TOPIC } from './lib/setup';
import { fmtInt, fmtMs, fmtNum, summarize } from './lib/stats';
import { summarizeProfile } from './profile-summary';
import { cpuMap, dbFigures, DeliveryCounts, deliveryCounts, fanOutVisible, othersCpu, ReceiverReport, rssMap, SmtpReport } from './lib/figures';
import { assertAppsAlive, publishNotice, sleep, waitForHealth, waitUntil } from './lib/service-api';

// ---------------------------------------------------------------------------------------------
// Options

const { values: opts } = parseArgs({
  options: {
    large: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    only: { type: 'string' },
    concurrency: { type: 'string', default: '256' },
    'webhook-timeout-ms': { type: 'string', default: '15000' },
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

function chooseScenarios(): Scenario[] {
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

const CONCURRENCY = Number(opts.concurrency);
const TIMEOUT_MS = Number(opts['webhook-timeout-ms']);
/** The WebhookSender's default connections per origin (not configurable by env). */
const CONNECTIONS_PER_ORIGIN = 16;
/** The SmtpEmailSender's default pool size. */
const EMAIL_CONNECTIONS = 5;
const RECEIVER_PORTS = 128;
const WARMUP_SUBSCRIPTIONS = 16;
const POLL_MS = 50;

// ---------------------------------------------------------------------------------------------
// Process-wide state, for cleanup

const RUN_ID = randomBytes(3).toString('hex');
const DB_NAME = `sne_bench_${RUN_ID}`;
const TMP = `/tmp/sne-bench-${RUN_ID}`;
const PROFILE_DIR = '/tmp/sne-prof';
const adminUrl = opts['admin-url']!;
const natsUrl = opts['nats-url']!;
/** The bench's database as the admin: seeding and emptying it between runs, past the append-only guard. */
const dbUrl = (() => {
  const u = new URL(adminUrl);
  u.pathname = `/${DB_NAME}`;
  return u.toString();
})();
/** The apps run as in production: a runtime role that owns nothing; the migrations as the schema owner. Dropped at the end. */
const ROLES = {
  owner: { name: `${DB_NAME}_owner`, password: randomBytes(18).toString('hex') },
  runtime: { name: `${DB_NAME}_app`, password: randomBytes(18).toString('hex') },
};

/** Which code was measured: the commit, and whether the working tree differed from it. */
const CODE_VERSION = (() => {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: join(__dirname, '..', '..') }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', 'apps', 'libs', 'templates'], {
      cwd: join(__dirname, '..', '..'),
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

const children = new Set<ChildProcess>();
const runningApps = new Set<RunningApp>();
const prefixesUsed: string[] = [];
let dbCreated = false;
let cleaning: Promise<void> | undefined;
/** A run failed: keep the app logs for a look. */
let keepLogs = false;

function log(line: string): void {
  const t = new Date().toISOString().slice(11, 23);
  console.log(`[${t}] ${line}`);
}

async function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const app of runningApps) await stopApp(app, 5000).catch(() => undefined);
    for (const c of children) {
      if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    }
    for (const prefix of prefixesUsed) {
      await deleteWorkStream(natsUrl, prefix).catch((err) => log(`could not delete stream ${prefix}_work: ${err.message}`));
    }
    if (dbCreated && !opts.keep) {
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
    if (!opts.keep && !keepLogs) rmSync(TMP, { recursive: true, force: true });
    else log(`app logs kept in ${TMP}`);
  })();
  return cleaning;
}

let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (interrupted) return;
    interrupted = true;
    log(`${sig}: stopping the apps and children, dropping ${DB_NAME}, deleting the streams`);
    cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------
// Helpers

function forkChild(script: string, name: string, env: Record<string, string> = {}): IpcClient {
  const child = fork(join(__dirname, script), [], {
    env: { ...process.env, ...env },
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return new IpcClient(child, name);
}

async function freePort(): Promise<number> {
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

interface Ctx {
  natsPid?: number;
  receiver: IpcClient;
  smtp: IpcClient;
  ports: number[];
  smtpUrl: string;
  db: Client;
}

async function runScenario(scn: Scenario, index: number, ctx: Ctx): Promise<RunResult> {
  const prefix = `bench${RUN_ID}s${index}`;
  prefixesUsed.push(prefix);
  const tag = `${index}-${scn.key}`;
  log(`── ${scn.label}: seeding ${fmtInt(scn.n)} subscriptions (load average ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
  await resetData(ctx.db);
  const seeded = await seed(ctx.db, {
    n: scn.n,
    ports: ctx.ports,
    emailShare: scn.emailShare,
    hangShare: scn.hangShare,
    warmupCount: WARMUP_SUBSCRIPTIONS,
  });
  const eps = seeded.endpoints;
  const webhookEps = eps.filter((e) => e.kind === 'webhook');
  const hangEps = webhookEps.filter((e) => e.hang);
  const emailEps = eps.filter((e) => e.kind === 'email');
  const origins = new Set(webhookEps.map((e) => new URL(e.url!).port)).size;
  const secrets: Record<string, string> = {};
  for (const e of [...seeded.warmup, ...eps]) if (e.path) secrets[e.path] = e.secret!;
  const hangPaths = hangEps.map((e) => e.path!);

  // Fresh app processes for every scenario: peak RSS and CPU belong to this run only.
  const port = await freePort();
  const env: Record<string, string> = {
    NODE_ENV: 'development',
    DATABASE_URL: urlFor(dbUrl, { role: ROLES.runtime }),
    NATS_URL: natsUrl,
    NATS_PREFIX: prefix,
    PORT: String(port),
    HOST: '127.0.0.1',
    SMTP_URL: ctx.smtpUrl,
    WEBHOOK_ALLOW_HTTP: 'true',
    WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
    COURIER_CONCURRENCY: String(CONCURRENCY),
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'pretty',
    // The workers' probes are not measured here; off, so no fixed port can be in the way.
    HEALTH_PORT: 'off',
  };
  const profileDir = join(PROFILE_DIR, `${RUN_ID}-${tag}`);
  const flags = (name: AppName) => (scn.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name}.cpuprofile`] : []);
  if (scn.profile) mkdirSync(profileDir, { recursive: true });
  const base = `http://127.0.0.1:${port}`;
  const apps: RunningApp[] = [];
  // The api first: it runs the migrations; the others take the advisory lock after it.
  for (const name of APP_NAMES) {
    const app = startApp(name, env, TMP, tag, flags(name));
    apps.push(app);
    runningApps.add(app);
  }
  try {
    await waitForHealth(base, apps);
    // Warm-up: proves dispatcher and courier consume, warms JIT, pools and a few connections.
    await ctx.receiver.call('reset', { phase: 'warmup', secrets, verifyEvery: 0 });
    await ctx.smtp.call('reset', { phase: 'warmup', verifyEvery: 0 });
    const warm = await publishNotice(base, seeded, WARMUP_TOPIC, 'Bench warm-up notice');
    try {
      await waitUntil(async () => {
        assertAppsAlive(apps);
        const c = await deliveryCounts(ctx.db, warm.id);
        return c.total === seeded.warmup.length && c.delivered === c.total;
      }, 60_000, 'warm-up notice delivered');
    } catch (err) {
      const states = (
        await ctx.db.query(
          `SELECT channel, status, attempt_count, left(coalesce(last_error, ''), 120) AS last_error, count(*)::int AS n
             FROM deliveries WHERE notice_id = $1 GROUP BY 1, 2, 3, 4 ORDER BY 1, 2`,
          [warm.id],
        )
      ).rows;
      throw new Error(`${(err as Error).message}; expected ${seeded.warmup.length} deliveries, found ${JSON.stringify(states)}`);
    }

    // The measured notice.
    await ctx.receiver.call('reset', { phase: 'sne', hang: hangPaths, secrets, verifyEvery: 100 });
    await ctx.smtp.call('reset', { phase: 'sne', verifyEvery: 100 });
    const sampler = new ProcSampler(DB_NAME);
    for (const app of apps) sampler.track(app.name, app.child.pid);
    sampler.track('nats-server', ctx.natsPid);
    sampler.track('receiver', ctx.receiver.child.pid);
    if (emailEps.length) sampler.track('smtp-sink', ctx.smtp.child.pid);
    log(`   apps up (api :${port}, prefix ${prefix}); publishing the notice to ${fmtInt(scn.n)} subscriptions`);
    const notice = await publishNotice(base, seeded, MAIN_TOPIC, `Bench notice: ${scn.label}`, () => sampler.start(100));
    const { t0 } = notice;
    const expectedDelivered = scn.n - hangEps.length;
    const deadline = 30_000 + scn.n * 5 + (hangEps.length ? TIMEOUT_MS + 15_000 : 0);
    let fanOutObservedMs: number | undefined;
    let timedOut = false;
    let last: DeliveryCounts = { total: 0, delivered: 0, failing: 0 };
    let lastProgress = '';
    let lastLog = nowMs();
    // Two phases, to keep the bench's own load off PostgreSQL: until everything has arrived at the
    // receiver and the SMTP sink (IPC counts, cheap) only a one-row probe for the fan-out's commit;
    // then the full count of committed deliveries every POLL_MS until all are recorded.
    let arrived = false;
    for (;;) {
      assertAppsAlive(apps);
      if (fanOutObservedMs === undefined && (await fanOutVisible(ctx.db, notice.id))) fanOutObservedMs = nowMs() - t0;
      const rc = await ctx.receiver.call<{ distinct: number }>('count');
      const sc = emailEps.length ? await ctx.smtp.call<{ messages: number }>('count') : { messages: 0 };
      arrived ||= rc.distinct >= webhookEps.length && sc.messages >= emailEps.length;
      if (arrived) {
        last = await deliveryCounts(ctx.db, notice.id);
        if (last.total === scn.n && last.delivered === expectedDelivered && last.failing === hangEps.length) break;
      }
      if (nowMs() - t0 > deadline) {
        timedOut = true;
        last = await deliveryCounts(ctx.db, notice.id);
        log(`   TIMEOUT after ${fmtMs(deadline)}: ${JSON.stringify(last)}, receiver ${rc.distinct}, smtp ${sc.messages}`);
        break;
      }
      const progress = `${rc.distinct + sc.messages}/${scn.n}`;
      if (nowMs() - lastLog > 5000 && progress !== lastProgress) {
        log(`   … ${progress} received (${fmtMs(nowMs() - t0)})${arrived ? `, ${last.delivered} committed` : ''}`);
        lastLog = nowMs();
        lastProgress = progress;
      }
      await sleep(POLL_MS);
    }
    const observedDoneMs = nowMs() - t0;
    const hrEnd = process.hrtime.bigint();
    const procs = sampler.stop();
    const machineBusy = sampler.machineBusy();
    const otherCpuSeconds = othersCpu(sampler, procs);

    // What arrived, and when.
    const rep = await ctx.receiver.call<ReceiverReport>('report');
    const smtpRep = emailEps.length ? await ctx.smtp.call<SmtpReport>('report') : undefined;
    const hangSet = new Set(hangPaths);
    const firstReceipt = new Map<string, { t: number; path: string }>();
    rep.ids.forEach((id, i) => {
      if (!firstReceipt.has(id)) firstReceipt.set(id, { t: rep.times[i], path: rep.paths[i] });
    });
    const webhookLat = [...firstReceipt.values()].map((r) => r.t - t0);
    const healthyLat = [...firstReceipt.values()].filter((r) => !hangSet.has(r.path)).map((r) => r.t - t0);
    const emailFirst = new Map<string, number>();
    smtpRep?.recipients.forEach((r, i) => {
      if (!emailFirst.has(r)) emailFirst.set(r, smtpRep.times[i]);
    });
    const emailLat = [...emailFirst.values()].map((t) => t - t0);
    const allHealthy = [...healthyLat, ...emailLat];

    // What PostgreSQL holds.
    const figures = await dbFigures(ctx.db, notice.id);
    const lastCommitMs = figures.deliveredLast - t0;
    const counted = expectedDelivered;
    const toLastMs = timedOut ? NaN : lastCommitMs;
    const result: RunResult = {
      scenario: scn,
      n: scn.n,
      webhooks: webhookEps.length,
      emails: emailEps.length,
      hanging: hangEps.length,
      origins,
      timedOut,
      sne: {
        counted,
        toLastMs,
        throughput: counted / (toLastMs / 1000),
        latency: {
          all: summarize(allHealthy),
          webhooks: summarize(webhookLat),
          emails: emailEps.length ? summarize(emailLat) : undefined,
          healthy: hangEps.length ? summarize(healthyLat) : undefined,
        },
        cpu: cpuMap(procs),
        rss: rssMap(procs),
        machineBusy,
        otherCpuSeconds,
        approveRequestMs: notice.approvedMs,
        outboxRelayMs: figures.outboxSent !== undefined ? figures.outboxSent - t0 : undefined,
        fanOutLastPageMs: figures.createdMax !== undefined ? figures.createdMax - t0 : undefined,
        fanOutObservedMs,
        firstAttemptMs: figures.firstAttemptStarted !== undefined ? figures.firstAttemptStarted - t0 : undefined,
        attemptAvgMs: figures.attemptAvgMs,
        attemptP99Ms: figures.attemptP99Ms,
        firstReceiptMs: Math.min(...webhookLat, ...emailLat),
        lastReceiptMs: Math.max(...allHealthy),
        lastCommitMs,
        observedDoneMs,
        rows: figures.rows,
        receiver: { requests: rep.ids.length, distinct: rep.distinct, sampled: rep.sampled, verified: rep.verified, verifyFailures: rep.verifyFailures },
        smtp: smtpRep
          ? {
              messages: smtpRep.recipients.length,
              sampled: smtpRep.sampled,
              wellFormed: smtpRep.wellFormed,
              problems: smtpRep.problems,
              sessions: smtpRep.sessions,
              firstSubject: smtpRep.firstSubject,
              other: smtpRep.other,
            }
          : undefined,
      },
    };

    // Stop the apps (hanging answers cut first so the courier is not kept waiting on them).
    await ctx.receiver.call('reset', { phase: 'idle', dropConnections: true });
    for (const app of apps) {
      await stopApp(app);
      runningApps.delete(app);
    }
    if (scn.profile) {
      const window = { fromUs: Number(notice.hr0 / 1000n), toUs: Number(hrEnd / 1000n) };
      result.sne.profiles = {};
      for (const name of APP_NAMES) {
        const file = join(profileDir, `${name}.cpuprofile`);
        try {
          result.sne.profiles[name] = summarizeProfile(file, window, 30);
        } catch (err) {
          log(`   no profile for ${name}: ${(err as Error).message}`);
        }
      }
    }

    // The reference loop, with the machine to itself again.
    if (!timedOut && rep.firstBody) {
      const same = { ctx, seeded, noticeId: notice.id, body: rep.firstBody, rawEmail: smtpRep?.firstRaw, hangSet, secrets, tag };
      result.reference = await runReference({ ...same, kind: 'bare' });
      result.ratio = result.sne.throughput / result.reference.throughput;
      // pg-boss's schema is this run's own, in the bench's database; dropped right after (and with the database).
      const schema = `pgboss_s${index}`;
      try {
        result.pgboss = await runReference({ ...same, kind: 'pgboss', schema });
        result.pgbossRatio = result.sne.throughput / result.pgboss.throughput;
      } finally {
        await ctx.db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      }
    }
    return result;
  } finally {
    for (const app of apps) {
      await stopApp(app, 5000).catch(() => undefined);
      runningApps.delete(app);
    }
    await deleteWorkStream(natsUrl, prefix).catch((err) => log(`could not delete stream of ${prefix}: ${err.message}`));
  }
}

interface ReferenceRun {
  ctx: Ctx;
  seeded: Seeded;
  noticeId: string;
  body: string;
  rawEmail: string | undefined;
  hangSet: Set<string>;
  secrets: Record<string, string>;
  tag: string;
  /** bare: the undici loop (reference.ts); pgboss: the pg-boss fan-out (pgboss-reference.ts) in `schema`. */
  kind: 'bare' | 'pgboss';
  schema?: string;
}

async function runReference(run: ReferenceRun): Promise<ReferenceFigures> {
  const { ctx, seeded, noticeId, body, rawEmail, hangSet, secrets, tag, kind } = run;
  const procName = kind === 'bare' ? 'reference' : 'pgboss';
  // The same deliveries (ids are the webhook-ids), in subscription order as the fan-out publishes them.
  const rows: { id: string; channel: string; target_url: string | null; recipients: string[] }[] = (
    await ctx.db.query(`SELECT id, channel, target_url, recipients FROM deliveries WHERE notice_id = $1`, [noticeId])
  ).rows;
  const byUrl = new Map<string, Endpoint>();
  const byEmail = new Map<string, Endpoint>();
  for (const e of seeded.endpoints) {
    if (e.url) byUrl.set(e.url, e);
    if (e.email) byEmail.set(e.email, e);
  }
  const jobs = rows
    .map((r) => {
      const e = r.channel === 'webhook' ? byUrl.get(r.target_url!) : byEmail.get(r.recipients[0]);
      if (!e) throw new Error(`delivery ${r.id} matches no endpoint of the bench`);
      return r.channel === 'webhook'
        ? { i: e.i, id: r.id, kind: 'webhook', url: e.url, secret: e.secret, hang: e.hang }
        : { i: e.i, id: r.id, kind: 'email', to: e.email };
    })
    .sort((a, b) => a.i - b.i);
  const warmJobs = seeded.warmup.filter((e) => e.kind === 'webhook').map((e, k) => ({ id: `warm_${k}`, kind: 'webhook', url: e.url, secret: e.secret }));
  const jobsFile = join(TMP, `${tag}-reference-jobs.json`);
  const warmFile = join(TMP, `${tag}-reference-warmup.json`);
  writeFileSync(jobsFile, JSON.stringify(jobs));
  writeFileSync(warmFile, JSON.stringify(warmJobs));
  const ref = forkChild(kind === 'bare' ? 'reference.js' : 'pgboss-reference.js', procName);
  try {
    const common = {
      body,
      rawEmail,
      concurrency: CONCURRENCY,
      connectionsPerOrigin: CONNECTIONS_PER_ORIGIN,
      timeoutMs: TIMEOUT_MS,
      smtpUrl: rawEmail ? ctx.smtpUrl : undefined,
      emailConnections: EMAIL_CONNECTIONS,
      ...(kind === 'pgboss' ? { connectionString: dbUrl, schema: run.schema } : {}),
    };
    // Warm-up as the apps had: JIT and connections to the warm-up origins.
    await ctx.receiver.call('reset', { phase: 'ref-warmup', secrets, verifyEvery: 0, dropConnections: true });
    await ref.call('prepare', { ...common, jobsFile: warmFile });
    await ref.call('run');
    await ref.call('prepare', { ...common, jobsFile });
    await ctx.receiver.call('reset', { phase: 'ref', hang: [...hangSet], secrets, verifyEvery: 100 });
    await ctx.smtp.call('reset', { phase: 'ref', verifyEvery: 0 });
    const sampler = new ProcSampler(DB_NAME);
    sampler.track(procName, ref.child.pid);
    sampler.track('receiver', ctx.receiver.child.pid);
    if (rawEmail) sampler.track('smtp-sink', ctx.smtp.child.pid);
    log(`   ${kind === 'bare' ? 'bare loop' : 'pg-boss fan-out'}: ${fmtInt(jobs.length)} sends, concurrency ${CONCURRENCY}, ${CONNECTIONS_PER_ORIGIN} connections per origin`);
    sampler.start(100);
    const r = await ref.call<{ startMs: number; elapsedMs: number; lastHealthyMs: number; ok: number; failed: number; errors: string[]; insertMs?: number; notCompleted?: number }>(
      'run',
      {},
      TIMEOUT_MS * 4 + 600_000,
    );
    const procs = sampler.stop();
    const rep = await ctx.receiver.call<ReceiverReport>('report');
    const smtpRep = rawEmail ? await ctx.smtp.call<SmtpReport>('report') : undefined;
    await ctx.receiver.call('reset', { phase: 'idle', dropConnections: true });
    const first = new Map<string, { t: number; path: string }>();
    rep.ids.forEach((id, i) => {
      if (!first.has(id)) first.set(id, { t: rep.times[i], path: rep.paths[i] });
    });
    const webhookLat = [...first.values()].map((x) => x.t - r.startMs);
    const healthyLat = [...first.values()].filter((x) => !hangSet.has(x.path)).map((x) => x.t - r.startMs);
    const emailLat = smtpRep ? smtpRep.times.map((t) => t - r.startMs) : [];
    const counted = jobs.filter((j) => !j.hang).length;
    return {
      counted,
      toLastMs: r.lastHealthyMs,
      throughput: counted / (r.lastHealthyMs / 1000),
      elapsedMs: r.elapsedMs,
      insertMs: r.insertMs,
      notCompleted: r.notCompleted,
      ok: r.ok,
      failed: r.failed,
      errors: r.errors,
      verified: rep.verified,
      sampled: rep.sampled,
      latency: {
        all: summarize([...healthyLat, ...emailLat]),
        webhooks: summarize(webhookLat),
        emails: smtpRep ? summarize(emailLat) : undefined,
        healthy: hangSet.size ? summarize(healthyLat) : undefined,
      },
      cpu: cpuMap(procs),
      rss: rssMap(procs),
      machineBusy: sampler.machineBusy(),
      otherCpuSeconds: othersCpu(sampler, procs),
    };
  } finally {
    await ref.call('close', {}, 5000).catch(() => ref.child.kill('SIGKILL'));
  }
}

// ---------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  if (opts.help) {
    console.log(readHelp());
    return;
  }
  const scenarios = chooseScenarios();
  mkdirSync(TMP, { recursive: true });
  log(`code: ${CODE_VERSION} (dist built by npm run build)`);
  log(`bench ${RUN_ID}: database ${DB_NAME}, NATS ${natsUrl} (prefix bench${RUN_ID}s<k>), logs in ${TMP}`);
  log(
    `machine: ${cpus().length} cores (${cpus()[0]?.model}), ${fmtNum(totalmem() / 2 ** 30, 0)} GB, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; node ${process.version}; COURIER_CONCURRENCY=${CONCURRENCY}, WEBHOOK_TIMEOUT_MS=${TIMEOUT_MS}`,
  );
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  const pgSettings = (
    await admin.query(
      `SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) AS s FROM pg_settings
        WHERE name IN ('synchronous_commit','fsync','shared_buffers','max_connections','jit','commit_delay')`,
    )
  ).rows[0].s;
  await admin.end();
  log(`PostgreSQL: ${pgSettings}`);
  dbCreated = true;
  await provisionDatabase(adminUrl, { database: DB_NAME, ...ROLES });

  // Schema: the apps' own migrations (the same code the apps run at start), as the owner, then the runtime role's grants.
  const { createDataSource, runMigrations } = await import('../libs/core/src/database/data-source');
  const ds = createDataSource(urlFor(dbUrl, { role: ROLES.owner }), { poolSize: 2, applicationName: 'sne-bench-migrate' });
  await ds.initialize();
  await runMigrations(ds, { grantTo: ROLES.runtime.name });
  await ds.destroy();

  const receiver = forkChild('receiver.js', 'receiver', { RECEIVER_PORTS: String(RECEIVER_PORTS) });
  const smtp = forkChild('smtp-sink.js', 'smtp-sink');
  const ports = await receiver.call<number[]>('ports');
  const smtpPort = await smtp.call<number>('port');
  const db = new Client({ connectionString: dbUrl, application_name: 'sne-bench' });
  await db.connect();
  const natsPid = natsServerPid(Number(new URL(natsUrl).port || 4222));
  if (!natsPid) log('note: could not find the nats-server process (its CPU is not reported)');
  const ctx: Ctx = { natsPid, receiver, smtp, ports, smtpUrl: `smtp://127.0.0.1:${smtpPort}`, db };
  log(`receiver on ${ports.length} ports (${ports[0]}…), SMTP sink on ${smtpPort}`);

  const results: RunResult[] = [];
  const started = Date.now();
  try {
    for (const [i, scn] of scenarios.entries()) {
      try {
        const r = await runScenario(scn, i, ctx);
        results.push(r);
        printRun(r);
      } catch (err) {
        if (interrupted) break;
        // One broken run must not hide the others' figures.
        keepLogs = true;
        failures.push({ scenario: scn.key, error: (err as Error).message });
        log(`RUN FAILED: ${scn.label}: ${(err as Error).message}`);
        for (const name of APP_NAMES) console.log(`--- last lines of ${join(TMP, `${i}-${scn.key}-${name}.log`)}\n${tail(join(TMP, `${i}-${scn.key}-${name}.log`), 15)}`);
      }
      writeResults(results, started);
      if (interrupted) break;
    }
    if (interrupted) return;
    if (failures.length) log(`${failures.length} run(s) failed: ${failures.map((f) => f.scenario).join(', ')}`);
    printSummary(results, TIMEOUT_MS);
    log(`done in ${fmtMs(Date.now() - started)}; figures in /tmp/sne-bench-latest.json`);
    if (opts.profile) log(`CPU profiles kept in ${PROFILE_DIR}/${RUN_ID}-* (open in Chrome DevTools or: node dist/bench/profile-summary.js <file>)`);
  } finally {
    await db.end().catch(() => undefined);
    await receiver.call('close', {}, 3000).catch(() => undefined);
    await smtp.call('close', {}, 3000).catch(() => undefined);
  }
}

const failures: Array<{ scenario: string; error: string }> = [];

function writeResults(results: RunResult[], started: number): void {
  writeFileSync(
    '/tmp/sne-bench-latest.json',
    JSON.stringify(
      {
        runId: RUN_ID,
        code: CODE_VERSION,
        startedAt: new Date(started).toISOString(),
        node: process.version,
        cores: cpus().length,
        concurrency: CONCURRENCY,
        webhookTimeoutMs: TIMEOUT_MS,
        connectionsPerOrigin: CONNECTIONS_PER_ORIGIN,
        failures,
        results,
      },
      null,
      2,
    ),
  );
}

function readHelp(): string {
  return `npm run bench -- [--only 100,1000,10000,mixed,hanging,100000] [--large] [--profile]
                    [--concurrency 256] [--webhook-timeout-ms 15000] [--keep]
  --large     add the 100,000-subscription run
  --profile   run 10,000 (or --only …) with --cpu-prof on the apps and print where the time goes
  --keep      keep the database ${DB_NAME} and the logs in ${TMP}
  BENCH_DATABASE_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres), BENCH_NATS_URL (default nats://127.0.0.1:4222)`;
}

main()
  .then(() => cleanup())
  .then(() => process.exit(failures.length ? 1 : 0))
  .catch(async (err) => {
    console.error(`bench failed: ${err?.stack ?? err}`);
    await cleanup();
    process.exit(1);
  });

