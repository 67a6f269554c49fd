import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiErrors, ApiReportResponse, BODY_ERRORS } from '../common/api-docs';
import { CurrentPrincipal, Principal } from '../common/principal';
import { NoticeResponse } from '../notices/dto/notice.dto';
import { sendReport } from '../reports/report-format';
import { ReportFormatQuery } from '../reports/reports.dto';
import { FollowThroughReport, NoticeDraftFromReviewDto, ReviewNoticesResponse } from './review-notices.dto';
import { ReviewNoticesService } from './review-notices.service';

export const FOLLOW_THROUGH_COLUMNS = [
  'reference', 'title', 'issuer', 'reviewReference', 'recommendationPosition', 'actionIndex', 'action',
  'done', 'underway', 'notYet', 'overdue', 'notApplicable', 'total',
];

@ApiTags('reviews')
@ApiBearerAuth()
@ApiErrors(400, 401)
@Controller('api/v1')
export class ReviewNoticesController {
  constructor(private readonly reviewNotices: ReviewNoticesService) {}

  @Post('reviews/:id/notice-draft')
  @ApiOperation({
    summary: 'Draft a safety notice from an approved review',
    description:
      "Prefilled from the review: the title and summary proposed from its findings, the body quoting the systemic findings and a what-to-do section, " +
      "each recommendation (not adopted ones left out, or those named) as a required action, the review's reference as the incident reference. " +
      'The draft then goes through the normal notice approval. The review must be approved or shared (409); another agency’s review answers 404.',
  })
  @ApiCreatedResponse({ type: NoticeResponse, description: 'The new draft' })
  @ApiErrors(403, 404, 409, [422, 'The review cannot become a notice as it stands (no topic fits, too many or too long recommendations)'], ...BODY_ERRORS)
  draft(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: NoticeDraftFromReviewDto): Promise<NoticeResponse> {
    return this.reviewNotices.draftNotice(p, id, dto);
  }

  @Get('reviews/:id/notices')
  @ApiOperation({ summary: 'The notices issued from a review, with their acknowledgment and action-completion figures across recipient agencies' })
  @ApiOkResponse({ type: ReviewNoticesResponse })
  @ApiErrors(404)
  notices(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<ReviewNoticesResponse> {
    return this.reviewNotices.reviewNotices(p, id);
  }

  @Get('reporting/recommendation-follow-through')
  @ApiOperation({
    summary: 'Recommendations that became notices: whether recipient agencies report the action done',
    description:
      "Per required action that came from a review's recommendation (published notices): recipient agencies' records done, underway, not yet, overdue, not applicable. " +
      "Only agencies whose data-sharing agreement in force covers 'incidents'; counts under k (SUPPRESSION_MIN_CELL) and their complements are null. CSV carries the rows.",
  })
  @ApiReportResponse(FollowThroughReport)
  @ApiErrors(403)
  async followThrough(@Query() q: ReportFormatQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const report = await this.reviewNotices.followThrough();
    return sendReport(req, res, q.format, report, { paths: FOLLOW_THROUGH_COLUMNS, filename: 'recommendation-follow-through' });
  }
}
