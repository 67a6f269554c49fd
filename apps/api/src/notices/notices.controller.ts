import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal } from '../common/principal';
import { ApproveNoticeDto, CancelNoticeDto, DeidOverridesDto, CreateNoticeDto, DraftUpdateDto, ListNoticesQuery, NoticeResponse, RejectNoticeDto, UpdateNoticeDto } from './dto/notice.dto';
import { NoticesService } from './notices.service';

@ApiTags('notices')
@ApiBearerAuth()
@Controller('api/v1/notices')
export class NoticesController {
  constructor(private readonly notices: NoticesService) {}

  @Post()
  @ApiOperation({ summary: 'Draft a notice' })
  create(@CurrentPrincipal() p: Principal, @Body() dto: CreateNoticeDto): Promise<NoticeResponse> {
    return this.notices.create(p, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List notices: published ones of every member, drafts of your agency' })
  list(@CurrentPrincipal() p: Principal, @Query() q: ListNoticesQuery) {
    return this.notices.list(p, q);
  }

  @Get(':id')
  @ApiOkResponse({ type: NoticeResponse })
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<NoticeResponse> {
    return this.notices.get(p, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Edit a draft (voids any earlier review: the content hash changes)' })
  update(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateNoticeDto) {
    return this.notices.update(p, id, dto);
  }

  @Post(':id/submit')
  @HttpCode(200)
  submit(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.notices.submit(p, id);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve and publish; never by the author; bound to the contentHash reviewed' })
  approve(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ApproveNoticeDto) {
    return this.notices.approve(p, id, dto.contentHash);
  }

  @Post(':id/reject')
  @HttpCode(200)
  reject(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: RejectNoticeDto) {
    return this.notices.reject(p, id, dto.reasons);
  }

  @Post(':id/updates')
  @ApiOperation({ summary: 'Draft an update to a published notice; it supersedes the original once approved' })
  draftUpdate(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: DraftUpdateDto) {
    return this.notices.draftUpdate(p, id, dto);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw a published notice: every recipient is told and open acknowledgments close' })
  cancel(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CancelNoticeDto) {
    return this.notices.cancel(p, id, dto.reason);
  }

  @Get(':id/deid')
  @ApiOperation({ summary: 'De-identification findings of a draft or notice in review, with any overrides' })
  deid(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.notices.deidFindings(p, id);
  }

  @Post(':id/deid-overrides')
  @HttpCode(200)
  @ApiOperation({ summary: 'An approver (not the author) overrides findings, each with a written justification (audited)' })
  overrideDeid(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: DeidOverridesDto) {
    return this.notices.overrideDeid(p, id, dto.overrides);
  }
}
