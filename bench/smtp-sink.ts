/**
 * An SMTP sink in a process of its own (smtp-server on 127.0.0.1, no AUTH, no STARTTLS): accepts
 * every message and records, per RCPT TO address, when its DATA ended. Messages are not parsed in
 * the hot path; the first one of a phase and one in `verifyEvery` are parsed with mailparser to
 * check they are well-formed (subject, HTML and text parts, an acknowledgment link). The first
 * notice email of a phase is kept raw so the reference loop sends the same bytes. Mail to anyone
 * but the seeded agencies (the approver's review mail) is only counted apart.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { nowMs, serveIpc } from './lib/ipc';

interface Phase {
  name: string;
  verifyEvery: number;
  recipients: string[];
  times: number[];
  firstRaw?: string;
  firstSubject?: string;
  sampled: number;
  wellFormed: number;
  problems: string[];
  sessions: Set<string>;
  /** Messages to anyone else (review mail to the partnership's own users). */
  other: number;
}

/** The seeded agencies' addresses (bench/lib/setup.ts): notices-…@agency<i>.bench.example. */
const AGENCY_ADDRESS = /@agency\d+\.bench\.example$/i;

function newPhase(name: string, verifyEvery: number): Phase {
  return { name, verifyEvery, recipients: [], times: [], sampled: 0, wellFormed: 0, problems: [], sessions: new Set(), other: 0 };
}

let phase = newPhase('idle', 100);
let count = 0;

const server = new SMTPServer({
  secure: false,
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  size: 25 * 1024 * 1024,
  maxClients: 1000,
  closeTimeout: 50,
  onData(stream, session, callback) {
    const p = phase;
    // Only notice emails to the seeded agencies are the service's deliveries; the approver's review
    // mail, sent in the same window, is neither counted nor kept as the reference's sample.
    if (!session.envelope.rcptTo.some((r) => AGENCY_ADDRESS.test(r.address))) {
      p.other++;
      stream.on('end', () => callback());
      stream.resume();
      return;
    }
    const keep = p.firstRaw === undefined || (p.verifyEvery > 0 && count % p.verifyEvery === 0);
    count++;
    const chunks: Buffer[] = [];
    if (keep) stream.on('data', (c: Buffer) => chunks.push(c));
    else stream.resume();
    stream.on('error', callback);
    stream.on('end', () => {
      const t = nowMs();
      p.sessions.add(session.id);
      for (const r of session.envelope.rcptTo) {
        p.recipients.push(r.address.toLowerCase());
        p.times.push(t);
      }
      callback();
      if (keep) {
        const raw = Buffer.concat(chunks);
        if (p.firstRaw === undefined) p.firstRaw = raw.toString('latin1');
        check(p, raw);
      }
    });
  },
});

function check(p: Phase, raw: Buffer): void {
  p.sampled++;
  simpleParser(raw).then(
    (mail) => {
      const problems: string[] = [];
      if (!mail.subject) problems.push('no subject');
      if (!mail.html) problems.push('no HTML part');
      if (!mail.text) problems.push('no text part');
      if (!/\/ack\/[A-Za-z0-9_.-]+/.test(mail.text ?? '')) problems.push('no acknowledgment link in the text part');
      p.firstSubject ??= mail.subject;
      if (problems.length === 0) p.wellFormed++;
      else if (p.problems.length < 5) p.problems.push(problems.join(', '));
    },
    (err) => {
      if (p.problems.length < 5) p.problems.push(`unparseable: ${err.message}`);
    },
  );
}

const ready = new Promise<number>((resolve, reject) => {
  server.once('error', reject);
  server.listen(0, '127.0.0.1', () => resolve((server.server.address() as AddressInfo).port));
});

serveIpc({
  port: () => ready,
  reset(req) {
    phase = newPhase(String(req.phase), Number(req.verifyEvery ?? 100));
    count = 0;
    return true;
  },
  count: () => ({ messages: phase.recipients.length }),
  report() {
    const p = phase;
    return {
      phase: p.name,
      recipients: p.recipients,
      times: p.times,
      firstRaw: p.firstRaw,
      firstSubject: p.firstSubject,
      sampled: p.sampled,
      wellFormed: p.wellFormed,
      problems: p.problems,
      sessions: p.sessions.size,
      other: p.other,
    };
  },
  close() {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 500).unref();
    return true;
  },
});
