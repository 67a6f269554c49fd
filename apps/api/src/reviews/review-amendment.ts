import { ConflictException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { IncidentInput, RecommendationInput } from '@sne/core';
import type { ReviewRow } from './review-read';

/**
 * A review has one incident row and one set of recommendation rows, and the figures, the shared
 * summaries, the follow-through and the notices drafted from it read them. So while an approved
 * review is amended, edits to its incident or recommendations are held in `amendment` (the draft
 * shows them, the approver reads and approves them) and written to those rows only when the
 * amendment is approved: until then the partnership reads the approved version.
 */
export interface Amendment {
  incident?: IncidentInput;
  recommendations?: RecommendationInput[];
}

/** A review approved once, now at a later version not yet approved. */
export function inAmendment(r: Pick<ReviewRow, 'approvedVersion' | 'version'>): boolean {
  return r.approvedVersion != null && r.version > r.approvedVersion;
}

export async function writeIncident(m: EntityManager, incidentId: string, i: IncidentInput): Promise<void> {
  await m.query(
    `UPDATE critical_incidents SET incident_type = $2, incident_year = $3, incident_month = $4, age_band = $5, prior_involvement = $6, prior_recency = $7,
            circumstances = $8, summary = $9, updated_at = now() WHERE id = $1`,
    [incidentId, i.incidentType, i.incidentYear, i.incidentMonth, i.ageBand, i.priorInvolvement, i.priorInvolvement === 'none' ? null : i.priorRecency, i.circumstances, i.summary ?? ''],
  );
}

/**
 * A recommendation a notice's action was drafted from stays (409 otherwise): the notice's
 * follow-through points at it. Checked when the edit is made, and again when it is applied.
 */
export async function assertKeepsLinkedRecommendations(m: EntityManager, reviewId: string, count: number): Promise<void> {
  const [linked]: { position: number }[] = await m.query(
    `SELECT rec.position FROM review_recommendations rec
      WHERE rec.review_id = $1 AND rec.position > $2
        AND EXISTS (SELECT 1 FROM review_notice_actions a WHERE a.recommendation_id = rec.id)
      ORDER BY rec.position LIMIT 1`,
    [reviewId, count],
  );
  if (linked) throw new ConflictException(`recommendation ${linked.position} has a notice action drafted from it, so it cannot be removed; change its text instead`);
}

/** Recommendations by position: existing rows keep their id, status and history, new ones start theirs, extra ones go. */
export async function rewriteRecommendations(m: EntityManager, userId: string, reviewId: string, recs: RecommendationInput[]): Promise<void> {
  await assertKeepsLinkedRecommendations(m, reviewId, recs.length);
  await m.query(`DELETE FROM review_recommendations WHERE review_id = $1 AND position > $2`, [reviewId, recs.length]);
  for (const [n, r] of recs.entries()) {
    const [row] = await m.query(
      `INSERT INTO review_recommendations (review_id, position, finding_position, text, owner, owner_agency_id, target_date, status, status_reason, implemented_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (review_id, position) DO UPDATE SET finding_position = EXCLUDED.finding_position, text = EXCLUDED.text, owner = EXCLUDED.owner,
         owner_agency_id = EXCLUDED.owner_agency_id, target_date = EXCLUDED.target_date
       RETURNING id, status, status_reason, (xmax = 0) AS inserted`,
      [reviewId, n + 1, r.findingPosition ?? null, r.text, r.owner, r.ownerAgencyId ?? null, r.targetDate ?? null, r.status ?? 'proposed', r.statusReason ?? null, r.implementedOn ?? null],
    );
    if (row.inserted) {
      await m.query(`INSERT INTO recommendation_status_history (recommendation_id, status, reason, changed_by) VALUES ($1, $2, $3, $4)`, [row.id, row.status, row.status_reason, userId]);
    }
  }
}

/** On approval: the held incident and recommendations become the review's own, and the hold is emptied. */
export async function applyAmendment(m: EntityManager, userId: string, r: ReviewRow): Promise<void> {
  const held = r.amendment;
  if (!held) return;
  if (held.incident) await writeIncident(m, r.incidentId, held.incident);
  if (held.recommendations) await rewriteRecommendations(m, userId, r.id, held.recommendations);
  await m.query(`UPDATE incident_reviews SET amendment = NULL WHERE id = $1`, [r.id]);
}
