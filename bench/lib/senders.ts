/**
 * The transport both references use (the bare loop and the pg-boss fan-out): one undici Agent with
 * the WebhookSender's settings, a request signed per delivery (inside the timed loop, as the courier
 * must), and the raw email through one nodemailer pool of the courier's size.
 */
import { Agent, request } from 'undici';
import { createTransport } from 'nodemailer';
import { signatureHeader } from '../../libs/core/src/webhooks/standard-webhooks';

export interface ReferenceJob {
  id: string;
  kind: 'webhook' | 'email';
  url?: string;
  secret?: string;
  to?: string;
  hang?: boolean;
}

export interface Transport {
  body: string;
  rawEmail?: string;
  timeoutMs: number;
  agent: Agent;
  mail?: ReturnType<typeof createTransport>;
}

/** Builds the transport from the parent's `prepare` request (connectionsPerOrigin, timeoutMs, smtpUrl, emailConnections, body, rawEmail). */
export function makeTransport(req: Record<string, unknown>): Transport {
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
  return { body: String(req.body), rawEmail: req.rawEmail ? String(req.rawEmail) : undefined, timeoutMs, agent, mail };
}

export async function closeTransport(t: Transport | undefined): Promise<void> {
  await t?.agent.close().catch(() => undefined);
  t?.mail?.close();
}

/** Sends one job; true when the endpoint accepted it, false on a non-2xx answer or a timeout. */
export function send(t: Transport, job: ReferenceJob): Promise<boolean> {
  return job.kind === 'webhook' ? postWebhook(t, job) : sendEmail(t, job);
}

async function postWebhook(p: Transport, job: ReferenceJob): Promise<boolean> {
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

async function sendEmail(p: Transport, job: ReferenceJob): Promise<boolean> {
  if (!p.mail || !p.rawEmail) throw new Error('no SMTP transport or raw email for an email job');
  const info = await p.mail.sendMail({ envelope: { from: 'notices@sne.localhost', to: [job.to!] }, raw: p.rawEmail });
  return (info.accepted ?? []).length > 0;
}
