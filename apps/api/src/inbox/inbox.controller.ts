import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { ACK_STATUSES, INBOX_STATES } from '@sne/core';
import { ApiDateTime, ApiErrors } from '../common/api-docs';
import { CurrentPrincipal, Principal } from '../common/principal';
import { AssigneeResponse, RequiredActionStateResponse } from '../acknowledgments/acknowledgment.responses';
import { EnquiriesContactResponse } from '../notices/dto/notice.dto';
import { INBOX_FILTERS, InboxFilter, InboxService } from './inbox.service';

export class InboxQuery {
  @ApiPropertyOptional({ enum: INBOX_FILTERS, description: 'owed: what your agency still owes (pending and actions_owed)' })
  @IsOptional() @IsIn(INBOX_FILTERS) state?: InboxFilter;
  @ApiPropertyOptional({ default: 25, maximum: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(1_000_000) offset?: number;
}

class InboxIssuer {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

class InboxItemResponse {
  @ApiProperty({ format: 'uuid' }) noticeId: string;
  @ApiProperty({ type: String, nullable: true }) reference: string | null;
  @ApiProperty() title: string;
  @ApiProperty() severity: string;
  @ApiProperty() category: string;
  @ApiProperty() noticeStatus: string;
  @ApiDateTime({ nullable: true }) publishedAt: string | null;
  @ApiProperty({ type: InboxIssuer }) issuingAgency: InboxIssuer;
  @ApiProperty({ type: EnquiriesContactResponse, nullable: true, description: 'Whom to ask about the notice' }) enquiries: EnquiriesContactResponse | null;
  @ApiProperty({ format: 'uuid' }) acknowledgmentId: string;
  @ApiProperty({ enum: ACK_STATUSES }) status: string;
  @ApiProperty({ enum: INBOX_STATES, description: 'What the record asks of your agency' }) state: string;
  @ApiProperty({ description: 'The next deadline has passed' }) overdue: boolean;
  @ApiDateTime({ nullable: true, description: 'The acknowledgment due time while pending; the earliest due time of an open action while actions are owed' }) nextDeadline: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Dec 6, 2026, 3:00 PM CST' }) nextDeadlineLocal: string | null;
  @ApiDateTime({ nullable: true }) dueAt: string | null;
  @ApiDateTime({ nullable: true }) actionsDueAt: string | null;
  @ApiDateTime({ nullable: true }) acknowledgedAt: string | null;
  @ApiProperty({ type: [RequiredActionStateResponse] }) actions: RequiredActionStateResponse[];
}

class InboxCounts {
  @ApiProperty({ description: 'Every record' }) all: number;
  @ApiProperty() owed: number;
  @ApiProperty() pending: number;
  @ApiProperty() actions_owed: number;
  @ApiProperty() acknowledged: number;
  @ApiProperty() complete: number;
  @ApiProperty() closed: number;
}

class InboxAgency {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() timeZone: string;
}

export class InboxResponse {
  @ApiProperty({ type: InboxAgency }) agency: InboxAgency;
  @ApiProperty({ type: InboxCounts, description: 'Records in each state, whatever the filter' }) counts: InboxCounts;
  @ApiProperty({ description: 'Records matching the filter' }) total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
  @ApiProperty({ type: [InboxItemResponse], description: 'Earliest next deadline first, then newest' }) items: InboxItemResponse[];
}

export class ColleaguesResponse {
  @ApiProperty({ type: [AssigneeResponse] }) items: AssigneeResponse[];
}

@ApiTags('acknowledgments')
@ApiBearerAuth()
@ApiErrors(400, 401)
@Controller('api/v1/inbox')
export class InboxController {
  constructor(private readonly inbox: InboxService) {}

  @Get()
  @ApiOperation({ summary: "Your agency's inbox: every notice it received, its own state and next deadline; ?state=owed for what it still owes" })
  @ApiOkResponse({ type: InboxResponse })
  list(@CurrentPrincipal() p: Principal, @Query() q: InboxQuery) {
    return this.inbox.inbox(p, q);
  }

  @Get('colleagues')
  @ApiOperation({ summary: 'The people of your agency a required action can be assigned to (assigneeUserId)' })
  @ApiOkResponse({ type: ColleaguesResponse })
  colleagues(@CurrentPrincipal() p: Principal) {
    return this.inbox.colleagues(p);
  }
}
