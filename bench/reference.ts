/**
 * The reference: a bare loop, in a process of its own, that sends what the service just sent
 * (the same body bytes, signed per delivery with its subscription's secret and webhook-id, to the
 * same URLs; the same raw email to the same addresses) with the service's transport settings:
 * one undici Agent (connections per origin, pipelining 1, keep-alive, the same timeouts) and at
 * most `concurrency` requests in flight (the courier's COURIER_CONCURRENCY); emails through one
 * nodemailer pool of the courier's size. Signing happens inside the timed loop, as it must in
 * the courier; serialising the body does not (it is the same bytes for every delivery).
 * No database, no broker: the ceiling a courier could reach on this machine.
 */
import { readFileSync } from 'node:fs';
import { nowMs, serveIpc } from './lib/ipc';
import { closeTransport, makeTransport, ReferenceJob, send, Transport } from './lib/senders';

interface Prepared extends Transport {
  jobs: ReferenceJob[];
  concurrency: number;
}

let prepared: Prepared | undefined;

serveIpc({
  prepare(req) {
    const jobs: ReferenceJob[] = JSON.parse(readFileSync(String(req.jobsFile), 'utf8'));
    prepared = { ...makeTransport(req), jobs, concurrency: Number(req.concurrency) };
    return { jobs: jobs.length };
  },
  async run() {
    const p = prepared;
    if (!p) throw new Error('prepare first');
    const done: number[] = new Array(p.jobs.length);
    let ok = 0;
    let failed = 0;
    const errors: string[] = [];
    let next = 0;
    const cpu0 = process.cpuUsage();
    const start = nowMs();
    const worker = async () => {
      for (;;) {
        const i = next++;
        if (i >= p.jobs.length) return;
        const job = p.jobs[i];
        try {
          const success = await send(p, job);
          if (success) ok++;
          else failed++;
        } catch (err) {
          failed++;
          if (errors.length < 5) errors.push(String((err as Error)?.message ?? err));
        }
        done[i] = nowMs() - start;
      }
    };
    await Promise.all(Array.from({ length: Math.min(p.concurrency, p.jobs.length) }, worker));
    const elapsedMs = nowMs() - start;
    const cpu = process.cpuUsage(cpu0);
    let lastHealthyMs = 0;
    p.jobs.forEach((j, i) => {
      if (!j.hang && done[i] > lastHealthyMs) lastHealthyMs = done[i];
    });
    return {
      startMs: start,
      elapsedMs,
      lastHealthyMs,
      ok,
      failed,
      errors,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    };
  },

  async close() {
    await closeTransport(prepared);
    setImmediate(() => process.exit(0));
    return true;
  },
});
