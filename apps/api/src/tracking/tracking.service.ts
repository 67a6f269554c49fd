import { Injectable, NotFoundException } from '@nestjs/common';
import { ACK_STATUSES, AckStatus, Category, requiredActionsOf } from '@sne/core';
import { DataSource } from 'typeorm';
import { hasRole, Principal } from '../common/principal';
import { NoticesService } from '../notices/notices.service';
import { maskDelivery, maskText, seesFullTarget } from './delivery-redaction';

export interface RecipientRow {
  agency: { id: string; name: string; jurisdictionType: string; jurisdictionCode: string };
  acknowledgmentId: string;
  status: AckStatus;
  overdue: boolean;
  dueAtLocal: string | null;
  actionsDueAt: string | null;
  actionsDueAtLocal: string | null;
  actionsOverdue: boolean;
  actionsCompletedAt: string | null;
  actionsLate: boolean | null;
  actions: ActionState[];
  /** The agency's contacts, for whoever must chase it: the issuing agency and partnership admins only (null for others). */
  contacts: { noticesContact: string; escalationContacts: string[]; fallbackContacts: string[] } | null;
  closedReason: string | null;
  dueAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: { name: string | null; email: string | null } | null;
  channel: string | null;
  late: boolean | null;
  /** Every message to the agency about this notice; `held` ones wait for a paused or disabled subscription (subscriptionStatus says which). */
  deliveries: {
    id: string;
    channel: string;
    eventType: string;
    mandatory: boolean;
    fallback: boolean;
    fallbackReason: string | null;
    status: string;
    subscriptionId: string | null;
    subscriptionStatus: string | null;
    attemptCount: number;
    deliveredAt: string | null;
    lastError: string | null;
  }[];
}

/** One required action of one record: its state, who has it, and when it is due. */
export interface ActionState {
  index: number;
  text: string;
  latest: { action: number; response: string; note: string | null; name: string; at: string; assignee: { id: string; name: string } | null; dueAt: string | null } | null;
  /** open (no answer yet), underway, done or not_applicable. */
  state: 'open' | 'underway' | 'done' | 'not_applicable';
  assignee: { id: string; name: string } | null;
  /** The agency's own due time for this action if it set one, else the record's actionsDueAt. */
  dueAt: string | null;
  dueAtLocal: string | null;
}

/** The required actions of a record as the views show them (the supervisor view, the agency's inbox). */
export function actionStates(notice: { category: Category; requiredActions: string[] }, answers: ActionState['latest'][], actionsDueAt: Date | null, timeZone: string): ActionState[] {
  return requiredActionsOf(notice).map((text, index) => {
    const latest = answers.find((x) => x?.action === index) ?? null;
    const due = latest?.dueAt ? new Date(latest.dueAt) : actionsDueAt;
    return {
      index,
      text,
      latest,
      state: (latest?.response as ActionState['state']) ?? 'open',
      assignee: latest?.assignee ?? null,
      dueAt: due?.toISOString() ?? null,
      dueAtLocal: localTime(due, timeZone),
    };
  });
}

/** The latest answer to each action of the record `a`, as JSON (for the views' SQL). */
export const LATEST_ANSWERS_SQL = `COALESCE((SELECT json_agg(json_build_object('action', r.action_index, 'response', r.response, 'note', r.note,
                          'name', r.responded_by_name, 'at', r.at, 'dueAt', r.due_at,
                          'assignee', CASE WHEN u.id IS NULL THEN NULL ELSE json_build_object('id', u.id, 'name', u.name) END) ORDER BY r.action_index)
                        FROM (SELECT DISTINCT ON (action_index) * FROM action_responses
                               WHERE acknowledgment_id = a.id ORDER BY action_index, id DESC) r
                        LEFT JOIN users u ON u.id = r.assignee_user_id), '[]')`;

/** The supervisor's view of a notice: every recipient agency, its acknowledgment and each channel's delivery. */
@Injectable()
export class TrackingService {
  constructor(
    private readonly db: DataSource,
    private readonly notices: NoticesService,
  ) {}

  async recipients(p: Principal, noticeId: string) {
    const notice = await this.notices.findVisible(this.db.manager, p, noticeId);
    const onlyAgency = this.notices.seesAllRecipients(p, notice) ? null : p.agencyId;
    const rows: any[] = await this.db.query(
      `SELECT a.id, a.status, a.due_at, a.acknowledged_at, a.acknowledged_by_name, a.acknowledged_by_email, a.channel, a.late,
              (a.status = 'pending' AND a.due_at IS NOT NULL AND a.due_at < now()) AS overdue,
              (a.status = 'acknowledged' AND a.actions_due_at IS NOT NULL AND a.actions_due_at < now()) AS actions_overdue,
              a.actions_due_at, a.actions_completed_at, a.actions_late, a.closed_reason, g.time_zone,
              ${LATEST_ANSWERS_SQL} AS answers,
              g.notices_contact_email, g.escalation_contacts, g.fallback_contacts,
              g.id AS agency_id, g.name AS agency_name, g.jurisdiction_type, g.jurisdiction_code,
              COALESCE((SELECT json_agg(json_build_object('id', d.id, 'channel', d.channel, 'eventType', d.event_type,
                          'mandatory', d.mandatory, 'fallback', d.fallback, 'fallbackReason', d.fallback_reason, 'status', d.status,
                          'subscriptionId', d.subscription_id, 'subscriptionStatus', s.status, 'attemptCount', d.attempt_count,
                          'deliveredAt', d.delivered_at, 'lastError', d.last_error) ORDER BY d.created_at)
                        FROM deliveries d LEFT JOIN subscriptions s ON s.id = d.subscription_id
                       WHERE d.acknowledgment_id = a.id), '[]') AS deliveries
         FROM acknowledgments a JOIN agencies g ON g.id = a.agency_id
        WHERE a.notice_id = $1 AND ($2::uuid IS NULL OR a.agency_id = $2)
        ORDER BY g.name`,
      [noticeId, onlyAgency],
    );
    const items: RecipientRow[] = rows.map((r) => ({
      agency: { id: r.agency_id, name: r.agency_name, jurisdictionType: r.jurisdiction_type, jurisdictionCode: r.jurisdiction_code },
      acknowledgmentId: r.id,
      status: r.status,
      overdue: r.overdue,
      dueAt: r.due_at?.toISOString() ?? null,
      acknowledgedAt: r.acknowledged_at?.toISOString() ?? null,
      acknowledgedBy: r.acknowledged_at ? { name: r.acknowledged_by_name, email: r.acknowledged_by_email } : null,
      channel: r.channel,
      late: r.late,
      dueAtLocal: localTime(r.due_at, r.time_zone),
      actionsDueAt: r.actions_due_at?.toISOString() ?? null,
      actionsDueAtLocal: localTime(r.actions_due_at, r.time_zone),
      actionsOverdue: r.actions_overdue,
      actionsCompletedAt: r.actions_completed_at?.toISOString() ?? null,
      actionsLate: r.actions_late,
      actions: actionStates(notice, r.answers, r.actions_due_at, r.time_zone),
      contacts: onlyAgency
        ? null
        : { noticesContact: r.notices_contact_email, escalationContacts: r.escalation_contacts, fallbackContacts: r.fallback_contacts },
      closedReason: r.closed_reason,
      // An error can name the agency's addresses or webhook URL: masked for everyone but the agency.
      deliveries: r.deliveries.map((d: RecipientRow['deliveries'][number]) =>
        seesFullTarget(p, { agencyId: r.agency_id, ...d }) ? d : { ...d, lastError: maskText(d.lastError) },
      ),
    }));
    return {
      noticeId,
      reference: notice.reference,
      counts: {
        recipients: items.length,
        acknowledged: items.filter((i) => i.acknowledgedAt !== null).length,
        pending: items.filter((i) => i.status === 'pending').length,
        overdue: items.filter((i) => i.overdue).length,
        actionsOverdue: items.filter((i) => i.actionsOverdue).length,
        /** Recipients with a message held for a paused or disabled subscription. */
        held: items.filter((i) => i.deliveries.some((d) => d.status === 'held')).length,
        byStatus: countBy(items),
      },
      items,
    };
  }

  /** 404 unless the record is the caller's agency's, or of a notice it issued (or the caller is an admin). */
  async assertCanSeeAcknowledgment(p: Principal, ackId: string): Promise<void> {
    const rows = await this.db.query(
      `SELECT 1 FROM acknowledgments a JOIN notices n ON n.id = a.notice_id
        WHERE a.id = $1 AND ($2 OR a.agency_id = $3 OR n.issuing_agency_id = $3)`,
      [ackId, hasRole(p, 'admin'), p.agencyId],
    );
    if (rows.length === 0) throw new NotFoundException('acknowledgment not found');
  }

  async deliveries(p: Principal, noticeId: string, q: { status?: string; limit?: number; offset?: number }) {
    const notice = await this.notices.findVisible(this.db.manager, p, noticeId);
    const onlyAgency = this.notices.seesAllRecipients(p, notice) ? null : p.agencyId;
    const rows = await this.db.query(
      `${DELIVERY_SELECT}
        WHERE d.notice_id = $1 AND ($2::uuid IS NULL OR d.agency_id = $2) AND ($3::text IS NULL OR d.status = $3)
        ORDER BY d.created_at, d.id LIMIT $4 OFFSET $5`,
      [noticeId, onlyAgency, q.status ?? null, q.limit ?? 100, q.offset ?? 0],
    );
    return { items: rows.map((r: any) => toDelivery(p, r)) };
  }

  /**
   * Deliveries across notices, e.g. the dead letters (`status=failed`): your agency's own and
   * those of notices your agency issued; partnership admins see all.
   */
  async list(p: Principal, q: { status?: string; subscriptionId?: string; noticeId?: string; agencyId?: string; limit?: number; offset?: number }) {
    const rows = await this.db.query(
      `${DELIVERY_SELECT}
        LEFT JOIN notices n ON n.id = d.notice_id
        WHERE ($1 OR d.agency_id = $2 OR n.issuing_agency_id = $2)
          AND ($3::text IS NULL OR d.status = $3) AND ($4::uuid IS NULL OR d.subscription_id = $4)
          AND ($3::text IS DISTINCT FROM 'failed' OR d.phase = 'failed') -- the dead letters' index
          AND ($5::uuid IS NULL OR d.notice_id = $5) AND ($6::uuid IS NULL OR d.agency_id = $6)
        ORDER BY d.created_at DESC, d.id LIMIT $7 OFFSET $8`,
      [hasRole(p, 'admin'), p.agencyId, q.status ?? null, q.subscriptionId ?? null, q.noticeId ?? null, q.agencyId ?? null, q.limit ?? 100, q.offset ?? 0],
    );
    return { items: rows.map((r: any) => toDelivery(p, r)) };
  }

  /** A delivery is visible to its recipient agency and to the notice's issuer (and partnership admins). */
  async delivery(p: Principal, id: string) {
    const rows = await this.db.query(
      `${DELIVERY_SELECT}
        LEFT JOIN notices n ON n.id = d.notice_id
        WHERE d.id = $1 AND ($2 OR d.agency_id = $3 OR n.issuing_agency_id = $3)`,
      [id, hasRole(p, 'admin'), p.agencyId],
    );
    if (rows.length === 0) throw new NotFoundException('delivery not found');
    return toDelivery(p, rows[0]);
  }
}

const DELIVERY_SELECT = `
  SELECT d.*, COALESCE((SELECT json_agg(json_build_object('attemptNumber', t.attempt_number, 'recipient', t.recipient,
           'startedAt', t.started_at, 'durationMs', t.duration_ms, 'succeeded', t.succeeded, 'statusCode', t.status_code,
           'smtpResponse', t.smtp_response, 'error', t.error) ORDER BY t.id)
         FROM delivery_attempts t WHERE t.delivery_id = d.id), '[]') AS attempts
    FROM deliveries d`;

/** A delivery row as the caller may see it: where it went is whole for the recipient agency only (delivery-redaction.ts). */
function toDelivery(p: Principal, r: any) {
  return maskDelivery(p, {
    id: r.id,
    noticeId: r.notice_id,
    subscriptionId: r.subscription_id,
    agencyId: r.agency_id,
    eventType: r.event_type,
    channel: r.channel,
    mandatory: r.mandatory,
    fallback: r.fallback,
    fallbackReason: r.fallback_reason,
    target: r.channel === 'webhook' ? r.target_url : r.recipients,
    status: r.status,
    attemptCount: r.attempt_count,
    nextAttemptAt: ['pending', 'retrying'].includes(r.status) ? r.next_attempt_at?.toISOString() : null,
    deliveredAt: r.delivered_at?.toISOString() ?? null,
    lastError: r.last_error,
    attempts: r.attempts,
    createdAt: r.created_at.toISOString(),
  });
}

/** A due time as the recipient agency reads it, in its own time zone. */
export function localTime(at: Date | null, timeZone: string): string | null {
  if (!at) return null;
  return new Intl.DateTimeFormat('en-US', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(at);
}

function countBy(items: { status: AckStatus }[]): Record<AckStatus, number> {
  return Object.fromEntries(ACK_STATUSES.map((s) => [s, items.filter((i) => i.status === s).length])) as Record<AckStatus, number>;
}
