import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-docs';
import { CurrentPrincipal, Principal } from '../common/principal';
import { NoticeReviewResponse, VersionHistoryResponse } from './dto/review.responses';
import { NoticeReviewService } from './notice-review.service';

@ApiTags('notices')
@ApiBearerAuth()
@ApiErrors(400, 401)
@Controller('api/v1/notices')
export class NoticeReviewController {
  constructor(private readonly review: NoticeReviewService) {}

  @Get(':id/review')
  @ApiOperation({
    summary:
      'What approving will do: the exact recipient list (by the fan-out’s own rule) with its count and digest, the email and webhook body as recipients will see them, what the de-identification check covered, and the version history',
  })
  @ApiOkResponse({ type: NoticeReviewResponse })
  @ApiErrors(404, 409)
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.review.review(p, id);
  }

  @Get(':id/versions')
  @ApiOperation({ summary: "A notice's versions, each with its word-level changes against the one before (issuing agency only)" })
  @ApiOkResponse({ type: VersionHistoryResponse })
  @ApiErrors(404)
  versions(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.review.versions(p, id);
  }
}
