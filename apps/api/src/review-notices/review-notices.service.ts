import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig, audit, instrument } from '@sne/core';
import { actorOf, Principal } from '../common/principal';
import { NoticeResponse } from '../notices/dto/notice.dto';
import { NoticesService } from '../notices/notices.service';
import { ReportsService } from '../reports/reports.service';
import { actionFigures, SHARING_AGENCIES_SQL } from './action-figures';
import { suppressFollowThrough } from './follow-through-table';
import { draftFromReview, draftProblems, ReviewForDraft, suggestedTopics } from './notice-draft-prefill';
import { FollowThroughReport, NoticeDraftFromReviewDto, ReviewNoticeFigures, ReviewNoticesResponse } from './review-notices.dto';

interface ReviewRow {
  id: string;
  reference: string;
  status: string;
  version: number;
  instrument_version: string;
  agency_name: string;
  circumstances: string[];
}

/**
 * The current place of each linked action: where it was drafted while its text is still there (so
 * two recommendations with the same words keep their own places), else wherever the author moved
 * that text; a rewritten or removed action has no link (see the migration).
 */
const LINKS_SQL = `
  SELECT * FROM (
    SELECT l.notice_id, l.recommendation_id, rr.position,
           CASE WHEN n.required_actions[l.action_index + 1] = l.action_text THEN l.action_index
                ELSE array_position(n.required_actions, l.action_text) - 1 END AS action_index
      FROM review_notice_actions l JOIN notices n ON n.id = l.notice_id JOIN review_recommendations rr ON rr.id = l.recommendation_id) l
   WHERE l.action_index IS NOT NULL`;

/**
 * From review to notice, and back (issue 11): a notice drafted from an approved review, the
 * notices issued from a review with their figures, and the partnership's view of whether the
 * recommendations that became notices are carried out.
 */
@Injectable()
export class ReviewNoticesService {
  constructor(
    private readonly db: DataSource,
    private readonly notices: NoticesService,
    private readonly reports: ReportsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A review of the caller's own agency (404 for any other: the review is the agency's record). */
  private async ownReview(m: EntityManager, p: Principal, id: string, lock = false): Promise<ReviewRow> {
    const [review] = await m.query(
      `SELECT r.id, r.reference, r.status, r.version, r.instrument_version, g.name AS agency_name, i.circumstances
         FROM incident_reviews r JOIN agencies g ON g.id = r.agency_id JOIN critical_incidents i ON i.id = r.incident_id
        WHERE r.id = $1 AND r.agency_id = $2 ${lock ? 'FOR SHARE OF r' : ''}`,
      [id, p.agencyId],
    );
    if (!review) throw new NotFoundException('review not found');
    return review;
  }

  /**
   * Drafts a notice from an approved (or shared) review through NoticesService, so every notice
   * rule applies and the draft then goes through the normal two-person approval.
   */
  async draftNotice(p: Principal, reviewId: string, dto: NoticeDraftFromReviewDto): Promise<NoticeResponse> {
    return this.db.transaction(async (m) => {
      const review = await this.ownReview(m, p, reviewId, true);
      if (review.status !== 'approved' && review.status !== 'shared') {
        throw new ConflictException(`the review is ${review.status}: only an approved review can become a notice`);
      }
      const source = await this.reviewForDraft(m, review, dto.recommendationIds);
      const topics = dto.topics ?? (await this.suggestTopics(m, review.circumstances));
      if (!topics.length) {
        throw new UnprocessableEntityException("no topic of the catalogue fits this incident's circumstances: name the notice's topics (topics)");
      }
      const draft = draftFromReview(source, { topics, severity: dto.severity });
      const problems = draftProblems(source, draft);
      if (problems.length) throw new UnprocessableEntityException(problems);
      const notice = await this.notices.createIn(m, p, draft.dto, { sourceReviewId: review.id });
      if (draft.links.length) {
        await m.query(
          `INSERT INTO review_notice_actions (notice_id, action_index, recommendation_id, action_text)
           SELECT $1, i, r, t FROM unnest($2::int[], $3::uuid[], $4::text[]) AS u(i, r, t)`,
          [notice.id, draft.links.map((l) => l.actionIndex), draft.links.map((l) => l.recommendationId), draft.links.map((l) => l.text)],
        );
      }
      await audit(m, actorOf(p), {
        action: 'review.notice_drafted',
        entityType: 'review',
        entityId: review.id,
        after: { noticeId: notice.id, recommendations: draft.links.map((l) => l.recommendationId) },
      });
      return this.notices.present(m, p, notice);
    });
  }

  /** The approved version's findings and the recommendations that become actions. */
  private async reviewForDraft(m: EntityManager, review: ReviewRow, chosen?: string[]): Promise<ReviewForDraft> {
    const domains = new Map((instrument(review.instrument_version)?.domains ?? []).map((d) => [d.id, d.title]));
    const findings: { position: number; domain_id: string | null; text: string }[] = await m.query(
      `SELECT position, domain_id, text FROM review_findings WHERE review_id = $1 AND version = $2 ORDER BY position`,
      [review.id, review.version],
    );
    const recs: { id: string; position: number; text: string; status: string }[] = await m.query(
      `SELECT id, position, text, status FROM review_recommendations WHERE review_id = $1 ORDER BY position`,
      [review.id],
    );
    let recommendations = recs.filter((r) => r.status !== 'not_adopted');
    if (chosen) {
      const unknown = chosen.filter((id) => !recs.some((r) => r.id === id));
      if (unknown.length) throw new BadRequestException(`recommendationIds: ${unknown[0]} is not a recommendation of this review`);
      recommendations = recs.filter((r) => chosen.includes(r.id));
    }
    return {
      reference: review.reference,
      agencyName: review.agency_name,
      findings: findings.map((f) => ({ position: f.position, text: f.text, domainTitle: (f.domain_id && domains.get(f.domain_id)) || null })),
      recommendations: recommendations.map((r) => ({ id: r.id, position: r.position, text: r.text })),
    };
  }

  /** Active catalogue topics that fit the incident's circumstance codes. */
  async suggestTopics(m: EntityManager, circumstances: string[]): Promise<string[]> {
    const rows: { key: string }[] = await m.query(`SELECT key FROM topics WHERE retired_at IS NULL ORDER BY key`);
    return suggestedTopics(circumstances, rows.map((r) => r.key));
  }

  /** The catalogue's topics a new notice may carry (the console's choice). */
  async activeTopics(): Promise<{ key: string; title: string }[]> {
    return this.db.query(`SELECT key, title FROM topics WHERE retired_at IS NULL ORDER BY key`);
  }

  /** The review and the catalogue topics its notice would carry by default (for the console's form). */
  async draftDefaults(p: Principal, reviewId: string): Promise<{ reference: string; status: string; topics: string[] }> {
    const review = await this.ownReview(this.db.manager, p, reviewId);
    return { reference: review.reference, status: review.status, topics: await this.suggestTopics(this.db.manager, review.circumstances) };
  }

  /**
   * The notices issued from a review, each with its acknowledgment and action-completion figures
   * across every recipient agency (the notice report's counts, ReportsService), and per action.
   */
  async reviewNotices(p: Principal, reviewId: string): Promise<ReviewNoticesResponse> {
    const review = await this.ownReview(this.db.manager, p, reviewId);
    const notices: { id: string }[] = await this.db.query(
      `SELECT id FROM notices WHERE source_review_id = $1 AND issuing_agency_id = $2 ORDER BY created_at, id`,
      [review.id, p.agencyId],
    );
    const ids = notices.map((n) => n.id);
    const figures = await actionFigures(this.db.manager, ids, { sharingOnly: false });
    const links: { notice_id: string; action_index: number; recommendation_id: string; position: number }[] = ids.length
      ? await this.db.query(`${LINKS_SQL} AND l.notice_id = ANY($1::uuid[])`, [ids])
      : [];
    const items: ReviewNoticeFigures[] = [];
    for (const id of ids) {
      const report = await this.reports.noticeReport(p, id);
      const notice = await this.notices.findVisible(this.db.manager, p, id);
      const recipients = report.counts.recipients;
      const acknowledged = report.items.filter((i) => i.acknowledgedAt !== null).length;
      const complete = report.counts.action_completed + report.counts.action_not_required;
      const hasActions = notice.category === 'alert' && notice.requiredActions.length > 0;
      items.push({
        noticeId: id,
        reference: report.reference,
        title: report.title,
        status: notice.status,
        publishedAt: report.publishedAt,
        recipients,
        acknowledged,
        acknowledgmentRate: recipients ? acknowledged / recipients : null,
        actionsComplete: complete,
        actionsOverdue: report.items.filter((i) => i.actionsStatus === 'overdue').length,
        actionCompletionRate: recipients && hasActions ? complete / recipients : null,
        actions: (hasActions ? notice.requiredActions : []).map((text, index) => {
          const f = figures.find((x) => x.noticeId === id && x.actionIndex === index);
          const link = links.find((l) => l.notice_id === id && l.action_index === index);
          return {
            index,
            text,
            recommendationId: link?.recommendation_id ?? null,
            recommendationPosition: link?.position ?? null,
            done: f?.counts.done ?? 0,
            underway: f?.counts.underway ?? 0,
            notYet: f?.counts.notYet ?? 0,
            overdue: f?.counts.overdue ?? 0,
            notApplicable: f?.counts.notApplicable ?? 0,
            total: f?.total ?? 0,
          };
        }),
      });
    }
    return { reviewId: review.id, reference: review.reference, items };
  }

  /**
   * Across the partnership: for each required action that came from a recommendation, on a
   * published notice, how many recipient agencies report it done, underway, not yet or overdue.
   * Only agencies whose data-sharing agreement in force covers incidents are counted; the table is
   * published with small-cell suppression (k = SUPPRESSION_MIN_CELL).
   */
  async followThrough(): Promise<FollowThroughReport> {
    const k = this.config.suppressionMinCell;
    return this.db.transaction('REPEATABLE READ', async (m) => {
      const rows: any[] = await m.query(
        `SELECT l.notice_id, l.action_index, l.position, n.reference, n.title, n.required_actions[l.action_index + 1] AS action,
                g.name AS issuer, r.reference AS review_reference, now() AS as_of
           FROM (${LINKS_SQL}) l JOIN notices n ON n.id = l.notice_id JOIN agencies g ON g.id = n.issuing_agency_id
           JOIN incident_reviews r ON r.id = n.source_review_id
          WHERE n.status = 'published' AND n.category = 'alert'
          ORDER BY n.published_at, n.id, l.action_index`,
      );
      const figures = await actionFigures(m, [...new Set(rows.map((r) => r.notice_id))], { sharingOnly: true });
      const [{ n: contributing }] = await m.query(`SELECT count(*)::int AS n FROM (${SHARING_AGENCIES_SQL}) s`);
      const key = (r: { notice_id: string; action_index: number }) => `${r.notice_id}/${r.action_index}`;
      const table = suppressFollowThrough(
        rows.map((r) => {
          const f = figures.find((x) => x.noticeId === r.notice_id && x.actionIndex === r.action_index);
          return { key: key(r), noticeId: r.notice_id, counts: f?.counts ?? { done: 0, underway: 0, notYet: 0, overdue: 0, notApplicable: 0 } };
        }),
        k,
      );
      return {
        k,
        asOf: (rows[0]?.as_of ?? new Date()).toISOString(),
        contributingAgencies: contributing,
        suppressedCells: table.suppressedCells,
        items: rows.map((r) => ({
          noticeId: r.notice_id,
          reference: r.reference,
          title: r.title,
          issuer: r.issuer,
          reviewReference: r.review_reference,
          recommendationPosition: r.position,
          actionIndex: r.action_index,
          action: r.action,
          ...table.rows.get(key(r))!,
        })),
        totals: table.totals,
      };
    });
  }
}
