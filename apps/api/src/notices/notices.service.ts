import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  assertCanApprove,
  assertTransition,
  audit,
  contentHash,
  enqueue,
  formatReference,
  Notice,
  NoticeContent,
  NoticeRuleError,
  renderMarkdown,
  Subjects,
} from '@sne/core';
import { actorOf, hasRole, Principal } from '../common/principal';
import { CreateNoticeDto, ListNoticesQuery, NoticeResponse, UpdateNoticeDto } from './dto/notice.dto';

const VISIBLE_TO_ALL = `status NOT IN ('draft','in_review')`;

@Injectable()
export class NoticesService {
  constructor(private readonly db: DataSource) {}

  async create(p: Principal, dto: CreateNoticeDto): Promise<NoticeResponse> {
    return this.db.transaction(async (m) => {
      const content = contentOf(dto);
      await this.checkReferences(m, content);
      const notice = m.create(Notice, {
        ...content,
        issuingAgencyId: p.agencyId,
        authorId: p.userId,
        status: 'draft',
        version: 1,
        bodyHtml: renderMarkdown(content.bodyMarkdown),
        contentHash: contentHash(content),
      });
      await m.save(notice);
      await audit(m, actorOf(p), { action: 'notice.drafted', entityType: 'notice', entityId: notice.id, after: summary(notice) });
      return toResponse(notice);
    });
  }

  async update(p: Principal, id: string, dto: UpdateNoticeDto): Promise<NoticeResponse> {
    return this.db.transaction(async (m) => {
      const notice = await this.lockOwn(m, p, id);
      assertTransition('edit', notice.status);
      const before = summary(notice);
      const content = { ...contentOfNotice(notice), ...contentOf(dto, true) };
      await this.checkReferences(m, content);
      Object.assign(notice, content, {
        bodyHtml: renderMarkdown(content.bodyMarkdown),
        contentHash: contentHash(content),
        version: notice.version + 1,
      });
      await m.save(notice);
      await audit(m, actorOf(p), { action: 'notice.edited', entityType: 'notice', entityId: id, before, after: summary(notice) });
      return toResponse(notice);
    });
  }

  async submit(p: Principal, id: string): Promise<NoticeResponse> {
    return this.transition(p, id, 'notice.submitted', (n) => {
      assertTransition('submit', n.status);
      n.status = 'in_review';
      n.submittedAt = new Date();
      n.rejectionReasons = null;
    });
  }

  async reject(p: Principal, id: string, reasons: string[]): Promise<NoticeResponse> {
    return this.transition(p, id, 'notice.rejected', (n) => {
      assertTransition('reject', n.status);
      if (n.authorId === p.userId) throw new NoticeRuleError('forbidden', 'the author of a notice cannot review it');
      n.status = 'draft';
      n.rejectionReasons = reasons;
    });
  }

  /**
   * Publishing: the state change, a gap-free reference number and the outbox row that starts
   * the broadcast commit together, or not at all.
   */
  async approve(p: Principal, id: string, reviewedHash: string): Promise<NoticeResponse> {
    return this.db.transaction(async (m) => {
      const notice = await this.lockOwn(m, p, id);
      assertTransition('approve', notice.status);
      assertCanApprove(notice, p.userId, reviewedHash);
      const before = summary(notice);
      const now = new Date();
      notice.reference = formatReference(now.getUTCFullYear(), await nextReferenceNumber(m, now.getUTCFullYear()));
      notice.status = 'published';
      notice.approvedBy = p.userId;
      notice.approvedContentHash = notice.contentHash;
      notice.publishedAt = now;
      await m.save(notice);
      await audit(m, actorOf(p), { action: 'notice.published', entityType: 'notice', entityId: id, before, after: summary(notice) });
      await enqueue(m, Subjects.noticeEvents, { type: 'notice.published', noticeId: id });
      return toResponse(notice);
    });
  }

  async get(p: Principal, id: string): Promise<NoticeResponse> {
    return toResponse(await this.findVisible(this.db.manager, p, id));
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
    return { items: rows.map(toResponse), total };
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

  private async transition(p: Principal, id: string, action: string, change: (n: Notice) => void) {
    return this.db.transaction(async (m) => {
      const notice = await this.lockOwn(m, p, id);
      const before = summary(notice);
      change(notice);
      await m.save(notice);
      await audit(m, actorOf(p), { action, entityType: 'notice', entityId: id, before, after: summary(notice) });
      return toResponse(notice);
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

  private async checkReferences(m: EntityManager, c: NoticeContent): Promise<void> {
    const topics: { key: string }[] = await m.query(`SELECT key FROM topics WHERE key = ANY($1::text[])`, [c.topics]);
    const unknown = c.topics.filter((t) => !topics.some((r) => r.key === t));
    if (unknown.length) throw new BadRequestException(`unknown topics: ${unknown.join(', ')}`);
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

function date(value: string | undefined | null): Date | null {
  return value ? new Date(value) : null;
}

function contentOf(dto: CreateNoticeDto): NoticeContent;
function contentOf(dto: UpdateNoticeDto, partial: true): Partial<NoticeContent>;
function contentOf(dto: UpdateNoticeDto, partial = false): Partial<NoticeContent> {
  const c: Partial<NoticeContent> = {
    title: dto.title?.trim(),
    summary: dto.summary?.trim(),
    bodyMarkdown: dto.body,
    category: dto.category,
    severity: dto.severity,
    topics: dto.topics ? [...new Set(dto.topics)] : undefined,
    targetJurisdictions: dto.targetJurisdictions ? [...new Set(dto.targetJurisdictions.map((t) => t.trim()))] : undefined,
    requiredActions: dto.requiredActions?.map((a) => a.trim()),
    acknowledgeBy: dto.acknowledgeBy === undefined ? undefined : date(dto.acknowledgeBy),
    effectiveAt: dto.effectiveAt === undefined ? undefined : date(dto.effectiveAt),
    expiresAt: dto.expiresAt === undefined ? undefined : date(dto.expiresAt),
    referenceIds: dto.referenceIds ? [...new Set(dto.referenceIds)] : undefined,
    incidentReference: dto.incidentReference === undefined ? undefined : dto.incidentReference.trim() || null,
  };
  if (partial) {
    for (const k of Object.keys(c) as (keyof NoticeContent)[]) if (c[k] === undefined) delete c[k];
    return c;
  }
  return {
    ...c,
    targetJurisdictions: c.targetJurisdictions ?? [],
    requiredActions: c.requiredActions ?? [],
    acknowledgeBy: c.acknowledgeBy ?? null,
    effectiveAt: c.effectiveAt ?? null,
    expiresAt: c.expiresAt ?? null,
    referenceIds: c.referenceIds ?? [],
    incidentReference: c.incidentReference ?? null,
  };
}

function contentOfNotice(n: Notice): NoticeContent {
  return {
    title: n.title,
    summary: n.summary,
    bodyMarkdown: n.bodyMarkdown,
    category: n.category,
    severity: n.severity,
    topics: n.topics,
    targetJurisdictions: n.targetJurisdictions,
    requiredActions: n.requiredActions,
    acknowledgeBy: n.acknowledgeBy,
    effectiveAt: n.effectiveAt,
    expiresAt: n.expiresAt,
    referenceIds: n.referenceIds,
    incidentReference: n.incidentReference,
  };
}

/** What the audit log keeps of a notice: enough to see what changed, not the whole body. */
function summary(n: Notice) {
  return { status: n.status, version: n.version, contentHash: n.contentHash, reference: n.reference, title: n.title };
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toResponse(n: Notice): NoticeResponse {
  return {
    id: n.id,
    reference: n.reference,
    status: n.status,
    version: n.version,
    contentHash: n.contentHash,
    issuingAgencyId: n.issuingAgencyId,
    authorId: n.authorId,
    title: n.title,
    summary: n.summary,
    body: n.bodyMarkdown,
    bodyHtml: n.bodyHtml,
    category: n.category,
    severity: n.severity,
    topics: n.topics,
    targetJurisdictions: n.targetJurisdictions,
    requiredActions: n.requiredActions,
    acknowledgeBy: iso(n.acknowledgeBy),
    effectiveAt: iso(n.effectiveAt),
    expiresAt: iso(n.expiresAt),
    referenceIds: n.referenceIds,
    incidentReference: n.incidentReference,
    rejectionReasons: n.rejectionReasons,
    approvedBy: n.approvedBy,
    submittedAt: iso(n.submittedAt),
    publishedAt: iso(n.publishedAt),
    createdAt: n.createdAt.toISOString(),
    updatedAt: n.updatedAt.toISOString(),
  };
}
