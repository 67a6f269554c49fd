import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Principal } from '../common/principal';
import { ReviewNoticesService } from '../review-notices/review-notices.service';
import { ACTION_STATES } from '../review-notices/action-figures';
import { ConsoleExceptionFilter } from './console.filter';
import { ConsolePages, requireRole } from './console-page';
import { ConsoleViews } from './console.views';
import { str } from './console-format';
import { refusal } from './console-forms';
import { reviewNoticesPanel } from './console-review-notices.panel';

const STATE_LABELS: Record<(typeof ACTION_STATES)[number], string> = {
  done: 'Done',
  underway: 'Underway',
  notYet: 'Not yet',
  overdue: 'Overdue',
  notApplicable: 'Not applicable',
};

/**
 * From review to notice, and back (issue 11) in the console: the form button that drafts a
 * notice from an approved review (then the normal editor and approval), the notices issued from
 * a review with their figures, and the partnership's follow-through of recommendations.
 */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console')
export class ConsoleReviewNoticesController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly pages: ConsolePages,
    private readonly reviewNotices: ReviewNoticesService,
  ) {}

  @Post('reviews/:id/notice-draft')
  async draft(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'author');
    const topic = str(body.topic).trim();
    try {
      const notice = await this.reviewNotices.draftNotice(p, id, { topics: topic ? [topic] : undefined });
      res.redirect(303, `/console/notices/${notice.id}/edit?done=review_drafted`);
    } catch (err) {
      const r = refusal(err);
      if (!r || r.status === 404) throw err;
      await this.noticesPage(p, req, res, id, { problem: r.message, chosenTopic: topic }, r.status);
    }
  }

  @Get('reviews/:id/notices')
  async notices(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response) {
    await this.noticesPage(p, req, res, id, {});
  }

  @Get('reporting/follow-through')
  async followThrough(@CurrentPrincipal() p: Principal, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'analyst', 'admin');
    const report = await this.reviewNotices.followThrough();
    const model = await this.pages.model(p, req, 'Follow-through of review recommendations', 'reporting');
    const cells = (c: Record<string, number | null>) => [...ACTION_STATES, 'total'].map((s) => ({ value: c[s], suppressed: c[s] === null }));
    this.views.send(res, 'reporting/follow-through', {
      ...model,
      report,
      columns: [...ACTION_STATES.map((s) => STATE_LABELS[s]), 'Recipients counted'],
      rows: report.items.map((i) => ({ ...i, action: i.action, cells: cells(i as never) })),
      totals: cells(report.totals as never),
    });
  }

  private async noticesPage(p: Principal, req: Request, res: Response, id: string, extra: { problem?: string; chosenTopic?: string }, status = 200) {
    const figures = await this.reviewNotices.reviewNotices(p, id);
    const panel = await reviewNoticesPanel(this.reviewNotices, p, id, { csrf: p.csrfToken ?? '', figures, ...extra });
    const model = await this.pages.model(p, req, `Notices issued from review ${figures.reference}`, 'reviews');
    this.views.send(
      res,
      'reviews/notices',
      {
        ...model,
        reviewNotices: panel,
        problem: extra.problem,
        hasErrors: !!extra.problem,
        notices: panel.items.map((n) => ({ ...n, actions: n.actions.map((a) => ({ ...a, number: a.index + 1 })) })),
      },
      status,
    );
  }
}
