import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { ApiDateTime, ApiErrors, BODY_ERRORS } from '../common/api-docs';
import { CurrentPrincipal, Principal } from '../common/principal';
import { AgencyContactsResponse } from '../acknowledgments/acknowledgment.responses';
import { RecipientTimelineService, TIMELINE_KINDS } from './recipient-timeline.service';
import { SuperviseService } from './supervise.service';

export class RemindDto {
  @ApiPropertyOptional({ maxLength: 2000, description: 'A note for the recipients, shown above the notice' })
  @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class ResendDto {
  @ApiProperty({ maxLength: 2000, description: 'Why it is sent again (shown above the notice)', example: 'Your county says it never arrived; sent again to your notices contact.' })
  @IsString() @MinLength(1) @MaxLength(2000) note: string;
}

class RemindedAgency {
  @ApiProperty({ format: 'uuid' }) agencyId: string;
  @ApiProperty() agencyName: string;
  @ApiProperty({ enum: ['acknowledgment', 'actions', 'nothing'], description: 'What the agency still owed' }) owes: string;
  @ApiProperty({ type: [String], description: 'The deliveries created (one per channel), sent by the courier like any other' }) deliveryIds: string[];
}

class SkippedAgency {
  @ApiProperty({ format: 'uuid' }) agencyId: string;
  @ApiProperty() agencyName: string;
  @ApiProperty({ description: 'Reminded too recently: seconds until it may be reminded again' }) retryAfterSeconds: number;
}

export class ReminderOutcomeResponse {
  @ApiProperty({ format: 'uuid' }) noticeId: string;
  @ApiProperty({ type: [RemindedAgency] }) reminded: RemindedAgency[];
  @ApiProperty({ type: [SkippedAgency] }) skipped: SkippedAgency[];
}

class TimelineMessage {
  @ApiProperty({ format: 'uuid' }) deliveryId: string;
  @ApiProperty({ enum: ['email', 'webhook'] }) channel: string;
  @ApiProperty({ type: [String], description: 'Addresses, or the webhook URL' }) to: string[];
  @ApiProperty() status: string;
  @ApiProperty() fallback: boolean;
  @ApiProperty({ type: String, nullable: true, description: "Why a skipped message was not sent (the record moved on, or the notice is no longer published); null otherwise" }) skippedReason: string | null;
}

class TimelineEntryResponse {
  @ApiDateTime() at: string;
  @ApiProperty({ enum: TIMELINE_KINDS }) kind: string;
  @ApiProperty({ description: 'A person, an address (email link), the scheduler or the dispatcher' }) by: string;
  @ApiProperty({ type: [TimelineMessage] }) messages: TimelineMessage[];
  @ApiProperty({ type: String, nullable: true, description: 'The note a person wrote with a reminder or resend' }) note: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'escalated to director@county.example' }) detail: string | null;
}

class TimelineAgency {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() timeZone: string;
  @ApiProperty({ type: AgencyContactsResponse }) contacts: AgencyContactsResponse;
}

export class TimelineResponse {
  @ApiProperty({ format: 'uuid' }) noticeId: string;
  @ApiProperty({ type: String, nullable: true }) reference: string | null;
  @ApiProperty({ type: TimelineAgency }) agency: TimelineAgency;
  @ApiProperty({ format: 'uuid' }) acknowledgmentId: string;
  @ApiProperty() status: string;
  @ApiDateTime({ nullable: true }) dueAt: string | null;
  @ApiDateTime({ nullable: true }) actionsDueAt: string | null;
  @ApiProperty({ type: [TimelineEntryResponse], description: 'Oldest first' }) entries: TimelineEntryResponse[];
}

@ApiTags('acknowledgments')
@ApiBearerAuth()
@ApiErrors(400)
@Controller('api/v1/notices/:id')
export class SuperviseController {
  constructor(
    private readonly supervise: SuperviseService,
    private readonly timelines: RecipientTimelineService,
  ) {}

  @Post('reminders')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Remind every recipient agency still owing its acknowledgment (or, on an alert, its actions) through its own channels',
    description: 'Issuing agency only. Agencies reminded or sent the notice within MANUAL_REMINDER_INTERVAL are skipped; when all are, 429 with Retry-After.',
  })
  @ApiOkResponse({ type: ReminderOutcomeResponse })
  @ApiErrors(401, 403, 404, 409, 429, ...BODY_ERRORS)
  remind(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: RemindDto) {
    return this.supervise.remindNonResponders(p, id, dto.note);
  }

  @Post('recipients/:agencyId/resend')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send the notice again to one recipient agency, with a note (issuing agency only; once per MANUAL_REMINDER_INTERVAL, 429 otherwise)' })
  @ApiOkResponse({ type: ReminderOutcomeResponse })
  @ApiErrors(401, 403, 404, 409, 429, ...BODY_ERRORS)
  resend(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Param('agencyId', ParseUUIDPipe) agencyId: string, @Body() dto: ResendDto) {
    return this.supervise.resend(p, id, agencyId, dto.note);
  }

  @Get('recipients/:agencyId/timeline')
  @ApiOperation({ summary: "One recipient's escalation timeline: sent, reminded, resent, escalated to whom, acknowledged, actions answered" })
  @ApiOkResponse({ type: TimelineResponse })
  @ApiErrors(401, 404)
  timeline(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Param('agencyId', ParseUUIDPipe) agencyId: string) {
    return this.timelines.timeline(p, id, agencyId);
  }
}
