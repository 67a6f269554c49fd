import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { ACTION_ANSWERS, ActionAnswer, DELIVERY_STATUSES } from '@sne/core';
import { CurrentPrincipal, Principal, Public } from '../common/principal';
import { TrackingService } from '../tracking/tracking.service';
import { AcknowledgmentsService } from './acknowledgments.service';
import { ApiErrors, BODY_ERRORS } from '../common/api-docs';
import { DeliveryListResponse, DeliveryResponse } from '../tracking/delivery.responses';
import { AcknowledgmentResponse, AnswerHistoryResponse, RecipientsResponse, TokenAcknowledgmentResponse } from './acknowledgment.responses';
import { OneLine } from '../common/validators';

export class AcknowledgeDto {
  @ApiPropertyOptional({ description: 'Who is acknowledging (defaults to the key owner)' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(200) @OneLine()
  name?: string;
}

export class AcknowledgeByTokenDto {
  @ApiProperty({ description: 'Name of the person acknowledging' })
  @IsString() @MinLength(1) @MaxLength(200) @OneLine()
  name: string;
}

export class ActionAnswerDto {
  @ApiProperty({ description: 'Index of the required action (0-based)' }) @IsInt() @Min(0) @Max(99) action: number;
  @ApiProperty({ enum: ACTION_ANSWERS, description: 'underway: work has started (the action stays open); done and not_applicable answer it' })
  @IsIn(ACTION_ANSWERS) response: ActionAnswer;
  @ApiPropertyOptional({ description: 'What was done; required (the reason) for not_applicable' })
  @IsOptional() @IsString() @MaxLength(2000) note?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Assign the action to a colleague (a person of your agency); kept until another is named' })
  @IsOptional() @IsUUID() assigneeUserId?: string;
  @ApiPropertyOptional({ format: 'date-time', description: "Your agency's own due time for this action; kept until another is given" })
  @IsOptional() @IsISO8601({ strict: true }) @Matches(/(Z|[+-]\d{2}:\d{2})$/, { message: 'dueAt must carry its zone (Z or ±hh:mm)' }) dueAt?: string;
}

/**
 * The answers alone. The two bodies below each declare `name` themselves: a subclass cannot make a
 * parent's optional field required, because class-validator keeps the parent's @IsOptional().
 */
class ActionAnswersDto {
  @ApiProperty({ type: [ActionAnswerDto] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => ActionAnswerDto)
  answers: ActionAnswerDto[];
}

export class AnswerActionsDto extends ActionAnswersDto {
  @ApiPropertyOptional({ description: 'Who is answering (defaults to the key owner)' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(200) @OneLine() name?: string;
}

export class AnswerActionsByTokenDto extends ActionAnswersDto {
  @ApiProperty({ description: 'Who is answering (the link names no person)' }) @IsString() @MinLength(1) @MaxLength(200) @OneLine() name: string;
}

export class ListDeliveriesQuery {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES }) @IsOptional() @IsIn(DELIVERY_STATUSES) status?: string;
  @ApiPropertyOptional({ default: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
}

@ApiTags('acknowledgments')
@ApiBearerAuth()
@ApiErrors(400)
@Controller('api/v1')
export class AcknowledgmentsController {
  constructor(
    private readonly acks: AcknowledgmentsService,
    private readonly tracking: TrackingService,
  ) {}

  @Get('notices/:id/acknowledgments')
  @ApiOperation({ summary: "Supervisor view: every recipient agency's acknowledgment, overdue flag and deliveries" })
  @ApiOkResponse({ type: RecipientsResponse })
  @ApiErrors(401, 404)
  recipients(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.tracking.recipients(p, id);
  }

  @Post('notices/:id/acknowledgments')
  @HttpCode(200)
  @ApiOperation({ summary: "Acknowledge for the caller's agency (idempotent: a second call returns the first record)" })
  @ApiOkResponse({ type: AcknowledgmentResponse })
  @ApiErrors(401, 403, 404, 409, ...BODY_ERRORS)
  acknowledge(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: AcknowledgeDto) {
    return this.acks.acknowledgeAsAgency(p, id, dto.name);
  }

  @Post('notices/:id/acknowledgments/actions')
  @HttpCode(200)
  @ApiOperation({ summary: "Report action taken on each required action, for the caller's agency (every answer is kept)" })
  @ApiOkResponse({ type: AcknowledgmentResponse })
  @ApiErrors(401, 403, 404, 409, ...BODY_ERRORS)
  answer(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: AnswerActionsDto) {
    return this.acks.answerAsAgency(p, id, dto.answers, dto.name);
  }

  @Get('acknowledgments/:ackId/answers')
  @ApiOperation({ summary: 'Every answer of one acknowledgment record, oldest first' })
  @ApiOkResponse({ type: AnswerHistoryResponse })
  @ApiErrors(401, 404)
  async history(@CurrentPrincipal() p: Principal, @Param('ackId', ParseUUIDPipe) ackId: string) {
    await this.tracking.assertCanSeeAcknowledgment(p, ackId);
    return { items: await this.acks.answers(ackId) };
  }

  @Post('acknowledgments/:token/actions')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Report action taken, with the signed token from an acknowledgment link (410: expired, or its agency was offboarded)' })
  @ApiOkResponse({ type: TokenAcknowledgmentResponse })
  @ApiErrors(404, 409, 410, ...BODY_ERRORS)
  answerByToken(@Param('token') token: string, @Body() dto: AnswerActionsByTokenDto) {
    return this.acks.answerByToken(token, dto.answers, dto.name);
  }

  @Post('acknowledgments/:token')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Acknowledge with the signed token from an acknowledgment link (410: expired, or its agency was offboarded)' })
  @ApiOkResponse({ type: TokenAcknowledgmentResponse })
  @ApiErrors(404, 409, 410, ...BODY_ERRORS)
  byToken(@Param('token') token: string, @Body() dto: AcknowledgeByTokenDto) {
    return this.acks.acknowledgeByToken(token, dto.name);
  }

  @Get('notices/:id/deliveries')
  @ApiOperation({ summary: "A notice's deliveries with every attempt (issuer and admins: to every agency; others: their own)" })
  @ApiOkResponse({ type: DeliveryListResponse })
  @ApiErrors(401, 404)
  deliveries(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() q: ListDeliveriesQuery) {
    return this.tracking.deliveries(p, id, q);
  }

  @Get('deliveries/:id')
  @ApiOperation({ summary: 'One delivery with every attempt: to your agency, or of a notice your agency issued' })
  @ApiOkResponse({ type: DeliveryResponse })
  @ApiErrors(401, 404)
  delivery(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.tracking.delivery(p, id);
  }
}
