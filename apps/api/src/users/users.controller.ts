import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiErrors, BODY_ERRORS } from '../common/api-docs';
import { ApiListOk, withTotal } from '../common/paging';
import { CurrentPrincipal, Principal } from '../common/principal';
import { CreateUserDto, DisableUserDto, ListUsersQuery, SetRolesDto, UpdateUserDto } from './users.dto';
import { UserResponse } from './user.responses';
import { UsersService } from './users.service';

const OUT_OF_REACH: [404, string] = [404, 'No such user, or one holding a role the caller could not grant (or of another agency)'];

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @ApiOperation({ summary: 'Add a person or a service account to your agency (partnership admins: to any agency, with agencyId)' })
  @ApiCreatedResponse({ type: UserResponse })
  @ApiErrors(
    400,
    401,
    [403, 'The caller lacks the role, or asked for a role it could not grant'],
    [404, 'agencyId names no agency the caller may use'],
    [409, 'The email address is taken'],
    ...BODY_ERRORS,
  )
  create(@CurrentPrincipal() p: Principal, @Body() dto: CreateUserDto) {
    return this.users.create(p, dto);
  }

  @Get()
  @ApiOperation({ summary: "Your agency's users, oldest first (partnership admins: any agency's, with ?agencyId); q searches name and email" })
  @ApiListOk(UserResponse)
  @ApiErrors(400, 401, 403)
  async list(@CurrentPrincipal() p: Principal, @Query() q: ListUsersQuery, @Res({ passthrough: true }) res: Response) {
    return withTotal(res, await this.users.search(p, q));
  }

  @Get(':id')
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors(400, 401, 403, 404)
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.users.get(p, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: "Change a user's name or email address (their sign-in), under the grant rule; yourself included" })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors(400, 401, 403, OUT_OF_REACH, [409, 'The email address is taken'], ...BODY_ERRORS)
  update(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateUserDto) {
    return this.users.update(p, id, dto);
  }

  @Put(':id/roles')
  @ApiOperation({ summary: "Replace a user's roles (only with roles you could grant, on a user whose roles you could grant; never your own)" })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors(400, 401, [403, 'The caller lacks the role, asked for a role it could not grant, or named itself'], OUT_OF_REACH, ...BODY_ERRORS)
  setRoles(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: SetRolesDto) {
    return this.users.setRoles(p, id, dto.roles);
  }

  @Post(':id/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable a user: no sign-in, every session ends now, every key answers 401 (never yourself)' })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors(400, 401, [403, 'The caller lacks the role, or named itself'], OUT_OF_REACH, [409, 'The user is already disabled'], ...BODY_ERRORS)
  disable(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: DisableUserDto) {
    return this.users.disable(p, id, dto.reason);
  }

  @Post(':id/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable a disabled user again: sign-in and their unrevoked keys work again' })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors(400, 401, 403, OUT_OF_REACH, [409, 'The user is not disabled'], ...BODY_ERRORS)
  enable(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.users.enable(p, id);
  }

  @Delete(':id/sessions')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Sign a user out everywhere (their API keys are unaffected)',
    description:
      'Anyone may sign themselves out everywhere (their own id). Another user: agency admins in their agency and partnership admins in any, under the grant rule; anyone else is refused with 403 whoever the id names.',
  })
  @ApiNoContentResponse({ description: 'Every session of the user has ended' })
  @ApiErrors(400, 401, [403, 'Another user, and the caller is neither an agency admin nor a partnership admin (or a session\'s CSRF token is missing)'], OUT_OF_REACH, ...BODY_ERRORS)
  async endSessions(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.users.endSessions(p, id);
  }
}
