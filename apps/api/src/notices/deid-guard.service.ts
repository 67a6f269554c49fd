import { ForbiddenException, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { audit, DeidFinding, Notice } from '@sne/core';
import { actorOf, Principal } from '../common/principal';
import { DeidScanCache } from './deid-scan-cache';
import { editorsOf } from './review-records';

export interface ReviewedFinding extends DeidFinding {
  override: { justification: string; approverId: string; at: string } | null;
}

export interface OverrideInput {
  field: string;
  kind: string;
  text: string;
  justification: string;
}

/**
 * The de-identification guard: a notice is scanned on submit and on approve for data that may
 * identify a child or family. It goes no further while any finding stands, unless an approver
 * (never its author) overrides that finding with a written justification, which is audited.
 */
@Injectable()
export class DeidGuard {
  private readonly scans = new DeidScanCache();

  async review(m: EntityManager, notice: Notice): Promise<ReviewedFinding[]> {
    const findings = this.scans.findings(
      { title: notice.title, summary: notice.summary, body: notice.bodyMarkdown, requiredActions: notice.requiredActions },
      await this.agencyContacts(m, notice.issuingAgencyId),
      await this.reviewedText(m, notice.sourceReviewId),
    );
    if (findings.length === 0) return [];
    const overrides: { field: string; kind: string; text: string; justification: string; approver_id: string; created_at: Date }[] = await m.query(
      `SELECT field, kind, text, justification, approver_id, created_at FROM deid_overrides WHERE notice_id = $1`,
      [notice.id],
    );
    return findings.map((f) => {
      const o = overrides.find((x) => x.field === f.field && x.kind === f.kind && x.text === f.text);
      return { ...f, override: o ? { justification: o.justification, approverId: o.approver_id, at: o.created_at.toISOString() } : null };
    });
  }

  /**
   * The issuing agency's own published contacts (its notices contact, escalation and fallback
   * contacts): never findings, so the agency's own mailbox or line does not block its notice.
   */
  async agencyContactCount(m: EntityManager, agencyId: string): Promise<number> {
    return (await this.agencyContacts(m, agencyId)).length;
  }

  private async agencyContacts(m: EntityManager, agencyId: string): Promise<string[]> {
    const rows: { notices_contact_email: string | null; escalation_contacts: string[] | null; fallback_contacts: string[] | null }[] = await m.query(
      `SELECT notices_contact_email, escalation_contacts, fallback_contacts FROM agencies WHERE id = $1`,
      [agencyId],
    );
    const a = rows[0];
    if (!a) return [];
    return [a.notices_contact_email, ...(a.escalation_contacts ?? []), ...(a.fallback_contacts ?? [])].filter((v): v is string => typeof v === 'string' && v.length > 0);
  }

  /**
   * The findings (of the approved version) and recommendations of the approved review a notice was
   * drafted from: two people approved them under the review guard, which reads that register. The
   * text model does not read them again in the notice; every rule does.
   */
  private async reviewedText(m: EntityManager, reviewId: string | null): Promise<string[]> {
    if (!reviewId) return [];
    const rows: { text: string }[] = await m.query(
      `SELECT f.text FROM incident_reviews r JOIN review_findings f ON f.review_id = r.id AND f.version = r.approved_version WHERE r.id = $1
       UNION ALL
       SELECT c.text FROM incident_reviews r JOIN review_recommendations c ON c.review_id = r.id WHERE r.id = $1 AND r.approved_version IS NOT NULL`,
      [reviewId],
    );
    return rows.map((r) => r.text);
  }

  async assertClear(m: EntityManager, notice: Notice): Promise<void> {
    const standing = (await this.review(m, notice)).filter((f) => !f.override);
    if (standing.length === 0) return;
    throw new UnprocessableEntityException({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: `the notice may identify a child or family (${standing.length} finding${standing.length > 1 ? 's' : ''}): remove them, or an approver overrides each one with a justification`,
      findings: standing.map(({ override: _o, ...f }) => f),
    });
  }

  /** An approver accepts findings that are not identifying in context (e.g. a public official's name), each with a reason. */
  async override(m: EntityManager, p: Principal, notice: Notice, overrides: OverrideInput[]): Promise<ReviewedFinding[]> {
    if (notice.authorId === p.userId) throw new ForbiddenException('the author of a notice cannot override its findings (two-person rule)');
    if ((await editorsOf(m, notice.id)).includes(p.userId)) throw new ForbiddenException('you edited this notice, so you cannot override its findings (two-person rule)');
    const current = await this.review(m, notice);
    for (const o of overrides) {
      if (!current.some((f) => f.field === o.field && f.kind === o.kind && f.text === o.text)) {
        throw new UnprocessableEntityException(`no current finding matches ${o.kind} "${o.text}" in ${o.field}`);
      }
      await m.query(
        `INSERT INTO deid_overrides (notice_id, field, kind, text, justification, approver_id) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (notice_id, field, kind, text) DO UPDATE SET justification = EXCLUDED.justification, approver_id = EXCLUDED.approver_id, created_at = now()`,
        [notice.id, o.field, o.kind, o.text, o.justification.trim(), p.userId],
      );
      await audit(m, actorOf(p), {
        action: 'notice.deid_overridden',
        entityType: 'notice',
        entityId: notice.id,
        after: { field: o.field, kind: o.kind, text: o.text, justification: o.justification.trim() },
      });
    }
    return this.review(m, notice);
  }
}
