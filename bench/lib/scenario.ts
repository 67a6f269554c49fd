/**
 * One run of the bench (bench/run.ts): seed N subscriptions, start the three apps, warm them up,
 * publish the measured notice, wait until every delivery has arrived and is committed, gather the
 * figures, then run the two references on the same deliveries (references.ts).
 */
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { urlFor } from '../../libs/core/src/database/database-provisioning';
import { deleteWorkStream } from '../../libs/messaging/src/jetstream/jetstream.connection';
import { summarizeProfile } from '../profile-summary';
import { APP_NAMES, AppName, RunningApp, startApp, stopApp } from './apps';
import { cpuMap, dbFigures, DeliveryCounts, deliveryCounts, fanOutVisible, othersCpu, ReceiverReport, rssMap, SmtpReport } from './figures';
import { nowMs } from './ipc';
import { ProcSampler } from './proc';
import { runReference } from './references';
import { RunResult, Scenario } from './report';
import { assertAppsAlive, publishNotice, sleep, waitForHealth, waitUntil } from './service-api';
import { resetData, seed, MAIN_TOPIC, WARMUP_TOPIC } from './setup';
import { fmtInt, fmtMs, summarize } from './stats';
import {
  CONCURRENCY, Ctx, DB_NAME, dbUrl, freePort, log, natsUrl, POLL_MS, prefixesUsed, PROFILE_DIR, ROLES, RUN_ID, runningApps, TIMEOUT_MS, TMP, WARMUP_SUBSCRIPTIONS,
} from './session';

export async function runScenario(scn: Scenario, index: number, ctx: Ctx): Promise<RunResult> {
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
        fanOutFirstPageMs: figures.createdMin !== undefined ? figures.createdMin - t0 : undefined,
        fanOutLastPageMs: figures.createdMax !== undefined ? figures.createdMax - t0 : undefined,
        fannedOutMs: figures.fannedOut !== undefined ? figures.fannedOut - t0 : undefined,
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
