import { Body, CanActivate, Controller, ExecutionContext, Get, HttpCode, Inject, Injectable, Param, ParseUUIDPipe, Post, Put, Req, Res, UnsupportedMediaTypeException, UseGuards } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '@sne/core';
import { CurrentPrincipal, Principal, Public } from '../common/principal';
import { UsersService } from '../users/users.service';
import { SESSION_COOKIE, sessionCookie, SessionsService } from './sessions.service';
import { ApiErrors, BODY_ERRORS } from '../common/api-docs';
import { LoginResponse, SessionResponse } from './auth.responses';

export class LoginDto {
  @ApiProperty() @IsEmail() @MaxLength(254) email: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) password: string;
}

export class ChangePasswordDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) currentPassword: string;
  @ApiProperty({ minLength: 12 }) @IsString() @MinLength(12) @MaxLength(200) newPassword: string;
}

export class SetPasswordDto {
  @ApiProperty({ minLength: 12 }) @IsString() @MinLength(12) @MaxLength(200) password: string;
}

/**
 * Login CSRF: another site's page can post a form to the sign-in, but not JSON (that needs CORS,
 * closed unless an origin is listed), so a sign-in that is not JSON is refused before it is read.
 */
@Injectable()
class JsonBodyOnly implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (!context.switchToHttp().getRequest<Request>().is('application/json')) {
      throw new UnsupportedMediaTypeException('send the sign-in as JSON (Content-Type: application/json)');
    }
    return true;
  }
}

@ApiTags('auth')
@ApiErrors(400)
@Controller('api/v1')
export class AuthController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('auth/login')
  @Public()
  @UseGuards(JsonBodyOnly)
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in to the console: sets an HttpOnly, SameSite=Strict session cookie; returns the CSRF token' })
  @ApiOkResponse({ type: LoginResponse })
  @ApiErrors(401, 413, [415, 'The body is not JSON (sign-in takes only application/json, so that another site cannot sign a browser in with a form), or not UTF-8'], 429)
  async login(@Body() dto: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { token, principal, expiresAt } = await this.sessions.login(dto.email, dto.password, req.ip ?? 'unknown');
    res.cookie(SESSION_COOKIE, token, sessionCookie(this.config, expiresAt));
    return { user: view(principal), csrfToken: principal.csrfToken, expiresAt: expiresAt.toISOString() };
  }

  @Post('auth/logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out: ends the cookie session (with an API key, nothing to end)' })
  @ApiNoContentResponse({ description: 'Signed out' })
  @ApiErrors(401, 403, ...BODY_ERRORS)
  async logout(@CurrentPrincipal() p: Principal, @Res({ passthrough: true }) res: Response) {
    await this.sessions.logout(p);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @Get('auth/session')
  @ApiOperation({ summary: 'Who is signed in (or whose key this is), with the session CSRF token' })
  @ApiOkResponse({ type: SessionResponse })
  @ApiErrors(401)
  session(@CurrentPrincipal() p: Principal) {
    return { user: view(p), csrfToken: p.csrfToken ?? null, via: p.sessionId ? 'session' : 'api_key' };
  }

  @Post('auth/password')
  @HttpCode(204)
  @ApiOperation({ summary: 'Change your own password (ends your other sessions)' })
  @ApiNoContentResponse({ description: 'Changed' })
  @ApiErrors(401, 403, 409, ...BODY_ERRORS)
  changePassword(@CurrentPrincipal() p: Principal, @Body() dto: ChangePasswordDto) {
    return this.sessions.changePassword(p, dto.currentPassword, dto.newPassword);
  }

  @Put('users/:id/password')
  @HttpCode(204)
  @ApiOperation({ summary: "Set a person's password (a user whose roles you could grant, or yourself); it ends their sessions" })
  @ApiNoContentResponse({ description: 'The password is set and every session of the user has ended' })
  @ApiErrors(400, 401, 403, [404, 'No such user, or one holding a role the caller could not grant (or of another agency)'], [409, 'A service account has no password'], ...BODY_ERRORS)
  async setPassword(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: SetPasswordDto) {
    await this.users.setPassword(p, id, dto.password);
  }
}

function view(p: Principal) {
  return { id: p.userId, agencyId: p.agencyId, name: p.name, email: p.email, roles: p.roles };
}
