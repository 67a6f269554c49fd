/** What a run reads back: delivery rows and their timings from PostgreSQL, the receiver's and SMTP sink's reports, CPU and RSS by process. */
import { Client } from 'pg';
import { GroupFigures, ProcSampler } from './proc';

export interface DeliveryCounts {
  total: number;
  delivered: number;
  failing: number;
}

export async function deliveryCounts(db: Client, noticeId: string): Promise<DeliveryCounts> {
  const r = await db.query(
    `SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'delivered')::int AS delivered,
            count(*) FILTER (WHERE status IN ('retrying','failed'))::int AS failing
       FROM deliveries WHERE notice_id = $1`,
    [noticeId],
  );
  return r.rows[0];
}

/** The fan-out's first page of rows appears at its commit: one row is enough to see it. */
export async function fanOutVisible(db: Client, noticeId: string): Promise<boolean> {
  const r = await db.query(`SELECT EXISTS (SELECT 1 FROM deliveries WHERE notice_id = $1) AS seen`, [noticeId]);
  return r.rows[0].seen === true;
}

export interface ReceiverReport {
  ids: string[];
  paths: string[];
  times: number[];
  distinct: number;
  firstBody?: string;
  sampled: number;
  verified: number;
  verifyFailures: string[];
}

export interface SmtpReport {
  recipients: string[];
  times: number[];
  firstRaw?: string;
  sampled: number;
  wellFormed: number;
  problems: string[];
  sessions: number;
  firstSubject?: string;
  other: number;
}

/** The machine's busy CPU seconds minus what the bench's own processes (and our PostgreSQL backends, NATS) used. */
export function othersCpu(sampler: ProcSampler, procs: Map<string, GroupFigures>): number {
  let ours = 0;
  for (const [k, v] of procs) if (k !== 'pg-other-dbs') ours += v.cpuSeconds;
  return Math.max(0, sampler.machineBusySeconds() - ours);
}

export function cpuMap(procs: Map<string, GroupFigures>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of procs) out[k] = v.cpuSeconds;
  return out;
}

export function rssMap(procs: Map<string, GroupFigures>): Record<string, { peakMb?: number; hwmMb?: number }> {
  const out: Record<string, { peakMb?: number; hwmMb?: number }> = {};
  for (const [k, v] of procs) if (v.peakRssMb !== undefined) out[k] = { peakMb: v.peakRssMb, hwmMb: v.hwmMb };
  return out;
}

export async function dbFigures(db: Client, noticeId: string) {
  const d = (
    await db.query(
      `SELECT count(*)::int AS deliveries, count(*) FILTER (WHERE status = 'delivered')::int AS delivered,
              count(*) FILTER (WHERE status IN ('retrying','failed'))::int AS failing,
              extract(epoch FROM min(created_at)) * 1000 AS created_min,
              extract(epoch FROM max(created_at)) * 1000 AS created_max,
              (SELECT extract(epoch FROM fanned_out_at) * 1000 FROM notices WHERE id = $1) AS fanned_out,
              extract(epoch FROM max(delivered_at)) * 1000 AS delivered_last
         FROM deliveries WHERE notice_id = $1`,
      [noticeId],
    )
  ).rows[0];
  const a = (
    await db.query(
      `SELECT count(*)::int AS attempts, count(*) FILTER (WHERE a.succeeded)::int AS succeeded,
              extract(epoch FROM min(a.started_at)) * 1000 AS first_started,
              avg(a.duration_ms) FILTER (WHERE a.succeeded) AS avg_ms,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY a.duration_ms) FILTER (WHERE a.succeeded) AS p99_ms
         FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE d.notice_id = $1`,
      [noticeId],
    )
  ).rows[0];
  const acks = (await db.query(`SELECT count(*)::int AS n FROM acknowledgments WHERE notice_id = $1`, [noticeId])).rows[0].n;
  const audit: { action: string; n: number }[] = (
    await db.query(
      `SELECT action, count(*)::int AS n FROM audit_events
        WHERE entity_type = 'delivery' AND entity_id IN (SELECT id::text FROM deliveries WHERE notice_id = $1)
        GROUP BY action`,
      [noticeId],
    )
  ).rows;
  const outbox = (
    await db.query(
      `SELECT extract(epoch FROM sent_at) * 1000 AS sent FROM outbox WHERE payload::text LIKE '%' || $1 || '%' AND payload::text LIKE '%notice.published%'`,
      [noticeId],
    )
  ).rows[0];
  const auditOther: Record<string, number> = {};
  for (const r of audit) if (r.action !== 'delivery.delivered') auditOther[r.action] = r.n;
  return {
    // A page's rows carry its transaction's start: the first page began, the last page began.
    createdMin: d.created_min !== null ? Number(d.created_min) : undefined,
    createdMax: d.created_max !== null ? Number(d.created_max) : undefined,
    fannedOut: d.fanned_out !== null ? Number(d.fanned_out) : undefined,
    deliveredLast: d.delivered_last !== null ? Number(d.delivered_last) : NaN,
    outboxSent: outbox?.sent != null ? Number(outbox.sent) : undefined,
    firstAttemptStarted: a.first_started !== null ? Number(a.first_started) : undefined,
    attemptAvgMs: a.avg_ms !== null ? Number(a.avg_ms) : NaN,
    attemptP99Ms: a.p99_ms !== null ? Number(a.p99_ms) : NaN,
    rows: {
      deliveries: d.deliveries,
      delivered: d.delivered,
      failing: d.failing,
      attempts: a.attempts,
      attemptsSucceeded: a.succeeded,
      acknowledgments: acks,
      auditDelivered: audit.find((r) => r.action === 'delivery.delivered')?.n ?? 0,
      auditOther,
    },
  };
}
