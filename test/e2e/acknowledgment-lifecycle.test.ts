/**
 * product.md scenario 2 and the acknowledgment model: two tiers with per-action answers (history
 * kept, `underway` on the link's page), and reminders and escalation rungs that fire exactly once,
 * in order, with two schedulers on a controllable clock. Updates and cancellations:
 * notice-updates.test.ts.
 */
import { ReminderScheduler } from '../../apps/dispatcher/src/reminder-scheduler.service';
import { AcknowledgmentScene, startAcknowledgmentScene } from '../support/acknowledgment-scene';
import { SmtpSink } from '../support/smtp-sink';
import { Stack } from '../support/stack';
import { TestAgency } from '../support/fixtures';

describe('acknowledgments a partnership can be run on', () => {
  let scene: AcknowledgmentScene;
  let stack: Stack, smtp: SmtpSink, call: AcknowledgmentScene['call'];
  let issuer: TestAgency, hooked: TestAgency, mailed: TestAgency;
  const publish = (extra?: object) => scene.publish(extra);
  const recordOf = (noticeId: string, agencyId: string) => scene.recordOf(noticeId, agencyId);

  beforeAll(async () => {
    scene = await startAcknowledgmentScene();
    ({ stack, smtp, call, issuer, hooked, mailed} = scene);
  });

  afterAll(async () => {
    await scene?.close();
  });

  it('two tiers: acknowledged, then each required action answered; every answer kept', async () => {
    const notice = await publish();
    const early = await call('POST', `/api/v1/notices/${notice.id}/acknowledgments/actions`, {
      key: hooked.keys.supervisor,
      body: { answers: [{ action: 0, response: 'done' }] },
    });
    expect(early.status).toBe(409); // acknowledge first

    await call('POST', `/api/v1/notices/${notice.id}/acknowledgments`, { key: hooked.keys.supervisor, body: {} });
    const one = await call('POST', `/api/v1/notices/${notice.id}/acknowledgments/actions`, {
      key: hooked.keys.supervisor,
      body: { answers: [{ action: 0, response: 'not_applicable', note: 'No infants on caseload' }] },
    });
    expect(one.body.status).toBe('acknowledged');
    const noReason = await call('POST', `/api/v1/notices/${notice.id}/acknowledgments/actions`, {
      key: hooked.keys.supervisor,
      body: { answers: [{ action: 1, response: 'not_applicable' }] },
    });
    expect(noReason.status).toBe(400);
    const outOfRange = await call('POST', `/api/v1/notices/${notice.id}/acknowledgments/actions`, {
      key: hooked.keys.supervisor,
      body: { answers: [{ action: 7, response: 'done' }] },
    });
    expect(outOfRange.status).toBe(400);
    const both = await call('POST', `/api/v1/notices/${notice.id}/acknowledgments/actions`, {
      key: hooked.keys.supervisor,
      body: { answers: [{ action: 0, response: 'done', note: 'Checked after all' }, { action: 1, response: 'done', note: 'Briefed' }] },
    });
    expect(both.body.status).toBe('action_completed');
    expect(both.body.actionsCompletedAt).not.toBeNull();
    expect(both.body.actionsLate).toBe(false);

    const row = await recordOf(notice.id, hooked.id);
    expect(row.actions.map((a: any) => a.latest.response)).toEqual(['done', 'done']);
    const history = await call('GET', `/api/v1/acknowledgments/${row.acknowledgmentId}/answers`, { key: issuer.keys.supervisor });
    expect(history.body.items.map((h: any) => [h.action, h.response])).toEqual([
      [0, 'not_applicable'],
      [0, 'done'],
      [1, 'done'],
    ]);
    // Another agency cannot read it.
    expect((await call('GET', `/api/v1/acknowledgments/${row.acknowledgmentId}/answers`, { key: mailed.keys.supervisor })).status).toBe(404);

    // The email recipient reports action through the acknowledgment page.
    const mail = await smtp.waitFor((m) => m.subject?.includes(notice.reference) === true && m.envelope.rcptTo.includes('desk@tribe.test'));
    const link = /(http:\/\/[^\s"<>]+\/ack\/[A-Za-z0-9_.-]+)/.exec(mail.text!)![1];
    await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=Dana' });
    const page = await (await fetch(link)).text();
    expect(page).toContain('Report action');
    const form = await fetch(`${link.replace('/ack/', '/ack/')}/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=Dana&action_0=not_applicable&note_0=No+infants&action_1=not_applicable&note_1=No+caseworkers',
    });
    expect(form.status).toBe(200);
    expect((await recordOf(notice.id, mailed.id)).status).toBe('action_not_required');
  });

  it('the email link’s page offers underway: the action stays open, then done completes it', async () => {
    const notice = await publish({ title: 'Recalled sleeper, work in progress' });
    const mail = await smtp.waitFor((m) => m.subject?.includes(notice.reference) === true && m.envelope.rcptTo.includes('desk@tribe.test'));
    const link = /(http:\/\/[^\s"<>]+\/ack\/[A-Za-z0-9_.-]+)/.exec(mail.text!)![1];
    const post = (path: string, body: string) =>
      fetch(`${link}${path}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect((await post('', 'name=Dana')).status).toBe(303);
    const page = await (await fetch(link)).text();
    for (const i of [0, 1]) expect(page).toContain(`<input type="radio" id="action_${i}_underway" name="action_${i}" value="underway">`);
    expect(page).toContain('<label for="action_0_underway">Underway</label>');

    const underway = await post('/actions', 'name=Dana&action_0=underway&note_0=Visits+booked');
    expect(underway.status).toBe(303);
    expect(underway.headers.get('location')).toBe(new URL(link).pathname);
    const after = await (await fetch(link)).text();
    expect(after).toContain('(last answer: underway by Dana)');
    let row = await recordOf(notice.id, mailed.id);
    expect(row.status).toBe('acknowledged');
    expect(row.actions[0].latest.response).toBe('underway');
    expect(row.actions[0].state).toBe('underway');
    const [answer] = await stack.db.query(
      `SELECT r.response, r.note, r.channel FROM action_responses r JOIN acknowledgments a ON a.id = r.acknowledgment_id WHERE a.notice_id = $1 AND a.agency_id = $2`,
      [notice.id, mailed.id],
    );
    expect(answer).toEqual({ response: 'underway', note: 'Visits booked', channel: 'email_link' });
    const [audited] = await stack.db.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'acknowledgment.action_answered' AND entity_id = $1 AND after->'answers'->0->>'response' = 'underway'`,
      [row.acknowledgmentId],
    );
    expect(audited.n).toBe(1);

    // An answer that is not one of the three changes nothing.
    const bad = await post('/actions', 'name=Dana&action_1=started');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Choose underway, done or not applicable for each action.');

    await post('/actions', 'name=Dana&action_0=done&note_0=Visited&action_1=done&note_1=Briefed');
    row = await recordOf(notice.id, mailed.id);
    expect(row.status).toBe('action_completed');
    // Answered actions cannot go back to underway (409), so the page no longer offers it; done and not applicable stay.
    const answered = await (await fetch(link)).text();
    expect(answered).not.toContain('value="underway"');
    expect(answered).toContain('<label for="action_0_done">Done</label>');
  });

  it('reminders and escalation rungs fire exactly once, in order, with two schedulers, and stop at acknowledgment', async () => {
    const dueAt = new Date(Date.now() + 10 * 86400_000);
    dueAt.setUTCMilliseconds(0);
    const notice = await publish({ category: 'advisory', requiredActions: [], acknowledgeBy: dueAt.toISOString() });
    const clock = (at: Date) => ({ now: () => at });
    const replicas = () => [0, 1].map(() => new ReminderScheduler(stack.db, stack.deps.publisher, stack.config, clock(new Date())));
    const tickBoth = async (at: Date) => {
      const [a, b] = replicas(); // fresh instances each time: a restart between rungs changes nothing
      const advanced = await Promise.all([a.tick(at), b.tick(at)]);
      return advanced[0] + advanced[1];
    };
    const h = 3600_000;
    const messages = async () =>
      stack.db.query(
        `SELECT d.event_type, d.sequence, d.agency_id, d.channel, d.recipients FROM deliveries d
          WHERE d.notice_id = $1 AND d.event_type IN ('notice.reminder','notice.escalation') ORDER BY d.sequence, d.agency_id, d.channel`,
        [notice.id],
      );

    // Other notices' records advance too; the assertions look at this notice's messages only.
    await tickBoth(new Date(dueAt.getTime() - 5 * h));
    expect(await messages()).toHaveLength(0);
    await tickBoth(new Date(dueAt.getTime() - 4 * h));
    await tickBoth(new Date(dueAt.getTime() - 4 * h)); // never twice
    expect((await messages()).map((m: any) => [m.event_type, m.sequence, m.channel]).sort()).toEqual([
      ['notice.reminder', 1, 'email'],
      ['notice.reminder', 1, 'webhook'],
    ]);

    // The county acknowledges: no more reminders for it.
    await call('POST', `/api/v1/notices/${notice.id}/acknowledgments`, { key: hooked.keys.supervisor, body: {} });
    await tickBoth(dueAt); // the tribe's reminder at the due time
    expect(await messages()).toHaveLength(3);
    // A scheduler that was down catches up one rung per tick, in order, none skipped. (One
    // replica here: two replicas ticking one after the other may rightly take two rungs.)
    const [alone] = replicas();
    await alone.tick(new Date(dueAt.getTime() + 10 * h));
    expect(await messages()).toHaveLength(4);
    await alone.tick(new Date(dueAt.getTime() + 10 * h));
    expect(await messages()).toHaveLength(5);
    await tickBoth(new Date(dueAt.getTime() + 10 * h)); // two contacts, two rungs: nothing more
    await tickBoth(new Date(dueAt.getTime() + 100 * h));
    expect(await messages()).toHaveLength(5);
    const all = await messages();
    expect(all.filter((m: any) => m.agency_id === hooked.id)).toHaveLength(1);
    expect(all.filter((m: any) => m.agency_id === mailed.id).map((m: any) => [m.event_type, m.sequence, m.recipients])).toEqual([
      ['notice.reminder', 1, ['desk@tribe.test']],
      ['notice.reminder', 2, ['desk@tribe.test']],
      ['notice.escalation', 3, ['supervisor@tribe.test']],
      ['notice.escalation', 4, ['director@tribe.test']],
    ]);
    // The courier sends them: the reminder and the escalation reach their people.
    const reminder = await smtp.waitFor((m) => m.subject?.startsWith('[REMINDER]') === true && m.subject.includes(notice.reference));
    expect(reminder.text).toContain('has not acknowledged this notice yet');
    const escalation = await smtp.waitFor((m) => m.envelope.rcptTo.includes('director@tribe.test') && m.subject?.includes(notice.reference) === true);
    expect(escalation.subject).toMatch(/^\[ESCALATION\]/);
    expect(escalation.text).toMatch(/\/ack\//);
    // Due times are shown in the recipient's own zone.
    const row = await recordOf(notice.id, mailed.id);
    expect(row.dueAtLocal).toMatch(/M[SD]T$/);
    const events = await stack.db.query(
      `SELECT action, after->>'stage' AS stage FROM audit_events WHERE entity_type = 'acknowledgment' AND entity_id = $1 AND action LIKE 'acknowledgment.%ed' AND after ? 'stage' ORDER BY id`,
      [row.acknowledgmentId],
    );
    expect(events.map((e: any) => `${e.action}:${e.stage}`)).toEqual([
      'acknowledgment.reminded:1',
      'acknowledgment.reminded:2',
      'acknowledgment.escalated:3',
      'acknowledgment.escalated:4',
    ]);
  });
});
