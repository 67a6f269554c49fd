import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, BODY_ERRORS } from '../common/api-docs';
import { CurrentPrincipal, Principal } from '../common/principal';
import { ApproveNoticeDto, CancelNoticeDto, DeidOverridesDto, CreateNoticeDto, DraftUpdateDto, ListNoticesQuery, NoticeResponse, RejectNoticeDto, UpdateNoticeDto } from './dto/notice.dto';
import { DeidOverridesResponse, DeidReviewResponse, NoticeListResponse } from './dto/notice.responses';
import { NoticesService } from './notices.service';

@ApiTags('notices')
@ApiBearerAuth()
@ApiErrors(400, 401)
@Controller('api/v1/notices')
export class NoticesController {
  constructor(private readonly notices: NoticesService) {}

  @Post()
  @ApiOperation({ summary: 'Draft a notice' })
  @ApiCreatedResponse({ type: NoticeResponse })
  @ApiErrors(403, ...BODY_ERRORS)
  create(@CurrentPrincipal() p: Principal, @Body() dto: CreateNoticeDto): Promise<NoticeResponse> {
    return this.notices.create(p, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List notices: published ones of every member, drafts of your agency' })
  @ApiOkResponse({ type: NoticeListResponse })
  list(@CurrentPrincipal() p: Principal, @Query() q: ListNoticesQuery) {
    return this.notices.list(p, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One notice: any published one, or a draft or notice in review of your agency' })
  @ApiOkResponse({ type: NoticeResponse })
  @ApiErrors(404)
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<NoticeResponse> {
    return this.notices.get(p, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Edit a draft (voids any earlier review: the content hash changes)' })
  @ApiOkResponse({ type: NoticeResponse })
  @ApiErrors(403, 404, 409, ...BODY_ERRORS)
  update(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateNoticeDto) {
    return this.notices.update(p, id, dto);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @ApiOperation({ summary: 'Submit a draft for review; the de-identification guard must find nothing (422) or an approver must have overridden it' })
  @ApiOkResponse({ type: NoticeResponse })
  @ApiErrors(403, 404, 409, 422, ...BODY_ERRORS)
  submit(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.notices.submit(p, id);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve and publish; never by the author; bound to the contentHash reviewed and, when sent, to the recipient count or digest confirmed (409 if the list changed)' })
  @ApiOkResponse({ type: NoticeResponse })
  @ApiErrors(403, 404, 409, 422, ...BODY_ERRORS)
  approve(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ApproveNoticeDto) {
    return this.notices.approve(p, id, dto.contentHash, { recipientCount: dto.recipientCount, recipientsDigest: dto.recipientsDigest });
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a notice in review back to draft, with reasons; never by its author' })
  @ApiOkResponse({ type: NoticeResponse })
  @ApiErrors(403, 404, 409, ...BODY_ERRORS)
  reject(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: RejectNoticeDto) {
    return this.notices.reject(p, id, dto.reasons);
  }

  @Post(':id/updates')
  @ApiOperation({ summary: 'Draft an update to a published notice; it supersedes the original once approved' })
  @ApiCreatedResponse({ type: NoticeResponse, description: 'The update, a draft' })
  @ApiErrors(403, 404, 409, ...BODY_ERRORS)
  draftUpdate(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: DraftUpdateDto) {
    return this.notices.draftUpdate(p, id, dto);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw a published notice: every recipient is told and open acknowledgments close' })
  @ApiOkResponse({ type: NoticeResponse })
  @ApiErrors(403, 404, 409, ...BODY_ERRORS)
  cancel(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CancelNoticeDto) {
    return this.notices.cancel(p, id, dto.reason);
  }

  @Get(':id/deid')
  @ApiOperation({ summary: 'De-identification findings of a draft or notice in review, with any overrides' })
  @ApiOkResponse({ type: DeidReviewResponse })
  @ApiErrors(404)
  deid(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.notices.deidFindings(p, id);
  }

  @Post(':id/deid-overrides')
  @HttpCode(200)
  @ApiOperation({ summary: 'An approver (not the author) overrides findings, each with a written justification (audited)' })
  @ApiOkResponse({ type: DeidOverridesResponse })
  @ApiErrors(403, 404, 409, 422, ...BODY_ERRORS)
  overrideDeid(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: DeidOverridesDto) {
    return this.notices.overrideDeid(p, id, dto.overrides);
  }
}
