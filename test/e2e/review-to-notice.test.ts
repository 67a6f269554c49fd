/**
 * Issue 11, from review to notice and back, on the real stack (PostgreSQL, NATS, the courier, an
 * SMTP sink): an approved review becomes a notice draft prefilled from its findings and
 * recommendations; the draft goes through the normal approval and fans out; recipients
 * acknowledge and report the actions; the review's notices figures and the partnership's
 * follow-through report (agencies with a data-sharing agreement only, small cells suppressed)
 * change with them; the notice says which review it came from, with the review's id only for
 * the review's own agency.
 */
import { insertReviewRecord, ReviewRecordInput } from '@sne/core';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { startStack, Stack } from '../support/stack';
import { apiClient, createAgency, createTopics, eventually, TestAgency } from '../support/fixtures';

const FINDINGS = [
  { text: 'Home visit checklists had no item on where the infant sleeps. Workers relied on memory.', domainId: null },
  { text: 'Supervisors could not see which open cases had an infant under one year.', domainId: null },
];
const RECOMMENDATIONS = [
  { text: 'Add a safe sleep item to every home visit checklist for households with an infant', owner: 'partnership' as const },
  { text: 'Give supervisors a weekly list of open cases with an infant under one year', owner: 'agency' as const },
  { text: 'Buy a new case management system', owner: 'agency' as const, status: 'not_adopted' as const, statusReason: 'Out of budget this year' },
];

function reviewInput(): ReviewRecordInput {
  return {
    incident: { incidentType: 'fatality', incidentYear: 2025, incidentMonth: 3, ageBand: 'under_1', priorInvolvement: 'none', circumstances: ['unsafe_sleep'] },
    summary: 'A systems-focused review of an unsafe sleep fatality.',
    ratings: {},
    findings: FINDINGS,
    recommendations: RECOMMENDATIONS,
  };
}

describe('from review to notice, and back', () => {
  let stack: Stack;
  let smtp: SmtpSink;
  let call: ReturnType<typeof apiClient>;
  let A: TestAgency, B: TestAgency, C: TestAgency, D: TestAgency, P: TestAgency;
  let review: { reviewId: string; reference: string };
  let draftReview: { reviewId: string };
  let recIds: string[];
  let notice: any;

  async function seedReview(agency: TestAgency, status: 'draft' | 'approved') {
    return stack.db.transaction((m) => insertReviewRecord(m, agency.id, agency.userIds.author ?? null, reviewInput(), { status }));
  }

  beforeAll(async () => {
    smtp = await startSmtpSink();
    stack = await startStack({ SMTP_URL: smtp.url, SUPPRESSION_MIN_CELL: '1' });
    call = apiClient(stack.url);
    await createTopics(stack.db, ['safe-sleep', 'intake.screening']);
    A = await createAgency(stack.db, { name: 'Reviewing state', type: 'state', roles: ['author', 'approver', 'supervisor', 'analyst'] });
    B = await createAgency(stack.db, { name: 'Sharing county', roles: ['author', 'supervisor'] });
    C = await createAgency(stack.db, { name: 'Private county', roles: ['author', 'supervisor'] });
    D = await createAgency(stack.db, { name: 'Withdrawn tribe', type: 'tribal', roles: ['author', 'supervisor'] });
    P = await createAgency(stack.db, { name: 'Partnership', type: 'federal', roles: ['admin', 'analyst'] });
    review = await seedReview(A, 'approved');
    draftReview = await seedReview(A, 'draft');
    recIds = (await stack.db.query(`SELECT id FROM review_recommendations WHERE review_id = $1 ORDER BY position`, [review.reviewId])).map((r: any) => r.id);
    // B's agreement covers incidents; D agreed, then withdrew (an empty covers, recorded later); C and P never agreed.
    await stack.db.query(
      `INSERT INTO data_sharing_agreements (agency_id, covers, signed_on, recorded_at) VALUES
         ($1, '{incidents}', '2026-01-05', now()), ($2, '{incidents,culture}', '2026-01-05', now() - interval '2 days'), ($2, '{}', '2026-02-01', now() - interval '1 day')`,
      [B.id, D.id],
    );
  }, 60000);

  afterAll(async () => {
    await stack?.close();
    await smtp?.close();
  });

  it('drafts a notice prefilled exactly from the approved review, linked action by action', async () => {
    const res = await call('POST', `/api/v1/reviews/${review.reviewId}/notice-draft`, { key: A.keys.author, body: { severity: 'critical' } });
    expect(res.status).toBe(201);
    notice = res.body;
    expect(notice.status).toBe('draft');
    expect(notice.title).toBe('Home visit checklists had no item on where the infant sleeps.');
    expect(notice.summary).toBe(
      `Critical incident review ${review.reference} found 2 systemic findings: Home visit checklists had no item on where the infant sleeps. Supervisors could not see which open cases had an infant under one year.`,
    );
    // Recommendations become required actions word for word; the one not adopted stays out.
    expect(notice.requiredActions).toEqual([RECOMMENDATIONS[0].text, RECOMMENDATIONS[1].text]);
    expect(notice.category).toBe('alert');
    expect(notice.severity).toBe('critical');
    expect(notice.topics).toEqual(['safe-sleep']);
    expect(notice.incidentReference).toBe(review.reference);
    expect(notice.sourceReview).toEqual({ reference: review.reference, id: review.reviewId });
    expect(notice.body).toContain(`1. ${FINDINGS[0].text}\n2. ${FINDINGS[1].text}`);
    expect(notice.body).toContain(`## What to do`);
    expect(notice.body).toContain(`1. ${RECOMMENDATIONS[0].text}\n2. ${RECOMMENDATIONS[1].text}`);
    expect(notice.body).not.toContain(RECOMMENDATIONS[2].text);
    expect(notice.body.indexOf('## Systemic findings')).toBeLessThan(notice.body.indexOf('## What to do'));

    const [row] = await stack.db.query(`SELECT source_review_id FROM notices WHERE id = $1`, [notice.id]);
    expect(row.source_review_id).toBe(review.reviewId);
    const links = await stack.db.query(`SELECT action_index, recommendation_id FROM review_notice_actions WHERE notice_id = $1 ORDER BY action_index`, [notice.id]);
    expect(links).toEqual([
      { action_index: 0, recommendation_id: recIds[0] },
      { action_index: 1, recommendation_id: recIds[1] },
    ]);
    const events = await stack.db.query(`SELECT action, entity_id, after FROM audit_events WHERE entity_id IN ($1, $2) ORDER BY id`, [review.reviewId, notice.id]);
    expect(events.map((e: any) => e.action)).toEqual(['notice.drafted', 'review.notice_drafted']);
    expect(events[1].after).toEqual({ noticeId: notice.id, recommendations: [recIds[0], recIds[1]] });
  });

  it('refuses an unapproved review (409), another agency (404), other roles (403), and changes nothing', async () => {
    const before = (await stack.db.query(`SELECT count(*)::int AS n FROM notices`))[0].n;
    const unapproved = await call('POST', `/api/v1/reviews/${draftReview.reviewId}/notice-draft`, { key: A.keys.author, body: {} });
    expect(unapproved.status).toBe(409);
    expect(unapproved.body.message).toMatch(/draft/);
    expect((await call('POST', `/api/v1/reviews/${review.reviewId}/notice-draft`, { key: B.keys.author, body: {} })).status).toBe(404);
    expect((await call('POST', `/api/v1/reviews/${review.reviewId}/notice-draft`, { key: A.keys.approver, body: {} })).status).toBe(403);
    expect((await call('GET', `/api/v1/reviews/${review.reviewId}/notices`, { key: B.keys.supervisor })).status).toBe(404);
    expect((await call('GET', `/api/v1/reviews/${review.reviewId}/notices`, { key: P.keys.admin })).status).toBe(404);
    const unknownTopic = await call('POST', `/api/v1/reviews/${review.reviewId}/notice-draft`, { key: A.keys.author, body: { topics: ['no-such-topic'] } });
    expect(unknownTopic.status).toBe(400);
    const foreignRec = await call('POST', `/api/v1/reviews/${review.reviewId}/notice-draft`, { key: A.keys.author, body: { recommendationIds: [draftReview.reviewId] } });
    expect(foreignRec.status).toBe(400);
    // The console's button on an unapproved review: the page again, with the reason, and no draft.
    const page = await fetch(`${stack.url}/console/reviews/${draftReview.reviewId}/notice-draft`, {
      method: 'POST',
      redirect: 'manual',
      headers: { authorization: `Bearer ${A.keys.author}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'topic=safe-sleep',
    });
    expect(page.status).toBe(409);
    expect(await page.text()).toContain('only an approved review can become a notice');
    expect((await stack.db.query(`SELECT count(*)::int AS n FROM notices`))[0].n).toBe(before);
  });

  it('the approved notice fans out; acknowledgments and actions move the review figures and the follow-through', async () => {
    const figures0 = await call('GET', `/api/v1/reviews/${review.reviewId}/notices`, { key: A.keys.supervisor });
    expect(figures0.status).toBe(200);
    expect(figures0.body.items).toHaveLength(1);
    expect(figures0.body.items[0]).toMatchObject({ noticeId: notice.id, status: 'draft', recipients: 0, acknowledgmentRate: null });

    expect((await call('POST', `/api/v1/notices/${notice.id}/submit`, { key: A.keys.author })).status).toBe(200);
    const approved = await call('POST', `/api/v1/notices/${notice.id}/approve`, { key: A.keys.approver, body: { contentHash: notice.contentHash } });
    expect(approved.status).toBe(200);
    expect(approved.body.sourceReview).toEqual({ reference: review.reference, id: review.reviewId });
    await eventually(async () => (await stack.db.query(`SELECT 1 FROM acknowledgments WHERE notice_id = $1`, [notice.id])).length === 4, 20000, 'the fan-out');

    // Before anyone answers: only B's record counts across the partnership (C and P never agreed, D withdrew).
    const ft0 = await call('GET', '/api/v1/reporting/recommendation-follow-through', { key: P.keys.analyst });
    expect(ft0.status).toBe(200);
    expect(ft0.body.contributingAgencies).toBe(1);
    const mine0 = ft0.body.items.filter((i: any) => i.noticeId === notice.id);
    expect(mine0.map((i: any) => [i.actionIndex, i.recommendationPosition, i.action, i.reviewReference])).toEqual([
      [0, 1, RECOMMENDATIONS[0].text, review.reference],
      [1, 2, RECOMMENDATIONS[1].text, review.reference],
    ]);
    expect(mine0[0]).toMatchObject({ done: 0, underway: 0, notYet: 1, overdue: 0, notApplicable: 0, total: 1 });

    const ack = (a: TestAgency) => call('POST', `/api/v1/notices/${notice.id}/acknowledgments`, { key: a.keys.supervisor, body: {} });
    const answer = (a: TestAgency, answers: unknown[]) => call('POST', `/api/v1/notices/${notice.id}/acknowledgments/actions`, { key: a.keys.supervisor, body: { answers } });
    for (const a of [B, C, D]) expect((await ack(a)).status).toBe(200);
    expect((await answer(B, [{ action: 0, response: 'done', note: 'Checklist updated' }, { action: 1, response: 'underway' }])).status).toBe(200);
    expect((await answer(C, [{ action: 0, response: 'done' }, { action: 1, response: 'done' }])).status).toBe(200);
    expect((await answer(D, [{ action: 0, response: 'done' }])).status).toBe(200);

    const figures = await call('GET', `/api/v1/reviews/${review.reviewId}/notices`, { key: A.keys.supervisor });
    const n = figures.body.items[0];
    expect(n).toMatchObject({ status: 'published', recipients: 4, acknowledged: 3, acknowledgmentRate: 0.75, actionsComplete: 1, actionCompletionRate: 0.25, actionsOverdue: 0 });
    expect(n.actions.map((x: any) => [x.index, x.recommendationId, x.done, x.underway, x.notYet, x.overdue, x.notApplicable, x.total])).toEqual([
      [0, recIds[0], 3, 0, 1, 0, 0, 4],
      [1, recIds[1], 1, 1, 2, 0, 0, 4],
    ]);

    const ft = await call('GET', '/api/v1/reporting/recommendation-follow-through', { key: P.keys.admin });
    const mine = ft.body.items.filter((i: any) => i.noticeId === notice.id);
    expect(mine[0]).toMatchObject({ done: 1, underway: 0, notYet: 0, overdue: 0, notApplicable: 0, total: 1 });
    expect(mine[1]).toMatchObject({ done: 0, underway: 1, notYet: 0, overdue: 0, notApplicable: 0, total: 1 });
    expect(ft.body.totals).toEqual({ done: 1, underway: 1, notYet: 0, overdue: 0, notApplicable: 0, total: 2 });
    expect(ft.body.suppressedCells).toBe(0);

    // Past the due time, B's underway action counts as overdue.
    await stack.db.query(`UPDATE acknowledgments SET actions_due_at = now() - interval '1 hour' WHERE notice_id = $1 AND agency_id = $2`, [notice.id, B.id]);
    const late = await call('GET', '/api/v1/reporting/recommendation-follow-through', { key: P.keys.analyst });
    expect(late.body.items.find((i: any) => i.noticeId === notice.id && i.actionIndex === 1)).toMatchObject({ underway: 0, overdue: 1 });

    // With k = 3, every count of one or two agencies' records is suppressed, and so is every margin that would give one back.
    (stack.config as { suppressionMinCell: number }).suppressionMinCell = 3;
    try {
      const small = await call('GET', '/api/v1/reporting/recommendation-follow-through', { key: P.keys.analyst });
      expect(small.body.k).toBe(3);
      for (const row of [...small.body.items, small.body.totals]) {
        for (const s of ['done', 'underway', 'notYet', 'overdue', 'notApplicable', 'total']) expect(row[s] === null || row[s] === 0).toBe(true);
      }
      expect(small.body.suppressedCells).toBeGreaterThan(0);
      const csv = await call('GET', '/api/v1/reporting/recommendation-follow-through?format=csv', { key: P.keys.analyst });
      expect(csv.status).toBe(200);
      expect(csv.text.split('\n')[0]).toContain('reviewReference');
    } finally {
      (stack.config as { suppressionMinCell: number }).suppressionMinCell = 1;
    }

    // Only analysts and partnership admins read the follow-through.
    expect((await call('GET', '/api/v1/reporting/recommendation-follow-through', { key: A.keys.supervisor })).status).toBe(403);
  });

  it("shows the source review's reference to every reader, its id only to the review's agency", async () => {
    const own = await call('GET', `/api/v1/notices/${notice.id}`, { key: A.keys.supervisor });
    expect(own.body.sourceReview).toEqual({ reference: review.reference, id: review.reviewId });
    for (const key of [B.keys.author, P.keys.admin, P.keys.analyst]) {
      const other = await call('GET', `/api/v1/notices/${notice.id}`, { key });
      expect(other.status).toBe(200);
      expect(other.body.sourceReview).toEqual({ reference: review.reference, id: null });
    }
    const list = await call('GET', `/api/v1/notices?q=${encodeURIComponent(notice.title.slice(0, 20))}`, { key: C.keys.author });
    expect(list.body.items.find((x: any) => x.id === notice.id).sourceReview).toEqual({ reference: review.reference, id: null });
    // A notice written by hand has none.
    const plain = await call('POST', '/api/v1/notices', {
      key: A.keys.author,
      body: { title: 'Plain notice', summary: 'Nothing from a review', body: 'Text', category: 'information', severity: 'low', topics: ['safe-sleep'] },
    });
    expect(plain.body.sourceReview).toBeNull();
  });

  it('an update of the notice is issued from the same review and keeps the links of its actions', async () => {
    const res = await call('POST', `/api/v1/notices/${notice.id}/updates`, { key: A.keys.author, body: { material: false, summary: 'Clarified summary of the review findings' } });
    expect(res.status).toBe(201);
    expect(res.body.sourceReview).toEqual({ reference: review.reference, id: review.reviewId });
    const figures = await call('GET', `/api/v1/reviews/${review.reviewId}/notices`, { key: A.keys.author });
    expect(figures.body.items.map((i: any) => i.noticeId)).toEqual([notice.id, res.body.id]);
    expect(figures.body.items[1].actions.map((a: any) => a.recommendationId)).toEqual([recIds[0], recIds[1]]);
  });

  it("the links follow the author's edits: a moved action keeps its recommendation, a rewritten one loses it", async () => {
    const draft = await call('POST', `/api/v1/reviews/${review.reviewId}/notice-draft`, { key: A.keys.author, body: { topics: ['intake.screening'], recommendationIds: [recIds[0], recIds[1]] } });
    expect(draft.status).toBe(201);
    expect(draft.body.topics).toEqual(['intake.screening']);
    const edited = await call('PATCH', `/api/v1/notices/${draft.body.id}`, { key: A.keys.author, body: { requiredActions: [RECOMMENDATIONS[1].text, 'Check every home with an infant'] } });
    expect(edited.status).toBe(200);
    const figures = await call('GET', `/api/v1/reviews/${review.reviewId}/notices`, { key: A.keys.author });
    const item = figures.body.items.find((i: any) => i.noticeId === draft.body.id);
    expect(item.actions.map((a: any) => [a.text, a.recommendationId, a.recommendationPosition])).toEqual([
      [RECOMMENDATIONS[1].text, recIds[1], 2],
      ['Check every home with an infant', null, null],
    ]);
  });
});
