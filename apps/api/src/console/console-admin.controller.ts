import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiKey, JURISDICTION_TYPES, Role, ROLES } from '@sne/core';
import { CurrentPrincipal, hasRole, Principal } from '../common/principal';
import { SessionsService } from '../auth/sessions.service';
import { AgenciesService, CreateAgencyDto } from '../agencies/agencies.controller';
import { ApiKeysService, CreateApiKeyDto } from '../api-keys/api-keys.controller';
import { CreateTopicDto, TopicsService } from '../topics/topics.controller';
import { CreateUserDto, UsersService } from '../users/users.controller';
import { ConsoleExceptionFilter } from './console.filter';
import { ConsolePages, requireRole, roleLabel } from './console-page';
import { ConsoleViews } from './console.views';
import { dateToIso, listOf, many, shortDate, str } from './console-format';
import { errorList, FieldErrors, refusal, validateAs } from './console-forms';

/** Keys for a table: never the key itself (only its prefix is kept). */
export function keysView(keys: ApiKey[], tz: string, owners?: Map<string, string>) {
  return keys.map((k) => ({
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    owner: owners?.get(k.userId) ?? '',
    roles: k.roles ? k.roles.map(roleLabel).join(', ') : 'All of the owner’s roles',
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
    return { errors: { [/role/i.test(r.message) ? 'roles' : 'name']: r.message }, form };
  }
}

/**
 * Administration: the users and API keys of one's agency (agency admins), and the member
 * agencies and the topic catalogue (partnership admins).
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
    private readonly topics: TopicsService,
    private readonly sessions: SessionsService,
  ) {}

  @Get()
  async index(@CurrentPrincipal() p: Principal, @Query('agency') agency: string, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin', 'admin');
    await this.page(p, req, res, { agency: typeof agency === 'string' ? agency : undefined });
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

  @Get('users/:id')
  async user(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin', 'admin');
    await this.userPage(p, req, res, id, {});
  }

  @Post('users/:id/password')
  async setPassword(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin', 'admin');
    const user = await this.users.get(p, id);
    const password = str(body.password);
    const errors: FieldErrors = {};
    if (user.kind !== 'person') errors.password = 'Service accounts have no password: give them API keys';
    else if (password.length < 12) errors.password = 'Enter a password of at least 12 characters';
    else if (password.length > 200) errors.password = 'The password can be at most 200 characters';
    if (Object.keys(errors).length) return this.userPage(p, req, res, id, { errors, errorList: errorList(errors, { password: 'new-password' }) }, 400);
    await this.sessions.setPassword(p, id, password);
    res.redirect(303, `/console/admin/users/${id}?done=password_set`);
  }

  @Post('keys')
  async createKey(@CurrentPrincipal() p: Principal, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin', 'admin');
    const result = await issueKeyFromForm(this.keys, p, body, true);
    if ('errors' in result) {
      return this.page(p, req, res, { keyErrors: result.errors, keyForm: result.form, errorList: errorList(result.errors, { name: 'key-name', roles: 'key-role-0', expires: 'key-expires' }) }, 400);
    }
    await this.page(p, req, res, { issued: result.issued });
  }

  @Post('keys/:id/revoke')
  async revokeKey(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    await this.keys.revoke(p, id);
    res.redirect(303, str(body.back) === 'account' ? '/console/account?done=key_revoked' : '/console/admin?done=key_revoked#keys');
  }

  @Post('agencies')
  async createAgency(@CurrentPrincipal() p: Principal, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'admin');
    const form = {
      name: str(body.name),
      jurisdictionType: str(body.jurisdictionType),
      jurisdictionCode: str(body.jurisdictionCode),
      timeZone: str(body.timeZone).trim(),
      noticesContactEmail: str(body.noticesContactEmail).trim(),
      escalationContacts: str(body.escalationContacts),
      fallbackContacts: str(body.fallbackContacts),
    };
    const dto = {
      name: form.name.trim(),
      jurisdictionType: form.jurisdictionType,
      jurisdictionCode: form.jurisdictionCode.trim(),
      timeZone: form.timeZone,
      noticesContactEmail: form.noticesContactEmail,
      escalationContacts: listOf(form.escalationContacts),
      fallbackContacts: listOf(form.fallbackContacts),
    };
    const errors = await validateAs(CreateAgencyDto, dto, {
      name: 'Enter the agency’s name (2 to 200 characters)',
      jurisdictionType: 'Choose the jurisdiction type',
      jurisdictionCode: 'Enter the FIPS code, or the tribal nation’s name',
      timeZone: 'Enter a time zone like America/Chicago',
      noticesContactEmail: 'Enter the email address that receives mandatory notices',
      escalationContacts: 'Enter email addresses, one per line, in escalation order',
      fallbackContacts: 'Enter email addresses, one per line',
    });
    if (!Object.keys(errors).length) {
      try {
        await this.agencies.create(p, dto as unknown as CreateAgencyDto);
        res.redirect(303, '/console/admin?done=agency_created#agencies');
        return;
      } catch (err) {
        const r = refusal(err);
        if (!r) throw err;
        errors.name = r.message;
      }
    }
    await this.page(p, req, res, { agencyErrors: errors, agencyForm: form, errorList: errorList(errors, { name: 'agency-name', jurisdictionType: 'agency-type', jurisdictionCode: 'agency-code', timeZone: 'agency-tz', noticesContactEmail: 'agency-contact', escalationContacts: 'agency-escalation', fallbackContacts: 'agency-fallback' }) }, 400);
  }

  @Post('topics')
  async createTopic(@CurrentPrincipal() p: Principal, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'admin');
    const form = { key: str(body.key).trim(), title: str(body.title), description: str(body.description) };
    const dto: Record<string, unknown> = { key: form.key, title: form.title.trim() };
    if (form.description.trim()) dto.description = form.description.trim();
    const errors = await validateAs(CreateTopicDto, dto, {
      key: 'Enter a key of lowercase dotted words, like substance-exposure.fentanyl',
      title: 'Enter a title',
      description: 'The description can be at most 2000 characters',
    });
    if (!Object.keys(errors).length) {
      try {
        await this.topics.create(p, dto as unknown as CreateTopicDto);
        res.redirect(303, '/console/admin?done=topic_created#topics');
        return;
      } catch (err) {
        const r = refusal(err);
        if (!r) throw err;
        errors.key = r.status === 409 ? 'This topic is already in the catalogue' : r.message;
      }
    }
    await this.page(p, req, res, { topicErrors: errors, topicForm: form, errorList: errorList(errors, { key: 'topic-key', title: 'topic-title', description: 'topic-description' }) }, 400);
  }

  private async page(p: Principal, req: Request, res: Response, extra: Record<string, unknown>, status = 200) {
    const model = await this.pages.model(p, req, 'Administration', 'admin');
    const tz = model.user.timeZone;
    const isAdmin = hasRole(p, 'admin');
    const agencyList = isAdmin ? await this.agencies.list(p) : [];
    const agencyId = isAdmin && typeof extra.agency === 'string' && agencyList.some((a) => a.id === extra.agency) ? (extra.agency as string) : p.agencyId;
    const users = await this.users.list(p, { agencyId });
    const owners = new Map(users.map((u) => [u.id, u.name]));
    const keys = agencyId === p.agencyId ? await this.keys.list(p) : [];
    const grantable = ROLES.filter((r) => r !== 'admin' || isAdmin);
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
        otherAgency: agencyId !== p.agencyId,
        agencyChoices: agencyList.map((a) => ({ id: a.id, name: a.name, selected: a.id === agencyId })),
        users: users.map((u) => ({ ...u, roleLabels: u.roles.map(roleLabel).join(', '), created: shortDate(u.createdAt, tz) })),
        keys: keysView(keys, tz, owners),
        userRoleOptions: grantable.map((r, i) => ({ value: r, label: roleLabel(r), i, checked: userForm.roles.includes(r) })),
        keyRoleOptions: ROLES.map((r, i) => ({ value: r, label: roleLabel(r), i, checked: keyForm.roles.includes(r) })),
        keyOwners: users.map((u) => ({ id: u.id, name: `${u.name} (${u.email})`, selected: keyForm.userId === u.id })),
        agencies: agencyList,
        topics: isAdmin ? await this.topics.list() : [],
        jurisdictionTypes: JURISDICTION_TYPES,
        userForm,
        keyForm,
        agencyForm: extra.agencyForm ?? {},
        topicForm: extra.topicForm ?? {},
        ...extra,
      },
      status,
    );
  }

  private async userPage(p: Principal, req: Request, res: Response, id: string, extra: Record<string, unknown>, status = 200) {
    const user = await this.users.get(p, id);
    const model = await this.pages.model(p, req, `User: ${user.name}`, 'admin');
    this.views.send(
      res,
      'admin/user',
      { ...model, person: { ...user, roleLabels: (user.roles as Role[]).map(roleLabel).join(', '), created: shortDate(user.createdAt, model.user.timeZone) }, errors: {}, ...extra },
      status,
    );
  }
}
