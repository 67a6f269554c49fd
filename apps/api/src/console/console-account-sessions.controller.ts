import { Controller, Post, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { SESSION_COOKIE } from '../auth/sessions.service';
import { CurrentPrincipal, Principal } from '../common/principal';
import { UsersService } from '../users/users.service';
import { ConsoleExceptionFilter } from './console.filter';

/**
 * "Sign out everywhere" on your account page: every session of yours ends, this one too (a
 * browser left signed in elsewhere, a lost phone). It acts on the caller only, whatever the form
 * sends, through the same service and audit event as `DELETE /api/v1/users/{own id}/sessions`.
 */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console/account/sessions')
export class ConsoleAccountSessionsController {
  constructor(private readonly users: UsersService) {}

  @Post('end')
  async endOwnSessions(@CurrentPrincipal() p: Principal, @Res() res: Response) {
    await this.users.endSessions(p, p.userId);
    // This browser's session has just ended with the others: it signs in again from here.
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/console/sign-in?done=signed_out_everywhere');
  }
}
