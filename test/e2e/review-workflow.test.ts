/**
 * Issue 10, items 1 and 2, on the real stack (PostgreSQL, NATS, the in-process SMTP server, a
 * real webhook receiver): nobody waits unseen (review emails by role, with a per-user setting)
 * and nobody publishes blind (the recipient list by the fan-out's own rule, previews by the
 * courier's own builders, approval bound to the list confirmed, the de-identification check's
 * scope, version history with word-level changes).
 */
import { DataSource } from 'typeorm';
import { User } from '@sne/core';
import { issueApiKey } from '../../apps/api/src/api-keys/api-keys.controller';
import { addUser, apiClient, createAgency, createTopics, eventually, TestAgency } from '../support/fixtures';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { startStack, Stack } from '../support/stack';
import { startWebhookReceiver, WebhookReceiver } from '../support/webhook-receiver';

/** A second approver in the agency, whose name sorts before the fixture's ("approver …"). */
async function addApprover(db: DataSource, agency: TestAgency, name: string) {
  return db.transaction(async (m) => {
    const user = await m.save(m.create(User, { agencyId: agency.id, email: `${name.replace(/\W/g, '')}@agency.test`, name, roles: ['approver'] }));
    return { id: user.id, email: user.email, key: (await issueApiKey(m, user, 'test', null)).key };
  });
}

describe('review workflow', () => {
  let stack: Stack;
  let smtp: SmtpSink;
  let receiver: WebhookReceiver;
  let call: ReturnType<typeof apiClient>;
  let issuer: TestAgency;
  const acknowledgeBy = '2031-06-01T15:00:00.000Z';

  beforeAll(async () => {
    smtp = await startSmtpSink();
    receiver = await startWebhookReceiver();
    stack = await startStack({ SMTP_URL: smtp.url });
    call = apiClient(stack.url);
    await createTopics(stack.db, ['review.one', 'review.two', 'review.three']);
    issuer = await createAgency(stack.db, { name: 'Issuer' });
  });

  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
    await smtp?.close();
  });

  const draft = async (title: string, extra: object = {}) => {
    const d = await call('POST', '/api/v1/notices', {
      key: issuer.keys.author,
      body: { title, summary: 'What happened', body: 'Check every **cot**.', category: 'advisory', severity: 'high', topics: ['review.one'], acknowledgeBy, ...extra },
    });
    expect(d.status).toBe(201);
    return d.body;
  };

  it('emails the approvers of the issuing agency on submit (critical: urgent), never the author, and honours the setting', async () => {
    const optedOut = await addApprover(stack.db, issuer, 'Aaron Opted-out');
    const elsewhere = await createAgency(stack.db, { name: 'Elsewhere' });
    expect((await call('GET', '/api/v1/auth/preferences', { key: optedOut.key })).body).toEqual({ reviewEmails: true });
    expect((await call('PUT', '/api/v1/auth/preferences', { key: optedOut.key, body: { reviewEmails: 'no' } })).status).toBe(400);
    const off = await call('PUT', '/api/v1/auth/preferences', { key: optedOut.key, body: { reviewEmails: false } });
    expect(off).toMatchObject({ status: 200, body: { reviewEmails: false } });
    expect(await stack.db.query(`SELECT after FROM audit_events WHERE action = 'user.preferences_changed' AND entity_id = $1`, [optedOut.id])).toEqual([
      { after: { reviewEmails: false } },
    ]);

    const d = await draft('Critical cot recall', { severity: 'critical' });
    expect((await call('POST', `/api/v1/notices/${d.id}/submit`, { key: issuer.keys.author })).status).toBe(200);
    const approverEmail = `approver-${issuer.name.split(' ')[1]}@agency.test`;
    const mail = await smtp.waitFor((m) => m.envelope.rcptTo.includes(approverEmail) && m.subject!.includes('Critical cot recall'));
    expect(mail.subject).toBe('[URGENT] Review needed: Critical cot recall');
    expect(mail.text).toContain(`${stack.url}/console/notices/${d.id}`);
    expect(mail.text).toContain('This notice is critical: please review it now.');
    // Same message, same loop: the opted-out approver (whose name sorts first) was not written to,
    // nor the author, nor the approver of another agency.
    const about = smtp.messages.filter((m) => m.subject!.includes('Critical cot recall'));
    expect(about.map((m) => m.envelope.rcptTo).flat()).toEqual([approverEmail]);
    expect(about.some((m) => m.envelope.rcptTo.includes(`approver-${elsewhere.name.split(' ')[1]}@agency.test`))).toBe(false);

    // The review says it is urgent too.
    expect((await call('GET', `/api/v1/notices/${d.id}/review`, { key: issuer.keys.approver })).body.urgent).toBe(true);
  });

  it('does not ask a colleague who edited the draft to review it (they cannot approve it), and asks the other approvers', async () => {
    const editor = await addUser(stack.db, issuer, 'Dana Dual', ['author', 'approver']);
    const d = await draft('Cot recall edited by a colleague');
    const edited = await call('PATCH', `/api/v1/notices/${d.id}`, { key: editor.key, body: { summary: 'What happened, said better' } });
    expect(edited.status).toBe(200);
    expect((await call('POST', `/api/v1/notices/${d.id}/submit`, { key: issuer.keys.author })).status).toBe(200);
    const approverEmail = `approver-${issuer.name.split(' ')[1]}@agency.test`;
    await smtp.waitFor((m) => m.envelope.rcptTo.includes(approverEmail) && m.subject === 'Review needed: Cot recall edited by a colleague');
    const [{ email }] = await stack.db.query(`SELECT email FROM users WHERE id = $1`, [editor.id]);
    const about = smtp.messages.filter((m) => m.subject === 'Review needed: Cot recall edited by a colleague');
    expect(about.map((m) => m.envelope.rcptTo).flat()).not.toContain(email);
    // And indeed they cannot approve it.
    expect((await call('POST', `/api/v1/notices/${d.id}/approve`, { key: editor.key, body: { contentHash: edited.body.contentHash } })).status).toBe(403);
  });

  it('emails the author on rejection, with the reasons, and on approval, with the reference', async () => {
    const d = await draft('Cot recall to be reworded');
    await call('POST', `/api/v1/notices/${d.id}/submit`, { key: issuer.keys.author });
    const reasons = ['Name the cot model', 'Say who to call'];
    expect((await call('POST', `/api/v1/notices/${d.id}/reject`, { key: issuer.keys.approver, body: { reasons } })).status).toBe(200);
    const authorEmail = `author-${issuer.name.split(' ')[1]}@agency.test`;
    const rejected = await smtp.waitFor((m) => m.envelope.rcptTo.includes(authorEmail) && m.subject === 'Sent back to draft: Cot recall to be reworded');
    expect(rejected.text).toContain('- Name the cot model');
    expect(rejected.text).toContain('- Say who to call');
    expect(rejected.html).toContain('<li>Name the cot model</li>');

    const resubmitted = await call('POST', `/api/v1/notices/${d.id}/submit`, { key: issuer.keys.author });
    const approved = await call('POST', `/api/v1/notices/${d.id}/approve`, { key: issuer.keys.approver, body: { contentHash: resubmitted.body.contentHash } });
    expect(approved.status).toBe(200);
    const published = await smtp.waitFor((m) => m.envelope.rcptTo.includes(authorEmail) && m.subject === 'Approved and published: Cot recall to be reworded');
    expect(published.text).toContain(`It is published as ${approved.body.reference}`);
  });

  it('shows the exact recipients the fan-out then reaches, previews what they receive, and refuses an approval whose list changed', async () => {
    // A: an email subscription; B: a webhook subscription, paused; C: none (critical: mandatory email);
    // D: an active webhook; E: offboarded (never a recipient).
    const topic = 'review.two';
    const a = await createAgency(stack.db, { name: 'Alpha' });
    const b = await createAgency(stack.db, { name: 'Bravo' });
    const c = await createAgency(stack.db, { name: 'Charlie' });
    const dAgency = await createAgency(stack.db, { name: 'Delta' });
    const subA = await call('POST', '/api/v1/subscriptions', { key: a.keys.agency_admin, body: { name: 'Inbox', topicPatterns: [topic], channel: 'email', emailAddresses: ['duty@alpha.test'] } });
    expect(subA.status).toBe(201);
    const subB = await call('POST', '/api/v1/subscriptions', { key: b.keys.agency_admin, body: { name: 'Case system', topicPatterns: [topic], channel: 'webhook', webhookUrl: receiver.url('/bravo') } });
    expect((await call('POST', `/api/v1/subscriptions/${subB.body.id}/pause`, { key: b.keys.agency_admin })).status).toBe(200);
    const subD = await call('POST', '/api/v1/subscriptions', { key: dAgency.keys.agency_admin, body: { name: 'Hook', topicPatterns: [topic], channel: 'webhook', webhookUrl: receiver.url('/delta') } });
    receiver.setSecret('/delta', subD.body.signingSecret);
    // Only these agencies are targeted: everyone else of this run lies outside the jurisdictions.
    const targets = [a, b, c, dAgency].map((g) => g.id);
    const codes: string[] = (await stack.db.query(`SELECT jurisdiction_code FROM agencies WHERE id = ANY($1::uuid[])`, [targets])).map((r: any) => r.jurisdiction_code);

    const n = await draft('Cot recall for four agencies', { severity: 'critical', topics: [topic], targetJurisdictions: codes });
    await call('POST', `/api/v1/notices/${n.id}/submit`, { key: issuer.keys.author });
    const review = await call('GET', `/api/v1/notices/${n.id}/review`, { key: issuer.keys.approver });
    expect(review.status).toBe(200);
    const list = review.body.recipients;
    expect(list.count).toBe(4);
    const byName = (g: TestAgency) => list.recipients.find((r: any) => r.agencyId === g.id);
    // A subscription's addresses by their domain only, as the webhook by its origin; the contacts (B, C) in full.
    expect(byName(a)).toMatchObject({ basis: 'subscribed', channels: [{ channel: 'email', status: 'active', held: false, target: ['***@alpha.test'] }] });
    // B's subscription is paused: held, and its fallback contacts (here its notices contact) are emailed meanwhile.
    expect(byName(b)).toMatchObject({ basis: 'subscribed', channels: [{ channel: 'email', status: 'fallback', held: false, target: [b.contact] }, { channel: 'webhook', status: 'paused', held: true, target: [receiver.baseUrl] }] });
    expect(byName(c)).toMatchObject({ basis: 'mandatory', channels: [{ channel: 'email', status: 'contact', held: false, target: [c.contact] }] });
    expect(byName(dAgency)).toMatchObject({ basis: 'subscribed', channels: [{ channel: 'webhook', status: 'active', held: false }] });

    // The previews are the courier's own output.
    const preview = review.body.preview;
    expect(preview.email.to).toBe('***@alpha.test');
    expect(preview.email.subject).toBe('[CRITICAL ADVISORY] assigned on publication: Cot recall for four agencies');
    expect(preview.email.html).toContain('<strong>cot</strong>');
    expect(preview.webhook).toMatchObject({ type: 'notice.published', data: { notice: { title: 'Cot recall for four agencies', severity: 'critical' } } });

    // The de-identification check says what it covered.
    expect(review.body.deid).toMatchObject({ clear: true, fieldsScanned: ['title', 'summary', 'body'] });
    expect(review.body.deid.kindsScanned).toContain('dates of birth');
    expect(review.body.deid.summary).toMatch(/^Checked the title, summary, body and 0 required actions for 16 kinds of identifying data \(personal names, .*\): none found\.$/);

    // The list changes under the approver: a fifth agency subscribes.
    const e = await createAgency(stack.db, { name: 'Echo' });
    await stack.db.query(`UPDATE notices SET target_jurisdictions = target_jurisdictions || $2::text[] WHERE id = $1`, [n.id, [(await stack.db.query(`SELECT jurisdiction_code FROM agencies WHERE id = $1`, [e.id]))[0].jurisdiction_code]]);
    const stale = await call('POST', `/api/v1/notices/${n.id}/approve`, { key: issuer.keys.approver, body: { contentHash: review.body.contentHash, recipientCount: 4, recipientsDigest: list.digest } });
    expect(stale.status).toBe(409);
    expect(stale.body.message).toBe('the recipient list changed since you reviewed it: it now has 5 agencies (you confirmed 4). Review the list again before you publish.');
    expect(stale.body.recipientCount).toBe(5);
    expect((await stack.db.query(`SELECT status FROM notices WHERE id = $1`, [n.id]))[0].status).toBe('in_review');
    expect((await call('POST', `/api/v1/notices/${n.id}/approve`, { key: issuer.keys.approver, body: { contentHash: review.body.contentHash, recipientsDigest: 'ab' } })).status).toBe(400);

    const reviewAgain = (await call('GET', `/api/v1/notices/${n.id}/review`, { key: issuer.keys.approver })).body;
    const again = reviewAgain.recipients;
    const approved = await call('POST', `/api/v1/notices/${n.id}/approve`, { key: issuer.keys.approver, body: { contentHash: review.body.contentHash, recipientCount: again.count, recipientsDigest: again.digest } });
    expect(approved.status).toBe(200);

    // What the fan-out did is what the list said: the same agencies, the same channels, B's webhook held.
    await eventually(async () => (await stack.db.query(`SELECT fanned_out_at FROM notices WHERE id = $1`, [n.id]))[0].fanned_out_at ?? false, 15000, 'the fan-out');
    const deliveries: { agency_id: string; channel: string; status: string }[] = await stack.db.query(
      `SELECT agency_id, channel, status FROM deliveries WHERE notice_id = $1 AND event_type = 'notice.published'`,
      [n.id],
    );
    const expected = again.recipients.flatMap((r: any) => r.channels.map((ch: any) => `${r.agencyId}|${ch.channel}|${ch.held ? 'held' : 'sent'}`)).sort();
    expect(deliveries.map((d) => `${d.agency_id}|${d.channel}|${d.status === 'held' ? 'held' : 'sent'}`).sort()).toEqual(expected);

    // And what recipients receive is the preview, but for the reference, the publication time and the link.
    const real = await smtp.waitFor((m) => m.envelope.rcptTo.includes('duty@alpha.test'));
    const normal = (t: string) =>
      t.replace(/^Reference: .*$/m, 'Reference: R').replace(/^Published: .*$/m, 'Published: P').replace(/\/ack\/\S+/, '/ack/LINK').replace(/Sent to \S+ for/, 'Sent to X for');
    expect(normal(real.text!)).toBe(normal(preview.email.text));
    expect(real.subject).toBe(preview.email.subject.replace('assigned on publication', approved.body.reference));
    const hook = JSON.parse((await receiver.waitFor((r) => r.path === '/delta')).body);
    const strip = (w: any) => ({ ...w, timestamp: 'T', data: { ...w.data, notice: { ...w.data.notice, reference: 'R', publishedAt: 'P' } } });
    // Published: nothing is left to review.
    expect((await call('GET', `/api/v1/notices/${n.id}/review`, { key: issuer.keys.approver })).status).toBe(409);
    expect(strip(hook)).toEqual(strip(reviewAgain.preview.webhook));
  });

  it("lists an update's recipients as the agencies that had the original, as the fan-out then tells them", async () => {
    const topic = 'review.three';
    const a = await createAgency(stack.db, { name: 'Foxtrot' });
    const b = await createAgency(stack.db, { name: 'Golf' });
    await call('POST', '/api/v1/subscriptions', { key: a.keys.agency_admin, body: { name: 'Inbox', topicPatterns: [topic], channel: 'email', emailAddresses: ['duty@foxtrot.test'] } });
    const subB = await call('POST', '/api/v1/subscriptions', { key: b.keys.agency_admin, body: { name: 'Inbox', topicPatterns: [topic], channel: 'email', emailAddresses: ['duty@golf.test'] } });
    const codes: string[] = (await stack.db.query(`SELECT jurisdiction_code FROM agencies WHERE id = ANY($1::uuid[])`, [[a.id, b.id]])).map((r: any) => r.jurisdiction_code);
    const original = await draft('Cot recall, first version', { topics: [topic], targetJurisdictions: codes });
    await call('POST', `/api/v1/notices/${original.id}/submit`, { key: issuer.keys.author });
    expect((await call('POST', `/api/v1/notices/${original.id}/approve`, { key: issuer.keys.approver, body: { contentHash: original.contentHash } })).status).toBe(200);
    await eventually(async () => (await stack.db.query(`SELECT fanned_out_at FROM notices WHERE id = $1`, [original.id]))[0].fanned_out_at ?? false, 15000, 'the first fan-out');
    // Golf pauses its subscription before the update.
    expect((await call('POST', `/api/v1/subscriptions/${subB.body.id}/pause`, { key: b.keys.agency_admin })).status).toBe(200);

    const update = await call('POST', `/api/v1/notices/${original.id}/updates`, { key: issuer.keys.author, body: { material: true, title: 'Cot recall, second version' } });
    expect(update.status).toBe(201);
    await call('POST', `/api/v1/notices/${update.body.id}/submit`, { key: issuer.keys.author });
    const review = (await call('GET', `/api/v1/notices/${update.body.id}/review`, { key: issuer.keys.approver })).body;
    expect(review.recipients.count).toBe(2);
    expect(review.recipients.recipients.map((r: any) => r.basis)).toEqual(['had-original', 'had-original']);
    expect(review.preview.email.subject).toBe('[UPDATED] [HIGH ADVISORY] assigned on publication: Cot recall, second version');
    // The update's first version shows what it changes against the original.
    expect(review.versions[0].changes.map((c: any) => c.field)).toEqual(['title']);

    const approved = await call('POST', `/api/v1/notices/${update.body.id}/approve`, {
      key: issuer.keys.approver,
      body: { contentHash: review.contentHash, recipientsDigest: review.recipients.digest },
    });
    expect(approved.status).toBe(200);
    await eventually(async () => (await stack.db.query(`SELECT fanned_out_at FROM notices WHERE id = $1`, [update.body.id]))[0].fanned_out_at ?? false, 15000, 'the update fan-out');
    const rows: { agency_id: string; channel: string; status: string }[] = await stack.db.query(
      `SELECT agency_id, channel, status FROM deliveries WHERE notice_id = $1 AND event_type = 'notice.updated'`,
      [update.body.id],
    );
    const expected = review.recipients.recipients.flatMap((r: any) => r.channels.map((ch: any) => `${r.agencyId}|${ch.channel}|${ch.held ? 'held' : 'sent'}`)).sort();
    expect(rows.map((d) => `${d.agency_id}|${d.channel}|${d.status === 'held' ? 'held' : 'sent'}`).sort()).toEqual(expected);
  });

  it('shows the version history with word-level changes, to the issuing agency only', async () => {
    const d = await draft('Recall of the blue cot', { topics: ['review.three'] });
    const edited = await call('PATCH', `/api/v1/notices/${d.id}`, { key: issuer.keys.author, body: { title: 'Recall of the green cot' } });
    expect(edited.status).toBe(200);
    const history = await call('GET', `/api/v1/notices/${d.id}/versions`, { key: issuer.keys.approver });
    expect(history.status).toBe(200);
    expect(history.body.versions.map((v: any) => v.version)).toEqual([1, 2]);
    const [title] = history.body.versions[1].changes;
    expect(title.label).toBe('Title');
    expect(title.parts.filter((p: any) => p.change !== 'same').map((p: any) => `${p.change}:${p.text.trim()}`)).toEqual(['removed:blue', 'added:green']);
    expect(history.body.versions[1].savedByName).toMatch(/^author /);

    const other = await createAgency(stack.db, { name: 'Nosy' });
    expect((await call('GET', `/api/v1/notices/${d.id}/versions`, { key: other.keys.approver })).status).toBe(404);
    expect((await call('GET', `/api/v1/notices/${d.id}/review`, { key: other.keys.approver })).status).toBe(404);
  });
});
