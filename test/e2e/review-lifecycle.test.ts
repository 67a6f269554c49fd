/**
 * Issue 11, the review lifecycle on the real stack: draft → submitted → approved (a second person,
 * never the lead nor the submitter, bound to the version and the content hash read) → shared as
 * a de-identified summary; amendments as new versions while the figures keep reading the approved one;
 * recommendations with their own status history; the de-identification guard on every free-text
 * field; an audit event for every change; bad input refused with nothing changed.
 */
import { currentInstrument, itemsOf } from '@sne/core';
import { addUser, apiClient, createAgency, TestAgency } from '../support/fixtures';
import { startStack, Stack } from '../support/stack';

const ITEMS = [...itemsOf(currentInstrument().version).keys()];
/** Well formed, but the digest of no review: for calls refused before the hash is compared. */
const STALE_HASH = '0'.repeat(64);
const allRated = (rating = 1) => Object.fromEntries(ITEMS.map((id) => [id, rating]));

const RECORD = {
  incident: { incidentType: 'near_fatality', incidentYear: 2025, incidentMonth: 4, ageBand: 'under_1', priorInvolvement: 'investigated', priorRecency: 'within_12_months', circumstances: ['unsafe_sleep'], summary: 'An infant was found unresponsive after an unsafe sleep arrangement.' },
  summary: 'Safe sleep guidance was not part of the closing visit.',
  ratings: { [ITEMS[0]]: 2 },
  findings: [{ text: 'Closing visits had no checklist for infant sleep arrangements.' }],
  recommendations: [{ text: 'Add a safe sleep check to every closing visit with an infant.', owner: 'agency', targetDate: '2027-03-31', findingPosition: 1 }],
};


describe('review lifecycle', () => {
  let stack: Stack;
  let call: ReturnType<typeof apiClient>;
  let A: TestAgency, B: TestAgency, P: TestAgency;
  let lead2: { id: string; key: string };
  let leadApprover: { id: string; key: string };

  beforeAll(async () => {
    stack = await startStack();
    call = apiClient(stack.url);
    A = await createAgency(stack.db, { name: 'Reviewing', roles: ['reviewer', 'review_lead', 'approver', 'analyst', 'author'] });
    B = await createAgency(stack.db, { name: 'Other member', roles: ['reviewer', 'review_lead', 'approver'] });
    P = await createAgency(stack.db, { name: 'Partnership', type: 'federal', roles: ['admin', 'analyst'] });
    lead2 = await addUser(stack.db, A, 'Second lead', ['review_lead']);
    leadApprover = await addUser(stack.db, A, 'Lead and approver', ['review_lead', 'approver']);
  });

  afterAll(async () => {
    await stack?.close();
  });

  const create = async (key: string, body: object = RECORD) => {
    const res = await call('POST', '/api/v1/reviews', { key, body });
    if (res.status !== 201) throw new Error(`create → ${res.status} ${res.text}`);
    return res.body;
  };
  const counts = async () => (await stack.db.query(`SELECT (SELECT count(*)::int FROM incident_reviews) AS reviews, (SELECT count(*)::int FROM critical_incidents) AS incidents, (SELECT count(*)::int FROM audit_events) AS events`))[0];
  const actions = async (entityId: string) => (await stack.db.query(`SELECT action FROM audit_events WHERE entity_id = $1 ORDER BY id`, [entityId])).map((r: { action: string }) => r.action);
  /** A draft with every item rated, submitted by the agency's review lead. */
  const submitted = async (ratings = allRated()) => {
    const r = await create(A.keys.reviewer!, { ...RECORD, ratings });
    const s = await call('POST', `/api/v1/reviews/${r.id}/submit`, { key: A.keys.review_lead });
    expect(s.status).toBe(200);
    return s.body;
  };
  const approved = async () => {
    const r = await submitted();
    const a = await call('POST', `/api/v1/reviews/${r.id}/approve`, { key: A.keys.approver, body: { version: r.version, contentHash: r.contentHash } });
    expect(a.status).toBe(200);
    return a.body;
  };

  it('drafts a review: the incident coded, the lead the creator when a review lead, audited', async () => {
    const byReviewer = await create(A.keys.reviewer!);
    expect(byReviewer).toMatchObject({ status: 'draft', version: 1, approvedVersion: null, leadId: null, instrumentVersion: currentInstrument().version });
    expect(byReviewer.reference).toMatch(/^R-\d{4}-\d{4}$/);
    expect(byReviewer.incident).toMatchObject({ incidentType: 'near_fatality', incidentYear: 2025, incidentMonth: 4, priorRecency: 'within_12_months' });
    expect(byReviewer.ratings).toHaveLength(ITEMS.length);
    expect(byReviewer.ratings.find((x: any) => x.itemId === ITEMS[0])).toMatchObject({ rating: 2, text: expect.any(String) });
    expect(byReviewer.recommendations[0]).toMatchObject({ status: 'proposed', history: [{ status: 'proposed' }] });
    expect(await actions(byReviewer.id)).toEqual(['review.drafted']);
    expect(await actions(byReviewer.incident.id)).toEqual(['incident.recorded']);

    const byLead = await create(A.keys.review_lead!);
    expect(byLead.leadId).toBe(A.userIds.review_lead);
    const named = await create(A.keys.reviewer!, { ...RECORD, leadId: lead2.id });
    expect(named.leadId).toBe(lead2.id);
    const before = await counts();
    const notALead = await call('POST', '/api/v1/reviews', { key: A.keys.reviewer, body: { ...RECORD, leadId: A.userIds.approver } });
    expect(notALead.status).toBe(400);
    expect(notALead.body.problems).toEqual([{ field: 'leadId', message: expect.stringContaining('review lead') }]);
    expect(await counts()).toEqual(before);
  });

  it('refuses bad input with a 400 naming each field, and changes nothing', async () => {
    const before = await counts();
    const bad = await call('POST', '/api/v1/reviews', {
      key: A.keys.reviewer,
      body: { ...RECORD, incident: { ...RECORD.incident, ageBand: 'teen', priorInvolvement: 'none' }, ratings: { 'no.such-item': 1, [ITEMS[0]]: 7 }, recommendations: [{ text: 'x', owner: 'member' }] },
    });
    expect(bad.status).toBe(400);
    const fields = bad.body.problems.map((p: any) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['incident.ageBand', 'incident.priorRecency', 'ratings', 'recommendations[0].ownerAgencyId']));
    expect(bad.body.message).toEqual(expect.arrayContaining([expect.stringMatching(/^incident\.ageBand: /)]));
    expect((await call('POST', '/api/v1/reviews', { key: A.keys.reviewer, body: { ...RECORD, surprise: 1 } })).status).toBe(400);
    expect((await call('POST', '/api/v1/reviews', { key: A.keys.reviewer, body: { ...RECORD, incident: { ...RECORD.incident, dateOfBirth: '2024-01-01' } } })).status).toBe(400);
    expect(await counts()).toEqual(before);

    const draft = await create(A.keys.reviewer!);
    const events = await counts();
    const patch = await call('PATCH', `/api/v1/reviews/${draft.id}`, { key: A.keys.reviewer, body: { findings: [{ text: '  ' }], summary: 'changed' } });
    expect(patch.status).toBe(400);
    expect(patch.body.problems).toEqual([{ field: 'findings[0].text', message: 'is empty' }]);
    expect((await call('GET', `/api/v1/reviews/${draft.id}`, { key: A.keys.reviewer })).body.summary).toBe(RECORD.summary);
    expect(await counts()).toEqual(events);
  });

  it('the de-identification guard refuses (422) text on every free-text field, and nothing is saved', async () => {
    const phone = 'Call the mother at 555-201-3344 about it.';
    const cases: [string, object][] = [
      ['incident.summary', { ...RECORD, incident: { ...RECORD.incident, summary: phone } }],
      ['summary', { ...RECORD, summary: phone }],
      ['findings[0].text', { ...RECORD, findings: [{ text: phone }] }],
      ['recommendations[0].text', { ...RECORD, recommendations: [{ ...RECORD.recommendations[0], text: phone }] }],
      ['recommendations[0].statusReason', { ...RECORD, recommendations: [{ ...RECORD.recommendations[0], status: 'not_adopted', statusReason: phone }] }],
    ];
    const before = await counts();
    for (const [field, body] of cases) {
      const res = await call('POST', '/api/v1/reviews', { key: A.keys.reviewer, body });
      expect([field, res.status]).toEqual([field, 422]);
      expect(res.body.findings.map((f: any) => f.field)).toContain(field);
    }
    expect(await counts()).toEqual(before);

    const draft = await create(A.keys.reviewer!);
    const edit = await call('PATCH', `/api/v1/reviews/${draft.id}`, { key: A.keys.reviewer, body: { findings: [{ text: phone }] } });
    expect(edit.status).toBe(422);
    const r = await approved();
    const share = await call('POST', `/api/v1/reviews/${r.id}/share`, { key: A.keys.approver, body: { sharedSummary: phone } });
    expect(share.status).toBe(422);
    const rec = await call('PATCH', `/api/v1/reviews/${r.id}/recommendations/${r.recommendations[0].id}`, { key: A.keys.reviewer, body: { status: 'not_adopted', reason: phone } });
    expect(rec.status).toBe(422);
    const s = await submitted();
    const ret = await call('POST', `/api/v1/reviews/${s.id}/return`, { key: A.keys.approver, body: { reason: phone } });
    expect(ret.status).toBe(422);
    const [row] = await stack.db.query(`SELECT status, shared_summary FROM incident_reviews WHERE id = $1`, [r.id]);
    expect(row).toEqual({ status: 'approved', shared_summary: null });
    expect((await stack.db.query(`SELECT status FROM incident_reviews WHERE id = $1`, [s.id]))[0].status).toBe('submitted');
    expect((await stack.db.query(`SELECT count(*)::int AS n FROM review_findings WHERE review_id = $1`, [draft.id]))[0].n).toBe(1);
  });

  it('edits drafts only: the parts sent replace the current ones; 409 once submitted', async () => {
    const draft = await create(A.keys.reviewer!);
    const edited = await call('PATCH', `/api/v1/reviews/${draft.id}`, {
      key: A.keys.review_lead,
      body: { ratings: { [ITEMS[1]]: 3 }, findings: [{ text: 'First' }, { text: 'Second' }], incident: { ...RECORD.incident, priorInvolvement: 'none', priorRecency: null } },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.ratings.filter((x: any) => x.rating !== null)).toEqual([expect.objectContaining({ itemId: ITEMS[1], rating: 3 })]);
    expect(edited.body.findings.map((f: any) => f.text)).toEqual(['First', 'Second']);
    expect(edited.body.incident).toMatchObject({ priorInvolvement: 'none', priorRecency: null });
    expect(edited.body.summary).toBe(RECORD.summary);
    expect(await actions(draft.id)).toEqual(['review.drafted', 'review.edited']);

    const s = await submitted();
    const late = await call('PATCH', `/api/v1/reviews/${s.id}`, { key: A.keys.review_lead, body: { summary: 'too late' } });
    expect(late.status).toBe(409);
    expect(late.body.message).toMatch(/submitted: only a draft/);
    expect((await call('PATCH', `/api/v1/reviews/${s.id}`, { key: B.keys.reviewer, body: { summary: 'not mine' } })).status).toBe(404);
  });

  it('submits with every item rated (400 lists the unrated ones), by a review lead only, and keeps a snapshot', async () => {
    const partial = await create(A.keys.reviewer!);
    expect((await call('POST', `/api/v1/reviews/${partial.id}/submit`, { key: A.keys.reviewer })).status).toBe(403);
    const refused = await call('POST', `/api/v1/reviews/${partial.id}/submit`, { key: A.keys.review_lead });
    expect(refused.status).toBe(400);
    expect(refused.body.problems.filter((p: any) => p.message.endsWith('is not rated'))).toHaveLength(ITEMS.length - 1);
    expect(refused.body.message).toContain(`ratings: ${ITEMS[1]} is not rated`);
    expect((await stack.db.query(`SELECT status FROM incident_reviews WHERE id = $1`, [partial.id]))[0].status).toBe('draft');

    const s = await submitted();
    expect(s).toMatchObject({ status: 'submitted', submittedBy: A.userIds.review_lead, leadId: A.userIds.review_lead, versions: [{ version: 1, event: 'submitted' }] });
    const again = await call('POST', `/api/v1/reviews/${s.id}/submit`, { key: A.keys.review_lead });
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('cannot submit a review that is submitted (only draft)');
  });

  it('the two-person rule: neither the lead nor the submitter approves or returns; approval is bound to the version read', async () => {
    // Led by one review lead, submitted by another, who both could approve.
    const r = await create(leadApprover.key, { ...RECORD, ratings: allRated() });
    expect(r.leadId).toBe(leadApprover.id);
    expect((await call('POST', `/api/v1/reviews/${r.id}/approve`, { key: leadApprover.key, body: { version: 1, contentHash: STALE_HASH } })).status).toBe(409); // still a draft
    const byLead = await call('POST', `/api/v1/reviews/${r.id}/submit`, { key: leadApprover.key });
    expect(byLead.status).toBe(200);
    const self = await call('POST', `/api/v1/reviews/${r.id}/approve`, { key: leadApprover.key, body: { version: 1, contentHash: STALE_HASH } });
    expect(self.status).toBe(403);
    expect(self.body.message).toMatch(/two-person rule/);
    expect((await call('POST', `/api/v1/reviews/${r.id}/return`, { key: leadApprover.key, body: { reason: 'my own' } })).status).toBe(403);
    expect((await call('POST', `/api/v1/reviews/${r.id}/approve`, { key: A.keys.review_lead, body: { version: 1, contentHash: STALE_HASH } })).status).toBe(403); // not an approver
    expect((await call('POST', `/api/v1/reviews/${r.id}/approve`, { key: B.keys.approver, body: { version: 1, contentHash: STALE_HASH } })).status).toBe(404);
    expect((await call('POST', `/api/v1/reviews/${r.id}/approve`, { key: P.keys.admin, body: { version: 1, contentHash: STALE_HASH } })).status).toBe(403);

    // A submitter who is not the lead: refused too.
    const other = await create(A.keys.review_lead!, { ...RECORD, ratings: allRated() });
    await stack.db.query(`UPDATE users SET roles = '{review_lead,approver}' WHERE id = $1`, [lead2.id]);
    try {
      expect((await call('POST', `/api/v1/reviews/${other.id}/submit`, { key: lead2.key })).status).toBe(200);
      expect((await call('POST', `/api/v1/reviews/${other.id}/approve`, { key: lead2.key, body: { version: 1, contentHash: STALE_HASH } })).status).toBe(403);
    } finally {
      await stack.db.query(`UPDATE users SET roles = '{review_lead}' WHERE id = $1`, [lead2.id]);
    }

    const stale = await call('POST', `/api/v1/reviews/${r.id}/approve`, { key: A.keys.approver, body: { version: 2, contentHash: STALE_HASH } });
    expect(stale.status).toBe(409);
    expect(stale.body.message).toMatch(/not the version 2 you read/);
    const ok = await call('POST', `/api/v1/reviews/${r.id}/approve`, { key: A.keys.approver, body: { version: 1, contentHash: byLead.body.contentHash } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'approved', approvedVersion: 1, approvedBy: A.userIds.approver });
    expect(ok.body.versions.map((v: any) => v.event)).toEqual(['submitted', 'approved']);
    expect((await call('POST', `/api/v1/reviews/${r.id}/approve`, { key: A.keys.approver, body: { version: 1, contentHash: STALE_HASH } })).status).toBe(409);
    expect(await actions(r.id)).toEqual(['review.drafted', 'review.submitted', 'review.approved']);
  });

  it('returns a submitted review to draft with a reason, and it can be submitted again', async () => {
    const s = await submitted();
    expect((await call('POST', `/api/v1/reviews/${s.id}/return`, { key: A.keys.approver, body: {} })).status).toBe(400);
    const back = await call('POST', `/api/v1/reviews/${s.id}/return`, { key: A.keys.approver, body: { reason: 'Rate the supervision items again' } });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ status: 'draft', returnedReason: 'Rate the supervision items again' });
    expect((await call('POST', `/api/v1/reviews/${s.id}/return`, { key: A.keys.approver, body: { reason: 'twice' } })).status).toBe(409);
    const again = await call('POST', `/api/v1/reviews/${s.id}/submit`, { key: A.keys.review_lead });
    expect(again.body).toMatchObject({ status: 'submitted', returnedReason: null });
    expect(await actions(s.id)).toEqual(['review.drafted', 'review.submitted', 'review.returned', 'review.submitted']);
  });

  it('approves what was read: a review returned, edited and resubmitted at the same version refuses the hash read before (409), nothing changed', async () => {
    const s = await submitted();
    const read = await call('GET', `/api/v1/reviews/${s.id}`, { key: A.keys.approver });
    const h1 = read.body.contentHash;
    expect(h1).toMatch(/^[0-9a-f]{64}$/);
    expect(h1).toBe(s.contentHash);
    expect(read.body.version).toBe(1);

    expect((await call('POST', `/api/v1/reviews/${s.id}/return`, { key: A.keys.approver, body: { reason: 'Say what the checklist covers' } })).status).toBe(200);
    const draft = await call('GET', `/api/v1/reviews/${s.id}`, { key: A.keys.approver });
    expect(draft.body).toMatchObject({ status: 'draft', contentHash: null });
    const edited = 'Closing visits had no checklist for infant sleep; the household was never asked.';
    expect((await call('PATCH', `/api/v1/reviews/${s.id}`, { key: A.keys.reviewer, body: { findings: [{ text: edited }] } })).status).toBe(200);
    expect((await call('POST', `/api/v1/reviews/${s.id}/submit`, { key: A.keys.review_lead })).status).toBe(200);
    const reread = await call('GET', `/api/v1/reviews/${s.id}`, { key: A.keys.approver });
    expect(reread.body).toMatchObject({ status: 'submitted', version: 1 }); // the same version number...
    const h2 = reread.body.contentHash;
    expect(h2).toMatch(/^[0-9a-f]{64}$/);
    expect(h2).not.toBe(h1); // ...but not the same content

    const state = async () => ({
      review: (await stack.db.query(`SELECT status, approved_version, approved_by FROM incident_reviews WHERE id = $1`, [s.id]))[0],
      snapshots: (await stack.db.query(`SELECT version, event FROM review_versions WHERE review_id = $1 ORDER BY recorded_at`, [s.id])),
      ...(await counts()),
    });
    const before = await state();
    const stale = await call('POST', `/api/v1/reviews/${s.id}/approve`, { key: A.keys.approver, body: { version: 1, contentHash: h1 } });
    expect(stale.status).toBe(409);
    expect(stale.body.message).toMatch(/the review changed since you read it/);
    for (const body of [{ version: 1 }, { version: 1, contentHash: 'abc' }, { version: 1, contentHash: h2.slice(1) }, { version: 1, contentHash: `${h2.slice(1)}g` }, { version: 1, contentHash: 42 }]) {
      const bad = await call('POST', `/api/v1/reviews/${s.id}/approve`, { key: A.keys.approver, body });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toMatch(/contentHash/);
    }
    expect(await state()).toEqual(before);
    expect(before.review).toEqual({ status: 'submitted', approved_version: null, approved_by: null });

    const ok = await call('POST', `/api/v1/reviews/${s.id}/approve`, { key: A.keys.approver, body: { version: 1, contentHash: h2 } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'approved', approvedVersion: 1, approvedBy: A.userIds.approver, contentHash: null });
    const [approvedSnapshot] = await stack.db.query(`SELECT content FROM review_versions WHERE review_id = $1 AND event = 'approved'`, [s.id]);
    expect(approvedSnapshot.content.findings).toEqual([{ text: edited, domainId: null }]);
    expect(await actions(s.id)).toEqual(['review.drafted', 'review.submitted', 'review.returned', 'review.edited', 'review.submitted', 'review.approved']);
  });

  it('shares an approved review: another member sees the summary and the coded context, never the record', async () => {
    const draft = await create(A.keys.reviewer!);
    expect((await call('POST', `/api/v1/reviews/${draft.id}/share`, { key: A.keys.review_lead, body: { sharedSummary: 'A summary long enough' } })).status).toBe(409);
    const r = await approved();
    expect((await call('POST', `/api/v1/reviews/${r.id}/share`, { key: A.keys.reviewer, body: { sharedSummary: 'A summary long enough' } })).status).toBe(403);
    const unshared = await approved();
    const summary = 'Closing visits did not check infant sleep arrangements; a checklist was added.';
    const shared = await call('POST', `/api/v1/reviews/${r.id}/share`, { key: A.keys.review_lead, body: { sharedSummary: summary } });
    expect(shared.status).toBe(200);
    expect(shared.body).toMatchObject({ status: 'shared', sharedSummary: summary });

    // Another member (and the partnership) sees the shared summary...
    for (const key of [B.keys.reviewer!, P.keys.analyst!, P.keys.admin!]) {
      const list = await call('GET', '/api/v1/shared-reviews?limit=100', { key });
      expect(list.status).toBe(200);
      expect(Number(list.headers.get('x-total-count'))).toBe(list.body.length);
      const mine = list.body.filter((x: any) => x.agencyId === A.id);
      expect(mine.map((x: any) => x.id)).toEqual([r.id]);
      expect(Object.keys(mine[0]).sort()).toEqual(['agencyId', 'agencyName', 'findingsCount', 'id', 'incidentType', 'incidentYear', 'jurisdictionType', 'reference', 'sharedAt', 'sharedSummary']);
      expect(mine[0]).toMatchObject({ reference: r.reference, agencyName: A.name, jurisdictionType: 'county', incidentType: 'near_fatality', incidentYear: 2025, sharedSummary: summary, findingsCount: 1 });
      expect((await call('GET', `/api/v1/shared-reviews/${r.id}`, { key })).body.sharedSummary).toBe(summary);
      // ...and nothing else: the record answers 404, the unshared review is not there.
      expect((await call('GET', `/api/v1/reviews/${r.id}`, { key })).status).toBe(404);
      expect((await call('GET', `/api/v1/reviews/${r.id}/versions`, { key })).status).toBe(404);
      expect((await call('GET', `/api/v1/shared-reviews/${unshared.id}`, { key })).status).toBe(404);
      expect((await call('GET', '/api/v1/reviews', { key })).body.every((x: any) => x.id !== r.id)).toBe(true);
    }
    expect(await actions(r.id)).toEqual(['review.drafted', 'review.submitted', 'review.approved', 'review.shared']);
  });

  it('amends an approved review as a new version: the figures keep the approved version until the amendment is approved', async () => {
    const r = await approved();
    expect((await call('POST', `/api/v1/reviews/${r.id}/amend`, { key: A.keys.reviewer })).status).toBe(403);
    const amended = await call('POST', `/api/v1/reviews/${r.id}/amend`, { key: A.keys.review_lead });
    expect(amended.status).toBe(200);
    expect(amended.body).toMatchObject({ status: 'draft', version: 2, approvedVersion: 1, approvedBy: null });
    expect(amended.body.ratings.every((x: any) => x.rating === 1)).toBe(true); // copied forward
    expect((await call('POST', `/api/v1/reviews/${r.id}/amend`, { key: A.keys.review_lead })).status).toBe(409);

    const edit = await call('PATCH', `/api/v1/reviews/${r.id}`, { key: A.keys.reviewer, body: { ratings: allRated(3), findings: [{ text: 'Closing visits had no checklist for infant sleep or for the household.' }] } });
    expect(edit.status).toBe(200);
    // What an aggregate reads: the approved version's rows.
    const approvedRows = async () =>
      (await stack.db.query(`SELECT DISTINCT rt.rating FROM review_ratings rt JOIN incident_reviews ir ON ir.id = rt.review_id AND rt.version = ir.approved_version WHERE ir.id = $1`, [r.id])).map((x: any) => x.rating);
    expect(await approvedRows()).toEqual([1]);
    expect((await stack.db.query(`SELECT version, count(*)::int AS n FROM review_ratings WHERE review_id = $1 GROUP BY version ORDER BY version`, [r.id]))).toEqual([
      { version: 1, n: ITEMS.length },
      { version: 2, n: ITEMS.length },
    ]);

    const s = await call('POST', `/api/v1/reviews/${r.id}/submit`, { key: lead2.key });
    expect(s.status).toBe(200);
    expect(await approvedRows()).toEqual([1]);
    expect((await call('POST', `/api/v1/reviews/${r.id}/approve`, { key: A.keys.approver, body: { version: 1, contentHash: STALE_HASH } })).status).toBe(409);
    const a = await call('POST', `/api/v1/reviews/${r.id}/approve`, { key: A.keys.approver, body: { version: 2, contentHash: s.body.contentHash } });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ status: 'approved', version: 2, approvedVersion: 2 });
    expect(await approvedRows()).toEqual([3]);

    const versions = await call('GET', `/api/v1/reviews/${r.id}/versions`, { key: A.keys.analyst });
    expect(versions.status).toBe(200);
    expect(versions.body.versions.map((v: any) => `${v.version} ${v.event}`)).toEqual(['1 submitted', '1 approved', '2 submitted', '2 approved']);
    const changes = versions.body.versions[2].changes;
    expect(changes.find((c: any) => c.field === `ratings.${ITEMS[0]}`).parts).toEqual([{ text: '1', change: 'removed' }, { text: '3', change: 'added' }]);
    const finding = changes.find((c: any) => c.field === 'findings[0].text');
    expect(finding.parts.filter((p: any) => p.change === 'added').map((p: any) => p.text).join('')).toMatch(/or for the household/);
    expect(versions.body.versions[1].changes).toEqual([]);
    expect(await actions(r.id)).toEqual(['review.drafted', 'review.submitted', 'review.approved', 'review.amended', 'review.edited', 'review.submitted', 'review.approved']);
  });

  it('changes a recommendation’s status once the review is approved, with its history and an audit event', async () => {
    const draft = await create(A.keys.reviewer!);
    const recId = draft.recommendations[0].id;
    expect((await call('PATCH', `/api/v1/reviews/${draft.id}/recommendations/${recId}`, { key: A.keys.reviewer, body: { status: 'accepted' } })).status).toBe(409);

    const r = await approved();
    const rec = r.recommendations[0].id;
    const path = `/api/v1/reviews/${r.id}/recommendations/${rec}`;
    expect((await call('PATCH', path, { key: A.keys.analyst, body: { status: 'accepted' } })).status).toBe(403);
    expect((await call('PATCH', path, { key: B.keys.reviewer, body: { status: 'accepted' } })).status).toBe(404);
    expect((await call('PATCH', `/api/v1/reviews/${r.id}/recommendations/${recId}`, { key: A.keys.reviewer, body: { status: 'accepted' } })).status).toBe(404);
    const noReason = await call('PATCH', path, { key: A.keys.reviewer, body: { status: 'not_adopted' } });
    expect(noReason.status).toBe(400);
    expect(noReason.body.problems).toEqual([{ field: 'reason', message: expect.stringContaining('reason') }]);
    expect((await call('PATCH', path, { key: A.keys.reviewer, body: { status: 'done' } })).status).toBe(400);

    expect((await call('PATCH', path, { key: A.keys.reviewer, body: { status: 'accepted' } })).status).toBe(200);
    expect((await call('PATCH', path, { key: A.keys.reviewer, body: { status: 'accepted' } })).status).toBe(409);
    expect((await call('PATCH', path, { key: A.keys.review_lead, body: { status: 'in_progress' } })).status).toBe(200);
    const done = await call('PATCH', path, { key: A.keys.approver, body: { status: 'implemented', implementedOn: '2026-06-30' } });
    expect(done.status).toBe(200);
    const after = done.body.recommendations[0];
    expect(after).toMatchObject({ status: 'implemented', implementedOn: '2026-06-30' });
    expect(after.history.map((h: any) => h.status)).toEqual(['proposed', 'accepted', 'in_progress', 'implemented']);
    expect(after.history[2].changedBy).toBe(A.userIds.review_lead);
    const dropped = await call('PATCH', path, { key: A.keys.approver, body: { status: 'not_adopted', reason: 'The checklist was replaced by the new visit protocol.' } });
    expect(dropped.body.recommendations[0]).toMatchObject({ status: 'not_adopted', implementedOn: null, statusReason: 'The checklist was replaced by the new visit protocol.' });
    expect(await actions(rec)).toEqual(Array(4).fill('recommendation.status_changed'));
  });

  it('lists the agency’s own reviews with a status filter, search and paging', async () => {
    const mine = await call('GET', '/api/v1/reviews?limit=2', { key: A.keys.analyst });
    expect(mine.status).toBe(200);
    expect(mine.body).toHaveLength(2);
    const total = Number(mine.headers.get('x-total-count'));
    expect(total).toBeGreaterThan(10);
    const [{ n }] = await stack.db.query(`SELECT count(*)::int AS n FROM incident_reviews WHERE agency_id = $1`, [A.id]);
    expect(total).toBe(n);
    const page2 = await call('GET', '/api/v1/reviews?limit=2&offset=2', { key: A.keys.analyst });
    expect(page2.body.map((x: any) => x.id)).not.toContain(mine.body[0].id);
    const drafts = await call('GET', '/api/v1/reviews?status=draft&limit=100', { key: A.keys.reviewer });
    expect(drafts.body.length).toBeGreaterThan(0);
    expect(drafts.body.every((x: any) => x.status === 'draft')).toBe(true);
    const one = drafts.body[0];
    const found = await call('GET', `/api/v1/reviews?q=${one.reference}`, { key: A.keys.reviewer });
    expect(found.body.map((x: any) => x.id)).toEqual([one.id]);
    expect((await call('GET', '/api/v1/reviews?status=nope', { key: A.keys.reviewer })).status).toBe(400);
    expect((await call('GET', '/api/v1/reviews', { key: B.keys.reviewer })).body.every((x: any) => x.id !== one.id)).toBe(true);
    expect((await call('GET', '/api/v1/reviews', { key: P.keys.admin })).body).toEqual([]);
  });
});
