import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@sne/core';
import { hasRole, Principal } from '../common/principal';
import { NoticeResponse } from '../notices/dto/notice.dto';
import { NoticesService } from '../notices/notices.service';
import { editorsOf } from '../notices/review-records';
import { TopicsService } from '../topics/topics.controller';
import { TrackingService } from '../tracking/tracking.service';
import { AuditListener } from '../live/audit-listener.service';
import { ConsolePages } from './console-page';
import { ConsoleViews } from './console.views';
import { duration } from './console-format';
import { FieldErrors } from './console-forms';
import { Finding, placeFindings, reviewedFindings } from './console-findings';
import { uploadModel } from './console-attachments.controller';

/**
 * The console's page of one notice (console-notices.controller.ts): what it shows of the notice,
 * its findings, its recipients and the signed-in person's own record, and which actions it offers.
 * Every form of the page renders it again with its errors.
 */
@Injectable()
export class ConsoleNoticePage {
  constructor(
    private readonly views: ConsoleViews,
    private readonly pages: ConsolePages,
    private readonly notices: NoticesService,
    private readonly topics: TopicsService,
    private readonly tracking: TrackingService,
    private readonly db: DataSource,
    private readonly listener: AuditListener,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The notice's page (draft, review or published), with `extra` (a form's errors and values) and `status`. */
  async render(p: Principal, req: Request, res: Response, id: string, extra: Record<string, unknown>, status = 200) {
    const notice = await this.notices.get(p, id);
    const user = await this.pages.user(p);
    const agencies = await this.agencyNames();
    const [author] = await this.db.query(`SELECT name FROM users WHERE id = $1`, [notice.authorId]);
    const [approver] = notice.approvedBy ? await this.db.query(`SELECT name FROM users WHERE id = $1`, [notice.approvedBy]) : [];
    const own = notice.issuingAgencyId === p.agencyId;
    // The author, or a colleague who edited it: neither may approve (two-person rule).
    const wroteIt = notice.authorId === p.userId || (await editorsOf(this.db.manager, notice.id)).includes(p.userId);
    const reviewed = own ? await reviewedFindings(this.notices, p, notice) : [];
    const findings = (extra.findings as Finding[] | undefined)?.length ? (extra.findings as Finding[]) : reviewed.filter((f) => !f.override);
    const accepted = await this.withApproverNames(reviewed.filter((f) => f.override));
    const placed = placeFindings(findings, {
      title: notice.title,
      summary: notice.summary,
      body: notice.body,
      requiredActions: notice.requiredActions,
      incidentReference: notice.incidentReference ?? '',
    });
    const topics = new Map((await this.topics.list()).map((t) => [t.key, t.title]));
    let original: NoticeResponse | null = null;
    if (notice.supersedesId) original = await this.notices.get(p, notice.supersedesId).catch(() => null);
    const changes = notice.supersedesId ? await this.notices.changesOf(p, notice.id) : null;
    const view = {
      ...notice,
      issuer: agencies.get(notice.issuingAgencyId) ?? '',
      authorName: author?.name ?? '',
      approverName: approver?.name ?? null,
      topicTitles: notice.topics.map((k) => ({ key: k, title: topics.get(k) ?? k })),
    };
    const kind = notice.status === 'draft' ? 'draft' : notice.status === 'in_review' ? 'review' : 'published';
    const titles = { draft: 'Draft', review: 'Review', published: notice.reference ?? 'Notice' };
    const model = await this.pages.model(p, req, `${titles[kind]}: ${notice.title}`, 'notices');
    const data: Record<string, unknown> = {
      ...model,
      notice: view,
      kind,
      own,
      wroteIt,
      upload: uploadModel(this.config, req),
      defaults: dueDefaults(this.config, notice.severity),
      original,
      changes,
      findings: placed.list.map((f, i) => ({
        ...f,
        i,
        overrideError: (extra.overrideErrors as FieldErrors | undefined)?.[`override-${i}`],
        overrideText: (extra.overrideText as Record<string, string> | undefined)?.[String(i)] ?? '',
      })),
      findingsByField: Object.fromEntries(placed.fields.map((f) => [f.field, f])),
      hasFindings: placed.list.length > 0,
      accepted,
      canOverride: (kind === 'draft' || kind === 'review') && own && hasRole(p, 'approver') && !wroteIt,
      can: {
        edit: kind === 'draft' && own && hasRole(p, 'author'),
        submit: kind === 'draft' && own && hasRole(p, 'author'),
        review: kind === 'review' && own && hasRole(p, 'approver') && !wroteIt,
        update: notice.status === 'published' && own && hasRole(p, 'author'),
        cancel: notice.status === 'published' && own && hasRole(p, 'approver'),
      },
      reviewBlocked:
        kind !== 'review'
          ? null
          : wroteIt
            ? 'You wrote or edited this notice, so you cannot approve or reject it. A second person with the approver role must review it (two-person rule).'
            : !hasRole(p, 'approver')
              ? 'Only an approver of the issuing agency can approve or reject this notice.'
              : !own
                ? 'Only the issuing agency can review this notice.'
                : null,
      ...extra,
      hasErrors: !!(extra.errorList as unknown[] | undefined)?.length || !!extra.problem,
    };
    if (kind === 'published') {
      // The feed resumes from what this page shows, so no change between rendering and connecting is missed.
      data.since = (await this.listener.safeId()).toString();
      Object.assign(data, await this.recipients(p, notice, `/console/notices/${id}`));
      data.mine = await this.ownRecord(p, notice, user.timeZone, extra);
    }
    this.views.send(res, `notices/${kind}`, data, status);
  }

  /** The supervisor's view of a notice, shaped for the recipients table (and its live fragment). */
  async recipients(p: Principal, notice: NoticeResponse, back: string) {
    const r = await this.tracking.recipients(p, notice.id);
    const canRetry = hasRole(p, 'admin', 'agency_admin');
    const failed = (await this.tracking.deliveries(p, notice.id, { status: 'failed', limit: 200 })).items;
    const names = new Map(r.items.map((i) => [i.agency.id, i.agency.name]));
    const rows = r.items.map((i) => {
      const answered = i.actions.filter((a) => a.state === 'done' || a.state === 'not_applicable').length;
      return {
        ...i,
        state: i.overdue ? 'overdue' : i.status,
        // What the live script compares to spot a change in the row (its state or any delivery's).
        rowState: `${i.overdue ? 'overdue' : i.status}|${answered}|${i.deliveries.map((d) => d.status).join(',')}`,
        answered,
        actionCount: i.actions.length,
        deliveries: i.deliveries.map((d) => ({ ...d, retryable: canRetry && d.status === 'failed' })),
      };
    });
    return {
      counts: r.counts,
      rows,
      seesAll: this.notices.seesAllRecipients(p, { issuingAgencyId: notice.issuingAgencyId } as never),
      canRemind: notice.status === 'published' && this.notices.seesAllRecipients(p, { issuingAgencyId: notice.issuingAgencyId } as never) && hasRole(p, 'supervisor', 'approver', 'admin'),
      deadLetters: failed.map((d: { agencyId: string }) => ({ ...d, agencyName: names.get(d.agencyId) ?? '', retryable: canRetry })),
      back,
      noticeId: notice.id,
      live: notice.status === 'published',
    };
  }

  /** The signed-in person's own agency record, for the acknowledge and report-action forms. */
  private async ownRecord(p: Principal, notice: NoticeResponse, timeZone: string, extra: Record<string, unknown>) {
    const r = await this.tracking.recipients(p, notice.id);
    const row = r.items.find((i) => i.agency.id === p.agencyId);
    if (!row) return null;
    const values = (extra.actionValues ?? {}) as Record<string, { response: string; note: string }>;
    const errors = (extra.actionErrors ?? {}) as FieldErrors;
    return {
      ...row,
      timeZone,
      open: row.status === 'pending' || row.status === 'acknowledged',
      pending: row.status === 'pending',
      // A superseded or cancelled notice takes no answers (the service refuses them): no form for it.
      needsActions: row.status === 'acknowledged' && row.actions.length > 0 && (notice.status === 'published' || notice.status === 'expired'),
      complete: row.status === 'action_completed' || row.status === 'action_not_required',
      actions: row.actions.map((a) => ({
        ...a,
        value: values[a.index]?.response ?? '',
        note: values[a.index]?.note ?? '',
        error: errors[`action_${a.index}`],
        noteError: errors[`note_${a.index}`],
      })),
    };
  }

  private async withApproverNames(findings: (Finding & { override: { justification: string; approverId: string; at: string } | null })[]) {
    if (!findings.length) return [];
    const ids = [...new Set(findings.map((f) => f.override!.approverId))];
    const rows: { id: string; name: string }[] = await this.db.query(`SELECT id, name FROM users WHERE id = ANY($1::uuid[])`, [ids]);
    const names = new Map(rows.map((r) => [r.id, r.name]));
    return findings.map((f) => ({ ...f, approverName: names.get(f.override!.approverId) ?? '', label: f.field }));
  }

  async agencyNames(): Promise<Map<string, string>> {
    const rows: { id: string; name: string }[] = await this.db.query(`SELECT id, name FROM agencies ORDER BY name`);
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}

/** What a notice without its own due times is due by: the defaults for its severity, as the notice page and its print view say them. */
export function dueDefaults(config: AppConfig, severity: string): { ack: string; actions: string } {
  return { ack: duration(config.ackDueMs[severity as keyof AppConfig['ackDueMs']] / 1000), actions: duration(config.actionsDueMs[severity as keyof AppConfig['actionsDueMs']] / 1000) };
}
