import { createTransport } from 'nodemailer';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink';

describe('smtp sink', () => {
  let sink: SmtpSink;
  beforeEach(async () => {
    sink = await startSmtpSink({ failRecipients: { 'Gone@Example.test': 'permanent', 'busy@example.test': 'temporary' } });
  });
  afterEach(() => sink.close());

  const transport = () => createTransport({ url: sink.url, ignoreTLS: true });

  it('receives and parses mail, with the envelope', async () => {
    expect(sink.url).toBe(`smtp://127.0.0.1:${sink.port}`);
    const t = transport();
    const info = await t.sendMail({
      from: 'SNE <notices@sne.test>',
      to: 'duty@agency.test',
      subject: 'Hello ✓',
      text: 'plain part',
      html: '<p>html part</p>',
      headers: { 'X-Test': 'yes' },
    });
    t.close();
    expect(info.response).toMatch(/^250 /);
    const mail = await sink.waitFor((m) => m.subject === 'Hello ✓');
    expect(mail.envelope).toEqual({ mailFrom: 'notices@sne.test', rcptTo: ['duty@agency.test'] });
    expect(mail.text?.trim()).toBe('plain part');
    expect(mail.html).toContain('<p>html part</p>');
    expect(mail.headers.get('x-test')).toBe('yes');
    expect(mail.raw.toString()).toContain('X-Test: yes');
    expect(sink.messages).toHaveLength(1);
  });

  it('waitFor also finds a message that arrives later, and times out otherwise', async () => {
    const waiting = sink.waitFor((m) => m.subject === 'later', 5000);
    const t = transport();
    await t.sendMail({ from: 'a@sne.test', to: 'b@agency.test', subject: 'later', text: 'x' });
    t.close();
    await expect(waiting).resolves.toMatchObject({ subject: 'later' });
    await expect(sink.waitFor((m) => m.subject === 'never', 50)).rejects.toThrow(/0\/1 matching/);
  });

  it('refuses configured recipients with 5xx or 4xx, case-insensitively', async () => {
    const t = transport();
    await expect(t.sendMail({ from: 'a@sne.test', to: 'gone@example.test', subject: 's', text: 'x' })).rejects.toMatchObject({
      responseCode: 550,
    });
    await expect(t.sendMail({ from: 'a@sne.test', to: 'busy@example.test', subject: 's', text: 'x' })).rejects.toMatchObject({
      responseCode: 451,
    });
    sink.failRecipient('busy@example.test', undefined);
    sink.failRecipient('new@example.test', { code: 552, message: 'Mailbox full' });
    await expect(t.sendMail({ from: 'a@sne.test', to: 'new@example.test', subject: 's', text: 'x' })).rejects.toMatchObject({
      responseCode: 552,
    });
    await t.sendMail({ from: 'a@sne.test', to: 'busy@example.test', subject: 'ok now', text: 'x' });
    t.close();
    expect(sink.messages.map((m) => m.subject)).toEqual(['ok now']);
  });

  it('closes promptly even with a pooled client still connected', async () => {
    const pooled = createTransport({ url: sink.url, pool: true, ignoreTLS: true });
    await pooled.sendMail({ from: 'a@sne.test', to: 'b@agency.test', subject: 'p', text: 'x' });
    await sink.close(); // would hang for the default 30 s close timeout, failing the test's timeout
    pooled.close();
    sink = await startSmtpSink(); // afterEach closes this one
  }, 10_000);
});
