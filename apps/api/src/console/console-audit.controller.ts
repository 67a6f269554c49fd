import { Controller, Get, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, hasRole, Principal } from '../common/principal';
import { pageRequest, pagerView } from '../common/paging';
import { AuditQuery } from '../audit/audit.controller';
import { AuditFilters, AuditRow, AuditSearchService } from '../audit/audit-search.service';
import { ConsoleExceptionFilter } from './console.filter';
import { ConsolePages, requireRole } from './console-page';
import { ConsoleViews, label } from './console.views';
import { localToIso, shortDate, str } from './console-format';
import { errorList, FieldErrors, validateAs } from './console-forms';

const OBJECT_TYPES = ['agency', 'user', 'api_key', 'session', 'topic', 'notice', 'acknowledgment', 'subscription', 'delivery'];
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The audit log in the console: every event for partnership admins, and for an agency admin
 * only their agency's events (AuditSearchService scopes every query), searched by object, actor,
 * event type and dates (days in the viewer's time zone), paged, each event linked to its object's
 * page, with the state of the hash chain (the same walk as `npm run audit:verify`).
 */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console/admin/audit')
export class ConsoleAuditController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly pages: ConsolePages,
    private readonly audit: AuditSearchService,
  ) {}

  @Get()
  async list(@CurrentPrincipal() p: Principal, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin', 'admin');
    const isAdmin = hasRole(p, 'admin');
    const model = await this.pages.model(p, req, isAdmin ? 'Audit log' : `Audit log of ${(await this.pages.user(p)).agencyName}`, 'admin');
    const tz = model.user.timeZone;
    const form = {
      entityType: str(req.query.entityType).trim(),
      entityId: str(req.query.entityId).trim(),
      action: str(req.query.action).trim(),
      actor: str(req.query.actor).trim(),
      from: str(req.query.from).trim(),
      to: str(req.query.to).trim(),
    };
    const { filters, errors } = await this.read(form, tz);
    const failed = Object.keys(errors).length > 0;
    const paged = failed ? { items: [], total: 0, page: 1, perPage: 50 } : await this.audit.page(p, filters, pageRequest(req.query, 50));
    const { at: checkedAt, report: chain } = await this.audit.chainStatus(str(req.query.verify) === 'now');
    this.views.send(
      res,
      'admin/audit',
      {
        ...model,
        isAdmin,
        form,
        errors,
        errorList: errorList(errors, { entityType: 'audit-type', entityId: 'audit-object', action: 'audit-action', actor: 'audit-actor', from: 'audit-from', to: 'audit-to' }),
        objectTypes: OBJECT_TYPES.map((t) => ({ value: t, label: label(t), selected: t === form.entityType })),
        actions: (await this.audit.actions(p)).map((a) => ({ value: a, selected: a === form.action })),
        filtered: Object.values(form).some(Boolean),
        events: paged.items.map((e) => eventView(e, p, isAdmin, tz)),
        pager: pagerView('/console/admin/audit', { ...req.query, verify: undefined }, paged, 'Pages of audit events'),
        chain: {
          ok: chain.ok,
          checked: chain.checked,
          head: chain.head,
          // Where it breaks names an event, which may be another agency's: partnership admins only.
          broken: isAdmin ? chain.firstBroken : undefined,
          unsealed: chain.unsealed?.count ?? 0,
          lagging: !!chain.unsealed?.lagging,
          checkedAt: shortDate(checkedAt, tz),
          again: `/console/admin/audit?${new URLSearchParams([...Object.entries(form).filter(([, v]) => v), ['verify', 'now']])}`,
        },
        timeZone: tz,
      },
      failed ? 400 : 200,
    );
  }

  /** The form's values as filters, checked with the API's own rules; days are read in the viewer's zone. */
  private async read(form: Record<string, string>, tz: string): Promise<{ filters: AuditFilters; errors: FieldErrors }> {
    const plain = Object.fromEntries(['entityType', 'entityId', 'action', 'actor'].filter((k) => form[k]).map((k) => [k, form[k]]));
    const errors = await validateAs(AuditQuery, plain, {
      entityType: 'Choose a kind of object from the list',
      entityId: 'An object id is at most 200 characters',
      action: 'Choose an event type from the list',
      actor: 'The actor is at most 200 characters',
    });
    const day = (value: string, field: 'from' | 'to') => {
      if (!value) return undefined;
      const m = DAY.exec(value);
      // "to" includes its whole day: events before the start of the next one.
      const start = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3] + (field === 'to' ? 1 : 0))) : null;
      const iso = start && !Number.isNaN(start.getTime()) ? localToIso(`${start.toISOString().slice(0, 10)}T00:00`, tz) : null;
      if (!iso) errors[field] = 'Enter a date like 2026-03-06';
      return iso ?? undefined;
    };
    const from = day(form.from, 'from');
    const to = day(form.to, 'to');
    if (from && to && from >= to) errors.to = 'The end date must be on or after the start date';
    return { filters: { ...plain, from, to }, errors };
  }
}

/** One event for the table: who, what, on which object (linked to its page when the viewer has one). */
function eventView(e: AuditRow, p: Principal, isAdmin: boolean, tz: string) {
  const own = e.agencyId === p.agencyId;
  const pages: Record<string, string | null> = {
    agency: isAdmin || e.entityId === p.agencyId ? `/console/admin/agencies/${e.entityId}` : null,
    user: isAdmin || own ? `/console/admin/users/${e.entityId}` : null,
    topic: isAdmin ? `/console/admin/topics/${encodeURIComponent(e.entityId)}` : null,
    notice: `/console/notices/${e.entityId}`,
    subscription: own && hasRole(p, 'agency_admin') ? `/console/subscriptions/${e.entityId}` : null,
    api_key: e.ownerId && (isAdmin || own) ? `/console/admin/users/${e.ownerId}` : null,
    session: e.ownerId && (isAdmin || own) ? `/console/admin/users/${e.ownerId}` : null,
    acknowledgment: e.noticeId ? `/console/notices/${e.noticeId}` : null,
    delivery: e.noticeId ? `/console/notices/${e.noticeId}` : null,
  };
  const history = `/console/admin/audit?${new URLSearchParams({ entityType: e.entityType, entityId: e.entityId })}`;
  return {
    id: e.id,
    at: shortDate(e.at, tz),
    actor: e.actorName ?? (e.actorType === 'user' ? 'A user' : e.actorId ?? label(e.actorType)),
    actorKind: e.actorType === 'user' ? null : label(e.actorType),
    action: e.action,
    objectType: label(e.entityType),
    objectId: e.entityId,
    objectPage: pages[e.entityType] ?? null,
    history,
    agencyName: e.agencyName,
    changes: e.before != null || e.after != null ? JSON.stringify({ before: e.before ?? undefined, after: e.after ?? undefined }, null, 1) : null,
  };
}
