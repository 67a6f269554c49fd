import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { hasRole, Principal } from '../common/principal';
import { NoticesService } from '../notices/notices.service';
import { iso, localTime, seconds } from './report-format';
import {
  AgencyNoticeRow,
  AgencyNoticesQuery,
  AgencyNoticesReport,
  GroupBy,
  NoticeReport,
  NoticeReportRow,
  OverdueLine,
  OverdueReport,
  ReportAgency,
  ResponseTimesQuery,
  ResponseTimesReport,
  ResponseTimesRow,
  TimingStats,
} from './reports.dto';

/**
 * What a record asks of its agency's actions: none (no action required: not an alert), open,
 * overdue (past actions_due_at, not yet answered), completed, not_required (every action answered
 * "not applicable"), closed (superseded or cancelled before the actions were answered).
 */
const ACTIONS_STATUS = `
  CASE WHEN a.status = 'action_completed' THEN 'completed'
       WHEN a.status = 'action_not_required' THEN 'not_required'
       WHEN a.actions_due_at IS NULL THEN 'none'
       WHEN a.status IN ('superseded','cancelled') THEN 'closed'
       WHEN a.actions_due_at < now() THEN 'overdue'
       ELSE 'open' END`;

const RECORD_COLUMNS = `
  a.id AS ack_id, a.status, a.due_at, a.acknowledged_at, a.late, a.actions_due_at, a.actions_completed_at, a.actions_late, a.closed_at,
  (a.status = 'pending' AND a.due_at IS NOT NULL AND a.due_at < now()) AS overdue,
  CASE WHEN a.acknowledged_at IS NOT NULL AND a.due_at IS NOT NULL
       THEN greatest(0, extract(epoch FROM a.acknowledged_at - a.due_at))::float8 END AS late_seconds,
  extract(epoch FROM a.acknowledged_at - n.published_at)::float8 AS seconds_to_ack,
  ${ACTIONS_STATUS} AS actions_status,
  a.acknowledged_by_name, a.acknowledged_by_email, a.channel AS ack_channel, r.reach, r.held`;

/**
 * The record's reach (see REACH_STATUSES) over its notice's messages to the agency, reminders
 * aside. Joined LATERAL on (notice, agency), which the deliveries' notice index serves.
 */
const REACH = `
  LEFT JOIN LATERAL (
    SELECT CASE WHEN bool_or(d.status = 'delivered') THEN 'delivered'
                WHEN bool_or(d.status IN ('pending','sending','retrying')) THEN 'in_progress'
                WHEN bool_or(d.status = 'held') THEN 'held'
                WHEN bool_or(d.status = 'failed') THEN 'failed'
                ELSE 'none' END AS reach,
           COALESCE(bool_or(d.status = 'held'), false) AS held
      FROM deliveries d WHERE d.notice_id = a.notice_id AND d.agency_id = a.agency_id AND d.sequence = 0) r ON true`;

const reachOf = (r: any) => ({
  acknowledgedBy: r.acknowledged_at ? { name: r.acknowledged_by_name, email: r.acknowledged_by_email, channel: r.ack_channel } : null,
  reach: r.reach,
  held: r.held,
});

/** Median and 90th percentile (continuous, as PostgreSQL's percentile_cont) of a seconds column. */
const timing = (col: string, as: string) => `
  count(${col})::int AS ${as}_count,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY ${col}) AS ${as}_median,
  percentile_cont(0.9) WITHIN GROUP (ORDER BY ${col}) AS ${as}_p90`;

const toTiming = (r: any, as: string): TimingStats => ({
  count: r[`${as}_count`],
  medianSeconds: seconds(r[`${as}_median`]),
  p90Seconds: seconds(r[`${as}_p90`]),
});

const MAX_RANGE_YEARS = 2;

/** Reports over the acknowledgment records; read-only, every one scoped to what the caller may see. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly db: DataSource,
    private readonly notices: NoticesService,
  ) {}

  /** One notice: counts by state, the agency × state matrix and time to acknowledge. Non-issuers: their own row only. */
  async noticeReport(p: Principal, noticeId: string): Promise<NoticeReport> {
    const notice = await this.notices.findVisible(this.db.manager, p, noticeId);
    const all = this.notices.seesAllRecipients(p, notice);
    const onlyAgency = all ? null : p.agencyId;
    // One snapshot and one now() for the rows and the figures, so they always agree.
    const { rows, agg } = await this.db.transaction('REPEATABLE READ', async (m) => {
      const rows: any[] = await m.query(
        `SELECT ${RECORD_COLUMNS}, g.id AS agency_id, g.name AS agency_name, g.jurisdiction_type, g.jurisdiction_code, g.time_zone,
                g.offboarded_at IS NOT NULL AS offboarded
           FROM acknowledgments a JOIN agencies g ON g.id = a.agency_id JOIN notices n ON n.id = a.notice_id ${REACH}
          WHERE a.notice_id = $1 AND ($2::uuid IS NULL OR a.agency_id = $2)
          ORDER BY g.name, g.id`,
        [noticeId, onlyAgency],
      );
      const [agg] = await m.query(
        `SELECT count(*)::int AS recipients,
                count(*) FILTER (WHERE a.status = 'pending')::int AS pending,
                count(*) FILTER (WHERE a.status = 'pending' AND a.due_at < now())::int AS overdue,
                count(*) FILTER (WHERE a.status = 'acknowledged')::int AS acknowledged,
                count(*) FILTER (WHERE a.status = 'action_completed')::int AS action_completed,
                count(*) FILTER (WHERE a.status = 'action_not_required')::int AS action_not_required,
                count(*) FILTER (WHERE a.status = 'superseded')::int AS superseded,
                count(*) FILTER (WHERE a.status = 'cancelled')::int AS cancelled,
                ${timing('extract(epoch FROM a.acknowledged_at - n.published_at)::float8', 'ack')}
           FROM acknowledgments a JOIN notices n ON n.id = a.notice_id
          WHERE a.notice_id = $1 AND ($2::uuid IS NULL OR a.agency_id = $2)`,
        [noticeId, onlyAgency],
      );
      return { rows, agg };
    });
    const items: NoticeReportRow[] = rows.map((r) => {
      const tz = r.time_zone;
      return {
        agency: agencyOf(r),
        acknowledgmentId: r.ack_id,
        status: r.status,
        overdue: r.overdue,
        dueAt: iso(r.due_at),
        dueAtLocal: localTime(r.due_at, tz),
        acknowledgedAt: iso(r.acknowledged_at),
        acknowledgedAtLocal: localTime(r.acknowledged_at, tz),
        late: r.late,
        lateSeconds: seconds(r.late_seconds),
        secondsToAcknowledge: seconds(r.seconds_to_ack),
        actionsStatus: r.actions_status,
        actionsDueAt: iso(r.actions_due_at),
        actionsDueAtLocal: localTime(r.actions_due_at, tz),
        actionsCompletedAt: iso(r.actions_completed_at),
        actionsLate: r.actions_late,
        closedAt: iso(r.closed_at),
        ...reachOf(r),
      };
    });
    return {
      noticeId,
      reference: notice.reference,
      title: notice.title,
      severity: notice.severity,
      category: notice.category,
      status: notice.status,
      publishedAt: iso(notice.publishedAt),
      scope: all ? 'all' : 'own',
      counts: {
        recipients: agg.recipients,
        pending: agg.pending,
        overdue: agg.overdue,
        acknowledged: agg.acknowledged,
        action_completed: agg.action_completed,
        action_not_required: agg.action_not_required,
        superseded: agg.superseded,
        cancelled: agg.cancelled,
        held: items.filter((i) => i.held).length,
        notReached: items.filter((i) => i.reach !== 'delivered').length,
      },
      timeToAcknowledge: toTiming(agg, 'ack'),
      items,
    };
  }

  /** Every notice an agency received (has a record for), newest first. The agency itself or a partnership admin; others 404. */
  async agencyNotices(p: Principal, agencyId: string, q: AgencyNoticesQuery): Promise<AgencyNoticesReport> {
    if (agencyId !== p.agencyId && !hasRole(p, 'admin')) throw new NotFoundException('agency not found');
    const [agency] = await this.db.query(
      `SELECT id AS agency_id, name AS agency_name, jurisdiction_type, jurisdiction_code, time_zone, offboarded_at IS NOT NULL AS offboarded
         FROM agencies WHERE id = $1`,
      [agencyId],
    );
    if (!agency) throw new NotFoundException('agency not found');
    const rows: any[] = await this.db.query(
      `SELECT ${RECORD_COLUMNS}, n.id AS notice_id, n.reference, n.title, n.severity, n.category, n.status AS notice_status, n.published_at
         FROM acknowledgments a JOIN notices n ON n.id = a.notice_id ${REACH}
        WHERE a.agency_id = $1 AND ($2::text IS NULL OR a.status = $2)
        ORDER BY n.published_at DESC NULLS LAST, n.reference DESC, a.id`,
      [agencyId, q.status ?? null],
    );
    const tz = agency.time_zone;
    const items: AgencyNoticeRow[] = rows.map((r) => ({
      noticeId: r.notice_id,
      reference: r.reference,
      title: r.title,
      severity: r.severity,
      category: r.category,
      noticeStatus: r.notice_status,
      publishedAt: iso(r.published_at),
      acknowledgmentId: r.ack_id,
      status: r.status,
      overdue: r.overdue,
      dueAt: iso(r.due_at),
      dueAtLocal: localTime(r.due_at, tz),
      acknowledgedAt: iso(r.acknowledged_at),
      late: r.late,
      lateSeconds: seconds(r.late_seconds),
      actionsStatus: r.actions_status,
      actionsDueAt: iso(r.actions_due_at),
      actionsDueAtLocal: localTime(r.actions_due_at, tz),
      actionsCompletedAt: iso(r.actions_completed_at),
      actionsLate: r.actions_late,
      ...reachOf(r),
    }));
    return { agency: agencyOf(agency), items };
  }

  /**
   * The compliance list: agencies with open overdue records (pending past the due time, or
   * acknowledged with actions past their due time), the longest overdue first. Admins see every
   * agency; a supervisor only their own agency's line. Offboarded agencies: see withOffboarded.
   */
  async overdue(p: Principal, opts: { includeOffboarded?: boolean } = {}): Promise<OverdueReport> {
    const onlyAgency = hasRole(p, 'admin') ? null : p.agencyId;
    const rows: any[] = await this.db.query(
      `WITH o AS (
         SELECT a.agency_id, n.reference,
                CASE WHEN a.status = 'pending' THEN a.due_at ELSE a.actions_due_at END AS overdue_since,
                a.status = 'pending' AS unacknowledged
           FROM acknowledgments a JOIN notices n ON n.id = a.notice_id
          WHERE ((a.status = 'pending' AND a.due_at < now()) OR (a.status = 'acknowledged' AND a.actions_due_at < now()))
            AND ($1::uuid IS NULL OR a.agency_id = $1))
       SELECT g.id AS agency_id, g.name AS agency_name, g.jurisdiction_type, g.jurisdiction_code, g.time_zone, g.offboarded_at IS NOT NULL AS offboarded,
              count(*)::int AS overdue_notices,
              count(*) FILTER (WHERE o.unacknowledged)::int AS overdue_acknowledgments,
              count(*) FILTER (WHERE NOT o.unacknowledged)::int AS overdue_actions,
              min(o.overdue_since) AS oldest_due_at,
              array_agg(o.reference ORDER BY o.overdue_since, o.reference) AS refs,
              now() AS as_of
         FROM o JOIN agencies g ON g.id = o.agency_id
        WHERE $2 OR g.offboarded_at IS NULL
        GROUP BY g.id
        ORDER BY oldest_due_at, g.name, g.id`,
      [onlyAgency, withOffboarded(p, opts)],
    );
    const items: OverdueLine[] = rows.map((r) => ({
      agency: agencyOf(r),
      overdueNotices: r.overdue_notices,
      overdueAcknowledgments: r.overdue_acknowledgments,
      overdueActions: r.overdue_actions,
      oldestDueAt: r.oldest_due_at.toISOString(),
      oldestDueAtLocal: localTime(r.oldest_due_at, r.time_zone)!,
      references: r.refs,
    }));
    return { asOf: (rows[0]?.as_of ?? new Date()).toISOString(), items };
  }

  /**
   * The partnership's benchmark over notices published in [from, to): aggregated figures per
   * agency or per jurisdiction type, never another agency's notice list.
   */
  async responseTimes(p: Principal, q: ResponseTimesQuery): Promise<ResponseTimesReport> {
    const from = new Date(q.from);
    const to = new Date(q.to);
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw new BadRequestException('from and to must be valid times');
    if (from >= to) throw new BadRequestException('from must be before to');
    const limit = new Date(from);
    limit.setUTCFullYear(limit.getUTCFullYear() + MAX_RANGE_YEARS);
    if (to > limit) throw new BadRequestException(`the range from..to may span at most ${MAX_RANGE_YEARS} years`);
    const groupBy: GroupBy = q.groupBy ?? 'agency';
    const [select, group, order] =
      groupBy === 'agency'
        ? ['r.agency_id, r.agency_name, r.jurisdiction_type, r.jurisdiction_code, r.offboarded', 'r.agency_id, r.agency_name, r.jurisdiction_type, r.jurisdiction_code, r.offboarded', 'r.agency_name, r.agency_id']
        : ['r.jurisdiction_type, count(DISTINCT r.agency_id)::int AS agencies', 'r.jurisdiction_type', 'r.jurisdiction_type'];
    const rows: any[] = await this.db.query(
      `WITH r AS (
         SELECT a.*, g.name AS agency_name, g.jurisdiction_type, g.jurisdiction_code, g.offboarded_at IS NOT NULL AS offboarded,
                extract(epoch FROM a.acknowledged_at - n.published_at)::float8 AS ack_s,
                extract(epoch FROM a.actions_completed_at - n.published_at)::float8 AS act_s
           FROM acknowledgments a JOIN notices n ON n.id = a.notice_id JOIN agencies g ON g.id = a.agency_id
          WHERE n.published_at >= $1 AND n.published_at < $2 AND ($3 OR g.offboarded_at IS NULL))
       SELECT ${select},
              count(*)::int AS received,
              count(r.acknowledged_at)::int AS acknowledged,
              count(*) FILTER (WHERE r.late)::int AS late,
              count(*) FILTER (WHERE r.status = 'pending' AND r.due_at < now())::int AS overdue,
              count(*) FILTER (WHERE r.actions_late)::int AS actions_late,
              ${timing('r.ack_s', 'ack')},
              ${timing('r.act_s', 'act')}
         FROM r GROUP BY ${group} ORDER BY ${order}`,
      [from, to, withOffboarded(p, q)],
    );
    const items: ResponseTimesRow[] = rows.map((r) => ({
      ...(groupBy === 'agency'
        ? { agency: { id: r.agency_id, name: r.agency_name, jurisdictionType: r.jurisdiction_type, jurisdictionCode: r.jurisdiction_code, offboarded: r.offboarded } }
        : { jurisdictionType: r.jurisdiction_type, agencies: r.agencies }),
      received: r.received,
      acknowledged: r.acknowledged,
      late: r.late,
      overdue: r.overdue,
      timeToAcknowledge: toTiming(r, 'ack'),
      timeToCompleteActions: toTiming(r, 'act'),
      actionsLate: r.actions_late,
    }));
    return { from: from.toISOString(), to: to.toISOString(), groupBy, items };
  }
}

/** Offboarded agencies leave the reports' lists unless a partnership admin asks for them. */
function withOffboarded(p: Principal, opts: { includeOffboarded?: boolean }): boolean {
  return hasRole(p, 'admin') && opts.includeOffboarded === true;
}

function agencyOf(r: any): ReportAgency {
  return { id: r.agency_id, name: r.agency_name, jurisdictionType: r.jurisdiction_type, jurisdictionCode: r.jurisdiction_code, timeZone: r.time_zone, offboarded: r.offboarded };
}
