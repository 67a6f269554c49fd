import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CurrentPrincipal, Principal } from '../common/principal';
import { ApiErrors } from '../common/api-docs';
import { AuditListResponse } from './audit.responses';
import { AuditSearchService } from './audit-search.service';

export class AuditQuery {
  @ApiPropertyOptional({ description: 'The kind of object: agency, user, topic, notice, subscription, api_key, session, acknowledgment, delivery…' })
  @IsOptional() @Matches(/^[a-z_]+$/) entityType?: string;
  @ApiPropertyOptional({ description: "The object's id (a topic's key)" }) @IsOptional() @IsString() @MaxLength(200) entityId?: string;
  @ApiPropertyOptional({ description: 'The event type, like user.disabled' }) @IsOptional() @Matches(/^[a-z_.]+$/) action?: string;
  @ApiPropertyOptional({ description: "Who acted: a user's id, or part of their name or email address (or of a recipient's address)" })
  @IsOptional() @IsString() @MaxLength(200) actor?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Events at or after this instant' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Events before this instant' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
  @ApiPropertyOptional({ description: 'Events older than this id (paging backwards)' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) before?: number;
  @ApiPropertyOptional({ default: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}

@ApiTags('audit')
@ApiBearerAuth()
@ApiErrors(400, 401, 403)
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly search: AuditSearchService) {}

  @Get()
  @ApiOperation({
    summary:
      "Audit events, newest first, searchable by object, actor, event type and time: all for partnership admins; for agency admins, their agency's events except those about users holding a role they could not grant",
  })
  @ApiOkResponse({ type: AuditListResponse })
  @ApiErrors(400, 401, 403)
  async list(@CurrentPrincipal() p: Principal, @Query() q: AuditQuery) {
    const { limit, ...filters } = q;
    return { items: await this.search.list(p, filters, limit ?? 100) };
  }
}
