import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { audit, reviewDigest } from '@sne/core';
import { actorOf, Principal } from '../common/principal';
import { RecommendationStatusDto } from './review.dto';
import { applyAmendment } from './review-amendment';
import { assertRecordFine, assertTextFine, recordRefused } from './review-checks';
import { auditView, fullReview, ownReview, recordOf, ReviewRow } from './review-read';

type Status = ReviewRow['status'];

/**
 * The life of a review: draft → submitted → approved (by a second person, never its lead, its
 * submitter nor anyone who edited this version) → shared as a de-identified summary; an amendment after approval is a new version,
 * and the figures keep reading the approved version (approved_version) until it is approved too.
 * Each change is one transaction with its audit event; a change the status does not allow is 409.
 */
@Injectable()
export class ReviewLifecycleService {
  constructor(private readonly db: DataSource) {}

  /** Ratings complete (400 naming the unrated items), the guard clear; snapshot 'submitted'. */
  submit(p: Principal, id: string) {
    return this.change(p, id, 'review.submitted', ['draft'], 'submit', async (m, r) => {
      const record = await recordOf(m, r);
      await assertRecordFine(m, p.agencyId, record, true);
      await m.query(
        `UPDATE incident_reviews SET status = 'submitted', submitted_by = $2, submitted_at = now(), lead_id = COALESCE(lead_id, $2), returned_reason = NULL, updated_at = now() WHERE id = $1`,
        [id, p.userId],
      );
      await snapshot(m, id, r.version, 'submitted', record, p.userId);
    });
  }

  /**
   * Approve what you read: `version` and `contentHash` must be the current ones (409 otherwise; a
   * review returned, edited and resubmitted keeps its version but not its hash); never the lead
   * nor the submitter, nor anyone who edited this version (403).
   */
  approve(p: Principal, id: string, version: number, contentHash: string) {
    return this.change(p, id, 'review.approved', ['submitted'], 'approve', async (m, r) => {
      if (r.leadId === p.userId || r.submittedBy === p.userId) {
        throw new ForbiddenException('the lead or the submitter of a review cannot approve it (two-person rule)');
      }
      if ((await editorsOfVersion(m, id)).includes(p.userId)) throw new ForbiddenException('you edited this version of the review, so you cannot approve it (two-person rule)');
      if (version !== r.version) throw new ConflictException(`the review is at version ${r.version}, not the version ${version} you read: read it again, then approve`);
      const record = await recordOf(m, r);
      if (reviewDigest({ ...record, leadId: r.leadId }) !== contentHash) throw new ConflictException('the review changed since you read it: read it again, then approve');
      await applyAmendment(m, p.userId, r);
      await m.query(
        `UPDATE incident_reviews SET status = 'approved', approved_version = version, approved_by = $2, approved_at = now(), updated_at = now() WHERE id = $1`,
        [id, p.userId],
      );
      await snapshot(m, id, r.version, 'approved', record, p.userId);
    });
  }

  /** Back to draft with the approver's reason (never the lead nor the submitter either). */
  returnToDraft(p: Principal, id: string, reason: string) {
    return this.change(p, id, 'review.returned', ['submitted'], 'return', async (m, r) => {
      if (r.leadId === p.userId || r.submittedBy === p.userId) throw new ForbiddenException('the lead or the submitter of a review cannot return it (two-person rule)');
      await assertTextFine(m, p.agencyId, { reason });
      await m.query(`UPDATE incident_reviews SET status = 'draft', returned_reason = $2, updated_at = now() WHERE id = $1`, [id, reason.trim()]);
    }, { reason: reason.trim() });
  }

  /** An approved review's de-identified summary becomes readable by every member. */
  share(p: Principal, id: string, sharedSummary: string) {
    return this.change(p, id, 'review.shared', ['approved', 'shared'], 'share', async (m) => {
      await assertTextFine(m, p.agencyId, { sharedSummary });
      await m.query(`UPDATE incident_reviews SET status = 'shared', shared_summary = $2, shared_at = now(), shared_by = $3, updated_at = now() WHERE id = $1`, [id, sharedSummary.trim(), p.userId]);
    });
  }

  /**
   * A new draft version: ratings and findings copied forward; edits to the incident and the
   * recommendations are held until it is approved (review-amendment.ts), so the approved version
   * stays what the figures, the shared summaries and the follow-through read.
   */
  amend(p: Principal, id: string) {
    return this.change(p, id, 'review.amended', ['approved', 'shared'], 'amend', async (m, r) => {
      const next = r.version + 1;
      await m.query(
        `UPDATE incident_reviews SET status = 'draft', version = $2, approved_by = NULL, submitted_by = NULL, submitted_at = NULL, returned_reason = NULL, amendment = NULL, updated_at = now() WHERE id = $1`,
        [id, next],
      );
      await m.query(`INSERT INTO review_ratings (review_id, version, item_id, rating) SELECT review_id, $2, item_id, rating FROM review_ratings WHERE review_id = $1 AND version = $3`, [id, next, r.version]);
      await m.query(`INSERT INTO review_findings (review_id, version, position, domain_id, text) SELECT review_id, $2, position, domain_id, text FROM review_findings WHERE review_id = $1 AND version = $3`, [id, next, r.version]);
    });
  }

  /** A recommendation's status, once the review is approved: a history row and an audit event. */
  async recommendationStatus(p: Principal, id: string, recId: string, dto: RecommendationStatusDto) {
    return this.db.transaction(async (m) => {
      const r = await ownReview(m, p.agencyId, id, true);
      if (r.approvedVersion == null) throw new ConflictException(`the review is ${r.status} and was never approved: its recommendations change with the draft`);
      const [rec] = await m.query(`SELECT id, position, status, status_reason FROM review_recommendations WHERE id = $1 AND review_id = $2 FOR UPDATE`, [recId, id]);
      if (!rec) throw new NotFoundException('recommendation not found');
      const reason = dto.reason?.trim() || null;
      if (dto.status === 'not_adopted' && !reason) throw recordRefused([{ field: 'reason', message: 'a recommendation not adopted needs the reason' }]);
      if (dto.implementedOn !== undefined && dto.status !== 'implemented') throw recordRefused([{ field: 'implementedOn', message: 'is given only when the status is implemented' }]);
      if (dto.implementedOn !== undefined && !isDate(dto.implementedOn)) throw recordRefused([{ field: 'implementedOn', message: 'must be a date YYYY-MM-DD' }]);
      if (rec.status === dto.status && (rec.status_reason ?? null) === reason) throw new ConflictException(`the recommendation is ${dto.status} already`);
      if (reason) await assertTextFine(m, p.agencyId, { reason });
      const implementedOn = dto.status === 'implemented' ? (dto.implementedOn ?? new Date().toISOString().slice(0, 10)) : null;
      await m.query(
        `UPDATE review_recommendations SET status = $2, status_reason = $3, implemented_on = $4, status_changed_at = now() WHERE id = $1`,
        [recId, dto.status, reason, implementedOn],
      );
      await m.query(`INSERT INTO recommendation_status_history (recommendation_id, status, reason, changed_by) VALUES ($1, $2, $3, $4)`, [recId, dto.status, reason, p.userId]);
      await audit(m, actorOf(p), {
        action: 'recommendation.status_changed',
        entityType: 'recommendation',
        entityId: recId,
        before: { review: r.reference, position: rec.position, status: rec.status },
        after: { review: r.reference, position: rec.position, status: dto.status, reason, implementedOn },
      });
      return fullReview(m, await ownReview(m, p.agencyId, id));
    });
  }

  private async change(
    p: Principal,
    id: string,
    action: string,
    from: Status[],
    verb: string,
    apply: (m: EntityManager, r: ReviewRow) => Promise<void>,
    extra: Record<string, unknown> = {},
  ) {
    return this.db.transaction(async (m) => {
      const before = await ownReview(m, p.agencyId, id, true);
      if (!from.includes(before.status)) {
        throw new ConflictException(`cannot ${verb} a review that is ${before.status} (only ${from.join(' or ')})`);
      }
      await apply(m, before);
      const after = await ownReview(m, p.agencyId, id);
      await audit(m, actorOf(p), { action, entityType: 'review', entityId: id, before: auditView(before), after: { ...auditView(after), ...extra } });
      return fullReview(m, after);
    });
  }
}

async function snapshot(m: EntityManager, id: string, version: number, event: 'submitted' | 'approved', content: unknown, userId: string): Promise<void> {
  await m.query(
    `INSERT INTO review_versions (review_id, version, event, content, recorded_by) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (review_id, version, event) DO UPDATE SET content = EXCLUDED.content, recorded_by = EXCLUDED.recorded_by, recorded_at = now()`,
    [id, version, event, JSON.stringify(content), userId],
  );
}

const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

/**
 * Who wrote the version now under review: whoever drafted, amended or edited the review since it
 * was last approved. The audit trail is where edits are recorded (one event each, in the edit's
 * transaction), so it is the record of authorship.
 */
async function editorsOfVersion(m: EntityManager, reviewId: string): Promise<string[]> {
  const rows: { actor_id: string }[] = await m.query(
    `SELECT DISTINCT actor_id FROM audit_events
      WHERE entity_type = 'review' AND entity_id = $1 AND actor_type = 'user'
        AND action IN ('review.drafted', 'review.edited', 'review.amended')
        AND id > COALESCE((SELECT max(id) FROM audit_events WHERE entity_type = 'review' AND entity_id = $1 AND action = 'review.approved'), 0)`,
    [reviewId],
  );
  return rows.map((r) => r.actor_id);
}
