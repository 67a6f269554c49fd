/**
 * The references a run is compared with (bench/run.ts): the bare undici loop (reference.ts) and the
 * tuned pg-boss fan-out (pgboss-reference.ts), each in a process of its own, sending the same
 * deliveries with the same signed bytes to the same URLs at the same concurrency.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuMap, othersCpu, ReceiverReport, rssMap, SmtpReport } from './figures';
import { ProcSampler } from './proc';
import { ReferenceFigures } from './report';
import { Endpoint, Seeded } from './setup';
import { fmtInt, summarize } from './stats';
import { CONCURRENCY, Ctx, DB_NAME, dbUrl, forkChild, log, TIMEOUT_MS, TMP } from './session';
import { CONNECTIONS_PER_ORIGIN, EMAIL_CONNECTIONS } from './settings';

export interface ReferenceRun {
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

export async function runReference(run: ReferenceRun): Promise<ReferenceFigures> {
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
