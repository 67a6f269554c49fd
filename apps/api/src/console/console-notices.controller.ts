import { Body, Controller, Get, NotFoundException, Param, ParseUUIDPipe, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CATEGORIES, NOTICE_STATUSES, SEVERITIES } from '@sne/core';
import { CurrentPrincipal, hasRole, Principal } from '../common/principal';
import { AcknowledgmentsService } from '../acknowledgments/acknowledgments.service';
import { ListNoticesQuery, NoticeResponse } from '../notices/dto/notice.dto';
import { NoticesService } from '../notices/notices.service';
import { TopicsService } from '../topics/topics.controller';
import { DeliveryRetryService } from '../tracking/delivery-retry.service';
import { ConsoleExceptionFilter, safeNext } from './console.filter';
import { ConsolePages, requireRole } from './console-page';
import { ConsoleViews } from './console.views';
import { ConsoleNoticePage } from './console-notice-page';
import { dateToIso, linesOf, str } from './console-format';
import { errorList, FieldErrors, refusal, validateAs } from './console-forms';
import { findingsOf } from './console-findings';
import { FIELD_IDS } from './console-notice-form';
import { isOneLine } from '../common/validators';

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
    private readonly retries: DeliveryRetryService,
    private readonly acks: AcknowledgmentsService,
    private readonly noticePage: ConsoleNoticePage,
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
    const agencies = await this.noticePage.agencyNames();
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
    await this.noticePage.render(p, req, res, id, {});
  }

  /** The live part of the published notice page, re-fetched by the script on each feed event. */
  @Get('notices/:id/recipients')
  async recipientsFragment(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const notice = await this.notices.get(p, id);
    const user = await this.pages.user(p);
    const data = await this.noticePage.recipients(p, notice, req.originalUrl.replace(/\/recipients.*$/, ''));
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
      return this.noticePage.render(p, req, res, id, { problem: r.message, findings }, r.status);
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
      return this.noticePage.render(p, req, res, id, { problem: r.message, findings: findingsOf(r.body) }, r.status);
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
        return this.noticePage.render(p, req, res, id, { problem: r.message, rejectText: text }, r.status);
      }
    }
    await this.noticePage.render(p, req, res, id, { rejectErrors: errors, rejectText: text, errorList: errorList(errors, FIELD_IDS) }, 400);
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
        return this.noticePage.render(p, req, res, id, { problem: r.message }, r.status);
      }
    }
    await this.noticePage.render(
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
        return this.noticePage.render(p, req, res, id, { problem: r.message, cancelText: reason }, r.status);
      }
    }
    await this.noticePage.render(p, req, res, id, { cancelErrors: errors, cancelText: reason, errorList: errorList(errors, FIELD_IDS), cancelOpen: true }, 400);
  }

  /** Acknowledge for your own agency (the API's POST /notices/{id}/acknowledgments). */
  @Post('notices/:id/acknowledge')
  async acknowledge(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const name = str(body.name).trim();
    if (name.length > 200 || !isOneLine(name)) {
      const errors = { name: 'Your name can be at most 200 characters, on one line' };
      return this.noticePage.render(p, req, res, id, { ackErrors: errors, ackName: name, errorList: errorList(errors, FIELD_IDS) }, 400);
    }
    try {
      await this.acks.acknowledgeAsAgency(p, id, name || undefined);
    } catch (err) {
      const r = refusal(err);
      if (!r) throw err;
      return this.noticePage.render(p, req, res, id, { problem: r.message }, r.status);
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
      return this.noticePage.render(p, req, res, id, { actionErrors: errors, actionValues: kept, errorList: errorList(errors) }, 400);
    }
    try {
      // The name is optional here (the signed-in person by default): white space, line breaks included, reads as one space.
      await this.acks.answerAsAgency(p, id, answers, str(body.name).replace(/\s+/g, ' ').trim().slice(0, 200) || undefined);
    } catch (err) {
      const r = refusal(err);
      if (!r) throw err;
      return this.noticePage.render(p, req, res, id, { problem: r.message, actionValues: kept }, r.status);
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
}
