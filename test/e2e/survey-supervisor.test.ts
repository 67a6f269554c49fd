/**
 * "Survey results are for agency admins and supervisors" (README, Who uses it), through the HTTP
 * API: a supervisor lists the agency's waves (each wave's own figures only: title, dates, status,
 * the total and rate, none below SURVEY_MIN_RESPONSES; no teams, address lists or reminders),
 * opens a closed wave's results from that list, and cannot open, edit, invite, remind, print
 * codes for or close a wave (403, nothing changed). Another agency's waves stay out of the list.
 */
import { apiClient, createAgency, TestAgency } from '../support/fixtures';
import { startStack, Stack } from '../support/stack';

const K = 5;
const SUMMARY_FIELDS = ['acceptingResponses', 'closedAt', 'closesOn', 'expectedHeadcount', 'id', 'instrumentVersion', 'minResponses', 'opensOn', 'responseRate', 'responses', 'status', 'title'];

describe('survey waves for supervisors: find them, read their results, run nothing', () => {
  let stack: Stack;
  let call: ReturnType<typeof apiClient>;
  let A: TestAgency;
  let B: TestAgency;
  let closed: any;
  let running: any;
  let elsewhere: any;

  beforeAll(async () => {
    stack = await startStack();
    call = apiClient(stack.url);
    A = await createAgency(stack.db, { name: 'Home', roles: ['agency_admin', 'supervisor'] });
    B = await createAgency(stack.db, { name: 'Other', roles: ['agency_admin', 'supervisor'] });
  });

  afterAll(async () => {
    await stack?.close();
  });

  const open = async (agency: TestAgency, title: string) => {
    const r = await call('POST', '/api/v1/surveys/waves', {
      key: agency.keys.agency_admin,
      body: { title, opensOn: '2020-01-01', closesOn: '2099-12-31', teams: [{ name: 'Intake', expectedHeadcount: 8 }, { name: 'Placement', expectedHeadcount: 4 }] },
    });
    expect(r.status).toBe(201);
    return r.body;
  };
  /** `count` answers from a team, through printed codes as a respondent would. */
  const answer = async (wave: any, team: number, count: number) => {
    const codes = await call('POST', `/api/v1/surveys/waves/${wave.id}/teams/${wave.teams[team].id}/codes`, { key: A.keys.agency_admin, body: { count } });
    expect(codes.status).toBe(200);
    for (const code of codes.body.codes) {
      const r = await fetch(`${stack.url}/survey/${code}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'ps.speak-up=4' });
      expect(r.status).toBe(303);
    }
  };
  const supervisor = (method: string, path: string, body?: unknown) => call(method, path, { key: A.keys.supervisor, body });

  it("lists the agency's waves with each wave's own figures only, never a count below the minimum", async () => {
    closed = await open(A, 'Autumn survey');
    await answer(closed, 0, 6);
    await answer(closed, 1, 2);
    expect((await call('POST', `/api/v1/surveys/waves/${closed.id}/close`, { key: A.keys.agency_admin })).status).toBe(200);
    running = await open(A, 'Spring survey');
    await answer(running, 0, 2);
    elsewhere = await open(B, 'Their survey');

    const res = await supervisor('GET', '/api/v1/surveys/waves');
    expect(res.status).toBe(200);
    expect(res.body.map((w: any) => w.title).sort()).toEqual(['Autumn survey', 'Spring survey']);
    for (const w of res.body) expect(Object.keys(w).sort()).toEqual(SUMMARY_FIELDS);
    const byTitle = Object.fromEntries(res.body.map((w: any) => [w.title, w]));
    expect(byTitle['Autumn survey']).toMatchObject({ id: closed.id, status: 'closed', minResponses: K, responses: 8, expectedHeadcount: 12, responseRate: 0.667 });
    // Two answers so far: below the minimum, so no count at all.
    expect(byTitle['Spring survey']).toMatchObject({ id: running.id, status: 'open', acceptingResponses: true, responses: null, responseRate: null });

    // The agency admin's list is unchanged: every wave in full.
    const full = await call('GET', '/api/v1/surveys/waves', { key: A.keys.agency_admin });
    expect(full.body.every((w: any) => Array.isArray(w.teams) && typeof w.reminders === 'number')).toBe(true);
    expect((await call('GET', '/api/v1/surveys/waves', { key: B.keys.supervisor })).body.map((w: any) => w.id)).toEqual([elsewhere.id]);
  });

  it("opens the closed wave's results from the list; a running wave's answer 409, another agency's 404", async () => {
    const listed = (await supervisor('GET', '/api/v1/surveys/waves')).body;
    const results = await supervisor('GET', `/api/v1/surveys/waves/${listed.find((w: any) => w.status === 'closed').id}/results`);
    expect(results.status).toBe(200);
    expect(results.body.agency).toMatchObject({ id: A.id, responses: 8 });
    expect((await supervisor('GET', `/api/v1/surveys/waves/${running.id}/results`)).status).toBe(409);
    expect((await supervisor('GET', `/api/v1/surveys/waves/${elsewhere.id}/results`)).status).toBe(404);
  });

  it('refuses a supervisor everything that runs a wave (403), and nothing changes', async () => {
    const state = async () =>
      (
        await stack.db.query(
          `SELECT (SELECT count(*) FROM survey_waves)::int AS waves, (SELECT count(*) FROM survey_waves WHERE status = 'closed')::int AS closed,
                  (SELECT count(*) FROM survey_tokens)::int AS tokens, (SELECT count(*) FROM survey_recipients)::int AS recipients,
                  (SELECT count(*) FROM survey_reminders)::int AS reminders, (SELECT count(*) FROM audit_events WHERE action LIKE 'survey.%')::int AS events`,
        )
      )[0];
    const before = await state();
    const w = running;
    const team = w.teams[0].id;
    const calls: [string, string, unknown?][] = [
      ['POST', '/api/v1/surveys/waves', { title: 'Mine', opensOn: '2020-01-01', closesOn: '2099-12-31', teams: [{ name: 'Intake', expectedHeadcount: 8 }] }],
      ['GET', `/api/v1/surveys/waves/${w.id}`],
      ['POST', `/api/v1/surveys/waves/${w.id}/teams/${team}/recipients`, { emails: ['someone@agency.test'] }],
      ['POST', `/api/v1/surveys/waves/${w.id}/invitations`],
      ['POST', `/api/v1/surveys/waves/${w.id}/reminders`],
      ['POST', `/api/v1/surveys/waves/${w.id}/teams/${team}/codes`, { count: 3 }],
      ['POST', `/api/v1/surveys/waves/${w.id}/close`],
    ];
    for (const [method, path, body] of calls) {
      const r = await supervisor(method, path, body);
      expect([method, path, r.status, r.body?.message]).toEqual([method, path, 403, 'this action needs one of the roles: agency_admin']);
    }
    expect(await state()).toEqual(before);
  });
});
