/**
 * A real SMTP server in the test process (smtp-server, plain TCP on 127.0.0.1, no AUTH, no
 * STARTTLS) that parses every message it accepts with mailparser. Recipients can be made to
 * fail at RCPT TO with a permanent (5xx) or temporary (4xx) reply.
 */
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** 'permanent' → 550, 'temporary' → 451, or an explicit reply. */
export type RecipientFailure = 'permanent' | 'temporary' | { code: number; message?: string };

export interface SmtpSinkOptions {
  /** Recipient address (case-insensitive) → how RCPT TO for it is refused. */
  failRecipients?: Record<string, RecipientFailure>;
}

export type ReceivedMail = ParsedMail & {
  envelope: { mailFrom: string; rcptTo: string[] };
  /** The message exactly as received (headers + body). */
  raw: Buffer;
  receivedAt: Date;
  /** smtp-server's id of the connection the message came over (to count pooled connections). */
  sessionId: string;
};

export interface SmtpSink {
  port: number;
  /** smtp://127.0.0.1:PORT */
  url: string;
  /** Every accepted message, in arrival order. */
  messages: ReceivedMail[];
  /** Refuse (or, with `undefined`, accept again) a recipient from now on. */
  failRecipient(address: string, failure: RecipientFailure | undefined): void;
  /** Resolves with the first message, past or future, matching `predicate`; rejects after `timeoutMs`. */
  waitFor(predicate: (m: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** Resolves once `count` messages match (all of them when no predicate). */
  waitForCount(count: number, predicate?: (m: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** Forget the messages received so far. */
  clear(): void;
  close(): Promise<void>;
}

const REPLY: Record<'permanent' | 'temporary', { code: number; message: string }> = {
  permanent: { code: 550, message: '5.1.1 Mailbox unavailable' },
  temporary: { code: 451, message: '4.3.0 Mailbox temporarily unavailable, try again later' },
};

export async function startSmtpSink(opts: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const failures = new Map<string, RecipientFailure>();
  for (const [address, failure] of Object.entries(opts.failRecipients ?? {})) failures.set(address.toLowerCase(), failure);
  const messages: ReceivedMail[] = [];
  const events = new EventEmitter();
  events.setMaxListeners(0);

  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 25 * 1024 * 1024,
    // Pooled clients keep connections open; don't wait the default 30 s for them on close.
    closeTimeout: 50,
    onRcptTo(address, _session, callback) {
      const failure = failures.get(address.address.toLowerCase());
      if (!failure) return callback();
      const reply = typeof failure === 'string' ? REPLY[failure] : { message: 'Recipient refused', ...failure };
      const err = Object.assign(new Error(reply.message), { responseCode: reply.code });
      callback(err);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            const mail: ReceivedMail = Object.assign(parsed, {
              envelope: {
                mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                rcptTo: session.envelope.rcptTo.map((r) => r.address),
              },
              raw,
              receivedAt: new Date(),
              sessionId: session.id,
            });
            messages.push(mail);
            events.emit('message', mail);
            callback(null, `Queued as sink-${messages.length}`);
          })
          .catch((err: Error) => callback(Object.assign(err, { responseCode: 554 })));
      });
    },
  });
  server.on('error', () => undefined); // client resets during close are not test failures

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;

  const waitForCount = (count: number, predicate: (m: ReceivedMail) => boolean = () => true, timeoutMs = 10_000) =>
    new Promise<ReceivedMail[]>((resolve, reject) => {
      const check = () => {
        const matching = messages.filter(predicate);
        if (matching.length < count) return false;
        clearTimeout(timer);
        events.off('message', check);
        resolve(matching.slice(0, count));
        return true;
      };
      const timer = setTimeout(() => {
        events.off('message', check);
        reject(new Error(`smtp-sink: ${messages.filter(predicate).length}/${count} matching messages after ${timeoutMs} ms (${messages.length} received)`));
      }, timeoutMs);
      if (!check()) events.on('message', check);
    });

  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    failRecipient(address, failure) {
      if (failure === undefined) failures.delete(address.toLowerCase());
      else failures.set(address.toLowerCase(), failure);
    },
    waitFor: (predicate, timeoutMs) => waitForCount(1, predicate, timeoutMs).then((found) => found[0]),
    waitForCount,
    clear() {
      messages.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
