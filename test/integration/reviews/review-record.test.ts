import { DataSource } from 'typeorm';
import { checkReviewRecord, createDataSource, deidFindingsOf, insertReviewRecord, ReviewRecordInput } from '@sne/core';
import { createTestDatabase, TestDatabase } from '../../support/test-database';
import { createAgency } from '../../support/fixtures';

/** The one write path of a review record (API, import and seed), against the real schema and its constraints. */
const RECORD: ReviewRecordInput = {
  incident: { incidentType: 'near_fatality', incidentYear: 2025, incidentMonth: 3, ageBand: 'under_1', priorInvolvement: 'investigated', priorRecency: 'within_12_months', circumstances: ['unsafe_sleep', 'substance_exposure'] },
  instrumentVersion: '2',
  summary: 'The review looked at how the screening decision was made and what supported it.',
  ratings: { 'cp.workload': 3, 'su.availability': 2, 'tc.handoffs': 1 },
  findings: [{ text: 'Screening staff could not see the earlier assessment in the record system.', domainId: 'tools-resources' }],
  recommendations: [
    { text: 'Show prior assessments on the intake screen.', owner: 'agency', targetDate: '2026-06-30', findingPosition: 1 },
    { text: 'Share a model protocol for infant safe-sleep checks.', owner: 'partnership', status: 'implemented', implementedOn: '2026-01-15' },
  ],
};

describe('review records: checked, then written set-based', () => {
  let db: TestDatabase;
  let ds: DataSource;
  beforeAll(async () => {
    db = await createTestDatabase();
    ds = createDataSource(db.url);
    await ds.initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('accepts a valid record and writes the incident, the review and every row with gap-free references', async () => {
    expect(checkReviewRecord(RECORD, { now: new Date('2026-12-01') })).toEqual([]);
    expect(deidFindingsOf(RECORD)).toEqual([]);
    const a = await createAgency(ds, { roles: ['reviewer'] });
    const first = await ds.transaction((m) => insertReviewRecord(m, a.id, a.userIds.reviewer!, RECORD, { status: 'draft', year: 2026 }));
    const second = await ds.transaction((m) => insertReviewRecord(m, a.id, a.userIds.reviewer!, RECORD, { status: 'approved', imported: true, externalId: 'OLD-1', year: 2026 }));
    expect([first.reference, second.reference]).toEqual(['R-2026-0001', 'R-2026-0002']);
    expect([first.incidentReference, second.incidentReference]).toEqual(['CI-2025-0001', 'CI-2025-0002']);
    const [counts] = await ds.query(
      `SELECT (SELECT count(*)::int FROM review_ratings WHERE review_id = $1) AS ratings,
              (SELECT count(*)::int FROM review_findings WHERE review_id = $1) AS findings,
              (SELECT count(*)::int FROM review_recommendations WHERE review_id = $1) AS recs,
              (SELECT count(*)::int FROM recommendation_status_history h JOIN review_recommendations r ON r.id = h.recommendation_id WHERE r.review_id = $1) AS history,
              (SELECT count(*)::int FROM review_versions WHERE review_id = $2) AS versions,
              (SELECT approved_version FROM incident_reviews WHERE id = $2) AS approved_version`,
      [first.reviewId, second.reviewId],
    );
    expect(counts).toEqual({ ratings: 3, findings: 1, recs: 2, history: 2, versions: 1, approved_version: 1 });
    // Idempotency for the import rests on this constraint: one external id per agency.
    await expect(ds.transaction((m) => insertReviewRecord(m, a.id, null, RECORD, { status: 'approved', imported: true, externalId: 'OLD-1' }))).rejects.toThrow(/duplicate key/);
  });

  it('names every broken rule, per field', () => {
    const bad = checkReviewRecord(
      {
        ...RECORD,
        incident: { ...RECORD.incident, incidentType: 'accident' as never, incidentMonth: 13, priorInvolvement: 'none', circumstances: ['unsafe_sleep', 'weather' as never] },
        ratings: { 'cp.workload': 5, 'no.such-item': 1 },
        findings: [{ text: ' ', domainId: 'astrology' }],
        recommendations: [
          { text: 'x', owner: 'member' },
          { text: 'y', owner: 'agency', status: 'not_adopted' },
          { text: 'z', owner: 'agency', status: 'implemented', targetDate: '2026-02-30' },
        ],
      },
      { now: new Date('2026-12-01') },
    ).map((p) => p.field);
    expect(bad).toEqual(
      expect.arrayContaining([
        'incident.incidentType',
        'incident.incidentMonth',
        'incident.priorRecency',
        'incident.circumstances',
        'ratings',
        'findings[0].text',
        'findings[0].domainId',
        'recommendations[0].ownerAgencyId',
        'recommendations[1].statusReason',
        'recommendations[2].implementedOn',
        'recommendations[2].targetDate',
      ]),
    );
  });

  it('the database refuses what the rules refuse, even written around them', async () => {
    const a = await createAgency(ds, { roles: ['reviewer'] });
    const ok = await ds.transaction((m) => insertReviewRecord(m, a.id, null, RECORD, { status: 'draft' }));
    await expect(ds.query(`UPDATE critical_incidents SET prior_recency = NULL WHERE id = $1`, [ok.incidentId])).rejects.toThrow(/critical_incidents_recency/);
    await expect(ds.query(`UPDATE incident_reviews SET status = 'approved' WHERE id = $1`, [ok.reviewId])).rejects.toThrow(/approved_has_version/);
    await expect(ds.query(`UPDATE review_ratings SET rating = 4 WHERE review_id = $1`, [ok.reviewId])).rejects.toThrow(/check/);
    await expect(ds.query(`UPDATE incident_reviews SET submitted_by = $2, approved_by = $2 WHERE id = $1`, [ok.reviewId, a.userIds.reviewer])).rejects.toThrow(/two_people/);
  });
});
