import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiErrors, BODY_ERRORS } from '../common/api-docs';
import { ApiListOk, ListQuery, withTotal } from '../common/paging';
import { CurrentPrincipal, Principal } from '../common/principal';
import { ApproveReviewDto, CreateReviewDto, ListReviewsQuery, RecommendationStatusDto, ReturnReviewDto, ShareReviewDto, UpdateReviewDto } from './review.dto';
import { ReviewListItemResponse, ReviewResponse, ReviewVersionsResponse, SharedReviewResponse } from './review.responses';
import { ReviewLifecycleService } from './review-lifecycle.service';
import { ReviewsService } from './reviews.service';
import { SharedReviewsService } from './shared-reviews.service';

const INVALID: [400, string] = [400, 'Malformed, or the record breaks a rule: `problems` names each field (unknown codes, unrated items on submit, …)'];
const GUARD: [422, string] = [422, 'The de-identification guard found text that may identify a child or family: `findings` lists it; nothing was saved'];

@ApiTags('reviews')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('api/v1/reviews')
export class ReviewsController {
  constructor(
    private readonly reviews: ReviewsService,
    private readonly lifecycle: ReviewLifecycleService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Record a critical incident (coded fields only) and draft its review against the instrument (default: the current version)' })
  @ApiCreatedResponse({ type: ReviewResponse })
  @ApiErrors(INVALID, 403, GUARD, ...BODY_ERRORS)
  create(@CurrentPrincipal() p: Principal, @Body() dto: CreateReviewDto) {
    return this.reviews.create(p, dto);
  }

  @Get()
  @ApiOperation({ summary: "Your agency's reviews, latest change first; q searches the review and incident references" })
  @ApiListOk(ReviewListItemResponse)
  @ApiErrors(400)
  async list(@CurrentPrincipal() p: Principal, @Query() q: ListReviewsQuery, @Res({ passthrough: true }) res: Response) {
    return withTotal(res, await this.reviews.list(p, q));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One review of your agency in full: incident, ratings with the item texts, findings, recommendations with their history, versions' })
  @ApiOkResponse({ type: ReviewResponse })
  @ApiErrors(400, 404)
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.reviews.get(p, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Edit a draft: the parts sent replace the current ones (409 unless a draft)' })
  @ApiOkResponse({ type: ReviewResponse })
  @ApiErrors(INVALID, 403, 404, 409, GUARD, ...BODY_ERRORS)
  update(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateReviewDto) {
    return this.reviews.update(p, id, dto);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @ApiOperation({ summary: 'Submit a draft for approval: every item rated (400 lists the unrated ones); a snapshot is kept' })
  @ApiOkResponse({ type: ReviewResponse })
  @ApiErrors(INVALID, 403, 404, 409, GUARD, ...BODY_ERRORS)
  submit(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.lifecycle.submit(p, id);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve the version and contentHash you read (409 if it changed, even when returned, edited and resubmitted at the same version); never by the review’s lead or submitter (403)' })
  @ApiOkResponse({ type: ReviewResponse })
  @ApiErrors(400, 403, 404, 409, ...BODY_ERRORS)
  approve(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ApproveReviewDto) {
    return this.lifecycle.approve(p, id, dto.version, dto.contentHash);
  }

  @Post(':id/return')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a submitted review back to draft with the reason' })
  @ApiOkResponse({ type: ReviewResponse })
  @ApiErrors(400, 403, 404, 409, GUARD, ...BODY_ERRORS)
  returnToDraft(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ReturnReviewDto) {
    return this.lifecycle.returnToDraft(p, id, dto.reason);
  }

  @Post(':id/share')
  @HttpCode(200)
  @ApiOperation({ summary: 'Share an approved review with every member as a de-identified summary (the guard reads it)' })
  @ApiOkResponse({ type: ReviewResponse })
  @ApiErrors(400, 403, 404, 409, GUARD, ...BODY_ERRORS)
  share(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ShareReviewDto) {
    return this.lifecycle.share(p, id, dto.sharedSummary);
  }

  @Post(':id/amend')
  @HttpCode(200)
  @ApiOperation({ summary: 'Amend an approved review: a new draft version; figures keep reading the approved version until this one is approved' })
  @ApiOkResponse({ type: ReviewResponse })
  @ApiErrors(400, 403, 404, 409, ...BODY_ERRORS)
  amend(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.lifecycle.amend(p, id);
  }

  @Get(':id/versions')
  @ApiOperation({ summary: 'The snapshots of a review (submitted, approved), each with its changes against the one before' })
  @ApiOkResponse({ type: ReviewVersionsResponse })
  @ApiErrors(400, 404)
  versions(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.reviews.versions(p, id);
  }

  @Patch(':id/recommendations/:recId')
  @ApiOperation({ summary: 'Change a recommendation’s status once the review is approved (not_adopted needs a reason); the history keeps every change' })
  @ApiOkResponse({ type: ReviewResponse })
  @ApiErrors(INVALID, 403, 404, 409, GUARD, ...BODY_ERRORS)
  recommendationStatus(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('recId', ParseUUIDPipe) recId: string,
    @Body() dto: RecommendationStatusDto,
  ) {
    return this.lifecycle.recommendationStatus(p, id, recId, dto);
  }
}

@ApiTags('reviews')
@ApiBearerAuth()
@ApiErrors(400, 401)
@Controller('api/v1/shared-reviews')
export class SharedReviewsController {
  constructor(private readonly shared: SharedReviewsService) {}

  @Get()
  @ApiOperation({ summary: 'Reviews their agencies shared as de-identified summaries (every member); q searches reference and agency name' })
  @ApiListOk(SharedReviewResponse)
  async list(@Query() q: ListQuery, @Res({ passthrough: true }) res: Response) {
    return withTotal(res, await this.shared.list(q));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One shared summary (404 unless its agency shared it)' })
  @ApiOkResponse({ type: SharedReviewResponse })
  @ApiErrors(404)
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.shared.get(id);
  }
}
