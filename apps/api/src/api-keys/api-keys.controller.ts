import { BadRequestException, Body, Controller, Delete, ForbiddenException, Get, HttpCode, Injectable, NotFoundException, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMinSize, IsArray, IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { ApiKey, audit, generateApiKey, keyRolesAllowed, Role, ROLES, User } from '@sne/core';
import { actorOf, CurrentPrincipal, Principal } from '../common/principal';
import { mayActOn, reachableUser } from '../users/user-reach';
import { ApiErrors, BODY_ERRORS } from '../common/api-docs';
import { ApiKeyResponse, CreatedApiKeyResponse } from './api-key.responses';
import { OneLine } from '../common/validators';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'intake system' }) @IsString() @MinLength(1) @MaxLength(200) @OneLine() name: string;
  @ApiPropertyOptional({ description: 'Agency admins: issue the key to another user of the agency (e.g. a service account); partnership admins: to any user (e.g. a new agency admin)' })
  @IsOptional() @IsUUID() userId?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601({ strict: true }) expiresAt?: string;
  @ApiPropertyOptional({ enum: ROLES, isArray: true, description: "A subset of the owner's roles (default: all of them)" })
  @IsOptional() @IsArray() @ArrayMinSize(1) @IsIn(ROLES, { each: true }) roles?: Role[];
}

/**
 * Creates a user's key inside the caller's transaction; the key itself is returned once and never
 * stored. It names its roles (by default the owner's roles of this moment), so a role granted to
 * the owner later never widens it.
 */
export async function issueApiKey(m: EntityManager, user: User, name: string, expiresAt: Date | null, roles: Role[] | null = null) {
  if (roles && !roles.every((r) => user.roles.includes(r))) {
    throw new BadRequestException(`a key can only carry roles its owner has (${user.roles.join(', ')})`);
  }
  const { key, prefix, hash } = generateApiKey();
  const row = m.create(ApiKey, { userId: user.id, agencyId: user.agencyId, name, prefix, keyHash: hash, expiresAt, roles: [...new Set(roles ?? user.roles)] });
  await m.save(row);
  return { id: row.id, name, prefix, key, userId: user.id, roles: row.roles, expiresAt: expiresAt?.toISOString() ?? null };
}

@Injectable()
export class ApiKeysService {
  constructor(private readonly db: DataSource) {}

  /** A key for oneself, or for a user the caller reaches under the grant rule (user-reach.ts); 404 otherwise. */
  async create(p: Principal, dto: CreateApiKeyDto) {
    const asked = dto.expiresAt ? new Date(dto.expiresAt) : null;
    if (asked && asked <= new Date()) throw new BadRequestException('expiresAt must be in the future');
    return this.db.transaction(async (m) => {
      const user = await reachableUser(m, p, dto.userId ?? p.userId);
      const expiresAt = await withinAskingKey(m, p, asked);
      // A key for oneself defaults to the asking credential's roles (a limited key's, not all of the owner's).
      const roles = dto.roles ?? (user.id === p.userId ? user.roles.filter((r) => p.roles.includes(r)) : user.roles);
      if (!roles.every((r) => user.roles.includes(r))) throw new BadRequestException(`a key can only carry roles its owner has (${user.roles.join(', ')})`);
      if (!keyRolesAllowed(p, user, roles)) throw new ForbiddenException('a key cannot carry a role you could not grant');
      const issued = await issueApiKey(m, user, dto.name.trim(), expiresAt, roles);
      await audit(m, actorOf(p), { action: 'api_key.created', entityType: 'api_key', entityId: issued.id, agencyId: user.agencyId, after: { prefix: issued.prefix, userId: user.id, roles: issued.roles } });
      return issued;
    });
  }

  /** One's own keys; for agency admins and admins, also the keys of the agency's users they reach. */
  async list(p: Principal) {
    const keys = await this.db.getRepository(ApiKey).find({ where: { agencyId: p.agencyId }, order: { createdAt: 'ASC' } });
    const owners = new Map((await this.db.getRepository(User).find({ where: { agencyId: p.agencyId } })).map((u) => [u.id, u]));
    return keys.filter((k) => k.userId === p.userId || (owners.has(k.userId) && mayActOn(p, owners.get(k.userId)!)));
  }

  async revoke(p: Principal, id: string) {
    return this.db.transaction(async (m) => {
      const key = await m.findOne(ApiKey, { where: { id, agencyId: p.agencyId, revokedAt: IsNull() }, lock: { mode: 'pessimistic_write' } });
      if (!key) throw new NotFoundException('api key not found');
      await reachableUser(m, p, key.userId, { notFound: 'api key not found' });
      key.revokedAt = new Date();
      await m.save(key);
      await audit(m, actorOf(p), { action: 'api_key.revoked', entityType: 'api_key', entityId: id, agencyId: key.agencyId, after: { prefix: key.prefix, userId: key.userId } });
    });
  }
}

/**
 * A key made with a key lives no longer than the key that makes it: an expiring key must not
 * mint a lasting one. Its expiry is the default, and a later one is refused (403).
 */
async function withinAskingKey(m: EntityManager, p: Principal, asked: Date | null): Promise<Date | null> {
  if (!p.apiKeyId) return asked;
  const asking = await m.findOne(ApiKey, { where: { id: p.apiKeyId } });
  const limit = asking?.expiresAt ?? null;
  if (!limit) return asked;
  if (asked && asked > limit) throw new ForbiddenException(`a key cannot outlive the key that creates it (${limit.toISOString()})`);
  return asked ?? limit;
}

const OUT_OF_REACH: [404, string] = [404, 'No such user or key, or one of a user holding a role the caller could not grant'];

@ApiTags('api-keys')
@ApiBearerAuth()
@Controller('api/v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @ApiOperation({ summary: 'Create a key for yourself, or for a user whose roles you could grant; the key is shown in this response only' })
  @ApiCreatedResponse({ type: CreatedApiKeyResponse })
  @ApiErrors([400, 'Validation failed, an expiry in the past, or a role the owner does not have'], 401, [403, 'A role the caller could not grant'], OUT_OF_REACH, ...BODY_ERRORS)
  create(@CurrentPrincipal() p: Principal, @Body() dto: CreateApiKeyDto) {
    return this.keys.create(p, dto);
  }

  @Get()
  @ApiOperation({ summary: "Your keys, and the keys of your agency's users whose roles you could grant" })
  @ApiOkResponse({ type: [ApiKeyResponse] })
  @ApiErrors(400, 401)
  list(@CurrentPrincipal() p: Principal) {
    return this.keys.list(p);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a key: it stops working at once' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiErrors(400, 401, [403, 'A console session without its CSRF token'], OUT_OF_REACH, ...BODY_ERRORS)
  revoke(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.keys.revoke(p, id);
  }
}
