import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { ApiKey, grantableRoles, reachOf, Role } from '@sne/core';
import { CurrentPrincipal, hasRole, Principal } from '../common/principal';
import { ApiKeysService } from '../api-keys/api-keys.controller';
import { UsersService, UserView } from '../users/users.service';
import { SetRolesDto, UpdateUserDto } from '../users/users.dto';
import { ConsoleExceptionFilter } from './console.filter';
import { ConsolePages, requireRole, roleLabel } from './console-page';
import { ConsoleViews } from './console.views';
import { many, shortDate, str } from './console-format';
import { errorList, FieldErrors, refusal, validateAs } from './console-forms';
import { keysView } from './console-admin.controller';
import { pageList, pageRequest, pagerView } from '../common/paging';

/**
 * One user, for agency admins and partnership admins: who they are, and (when the grant rule lets
 * the caller act on them: user-reach.ts) their roles, password, sessions, keys and whether they
 * may sign in. Every form posts to the same services as the API, so the same rule answers.
 */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console/admin/users/:id')
export class ConsoleAdminUsersController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly pages: ConsolePages,
    private readonly users: UsersService,
    private readonly keys: ApiKeysService,
    private readonly db: DataSource,
  ) {}

  @Get()
  async user(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin', 'admin');
    await this.page(p, req, res, id, {});
  }

  @Post('details')
  async saveDetails(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin', 'admin');
    const details = { name: str(body.name), email: str(body.email).trim() };
    const errors = await validateAs(UpdateUserDto, { name: details.name.trim(), email: details.email }, { name: 'Enter the person’s name', email: 'Enter an email address like name@agency.gov' });
    if (!Object.keys(errors).length) {
      try {
        await this.users.update(p, id, { name: details.name.trim(), email: details.email });
        return res.redirect(303, `/console/admin/users/${id}?done=user_saved`);
      } catch (err) {
        const r = refusal(err);
        if (!r || r.status !== 409) throw err;
        errors.email = 'A user with this email address already exists';
      }
    }
    await this.page(p, req, res, id, { errors, details, errorList: errorList(errors, { name: 'person-name', email: 'person-email' }) }, 400);
  }

  @Post('password')
  async setPassword(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin', 'admin');
    const password = str(body.password);
    const errors: FieldErrors = {};
    if (password.length < 12) errors.password = 'Enter a password of at least 12 characters';
    else if (password.length > 200) errors.password = 'The password can be at most 200 characters';
    if (!errors.password) {
      try {
        await this.users.setPassword(p, id, password);
        return res.redirect(303, `/console/admin/users/${id}?done=password_set`);
      } catch (err) {
        const r = refusal(err);
        if (!r || r.status !== 409) throw err;
        errors.password = 'Service accounts have no password: give them API keys';
      }
    }
    await this.page(p, req, res, id, { errors, errorList: errorList(errors, { password: 'new-password' }) }, 400);
  }

  @Post('roles')
  async setRoles(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin', 'admin');
    const roles = many(body.roles);
    const errors = await validateAs(SetRolesDto, { roles }, { roles: 'Choose at least one role' });
    if (!errors.roles) {
      try {
        await this.users.setRoles(p, id, roles as Role[]);
        return res.redirect(303, `/console/admin/users/${id}?done=roles_changed`);
      } catch (err) {
        // A role the caller cannot give, or one a service account cannot hold: said beside the field. Anything else is a page.
        const r = refusal(err);
        const grant = r?.status === 403 && /grant admin/.test(r.message);
        if (!r || !(grant || r.status === 400)) throw err;
        errors.roles = grant ? 'Only a partnership admin can give the partnership admin role' : r.message;
      }
    }
    await this.page(p, req, res, id, { errors, chosenRoles: roles, errorList: errorList(errors, { roles: 'role-0' }) }, 400);
  }

  @Post('disable')
  async disable(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin', 'admin');
    const reason = str(body.reason).trim();
    if (reason.length > 500) {
      const errors = { reason: 'The reason can be at most 500 characters' };
      return this.page(p, req, res, id, { errors, reason, errorList: errorList(errors, { reason: 'disable-reason' }) }, 400);
    }
    await this.users.disable(p, id, reason || undefined);
    res.redirect(303, `/console/admin/users/${id}?done=user_disabled`);
  }

  @Post('enable')
  async enable(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    requireRole(p, 'agency_admin', 'admin');
    await this.users.enable(p, id);
    res.redirect(303, `/console/admin/users/${id}?done=user_enabled`);
  }

  @Post('sessions/end')
  async endSessions(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    requireRole(p, 'agency_admin', 'admin');
    await this.users.endSessions(p, id);
    res.redirect(303, `/console/admin/users/${id}?done=sessions_ended`);
  }

  private async page(p: Principal, req: Request, res: Response, id: string, extra: Record<string, unknown>, status = 200) {
    const user = await this.users.get(p, id);
    const model = await this.pages.model(p, req, `User: ${user.name}`, 'admin');
    const tz = model.user.timeZone;
    const reach = reachOf(p, user);
    const [agency] = await this.db.query(`SELECT name FROM agencies WHERE id = $1`, [user.agencyId]);
    // The user's keys, when the caller manages them (the same list the API gives: own agency, reachable owners).
    const keys = reach === 'reachable' && user.agencyId === p.agencyId ? (await this.keys.list(p)).filter((k: ApiKey) => k.userId === id) : [];
    const keyPage = pageList(keys, pageRequest(req.query), (k: ApiKey) => [k.name, k.prefix]);
    const chosen = (extra.chosenRoles as string[] | undefined) ?? user.roles;
    this.views.send(
      res,
      'admin/user',
      {
        ...model,
        person: personView(user, tz),
        agencyName: agency?.name ?? '',
        otherAgency: user.agencyId !== p.agencyId,
        isSelf: reach === 'self',
        canAct: reach === 'reachable',
        roleOptions: grantableRoles(p.roles).map((r, i) => ({ value: r, label: roleLabel(r), i, checked: chosen.includes(r) })),
        keys: keysView(keyPage.items, tz),
        keysPager: pagerView(`/console/admin/users/${id}`, req.query, keyPage, 'Pages of API keys', '#keys-title'),
        back: `user:${id}`,
        showKeys: reach === 'reachable' && user.agencyId === p.agencyId,
        isAdmin: hasRole(p, 'admin'),
        errors: {},
        details: { name: user.name, email: user.email },
        ...extra,
      },
      status,
    );
  }
}

function personView(user: UserView, tz: string) {
  return {
    ...user,
    roleLabels: user.roles.map(roleLabel).join(', '),
    created: shortDate(user.createdAt, tz),
    disabled: user.disabledAt ? shortDate(user.disabledAt, tz) : null,
  };
}
