import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DeidFinding, labelOf, RECOMMENDATION_STATUSES } from '@sne/core';
import { hasRole, Principal, CurrentPrincipal } from '../common/principal';
import { pageRequest, pagerView } from '../common/paging';
import { REVIEW_STATUSES, RecommendationStatusDto } from '../reviews/review.dto';
import { ReviewLifecycleService } from '../reviews/review-lifecycle.service';
import { ReviewsService } from '../reviews/reviews.service';
import { SharedReviewsService } from '../reviews/shared-reviews.service';
import { ConsoleExceptionFilter } from './console.filter';
import { ConsolePages, requireRole } from './console-page';
import { ConsoleViews } from './console.views';
import { str } from './console-format';
import { refusal } from './console-forms';
import { guardFindings } from './console-review-form';
import { ReviewNoticesService } from '../review-notices/review-notices.service';
import { reviewNoticesPanel } from './console-review-notices.panel';

/** Fixed messages after a redirect (`?done=`), never text from the URL. */
export const REVIEW_FLASH: Record<string, string> = {
  review_created: 'The review was saved as a draft.',
  review_saved: 'Your changes to the draft were saved.',
  review_submitted: 'The review was submitted. A second person with the approver role must approve it.',
  review_approved: 'The review was approved. Its figures now count in the reports.',
  review_returned: 'The review was sent back to draft with your reason.',
  review_shared: 'The summary was shared. Every member agency can read it.',
  review_amended: 'A new version was started as a draft. The reports keep the approved version until this one is approved.',
  recommendation_changed: 'The recommendation’s status was changed and recorded in its history.',
};

const flash = (req: Request) => (typeof req.query?.done === 'string' && Object.hasOwn(REVIEW_FLASH, req.query.done) ? REVIEW_FLASH[req.query.done] : undefined);

/**
 * Critical incident reviews in the console: the agency's list, one review with the lifecycle
 * buttons the caller's roles allow, its versions with their changes, the recommendation status
 * forms, and the summaries other members shared. Every action posts to the API's own services
 * and redirects (post/redirect/get); a refusal shows the page again with the reason.
 */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console')
export class ConsoleReviewsController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly pages: ConsolePages,
    private readonly reviews: ReviewsService,
    private readonly lifecycle: ReviewLifecycleService,
    private readonly shared: SharedReviewsService,
    private readonly reviewNotices: ReviewNoticesService,
  ) {}

  @Get('reviews')
  async list(@CurrentPrincipal() p: Principal, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const page = pageRequest(query);
    const status = (REVIEW_STATUSES as readonly string[]).includes(str(query.status)) ? (str(query.status) as (typeof REVIEW_STATUSES)[number]) : undefined;
    const found = await this.reviews.list(p, { q: page.q, status, limit: page.perPage, offset: (page.page - 1) * page.perPage });
    const paged = { ...found, page: page.page, perPage: page.perPage };
    const model = await this.pages.model(p, req, 'Critical incident reviews', 'reviews', {
      flash: flash(req),
      reviews: found.items.map((r) => ({ ...r, incidentTypeLabel: labelOf('incidentType', r.incidentType) })),
      statuses: REVIEW_STATUSES.map((s) => ({ value: s, selected: s === status })),
      pager: pagerView('/console/reviews', query, paged, 'Pages of reviews'),
      canCreate: hasRole(p, 'reviewer', 'review_lead'),
      canImport: hasRole(p, 'review_lead'),
    });
    this.views.send(res, 'reviews/list', model);
  }

  @Get('reviews/:id')
  async show(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response) {
    await this.page(p, req, res, id, {});
  }

  @Post('reviews/:id/submit')
  submit(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'review_lead');
    return this.act(p, req, res, id, 'review_submitted', () => this.lifecycle.submit(p, id));
  }

  @Post('reviews/:id/approve')
  approve(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'approver');
    const version = /^\d{1,9}$/.test(str(body.version)) ? Number(str(body.version)) : 0;
    // The hash shown with the page: an unreadable one simply does not match (409, the page again).
    return this.act(p, req, res, id, 'review_approved', () => this.lifecycle.approve(p, id, version, str(body.contentHash)));
  }

  @Post('reviews/:id/return')
  returnToDraft(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'approver');
    const reason = str(body.reason).trim();
    if (reason.length < 3 || reason.length > 2000) return this.page(p, req, res, id, { returnError: 'Say why it goes back to draft (3 to 2,000 characters)', returnReason: reason }, 400);
    return this.act(p, req, res, id, 'review_returned', () => this.lifecycle.returnToDraft(p, id, reason), { returnReason: reason });
  }

  @Post('reviews/:id/share')
  share(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'review_lead', 'approver');
    const text = str(body.sharedSummary).trim();
    if (text.length < 10 || text.length > 20000) return this.page(p, req, res, id, { shareError: 'Write the summary to share (10 to 20,000 characters)', sharedSummary: text }, 400);
    return this.act(p, req, res, id, 'review_shared', () => this.lifecycle.share(p, id, text), { sharedSummary: text });
  }

  @Post('reviews/:id/amend')
  amend(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'review_lead');
    return this.act(p, req, res, id, 'review_amended', () => this.lifecycle.amend(p, id));
  }

  @Post('reviews/:id/recommendations/:recId')
  async recommendation(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('recId', ParseUUIDPipe) recId: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    requireRole(p, 'reviewer', 'review_lead', 'approver');
    const status = str(body.status);
    const form = { recId, status, reason: str(body.reason).trim(), implementedOn: str(body.implementedOn).trim() };
    if (!(RECOMMENDATION_STATUSES as readonly string[]).includes(status)) return this.page(p, req, res, id, { recForm: { ...form, error: 'Choose a status' } }, 400);
    const dto: RecommendationStatusDto = { status: status as RecommendationStatusDto['status'], ...(form.reason ? { reason: form.reason } : {}), ...(status === 'implemented' && form.implementedOn ? { implementedOn: form.implementedOn } : {}) };
    return this.act(p, req, res, id, 'recommendation_changed', () => this.lifecycle.recommendationStatus(p, id, recId, dto), { recForm: form }, `#rec-${recId}`);
  }

  @Get('shared-reviews')
  async sharedList(@CurrentPrincipal() p: Principal, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const page = pageRequest(query);
    const found = await this.shared.list({ q: page.q, limit: page.perPage, offset: (page.page - 1) * page.perPage });
    const model = await this.pages.model(p, req, 'Shared review summaries', 'reviews', {
      items: found.items.map((r) => ({ ...r, incidentTypeLabel: labelOf('incidentType', r.incidentType) })),
      pager: pagerView('/console/shared-reviews', query, { ...found, page: page.page, perPage: page.perPage }, 'Pages of shared summaries'),
    });
    this.views.send(res, 'reviews/shared-list', model);
  }

  @Get('shared-reviews/:id')
  async sharedOne(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const item = await this.shared.get(id);
    const model = await this.pages.model(p, req, `Shared summary ${item.reference}`, 'reviews', { item: { ...item, incidentTypeLabel: labelOf('incidentType', item.incidentType) } });
    this.views.send(res, 'reviews/shared', model);
  }

  /** Runs a lifecycle change; on success redirects, on a refusal (not 404) shows the review with the reason. */
  private async act(p: Principal, req: Request, res: Response, id: string, done: string, run: () => Promise<unknown>, keep: Record<string, unknown> = {}, hash = '') {
    try {
      await run();
    } catch (err) {
      const r = refusal(err);
      if (!r || r.status === 404) throw err;
      const findings = Array.isArray(r.body.findings) ? guardFindings(r.body.findings as DeidFinding[]) : [];
      return this.page(p, req, res, id, { ...keep, problem: r.message, guardFindings: findings }, r.status);
    }
    res.redirect(303, `/console/reviews/${id}?done=${done}${hash}`);
  }

  private async page(p: Principal, req: Request, res: Response, id: string, extra: Record<string, unknown>, status = 200) {
    const review = await this.reviews.get(p, id);
    const versions = (await this.reviews.versions(p, id)).versions;
    const twoPerson = review.leadId !== p.userId && review.submittedBy !== p.userId;
    const can = {
      edit: review.status === 'draft' && hasRole(p, 'reviewer', 'review_lead'),
      submit: review.status === 'draft' && hasRole(p, 'review_lead'),
      approve: review.status === 'submitted' && hasRole(p, 'approver') && twoPerson,
      share: (review.status === 'approved' || review.status === 'shared') && hasRole(p, 'review_lead', 'approver'),
      amend: (review.status === 'approved' || review.status === 'shared') && hasRole(p, 'review_lead'),
      recommendations: review.approvedVersion != null && hasRole(p, 'reviewer', 'review_lead', 'approver'),
    };
    const recForm = extra.recForm as { recId: string; status: string; reason: string; implementedOn: string; error?: string } | undefined;
    const domains = new Map<string, { title: string; items: typeof review.ratings }>();
    for (const r of review.ratings) (domains.get(r.domainId) ?? domains.set(r.domainId, { title: r.domainTitle, items: [] }).get(r.domainId)!).items.push(r);
    const problem = extra.problem as string | undefined;
    const model = await this.pages.model(p, req, `Review ${review.reference}`, 'reviews', {
      flash: flash(req),
      review,
      incident: {
        ...review.incident,
        typeLabel: labelOf('incidentType', review.incident.incidentType),
        ageLabel: labelOf('ageBand', review.incident.ageBand),
        priorLabel: labelOf('priorInvolvement', review.incident.priorInvolvement),
        recencyLabel: review.incident.priorRecency ? labelOf('priorRecency', review.incident.priorRecency) : '',
        circumstanceLabels: review.incident.circumstances.map((c) => labelOf('circumstance', c)).join(', '),
      },
      domains: [...domains.values()],
      unrated: review.ratings.filter((r) => r.rating === null).length,
      recommendations: review.recommendations.map((r) => ({
        ...r,
        ownerLabel: labelOf('recommendationOwner', r.owner),
        statusLabel: labelOf('recommendationStatus', r.status),
        form: recForm?.recId === r.id ? recForm : undefined,
        statuses: RECOMMENDATION_STATUSES.map((s) => ({ value: s, label: labelOf('recommendationStatus', s), selected: s === (recForm?.recId === r.id ? recForm.status : r.status) })),
      })),
      versions: [...versions].reverse(),
      reviewNotices: await reviewNoticesPanel(this.reviewNotices, p, id, { csrf: p.csrfToken ?? '' }),
      can,
      twoPersonNote: review.status === 'submitted' && hasRole(p, 'approver') && !twoPerson,
      ...extra,
      hasErrors: !!problem,
    });
    this.views.send(res, 'reviews/show', model, status);
  }
}
