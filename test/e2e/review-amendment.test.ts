/**
 * An amendment is a new version in draft, and until a second person approves it the partnership
 * reads the approved version: not only its ratings and findings (kept per version) but its
 * incident and its recommendations, which a review holds once and which the figures, the shared
 * summaries, the follow-through and notices drafted from it read. An outside audit found one
 * review lead rewriting the incident type other members saw, and the partnership's counts, by
 * amending and editing with nobody approving. And a recommendation a notice's action was drafted
 * from cannot be removed (409, not a 500). A recommendation owned by a member names another member
 * agency, never the review's own (its owner is then 'agency').
 * Real stack: PostgreSQL, NATS, HTTP.
 */
import { currentInstrument, itemsOf } from '@sne/core';
import { addUser, apiClient, createAgency, createTopics, TestAgency } from '../support/fixtures';
import { OpenApiContract } from '../support/openapi-contract';
import { startStack, Stack } from '../support/stack';

const ITEMS = [...itemsOf(currentInstrument().version).keys()];
const RECORD = {
  incident: { incidentType: 'near_fatality', incidentYear: 2025, incidentMonth: 4, ageBand: 'under_1', priorInvolvement: 'investigated', priorRecency: 'within_12_months', circumstances: ['unsafe_sleep'], summary: 'An infant was found unresponsive.' },
  summary: 'Safe sleep guidance was not part of the closing visit.',
  ratings: Object.fromEntries(ITEMS.map((id) => [id, 1])),
  findings: [{ text: 'Closing visits had no checklist for infant sleep arrangements.' }, { text: 'Supervisors could not see open cases with an infant.' }],
  recommendations: [
    { text: 'Add a safe sleep check to every closing visit with an infant.', owner: 'agency', targetDate: '2027-03-31', findingPosition: 1 },
    { text: 'List open cases with an infant on the supervisor dashboard.', owner: 'agency', targetDate: '2027-06-30', findingPosition: 2 },
  ],
};
const AMENDED_INCIDENT = { ...RECORD.incident, incidentType: 'fatality', incidentYear: 2026, incidentMonth: 1 };
const AMENDED_RECOMMENDATIONS = [{ ...RECORD.recommendations[0], text: 'Add a safe sleep check to every home visit with an infant.' }];

describe('review amendments: held until approved', () => {
  let stack: Stack;
  let call: ReturnType<typeof apiClient>;
  let A: TestAgency, B: TestAgency;
  let lead2: { id: string; key: string };

  beforeAll(async () => {
    stack = await startStack();
    call = apiClient(stack.url);
    await createTopics(stack.db, ['safe-sleep']);
    A = await createAgency(stack.db, { name: 'Reviewing', roles: ['reviewer', 'review_lead', 'approver', 'author'] });
    B = await createAgency(stack.db, { name: 'Other member', roles: ['reviewer'] });
    lead2 = await addUser(stack.db, A, 'Second lead', ['review_lead']);
  });

  afterAll(async () => {
    await stack?.close();
  });

  async function ok(method: string, path: string, key: string, body?: unknown) {
    const res = await call(method, path, { key, body });
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${res.text}`);
    return res.body;
  }
  /** An approved review, shared with the other members. */
  async function sharedReview() {
    const r = await ok('POST', '/api/v1/reviews', A.keys.reviewer!, RECORD);
    const s = await ok('POST', `/api/v1/reviews/${r.id}/submit`, A.keys.review_lead!);
    await ok('POST', `/api/v1/reviews/${r.id}/approve`, A.keys.approver!, { version: s.version, contentHash: s.contentHash });
    await ok('POST', `/api/v1/reviews/${r.id}/share`, A.keys.review_lead!, { sharedSummary: 'Closing visits did not cover safe sleep.' });
    return r.id as string;
  }
  /** What the partnership reads of the review: its incident and recommendation rows, and what another member sees. */
  async function whatOthersRead(id: string) {
    const [incident] = await stack.db.query(
      `SELECT i.incident_type, i.incident_year, i.incident_month FROM critical_incidents i JOIN incident_reviews r ON r.incident_id = i.id WHERE r.id = $1`,
      [id],
    );
    const recommendations = await stack.db.query(`SELECT id, position, text FROM review_recommendations WHERE review_id = $1 ORDER BY position`, [id]);
    const shared = await ok('GET', `/api/v1/shared-reviews/${id}`, B.keys.reviewer!);
    return { incident, recommendations, shared: { incidentType: shared.incidentType, incidentYear: shared.incidentYear } };
  }

  it("an amendment's incident and recommendations reach the figures and other members only once approved", async () => {
    const id = await sharedReview();
    const approved = await whatOthersRead(id);
    expect(approved.shared).toEqual({ incidentType: 'near_fatality', incidentYear: 2025 });

    await ok('POST', `/api/v1/reviews/${id}/amend`, A.keys.review_lead!);
    const edited = await ok('PATCH', `/api/v1/reviews/${id}`, A.keys.review_lead!, { incident: AMENDED_INCIDENT, recommendations: AMENDED_RECOMMENDATIONS });
    // The draft shows the amendment; a recommendation kept keeps its id and history.
    expect(edited.incident).toMatchObject({ incidentType: 'fatality', incidentYear: 2026 });
    expect(edited.recommendations.map((x: { id: string; text: string }) => [x.id, x.text])).toEqual([[approved.recommendations[0].id, AMENDED_RECOMMENDATIONS[0].text]]);
    expect(edited.recommendations[0].history.length).toBeGreaterThan(0);
    expect(await whatOthersRead(id)).toEqual(approved);

    const submitted = await ok('POST', `/api/v1/reviews/${id}/submit`, lead2.key);
    expect(await whatOthersRead(id)).toEqual(approved);
    // Returned and edited again: still held.
    await ok('POST', `/api/v1/reviews/${id}/return`, A.keys.approver!, { reason: 'Say when the visit happened.' });
    await ok('PATCH', `/api/v1/reviews/${id}`, A.keys.review_lead!, { summary: 'Safe sleep guidance was not part of the closing visit in March.' });
    expect(await whatOthersRead(id)).toEqual(approved);
    const again = await ok('POST', `/api/v1/reviews/${id}/submit`, lead2.key);
    expect(again.contentHash).not.toBe(submitted.contentHash);

    await ok('POST', `/api/v1/reviews/${id}/approve`, A.keys.approver!, { version: again.version, contentHash: again.contentHash });
    const now = await whatOthersRead(id);
    expect(now.incident).toEqual({ incident_type: 'fatality', incident_year: 2026, incident_month: 1 });
    expect(now.recommendations).toEqual([{ id: approved.recommendations[0].id, position: 1, text: AMENDED_RECOMMENDATIONS[0].text }]);
    expect(now.shared).toEqual({ incidentType: 'fatality', incidentYear: 2026 });
    expect((await stack.db.query(`SELECT amendment FROM incident_reviews WHERE id = $1`, [id]))[0].amendment).toBeNull();
    // The approved snapshot is what was approved.
    const versions = await ok('GET', `/api/v1/reviews/${id}/versions`, A.keys.reviewer!);
    const last = versions.versions[versions.versions.length - 1];
    expect(last).toMatchObject({ version: 2, event: 'approved', content: { incident: { incidentType: 'fatality' }, recommendations: [{ text: AMENDED_RECOMMENDATIONS[0].text }] } });
  });

  it('a recommendation a notice action was drafted from cannot be removed: 409, and nothing changes', async () => {
    const id = await sharedReview();
    await ok('POST', `/api/v1/reviews/${id}/notice-draft`, A.keys.author!, { severity: 'high', topics: ['safe-sleep'] });
    await ok('POST', `/api/v1/reviews/${id}/amend`, A.keys.review_lead!);
    const before = await ok('GET', `/api/v1/reviews/${id}`, A.keys.reviewer!);
    for (const recommendations of [[], AMENDED_RECOMMENDATIONS]) {
      const res = await call('PATCH', `/api/v1/reviews/${id}`, { key: A.keys.review_lead, body: { recommendations } });
      expect(res.status).toBe(409);
      expect(res.body.message).toMatch(/notice action drafted from it/);
    }
    const after = await ok('GET', `/api/v1/reviews/${id}`, A.keys.reviewer!);
    expect(after.recommendations).toEqual(before.recommendations);
    expect(after.updatedAt).toBe(before.updatedAt);
  });

  it("the console shows an amendment's new recommendation without a status form until the amendment is approved", async () => {
    const id = await sharedReview();
    await ok('POST', `/api/v1/reviews/${id}/amend`, A.keys.review_lead!);
    const added = { text: 'Train intake staff on infant sleep questions.', owner: 'agency', targetDate: '2027-09-30', findingPosition: 2 };
    const edited = await ok('PATCH', `/api/v1/reviews/${id}`, A.keys.review_lead!, { recommendations: [...RECORD.recommendations, added] });
    expect(edited.recommendations.map((x: { id: string | null }) => x.id !== null)).toEqual([true, true, false]);
    const page = await fetch(`${stack.url}/console/reviews/${id}`, { headers: { authorization: `Bearer ${A.keys.review_lead}` } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(added.text);
    expect(html).toContain('Added by the amendment');
    expect(html.match(/action="\/console\/reviews\/[^"]+\/recommendations\/[0-9a-f-]{36}"/g)).toHaveLength(2);
    expect(html).not.toMatch(/\/recommendations\/"/);
  });

  it('during an amendment every answer about the review is one the OpenAPI document gives, and says which approved text a status belongs to', async () => {
    const contract = await OpenApiContract.load(stack.url);
    const id = await sharedReview();
    const answers: [string, Awaited<ReturnType<typeof call>>][] = [];
    const send = async (route: string, path: string, key: string, body?: unknown) => {
      const res = await call(route.split(' ')[0], path, { key, body });
      answers.push([route, res]);
      return res.body;
    };
    await send('POST /api/v1/reviews/:id/amend', `/api/v1/reviews/${id}/amend`, A.keys.review_lead!);
    const added = { text: 'Train intake staff on infant sleep questions.', owner: 'agency', targetDate: '2027-09-30', findingPosition: 2 };
    const rewritten = 'Add a safe sleep check to every home visit with an infant.';
    const recs = [{ ...RECORD.recommendations[0], text: rewritten }, RECORD.recommendations[1], added];
    const edited = await send('PATCH /api/v1/reviews/:id', `/api/v1/reviews/${id}`, A.keys.review_lead!, { recommendations: recs });
    await send('GET /api/v1/reviews/:id', `/api/v1/reviews/${id}`, A.keys.reviewer!);
    await send('POST /api/v1/reviews/:id/submit', `/api/v1/reviews/${id}/submit`, A.keys.review_lead!);
    const problems = answers.map(([route, res]) => [route, res.status, contract.responseProblem(route, { status: res.status, contentType: res.headers.get('content-type') ?? '', text: res.text, json: res.body })]);
    expect(problems).toEqual(answers.map(([route, res]) => [route, res.status, undefined]));
    expect(edited.recommendations.map((x: { id: string | null; approvedText: string | null }) => [x.id !== null, x.approvedText])).toEqual([
      [true, RECORD.recommendations[0].text],
      [true, null],
      [false, null],
    ]);
    const html = await (await fetch(`${stack.url}/console/reviews/${id}`, { headers: { authorization: `Bearer ${A.keys.review_lead}` } })).text();
    expect(html.match(/this status and its history belong to the approved text: “([^”]*)”/g)).toEqual([`this status and its history belong to the approved text: “${RECORD.recommendations[0].text}”`]);
    // Approved: the rewritten text is the row's own, and nothing is said any more.
    const submitted = answers[answers.length - 1][1].body;
    await ok('POST', `/api/v1/reviews/${id}/approve`, A.keys.approver!, { version: submitted.version, contentHash: submitted.contentHash });
    const approved = await ok('GET', `/api/v1/reviews/${id}`, A.keys.reviewer!);
    expect(approved.recommendations.map((x: { text: string; approvedText: string | null }) => [x.text, x.approvedText])).toEqual(recs.map((x) => [x.text, null]));
  });

  it("a recommendation owned by 'member' names another member agency, never the review's own: 400, nothing written", async () => {
    const before = Number((await stack.db.query(`SELECT count(*) AS n FROM incident_reviews`))[0].n);
    const own = { ...RECORD, recommendations: [{ ...RECORD.recommendations[0], owner: 'member', ownerAgencyId: A.id }] };
    const res = await call('POST', '/api/v1/reviews', { key: A.keys.reviewer, body: own });
    expect(res.status).toBe(400);
    expect(res.text).toContain("is your own agency: its owner is 'agency'");
    expect(Number((await stack.db.query(`SELECT count(*) AS n FROM incident_reviews`))[0].n)).toBe(before);
    const other = { ...RECORD, recommendations: [{ ...RECORD.recommendations[0], owner: 'member', ownerAgencyId: B.id }] };
    expect((await call('POST', '/api/v1/reviews', { key: A.keys.reviewer, body: other })).status).toBe(201);
  });
});
