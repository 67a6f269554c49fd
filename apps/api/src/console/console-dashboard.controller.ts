import { Controller, Get, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, hasRole, Principal } from '../common/principal';
import { NoticesService } from '../notices/notices.service';
import { ListNoticesQuery } from '../notices/dto/notice.dto';
import { ReportsService } from '../reports/reports.service';
import { ResponseTimesRow } from '../reports/reports.dto';
import { ConsoleExceptionFilter } from './console.filter';
import { ConsolePages, requireRole } from './console-page';
import { ConsoleViews, label } from './console.views';
import { dateToIso, duration, shortDate, str } from './console-format';
import { overdueRecords } from '../reports/overdue-records';
import { DataSource } from 'typeorm';

const MATRIX_NOTICES = 8;
/** Overdue records per page of the dashboard's overdue table. */
export const OVERDUE_PAGE = 15;
const DAY = 86_400_000;

export interface Bar {
  label: string;
  y: number;
  width: number;
  p90x: number | null;
  value: string;
  p90: string;
  count: number;
}

/** Horizontal bars of the median time to acknowledge, with the 90th percentile as a tick. */
export function chart(rows: { label: string; median: number | null; p90: number | null; count: number }[]) {
  const withData = rows.filter((r) => r.median !== null);
  const max = Math.max(1, ...withData.map((r) => r.p90 ?? r.median ?? 0));
  const rowHeight = 34;
  const bars: Bar[] = withData.map((r, i) => ({
    label: r.label.length > 38 ? `${r.label.slice(0, 36).trimEnd()}…` : r.label,
    y: i * rowHeight + 8,
    width: Math.max(1, Math.round(((r.median ?? 0) / max) * 100 * 10) / 10),
    p90x: r.p90 === null ? null : Math.round((r.p90 / max) * 1000) / 10,
    value: duration(r.median),
    p90: duration(r.p90),
    count: r.count,
  }));
  return { bars, height: Math.max(1, bars.length) * rowHeight + 8, max: duration(max), empty: bars.length === 0 };
}

/**
 * The supervisor's dashboard: overdue acknowledgments first, then the agency × notice matrix
 * of recent notices, then time to acknowledge by agency and by jurisdiction type (with CSV
 * exports of each report straight from the API).
 */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console')
export class ConsoleDashboardController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly pages: ConsolePages,
    private readonly notices: NoticesService,
    private readonly reports: ReportsService,
    private readonly db: DataSource,
  ) {}

  /** One page of the overdue table (`?overduePage=2`), with links to the pages before and after that keep the other choices. */
  private async overduePage(p: Principal, q: Record<string, unknown>, includeOffboarded: boolean, tz: string) {
    const asked = Number.parseInt(str(q.overduePage), 10);
    const page = Number.isSafeInteger(asked) && asked > 1 ? Math.min(asked, 100_000) : 1;
    const { total, items } = await overdueRecords(this.db, p, { limit: OVERDUE_PAGE, offset: (page - 1) * OVERDUE_PAGE, includeOffboarded });
    const pages = Math.max(1, Math.ceil(total / OVERDUE_PAGE));
    const link = (n: number) => {
      const keep = new URLSearchParams();
      for (const k of ['from', 'to', 'includeOffboarded']) if (str(q[k])) keep.set(k, str(q[k]));
      keep.set('overduePage', String(n));
      return `/console/dashboard?${keep.toString()}#overdue-title`;
    };
    return {
      total,
      page,
      pages,
      first: total ? (page - 1) * OVERDUE_PAGE + 1 : 0,
      last: Math.min(total, page * OVERDUE_PAGE),
      prev: page > 1 ? link(Math.min(page - 1, pages)) : null,
      next: page < pages ? link(page + 1) : null,
      items: items.map((o) => ({
        ...o,
        what: o.what === 'acknowledgment' ? 'Acknowledgment' : 'Required actions',
        dueAtShort: shortDate(o.dueAt, tz),
        overdueBy: duration(o.overdueSeconds),
      })),
    };
  }

  @Get('dashboard')
  async dashboard(@CurrentPrincipal() p: Principal, @Query() q: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'supervisor', 'admin');
    const model = await this.pages.model(p, req, 'Supervisor dashboard', 'dashboard');
    const tz = model.user.timeZone;

    // The range of the response-time figures: the last 90 days unless chosen.
    const errors: Record<string, string> = {};
    const today = new Date();
    const defaultFrom = new Date(today.getTime() - 90 * DAY).toISOString().slice(0, 10);
    const defaultTo = today.toISOString().slice(0, 10);
    const fromText = str(q.from) || defaultFrom;
    const toText = str(q.to) || defaultTo;
    let from = dateToIso(fromText);
    let to = dateToIso(toText, true);
    if (!from) errors.from = 'Enter a date like 2026-03-06';
    if (!to) errors.to = 'Enter a date like 2026-03-06';
    if (from && to && from >= to) errors.to = 'The end date must be on or after the start date';
    if (from && to && new Date(to).getTime() - new Date(from).getTime() > 2 * 366 * DAY) errors.to = 'Choose a range of at most two years';
    if (Object.keys(errors).length) {
      from = dateToIso(defaultFrom);
      to = dateToIso(defaultTo, true);
    }

    // Recent notices of the caller's agency (every notice for partnership admins): the matrix.
    const recent = (
      await this.notices.list(p, { status: 'published', ...(hasRole(p, 'admin') ? {} : { agencyId: p.agencyId }), limit: MATRIX_NOTICES } as ListNoticesQuery)
    ).items;
    // Offboarded agencies leave the lists unless a partnership admin asks for them.
    const includeOffboarded = hasRole(p, 'admin') && q.includeOffboarded === 'true';
    const reports = (await Promise.all(recent.map((n) => this.reports.noticeReport(p, n.id)))).map((r) =>
      includeOffboarded ? r : { ...r, items: r.items.filter((i) => !i.agency.offboarded) },
    );
    const agencies = new Map<string, { id: string; name: string; type: string }>();
    for (const r of reports) for (const row of r.items) agencies.set(row.agency.id, { id: row.agency.id, name: row.agency.name, type: row.agency.jurisdictionType });
    const agencyList = [...agencies.values()].sort((a, b) => a.name.localeCompare(b.name));
    const matrix = agencyList.map((a) => ({
      agency: a,
      cells: reports.map((r) => {
        const row = r.items.find((i) => i.agency.id === a.id);
        if (!row) return { none: true };
        const state = row.overdue ? 'overdue' : row.actionsStatus === 'overdue' ? 'actions_overdue' : row.status;
        return { state, text: state === 'actions_overdue' ? 'Actions overdue' : label(state), late: row.late, noticeId: r.noticeId };
      }),
    }));

    // Overdue first: every overdue record on the agency's notices (all notices for partnership admins), paged.
    const overdue = await this.overduePage(p, q, includeOffboarded, tz);
    const compliance = await this.reports.overdue(p, { includeOffboarded });

    const byAgency = await this.reports.responseTimes(p, { from: from!, to: to!, groupBy: 'agency', includeOffboarded });
    const byType = await this.reports.responseTimes(p, { from: from!, to: to!, groupBy: 'jurisdictionType', includeOffboarded });
    const figures = (r: ResponseTimesRow, name: string) => ({
      label: name,
      median: r.timeToAcknowledge.medianSeconds,
      p90: r.timeToAcknowledge.p90Seconds,
      count: r.timeToAcknowledge.count,
    });
    const range = `from=${encodeURIComponent(from!)}&to=${encodeURIComponent(to!)}${includeOffboarded ? '&includeOffboarded=true' : ''}`;

    this.views.send(
      res,
      'dashboard',
      {
        ...model,
        tz,
        overdue,
        overdueRecords: overdue.items,
        compliance: compliance.items,
        // Whose records the compliance list covers, said above it.
        complianceScope: hasRole(p, 'admin') ? 'every agency of the partnership' : model.user.agencyName,
        complianceAll: hasRole(p, 'admin'),
        recent: reports.map((r) => ({
          id: r.noticeId,
          reference: r.reference,
          title: r.title,
          severity: r.severity,
          recipients: r.counts.recipients,
          acknowledged: r.counts.acknowledged + r.counts.action_completed + r.counts.action_not_required,
          overdue: r.counts.overdue,
          csv: `/api/v1/notices/${r.noticeId}/report?format=csv`,
        })),
        matrix,
        hasMatrix: matrix.length > 0,
        range: { from: errors.from ? str(q.from) : fromText, to: errors.to ? str(q.to) : toText },
        isAdmin: hasRole(p, 'admin'),
        includeOffboarded,
        errors,
        hasErrors: Object.keys(errors).length > 0,
        byAgency: byAgency.items.map((r) => ({ ...r, median: duration(r.timeToAcknowledge.medianSeconds), p90: duration(r.timeToAcknowledge.p90Seconds) })),
        byType: byType.items.map((r) => ({ ...r, label: label(r.jurisdictionType), median: duration(r.timeToAcknowledge.medianSeconds), p90: duration(r.timeToAcknowledge.p90Seconds) })),
        agencyChart: chart(byAgency.items.map((r) => figures(r, r.agency!.name))),
        typeChart: chart(byType.items.map((r) => figures(r, label(r.jurisdictionType)))),
        csv: {
          overdue: `/api/v1/reports/overdue?format=csv${includeOffboarded ? '&includeOffboarded=true' : ''}`,
          byAgency: `/api/v1/reports/response-times?${range}&groupBy=agency&format=csv`,
          byType: `/api/v1/reports/response-times?${range}&groupBy=jurisdictionType&format=csv`,
          agencyNotices: `/api/v1/agencies/${p.agencyId}/notices?format=csv`,
        },
      },
      Object.keys(errors).length ? 400 : 200,
    );
  }
}
