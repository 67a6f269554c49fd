/**
 * The second reference: a tuned pg-boss fan-out, in a process of its own. It inserts the same N
 * deliveries as pg-boss jobs (one multi-row insert per 1,000), fetches them back in batches of up
 * to `concurrency`, sends each with the same transport, signing and concurrency as the bare loop
 * (bench/lib/senders.ts), and records each outcome with pg-boss's `complete` / `fail`, batched:
 * one statement for every job that finished while the previous one ran. Throughput is counted to
 * the commit of the last healthy job's completion, as the service's is counted to the last
 * `delivered_at`. pg-boss's schema lives in the bench's throwaway database (one schema per run,
 * dropped by the parent after the run and with the database).
 */
import { readFileSync } from 'node:fs';
import PgBoss from 'pg-boss';
import { nowMs, serveIpc } from './lib/ipc';
import { closeTransport, makeTransport, ReferenceJob, send, Transport } from './lib/senders';

const QUEUE = 'fanout';
const INSERT_CHUNK = 1000;
/** Maximum jobs per completion statement. */
const COMPLETE_CHUNK = 1000;

interface Prepared extends Transport {
  jobs: ReferenceJob[];
  concurrency: number;
}

let boss: PgBoss | undefined;
let prepared: Prepared | undefined;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Wakes every waiter at once (new jobs fetched, a slot freed). */
class Signal {
  private waiters: Array<() => void> = [];
  wait(): Promise<void> {
    return new Promise((r) => this.waiters.push(r));
  }
  fire(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const r of w) r();
  }
}

serveIpc({
  async prepare(req) {
    if (!boss) {
      boss = new PgBoss({
        connectionString: String(req.connectionString),
        schema: String(req.schema),
        max: 4,
        application_name: 'sne-bench-pgboss',
        supervise: false,
        schedule: false,
        migrate: true,
      });
      boss.on('error', (err) => console.error(`pg-boss: ${err.message}`));
      await boss.start();
      await boss.createQueue(QUEUE);
    }
    await closeTransport(prepared);
    const jobs: ReferenceJob[] = JSON.parse(readFileSync(String(req.jobsFile), 'utf8'));
    prepared = { ...makeTransport(req), jobs, concurrency: Number(req.concurrency) };
    return { jobs: jobs.length };
  },

  async run() {
    const p = prepared;
    const b = boss;
    if (!p || !b) throw new Error('prepare first');
    const total = p.jobs.length;
    const pending: PgBoss.Job<ReferenceJob>[] = [];
    const work = new Signal();
    const room = new Signal();
    const succeeded: string[] = [];
    const failedIds: string[] = [];
    const healthy = new Set(p.jobs.filter((j) => !j.hang).map((j) => j.id));
    let fetched = 0;
    let recorded = 0;
    let ok = 0;
    let failed = 0;
    let lastHealthyMs = 0;
    let insertMs = 0;
    const errors: string[] = [];
    const cpu0 = process.cpuUsage();
    const start = nowMs();

    const produce = async () => {
      for (let i = 0; i < total; i += INSERT_CHUNK) {
        // One try each, as the bare loop: a failed job is `failed`, not queued for a retry.
        await b.insert(p.jobs.slice(i, i + INSERT_CHUNK).map((data) => ({ name: QUEUE, data, retryLimit: 0 })));
      }
      insertMs = nowMs() - start;
    };
    const fetchLoop = async () => {
      while (fetched < total) {
        if (pending.length >= p.concurrency) {
          await room.wait();
          continue;
        }
        const rows = await b.fetch<ReferenceJob>(QUEUE, { batchSize: p.concurrency });
        if (!rows.length) {
          await sleep(2);
          continue;
        }
        pending.push(...rows);
        fetched += rows.length;
        work.fire();
      }
      work.fire();
    };
    const sender = async () => {
      for (;;) {
        const job = pending.shift();
        if (!job) {
          if (fetched >= total) return;
          await work.wait();
          continue;
        }
        if (pending.length < p.concurrency / 2) room.fire();
        let success = false;
        try {
          success = await send(p, job.data);
        } catch (err) {
          if (errors.length < 5) errors.push(String((err as Error)?.message ?? err));
        }
        if (success) {
          ok++;
          succeeded.push(job.id);
        } else {
          failed++;
          failedIds.push(job.id);
        }
      }
    };
    const record = async () => {
      while (recorded < total) {
        if (!succeeded.length && !failedIds.length) {
          await sleep(2);
          continue;
        }
        if (succeeded.length) {
          const ids = succeeded.splice(0, COMPLETE_CHUNK);
          await b.complete(QUEUE, ids);
          recorded += ids.length;
          lastHealthyMs = nowMs() - start;
        }
        if (failedIds.length) {
          const ids = failedIds.splice(0, COMPLETE_CHUNK);
          await b.fail(QUEUE, ids);
          recorded += ids.length;
        }
      }
    };
    await Promise.all([produce(), fetchLoop(), record(), ...Array.from({ length: Math.min(p.concurrency, total) }, sender)]);
    const elapsedMs = nowMs() - start;
    const cpu = process.cpuUsage(cpu0);
    // Every healthy job must be completed in pg-boss's table, once.
    const done = await b.getQueueSize(QUEUE, { before: 'completed' });
    return {
      startMs: start,
      elapsedMs,
      lastHealthyMs: healthy.size ? lastHealthyMs : elapsedMs,
      insertMs,
      ok,
      failed,
      errors,
      notCompleted: done,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    };
  },

  async close() {
    await closeTransport(prepared);
    await boss?.stop({ graceful: false, wait: true, close: true }).catch(() => undefined);
    setImmediate(() => process.exit(0));
    return true;
  },
});
