import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { hasRole, CurrentPrincipal, Principal } from '../common/principal';
import { NoticeReviewService } from '../notices/notice-review.service';
import { NoticesService } from '../notices/notices.service';
import { editorsOf } from '../notices/review-records';
import { setReviewEmails } from '../users/preferences.controller';
import { ConsoleExceptionFilter } from './console.filter';
import { ConsolePages, requireRole } from './console-page';
import { ConsoleViews } from './console.views';
import { shortDate, str } from './console-format';
import { refusal } from './console-forms';

const BASIS = { subscribed: 'Subscribed', mandatory: 'Mandatory (critical notice)', 'had-original': 'Had the notice this updates' } as const;
const CHANNEL_STATE: Record<string, string> = {
  active: 'Sent',
  paused: 'Held: subscription paused',
  disabled: 'Held: subscription disabled',
  contact: 'Sent to the notices contact',
  fallback: 'Sent to the fallback contacts while the subscription is held',
};

/**
 * Nobody publishes blind: the page an approver checks before publishing (who receives the notice,
 * by channel, what they will see, what the de-identification check covered, what changed between
 * versions), and the confirmation that carries the count and digest the approver saw. Also the
 * account page's review-email setting.
 */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console')
export class ConsoleReviewController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly pages: ConsolePages,
    private readonly review: NoticeReviewService,
    private readonly notices: NoticesService,
    private readonly db: DataSource,
  ) {}

  @Get('notices/:id/publish')
  async page(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const notice = await this.notices.get(p, id);
    if (notice.issuingAgencyId !== p.agencyId || (notice.status !== 'draft' && notice.status !== 'in_review')) {
      return res.redirect(303, `/console/notices/${id}`);
    }
    const r = await this.review.review(p, id);
    const model = await this.pages.model(p, req, `Check before publishing: ${notice.title}`, 'review');
    const tz = model.user.timeZone;
    // The author, or a colleague who edited it: neither may approve (two-person rule).
    const wroteIt = notice.authorId === p.userId || (await editorsOf(this.db.manager, notice.id)).includes(p.userId);
    const held = r.recipients.recipients.filter((x) => x.channels.some((c) => c.held)).length;
    this.views.send(res, 'notices/publish', {
      ...model,
      notice,
      review: r,
      changed: req.query.changed === '1',
      count: r.recipients.count,
      agenciesWord: r.recipients.count === 1 ? 'agency' : 'agencies',
      held,
      recipients: r.recipients.recipients.map((x) => ({
        ...x,
        basisLabel: BASIS[x.basis],
        channels: x.channels.map((c) => ({ ...c, state: CHANNEL_STATE[c.status], tag: c.held ? 'held' : 'active', target: c.target.join(', ') })),
      })),
      webhookJson: JSON.stringify(r.preview.webhook, null, 2),
      versions: [...r.versions].reverse().map((v) => ({ ...v, saved: shortDate(v.savedAt, tz) })),
      canPublish: notice.status === 'in_review' && hasRole(p, 'approver') && !wroteIt && r.deid.clear,
      blocked:
        notice.status !== 'in_review'
          ? 'This notice is a draft: it can be published once its author submits it for review.'
          : wroteIt
            ? 'You wrote or edited this notice, so you cannot approve it. A second person with the approver role must (two-person rule).'
            : !hasRole(p, 'approver')
              ? 'Only an approver of the issuing agency can publish this notice.'
              : !r.deid.clear
                ? 'The de-identification check has findings that stand: they must be removed or overridden first.'
                : null,
    });
  }

  @Post('notices/:id/publish')
  async publish(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    requireRole(p, 'approver');
    const count = Number.parseInt(str(body.recipientCount), 10);
    try {
      await this.notices.approve(p, id, str(body.contentHash), {
        recipientCount: Number.isSafeInteger(count) ? count : -1,
        recipientsDigest: str(body.recipientsDigest),
      });
    } catch (err) {
      const r = refusal(err);
      if (r?.status === 409 && 'recipientCount' in r.body) return res.redirect(303, `/console/notices/${id}/publish?changed=1`);
      throw err;
    }
    res.redirect(303, `/console/notices/${id}?done=approved`);
  }

  @Post('account/preferences')
  async preferences(@CurrentPrincipal() p: Principal, @Body() body: Record<string, unknown>, @Res() res: Response) {
    await setReviewEmails(this.db, p, str(body.reviewEmails) === 'on');
    res.redirect(303, '/console/account?done=preferences_saved#preferences');
  }
}
