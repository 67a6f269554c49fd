import { Body, Controller, Get, Inject, NotFoundException, Param, ParseUUIDPipe, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import {
  APP_CONFIG,
  AppConfig,
  CATEGORIES,
  NOTICE_STATUSES,
  SEVERITIES,
} from '@sne/core';
import { CurrentPrincipal, hasRole, Principal } from '../common/principal';
import { AcknowledgmentsService } from '../acknowledgments/acknowledgments.service';
import { ListNoticesQuery, NoticeResponse } from '../notices/dto/notice.dto';
import { NoticesService } from '../notices/notices.service';
import { TopicsService } from '../topics/topics.controller';
import { TrackingService } from '../tracking/tracking.service';
import { DeliveryRetryService } from '../tracking/delivery-retry.service';
import { AuditListener } from '../live/audit-listener.service';
import { ConsoleExceptionFilter, safeNext } from './console.filter';
import { ConsolePages, requireRole } from './console-page';
import { ConsoleViews } from './console.views';
import { dateToIso, duration, linesOf, str } from './console-format';
import { errorList, FieldErrors, refusal, validateAs } from './console-forms';
import { Finding, findingsOf, placeFindings, reviewedFindings } from './console-findings';
import { FIELD_IDS } from './console-notice-form';
import { uploadModel } from './console-attachments.controller';

const PAGE_SIZE = 25;

/**
 * Notices in the console: the list, the review page and the published
 * notice with its live delivery and acknowledgment status. Every change goes through
 * NoticesService and friends with the signed-in person as the principal, so the same rules
 * apply as in the API (two-person rule, agency scoping); the pages add the role checks that
 * the API's routes declare.
 */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console')
export class ConsoleNoticesController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly pages: ConsolePages,
    private readonly notices: NoticesService,
    private readonly topics: TopicsService,
    private readonly tracking: TrackingService,
    private readonly retries: DeliveryRetryService,
    private readonly acks: AcknowledgmentsService,
    private readonly db: DataSource,
    private readonly listener: AuditListener,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // ---------------------------------------------------------------- list

  @Get('notices')
  async list(@CurrentPrincipal() p: Principal, @Query() raw: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const filters = {
      q: str(raw.q).trim().slice(0, 200),
      status: str(raw.status),
      topic: str(raw.topic),
      severity: str(raw.severity),
      category: str(raw.category),
      agencyId: str(raw.agencyId),
      from: str(raw.from),
      to: str(raw.to),
    };
    const query: Record<string, unknown> = {};
    for (const k of ['q', 'status', 'topic', 'severity', 'category', 'agencyId'] as const) if (filters[k]) query[k] = filters[k];
    const errors = await validateAs(ListNoticesQuery, query);
    for (const k of Object.keys(errors)) delete query[k];
    const from = dateToIso(filters.from);
    const to = dateToIso(filters.to, true);
    if (filters.from && !from) errors.from = 'Enter a date like 2026-03-06';
    if (filters.to && !to) errors.to = 'Enter a date like 2026-03-06';
    const page = Math.max(1, Math.min(1000, Number.parseInt(str(raw.page), 10) || 1));
    let items: NoticeResponse[];
    let total: number;
    if (from || to) {
      // The API lists by status and text; the date filter reads the newest 200 and keeps those in range.
      const result = await this.notices.list(p, { ...query, limit: 200 } as ListNoticesQuery);
      const inRange = result.items.filter((n) => {
        const at = n.publishedAt ?? n.createdAt;
        return (!from || at >= from) && (!to || at < to);
      });
      total = inRange.length;
      items = inRange.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
    } else {
      const result = await this.notices.list(p, { ...query, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE } as ListNoticesQuery);
      items = result.items;
      total = result.total;
    }
    const agencies = await this.agencyNames();
    const params = new URLSearchParams(Object.entries(filters).filter(([, v]) => v) as [string, string][]);
    const link = (n: number) => `/console/notices?${new URLSearchParams([...params, ['page', String(n)]]).toString()}`;
    const section = filters.status === 'in_review' && hasRole(p, 'approver') ? 'review' : 'notices';
    const model = await this.pages.model(p, req, filters.status === 'in_review' ? 'Notices in review' : 'Notices', section);
    this.views.send(res, 'notices/list', {
      ...model,
      filters,
      errors,
      items: items.map((n) => ({ ...n, issuer: agencies.get(n.issuingAgencyId) ?? '', when: n.publishedAt ?? n.createdAt, mine: n.authorId === p.userId })),
      total,
      filtered: params.toString() !== '',
      statuses: NOTICE_STATUSES,
      severities: SEVERITIES,
      categories: CATEGORIES,
      topics: await this.topics.list(),
      agencies: [...agencies].map(([id, name]) => ({ id, name })),
      previous: page > 1 ? link(page - 1) : null,
      next: page * PAGE_SIZE < total ? link(page + 1) : null,
      page,
      pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
      csv: hasRole(p, 'supervisor', 'admin'),
    });
  }

  // ---------------------------------------------------------------- editor

  @Get('notices/:id')
  async show(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response) {
    await this.noticePage(p, req, res, id, {});
  }

  /** The live part of the published notice page, re-fetched by the script on each feed event. */
  @Get('notices/:id/recipients')
  async recipientsFragment(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const notice = await this.notices.get(p, id);
    const user = await this.pages.user(p);
    const data = await this.recipients(p, notice, req.originalUrl.replace(/\/recipients.*$/, ''));
    res.type('html').setHeader('Cache-Control', 'no-store');
    res.send(this.views.renderPartial('console-recipients', { ...data, user, csrf: p.csrfToken }));
  }

  @Post('notices/:id/submit')
  async submit(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'author');
    try {
      await this.notices.submit(p, id);
    } catch (err) {
      const r = refusal(err);
      if (!r) throw err;
      const findings = findingsOf(r.body);
      return this.noticePage(p, req, res, id, { problem: r.message, findings }, r.status);
    }
    res.redirect(303, `/console/notices/${id}?done=submitted`);
  }

  @Post('notices/:id/approve')
  async approve(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'approver');
    // Nobody publishes blind: approval goes through the check page, which posts the recipients it showed.
    if (!str(body.recipientsDigest)) {
      if ((await this.notices.get(p, id)).issuingAgencyId !== p.agencyId) throw new NotFoundException('notice not found');
      return res.redirect(303, `/console/notices/${id}/publish`);
    }
    try {
      await this.notices.approve(p, id, str(body.contentHash), { recipientsDigest: str(body.recipientsDigest) });
    } catch (err) {
      const r = refusal(err);
      if (!r) throw err;
      return this.noticePage(p, req, res, id, { problem: r.message, findings: findingsOf(r.body) }, r.status);
    }
    res.redirect(303, `/console/notices/${id}?done=approved`);
  }

  @Post('notices/:id/reject')
  async reject(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'approver');
    const text = str(body.reasons);
    const reasons = linesOf(text);
    const errors: FieldErrors = {};
    if (reasons.length === 0) errors.reasons = 'Say what the author must change: one reason per line';
    else if (reasons.length > 20 || reasons.some((r) => r.length > 2000)) errors.reasons = 'Give at most 20 reasons of up to 2000 characters each';
    if (!errors.reasons) {
      try {
        await this.notices.reject(p, id, reasons);
        res.redirect(303, `/console/notices/${id}?done=rejected`);
        return;
      } catch (err) {
        const r = refusal(err);
        if (!r) throw err;
        return this.noticePage(p, req, res, id, { problem: r.message, rejectText: text }, r.status);
      }
    }
    await this.noticePage(p, req, res, id, { rejectErrors: errors, rejectText: text, errorList: errorList(errors, FIELD_IDS) }, 400);
  }

  /** An approver (never the author) accepts a finding that does not identify anyone here, with a written justification. */
  @Post('notices/:id/deid-overrides')
  async overrideFinding(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'approver');
    const index = str(body.index);
    const justification = str(body.justification).trim();
    const errors: FieldErrors = {};
    if (justification.length < 10) errors[`override-${index}`] = 'Explain in at least 10 characters why this does not identify anyone';
    else if (justification.length > 2000) errors[`override-${index}`] = 'The justification can be at most 2000 characters';
    if (!Object.keys(errors).length) {
      try {
        await this.notices.overrideDeid(p, id, [{ field: str(body.field), kind: str(body.kind), text: str(body.text), justification }]);
        res.redirect(303, `/console/notices/${id}?done=overridden#findings-title`);
        return;
      } catch (err) {
        const r = refusal(err);
        if (!r) throw err;
        return this.noticePage(p, req, res, id, { problem: r.message }, r.status);
      }
    }
    await this.noticePage(
      p,
      req,
      res,
      id,
      { overrideErrors: errors, overrideText: { [index]: justification }, errorList: errorList(errors, { [`override-${index}`]: `override-${index}` }) },
      400,
    );
  }

  @Post('notices/:id/cancel')
  async cancel(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'approver');
    const reason = str(body.reason).trim();
    const errors: FieldErrors = {};
    if (reason.length < 3) errors.reason = 'Say why the notice is withdrawn: recipients are told this reason';
    else if (reason.length > 2000) errors.reason = 'The reason can be at most 2000 characters';
    if (!errors.reason) {
      try {
        await this.notices.cancel(p, id, reason);
        res.redirect(303, `/console/notices/${id}?done=cancelled`);
        return;
      } catch (err) {
        const r = refusal(err);
        if (!r) throw err;
        return this.noticePage(p, req, res, id, { problem: r.message, cancelText: reason }, r.status);
      }
    }
    await this.noticePage(p, req, res, id, { cancelErrors: errors, cancelText: reason, errorList: errorList(errors, FIELD_IDS), cancelOpen: true }, 400);
  }

  /** Acknowledge for your own agency (the API's POST /notices/{id}/acknowledgments). */
  @Post('notices/:id/acknowledge')
  async acknowledge(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const name = str(body.name).trim();
    if (name.length > 200) {
      const errors = { name: 'Your name can be at most 200 characters' };
      return this.noticePage(p, req, res, id, { ackErrors: errors, ackName: name, errorList: errorList(errors, FIELD_IDS) }, 400);
    }
    try {
      await this.acks.acknowledgeAsAgency(p, id, name || undefined);
    } catch (err) {
      const r = refusal(err);
      if (!r) throw err;
      return this.noticePage(p, req, res, id, { problem: r.message }, r.status);
    }
    res.redirect(303, `/console/notices/${id}?done=acknowledged#your-agency`);
  }

  /** Report the required actions for your own agency (second tier). */
  @Post('notices/:id/actions')
  async answer(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const notice = await this.notices.get(p, id);
    const answers: { action: number; response: 'done' | 'not_applicable'; note?: string }[] = [];
    const errors: FieldErrors = {};
    const kept: Record<string, { response: string; note: string }> = {};
    notice.requiredActions.forEach((_, i) => {
      const response = str(body[`action_${i}`]);
      const note = str(body[`note_${i}`]).trim();
      kept[i] = { response, note };
      if (!response) return;
      if (response !== 'done' && response !== 'not_applicable') errors[`action_${i}`] = 'Choose done or not applicable';
      else if (response === 'not_applicable' && !note) errors[`note_${i}`] = 'Say why this action does not apply';
      else if (note.length > 2000) errors[`note_${i}`] = 'The note can be at most 2000 characters';
      else answers.push({ action: i, response, note: note || undefined });
    });
    if (!Object.keys(errors).length && answers.length === 0) errors.action_0 = 'Answer at least one action';
    if (Object.keys(errors).length) {
      return this.noticePage(p, req, res, id, { actionErrors: errors, actionValues: kept, errorList: errorList(errors) }, 400);
    }
    try {
      await this.acks.answerAsAgency(p, id, answers, str(body.name).trim().slice(0, 200) || undefined);
    } catch (err) {
      const r = refusal(err);
      if (!r) throw err;
      return this.noticePage(p, req, res, id, { problem: r.message, actionValues: kept }, r.status);
    }
    res.redirect(303, `/console/notices/${id}?done=answered#your-agency`);
  }

  @Post('deliveries/:id/retry')
  async retry(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    requireRole(p, 'admin', 'agency_admin');
    await this.retries.retry(p, id);
    const back = safeNext(str(body.back)) ?? '/console';
    res.redirect(303, `${back}${back.includes('?') ? '&' : '?'}done=retried`);
  }

  private async noticePage(p: Principal, req: Request, res: Response, id: string, extra: Record<string, unknown>, status = 200) {
    const notice = await this.notices.get(p, id);
    const user = await this.pages.user(p);
    const agencies = await this.agencyNames();
    const [author] = await this.db.query(`SELECT name FROM users WHERE id = $1`, [notice.authorId]);
    const [approver] = notice.approvedBy ? await this.db.query(`SELECT name FROM users WHERE id = $1`, [notice.approvedBy]) : [];
    const own = notice.issuingAgencyId === p.agencyId;
    const isAuthor = notice.authorId === p.userId;
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
      isAuthor,
      upload: uploadModel(this.config, req),
      defaults: { ack: duration(this.config.ackDueMs[notice.severity] / 1000), actions: duration(this.config.actionsDueMs[notice.severity] / 1000) },
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
      canOverride: (kind === 'draft' || kind === 'review') && own && hasRole(p, 'approver') && !isAuthor,
      can: {
        edit: kind === 'draft' && own && hasRole(p, 'author'),
        submit: kind === 'draft' && own && hasRole(p, 'author'),
        review: kind === 'review' && own && hasRole(p, 'approver') && !isAuthor,
        update: notice.status === 'published' && own && hasRole(p, 'author'),
        cancel: notice.status === 'published' && own && hasRole(p, 'approver'),
      },
      reviewBlocked:
        kind !== 'review'
          ? null
          : isAuthor
            ? 'You wrote this notice, so you cannot approve or reject it. A second person with the approver role must review it (two-person rule).'
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
  private async recipients(p: Principal, notice: NoticeResponse, back: string) {
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
      needsActions: row.status === 'acknowledged' && row.actions.length > 0,
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

  private async agencyNames(): Promise<Map<string, string>> {
    const rows: { id: string; name: string }[] = await this.db.query(`SELECT id, name FROM agencies ORDER BY name`);
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}

