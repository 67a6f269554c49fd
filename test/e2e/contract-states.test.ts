/**
 * Every answer of a notice's whole life matches the OpenAPI document (/docs/openapi.json), in the
 * states the fuzz and authorization-matrix scenes do not reach: a recipient acknowledged (by key),
 * answered, reminded too soon, resent; an approval against a recipient list that changed; an
 * update published over a paused subscription, superseding, then cancelled after a deletion; a
 * rejection. An outside audit found four answers that broke the document here (an acknowledger
 * without the userId the document required, an update's changes as an array documented as an
 * object, and two errors with undocumented properties). Each step also answers the status it is
 * meant to, so the walk cannot pass by being refused early. Real stack: PostgreSQL, NATS, HTTP.
 */
import { apiClient, createAgency, createTopics, eventually, TestAgency } from '../support/fixtures';
import { OpenApiContract } from '../support/openapi-contract';
import { startStack, Stack } from '../support/stack';

describe("the OpenAPI document holds through a notice's whole life", () => {
  let stack: Stack;
  let call: ReturnType<typeof apiClient>;
  let contract: OpenApiContract;
  let A: TestAgency, B: TestAgency, C: TestAgency, ADM: TestAgency;
  const problems: string[] = [];

  beforeAll(async () => {
    stack = await startStack();
    call = apiClient(stack.url);
    contract = await OpenApiContract.load(stack.url);
    await createTopics(stack.db, ['safe-sleep']);
    A = await createAgency(stack.db, { name: 'Issuer', roles: ['author', 'approver', 'supervisor', 'agency_admin'] });
    B = await createAgency(stack.db, { name: 'Mailed', roles: ['author', 'supervisor', 'agency_admin'] });
    C = await createAgency(stack.db, { name: 'Hooked', roles: ['supervisor', 'agency_admin'] });
    ADM = await createAgency(stack.db, { name: 'Partnership', roles: ['admin'] });
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** Calls `route`; records a problem if the answer is not `status`, or not one the document gives. */
  async function send(label: string, route: string, path: string, key: string | undefined, body?: unknown, status?: number) {
    const res = await call(route.split(' ')[0], path, { key, body });
    if (status !== undefined ? res.status !== status : res.status >= 300) problems.push(`[${label}] ${route} answered ${res.status} (meant ${status ?? '2xx'}): ${res.text.slice(0, 200)}`);
    const problem = contract.responseProblem(route, { status: res.status, contentType: res.headers.get('content-type') ?? '', text: res.text, json: res.body });
    if (problem) problems.push(`[${label}] ${route} ${path} -> ${res.status}: ${problem}`);
    return res;
  }

  it('answers every step as the document says, in every state it walks through', async () => {
    await send('B subscribes by email', 'POST /api/v1/subscriptions', '/api/v1/subscriptions', B.keys.agency_admin, { name: 'desk', topicPatterns: ['safe-sleep'], channel: 'email', emailAddresses: ['desk@b.test'] });
    const hook = await send('C subscribes by webhook', 'POST /api/v1/subscriptions', '/api/v1/subscriptions', C.keys.agency_admin, { name: 'hook', topicPatterns: ['safe-sleep'], channel: 'webhook', webhookUrl: 'http://127.0.0.1:9/hook' });
    const due = new Date(Date.now() + 86400_000 * 3).toISOString();
    const draft = await send('draft', 'POST /api/v1/notices', '/api/v1/notices', A.keys.author, {
      title: 'Inclined sleepers', summary: 'Remove inclined sleepers', body: 'Line one', category: 'alert', severity: 'high', topics: ['safe-sleep'],
      requiredActions: ['Check homes', 'Brief caseworkers'], acknowledgeBy: due, actionsDueBy: new Date(Date.now() + 86400_000 * 10).toISOString(),
    });
    const id = draft.body.id;
    await send('review draft', 'GET /api/v1/notices/:id/review', `/api/v1/notices/${id}/review`, A.keys.approver);
    await send('submit', 'POST /api/v1/notices/:id/submit', `/api/v1/notices/${id}/submit`, A.keys.author);
    await send('review in_review', 'GET /api/v1/notices/:id/review', `/api/v1/notices/${id}/review`, A.keys.approver);
    await send('approve with a stale recipient count', 'POST /api/v1/notices/:id/approve', `/api/v1/notices/${id}/approve`, A.keys.approver, { contentHash: draft.body.contentHash, recipientCount: 7 }, 409);
    await send('approve', 'POST /api/v1/notices/:id/approve', `/api/v1/notices/${id}/approve`, A.keys.approver, { contentHash: draft.body.contentHash });
    await eventually(async () => (await call('GET', `/api/v1/notices/${id}/acknowledgments`, { key: A.keys.supervisor })).body?.items?.length === 2, 15000, 'acks');
    await send('acks pending (issuer)', 'GET /api/v1/notices/:id/acknowledgments', `/api/v1/notices/${id}/acknowledgments`, A.keys.supervisor);
    await send('B acknowledges', 'POST /api/v1/notices/:id/acknowledgments', `/api/v1/notices/${id}/acknowledgments`, B.keys.supervisor, {});
    await send('B acknowledges again', 'POST /api/v1/notices/:id/acknowledgments', `/api/v1/notices/${id}/acknowledgments`, B.keys.supervisor, {});
    await send('B answers', 'POST /api/v1/notices/:id/acknowledgments/actions', `/api/v1/notices/${id}/acknowledgments/actions`, B.keys.supervisor, {
      answers: [{ action: 0, response: 'underway', assigneeUserId: B.userIds.author, dueAt: due }, { action: 1, response: 'not_applicable', note: 'No caseworkers' }],
    });
    const acks = await send('acks after B acknowledged (issuer)', 'GET /api/v1/notices/:id/acknowledgments', `/api/v1/notices/${id}/acknowledgments`, A.keys.supervisor);
    await send('acks after B acknowledged (B)', 'GET /api/v1/notices/:id/acknowledgments', `/api/v1/notices/${id}/acknowledgments`, B.keys.supervisor);
    await send('acks (admin)', 'GET /api/v1/notices/:id/acknowledgments', `/api/v1/notices/${id}/acknowledgments`, ADM.keys.admin);
    const bAck = acks.body.items.find((x: any) => x.agency.id === B.id).acknowledgmentId;
    await send('answers', 'GET /api/v1/acknowledgments/:ackId/answers', `/api/v1/acknowledgments/${bAck}/answers`, A.keys.supervisor);
    await send('deliveries of notice (A)', 'GET /api/v1/notices/:id/deliveries', `/api/v1/notices/${id}/deliveries`, A.keys.supervisor);
    await send('deliveries of notice (C)', 'GET /api/v1/notices/:id/deliveries', `/api/v1/notices/${id}/deliveries`, C.keys.supervisor);
    const dl = await send('deliveries (admin)', 'GET /api/v1/deliveries', `/api/v1/deliveries`, ADM.keys.admin);
    for (const d of dl.body.items.slice(0, 4)) await send('delivery', 'GET /api/v1/deliveries/:id', `/api/v1/deliveries/${d.id}`, A.keys.supervisor);
    for (const ag of [B, C]) {
      await send('timeline', 'GET /api/v1/notices/:id/recipients/:agencyId/timeline', `/api/v1/notices/${id}/recipients/${ag.id}/timeline`, A.keys.supervisor);
    }
    await send('remind', 'POST /api/v1/notices/:id/reminders', `/api/v1/notices/${id}/reminders`, A.keys.supervisor, { note: 'please' });
    await send('remind again', 'POST /api/v1/notices/:id/reminders', `/api/v1/notices/${id}/reminders`, A.keys.supervisor, { note: 'please' }, 429);
    await send('resend C', 'POST /api/v1/notices/:id/recipients/:agencyId/resend', `/api/v1/notices/${id}/recipients/${C.id}/resend`, A.keys.supervisor, { note: 'again please' }, 429);
    await send('timeline C after resend', 'GET /api/v1/notices/:id/recipients/:agencyId/timeline', `/api/v1/notices/${id}/recipients/${C.id}/timeline`, A.keys.supervisor);
    await send('inbox B', 'GET /api/v1/inbox', `/api/v1/inbox`, B.keys.supervisor);
    await send('inbox C', 'GET /api/v1/inbox', `/api/v1/inbox`, C.keys.supervisor);
    await send('colleagues', 'GET /api/v1/inbox/colleagues', `/api/v1/inbox/colleagues`, B.keys.supervisor);
    await send('report', 'GET /api/v1/notices/:id/report', `/api/v1/notices/${id}/report`, A.keys.supervisor);
    await send('report B', 'GET /api/v1/notices/:id/report', `/api/v1/notices/${id}/report`, B.keys.supervisor);
    await send('agency notices', 'GET /api/v1/agencies/:id/notices', `/api/v1/agencies/${B.id}/notices`, B.keys.supervisor);
    await send('overdue', 'GET /api/v1/reports/overdue', `/api/v1/reports/overdue`, A.keys.supervisor);
    await send('overdue-records', 'GET /api/v1/reports/overdue-records', `/api/v1/reports/overdue-records`, A.keys.supervisor);
    await send('response-times', 'GET /api/v1/reports/response-times', `/api/v1/reports/response-times?from=2020-01-01T00:00:00Z&to=2021-12-31T00:00:00Z`, A.keys.supervisor);
    await send('response-times by jt', 'GET /api/v1/reports/response-times', `/api/v1/reports/response-times?groupBy=jurisdictionType&from=${new Date(Date.now()-86400e3).toISOString()}&to=${new Date(Date.now()+86400e3).toISOString()}`, A.keys.supervisor);

    // C pauses, then an update is published (superseding), then C deletes its subscription.
    await send('C pauses', 'POST /api/v1/subscriptions/:id/pause', `/api/v1/subscriptions/${hook.body.id}/pause`, C.keys.agency_admin);
    const upd = await send('draft update', 'POST /api/v1/notices/:id/updates', `/api/v1/notices/${id}/updates`, A.keys.author, { material: true, body: 'Line one corrected', severity: 'critical' });
    const uid = upd.body.id;
    await send('review update', 'GET /api/v1/notices/:id/review', `/api/v1/notices/${uid}/review`, A.keys.approver);
    await send('submit update', 'POST /api/v1/notices/:id/submit', `/api/v1/notices/${uid}/submit`, A.keys.author);
    await send('approve update', 'POST /api/v1/notices/:id/approve', `/api/v1/notices/${uid}/approve`, A.keys.approver, { contentHash: upd.body.contentHash });
    await send('get update', 'GET /api/v1/notices/:id', `/api/v1/notices/${uid}`, B.keys.supervisor);
    await send('get superseded', 'GET /api/v1/notices/:id', `/api/v1/notices/${id}`, B.keys.supervisor);
    await send('list', 'GET /api/v1/notices', `/api/v1/notices`, B.keys.supervisor);
    await send('versions update', 'GET /api/v1/notices/:id/versions', `/api/v1/notices/${uid}/versions`, A.keys.author);
    await eventually(async () => (await call('GET', `/api/v1/notices/${uid}/acknowledgments`, { key: A.keys.supervisor })).body?.items?.length >= 1, 15000, 'acks of update');
    await send('acks superseded', 'GET /api/v1/notices/:id/acknowledgments', `/api/v1/notices/${id}/acknowledgments`, A.keys.supervisor);
    await send('acks update', 'GET /api/v1/notices/:id/acknowledgments', `/api/v1/notices/${uid}/acknowledgments`, A.keys.supervisor);
    await send('C deletes sub', 'DELETE /api/v1/subscriptions/:id', `/api/v1/subscriptions/${hook.body.id}`, C.keys.agency_admin);
    await send('acks update after delete', 'GET /api/v1/notices/:id/acknowledgments', `/api/v1/notices/${uid}/acknowledgments`, A.keys.supervisor);
    await send('deliveries update after delete', 'GET /api/v1/notices/:id/deliveries', `/api/v1/notices/${uid}/deliveries`, A.keys.supervisor);
    await send('timeline C after delete', 'GET /api/v1/notices/:id/recipients/:agencyId/timeline', `/api/v1/notices/${uid}/recipients/${C.id}/timeline`, A.keys.supervisor);
    await send('cancel update', 'POST /api/v1/notices/:id/cancel', `/api/v1/notices/${uid}/cancel`, A.keys.approver, { reason: 'Withdrawn for review' });
    await send('acks cancelled', 'GET /api/v1/notices/:id/acknowledgments', `/api/v1/notices/${uid}/acknowledgments`, A.keys.supervisor);
    await send('inbox B after', 'GET /api/v1/inbox', `/api/v1/inbox`, B.keys.supervisor);
    await send('inbox B closed', 'GET /api/v1/inbox', `/api/v1/inbox?state=closed`, B.keys.supervisor);
    await send('report cancelled', 'GET /api/v1/notices/:id/report', `/api/v1/notices/${uid}/report`, A.keys.supervisor);
    await send('agency notices after', 'GET /api/v1/agencies/:id/notices', `/api/v1/agencies/${C.id}/notices`, C.keys.supervisor);
    await send('timeline C cancelled', 'GET /api/v1/notices/:id/recipients/:agencyId/timeline', `/api/v1/notices/${uid}/recipients/${C.id}/timeline`, A.keys.supervisor);
    await send('deliveries (admin) end', 'GET /api/v1/deliveries', `/api/v1/deliveries`, ADM.keys.admin);
    await send('list end', 'GET /api/v1/notices', `/api/v1/notices`, A.keys.author);
    await send('audit', 'GET /api/v1/audit', `/api/v1/audit`, ADM.keys.admin);
    await send('audit A', 'GET /api/v1/audit', `/api/v1/audit`, A.keys.agency_admin);
    // Reject path and rejection reasons.
    const d2 = await send('draft2', 'POST /api/v1/notices', '/api/v1/notices', A.keys.author, { title: 'A second notice', summary: 'Its summary', body: 'Its body', category: 'advisory', severity: 'low', topics: ['safe-sleep'] });
    await send('submit2', 'POST /api/v1/notices/:id/submit', `/api/v1/notices/${d2.body.id}/submit`, A.keys.author);
    await send('reject2', 'POST /api/v1/notices/:id/reject', `/api/v1/notices/${d2.body.id}/reject`, A.keys.approver, { reasons: ['Too vague'] });
    await send('deid2', 'GET /api/v1/notices/:id/deid', `/api/v1/notices/${d2.body.id}/deid`, A.keys.author);
    expect(problems).toEqual([]);
  });
});
