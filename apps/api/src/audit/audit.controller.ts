import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { User } from '@sne/core';
import { CurrentPrincipal, hasRole, Principal } from '../common/principal';
import { ApiErrors } from '../common/api-docs';
import { mayActOn } from '../users/user-reach';
import { AuditListResponse } from './audit.responses';

export class AuditQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(/^[a-z_]+$/) entityType?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) entityId?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[a-z_.]+$/) action?: string;
  @ApiPropertyOptional({ description: 'Events older than this id (paging backwards)' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) before?: number;
  @ApiPropertyOptional({ default: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}

@ApiTags('audit')
@ApiBearerAuth()
@ApiErrors(400, 401, 403)
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly db: DataSource) {}

  @Get()
  @ApiOperation({
    summary: 'Audit events, newest first: all for partnership admins; for agency admins, their agency\'s events except those about users holding a role they could not grant',
  })
  @ApiOkResponse({ type: AuditListResponse })
  @ApiErrors(400, 401, 403)
  async list(@CurrentPrincipal() p: Principal, @Query() q: AuditQuery) {
    const hidden = hasRole(p, 'admin') ? null : await this.outOfReach(p);
    const rows = await this.db.query(
      `SELECT id, at, actor_type AS "actorType", actor_id AS "actorId", agency_id AS "agencyId", action,
              entity_type AS "entityType", entity_id AS "entityId", before, after
         FROM audit_events
        WHERE ($1::uuid IS NULL OR agency_id = $1) AND ($2::text IS NULL OR entity_type = $2)
          AND ($3::text IS NULL OR entity_id = $3) AND ($4::text IS NULL OR action = $4) AND ($5::bigint IS NULL OR id < $5)
          AND ($7::text[] IS NULL OR NOT ((entity_type = 'user' AND entity_id = ANY($7)) OR (entity_type = 'session' AND actor_id = ANY($7))
                                          OR (entity_type = 'api_key' AND entity_id = ANY($8))))
        ORDER BY id DESC LIMIT $6`,
      [hasRole(p, 'admin') ? null : p.agencyId, q.entityType ?? null, q.entityId ?? null, q.action ?? null, q.before ?? null, q.limit ?? 100, hidden?.users ?? null, hidden?.keys ?? []],
    );
    return { items: rows };
  }

  /** The agency's users the caller could not act on (the grant rule), and their keys: what their events would reveal. */
  private async outOfReach(p: Principal): Promise<{ users: string[]; keys: string[] }> {
    const users: User[] = await this.db.getRepository(User).find({ where: { agencyId: p.agencyId } });
    const ids = users.filter((u) => !mayActOn(p, u)).map((u) => u.id);
    const keys: { id: string }[] = ids.length ? await this.db.query(`SELECT id::text FROM api_keys WHERE user_id = ANY($1::uuid[])`, [ids]) : [];
    return { users: ids, keys: keys.map((k) => k.id) };
  }
}
