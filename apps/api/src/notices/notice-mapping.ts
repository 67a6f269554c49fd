import { Notice, NoticeContent } from '@sne/core';
import { CreateNoticeDto, NoticeResponse, SourceReviewResponse, UpdateNoticeDto } from './dto/notice.dto';

function date(value: string | undefined | null): Date | null {
  return value ? new Date(value) : null;
}

export function contentOf(dto: CreateNoticeDto): NoticeContent;
export function contentOf(dto: UpdateNoticeDto, partial: true): Partial<NoticeContent>;
export function contentOf(dto: UpdateNoticeDto, partial = false): Partial<NoticeContent> {
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
    actionsDueBy: dto.actionsDueBy === undefined ? undefined : date(dto.actionsDueBy),
    effectiveAt: dto.effectiveAt === undefined ? undefined : date(dto.effectiveAt),
    expiresAt: dto.expiresAt === undefined ? undefined : date(dto.expiresAt),
    referenceIds: dto.referenceIds ? [...new Set(dto.referenceIds)] : undefined,
    incidentReference: dto.incidentReference === undefined ? undefined : dto.incidentReference.trim() || null,
    enquiries: dto.enquiries && {
      name: dto.enquiries.name.trim(),
      role: dto.enquiries.role?.trim() || null,
      email: dto.enquiries.email.trim(),
      phone: dto.enquiries.phone?.trim() || null,
    },
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
    actionsDueBy: c.actionsDueBy ?? null,
    effectiveAt: c.effectiveAt ?? null,
    expiresAt: c.expiresAt ?? null,
    referenceIds: c.referenceIds ?? [],
    incidentReference: c.incidentReference ?? null,
  };
}

export function contentOfNotice(n: Notice): NoticeContent {
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
    actionsDueBy: n.actionsDueBy,
    effectiveAt: n.effectiveAt,
    expiresAt: n.expiresAt,
    referenceIds: n.referenceIds,
    incidentReference: n.incidentReference,
    enquiries: n.enquiries,
  };
}

/** What the audit log keeps of a notice: enough to see what changed, not the whole body. */
export function summary(n: Notice) {
  return { status: n.status, version: n.version, contentHash: n.contentHash, reference: n.reference, title: n.title };
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** `sourceReview`: resolved by the caller (see sourceReviewOf), since who asks decides whether its id shows. */
export function toResponse(n: Notice, sourceReview: SourceReviewResponse | null = null): NoticeResponse {
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
    actionsDueBy: iso(n.actionsDueBy),
    effectiveAt: iso(n.effectiveAt),
    expiresAt: iso(n.expiresAt),
    referenceIds: n.referenceIds,
    incidentReference: n.incidentReference,
    enquiries: n.enquiries ?? null,
    rejectionReasons: n.rejectionReasons,
    approvedBy: n.approvedBy,
    submittedAt: iso(n.submittedAt),
    publishedAt: iso(n.publishedAt),
    supersedesId: n.supersedesId,
    material: n.material ?? false,
    changes: n.changes ?? null,
    cancelledAt: iso(n.cancelledAt),
    cancelReason: n.cancelReason,
    sourceReview,
    createdAt: n.createdAt.toISOString(),
    updatedAt: n.updatedAt.toISOString(),
  };
}
