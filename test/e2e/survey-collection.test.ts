/**
 * Issue 12, running a survey wave anonymously, end to end on the real stack (PostgreSQL, NATS, a
 * real SMTP server): open a wave, invite an address list through SMTP, read the links from the
 * received mail, answer, remind the whole list; one-time tokens under concurrency; closed and
 * not-yet-open waves; bad input; the de-identification guard on free text; and anonymity: given a
 * full dump of the database, no response can be linked to an address (and the same check catches
 * a mapping planted on purpose).
 */
import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { apiClient, createAgency, TestAgency } from '../support/fixtures';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { startStack, Stack } from '../support/stack';
import { dumpEverything, linkages } from '../support/survey-linkage';

const WINDOW = { opensOn: '2020-01-01', closesOn: '2099-12-31' };
const TEAMS = [
  { name: 'North intake', kind: 'unit', expectedHeadcount: 6 },
  { name: 'South office', kind: 'office', expectedHeadcount: 4 },
];

describe('survey collection', () => {
  let stack: Stack;
  let smtp: SmtpSink;
  let call: ReturnType<typeof apiClient>;
  let A: TestAgency;
  let B: TestAgency;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    stack = await startStack({ SMTP_URL: smtp.url });
    call = apiClient(stack.url);
    A = await createAgency(stack.db, { name: 'Surveying', roles: ['agency_admin', 'supervisor'] });
    B = await createAgency(stack.db, { name: 'Elsewhere', roles: ['agency_admin'] });
  });

  afterAll(async () => {
    await stack?.close();
    await smtp?.close();
  });

  const admin = (method: string, path: string, body?: unknown) => call(method, path, { key: A.keys.agency_admin, body });
  const openWave = async (extra: object = {}) => {
    const r = await admin('POST', '/api/v1/surveys/waves', { title: `Team survey ${Math.random().toString(36).slice(2, 8)}`, ...WINDOW, teams: TEAMS, ...extra });
    expect(r.status).toBe(201);
    return r.body;
  };
  const codesFor = async (wave: any, team = 0, count = 1): Promise<string[]> => {
    const r = await admin('POST', `/api/v1/surveys/waves/${wave.id}/teams/${wave.teams[team].id}/codes`, { count });
    expect(r.status).toBe(200);
    return r.body.codes;
  };
  const page = (path: string) => fetch(`${stack.url}${path}`, { redirect: 'manual' });
  const post = (path: string, fields: Record<string, string>) =>
    fetch(`${stack.url}${path}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
  const count = async (table: string, where = 'true', params: unknown[] = []) => (await stack.db.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params))[0].n as number;
  const stored = async () => ({ responses: await count('survey_responses'), freeText: await count('survey_free_text') });
  const linkOf = (text: string | undefined) => {
    const m = new RegExp(`${stack.url.replace(/[.]/g, '\\.')}/survey/([A-Za-z0-9_-]{43})`).exec(text ?? '');
    return m?.[1];
  };
  const sha = (token: string) => createHash('sha256').update(token).digest();

  /** Where the links of the first test went: address → token (the test's knowledge, never the product's). */
  const sent = new Map<string, string>();
  let wave: any;

  it('opens a wave, lists addresses, emails one link per address through SMTP, and a link answers once', async () => {
    wave = await openWave();
    expect(wave).toMatchObject({ status: 'open', instrumentVersion: '1', acceptingResponses: true, responses: null, expectedHeadcount: 10, reminders: 0 });
    expect(wave.teams.map((t: any) => [t.name, t.kind, t.expectedHeadcount])).toEqual([
      ['North intake', 'unit', 6],
      ['South office', 'office', 4],
    ]);
    const [north, south] = wave.teams;

    // Validated and deduplicated: a bad address refuses the whole request; repeats are skipped.
    const bad = await admin('POST', `/api/v1/surveys/waves/${wave.id}/teams/${north.id}/recipients`, { emails: ['ok@team.test', 'not an address'] });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('not an address');
    expect(await count('survey_recipients', 'wave_id = $1', [wave.id])).toBe(0);
    const n = await admin('POST', `/api/v1/surveys/waves/${wave.id}/teams/${north.id}/recipients`, { emails: ['ana@team.test', 'Ben@Team.test', 'ben@team.test', ' cy@team.test '] });
    expect(n.body).toEqual({ added: 3, skipped: 1 });
    const s = await admin('POST', `/api/v1/surveys/waves/${wave.id}/teams/${south.id}/recipients`, { emails: ['dee@team.test', 'ana@team.test'] });
    expect(s.body).toEqual({ added: 1, skipped: 1 });

    const invited = await admin('POST', `/api/v1/surveys/waves/${wave.id}/invitations`);
    expect(invited).toMatchObject({ status: 200, body: { sent: 4, failed: [] } });
    const mails = await smtp.waitForCount(4, (m) => m.subject!.includes(wave.title));
    for (const m of mails) {
      expect(m.envelope.rcptTo).toHaveLength(1);
      const token = linkOf(m.text);
      expect(token).toBeDefined();
      expect(m.html).toContain(`/survey/${token}`);
      sent.set(m.envelope.rcptTo[0], token!);
    }
    expect([...sent.keys()].sort()).toEqual(['ana@team.test', 'ben@team.test', 'cy@team.test', 'dee@team.test']);
    expect(new Set(sent.values()).size).toBe(4);
    // Only the hashes are stored, with team and channel; nothing went through the outbox or the dev mailbox.
    const tokens: { token_hash: Buffer; channel: string }[] = await stack.db.query(`SELECT token_hash, channel FROM survey_tokens WHERE wave_id = $1`, [wave.id]);
    expect(tokens.map((t) => t.token_hash.toString('hex')).sort()).toEqual([...sent.values()].map((t) => sha(t).toString('hex')).sort());
    expect(tokens.every((t) => t.channel === 'email')).toBe(true);
    expect(await count('dev_mail')).toBe(0);
    expect(await count('outbox', `payload::text LIKE '%' || $1 || '%'`, ['team.test'])).toBe(0);
    // Sending again reaches only addresses added since: none.
    expect((await admin('POST', `/api/v1/surveys/waves/${wave.id}/invitations`)).status).toBe(409);
    expect((await stack.db.query(`SELECT action, after FROM audit_events WHERE entity_id = $1 ORDER BY id`, [wave.id])).map((e: any) => [e.action, e.after])).toEqual([
      ['survey.wave_opened', { title: wave.title, instrumentVersion: '1', opensOn: WINDOW.opensOn, closesOn: WINDOW.closesOn, teams: 2 }],
      ['survey.recipients_added', { teamId: north.id, added: 3 }],
      ['survey.recipients_added', { teamId: south.id, added: 1 }],
      ['survey.invitations_sent', { count: 4 }],
    ]);

    // The respondent's page: the questions by domain, Likert radios, the open questions, what is kept.
    const token = sent.get('ana@team.test')!;
    const shown = await page(`/survey/${token}`);
    expect(shown.status).toBe(200);
    expect(shown.headers.get('set-cookie')).toBeNull();
    expect(shown.headers.get('cache-control')).toBe('no-store');
    expect(shown.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await shown.text();
    expect(html).toContain('Psychological safety');
    expect(html).toContain('name="ps.speak-up" value="5"');
    expect(html).toContain('name="q.change-one-thing"');
    expect(html).toContain('What is kept, and what is not');

    const answered = await post(`/survey/${token}`, { 'ps.speak-up': '4', 'ps.held-against': '2', 'wl.too-many': '5', 'q.change-one-thing': 'Smaller caseloads in the winter.' });
    expect(answered.status).toBe(303);
    expect(answered.headers.get('location')).toBe('/survey/thanks');
    expect(answered.headers.get('set-cookie')).toBeNull();
    expect((await page('/survey/thanks')).status).toBe(200);
    const again = await page(`/survey/${token}`);
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('This link has been used or has expired');
    expect((await post(`/survey/${token}`, { 'ps.speak-up': '1' })).status).toBe(410);

    const [response] = await stack.db.query(`SELECT team_id, submitted_on::text AS day, answers FROM survey_responses WHERE wave_id = $1`, [wave.id]);
    const [{ today }] = await stack.db.query(`SELECT (now() AT TIME ZONE a.time_zone)::date::text AS today FROM agencies a WHERE a.id = $1`, [A.id]);
    expect(response).toEqual({ team_id: north.id, day: today, answers: { 'ps.speak-up': 4, 'ps.held-against': 2, 'wl.too-many': 5 } });
    expect(await stack.db.query(`SELECT team_id, question_id, text FROM survey_free_text WHERE wave_id = $1`, [wave.id])).toEqual([
      { team_id: north.id, question_id: 'q.change-one-thing', text: 'Smaller caseloads in the winter.' },
    ]);
    expect(await count('survey_tokens', 'token_hash = $1', [sha(token)])).toBe(0);
    // The audit names the wave only: no response id, no token, no team.
    const [event] = await stack.db.query(`SELECT actor_type, actor_id, agency_id, entity_type, entity_id, before, after FROM audit_events WHERE action = 'survey.response_recorded'`);
    expect(event).toEqual({ actor_type: 'recipient', actor_id: null, agency_id: A.id, entity_type: 'survey_wave', entity_id: wave.id, before: null, after: null });

    const counted = (await admin('GET', `/api/v1/surveys/waves/${wave.id}`)).body;
    // One response is a group of one: no count below SURVEY_MIN_RESPONSES is shown, only that the team has not reached it.
    expect(counted.teams.map((t: any) => [t.name, t.recipients, t.invited, t.responses, t.responseRate, t.reachedMinimum])).toEqual([
      ['North intake', 3, 3, null, null, false],
      ['South office', 1, 1, null, null, false],
    ]);
    expect(counted).toMatchObject({ responses: null, responseRate: null, minResponses: 5 });
    expect((await admin('GET', '/api/v1/surveys/waves')).body.map((w: any) => w.id)).toContain(wave.id);
    expect((await call('GET', '/api/v1/surveys/waves', { key: B.keys.agency_admin })).body.map((w: any) => w.id)).not.toContain(wave.id);
  });

  it('reminds the WHOLE list (those who answered too), with no link in it, and at most once a day', async () => {
    smtp.clear();
    const r = await admin('POST', `/api/v1/surveys/waves/${wave.id}/reminders`);
    expect(r).toMatchObject({ status: 200, body: { sent: 4, failed: [] } });
    const mails = await smtp.waitForCount(4, (m) => m.subject!.startsWith('Reminder:'));
    expect(mails.map((m) => m.envelope.rcptTo[0]).sort()).toEqual(['ana@team.test', 'ben@team.test', 'cy@team.test', 'dee@team.test']);
    for (const m of mails) {
      expect(m.text).toContain('If you have already answered, thank you');
      expect(linkOf(m.text)).toBeUndefined();
      for (const token of sent.values()) expect(m.raw.toString()).not.toContain(token);
    }
    const twice = await admin('POST', `/api/v1/surveys/waves/${wave.id}/reminders`);
    expect(twice.status).toBe(429);
    expect(Number(twice.headers.get('retry-after'))).toBeGreaterThan(23 * 3600);
    expect(await stack.db.query(`SELECT recipients, sent_by FROM survey_reminders WHERE wave_id = $1`, [wave.id])).toEqual([{ recipients: 4, sent_by: A.userIds.agency_admin }]);
    expect((await admin('GET', `/api/v1/surveys/waves/${wave.id}`)).body.reminders).toBe(1);
  });

  it('reports an address the mail server refuses, once, and sends it a fresh link next time', async () => {
    const w = await openWave();
    await admin('POST', `/api/v1/surveys/waves/${w.id}/teams/${w.teams[0].id}/recipients`, { emails: ['kept@team.test', 'bounced@team.test'] });
    smtp.failRecipient('bounced@team.test', 'permanent');
    const first = await admin('POST', `/api/v1/surveys/waves/${w.id}/invitations`);
    expect(first.body).toEqual({ sent: 1, failed: ['bounced@team.test'] });
    expect(await stack.db.query(`SELECT email, invited FROM survey_recipients WHERE wave_id = $1 ORDER BY email`, [w.id])).toEqual([
      { email: 'bounced@team.test', invited: false },
      { email: 'kept@team.test', invited: true },
    ]);
    expect((await stack.db.query(`SELECT after FROM audit_events WHERE action = 'survey.invitations_refused' AND entity_id = $1`, [w.id])).map((e: any) => e.after)).toEqual([{ count: 1 }]);
    smtp.failRecipient('bounced@team.test', undefined);
    const second = await admin('POST', `/api/v1/surveys/waves/${w.id}/invitations`);
    expect(second.body).toEqual({ sent: 1, failed: [] });
    const mail = await smtp.waitFor((m) => m.envelope.rcptTo.includes('bounced@team.test') && m.subject!.includes(w.title));
    expect((await page(`/survey/${linkOf(mail.text)}`)).status).toBe(200);
    expect(smtp.messages.filter((m) => m.envelope.rcptTo.includes('kept@team.test') && m.subject!.includes(w.title))).toHaveLength(1);
  });

  it('counts a one-time token once when two submissions race, every time', async () => {
    const w = await openWave();
    const codes = await codesFor(w, 0, 25);
    expect(new Set(codes).size).toBe(25);
    expect(await count('survey_tokens', `wave_id = $1 AND channel = 'code'`, [w.id])).toBe(25);
    const before = await count('survey_responses', 'wave_id = $1', [w.id]);
    // Two submissions of each code at once, all 25 pairs together.
    const statuses = await Promise.all(codes.map((c) => Promise.all([post(`/survey/${c}`, { 'tw.support': '4' }), post(`/survey/${c}`, { 'tw.support': '2' })]).then((rs) => rs.map((r) => r.status).sort())));
    expect(statuses).toEqual(codes.map(() => [303, 410]));
    expect((await count('survey_responses', 'wave_id = $1', [w.id])) - before).toBe(25);
    expect(await count('survey_tokens', 'wave_id = $1', [w.id])).toBe(0);
    expect(await count('audit_events', `action = 'survey.response_recorded' AND entity_id = $1`, [w.id])).toBe(25);
  });

  it('takes a team code typed on the code page, in any case and grouping', async () => {
    const w = await openWave();
    const [code] = await codesFor(w, 1);
    expect((await page('/survey')).status).toBe(200);
    const typed = `${code.slice(0, 4)}-${code.slice(4, 8)} ${code.slice(8)}`.toLowerCase();
    const entered = await post('/survey', { code: typed });
    expect(entered.status).toBe(303);
    expect(entered.headers.get('location')).toBe(`/survey/${code}`);
    expect((await post('/survey', { code: 'not a code' })).status).toBe(400);
    expect((await post('/survey', { code: 'ABCD-EFGH-JKMN-PQRS' })).status).toBe(410);
    expect((await post(`/survey/${code}`, { 'oc.priority': '5' })).status).toBe(303);
    const [row] = await stack.db.query(`SELECT team_id FROM survey_responses WHERE wave_id = $1`, [w.id]);
    expect(row.team_id).toBe(w.teams[1].id);
  });

  it('prints team codes once on a page of the console; reloading shows none', async () => {
    const w = await openWave();
    const key = { authorization: `Bearer ${A.keys.agency_admin}` };
    const list = await fetch(`${stack.url}/console/surveys`, { headers: key });
    expect(list.status).toBe(200);
    expect(await list.text()).toContain(w.title);
    const made = await fetch(`${stack.url}/console/surveys/${w.id}/teams/${w.teams[0].id}/codes`, {
      method: 'POST',
      redirect: 'manual',
      headers: { ...key, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'count=3',
    });
    expect(made.status).toBe(303);
    expect(made.headers.get('location')).toBe(`/console/surveys/${w.id}/codes`);
    const handout = await (await fetch(`${stack.url}/console/surveys/${w.id}/codes`, { headers: key })).text();
    const printed = [...handout.matchAll(/<code>([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})<\/code>/g)].map((m) => m[1]);
    expect(printed).toHaveLength(3);
    expect(handout).toContain(`${stack.url}/survey`);
    const reloaded = await (await fetch(`${stack.url}/console/surveys/${w.id}/codes`, { headers: key })).text();
    expect(reloaded).toContain('The codes are no longer shown');
    expect(reloaded).not.toContain(printed[0]);
    expect(await count('survey_tokens', 'wave_id = $1', [w.id])).toBe(3);
    // Nothing of a code is kept in the clear: the slot is gone, the table holds hashes.
    expect(await count('one_time_slots')).toBe(0);
    expect((await post('/survey', { code: printed[1] })).status).toBe(303);
    const bad = await fetch(`${stack.url}/console/surveys/${w.id}/teams/${w.teams[0].id}/codes`, { method: 'POST', headers: { ...key, 'content-type': 'application/x-www-form-urlencoded' }, body: 'count=0' });
    expect(bad.status).toBe(400);
    expect(await count('survey_tokens', 'wave_id = $1', [w.id])).toBe(3);
  });

  it('refuses answers for a wave not yet open, past its window, or closed, and stores nothing', async () => {
    const early = await openWave({ opensOn: '2099-01-01', closesOn: '2099-12-31' });
    const [soon] = await codesFor(early);
    const late = await openWave({ opensOn: '2020-01-01', closesOn: '2020-01-31' });
    const [past] = await codesFor(late);
    const before = await stored();
    const notYet = await page(`/survey/${soon}`);
    expect(notYet.status).toBe(409);
    expect(await notYet.text()).toContain('This survey is not open yet');
    expect((await post(`/survey/${soon}`, { 'ps.speak-up': '4' })).status).toBe(409);
    const ended = await page(`/survey/${past}`);
    expect(ended.status).toBe(410);
    expect(await ended.text()).toContain('This survey is closed');
    expect((await post(`/survey/${past}`, { 'ps.speak-up': '4' })).status).toBe(410);
    expect((await admin('POST', `/api/v1/surveys/waves/${late.id}/invitations`)).status).toBe(409);
    expect(await stored()).toEqual(before);
    // The tokens were not spent.
    expect(await count('survey_tokens', 'token_hash = ANY($1)', [[sha(soon), sha(past)]])).toBe(2);

    // Closing: no more answers; unused links and codes are deleted; nothing more can be sent or issued.
    const w = await openWave();
    const [code] = await codesFor(w);
    const closed = await admin('POST', `/api/v1/surveys/waves/${w.id}/close`);
    expect(closed.body).toMatchObject({ status: 'closed', acceptingResponses: false });
    expect(await count('survey_tokens', 'wave_id = $1', [w.id])).toBe(0);
    expect((await post(`/survey/${code}`, { 'ps.speak-up': '4' })).status).toBe(410);
    expect((await admin('POST', `/api/v1/surveys/waves/${w.id}/close`)).status).toBe(409);
    expect((await admin('POST', `/api/v1/surveys/waves/${w.id}/teams/${w.teams[0].id}/codes`, { count: 1 })).status).toBe(409);
    expect((await admin('POST', `/api/v1/surveys/waves/${w.id}/teams/${w.teams[0].id}/recipients`, { emails: ['late@team.test'] })).status).toBe(409);
    expect((await admin('POST', `/api/v1/surveys/waves/${w.id}/reminders`)).status).toBe(409);
    expect(await stored()).toEqual(before);
  });

  it('answers bad input with a 400 and stores nothing; the link still works after', async () => {
    const w = await openWave();
    const [code] = await codesFor(w);
    const before = await stored();
    const bodies: Record<string, string>[] = [{ 'ps.speak-up': '7' }, { 'ps.speak-up': '0' }, { 'ps.speak-up': 'agree' }, { 'ps.speak-up': '4', 'not.a-question': '3' }, {}, { 'q.anything-else': 'Only text, no rating.' }, { 'ps.speak-up': '4', 'q.anything-else': 'x'.repeat(4001) }];
    for (const fields of bodies) {
      const r = await post(`/survey/${code}`, fields);
      expect([r.status, JSON.stringify(fields)]).toEqual([400, JSON.stringify(fields)]);
      expect(await r.text()).toContain('Nothing was recorded');
    }
    expect(await stored()).toEqual(before);
    expect((await page(`/survey/${code}`)).status).toBe(200);
    for (const token of ['short', 'x'.repeat(43), 'A'.repeat(5000), '..%2F..%2Fetc%2Fpasswd']) expect((await page(`/survey/${token}`)).status).toBe(410);

    // The API: bad bodies 400, another agency's wave 404, another role 403, nothing made.
    const waves = await count('survey_waves');
    for (const body of [
      { title: 'Backwards', opensOn: '2027-02-01', closesOn: '2027-01-01', teams: TEAMS },
      { title: 'No teams', ...WINDOW, teams: [] },
      { title: 'Same team twice', ...WINDOW, teams: [TEAMS[0], { ...TEAMS[0], name: 'north INTAKE' }] },
      { title: 'Unknown version', ...WINDOW, instrumentVersion: '9', teams: TEAMS },
      { title: 'Bad date', opensOn: '2027-02-30', closesOn: '2027-03-01', teams: TEAMS },
      { title: 'Odd team', ...WINDOW, teams: [[]] },
      { title: 'Extra', ...WINDOW, teams: TEAMS, status: 'closed' },
    ]) {
      expect([(await admin('POST', '/api/v1/surveys/waves', body)).status, body.title]).toEqual([400, body.title]);
    }
    expect((await call('POST', '/api/v1/surveys/waves', { key: A.keys.supervisor, body: { title: 'T', ...WINDOW, teams: TEAMS } })).status).toBe(403);
    expect(await count('survey_waves')).toBe(waves);
    expect((await call('GET', `/api/v1/surveys/waves/${w.id}`, { key: B.keys.agency_admin })).status).toBe(404);
    expect((await call('POST', `/api/v1/surveys/waves/${w.id}/teams/${w.teams[0].id}/codes`, { key: B.keys.agency_admin, body: { count: 2 } })).status).toBe(404);
    expect((await admin('POST', `/api/v1/surveys/waves/${w.id}/teams/${wave.teams[0].id}/codes`, { count: 2 })).status).toBe(404);
    for (const c of [0, 501, '3', 1.5]) expect((await admin('POST', `/api/v1/surveys/waves/${w.id}/teams/${w.teams[0].id}/codes`, { count: c })).status).toBe(400);
    expect(await count('survey_tokens', 'wave_id = $1', [w.id])).toBe(1);
  });

  it('sends free text that may identify someone back to the respondent to remove, storing nothing', async () => {
    const w = await openWave();
    const [code] = await codesFor(w);
    const before = await stored();
    const risky = 'Call the mother of the boy on my caseload at (614) 555-0182 to hear how bad it is.';
    const r = await post(`/survey/${code}`, { 'ps.speak-up': '2', 'q.anything-else': risky });
    expect(r.status).toBe(422);
    const html = await r.text();
    expect(html).toContain('Please take out what could identify someone');
    expect(html).toContain('555-0182');
    // The answers come back for editing: the radio stays chosen, the text stays in its box.
    expect(html).toMatch(/name="ps\.speak-up" value="2" checked/);
    expect(html).toContain('(614) 555-0182 to hear');
    expect(await stored()).toEqual(before);
    expect((await post(`/survey/${code}`, { 'ps.speak-up': '2', 'q.anything-else': 'Supervision time is the first thing cut when we are short.' })).status).toBe(303);
    expect(await stored()).toEqual({ responses: before.responses + 1, freeText: before.freeText + 1 });
  });

  it('logs nothing that carries a token, and sets no cookie', async () => {
    const w = await openWave();
    const [code] = await codesFor(w);
    const said: string[] = [];
    const spies = [
      ...(['log', 'error', 'warn', 'debug', 'verbose', 'fatal'] as const).map((m) => jest.spyOn(Logger.prototype, m).mockImplementation((...a: unknown[]) => void said.push(a.map(String).join(' ')))),
      ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => jest.spyOn(console, m).mockImplementation((...a: unknown[]) => void said.push(a.map(String).join(' ')))),
    ];
    const responses: Response[] = [];
    try {
      responses.push(await page(`/survey/${code}`));
      responses.push(await post(`/survey/${code}`, { 'ps.speak-up': '9' }));
      responses.push(await post(`/survey/${code}`, { 'ps.speak-up': '3' }));
      responses.push(await post(`/survey/${code}`, { 'ps.speak-up': '3' }));
      responses.push(await post('/survey', { code }));
    } finally {
      for (const s of spies) s.mockRestore();
    }
    expect(responses.map((r) => r.status)).toEqual([200, 400, 303, 410, 410]);
    expect(responses.map((r) => r.headers.get('set-cookie'))).toEqual([null, null, null, null, null]);
    expect(said.filter((line) => line.includes(code) || line.includes(sha(code).toString('hex')))).toEqual([]);
  });

  // ── anonymity: a full dump cannot tie a response to an address (test/support/survey-linkage.ts) ──
  it('ANONYMITY: a full dump of the database ties no response to an address, and the check catches a planted mapping', async () => {
    // A wave of its own: five addresses, each answering through its own link with its own answers and words.
    const w = await openWave({ title: 'Anonymity wave' });
    const addresses = ['eve@anon.test', 'fay@anon.test', 'gus@anon.test', 'hal@anon.test', 'ivy@anon.test'];
    expect((await admin('POST', `/api/v1/surveys/waves/${w.id}/teams/${w.teams[0].id}/recipients`, { emails: addresses.slice(0, 3) })).status).toBe(200);
    expect((await admin('POST', `/api/v1/surveys/waves/${w.id}/teams/${w.teams[1].id}/recipients`, { emails: addresses.slice(3) })).status).toBe(200);
    smtp.clear();
    expect((await admin('POST', `/api/v1/surveys/waves/${w.id}/invitations`)).body).toEqual({ sent: 5, failed: [] });
    const mails = await smtp.waitForCount(5, (m) => m.subject!.includes('Anonymity wave'));
    const link = new Map(mails.map((m) => [m.envelope.rcptTo[0], linkOf(m.text)!]));
    const codes = await codesFor(w, 0, 2);
    for (const [i, address] of addresses.entries()) {
      const r = await post(`/survey/${link.get(address)}`, { 'ps.speak-up': String(1 + i), 'ss.available': String(5 - i), 'q.anything-else': `Answer number ${i} in my own words about workload.` });
      expect(r.status).toBe(303);
    }
    expect((await post(`/survey/${codes[0]}`, { 'oc.priority': '3' })).status).toBe(303);
    expect((await admin('POST', `/api/v1/surveys/waves/${w.id}/reminders`)).status).toBe(200);

    const dump = await dumpEverything(stack.adminDatabaseUrl);
    const tables = new Set(dump.map((d) => d.table));
    for (const t of ['audit_events', 'survey_recipients', 'survey_responses', 'survey_free_text', 'survey_reminders', 'users']) expect(tables).toContain(t);
    const known = {
      tokens: [...link.values(), ...codes, ...sent.values()],
      addresses: [...addresses, ...sent.keys()],
      shared: [w.id, ...w.teams.map((t: any) => t.id), wave.id, ...wave.teams.map((t: any) => t.id), A.id, ...Object.values(A.userIds)] as string[],
    };
    // Every response and every free-text row of the wave is in the dump, and the addresses are too (the list is kept).
    expect(dump.filter((d) => d.table === 'survey_responses' && d.row.includes(w.id))).toHaveLength(6);
    expect(dump.filter((d) => d.table === 'survey_free_text' && d.row.includes(w.id))).toHaveLength(5);
    expect(dump.filter((d) => d.table === 'survey_recipients' && d.row.includes(w.id))).toHaveLength(5);
    expect(linkages(dump, known)).toEqual([]);
    // Not one raw token anywhere, not even in survey_tokens; the unused code's hash only there.
    for (const token of known.tokens) expect(dump.filter((d) => d.row.includes(token))).toEqual([]);
    expect(dump.filter((d) => d.row.includes(sha(codes[1]).toString('hex'))).map((d) => d.table)).toEqual(['survey_tokens']);

    // No column of a response or a free-text row finer than the day, and no sequence to order them by.
    const columns: { table_name: string; column_name: string; data_type: string; column_default: string | null }[] = await stack.db.query(
      `SELECT table_name, column_name, data_type, column_default FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name IN ('survey_responses', 'survey_free_text') ORDER BY table_name, ordinal_position`,
    );
    expect(columns.filter((c) => /time|interval/.test(c.data_type) || /nextval/.test(c.column_default ?? '') || /int|serial|numeric/.test(c.data_type))).toEqual([]);
    expect(columns.filter((c) => c.table_name === 'survey_responses').map((c) => `${c.column_name}:${c.data_type}`)).toEqual([
      'id:uuid',
      'wave_id:uuid',
      'team_id:uuid',
      'submitted_on:date',
      'answers:jsonb',
    ]);
    // Response ids are random, not in the order the responses came.
    const ids: { id: string }[] = await stack.db.query(`SELECT id::text FROM survey_responses WHERE wave_id = $1 ORDER BY ctid`, [w.id]);
    expect(ids.every((r) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(r.id))).toBe(true);

    // The check is not blind: plant the mapping the design refuses to keep (an address with its
    // link's hash, and an address with a response id) and the same check finds both.
    const [victim] = await stack.db.query(`SELECT id::text FROM survey_responses WHERE wave_id = $1 AND answers->>'ps.speak-up' = '1'`, [w.id]);
    const su = new Client({ connectionString: stack.adminDatabaseUrl });
    await su.connect();
    try {
      await su.query(`CREATE TABLE planted_invitation_log (email text, token_hash bytea, response_id uuid)`);
      await su.query(`INSERT INTO planted_invitation_log VALUES ($1, $2, NULL), ($3, NULL, $4)`, [addresses[1], sha(link.get(addresses[1])!), addresses[0], victim.id]);
      const planted = linkages(await dumpEverything(stack.adminDatabaseUrl), known);
      expect(planted.some((p) => p.startsWith('planted_invitation_log holds a token or its hash'))).toBe(true);
      expect(planted.some((p) => p.startsWith(`planted_invitation_log names response ${victim.id}`))).toBe(true);
      expect(planted.some((p) => p.includes(`planted_invitation_log names ${addresses[0]} with "${victim.id}"`))).toBe(true);
    } finally {
      await su.query(`DROP TABLE IF EXISTS planted_invitation_log`);
      await su.end();
    }
  });
});
