import { Body, Controller, Get, NotFoundException, Param, ParseIntPipe, ParseUUIDPipe, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, hasRole, Principal } from '../common/principal';
import { AcknowledgmentsService } from '../acknowledgments/acknowledgments.service';
import { NoticesService } from '../notices/notices.service';
import { TrackingService } from '../tracking/tracking.service';
import { RecipientTimelineService } from '../supervise/recipient-timeline.service';
import { SuperviseService } from '../supervise/supervise.service';
import { INBOX_FILTERS, InboxFilter, InboxService } from '../inbox/inbox.service';
import { ConsoleExceptionFilter } from './console.filter';
import { ConsolePages, requireRole } from './console-page';
import { ConsoleViews } from './console.views';
import { isoToLocal, localToIso, str } from './console-format';
import { errorList, FieldErrors, refusal } from './console-forms';

const PAGE_SIZE = 25;
const FILTER_LABELS: Record<InboxFilter, string> = {
  owed: 'What we still owe',
  pending: 'To acknowledge',
  actions_owed: 'Actions owed',
  acknowledged: 'Acknowledged',
  complete: 'Complete',
  closed: 'Closed',
};

/**
 * Issue 10, items 3 and 4 in the console: the issuing agency reminds non-responders and reads
 * (and acts on) one recipient's timeline; a recipient agency works from its inbox and assigns
 * its required actions. Every POST answers with a redirect; a refusal is a page in words.
 */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console')
export class ConsoleSuperviseController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly pages: ConsolePages,
    private readonly notices: NoticesService,
    private readonly supervise: SuperviseService,
    private readonly timelines: RecipientTimelineService,
    private readonly inboxes: InboxService,
    private readonly tracking: TrackingService,
    private readonly acks: AcknowledgmentsService,
  ) {}

  @Post('notices/:id/remind')
  async remind(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    requireRole(p, 'supervisor', 'approver', 'admin');
    const note = str(body.note).trim().slice(0, 2000);
    const outcome = await this.tooSoonSaysWhen(res, () => this.supervise.remindNonResponders(p, id, note || undefined));
    res.redirect(303, `/console/notices/${id}?done=${outcome.skipped.length ? 'reminded_some' : 'reminded'}#status`);
  }

  @Get('notices/:id/recipients/:agencyId')
  async timeline(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('agencyId', ParseUUIDPipe) agencyId: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.timelinePage(p, req, res, id, agencyId, {});
  }

  @Post('notices/:id/recipients/:agencyId/resend')
  async resend(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('agencyId', ParseUUIDPipe) agencyId: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    requireRole(p, 'supervisor', 'approver', 'admin');
    const note = str(body.note).trim();
    const errors: FieldErrors = {};
    if (!note) errors.note = 'Write a note: the agency reads it above the notice';
    else if (note.length > 2000) errors.note = 'The note can be at most 2000 characters';
    if (Object.keys(errors).length) return this.timelinePage(p, req, res, id, agencyId, { errors, note, errorList: errorList(errors) }, 400);
    await this.tooSoonSaysWhen(res, () => this.supervise.resend(p, id, agencyId, note));
    res.redirect(303, `/console/notices/${id}/recipients/${agencyId}?done=resent`);
  }

  @Get('inbox')
  async inbox(@CurrentPrincipal() p: Principal, @Query() q: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const state = (INBOX_FILTERS as readonly string[]).includes(str(q.state)) ? (str(q.state) as InboxFilter) : undefined;
    const page = Math.min(10_000, Math.max(1, Number.parseInt(str(q.page), 10) || 1));
    const data = await this.inboxes.inbox(p, { state, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    const link = (s: string | undefined, n = 1) => `/console/inbox?${new URLSearchParams({ ...(s ? { state: s } : {}), ...(n > 1 ? { page: String(n) } : {}) })}`;
    const pages = Math.max(1, Math.ceil(data.total / PAGE_SIZE));
    const model = await this.pages.model(p, req, 'Inbox', 'inbox', {
      ...data,
      filters: [
        { href: link(undefined), label: 'Everything', count: data.counts.all, current: !state },
        ...INBOX_FILTERS.map((f) => ({ href: link(f), label: FILTER_LABELS[f], count: data.counts[f], current: state === f })),
      ],
      filterLabel: state ? FILTER_LABELS[state] : 'Everything',
      page,
      pages,
      previous: page > 1 ? link(state, page - 1) : null,
      next: page < pages ? link(state, page + 1) : null,
    });
    this.views.send(res, 'supervise/inbox', model);
  }

  @Get('notices/:id/actions/:index')
  async actionForm(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('index', ParseIntPipe) index: number,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.actionPage(p, req, res, id, index, {});
  }

  @Post('notices/:id/actions/:index')
  async assign(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('index', ParseIntPipe) index: number,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const user = await this.pages.user(p);
    const values = { assignee: str(body.assignee), due: str(body.due), note: str(body.note).trim() };
    const errors: FieldErrors = {};
    const dueAt = localToIso(values.due, user.timeZone);
    if (dueAt === null) errors.due = 'Enter a date and time like 2026-03-06 17:00';
    if (values.note.length > 2000) errors.note = 'The note can be at most 2000 characters';
    if (!values.assignee) errors.assignee = 'Choose the colleague who takes this action on';
    if (Object.keys(errors).length) return this.actionPage(p, req, res, id, index, { errors, values, errorList: errorList(errors) }, 400);
    try {
      await this.acks.answerAsAgency(p, id, [{ action: index, response: 'underway', note: values.note || undefined, assigneeUserId: values.assignee, dueAt: dueAt ?? undefined }]);
    } catch (err) {
      const r = refusal(err);
      if (!r || r.status === 404) throw err;
      return this.actionPage(p, req, res, id, index, { problem: r.message, values }, r.status);
    }
    res.redirect(303, `/console/notices/${id}?done=action_assigned#your-agency`);
  }

  /** A 429 page says when to come back, in words and in Retry-After. */
  private async tooSoonSaysWhen<T>(res: Response, act: () => Promise<T>): Promise<T> {
    try {
      return await act();
    } catch (err) {
      const retry = (err as { cause?: { retryAfter?: number } })?.cause?.retryAfter;
      if (retry) res.setHeader('Retry-After', String(retry));
      throw err;
    }
  }

  private async timelinePage(p: Principal, req: Request, res: Response, id: string, agencyId: string, extra: Record<string, unknown>, status = 200) {
    const t = await this.timelines.timeline(p, id, agencyId);
    const notice = await this.notices.get(p, id);
    const issuer = this.notices.seesAllRecipients(p, { issuingAgencyId: notice.issuingAgencyId } as never);
    const owing = t.status === 'pending' || (t.status === 'acknowledged' && notice.category === 'alert');
    const model = await this.pages.model(p, req, `${t.agency.name}: ${t.reference ?? notice.title}`, 'notices', {
      t,
      notice,
      owing,
      canResend: issuer && hasRole(p, 'supervisor', 'approver', 'admin') && notice.status === 'published' && !['superseded', 'cancelled'].includes(t.status),
      ...extra,
      hasErrors: !!(extra.errorList as unknown[] | undefined)?.length,
    });
    this.views.send(res, 'supervise/timeline', model, status);
  }

  private async actionPage(p: Principal, req: Request, res: Response, id: string, index: number, extra: Record<string, unknown>, status = 200) {
    const notice = await this.notices.get(p, id);
    const row = (await this.tracking.recipients(p, id)).items.find((i) => i.agency.id === p.agencyId);
    const action = row?.actions[index];
    if (!row || !action) throw new NotFoundException('This notice asks your agency for no such action.');
    const user = await this.pages.user(p);
    const colleagues = (await this.inboxes.colleagues(p)).items;
    const values = (extra.values as Record<string, string> | undefined) ?? { assignee: action.assignee?.id ?? '', due: isoToLocal(action.dueAt, user.timeZone), note: '' };
    const model = await this.pages.model(p, req, `Assign action ${index + 1}: ${notice.reference}`, 'inbox', {
      notice,
      action: { ...action, number: index + 1 },
      open: row.status === 'acknowledged' && (action.state === 'open' || action.state === 'underway'),
      colleagues: colleagues.map((c) => ({ ...c, selected: c.id === values.assignee })),
      values,
      ...extra,
      hasErrors: !!(extra.errorList as unknown[] | undefined)?.length || !!extra.problem,
    });
    this.views.send(res, 'supervise/action', model, status);
  }
}
