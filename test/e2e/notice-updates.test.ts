/**
 * product.md scenario 5 and the acknowledgment model's updates and cancellations: an update
 * supersedes (a material one asks for fresh acknowledgments, a typo fix carries each record over
 * whole), a superseded or cancelled notice takes no more answers, and a cancellation closes open
 * records, tells every recipient and stops reminders.
 */
import { Webhook } from 'standardwebhooks';
import { ReminderScheduler } from '../../apps/dispatcher/src/reminder-scheduler.service';
import { AcknowledgmentScene, startAcknowledgmentScene } from '../support/acknowledgment-scene';
import { SmtpSink } from '../support/smtp-sink';
import { Stack } from '../support/stack';
import { WebhookReceiver } from '../support/webhook-receiver';
import { eventually, TestAgency } from '../support/fixtures';

describe('updates and cancellations of a published notice', () => {
  let scene: AcknowledgmentScene;
  let stack: Stack, smtp: SmtpSink, call: AcknowledgmentScene['call'];
  let issuer: TestAgency, hooked: TestAgency, mailed: TestAgency;
  let receiver: WebhookReceiver;
  let secret: string;
  const approve = (draft: any) => scene.approve(draft);
  const publish = (extra?: object) => scene.publish(extra);
  const recordOf = (noticeId: string, agencyId: string) => scene.recordOf(noticeId, agencyId);

  beforeAll(async () => {
    scene = await startAcknowledgmentScene();
    ({ stack, smtp, call, issuer, hooked, mailed, receiver, secret } = scene);
  });

  afterAll(async () => {
    await scene?.close();
  });

  it('a non-material update keeps acknowledgments; every recipient is told with a readable diff', async () => {
    const original = await publish({ category: 'advisory', requiredActions: [] });
    await call('POST', `/api/v1/notices/${original.id}/acknowledgments`, { key: hooked.keys.supervisor, body: {} });
    const draft = await call('POST', `/api/v1/notices/${original.id}/updates`, {
      key: issuer.keys.author,
      body: { material: false, body: 'Line one\nLine 2 clarified' },
    });
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({ status: 'draft', supersedesId: original.id, material: false });
    // Only one update at a time.
    expect((await call('POST', `/api/v1/notices/${original.id}/updates`, { key: issuer.keys.author, body: { material: true } })).status).toBe(409);
    const update = await approve(draft.body);
    expect(update.changes).toEqual([{ field: 'Body', before: 'Line one\nLine two', after: 'Line one\nLine 2 clarified', lines: ['- Line two', '+ Line 2 clarified'] }]);
    expect((await call('GET', `/api/v1/notices/${original.id}`, { key: issuer.keys.supervisor })).body.status).toBe('superseded');

    const told = await receiver.waitFor((r) => r.path === '/county' && JSON.parse(r.body).type === 'notice.updated');
    const payload = new Webhook(secret).verify(told.body, told.headers as Record<string, string>) as any;
    expect(payload.data.supersedes).toEqual({ id: original.id, reference: original.reference });
    expect(payload.data.changes[0].field).toBe('Body');
    const mail = await smtp.waitFor((m) => m.subject?.startsWith('[UPDATED]') === true && m.subject.includes(update.reference));
    expect(mail.text).toContain('Line 2 clarified');

    // Non-material: the county's acknowledgment carries over; the tribe still owes one.
    expect((await recordOf(update.id, hooked.id)).status).toBe('acknowledged');
    expect((await recordOf(update.id, mailed.id)).status).toBe('pending');
    expect((await recordOf(original.id, hooked.id)).status).toBe('acknowledged'); // history: it was acknowledged
    expect((await recordOf(original.id, mailed.id)).status).toBe('superseded');

    // The original email's link sends the tribe to the update it still owes (it said "nothing more is needed").
    const first = await smtp.waitFor((m) => m.subject?.includes(original.reference) === true && !m.subject.startsWith('[UPDATED]') && m.envelope.rcptTo.includes('desk@tribe.test'));
    const link = /(http:\/\/[^\s"<>]+\/ack\/[A-Za-z0-9_.-]+)/.exec(first.text!)![1];
    const owed = await (await fetch(link)).text();
    expect(owed).toContain(`This notice was replaced by an update, ${update.reference}.`);
    expect(owed).toContain('has not acknowledged the update yet');
    expect(owed).not.toContain('Nothing more is needed');
    await call('POST', `/api/v1/notices/${update.id}/acknowledgments`, { key: mailed.keys.supervisor, body: {} });
    const done = await (await fetch(link)).text();
    expect(done).toContain('has acknowledged the update: nothing more is needed from this page.');
  });

  it('a non-material update of an overdue notice keeps the agency overdue, late and on the same reminder rung', async () => {
    const original = await publish({ category: 'advisory', requiredActions: [] });
    // Time passes: the tribe is four hours overdue and its ladder is at the first escalation.
    const rung = { due: new Date(Date.now() - 4 * 3600_000), next: new Date(Date.now() + 3600_000) };
    await stack.db.query(
      `UPDATE acknowledgments SET due_at = $3, reminder_stage = 3, next_reminder_at = $4 WHERE notice_id = $1 AND agency_id = $2`,
      [original.id, mailed.id, rung.due, rung.next],
    );
    const draft = await call('POST', `/api/v1/notices/${original.id}/updates`, { key: issuer.keys.author, body: { material: false, summary: 'Remove inclined sleepers (typo fixed)' } });
    const update = await approve(draft.body);
    const carried = await eventually(async () => (await recordOf(update.id, mailed.id)) ?? false, 10000, 'the carried record');
    expect(carried).toMatchObject({ status: 'pending', overdue: true, dueAt: rung.due.toISOString() });
    const [row] = await stack.db.query(`SELECT reminder_stage, next_reminder_at FROM acknowledgments WHERE notice_id = $1 AND agency_id = $2`, [update.id, mailed.id]);
    expect({ stage: row.reminder_stage, next: row.next_reminder_at.toISOString() }).toEqual({ stage: 3, next: rung.next.toISOString() });
    // Still on the compliance list, under the update's reference.
    const overdue = await call('GET', '/api/v1/reports/overdue', { key: mailed.keys.supervisor });
    expect(overdue.body.items[0].references).toContain(update.reference);
    // Acknowledging now is late.
    const ack = await call('POST', `/api/v1/notices/${update.id}/acknowledgments`, { key: mailed.keys.supervisor, body: {} });
    expect(ack.body).toMatchObject({ status: 'acknowledged', late: true });

    // An update that changes the due time itself (or a material one) starts the clock again.
    const again = await call('POST', `/api/v1/notices/${update.id}/updates`, {
      key: issuer.keys.author,
      body: { material: false, acknowledgeBy: new Date(Date.now() + 48 * 3600_000).toISOString() },
    });
    const moved = await approve(again.body);
    const fresh = await eventually(async () => (await recordOf(moved.id, hooked.id)) ?? false, 10000, 'the moved record');
    expect(new Date(fresh.dueAt).getTime()).toBe(new Date(moved.acknowledgeBy).getTime());
  });

  it('a material update asks everyone for a fresh acknowledgment', async () => {
    const original = await publish({ category: 'advisory', requiredActions: [] });
    await call('POST', `/api/v1/notices/${original.id}/acknowledgments`, { key: hooked.keys.supervisor, body: {} });
    const draft = await call('POST', `/api/v1/notices/${original.id}/updates`, { key: issuer.keys.author, body: { material: true, severity: 'critical' } });
    const update = await approve(draft.body);
    expect((await recordOf(update.id, hooked.id)).status).toBe('pending');
    expect((await recordOf(original.id, hooked.id)).status).toBe('acknowledged');
    // Acknowledging the superseded original is refused with a pointer to the update.
    const old = await call('POST', `/api/v1/notices/${original.id}/acknowledgments`, { key: mailed.keys.supervisor, body: {} });
    expect(old.status).toBe(409);
    expect(old.body.message).toMatch(/superseded/);
  });

  it('a notice superseded (materially or not) or cancelled takes no more answers, even on a complete record: by key, by link or on the link page', async () => {
    for (const end of ['material update', 'typo fix', 'cancellation'] as const) {
      const original = await publish();
      for (const agency of [hooked, mailed]) {
        await call('POST', `/api/v1/notices/${original.id}/acknowledgments`, { key: agency.keys.supervisor, body: {} });
        const answered = await call('POST', `/api/v1/notices/${original.id}/acknowledgments/actions`, {
          key: agency.keys.supervisor,
          body: { answers: [{ action: 0, response: 'done' }, { action: 1, response: 'done' }] },
        });
        expect(answered.body.status).toBe('action_completed');
      }
      const mail = await smtp.waitFor((m) => m.subject?.includes(original.reference) === true && !m.subject.startsWith('[UPDATED]') && m.envelope.rcptTo.includes('desk@tribe.test'));
      const token = /\/ack\/([A-Za-z0-9_.-]+)/.exec(mail.text!)![1];
      let said: RegExp;
      let shows: string;
      if (end === 'cancellation') {
        expect((await call('POST', `/api/v1/notices/${original.id}/cancel`, { key: issuer.keys.approver, body: { reason: 'Issued in error' } })).status).toBe(200);
        [said, shows] = [/cancelled: Issued in error/, 'This notice is closed.'];
      } else {
        const draft = await call('POST', `/api/v1/notices/${original.id}/updates`, { key: issuer.keys.author, body: { material: end === 'material update', summary: 'Remove inclined sleepers (revised)' } });
        const update = await approve(draft.body);
        [said, shows] = [new RegExp(`superseded by ${update.reference}: report action on the update`), `This notice was replaced by an update, ${update.reference}.`];
      }
      // The complete records stay on the original as they were (history); nothing may change them now.
      const state = async () =>
        (
          await stack.db.query(
            `SELECT (SELECT count(*)::int FROM action_responses r JOIN acknowledgments a ON a.id = r.acknowledgment_id WHERE a.notice_id = $1) AS answers,
                    (SELECT string_agg(status, ',' ORDER BY agency_id) FROM acknowledgments WHERE notice_id = $1) AS statuses,
                    (SELECT count(*)::int FROM audit_events WHERE entity_type = 'acknowledgment' AND entity_id IN (SELECT id::text FROM acknowledgments WHERE notice_id = $1)) AS audited`,
            [original.id],
          )
        )[0];
      const before = await state();
      expect(before.statuses).toBe('action_completed,action_completed');
      const change = [{ action: 1, response: 'not_applicable', note: 'No longer applies' }];
      const byKey = await call('POST', `/api/v1/notices/${original.id}/acknowledgments/actions`, { key: hooked.keys.supervisor, body: { answers: change } });
      const byLink = await call('POST', `/api/v1/acknowledgments/${token}/actions`, { body: { answers: change, name: 'Desk' } });
      const onPage = await fetch(`${stack.url}/ack/${token}/actions`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'action_1=not_applicable&note_1=No+longer+applies&name=Desk',
        redirect: 'manual',
      });
      const pageText = await onPage.text();
      expect({ end, statuses: [byKey.status, byLink.status, onPage.status] }).toEqual({ end, statuses: [409, 409, 409] });
      expect(byKey.body.message).toMatch(said);
      expect(byLink.body.message).toMatch(said);
      expect(pageText).toMatch(said);
      expect(await state()).toEqual(before);
      // The link's page no longer offers the form, and says why.
      const page = await (await fetch(`${stack.url}/ack/${token}`)).text();
      expect(page).not.toContain(`/ack/${token}/actions`);
      expect(page).toContain(shows);
    }
  });

  it('a cancellation closes open acknowledgments, tells every recipient and stops reminders', async () => {
    const notice = await publish({ category: 'advisory', requiredActions: [] });
    await call('POST', `/api/v1/notices/${notice.id}/acknowledgments`, { key: hooked.keys.supervisor, body: {} });
    expect((await call('POST', `/api/v1/notices/${notice.id}/cancel`, { key: issuer.keys.author, body: { reason: 'x' } })).status).toBe(403);
    const cancelled = await call('POST', `/api/v1/notices/${notice.id}/cancel`, { key: issuer.keys.approver, body: { reason: 'Issued in error' } });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: 'Issued in error' });

    const hook = await receiver.waitFor((r) => r.path === '/county' && JSON.parse(r.body).type === 'notice.cancelled' && JSON.parse(r.body).data.notice.id === notice.id);
    expect(JSON.parse(hook.body).data.cancellation).toEqual({ reason: 'Issued in error' });
    const mail = await smtp.waitFor((m) => m.subject?.startsWith('[CANCELLED]') === true && m.subject.includes(notice.reference));
    expect(mail.text).toContain('Issued in error');
    expect(mail.text).not.toMatch(/\/ack\//);

    expect((await recordOf(notice.id, mailed.id)).status).toBe('cancelled');
    // A finished record (an advisory, acknowledged) stays as it was: only open ones close.
    expect((await recordOf(notice.id, hooked.id)).status).toBe('acknowledged');
    const late = await call('POST', `/api/v1/notices/${notice.id}/acknowledgments`, { key: mailed.keys.supervisor, body: {} });
    expect(late.status).toBe(409);
    // No reminder is ever due for it.
    const scheduler = new ReminderScheduler(stack.db, stack.deps.publisher, stack.config, { now: () => new Date() });
    await scheduler.tick(new Date(Date.now() + 365 * 86400_000));
    const [r] = await stack.db.query(`SELECT count(*)::int AS n FROM deliveries WHERE notice_id = $1 AND event_type IN ('notice.reminder','notice.escalation')`, [notice.id]);
    expect(r.n).toBe(0);
  });
});
