/**
 * What an emailed acknowledgment link still does once it has left its recipient's hands: mail
 * gets forwarded, and agencies leave the partnership. A link of an offboarded agency stops with
 * its people and keys (410, as an expired link answers) and works again if the agency is
 * reinstated; and whoever holds a link reads who acknowledged by name only, never their address
 * or user id.
 */
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { startStack, Stack } from '../support/stack';
import { apiClient, createAgency, createTopics, eventually, TestAgency } from '../support/fixtures';

describe('acknowledgment links in the wrong hands', () => {
  let stack: Stack;
  let smtp: SmtpSink;
  let call: ReturnType<typeof apiClient>;
  let issuer: TestAgency, county: TestAgency, partnership: TestAgency;
  const form = (name: string) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `name=${encodeURIComponent(name)}`, redirect: 'manual' as const });

  beforeAll(async () => {
    smtp = await startSmtpSink();
    stack = await startStack({ SMTP_URL: smtp.url });
    call = apiClient(stack.url);
    await createTopics(stack.db, ['safe-sleep']);
    issuer = await createAgency(stack.db, { name: 'Issuer', type: 'state' });
    county = await createAgency(stack.db, { name: 'County' });
    partnership = await createAgency(stack.db, { name: 'Partnership', roles: ['admin'] });
    const sub = await call('POST', '/api/v1/subscriptions', {
      key: county.keys.agency_admin,
      body: { name: 'desk', topicPatterns: ['safe-sleep'], channel: 'email', emailAddresses: ['desk@county.test'] },
    });
    expect(sub.status).toBe(201);
  });

  afterAll(async () => {
    await stack?.close();
    await smtp?.close();
  });

  /** Publishes a notice to the county and returns it with the token of the link emailed to its desk. */
  async function publish(title: string): Promise<{ id: string; token: string }> {
    const draft = await call('POST', '/api/v1/notices', {
      key: issuer.keys.author,
      body: { title, summary: 'Summary', body: 'Body', category: 'alert', severity: 'high', topics: ['safe-sleep'], requiredActions: ['Check homes'], targetJurisdictions: [county.name.split(' ').pop()] },
    });
    await call('POST', `/api/v1/notices/${draft.body.id}/submit`, { key: issuer.keys.author });
    const ok = await call('POST', `/api/v1/notices/${draft.body.id}/approve`, { key: issuer.keys.approver, body: { contentHash: draft.body.contentHash } });
    expect(ok.status).toBe(200);
    const mail = await smtp.waitFor((m) => m.subject?.includes(ok.body.reference) === true && m.envelope.rcptTo.includes('desk@county.test'));
    return { id: draft.body.id, token: /\/ack\/([A-Za-z0-9_.-]+)/.exec(mail.text!)![1] };
  }

  const status = async (noticeId: string) => (await stack.db.query(`SELECT status FROM acknowledgments WHERE notice_id = $1`, [noticeId]))[0].status;

  it("replaying a used link names who acknowledged, not their address or user id", async () => {
    const notice = await publish('Replayed link');
    const byKey = await call('POST', `/api/v1/notices/${notice.id}/acknowledgments`, { key: county.keys.supervisor, body: { name: 'Dana Supervisor' } });
    expect(byKey.body.acknowledgedBy).toEqual({ name: 'Dana Supervisor', email: expect.stringContaining('@agency.test'), userId: county.userIds.supervisor });

    // Whoever holds the forwarded link replays it: the record, unchanged, without Dana's address or id.
    const replay = await call('POST', `/api/v1/acknowledgments/${notice.token}`, { body: { name: 'Someone forwarded' } });
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ id: byKey.body.id, status: 'acknowledged', channel: 'api' });
    expect(replay.body.acknowledgedBy).toEqual({ name: 'Dana Supervisor' });
    expect(replay.text).not.toContain(byKey.body.acknowledgedBy.email);
    expect(replay.text).not.toContain(county.userIds.supervisor);
    const answered = await call('POST', `/api/v1/acknowledgments/${notice.token}/actions`, { body: { name: 'Someone forwarded', answers: [{ action: 0, response: 'underway' }] } });
    expect(answered.status).toBe(200);
    expect(answered.body.acknowledgedBy).toEqual({ name: 'Dana Supervisor' });
    expect(answered.text).not.toContain(byKey.body.acknowledgedBy.email);
    // The page (GET, and the form's POST) shows the name as well, and nothing of Dana's account.
    expect((await fetch(`${stack.url}/ack/${notice.token}`, form('Someone forwarded'))).status).toBe(303);
    const page = await (await fetch(`${stack.url}/ack/${notice.token}`)).text();
    expect(page).toContain('Dana Supervisor');
    expect(page).not.toContain(byKey.body.acknowledgedBy.email);

    // The issuer's supervisor view keeps the address (it chases the agency).
    const view = await call('GET', `/api/v1/notices/${notice.id}/acknowledgments`, { key: issuer.keys.supervisor });
    expect(view.body.items[0].acknowledgedBy).toEqual({ name: 'Dana Supervisor', email: byKey.body.acknowledgedBy.email });
  });

  it("the link's page answers in every state a record and its notice can be in, and offers the action form exactly when an answer is taken", async () => {
    const notice = await publish('Every state');
    const failures: string[] = [];
    let cases = 0;
    for (const noticeStatus of ['published', 'expired', 'superseded', 'cancelled']) {
      for (const recordStatus of ['pending', 'acknowledged', 'action_completed', 'action_not_required', 'superseded', 'cancelled']) {
        await stack.db.query(`UPDATE notices SET status = $2, cancel_reason = CASE WHEN $2 = 'cancelled' THEN 'Issued in error' END WHERE id = $1`, [notice.id, noticeStatus]);
        await stack.db.query(
          `UPDATE acknowledgments SET status = $2, acknowledged_at = CASE WHEN $2 <> 'pending' THEN now() END, acknowledged_by_name = CASE WHEN $2 <> 'pending' THEN 'Dana' END, channel = CASE WHEN $2 <> 'pending' THEN 'api' END,
                  closed_at = CASE WHEN $2 IN ('superseded', 'cancelled') THEN now() END, closed_reason = CASE WHEN $2 IN ('superseded', 'cancelled') THEN 'closed here' END
            WHERE notice_id = $1`,
          [notice.id, recordStatus],
        );
        const what = `${noticeStatus} notice, ${recordStatus} record`;
        const page = await fetch(`${stack.url}/ack/${notice.token}`);
        const html = await page.text();
        // Answers are taken on an acknowledged record of a notice still in force (an expired one still is: a late report counts).
        const answerable = ['published', 'expired'].includes(noticeStatus) && ['acknowledged', 'action_completed', 'action_not_required'].includes(recordStatus);
        const offered = html.includes(`action="/ack/${notice.token}/actions"`);
        const answered = await call('POST', `/api/v1/acknowledgments/${notice.token}/actions`, { body: { name: 'Desk', answers: [{ action: 0, response: 'done' }] } });
        cases++;
        if (page.status !== 200) failures.push(`${what}: the page answers ${page.status}`);
        if (offered !== answerable) failures.push(`${what}: the action form is ${offered ? 'offered' : 'missing'}`);
        if (answered.status !== (answerable ? 200 : 409)) failures.push(`${what}: an answer gets ${answered.status}`);
      }
    }
    expect(failures).toEqual([]);
    expect(cases).toBe(24);
  });

  it("refuses an offboarded agency's links with 410, as an expired one, and takes them back on reinstatement", async () => {
    const notice = await publish('Link of a leaving county');
    const off = await call('POST', `/api/v1/agencies/${county.id}/offboard`, { key: partnership.keys.admin, body: { reason: 'left the partnership' } });
    expect(off.status).toBe(200);

    const api = await call('POST', `/api/v1/acknowledgments/${notice.token}`, { body: { name: 'Former desk' } });
    expect(api.status).toBe(410);
    expect(api.body).toMatchObject({ statusCode: 410, message: expect.stringMatching(/agency has left the partnership/) });
    const actions = await call('POST', `/api/v1/acknowledgments/${notice.token}/actions`, { body: { name: 'Former desk', answers: [{ action: 0, response: 'done' }] } });
    expect(actions.status).toBe(410);
    const shown = await fetch(`${stack.url}/ack/${notice.token}`);
    expect(shown.status).toBe(410);
    const page = await shown.text();
    expect(page).not.toContain('Link of a leaving county');
    // The page says why, as the API does: not that the link expired.
    expect(page).toMatch(/its agency has left the partnership/);
    expect(page).not.toMatch(/expired/i);
    expect((await fetch(`${stack.url}/ack/${notice.token}`, form('Former desk'))).status).toBe(410);
    expect(await status(notice.id)).toBe('pending');

    // Its people and keys are locked out as well, which is what the link now matches.
    expect((await call('POST', `/api/v1/notices/${notice.id}/acknowledgments`, { key: county.keys.supervisor, body: {} })).status).toBe(401);

    expect((await call('POST', `/api/v1/agencies/${county.id}/reinstate`, { key: partnership.keys.admin })).status).toBe(200);
    const back = await call('POST', `/api/v1/acknowledgments/${notice.token}`, { body: { name: 'Desk again' } });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ status: 'acknowledged', channel: 'email_link', acknowledgedBy: { name: 'Desk again' } });
    await eventually(async () => (await status(notice.id)) === 'acknowledged', 2000, 'the record');
  });

  it("refuses a link's acknowledgment or answers without a name (the link names no person) with 400, and records nothing", async () => {
    const notice = await publish('Link without a name');
    const acknowledged = await call('POST', `/api/v1/acknowledgments/${notice.token}`, { body: {} });
    expect(acknowledged.status).toBe(400);
    expect(acknowledged.body.message).toEqual(expect.arrayContaining([expect.stringMatching(/^name /)]));
    const answered = await call('POST', `/api/v1/acknowledgments/${notice.token}/actions`, { body: { answers: [{ action: 0, response: 'done' }] } });
    expect(answered.status).toBe(400);
    expect(answered.body.message).toEqual(expect.arrayContaining([expect.stringMatching(/^name /)]));
    expect(await status(notice.id)).toBe('pending');
    const [answers] = await stack.db.query(`SELECT count(*)::int AS n FROM action_responses a JOIN acknowledgments k ON k.id = a.acknowledgment_id WHERE k.notice_id = $1`, [notice.id]);
    expect(answers.n).toBe(0);
  });

  /**
   * Every way an agency acknowledges or answers, used while its offboarding is being written: the
   * link, and a key authenticated just before (the guard let it in). Each waits for the offboarding
   * and answers 410; nothing is recorded.
   */
  it.each([
    ['the link', (n: { token: string }) => call('POST', `/api/v1/acknowledgments/${n.token}`, { body: { name: 'Desk in the doorway' } })],
    ["the link's actions", (n: { token: string }) => call('POST', `/api/v1/acknowledgments/${n.token}/actions`, { body: { name: 'Desk', answers: [{ action: 0, response: 'done' }] } })],
    ['a key', (n: { id: string }) => call('POST', `/api/v1/notices/${n.id}/acknowledgments`, { key: county.keys.supervisor, body: {} })],
    ["a key's answers", (n: { id: string }) => call('POST', `/api/v1/notices/${n.id}/acknowledgments/actions`, { key: county.keys.supervisor, body: { answers: [{ action: 0, response: 'done' }] } })],
  ] as const)('%s, used while its agency is being offboarded, waits for the offboarding, then answers 410 and records nothing', async (_how, use) => {
    const notice = await publish(`Used in the instant of leaving ${Math.random()}`);
    // Authenticated before the offboarding starts: the key is checked again by nothing but the service.
    const offboarding = stack.db.createQueryRunner();
    await offboarding.connect();
    await offboarding.startTransaction();
    try {
      await offboarding.query(`UPDATE agencies SET offboarded_at = now(), offboard_reason = 'leaving' WHERE id = $1`, [county.id]);
      const used = use(notice);
      const waiting = async () => Number((await stack.db.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`))[0].n) > 0;
      const first = await Promise.race([used.then(() => 'answered'), eventually(waiting, 10_000, 'the request to wait for the agency row').then(() => 'waiting')]);
      await offboarding.commitTransaction();
      expect(first).toBe('waiting');
      const res = await used;
      expect([res.status, res.body?.message]).toEqual([410, expect.stringMatching(/left the partnership/)]);
      expect(await status(notice.id)).toBe('pending');
      expect(Number((await stack.db.query(`SELECT count(*) AS n FROM action_responses r JOIN acknowledgments a ON a.id = r.acknowledgment_id WHERE a.notice_id = $1`, [notice.id]))[0].n)).toBe(0);
    } finally {
      if (offboarding.isTransactionActive) await offboarding.rollbackTransaction();
      await offboarding.release();
      await stack.db.query(`UPDATE agencies SET offboarded_at = NULL, offboard_reason = NULL WHERE id = $1`, [county.id]);
    }
  });
});
