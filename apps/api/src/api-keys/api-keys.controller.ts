import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Injectable, NotFoundException, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMinSize, IsArray, IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { ApiKey, audit, generateApiKey, Role, ROLES, User } from '@sne/core';
import { actorOf, CurrentPrincipal, hasRole, Principal } from '../common/principal';
import { ApiErrors, BODY_ERRORS } from '../common/api-docs';
import { ApiKeyResponse, CreatedApiKeyResponse } from './api-key.responses';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'intake system' }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiPropertyOptional({ description: 'Agency admins: issue the key to another user of the agency (e.g. a service account); partnership admins: to any user (e.g. a new agency admin)' })
  @IsOptional() @IsUUID() userId?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601({ strict: true }) expiresAt?: string;
  @ApiPropertyOptional({ enum: ROLES, isArray: true, description: "A subset of the owner's roles (default: all of them)" })
  @IsOptional() @IsArray() @ArrayMinSize(1) @IsIn(ROLES, { each: true }) roles?: Role[];
}

/** Creates a user's key inside the caller's transaction; the key itself is returned once and never stored. */
export async function issueApiKey(m: EntityManager, user: User, name: string, expiresAt: Date | null, roles: Role[] | null = null) {
  if (roles && !roles.every((r) => user.roles.includes(r))) {
    throw new BadRequestException(`a key can only carry roles its owner has (${user.roles.join(', ')})`);
  }
  const { key, prefix, hash } = generateApiKey();
  const row = m.create(ApiKey, { userId: user.id, agencyId: user.agencyId, name, prefix, keyHash: hash, expiresAt, roles: roles ? [...new Set(roles)] : null });
  await m.save(row);
  return { id: row.id, name, prefix, key, userId: user.id, roles: row.roles, expiresAt: expiresAt?.toISOString() ?? null };
}

@Injectable()
export class ApiKeysService {
  constructor(private readonly db: DataSource) {}

  async create(p: Principal, dto: CreateApiKeyDto) {
    const userId = dto.userId ?? p.userId;
    const manages = hasRole(p, 'agency_admin', 'admin');
    if (userId !== p.userId && !manages) throw new NotFoundException('user not found');
    const expiresAt = dto.expiresAt ? new Date(dto.expiresAt) : null;
    if (expiresAt && expiresAt <= new Date()) throw new BadRequestException('expiresAt must be in the future');
    return this.db.transaction(async (m) => {
      // Partnership admins issue the first key of a new agency's admin; everyone else stays in their agency.
      const scope = hasRole(p, 'admin') ? { id: userId } : { id: userId, agencyId: p.agencyId };
      const user = await m.findOne(User, { where: scope });
      if (!user) throw new NotFoundException('user not found');
      const issued = await issueApiKey(m, user, dto.name.trim(), expiresAt, dto.roles ?? null);
      await audit(m, actorOf(p), { action: 'api_key.created', entityType: 'api_key', entityId: issued.id, agencyId: user.agencyId, after: { prefix: issued.prefix, userId } });
      return issued;
    });
  }

  async list(p: Principal) {
    const where = hasRole(p, 'agency_admin', 'admin') ? { agencyId: p.agencyId } : { userId: p.userId };
    return this.db.getRepository(ApiKey).find({ where, order: { createdAt: 'ASC' } });
  }

  async revoke(p: Principal, id: string) {
    return this.db.transaction(async (m) => {
      const key = await m.findOne(ApiKey, { where: { id, agencyId: p.agencyId, revokedAt: IsNull() } });
      if (!key || (key.userId !== p.userId && !hasRole(p, 'agency_admin', 'admin'))) throw new NotFoundException('api key not found');
      key.revokedAt = new Date();
      await m.save(key);
      await audit(m, actorOf(p), { action: 'api_key.revoked', entityType: 'api_key', entityId: id, after: { prefix: key.prefix } });
    });
  }
}

@ApiTags('api-keys')
@ApiBearerAuth()
@ApiErrors(400, 401)
@Controller('api/v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @ApiOperation({ summary: 'Create a key; the key is shown in this response only' })
  @ApiCreatedResponse({ type: CreatedApiKeyResponse })
  @ApiErrors(403, 404, ...BODY_ERRORS)
  create(@CurrentPrincipal() p: Principal, @Body() dto: CreateApiKeyDto) {
    return this.keys.create(p, dto);
  }

  @Get()
  @ApiOperation({ summary: "Your keys (agency admins and partnership admins: every key of their agency); never the keys themselves" })
  @ApiOkResponse({ type: [ApiKeyResponse] })
  list(@CurrentPrincipal() p: Principal) {
    return this.keys.list(p);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a key: refused from the next request on' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiErrors(403, 404, ...BODY_ERRORS)
  revoke(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.keys.revoke(p, id);
  }
}
