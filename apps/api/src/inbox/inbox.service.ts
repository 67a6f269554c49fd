import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EnquiriesContact, INBOX_STATES, inboxStateSql, InboxState } from '@sne/core';
import { Principal } from '../common/principal';
import { actionStates, ActionState, LATEST_ANSWERS_SQL, localTime } from '../tracking/tracking.service';

/** `owed` is what the agency still owes: pending and actions_owed together. */
export const INBOX_FILTERS = ['owed', 'pending', 'actions_owed', 'acknowledged', 'complete', 'closed'] as const;
export type InboxFilter = (typeof INBOX_FILTERS)[number];

export interface InboxItem {
  noticeId: string;
  reference: string | null;
  title: string;
  severity: string;
  category: string;
  noticeStatus: string;
  publishedAt: string | null;
  issuingAgency: { id: string; name: string };
  enquiries: EnquiriesContact | null;
  acknowledgmentId: string;
  status: string;
  state: InboxState;
  overdue: boolean;
  nextDeadline: string | null;
  nextDeadlineLocal: string | null;
  dueAt: string | null;
  actionsDueAt: string | null;
  acknowledgedAt: string | null;
  actions: ActionState[];
}

const STATE = inboxStateSql('a.status', 'n.category');

/**
 * The earliest due time of what the record still asks: its acknowledgment while pending; while
 * actions are owed, the earliest own due time of an action not yet answered (underway counts as
 * not answered), else the record's actionsDueAt. Null when nothing is owed.
 */
const NEXT_DEADLINE = `CASE ${STATE}
  WHEN 'pending' THEN a.due_at
  WHEN 'actions_owed' THEN (
    SELECT min(COALESCE(l.due_at, a.actions_due_at))
      FROM generate_series(0, greatest(cardinality(n.required_actions), 1) - 1) AS i
      LEFT JOIN LATERAL (SELECT p.response, p.due_at FROM action_responses p
                          WHERE p.acknowledgment_id = a.id AND p.action_index = i ORDER BY p.id DESC LIMIT 1) l ON true
     WHERE l.response IS NULL OR l.response = 'underway')
  END`;

/** An agency's inbox: every notice it received, what it still owes on each, and by when. */
@Injectable()
export class InboxService {
  constructor(private readonly db: DataSource) {}

  async inbox(p: Principal, q: { state?: InboxFilter; limit?: number; offset?: number }) {
    const [agency] = await this.db.query(`SELECT id, name, time_zone FROM agencies WHERE id = $1`, [p.agencyId]);
    const states = q.state === 'owed' ? ['pending', 'actions_owed'] : q.state ? [q.state] : null;
    const limit = q.limit ?? 25;
    const offset = q.offset ?? 0;
    const rows: any[] = await this.db.query(
      `SELECT * FROM (
         SELECT a.id AS ack_id, a.status, a.due_at, a.actions_due_at, a.acknowledged_at, ${STATE} AS state, ${NEXT_DEADLINE} AS next_deadline,
                n.id AS notice_id, n.reference, n.title, n.severity, n.category, n.status AS notice_status, n.published_at,
                n.required_actions, n.enquiries, g.id AS issuer_id, g.name AS issuer_name, ${LATEST_ANSWERS_SQL} AS answers
           FROM acknowledgments a JOIN notices n ON n.id = a.notice_id JOIN agencies g ON g.id = n.issuing_agency_id
          WHERE a.agency_id = $1) r
        WHERE ($2::text[] IS NULL OR r.state = ANY($2::text[]))
        ORDER BY r.next_deadline ASC NULLS LAST, r.published_at DESC NULLS LAST, r.ack_id
        LIMIT $3 OFFSET $4`,
      [p.agencyId, states, limit, offset],
    );
    const counts: { state: InboxState; n: number }[] = await this.db.query(
      `SELECT ${STATE} AS state, count(*)::int AS n FROM acknowledgments a JOIN notices n ON n.id = a.notice_id WHERE a.agency_id = $1 GROUP BY 1`,
      [p.agencyId],
    );
    const byState = Object.fromEntries(INBOX_STATES.map((s) => [s, counts.find((c) => c.state === s)?.n ?? 0])) as Record<InboxState, number>;
    const all = INBOX_STATES.reduce((sum, s) => sum + byState[s], 0);
    const total = states ? states.reduce((sum, s) => sum + byState[s as InboxState], 0) : all;
    const tz = agency.time_zone;
    const now = Date.now();
    const items: InboxItem[] = rows.map((r) => ({
      noticeId: r.notice_id,
      reference: r.reference,
      title: r.title,
      severity: r.severity,
      category: r.category,
      noticeStatus: r.notice_status,
      publishedAt: r.published_at?.toISOString() ?? null,
      issuingAgency: { id: r.issuer_id, name: r.issuer_name },
      enquiries: r.enquiries ?? null,
      acknowledgmentId: r.ack_id,
      status: r.status,
      state: r.state,
      overdue: !!r.next_deadline && r.next_deadline.getTime() < now,
      nextDeadline: r.next_deadline?.toISOString() ?? null,
      nextDeadlineLocal: localTime(r.next_deadline, tz),
      dueAt: r.due_at?.toISOString() ?? null,
      actionsDueAt: r.actions_due_at?.toISOString() ?? null,
      acknowledgedAt: r.acknowledged_at?.toISOString() ?? null,
      actions: actionStates({ category: r.category, requiredActions: r.required_actions }, r.answers, r.actions_due_at, tz),
    }));
    return {
      agency: { id: agency.id, name: agency.name, timeZone: tz },
      counts: { ...byState, owed: byState.pending + byState.actions_owed, all } as Record<InboxFilter | 'all', number>,
      total,
      limit,
      offset,
      items,
    };
  }

  /** The people of the caller's agency an action can be assigned to. */
  async colleagues(p: Principal): Promise<{ items: { id: string; name: string }[] }> {
    const items = await this.db.query(
      `SELECT id, name FROM users WHERE agency_id = $1 AND kind = 'person' AND disabled_at IS NULL ORDER BY name, id`,
      [p.agencyId],
    );
    return { items };
  }
}
