import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiKey, grantableRoles, ROLES } from '@sne/core';
import { CurrentPrincipal, hasRole, Principal } from '../common/principal';
import { AgenciesService } from '../agencies/agencies.service';
import { ApiKeysService, CreateApiKeyDto } from '../api-keys/api-keys.controller';
import { UsersService } from '../users/users.service';
import { CreateUserDto } from '../users/users.dto';
import { mayActOn } from '../users/user-reach';
import { ConsoleExceptionFilter } from './console.filter';
import { ConsolePages, requireRole, roleLabel } from './console-page';
import { ConsoleViews } from './console.views';
import { dateToIso, many, shortDate, str } from './console-format';
import { pageList, pageRequest, pagerView } from '../common/paging';
import { errorList, FieldErrors, refusal, validateAs } from './console-forms';
import { OneTimeSlots } from './one-time-slot';

/** Keys for a table: never the key itself (only its prefix is kept). */
export function keysView(keys: ApiKey[], tz: string, owners?: Map<string, string>) {
  return keys.map((k) => ({
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    owner: owners?.get(k.userId) ?? '',
    roles: k.roles.map(roleLabel).join(', '),
    created: shortDate(k.createdAt, tz),
    lastUsed: k.lastUsedAt ? shortDate(k.lastUsedAt, tz) : 'Never',
    expires: k.expiresAt ? shortDate(k.expiresAt, tz) : 'Never',
    revoked: k.revokedAt ? shortDate(k.revokedAt, tz) : null,
    expired: !!k.expiresAt && k.expiresAt <= new Date(),
  }));
}

/** The API key form, shared by "your account" (own keys) and administration (any user of the agency). */
type KeyForm = { name: string; userId: string; roles: string[]; expires: string };
type Issued = Awaited<ReturnType<ApiKeysService['create']>>;

export async function issueKeyFromForm(
  keys: ApiKeysService,
  p: Principal,
  body: Record<string, unknown>,
  forOthers: boolean,
): Promise<{ issued: Issued } | { errors: FieldErrors; form: KeyForm }> {
  const form: KeyForm = { name: str(body.name), userId: str(body.userId), roles: many(body.roles), expires: str(body.expires) };
  const dto: Record<string, unknown> = { name: form.name.trim() };
  if (forOthers && form.userId) dto.userId = form.userId;
  if (form.roles.length) dto.roles = form.roles;
  const errors: FieldErrors = {};
  if (form.expires) {
    const at = dateToIso(form.expires);
    if (!at) errors.expires = 'Enter a date like 2026-12-31';
    else if (at <= new Date().toISOString()) errors.expires = 'The expiry date must be in the future';
    else dto.expiresAt = at;
  }
  Object.assign(errors, await validateAs(CreateApiKeyDto, dto, { name: 'Enter a name for the key, like "intake system"', roles: 'Choose roles the owner has' }), errors);
  if (Object.keys(errors).length) return { errors, form };
  try {
    return { issued: await keys.create(p, dto as unknown as CreateApiKeyDto) };
  } catch (err) {
    const r = refusal(err);
    if (!r) throw err;
    // An owner out of the caller's reach looks like no owner at all (the API answers 404).
    if (r.status === 404) return { errors: { userId: 'Choose an owner from the list' }, form };
    return { errors: { [/role/i.test(r.message) ? 'roles' : 'name']: r.message }, form };
  }
}

/** Where a key's revoke form returns: "account", "user:<id>" (that user's page), else administration. */
function backTo(back: string): string {
  if (back === 'account') return '/console/account';
  const user = /^user:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.exec(back);
  return user ? `/console/admin/users/${user[1]}` : '/console/admin';
}

/**
 * Administration: the users and API keys of one's agency (agency admins; partnership admins
 * choose the agency), each table searched and paged by the server. The member agencies, the
 * topic catalogue (console-admin-lists.controller.ts) and the audit log (console-audit.controller.ts)
 * have their own pages.
 */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console/admin')
export class ConsoleAdminController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly pages: ConsolePages,
    private readonly users: UsersService,
    private readonly keys: ApiKeysService,
    private readonly agencies: AgenciesService,
    private readonly slots: OneTimeSlots,
  ) {}

  @Get()
  async index(@CurrentPrincipal() p: Principal, @Query('agency') agency: string, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin', 'admin');
    // A key just created is shown once, from this session's one-time slot (reloading shows nothing).
    await this.page(p, req, res, { agency: typeof agency === 'string' ? agency : undefined, issued: await this.slots.take(p, 'api-key:admin') });
  }

  @Post('users')
  async createUser(@CurrentPrincipal() p: Principal, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin', 'admin');
    const form = { name: str(body.name), email: str(body.email).trim(), roles: many(body.roles), kind: str(body.kind) || 'person', agencyId: str(body.agencyId) };
    const dto: Record<string, unknown> = { name: form.name.trim(), email: form.email, roles: form.roles, kind: form.kind };
    if (hasRole(p, 'admin') && form.agencyId) dto.agencyId = form.agencyId;
    const errors = await validateAs(CreateUserDto, dto, {
      name: 'Enter the person’s name',
      email: 'Enter an email address like name@agency.gov',
      roles: 'Choose at least one role',
      kind: 'Choose a person or a service account',
    });
    if (!Object.keys(errors).length) {
      try {
        const user = await this.users.create(p, dto as unknown as CreateUserDto);
        res.redirect(303, `/console/admin/users/${user.id}?done=user_created`);
        return;
      } catch (err) {
        const r = refusal(err);
        if (!r) throw err;
        errors[r.status === 409 ? 'email' : 'roles'] = r.status === 409 ? 'A user with this email address already exists' : r.message;
      }
    }
    await this.page(p, req, res, { userErrors: errors, userForm: form, errorList: errorList(errors, { name: 'user-name', email: 'user-email', roles: 'user-role-0', kind: 'user-kind-person' }), agency: form.agencyId || undefined }, 400);
  }

  @Post('keys')
  async createKey(@CurrentPrincipal() p: Principal, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin', 'admin');
    const result = await issueKeyFromForm(this.keys, p, body, true);
    if ('errors' in result) {
      return this.page(p, req, res, { keyErrors: result.errors, keyForm: result.form, errorList: errorList(result.errors, { name: 'key-name', userId: 'key-owner', roles: 'key-role-0', expires: 'key-expires' }) }, 400);
    }
    await this.slots.put(p, 'api-key:admin', result.issued);
    res.redirect(303, '/console/admin?done=key_created#issued-key');
  }

  @Post('keys/:id/revoke')
  async revokeKey(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    await this.keys.revoke(p, id);
    res.redirect(303, `${backTo(str(body.back))}?done=key_revoked${str(body.back) === 'admin' ? '#keys' : ''}`);
  }

  private async page(p: Principal, req: Request, res: Response, extra: Record<string, unknown>, status = 200) {
    const model = await this.pages.model(p, req, 'Administration', 'admin');
    const tz = model.user.timeZone;
    const isAdmin = hasRole(p, 'admin');
    const agencyList = isAdmin ? await this.agencies.list(p, { includeOffboarded: true }) : [];
    const agencyId = isAdmin && typeof extra.agency === 'string' && agencyList.some((a) => a.id === extra.agency) ? (extra.agency as string) : p.agencyId;
    const userPage = await this.users.page(p, agencyId, pageRequest(req.query));
    const users = userPage.items;
    // Owners for the keys' table and the key form: every user of the agency, not only this page's.
    const everyone = agencyId === p.agencyId ? await this.users.list(p, { agencyId }) : [];
    const owners = new Map(everyone.map((u) => [u.id, u.name]));
    const keyPage = pageList(agencyId === p.agencyId ? await this.keys.list(p) : [], pageRequest(req.query, 25, 'keys'), (k: ApiKey) => [k.name, k.prefix, owners.get(k.userId) ?? '']);
    const grantable = grantableRoles(p.roles);
    const userForm = (extra.userForm ?? { roles: [], kind: 'person' }) as { roles: string[]; kind: string };
    const keyForm = (extra.keyForm ?? { roles: [] }) as { roles: string[]; userId?: string };
    this.views.send(
      res,
      'admin/index',
      {
        ...model,
        isAdmin,
        manages: hasRole(p, 'agency_admin', 'admin'),
        viewing: agencyList.find((a) => a.id === agencyId) ?? { id: p.agencyId, name: model.user.agencyName },
        viewingOffboarded: !!agencyList.find((a) => a.id === agencyId)?.offboardedAt,
        otherAgency: agencyId !== p.agencyId,
        agencyChoices: agencyList.map((a) => ({ id: a.id, name: a.name, selected: a.id === agencyId })),
        users: users.map((u) => ({ ...u, roleLabels: u.roles.map(roleLabel).join(', '), created: shortDate(u.createdAt, tz) })),
        usersPager: pagerView('/console/admin', req.query, userPage, 'Pages of users', '#users'),
        ownAgencyId: p.agencyId,
        keys: keysView(keyPage.items, tz, owners),
        keysPager: pagerView('/console/admin', req.query, keyPage, 'Pages of API keys', '#keys'),
        userRoleOptions: grantable.map((r, i) => ({ value: r, label: roleLabel(r), i, checked: userForm.roles.includes(r) })),
        keyRoleOptions: ROLES.map((r, i) => ({ value: r, label: roleLabel(r), i, checked: keyForm.roles.includes(r) })),
        // Keys only for oneself and the users the caller could act on (the grant rule).
        keyOwners: everyone.filter((u) => mayActOn(p, u)).map((u) => ({ id: u.id, name: `${u.name} (${u.email})`, selected: (keyForm.userId || p.userId) === u.id })),
        userForm,
        keyForm,
        ...extra,
      },
      status,
    );
  }
}
