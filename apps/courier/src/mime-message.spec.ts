import MailComposer from 'nodemailer/lib/mail-composer';
import { emailMessageKey } from './email.sender';
import { MimeMessageBuilder } from './mime-message';

const FROM = 'Safety Notice Exchange <notices@sne.test>';
const date = new Date('2026-03-06T09:30:00Z');
const longAsciiLines = `Acknowledge this notice:\nhttps://sne.example/ack/${'eyJhY2tJZCI6Ijdm'.repeat(8)}.sig\n\n${'Inclined sleepers remain in homes. '.repeat(12)}\n. a line that starts with a dot\n`;

const cases: [string, Record<string, unknown>, string][] = [
  ['a notice email (quoted-printable parts)', { to: 'duty@agency.example', subject: '[HIGH ALERT] SNE-2026-0042: Inclined infant sleepers: check every home', text: longAsciiLines, html: `<p>${longAsciiLines}</p>` }, 'quoted-printable'],
  ['mostly non-Latin text (base64 parts), a Unicode subject', { to: 'duty@agency.example', subject: 'Ünïcode ✓ уведомление', text: 'Уведомление о безопасности детей. '.repeat(20), html: `<p>${'ребёнок '.repeat(40)}</p>` }, 'base64'],
  ['short plain text (7bit parts), extra headers', { to: 'a@b.example', subject: 'Test', text: 'Hello', html: '<p>Hello</p>', headers: { 'X-SNE-Delivery': 'd-42' } }, '7bit'],
  ['an internationalised domain', { to: 'duty@bücher.example', subject: 'Test', text: 'Hello', html: '<p>Hello</p>' }, '7bit'],
];

describe('MimeMessageBuilder', () => {
  const builder = new MimeMessageBuilder(FROM);

  it.each(cases)('writes the bytes nodemailer builds for the same message: %s', async (_name, mail, encoding) => {
    const ours = builder.build({ ...mail, headers: { 'Auto-Submitted': 'auto-generated', ...(mail.headers as object) }, date });
    const raw = ours.raw.toString('latin1');
    const baseBoundary = /boundary="--_NmP-([0-9a-f-]+)-Part_1"/.exec(raw)?.[1];
    expect(baseBoundary).toMatch(/^[0-9a-f-]{36}$/);
    const theirs = await new MailComposer({
      ...mail,
      from: FROM,
      headers: { 'Auto-Submitted': 'auto-generated', ...(mail.headers as object) },
      date,
      messageId: ours.messageId,
      baseBoundary,
    })
      .compile()
      .build();
    expect(raw).toBe(theirs.toString('latin1'));
    expect(raw.match(/Content-Transfer-Encoding: .+/g)).toEqual([`Content-Transfer-Encoding: ${encoding}`, `Content-Transfer-Encoding: ${encoding}`]);
  });

  it('gives the SMTP envelope and a Message-ID in the From domain', () => {
    const first = builder.build({ to: 'duty@agency.example', subject: 's', text: 't', html: '<p>t</p>' });
    const second = builder.build({ to: 'duty@agency.example', subject: 's', text: 't', html: '<p>t</p>' });
    expect(first.envelope).toEqual({ from: 'notices@sne.test', to: ['duty@agency.example'] });
    expect(first.messageId).toMatch(/^<[0-9a-f-]{36}@sne\.test>$/);
    expect(first.raw.toString()).toContain(`Message-ID: ${first.messageId}\r\n`);
    expect(second.messageId).not.toBe(first.messageId);
  });

  it('gives the Message-ID of a message key on every build of it, and refuses a key that could break the header', () => {
    const mail = { to: 'duty@agency.example', subject: 's', text: 't', html: '<p>t</p>' };
    const key = emailMessageKey('0b6f3a52-8d0e-4b8e-9d1c-3f2a1b0c9d8e', 'Duty@Agency.example');
    expect(key).toBe(emailMessageKey('0b6f3a52-8d0e-4b8e-9d1c-3f2a1b0c9d8e', 'duty@agency.example'));
    expect(key).not.toBe(emailMessageKey('0b6f3a52-8d0e-4b8e-9d1c-3f2a1b0c9d8e', 'intake@agency.example'));
    expect(key).not.toBe(emailMessageKey('1b6f3a52-8d0e-4b8e-9d1c-3f2a1b0c9d8e', 'duty@agency.example'));
    expect(key).not.toContain('agency');
    const [a, b] = [builder.build(mail, key), builder.build(mail, key)];
    expect(a.messageId).toBe(`<${key}@sne.test>`);
    expect(b.messageId).toBe(a.messageId);
    // A long Message-ID is folded onto the next line (RFC 5322 2.2.3); unfolded, it is the key's.
    expect(b.raw.toString().replace(/\r\n[ \t]/g, ' ')).toContain(`Message-ID: <${key}@sne.test>\r\n`);
    for (const bad of ['', 'a b', 'a@b', 'a>\r\nBcc: x@y', '.a', 'a..b']) expect(() => builder.build(mail, bad)).toThrow(TypeError);
  });

  it('gives no recipient for an address nodemailer cannot send to', () => {
    expect(builder.build({ to: '', subject: 's', text: 't' }).envelope.to).toEqual([]);
  });
});
