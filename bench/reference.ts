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
import { Agent, request } from 'undici';
import { createTransport } from 'nodemailer';
import { signatureHeader } from '../libs/core/src/webhooks/standard-webhooks';
import { nowMs, serveIpc } from './lib/ipc';

export interface ReferenceJob {
  id: string;
  kind: 'webhook' | 'email';
  url?: string;
  secret?: string;
  to?: string;
  hang?: boolean;
}

interface Prepared {
  jobs: ReferenceJob[];
  body: string;
  rawEmail?: string;
  concurrency: number;
  timeoutMs: number;
  agent: Agent;
  mail?: ReturnType<typeof createTransport>;
}

let prepared: Prepared | undefined;

serveIpc({
  prepare(req) {
    const jobs: ReferenceJob[] = JSON.parse(readFileSync(String(req.jobsFile), 'utf8'));
    const timeoutMs = Number(req.timeoutMs);
    const agent = new Agent({
      connections: Number(req.connectionsPerOrigin),
      pipelining: 1,
      keepAliveTimeout: 10_000,
      keepAliveMaxTimeout: 60_000,
      connectTimeout: Math.min(timeoutMs, 10_000),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const mail = req.smtpUrl
      ? createTransport({ url: String(req.smtpUrl), pool: true, maxConnections: Number(req.emailConnections ?? 5), maxMessages: Infinity, logger: false })
      : undefined;
    prepared = {
      jobs,
      body: String(req.body),
      rawEmail: req.rawEmail ? String(req.rawEmail) : undefined,
      concurrency: Number(req.concurrency),
      timeoutMs,
      agent,
      mail,
    };
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
          const success = job.kind === 'webhook' ? await postWebhook(p, job) : await sendEmail(p, job);
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
    await prepared?.agent.close().catch(() => undefined);
    prepared?.mail?.close();
    setImmediate(() => process.exit(0));
    return true;
  },
});

async function postWebhook(p: Prepared, job: ReferenceJob): Promise<boolean> {
  const ts = Math.floor(Date.now() / 1000);
  const signature = signatureHeader([job.secret!], job.id, ts, p.body);
  try {
    const res = await request(job.url!, {
      dispatcher: p.agent,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'SafetyNoticeExchange/1.0 (bench reference)',
        'webhook-id': job.id,
        'webhook-timestamp': String(ts),
        'webhook-signature': signature,
      },
      body: p.body,
      signal: AbortSignal.timeout(p.timeoutMs),
      headersTimeout: p.timeoutMs,
      bodyTimeout: p.timeoutMs,
    });
    await res.body.dump();
    return res.statusCode >= 200 && res.statusCode < 300;
  } catch (err) {
    if ((err as Error)?.name === 'TimeoutError' || (err as { code?: string })?.code?.includes('TIMEOUT')) return false;
    throw err;
  }
}

async function sendEmail(p: Prepared, job: ReferenceJob): Promise<boolean> {
  if (!p.mail || !p.rawEmail) throw new Error('no SMTP transport or raw email for an email job');
  const info = await p.mail.sendMail({ envelope: { from: 'notices@sne.localhost', to: [job.to!] }, raw: p.rawEmail });
  return (info.accepted ?? []).length > 0;
}
