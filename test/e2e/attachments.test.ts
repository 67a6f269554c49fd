/**
 * Attachments on notices (issue 10, item 5), on the real stack: PostgreSQL, NATS JetStream, an
 * SMTP server and a webhook receiver. Types are sniffed from the bytes, sizes limited, the
 * malware-scan hook can refuse, attachments are part of the content hash (an approval of the
 * earlier content is refused), emails carry signed expiring links (tampered 404, expired 410),
 * the webhook payload lists each attachment with its SHA-256, and the disk store works like the
 * default one.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signAttachmentLink } from '@sne/core';
import { AttachmentScanning } from '../../apps/api/src/attachments/attachments.service';
import { apiClient, createAgency, createTopics, TestAgency } from '../support/fixtures';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { startStack, Stack } from '../support/stack';
import { startWebhookReceiver, WebhookReceiver } from '../support/webhook-receiver';

const PDF = readFileSync(join(__dirname, '../fixtures/attachments/guidance.pdf'));
const PNG = readFileSync(join(__dirname, '../fixtures/attachments/product-photo.png'));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const NOTICE = {
  title: 'Recalled bath seat',
  summary: 'Remove the recalled bath seat from homes under supervision.',
  body: 'The manufacturer recalled the seat after two incidents.',
  category: 'alert',
  severity: 'high',
  topics: ['bath-safety'],
  requiredActions: ['Check every home with an infant'],
};

async function upload(stack: Stack, key: string, noticeId: string, name: string, bytes: Buffer, contentType = 'application/octet-stream') {
  const res = await fetch(`${stack.url}/api/v1/notices/${noticeId}/attachments?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': contentType },
    body: bytes,
  });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
}

async function countRows(stack: Stack): Promise<{ attachments: number; blobs: number }> {
  const [r] = await stack.db.query(`SELECT (SELECT count(*)::int FROM notice_attachments) AS attachments, (SELECT count(*)::int FROM attachment_blobs) AS blobs`);
  return r;
}

describe('attachments on notices', () => {
  let stack: Stack;
  let smtp: SmtpSink;
  let receiver: WebhookReceiver;
  let call: ReturnType<typeof apiClient>;
  let issuer: TestAgency, hooked: TestAgency, mailed: TestAgency;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    receiver = await startWebhookReceiver();
    stack = await startStack({ SMTP_URL: smtp.url, ATTACHMENT_MAX_KB: '64' });
    call = apiClient(stack.url);
    await createTopics(stack.db, ['bath-safety']);
    issuer = await createAgency(stack.db, { name: 'Issuing state', type: 'state' });
    hooked = await createAgency(stack.db, { name: 'Webhook county' });
    mailed = await createAgency(stack.db, { name: 'Email county' });
    const hook = await call('POST', '/api/v1/subscriptions', {
      key: hooked.keys.agency_admin,
      body: { name: 'intake', topicPatterns: ['bath-safety'], channel: 'webhook', webhookUrl: receiver.url('/hooks/att') },
    });
    receiver.setSecret('/hooks/att', hook.body.signingSecret);
    await call('POST', '/api/v1/subscriptions', {
      key: mailed.keys.agency_admin,
      body: { name: 'desk', topicPatterns: ['bath-safety'], channel: 'email', emailAddresses: ['desk@county.test'] },
    });
  });

  afterAll(async () => {
    await stack?.close();
    await smtp?.close();
    await receiver?.close();
  });

  it('sniffs the type from the content, not the name or the claimed type, and records the change', async () => {
    const draft = (await call('POST', '/api/v1/notices', { key: issuer.keys.author, body: NOTICE })).body;
    // A PDF named .png and sent as image/png is a PDF.
    const res = await upload(stack, issuer.keys.author!, draft.id, '../../etc/Guidance\u202e.png', PDF, 'image/png');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ mediaType: 'application/pdf', sizeBytes: PDF.length, sha256: sha(PDF), noticeId: draft.id });
    expect(res.body.name).toBe('Guidance_.png'); // the path and the bidi override are gone
    const after = (await call('GET', `/api/v1/notices/${draft.id}`, { key: issuer.keys.author })).body;
    expect(after.version).toBe(draft.version + 1);
    expect(after.contentHash).not.toBe(draft.contentHash);
    expect(after.attachments).toEqual([expect.objectContaining({ id: res.body.id, sha256: sha(PDF) })]);
    // An edit of the text keeps the attachments in the hash: the same content hashes the same.
    const edited = await call('PATCH', `/api/v1/notices/${draft.id}`, { key: issuer.keys.author, body: { title: NOTICE.title } });
    expect(edited.body.contentHash).toBe(after.contentHash);
    const [event] = await stack.db.query(`SELECT after FROM audit_events WHERE action = 'notice.attachment_added' AND entity_id = $1`, [draft.id]);
    expect(event.after.attachment.sha256).toBe(sha(PDF));

    // Removing it is audited too, and gives back the hash of the notice without attachments.
    const removed = await call('DELETE', `/api/v1/notices/${draft.id}/attachments/${res.body.id}`, { key: issuer.keys.author });
    expect(removed.status).toBe(204);
    const bare = (await call('GET', `/api/v1/notices/${draft.id}`, { key: issuer.keys.author })).body;
    expect(bare.contentHash).toBe(draft.contentHash);
    expect(bare.attachments).toEqual([]);
    expect((await stack.db.query(`SELECT 1 FROM audit_events WHERE action = 'notice.attachment_removed' AND entity_id = $1`, [draft.id])).length).toBe(1);
  });

  it('refuses other types (415), files over the limit (413), JSON bodies (415) and empty names (400), storing nothing', async () => {
    const draft = (await call('POST', '/api/v1/notices', { key: issuer.keys.author, body: NOTICE })).body;
    const before = await countRows(stack);
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(200)]);
    const disguised = await upload(stack, issuer.keys.author!, draft.id, 'guidance.pdf', exe, 'application/pdf');
    expect(disguised.status).toBe(415);
    expect(disguised.body.message).toMatch(/not accepted/);
    const text = await upload(stack, issuer.keys.author!, draft.id, 'notes.pdf', Buffer.from('just some text, no magic'), 'application/pdf');
    expect(text.status).toBe(415);
    expect(text.body.message).toMatch(/could not be recognised/);
    const big = Buffer.concat([PDF, Buffer.alloc(65 * 1024)]);
    const tooLarge = await upload(stack, issuer.keys.author!, draft.id, 'big.pdf', big);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.message).toMatch(/larger than the limit of 64 KB/);
    const json = await call('POST', `/api/v1/notices/${draft.id}/attachments?name=a.pdf`, { key: issuer.keys.author, body: { file: 'x' } });
    expect(json.status).toBe(415);
    const badJson = await call('POST', `/api/v1/notices/${draft.id}/attachments?name=a.pdf`, { key: issuer.keys.author, raw: 'not json at all' });
    expect(badJson.status).toBe(415);
    const noName = await upload(stack, issuer.keys.author!, draft.id, '', PDF);
    expect(noName.status).toBe(400);
    expect(await countRows(stack)).toEqual(before);
    expect((await call('GET', `/api/v1/notices/${draft.id}`, { key: issuer.keys.author })).body.version).toBe(draft.version);
  });

  it('runs the malware-scan hook before accepting: a refusal is 422 and stores nothing', async () => {
    const draft = (await call('POST', '/api/v1/notices', { key: issuer.keys.author, body: NOTICE })).body;
    const scanning = stack.api.get(AttachmentScanning);
    const scanned: string[] = [];
    scanning.use({
      async scan(file) {
        scanned.push(file.sha256);
        return file.mediaType === 'image/png' ? { clean: false, reason: 'test signature found' } : { clean: true };
      },
    });
    try {
      const before = await countRows(stack);
      const refused = await upload(stack, issuer.keys.author!, draft.id, 'photo.png', PNG);
      expect(refused.status).toBe(422);
      expect(refused.body.message).toBe('the malware scan refused this file: test signature found');
      expect(await countRows(stack)).toEqual(before);
      const accepted = await upload(stack, issuer.keys.author!, draft.id, 'guidance.pdf', PDF);
      expect(accepted.status).toBe(201);
      expect(scanned).toEqual([sha(PNG), sha(PDF)]);
    } finally {
      scanning.use({ scan: async () => ({ clean: true }) });
    }
  });

  it('is scoped like the notice: another agency gets 404 for a draft, and only authors of the issuer change attachments', async () => {
    const draft = (await call('POST', '/api/v1/notices', { key: issuer.keys.author, body: NOTICE })).body;
    const att = (await upload(stack, issuer.keys.author!, draft.id, 'guidance.pdf', PDF)).body;
    for (const key of [hooked.keys.author, hooked.keys.supervisor]) {
      expect((await call('GET', `/api/v1/notices/${draft.id}/attachments`, { key })).status).toBe(404);
      expect((await call('GET', `/api/v1/notices/${draft.id}/attachments/${att.id}`, { key })).status).toBe(404);
    }
    expect((await upload(stack, hooked.keys.author!, draft.id, 'x.pdf', PDF)).status).toBe(404);
    expect((await call('DELETE', `/api/v1/notices/${draft.id}/attachments/${att.id}`, { key: hooked.keys.author })).status).toBe(404);
    expect((await upload(stack, issuer.keys.supervisor!, draft.id, 'x.pdf', PDF)).status).toBe(403);
    const list = await call('GET', `/api/v1/notices/${draft.id}/attachments`, { key: issuer.keys.supervisor });
    expect(list.body.items.map((a: { id: string }) => a.id)).toEqual([att.id]);
    // A draft's attachment has no working emailed link, even a genuine one.
    const link = signAttachmentLink(att.id, Math.floor(Date.now() / 1000) + 600, stack.config.ackTokenSecret);
    expect((await fetch(`${stack.url}/attachments/${link}`)).status).toBe(404);
  });

  it('voids an approval when attachments change, then publishes them: webhook with SHA-256, email with signed links, print views', async () => {
    const draft = (await call('POST', '/api/v1/notices', { key: issuer.keys.author, body: NOTICE })).body;
    const pdf = (await upload(stack, issuer.keys.author!, draft.id, 'guidance.pdf', PDF)).body;
    const reviewed = (await call('GET', `/api/v1/notices/${draft.id}`, { key: issuer.keys.approver })).body.contentHash;
    const png = (await upload(stack, issuer.keys.author!, draft.id, 'product photo.png', PNG)).body;
    expect((await call('POST', `/api/v1/notices/${draft.id}/submit`, { key: issuer.keys.author })).status).toBe(200);
    // Attachments change only on drafts.
    expect((await upload(stack, issuer.keys.author!, draft.id, 'late.pdf', PDF)).status).toBe(409);
    expect((await call('DELETE', `/api/v1/notices/${draft.id}/attachments/${pdf.id}`, { key: issuer.keys.author })).status).toBe(409);
    // The approver reviewed the version without the photo: that approval is refused.
    const stale = await call('POST', `/api/v1/notices/${draft.id}/approve`, { key: issuer.keys.approver, body: { contentHash: reviewed } });
    expect(stale.status).toBe(403);
    expect(stale.body.message).toMatch(/changed since it was reviewed/);
    const current = (await call('GET', `/api/v1/notices/${draft.id}`, { key: issuer.keys.approver })).body.contentHash;
    const published = await call('POST', `/api/v1/notices/${draft.id}/approve`, { key: issuer.keys.approver, body: { contentHash: current } });
    expect(published.status).toBe(200);

    const hook = await receiver.waitFor((r) => r.path === '/hooks/att' && r.body.includes(draft.id), 15000);
    expect(hook.verified).toBe(true);
    const payload = JSON.parse(hook.body);
    expect(payload.data.notice.attachments).toEqual([
      { name: 'guidance.pdf', mediaType: 'application/pdf', sizeBytes: PDF.length, sha256: sha(PDF), url: expect.stringMatching(new RegExp(`^${stack.url}/attachments/${pdf.id}\\.`)) },
      { name: 'product photo.png', mediaType: 'image/png', sizeBytes: PNG.length, sha256: sha(PNG), url: expect.stringMatching(new RegExp(`^${stack.url}/attachments/${png.id}\\.`)) },
    ]);

    const mail = await smtp.waitFor((m) => (m.subject ?? '').includes(published.body.reference), 15000);
    expect(mail.text).toContain('ATTACHMENTS');
    expect(mail.html).toContain('product photo.png');
    const links = [...(mail.text ?? '').matchAll(/(http:\/\/\S+\/attachments\/\S+)/g)].map((m) => m[1]);
    expect(links).toHaveLength(2);

    // The signed link opens the file without credentials, with safe headers.
    const pdfRes = await fetch(links[0]);
    expect(pdfRes.status).toBe(200);
    expect(Buffer.from(await pdfRes.arrayBuffer()).equals(PDF)).toBe(true);
    expect(pdfRes.headers.get('content-type')).toBe('application/pdf');
    expect(pdfRes.headers.get('content-disposition')).toMatch(/^attachment; filename="guidance.pdf"/);
    expect(pdfRes.headers.get('x-content-type-options')).toBe('nosniff');
    expect(pdfRes.headers.get('content-security-policy')).toMatch(/default-src 'none'.*sandbox/);
    const pngRes = await fetch(links[1]);
    expect(pngRes.headers.get('content-disposition')).toMatch(/^inline; filename="product photo.png"/);
    expect(sha(Buffer.from(await pngRes.arrayBuffer()))).toBe(sha(PNG));

    // Tampered: 404 (one character of the MAC, of the expiry, or another attachment's id under the same MAC).
    const token = links[0].split('/attachments/')[1];
    const [id, exp, mac] = token.split('.');
    const flipped = mac.slice(0, -2) + (mac.at(-2) === 'A' ? 'B' : 'A') + mac.at(-1);
    for (const bad of [`${id}.${exp}.${flipped}`, `${id}.${Number(exp) + 1}.${mac}`, `${png.id}.${exp}.${mac}`, 'not-a-link']) {
      const res = await fetch(`${stack.url}/attachments/${bad}`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as any).message).toBe('attachment not found');
    }
    // Expired (genuinely signed, an expiry already past): 410.
    const expired: string = signAttachmentLink(pdf.id, Math.floor(Date.now() / 1000) - 1, stack.config.ackTokenSecret);
    const gone = await fetch(`${stack.url}/attachments/${expired}`);
    expect(gone.status).toBe(410);
    const goneBody = (await gone.json()) as any;
    expect(goneBody.message).toMatch(/expired/);
    expect(goneBody.error).toBe('Gone'); // the status's reason phrase, as for every other status

    // The print views (item 6): no forms or navigation, the reference and "printed on … by …" in the
    // page box on every page, page numbers; the report lists the recipients (the issuer sees all).
    const print = await call('GET', `/console/notices/${draft.id}/print`, { key: mailed.keys.supervisor });
    expect(print.status).toBe(200);
    expect(print.text).not.toMatch(/<form|<nav|<button/);
    expect(print.text).toContain('counter(page)');
    expect(print.text).toContain(`@top-left { content: "${published.body.reference.replace(/-/g, '\\2d ')}"`);
    expect(print.text).toMatch(/Printed on \w+day, .+\(America\/Chicago\) by supervisor/);
    expect(print.text).toContain('Attached picture: product photo.png');
    // The due times on paper are what the notice's page says (the print view once lost the default's duration).
    const page = await call('GET', `/console/notices/${draft.id}`, { key: mailed.keys.supervisor });
    const due = (html: string) => /<dt>Acknowledge by<\/dt><dd>([^<]*)<\/dd>/.exec(html)?.[1];
    expect(due(page.text)).toMatch(/^\S/);
    expect(due(print.text)).toBe(due(page.text));
    const report = await call('GET', `/console/notices/${draft.id}/report/print`, { key: issuer.keys.supervisor });
    expect(report.status).toBe(200);
    expect(report.text).not.toMatch(/<form|<nav|<button/);
    expect(report.text).toContain(hooked.name);
    expect(report.text).toContain(mailed.name);
    const ownRow = await call('GET', `/console/notices/${draft.id}/report/print`, { key: mailed.keys.supervisor });
    expect(ownRow.text).toContain(mailed.name);
    expect(ownRow.text).not.toContain(hooked.name);

    // Every member reads a published notice's attachments with its key too.
    const byRecipient = await fetch(`${stack.url}/api/v1/notices/${draft.id}/attachments/${png.id}`, { headers: { authorization: `Bearer ${mailed.keys.supervisor}` } });
    expect(byRecipient.status).toBe(200);
    expect(byRecipient.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('attachments in the disk store (ATTACHMENT_STORE=disk)', () => {
  let stack: Stack;
  let dir: string;
  let call: ReturnType<typeof apiClient>;
  let issuer: TestAgency;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sne-attachments-'));
    stack = await startStack({ ATTACHMENT_STORE: 'disk', ATTACHMENT_DIR: dir });
    call = apiClient(stack.url);
    await createTopics(stack.db, ['bath-safety']);
    issuer = await createAgency(stack.db, { name: 'Disk state', type: 'state' });
  });

  afterAll(async () => {
    await stack?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the bytes on disk, named by the attachment id, serves them, and deletes them with the attachment', async () => {
    const draft = (await call('POST', '/api/v1/notices', { key: issuer.keys.author, body: NOTICE })).body;
    const att = (await upload(stack, issuer.keys.author!, draft.id, 'guidance.pdf', PDF)).body;
    expect(att.sha256).toBe(sha(PDF));
    expect(readFileSync(join(dir, att.id)).equals(PDF)).toBe(true);
    expect(await countRows(stack)).toEqual({ attachments: 1, blobs: 0 });
    const [row] = await stack.db.query(`SELECT storage FROM notice_attachments WHERE id = $1`, [att.id]);
    expect(row.storage).toBe('disk');
    const res = await fetch(`${stack.url}/api/v1/notices/${draft.id}/attachments/${att.id}`, { headers: { authorization: `Bearer ${issuer.keys.author}` } });
    expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);
    expect((await call('DELETE', `/api/v1/notices/${draft.id}/attachments/${att.id}`, { key: issuer.keys.author })).status).toBe(204);
    expect(existsSync(join(dir, att.id))).toBe(false);
  });
});
