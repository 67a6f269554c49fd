import { DataSource } from 'typeorm';
import { hasRole, Principal } from '../common/principal';
import { iso } from './report-format';
import { OverdueRecordsPage } from './overdue-records.dto';

const DUE = `CASE WHEN a.status = 'pending' THEN a.due_at ELSE a.actions_due_at END`;
/** $1: the issuing agency (null: every notice); $2: offboarded agencies too. */
const OVERDUE_FROM = `
  FROM acknowledgments a JOIN notices n ON n.id = a.notice_id JOIN agencies g ON g.id = a.agency_id
 WHERE ((a.status = 'pending' AND a.due_at < now()) OR (a.status = 'acknowledged' AND a.actions_due_at < now()))
   AND ($1::uuid IS NULL OR n.issuing_agency_id = $1) AND ($2 OR g.offboarded_at IS NULL)`;

/**
 * Every open overdue record on the notices the caller's agency issued (every notice for a
 * partnership admin), the longest overdue first, one page at a time. Offboarded agencies are
 * left out unless a partnership admin asks for them.
 */
export async function overdueRecords(
  db: DataSource,
  p: Principal,
  opts: { limit: number; offset: number; includeOffboarded?: boolean },
): Promise<OverdueRecordsPage> {
  const issuer = hasRole(p, 'admin') ? null : p.agencyId;
  const withOffboarded = hasRole(p, 'admin') && opts.includeOffboarded === true;
  const params = [issuer, withOffboarded];
  const [{ total }] = await db.query(`SELECT count(*)::int AS total ${OVERDUE_FROM}`, params);
  const rows: any[] = await db.query(
    `SELECT n.id AS notice_id, n.reference, n.title, n.severity, g.id AS agency_id, g.name AS agency_name,
            CASE WHEN a.status = 'pending' THEN 'acknowledgment' ELSE 'actions' END AS what, ${DUE} AS due_at,
            extract(epoch FROM now() - ${DUE})::float8 AS overdue_seconds
       ${OVERDUE_FROM}
      ORDER BY ${DUE}, n.reference, g.name, g.id
      LIMIT $3 OFFSET $4`,
    [...params, opts.limit, opts.offset],
  );
  return {
    total,
    limit: opts.limit,
    offset: opts.offset,
    items: rows.map((r) => ({
      noticeId: r.notice_id,
      reference: r.reference,
      title: r.title,
      severity: r.severity,
      agency: { id: r.agency_id, name: r.agency_name },
      what: r.what,
      dueAt: iso(r.due_at)!,
      overdueSeconds: Math.max(0, Math.round(r.overdue_seconds)),
    })),
  };
}
