/**
 * Sends one email and reports what happened; never throws (the courier records every attempt).
 * Production: pooled SMTP through nodemailer. Without SMTP_URL: the dev mailbox table.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createTransport } from 'nodemailer';
import type { DevMailbox } from '@sne/core/mailbox/dev-mailbox';
import { noMailTransport } from '@sne/core/runtime/run-process';
import { MimeMessageBuilder } from './mime-message';

export interface OutgoingEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
  /**
   * The same for every send of one message (its Message-ID is `<messageKey@from domain>`): a copy
   * sent again after a crash then carries the first one's Message-ID, and mail systems that
   * de-duplicate by it show one message. Absent: a fresh Message-ID per send.
   */
  messageKey?: string;
}

export interface EmailResult {
  /** The server (or mailbox) accepted the message for the recipient. */
  ok: boolean;
  durationMs: number;
  /** The SMTP reply line, e.g. "250 2.0.0 Ok: queued as …" or "550 5.1.1 Mailbox unavailable". */
  response?: string;
  messageId?: string;
  error?: string;
  /** Retrying cannot help: a 5xx reply, or an address the client refused to send to. */
  permanent: boolean;
}

export interface EmailSenderOptions {
  /** smtp:// or smtps://; absent means the dev mailbox. */
  smtpUrl?: string;
  from: string;
  /** Pooled SMTP connections (the courier passes SMTP_MAX_CONNECTIONS). Default 5. */
  maxConnections?: number;
  /** NODE_ENV=production: SMTP_URL is required (the dev mailbox would show every link to anyone). */
  production?: boolean;
}

/** Abstract class rather than interface so it can be a Nest injection token. */
export abstract class EmailSender {
  abstract send(mail: OutgoingEmail): Promise<EmailResult>;
  abstract close(): Promise<void>;
}

/**
 * One delivery's message to one address: the same key on every attempt (a retry after a crash),
 * another for every other delivery or address. The address goes in hashed, so the Message-ID
 * does not carry it.
 */
export function emailMessageKey(deliveryId: string, address: string): string {
  return `${deliveryId}.${createHash('sha256').update(address.toLowerCase()).digest('hex').slice(0, 16)}`;
}

// Marks mail as machine-sent so out-of-office replies don't answer it (RFC 3834).
const DEFAULT_HEADERS = { 'Auto-Submitted': 'auto-generated' };

export class SmtpEmailSender extends EmailSender {
  private readonly transport;
  private readonly mime: MimeMessageBuilder;

  constructor(options: EmailSenderOptions & { smtpUrl: string }) {
    super();
    this.mime = new MimeMessageBuilder(options.from);
    this.transport = createTransport({
      url: options.smtpUrl,
      pool: true,
      maxConnections: options.maxConnections ?? 5,
      maxMessages: Infinity,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 60_000,
      // Message content is ours alone: never let it make nodemailer read files or fetch URLs.
      disableFileAccess: true,
      disableUrlAccess: true,
      // The SMTP URL may carry a password: no transport logging.
      logger: false,
      debug: false,
    });
  }

  async send(mail: OutgoingEmail): Promise<EmailResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const message = this.mime.build({
        to: mail.to,
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
        headers: { ...DEFAULT_HEADERS, ...mail.headers },
      }, mail.messageKey);
      const info = await this.transport.sendMail({ envelope: message.envelope, raw: message.raw, messageId: message.messageId });
      const rejected = (info.rejected ?? []).length > 0;
      if (rejected || (info.accepted ?? []).length === 0) {
        // Partial rejection is not possible with one recipient, but never report it as sent.
        const first = (info.rejectedErrors ?? [])[0] as SmtpError | undefined;
        return failure(first ?? { message: 'recipient rejected' }, elapsed());
      }
      return { ok: true, durationMs: elapsed(), response: info.response, messageId: info.messageId, permanent: false };
    } catch (err) {
      return failure(err as SmtpError, elapsed());
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

export class DevMailboxEmailSender extends EmailSender {
  constructor(private readonly mailbox: DevMailbox) {
    super();
  }

  async send(mail: OutgoingEmail): Promise<EmailResult> {
    const started = performance.now();
    try {
      const stored = await this.mailbox.store({ to: mail.to, subject: mail.subject, html: mail.html, text: mail.text });
      return {
        ok: true,
        durationMs: Math.round(performance.now() - started),
        response: `250 stored in dev mailbox as ${stored.id}`,
        messageId: `<dev-mail-${stored.id}@sne.localhost>`,
        permanent: false,
      };
    } catch (err) {
      // A database hiccup is worth retrying.
      return { ok: false, durationMs: Math.round(performance.now() - started), error: short((err as Error)?.message), permanent: false };
    }
  }

  async close(): Promise<void> {}
}

export function createEmailSender(options: EmailSenderOptions, devMailbox?: DevMailbox): EmailSender {
  if (options.smtpUrl) return new SmtpEmailSender({ ...options, smtpUrl: options.smtpUrl });
  if (options.production) throw noMailTransport();
  if (devMailbox) return new DevMailboxEmailSender(devMailbox);
  throw new Error('Email needs SMTP_URL or a dev mailbox');
}

interface SmtpError {
  message?: string;
  code?: string;
  response?: string;
  responseCode?: number;
  command?: string;
  permanent?: boolean;
}

function failure(err: SmtpError, durationMs: number): EmailResult {
  const responseCode = err.responseCode ?? Number(/^\d{3}/.exec(err.response ?? '')?.[0] ?? NaN);
  // nodemailer refuses a malformed address before talking to the server: no retry will fix it.
  const refusedLocally = err.code === 'EENVELOPE' && err.command === 'API';
  return {
    ok: false,
    durationMs,
    response: err.response,
    error: short(err.code ? `${err.code}: ${err.message ?? ''}` : err.message),
    permanent: (responseCode >= 500 && responseCode < 600) || refusedLocally,
  };
}

function short(text: string | undefined): string {
  return (text ?? 'unknown error').slice(0, 500);
}
