import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  assertCanApprove,
  assertTransition,
  audit,
  contentHash,
  diffNotices,
  FieldChange,
  enqueue,
  formatReference,
  Notice,
  NoticeContent,
  NoticeRuleError,
  renderMarkdown,
  skipUnowedReminders,
  Subjects,
} from '@sne/core';
import { actorOf, hasRole, Principal } from '../common/principal';
import { DeidGuard, OverrideInput } from './deid-guard.service';
import { attachmentDigests, attachmentsOf } from './notice-content';
import { CreateNoticeDto, DraftUpdateDto, ListNoticesQuery, NoticeResponse, UpdateNoticeDto } from './dto/notice.dto';
import { contentOf, contentOfNotice, escapeLike, summary, toResponse } from './notice-mapping';
import { assertRecipientsUnchanged, ConfirmedRecipients, editorsOf, recordReviewMail, recordVersion } from './review-records';
import { copyActionLinks, sourceReviewsOf } from './source-review';

export { toResponse } from './notice-mapping';

const VISIBLE_TO_ALL = `status NOT IN ('draft','in_review')`;

@Injectable()
export class NoticesService {
  constructor(
    private readonly db: DataSource,
    private readonly deid: DeidGuard,
  ) {}

  async create(p: Principal, dto: CreateNoticeDto): Promise<NoticeResponse> {
    return this.db.transaction(async (m) => this.present(m, p, await this.createIn(m, p, dto)));
  }

  /**
   * A new draft in the caller's transaction: the API's create, and a draft from an incident review
   * (`sourceReviewId`, issue 11), go through the same rules.
   */
  async createIn(m: EntityManager, p: Principal, dto: CreateNoticeDto, opts: { sourceReviewId?: string } = {}): Promise<Notice> {
    const content = contentOf(dto);
    content.enquiries ??= { name: p.name, role: null, email: p.email, phone: null };
    await this.checkReferences(m, content);
    const notice = m.create(Notice, {
      ...content,
      issuingAgencyId: p.agencyId,
      authorId: p.userId,
      status: 'draft',
      version: 1,
      sourceReviewId: opts.sourceReviewId ?? null,
      bodyHtml: renderMarkdown(content.bodyMarkdown),
      contentHash: contentHash(content),
    });
    await m.save(notice);
    await recordVersion(m, notice, p.userId);
    const after = opts.sourceReviewId ? { ...summary(notice), sourceReviewId: opts.sourceReviewId } : summary(notice);
    await audit(m, actorOf(p), { action: 'notice.drafted', entityType: 'notice', entityId: notice.id, after });
    return notice;
  }

  /** The API's view of a notice for this caller (its source review's id only for that review's agency). */
  async present(m: EntityManager, p: Principal, notice: Notice): Promise<NoticeResponse> {
    const reviews = await sourceReviewsOf(m, p, [notice]);
    return toResponse(notice, (notice.sourceReviewId && reviews.get(notice.sourceReviewId)) || null);
  }

  async update(p: Principal, id: string, dto: UpdateNoticeDto): Promise<NoticeResponse> {
    return this.db.transaction(async (m) => {
      const notice = await this.lockOwn(m, p, id);
      assertTransition('edit', notice.status);
      const before = summary(notice);
      const content = { ...contentOfNotice(notice), ...contentOf(dto, true) };
      await this.checkReferences(m, content, notice.topics);
      Object.assign(notice, content, {
        bodyHtml: renderMarkdown(content.bodyMarkdown),
        contentHash: contentHash(content, await attachmentDigests(m, id)),
        version: notice.version + 1,
      });
      await m.save(notice);
      await recordVersion(m, notice, p.userId);
      await audit(m, actorOf(p), { action: 'notice.edited', entityType: 'notice', entityId: id, before, after: summary(notice) });
      return this.present(m, p, notice);
    });
  }

  /** Submitting runs the de-identification guard: no finding may stand unless overridden. */
  async submit(p: Principal, id: string): Promise<NoticeResponse> {
    return this.transition(p, id, 'notice.submitted', async (n, m) => {
      assertTransition('submit', n.status);
      await this.deid.assertClear(m, n);
      n.status = 'in_review';
      n.submittedAt = new Date();
      n.rejectionReasons = null;
      await recordReviewMail(m, 'review.requested', n.id, p.userId);
    });
  }

  async deidFindings(p: Principal, id: string) {
    const notice = await this.findVisible(this.db.manager, p, id);
    if (notice.issuingAgencyId !== p.agencyId) throw new NotFoundException('notice not found');
    return { noticeId: id, contentHash: notice.contentHash, findings: await this.deid.review(this.db.manager, notice) };
  }

  async overrideDeid(p: Principal, id: string, overrides: OverrideInput[]) {
    return this.db.transaction(async (m) => {
      const notice = await this.lockOwn(m, p, id);
      if (notice.status !== 'draft' && notice.status !== 'in_review') throw new ConflictException(`the notice is ${notice.status}: nothing to review`);
      return { noticeId: id, findings: await this.deid.override(m, p, notice, overrides) };
    });
  }

  async reject(p: Principal, id: string, reasons: string[]): Promise<NoticeResponse> {
    return this.transition(p, id, 'notice.rejected', async (n, m) => {
      assertTransition('reject', n.status);
      if (n.authorId === p.userId) throw new NoticeRuleError('forbidden', 'the author of a notice cannot review it');
      if ((await editorsOf(m, id)).includes(p.userId)) throw new NoticeRuleError('forbidden', 'you edited this notice, so you cannot review it (two-person rule)');
      n.status = 'draft';
      n.rejectionReasons = reasons;
      await recordReviewMail(m, 'review.rejected', n.id, p.userId);
    });
  }

  /**
   * Publishing: the state change, a gap-free reference number and the outbox row that starts
   * the broadcast commit together, or not at all.
   */
  async approve(p: Principal, id: string, reviewedHash: string, confirmed: ConfirmedRecipients = {}): Promise<NoticeResponse> {
    return this.db.transaction(async (m) => {
      const notice = await this.lockOwn(m, p, id);
      assertTransition('approve', notice.status);
      assertCanApprove(notice, p.userId, reviewedHash, await editorsOf(m, id));
      await this.deid.assertClear(m, notice);
      await assertRecipientsUnchanged(m, id, confirmed);
      const before = summary(notice);
      const now = new Date();
      if (notice.supersedesId) await this.supersede(m, p, notice);
      notice.reference = formatReference(now.getUTCFullYear(), await nextReferenceNumber(m, now.getUTCFullYear()));
      notice.status = 'published';
      notice.approvedBy = p.userId;
      notice.approvedContentHash = notice.contentHash;
      notice.publishedAt = now;
      notice.updatedAt = await markPublished(m, notice);
      await audit(m, actorOf(p), { action: 'notice.published', entityType: 'notice', entityId: id, before, after: summary(notice) });
      await enqueue(m, Subjects.noticeEvents, { type: 'notice.published', noticeId: id });
      await recordReviewMail(m, 'review.approved', id, p.userId);
      return this.present(m, p, notice);
    });
  }

  /**
   * Drafts an update to a published notice: a new notice (own reference once published) that
   * starts as a copy with the changes applied, and goes through the same two-person approval.
   */
  async draftUpdate(p: Principal, id: string, dto: DraftUpdateDto): Promise<NoticeResponse> {
    const { material, ...changes } = dto;
    return this.db.transaction(async (m) => {
      const original = await this.lockOwn(m, p, id);
      assertTransition('update', original.status);
      const content = { ...contentOfNotice(original), ...contentOf(changes, true) };
      await this.checkReferences(m, content, original.topics);
      const update = m.create(Notice, {
        ...content,
        issuingAgencyId: p.agencyId,
        authorId: p.userId,
        status: 'draft',
        version: 1,
        supersedesId: original.id,
        // An update of a notice drafted from a review is issued from that review too.
        sourceReviewId: original.sourceReviewId,
        material,
        bodyHtml: renderMarkdown(content.bodyMarkdown),
        contentHash: contentHash(content),
      });
      try {
        await m.save(update);
      } catch (err) {
        if ((err as { code?: string }).code === '23505') throw new ConflictException('this notice already has an update in draft or review');
        throw err;
      }
      await recordVersion(m, update, p.userId);
      if (original.sourceReviewId) await copyActionLinks(m, original.id, update.id);
      await audit(m, actorOf(p), { action: 'notice.update_drafted', entityType: 'notice', entityId: update.id, after: { ...summary(update), supersedes: original.id, material } });
      return this.present(m, p, update);
    });
  }

  /**
   * Withdraws a published notice: open acknowledgments close as cancelled (reminders stop with
   * them) and every recipient is told, through the outbox like a publication.
   */
  async cancel(p: Principal, id: string, reason: string): Promise<NoticeResponse> {
    return this.db.transaction(async (m) => {
      const notice = await this.lockOwn(m, p, id);
      assertTransition('cancel', notice.status);
      const before = summary(notice);
      notice.status = 'cancelled';
      notice.cancelledAt = new Date();
      notice.cancelledBy = p.userId;
      notice.cancelReason = reason.trim();
      await m.save(notice);
      await audit(m, actorOf(p), { action: 'notice.cancelled', entityType: 'notice', entityId: id, before, after: { ...summary(notice), reason: notice.cancelReason } });
      await m.query(
        `WITH c AS (
           UPDATE acknowledgments SET status = 'cancelled', closed_at = now(), closed_reason = $2, next_reminder_at = NULL
            WHERE notice_id = $1 AND (status = 'pending' OR (status = 'acknowledged' AND $4 = 'alert')) RETURNING id, agency_id)
         INSERT INTO audit_events (actor_type, actor_id, agency_id, action, entity_type, entity_id, after)
         SELECT 'user', $3, agency_id, 'acknowledgment.cancelled', 'acknowledgment', id, jsonb_build_object('status', 'cancelled', 'reason', $2::text)
           FROM c`,
        [id, `notice cancelled: ${notice.cancelReason}`, p.userId, notice.category],
      );
      await skipUnowedReminders(m, { noticeId: id }, actorOf(p));
      await enqueue(m, Subjects.noticeEvents, { type: 'notice.cancelled', noticeId: id });
      return this.present(m, p, notice);
    });
  }

  /**
   * What an update changes against the notice it supersedes: recorded at publication, computed
   * on the fly while the update is a draft or in review (the review page shows it).
   */
  async changesOf(p: Principal, id: string): Promise<unknown> {
    return this.changesOfNotice(await this.findVisible(this.db.manager, p, id));
  }

  async changesOfNotice(update: Notice): Promise<FieldChange[] | null> {
    if (update.changes || !update.supersedesId) return (update.changes as FieldChange[] | null) ?? null;
    const original = await this.db.getRepository(Notice).findOne({ where: { id: update.supersedesId } });
    return original ? diffNotices(contentOfNotice(original), contentOfNotice(update)) : null;
  }

  /** Publishing an update supersedes its original (still published) and records what changed. */
  private async supersede(m: EntityManager, p: Principal, update: Notice): Promise<void> {
    const original = await m.findOne(Notice, { where: { id: update.supersedesId!, issuingAgencyId: p.agencyId }, lock: { mode: 'pessimistic_write' } });
    if (!original) throw new NotFoundException('the notice this update supersedes was not found');
    if (original.status !== 'published') {
      throw new ConflictException(`the notice this update supersedes is ${original.status}, not published`);
    }
    update.changes = diffNotices(contentOfNotice(original), contentOfNotice(update));
    const before = summary(original);
    original.status = 'superseded';
    await m.save(original);
    await skipUnowedReminders(m, { noticeId: original.id }, actorOf(p));
    await audit(m, actorOf(p), { action: 'notice.superseded', entityType: 'notice', entityId: original.id, before, after: { ...summary(original), by: update.id } });
  }

  async get(p: Principal, id: string): Promise<NoticeResponse> {
    const m = this.db.manager;
    return { ...(await this.present(m, p, await this.findVisible(m, p, id))), attachments: await attachmentsOf(m, id) };
  }

  async list(p: Principal, q: ListNoticesQuery): Promise<{ items: NoticeResponse[]; total: number }> {
    const qb = this.db
      .getRepository(Notice)
      .createQueryBuilder('n')
      .where(`(n.${VISIBLE_TO_ALL} OR n.issuing_agency_id = :agency)`, { agency: p.agencyId });
    if (q.status) qb.andWhere('n.status = :status', { status: q.status });
    if (q.severity) qb.andWhere('n.severity = :severity', { severity: q.severity });
    if (q.category) qb.andWhere('n.category = :category', { category: q.category });
    if (q.topic) qb.andWhere(':topic = ANY(n.topics)', { topic: q.topic });
    if (q.agencyId) qb.andWhere('n.issuing_agency_id = :issuer', { issuer: q.agencyId });
    if (q.q) {
      qb.andWhere(`(n.reference ILIKE :q OR n.title ILIKE :q OR n.summary ILIKE :q)`, { q: `%${escapeLike(q.q)}%` });
    }
    const [rows, total] = await qb
      .orderBy('n.published_at', 'DESC', 'NULLS FIRST')
      .addOrderBy('n.created_at', 'DESC')
      .take(q.limit ?? 50)
      .skip(q.offset ?? 0)
      .getManyAndCount();
    const reviews = await sourceReviewsOf(this.db.manager, p, rows);
    return { items: rows.map((n) => toResponse(n, (n.sourceReviewId && reviews.get(n.sourceReviewId)) || null)), total };
  }

  /** A notice the caller may read: published ones are visible to every member, drafts only to their agency. */
  async findVisible(m: EntityManager, p: Principal, id: string): Promise<Notice> {
    const notice = await m
      .getRepository(Notice)
      .createQueryBuilder('n')
      .where('n.id = :id', { id })
      .andWhere(`(n.${VISIBLE_TO_ALL} OR n.issuing_agency_id = :agency)`, { agency: p.agencyId })
      .getOne();
    if (!notice) throw new NotFoundException('notice not found');
    return notice;
  }

  /** True when the caller sees every recipient's status of this notice (its issuer, or a partnership admin). */
  seesAllRecipients(p: Principal, notice: Notice): boolean {
    return notice.issuingAgencyId === p.agencyId || hasRole(p, 'admin');
  }

  private async transition(p: Principal, id: string, action: string, change: (n: Notice, m: EntityManager) => void | Promise<void>) {
    return this.db.transaction(async (m) => {
      const notice = await this.lockOwn(m, p, id);
      const before = summary(notice);
      await change(notice, m);
      await m.save(notice);
      await audit(m, actorOf(p), { action, entityType: 'notice', entityId: id, before, after: summary(notice) });
      return this.present(m, p, notice);
    });
  }

  private async lockOwn(m: EntityManager, p: Principal, id: string): Promise<Notice> {
    const notice = await m.findOne(Notice, {
      where: { id, issuingAgencyId: p.agencyId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!notice) throw new NotFoundException('notice not found');
    return notice;
  }

  /** `kept`: topics the notice (or the one it updates) already carries, which may stay even once retired. */
  private async checkReferences(m: EntityManager, c: NoticeContent, kept: string[] = []): Promise<void> {
    const topics: { key: string; retired: boolean }[] = await m.query(`SELECT key, retired_at IS NOT NULL AS retired FROM topics WHERE key = ANY($1::text[])`, [c.topics]);
    const unknown = c.topics.filter((t) => !topics.some((r) => r.key === t));
    if (unknown.length) throw new BadRequestException(`unknown topics: ${unknown.join(', ')}`);
    const retired = topics.filter((t) => t.retired && !kept.includes(t.key)).map((t) => t.key);
    if (retired.length) throw new BadRequestException(`retired topics cannot be used on new notices: ${retired.join(', ')}`);
    if (c.referenceIds.length) {
      const refs: { id: string }[] = await m.query(
        `SELECT id FROM notices WHERE id = ANY($1::uuid[]) AND ${VISIBLE_TO_ALL}`,
        [c.referenceIds],
      );
      if (refs.length !== new Set(c.referenceIds).size) {
        throw new BadRequestException('referenceIds must name published notices');
      }
    }
    if (c.effectiveAt && c.expiresAt && c.expiresAt <= c.effectiveAt) {
      throw new BadRequestException('expiresAt must be after effectiveAt');
    }
  }
}

/**
 * The approval's one write to the notice row, the columns approve() set (an update's `changes`
 * from supersede() among them). One statement where `save()` read the row again before writing
 * it: the approval is on every notice's path to its first delivery.
 */
async function markPublished(m: EntityManager, n: Notice): Promise<Date> {
  const rows: { updated_at: Date }[] = await m.query(
    // In a CTE: TypeORM returns [rows, count] for a bare UPDATE, plain rows for a SELECT.
    `WITH u AS (UPDATE notices SET status = $2, reference = $3, approved_by = $4, approved_content_hash = $5, published_at = $6, changes = $7::jsonb, updated_at = now()
      WHERE id = $1 RETURNING updated_at) SELECT updated_at FROM u`,
    [n.id, n.status, n.reference, n.approvedBy, n.approvedContentHash, n.publishedAt, n.changes == null ? null : JSON.stringify(n.changes)],
  );
  return rows[0].updated_at;
}

/** Atomic per-year counter: the row lock is held until commit, so a rolled-back publish leaves no gap. */
async function nextReferenceNumber(m: EntityManager, year: number): Promise<number> {
  const rows: { last_number: number }[] = await m.query(
    `INSERT INTO reference_counters (year, last_number) VALUES ($1, 1)
     ON CONFLICT (year) DO UPDATE SET last_number = reference_counters.last_number + 1
     RETURNING last_number`,
    [year],
  );
  return rows[0].last_number;
}

