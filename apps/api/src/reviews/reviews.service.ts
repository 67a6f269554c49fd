import { BadRequestException, ConflictException, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { audit, insertReviewRecord, RecommendationInput, ReviewRecordInput, writeVersionRows } from '@sne/core';
import { actorOf, hasRole, Principal } from '../common/principal';
import { containsPattern } from '../common/paging';
import { CreateReviewDto, ListReviewsQuery, UpdateReviewDto } from './review.dto';
import { Amendment, assertKeepsLinkedRecommendations, inAmendment, rewriteRecommendations, writeIncident } from './review-amendment';
import { assertRecordFine } from './review-checks';
import { diffReviewRecords } from './review-diff';
import { auditView, fullReview, ownReview, recordOf, REVIEW_COLUMNS, reviewSummary, ReviewRow } from './review-read';

/**
 * Drafting and reading an agency's critical incident reviews. Every write goes through the one
 * checked write path of libs/core/src/reviews (checkReviewRecord, the de-identification guard,
 * insertReviewRecord / writeVersionRows) and is audited in its transaction. Another agency's
 * review answers 404, whoever asks (no partnership admin reaches into a review record).
 */
@Injectable()
export class ReviewsService {
  constructor(private readonly db: DataSource) {}

  async create(p: Principal, dto: CreateReviewDto) {
    const input = toRecord(dto);
    return this.db.transaction(async (m) => {
      await assertRecordFine(m, p.agencyId, input);
      const leadId = await this.leadFor(m, p, dto.leadId);
      const inserted = await insertReviewRecord(m, p.agencyId, p.userId, input, { status: 'draft', leadId });
      const review = await ownReview(m, p.agencyId, inserted.reviewId);
      await audit(m, actorOf(p), { action: 'incident.recorded', entityType: 'incident', entityId: inserted.incidentId, after: { reference: inserted.incidentReference } });
      await audit(m, actorOf(p), { action: 'review.drafted', entityType: 'review', entityId: review.id, after: { ...auditView(review), incident: inserted.incidentReference, leadId } });
      return fullReview(m, review);
    });
  }

  /** Replaces the parts sent of a draft: the incident, the summary, the ratings and findings of the current version, the recommendations. */
  async update(p: Principal, id: string, dto: UpdateReviewDto) {
    return this.db.transaction(async (m) => {
      const review = await ownReview(m, p.agencyId, id, true);
      if (review.status !== 'draft') throw new ConflictException(`the review is ${review.status}: only a draft can be edited`);
      const current = await recordOf(m, review);
      const input: ReviewRecordInput = {
        ...current,
        ...(dto.incident ? { incident: dto.incident as ReviewRecordInput['incident'] } : {}),
        ...(dto.summary !== undefined ? { summary: dto.summary } : {}),
        ...(dto.ratings ? { ratings: dto.ratings } : {}),
        ...(dto.findings ? { findings: dto.findings } : {}),
        ...(dto.recommendations ? { recommendations: mergeStatuses(current.recommendations, dto.recommendations as RecommendationInput[]) } : {}),
      };
      await assertRecordFine(m, p.agencyId, input);
      const changed = Object.keys(dto).filter((k) => (dto as Record<string, unknown>)[k] !== undefined);
      if (dto.recommendations) await assertKeepsLinkedRecommendations(m, id, input.recommendations.length);
      if (inAmendment(review)) {
        // Held until the amendment is approved: the partnership reads the approved version meanwhile.
        if (dto.incident || dto.recommendations) {
          const held: Amendment = { ...(review.amendment ?? {}), ...(dto.incident ? { incident: input.incident } : {}), ...(dto.recommendations ? { recommendations: input.recommendations } : {}) };
          await m.query(`UPDATE incident_reviews SET amendment = $2 WHERE id = $1`, [id, JSON.stringify(held)]);
        }
      } else {
        if (dto.incident) await writeIncident(m, review.incidentId, input.incident);
        if (dto.recommendations) await rewriteRecommendations(m, p.userId, id, input.recommendations);
      }
      if (dto.ratings || dto.findings) {
        if (dto.ratings) await m.query(`DELETE FROM review_ratings WHERE review_id = $1 AND version = $2`, [id, review.version]);
        if (dto.findings) await m.query(`DELETE FROM review_findings WHERE review_id = $1 AND version = $2`, [id, review.version]);
        await writeVersionRows(m, id, review.version, { ratings: dto.ratings ? input.ratings : {}, findings: dto.findings ? input.findings : [] });
      }
      const leadId = dto.leadId !== undefined ? await this.leadFor(m, p, dto.leadId) : review.leadId;
      await m.query(`UPDATE incident_reviews SET summary = $2, lead_id = $3, updated_at = now() WHERE id = $1`, [id, input.summary ?? '', leadId]);
      const after = await ownReview(m, p.agencyId, id);
      await audit(m, actorOf(p), { action: 'review.edited', entityType: 'review', entityId: id, before: auditView(review), after: { ...auditView(after), changed } });
      return fullReview(m, after);
    });
  }

  async get(p: Principal, id: string) {
    return fullReview(this.db.manager, await ownReview(this.db.manager, p.agencyId, id));
  }

  /** The caller's agency's reviews, newest first; `q` matches the review's or the incident's reference. */
  async list(p: Principal, q: ListReviewsQuery) {
    const params: unknown[] = [p.agencyId];
    const where = ['r.agency_id = $1'];
    if (q.status) where.push(`r.status = $${params.push(q.status)}`);
    if (q.q?.trim()) where.push(`(r.reference ILIKE $${params.push(containsPattern(q.q.trim()))} OR i.reference ILIKE $${params.length})`);
    const limit = q.limit ? `LIMIT ${Number(q.limit)}` : '';
    const rows: (ReviewRow & { total: string; incidentType: string; incidentYear: number; incidentMonth: number; incidentReference: string })[] = await this.db.query(
      `SELECT ${REVIEW_COLUMNS}, i.reference AS "incidentReference", i.incident_type AS "incidentType", i.incident_year AS "incidentYear", i.incident_month AS "incidentMonth",
              count(*) OVER () AS total
         FROM incident_reviews r JOIN critical_incidents i ON i.id = r.incident_id
        WHERE ${where.join(' AND ')}
        ORDER BY r.updated_at DESC, r.id ${limit} OFFSET ${Number(q.offset ?? 0)}`,
      params,
    );
    let total = rows.length ? Number(rows[0].total) : 0;
    if (!rows.length && q.offset) {
      const [c] = await this.db.query(`SELECT count(*)::int AS n FROM incident_reviews r JOIN critical_incidents i ON i.id = r.incident_id WHERE ${where.join(' AND ')}`, params);
      total = c.n;
    }
    return {
      total,
      items: rows.map((r) => ({
        ...reviewSummary(r),
        incidentReference: r.incidentReference,
        incidentType: r.incidentType,
        incidentYear: r.incidentYear,
        incidentMonth: r.incidentMonth,
      })),
    };
  }

  /** The snapshots (submitted, approved, imported), oldest first, each with what changed against the one before. */
  async versions(p: Principal, id: string) {
    const review = await ownReview(this.db.manager, p.agencyId, id);
    const rows: { version: number; event: string; content: ReviewRecordInput; recorded_by: string | null; recorded_at: Date }[] = await this.db.query(
      `SELECT version, event, content, recorded_by, recorded_at FROM review_versions WHERE review_id = $1 ORDER BY version, recorded_at`,
      [id],
    );
    return {
      reviewId: id,
      reference: review.reference,
      versions: rows.map((v, n) => ({
        version: v.version,
        event: v.event,
        recordedBy: v.recorded_by,
        recordedAt: new Date(v.recorded_at).toISOString(),
        content: v.content,
        changes: n > 0 ? diffReviewRecords(rows[n - 1].content, v.content) : [],
      })),
    };
  }

  /** A review lead creating a review leads it; anyone else may name a review lead of the agency. */
  private async leadFor(m: EntityManager, p: Principal, leadId: string | null | undefined): Promise<string | null> {
    if (leadId === undefined && hasRole(p, 'review_lead')) return p.userId;
    if (!leadId) return null;
    const [lead] = await m.query(`SELECT 1 FROM users WHERE id = $1 AND agency_id = $2 AND 'review_lead' = ANY(roles) AND disabled_at IS NULL`, [leadId, p.agencyId]);
    if (!lead) throw new BadRequestException({ message: ['leadId: must name a review lead of your agency'], problems: [{ field: 'leadId', message: 'must name a review lead of your agency' }] });
    return leadId;
  }
}

export function toRecord(dto: CreateReviewDto): ReviewRecordInput {
  return {
    incident: dto.incident as ReviewRecordInput['incident'],
    instrumentVersion: dto.instrumentVersion,
    summary: dto.summary ?? '',
    ratings: dto.ratings ?? {},
    findings: dto.findings ?? [],
    recommendations: (dto.recommendations ?? []) as RecommendationInput[],
  };
}

/** An edit rewrites a recommendation's content; its status, once it has one, changes only through its own route (with history). */
function mergeStatuses(current: RecommendationInput[], sent: RecommendationInput[]): RecommendationInput[] {
  return sent.map((r, n) =>
    current[n] ? { ...r, status: current[n].status, statusReason: current[n].statusReason ?? null, implementedOn: current[n].implementedOn ?? null } : r,
  );
}

/** For the console's form: the review (a draft of the caller's agency) and its current record. */
export async function editableRecord(db: DataSource, p: Principal, id: string) {
  const review = await ownReview(db.manager, p.agencyId, id);
  if (review.status !== 'draft') throw new ConflictException(`the review is ${review.status}: only a draft can be edited`);
  return { review, record: await recordOf(db.manager, review) };
}
