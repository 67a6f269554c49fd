import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import {
  createEmailSender,
  DevMailboxEmailSender,
  EmailSender,
  SmtpEmailSender,
} from '../../../apps/courier/src/email.sender';
import { DevMailbox } from '@sne/core/mailbox/dev-mailbox';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink';

const FROM = 'Safety Notice Exchange <notices@sne.test>';
const mail = (to: string, subject = 'Notice') => ({
  to,
  subject,
  html: `<p>Hello <strong>${to}</strong></p>`,
  text: `Hello ${to}`,
  headers: { 'X-SNE-Delivery': 'd-42' },
});

describe('SmtpEmailSender (against a real SMTP server)', () => {
  let sink: SmtpSink;
  let sender: EmailSender;
  beforeEach(async () => {
    sink = await startSmtpSink({
      failRecipients: { 'gone@agency.test': 'permanent', 'later@agency.test': 'temporary' },
    });
    sender = createEmailSender({ smtpUrl: sink.url, from: FROM, maxConnections: 2 });
  });
  afterEach(async () => {
    await sender.close();
    await sink.close();
  });

  it('is chosen when an SMTP URL is configured', () => {
    expect(sender).toBeInstanceOf(SmtpEmailSender);
  });

  it('sends html and text parts, with headers, and reports the server reply', async () => {
    const result = await sender.send({ ...mail('duty@agency.test', '[CRITICAL ALERT] NPCS-2026-0042: Ünïcode ✓') });
    expect(result).toMatchObject({ ok: true, permanent: false });
    expect(result.response).toMatch(/^250 .*Queued as sink-1/);
    expect(result.messageId).toMatch(/^<.+@.+>$/);
    expect(result.error).toBeUndefined();

    const got = await sink.waitFor((m) => m.envelope.rcptTo.includes('duty@agency.test'));
    expect(got.subject).toBe('[CRITICAL ALERT] NPCS-2026-0042: Ünïcode ✓');
    expect(got.from?.text).toBe('"Safety Notice Exchange" <notices@sne.test>');
    expect(got.envelope).toEqual({ mailFrom: 'notices@sne.test', rcptTo: ['duty@agency.test'] });
    expect(got.html).toContain('<p>Hello <strong>duty@agency.test</strong></p>');
    expect(got.text?.trim()).toBe('Hello duty@agency.test');
    expect(got.headers.get('x-sne-delivery')).toBe('d-42');
    expect(got.headers.get('auto-submitted')).toBe('auto-generated');
    expect(got.messageId).toBe(result.messageId);
  });

  it('reports a 5xx recipient refusal as a permanent failure', async () => {
    const result = await sender.send(mail('gone@agency.test'));
    expect(result).toMatchObject({ ok: false, permanent: true });
    expect(result.response).toMatch(/^550 5\.1\.1 Mailbox unavailable/);
    expect(result.error).toMatch(/^EENVELOPE: /);
    expect(sink.messages).toHaveLength(0);
  });

  it('reports a 4xx refusal as a temporary failure', async () => {
    const result = await sender.send(mail('later@agency.test'));
    expect(result).toMatchObject({ ok: false, permanent: false });
    expect(result.response).toMatch(/^451 /);
  });

  it('treats an address the client cannot send to as permanent', async () => {
    const result = await sender.send(mail(''));
    expect(result).toMatchObject({ ok: false, permanent: true });
    expect(result.error).toMatch(/EENVELOPE/);
  });

  it('sends many messages over a bounded pool of connections', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => sender.send(mail(`r${i}@agency.test`, `m${i}`))));
    expect(results.every((r) => r.ok)).toBe(true);
    const received = await sink.waitForCount(20);
    expect(new Set(received.map((m) => m.subject))).toEqual(new Set(Array.from({ length: 20 }, (_, i) => `m${i}`)));
    expect(new Set(received.map((m) => m.sessionId)).size).toBeLessThanOrEqual(2);
  });

  it('keeps sending after one recipient is refused', async () => {
    expect((await sender.send(mail('gone@agency.test'))).ok).toBe(false);
    expect((await sender.send(mail('fine@agency.test'))).ok).toBe(true);
  });

  it('returns, not throws, when the server is unreachable', async () => {
    const down = await startSmtpSink();
    const url = down.url;
    await down.close();
    const unreachable = createEmailSender({ smtpUrl: url, from: FROM });
    try {
      const result = await unreachable.send(mail('duty@agency.test'));
      expect(result).toMatchObject({ ok: false, permanent: false });
      expect(result.error).toMatch(/ECONNREFUSED|ECONNECTION|ESOCKET/);
      expect(result.response).toBeUndefined();
    } finally {
      await unreachable.close();
    }
  });
});

describe('DevMailbox and DevMailboxEmailSender (PostgreSQL)', () => {
  const adminUrl = 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = `sne_helper_${randomBytes(6).toString('hex')}`;
  let dataSource: DataSource;
  let mailbox: DevMailbox;

  beforeAll(async () => {
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    dataSource = new DataSource({ type: 'postgres', url: `postgres://postgres@127.0.0.1:5432/${dbName}`, entities: [] });
    await dataSource.initialize();
    // Exactly the migration's table.
    await dataSource.query(`
      CREATE TABLE dev_mail (
        id bigserial PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now(),
        to_address text NOT NULL,
        subject text NOT NULL,
        html text NOT NULL,
        text text NOT NULL
      )`);
    mailbox = new DevMailbox(dataSource);
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  });

  beforeEach(() => dataSource.query('TRUNCATE dev_mail RESTART IDENTITY'));

  it('stores, lists newest first without bodies, and gets one with bodies', async () => {
    const first = await mailbox.store({ to: 'a@agency.test', subject: 'First', html: '<p>1</p>', text: '1' });
    await mailbox.store({ to: 'b@agency.test', subject: "Second 'quoted' $1", html: '<p>2</p>', text: '2' });
    await mailbox.store({ to: 'c@agency.test', subject: 'Third', html: '<p>3</p>', text: '3' });
    expect(first).toMatchObject({ id: '1', to: 'a@agency.test', subject: 'First' });
    expect(first.createdAt).toBeInstanceOf(Date);

    const list = await mailbox.list();
    expect(list.map((m) => m.subject)).toEqual(['Third', "Second 'quoted' $1", 'First']);
    for (const m of list) expect(Object.keys(m).sort()).toEqual(['createdAt', 'id', 'subject', 'to']);
    expect((await mailbox.list(2)).map((m) => m.subject)).toEqual(['Third', "Second 'quoted' $1"]);

    expect(await mailbox.get(first.id)).toEqual({ ...first, html: '<p>1</p>', text: '1' });
    expect(await mailbox.get(Number(first.id))).toMatchObject({ subject: 'First' });
  });

  it('returns null for ids that do not exist or are not ids', async () => {
    expect(await mailbox.get('999')).toBeNull();
    expect(await mailbox.get('1; DROP TABLE dev_mail')).toBeNull();
    expect(await mailbox.get('-1')).toBeNull();
    expect(await mailbox.list()).toEqual([]);
  });

  it('is what the factory picks without an SMTP URL, and reports a stored mail as sent', async () => {
    const sender = createEmailSender({ from: FROM }, mailbox);
    expect(sender).toBeInstanceOf(DevMailboxEmailSender);
    const result = await sender.send(mail('duty@agency.test', 'Dev notice'));
    expect(result).toMatchObject({ ok: true, permanent: false, response: '250 stored in dev mailbox as 1', messageId: '<dev-mail-1@sne.localhost>' });
    expect(await mailbox.get('1')).toMatchObject({
      to: 'duty@agency.test',
      subject: 'Dev notice',
      html: '<p>Hello <strong>duty@agency.test</strong></p>',
      text: 'Hello duty@agency.test',
    });
    await sender.close();
  });

  it('returns a temporary failure when the database is unavailable', async () => {
    const broken = new DataSource({ type: 'postgres', url: `postgres://postgres@127.0.0.1:5432/${dbName}`, entities: [] });
    await broken.initialize();
    await broken.destroy();
    const result = await new DevMailboxEmailSender(new DevMailbox(broken)).send(mail('duty@agency.test'));
    expect(result).toMatchObject({ ok: false, permanent: false });
    expect(result.error).toBeTruthy();
  });

  it('refuses to build a sender with neither SMTP nor a mailbox', () => {
    expect(() => createEmailSender({ from: FROM })).toThrow(/SMTP_URL or a dev mailbox/);
  });
});
