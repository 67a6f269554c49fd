import { BadRequestException, Body, Controller, ForbiddenException, Get, Injectable, NotFoundException, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMinSize, IsArray, IsEmail, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { audit, Role, ROLES, User } from '@sne/core';
import { actorOf, CurrentPrincipal, hasRole, Principal } from '../common/principal';
import { ApiErrors, BODY_ERRORS } from '../common/api-docs';
import { UserResponse } from './user.responses';

export class CreateUserDto {
  @ApiPropertyOptional({ description: 'Partnership admins only: create the user in another agency' }) @IsOptional() @IsUUID() agencyId?: string;
  @ApiProperty() @IsEmail() @MaxLength(254) email: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty({ enum: ROLES, isArray: true }) @IsArray() @ArrayMinSize(1) @IsIn(ROLES, { each: true }) roles: Role[];
  @ApiPropertyOptional({ enum: ['person', 'service'], default: 'person', description: "service: an agency's system, with API keys and no password" })
  @IsOptional() @IsIn(['person', 'service']) kind?: 'person' | 'service';
}

export class ListUsersQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() agencyId?: string;
}

@Injectable()
export class UsersService {
  constructor(private readonly db: DataSource) {}

  async create(p: Principal, dto: CreateUserDto) {
    const agencyId = dto.agencyId ?? p.agencyId;
    if (agencyId !== p.agencyId && !hasRole(p, 'admin')) throw new NotFoundException('agency not found');
    if (dto.roles.includes('admin') && !hasRole(p, 'admin')) throw new ForbiddenException('only a partnership admin can grant admin');
    if (dto.kind === 'service' && dto.roles.includes('admin')) throw new BadRequestException('a service account cannot be a partnership admin');
    return this.db.transaction(async (m) => {
      const exists = await m.query(`SELECT 1 FROM agencies WHERE id = $1`, [agencyId]);
      if (exists.length === 0) throw new NotFoundException('agency not found');
      const user = m.create(User, { agencyId, email: dto.email.toLowerCase(), name: dto.name.trim(), roles: [...new Set(dto.roles)], kind: dto.kind ?? 'person' });
      await m.save(user);
      await audit(m, actorOf(p), { action: 'user.created', entityType: 'user', entityId: user.id, agencyId, after: { email: user.email, roles: user.roles, kind: user.kind } });
      // Read back, so the columns kept from clients (password hash, lockout) are not in the answer.
      return m.findOneByOrFail(User, { id: user.id });
    });
  }

  async list(p: Principal, q: ListUsersQuery) {
    const agencyId = hasRole(p, 'admin') && q.agencyId ? q.agencyId : p.agencyId;
    return this.db.getRepository(User).find({ where: { agencyId }, order: { createdAt: 'ASC' } });
  }

  async get(p: Principal, id: string) {
    const user = await this.db.getRepository(User).findOne({ where: { id } });
    if (!user || (user.agencyId !== p.agencyId && !hasRole(p, 'admin'))) throw new NotFoundException('user not found');
    return user;
  }
}

@ApiTags('users')
@ApiBearerAuth()
@ApiErrors(400, 401, 403)
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @ApiOperation({ summary: 'Add a person or a service account to your agency (partnership admins: to any agency, with agencyId)' })
  @ApiCreatedResponse({ type: UserResponse })
  @ApiErrors(404, 409, ...BODY_ERRORS)
  create(@CurrentPrincipal() p: Principal, @Body() dto: CreateUserDto) {
    return this.users.create(p, dto);
  }

  @Get()
  @ApiOperation({ summary: "Your agency's users (partnership admins: any agency's, with ?agencyId)" })
  @ApiOkResponse({ type: [UserResponse] })
  list(@CurrentPrincipal() p: Principal, @Query() q: ListUsersQuery) {
    return this.users.list(p, q);
  }

  @Get(':id')
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors(404)
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.users.get(p, id);
  }
}
