import { EntityManager } from 'typeorm';
import { createFallbacks, recipientMatching, Severity, systemActor } from '@sne/core';
import { ACK_OF, AUDIT_CREATED, AUDIT_CREATED_CTE, AUDIT_CREATED_ROWS, HAD_ORIGINAL, INITIAL_STATUS, OPEN_RECORD } from './fan-out.sql';

/**
 * The fan-out's records, each a few set-based statements inside the caller's transaction: the
 * acknowledgments and deliveries of a notice (or of one page of its agencies), an update's
 * carried-over recipients, the notices that tell earlier recipients, fallbacks for held
 * subscriptions and the mandatory emails of a critical notice. FanOutService decides when.
 */

export interface NoticeRow {
  status: string;
  severity: Severity;
  category: string;
  reference: string;
  acknowledge_by: Date | null;
  actions_due_by: Date | null;
  published_at: Date;
  supersedes_id: string | null;
  material: boolean;
  fanned_out_at: Date | null;
  /** A repeat of the event (after a crash) finds the deliveries the first run made. */
  has_deliveries: boolean;
}

/** Targeted agencies with after < id <= upto. */
export type AgencyPage = { after: string; upto: string };
export type CreatedDelivery = { id: string; status: string; target_url: string | null };
/** When the acknowledgment and the actions are due, and the first reminder. */
export interface DueTimes {
  ackDue: Date;
  actionsDue: Date | null;
  firstReminder: Date | null;
}

function pageParams(page?: AgencyPage): string[] {
  return page ? [page.after, page.upto] : [];
}

/**
 * One statement for the agencies matched (or the page of them): an acknowledgment for each
 * recipient agency, a delivery for each matching subscription, and an audit event for every row.
 * The deliveries take their acknowledgment from the rows just inserted, or for an agency that
 * already had one (a repeat, an update's carried-over record) by its unique key, so the
 * matching is computed once. For an update, agencies that had the original get no new
 * subscription delivery here: tellRecipients told them.
 */
export async function openRecords(m: EntityManager, noticeId: string, due: DueTimes, page?: AgencyPage): Promise<{ acks: number; deliveries: CreatedDelivery[] }> {
  const rows: (CreatedDelivery & { acks: number })[] = await m.query(
    `WITH ${recipientMatching(page && { after: '$5', upto: '$6' })},
     recipients AS (
       SELECT agency_id FROM matched
       UNION SELECT t.id FROM targeted t, n WHERE n.severity = 'critical'),
     opened AS (
       INSERT INTO acknowledgments (notice_id, agency_id, due_at, actions_due_at, next_reminder_at)
       SELECT $1, agency_id, $2, $3, $4 FROM recipients
       ON CONFLICT DO NOTHING RETURNING id, agency_id),
     opened_audit AS (
       INSERT INTO audit_events (actor_type, actor_id, agency_id, action, entity_type, entity_id, after)
       SELECT 'system', 'dispatcher', agency_id, 'acknowledgment.opened', 'acknowledgment', id,
              jsonb_build_object('status', 'pending', 'noticeId', $1::uuid, 'dueAt', $2::timestamptz)
         FROM opened),
     ack AS (
       SELECT id, agency_id FROM opened
       UNION ALL
       SELECT a.id, r.agency_id FROM recipients r CROSS JOIN LATERAL (${ACK_OF('r.agency_id')}) a
        WHERE NOT EXISTS (SELECT 1 FROM opened o WHERE o.agency_id = r.agency_id)),
     ins AS (
       INSERT INTO deliveries (notice_id, subscription_id, agency_id, acknowledgment_id, event_type, channel, recipients, target_url, status)
       SELECT $1, s.id, s.agency_id, a.id, 'notice.published', s.channel, s.email_addresses, s.webhook_url, ${INITIAL_STATUS}
         FROM matched s JOIN ack a ON a.agency_id = s.agency_id, n
        WHERE NOT ${HAD_ORIGINAL('s.agency_id')}
       ON CONFLICT DO NOTHING RETURNING id, agency_id, channel, subscription_id, status, target_url)
     ${AUDIT_CREATED_CTE}
     -- One row at least, so the count of acknowledgments comes back when no delivery is created.
     SELECT c.acks, ins.id, ins.status, ins.target_url FROM (SELECT count(*)::int AS acks FROM opened) c LEFT JOIN ins ON true`,
    [noticeId, due.ackDue, due.actionsDue, due.firstReminder, ...pageParams(page)],
  );
  return { acks: rows[0].acks, deliveries: rows.filter((r) => r.id !== null).map(({ id, status, target_url }) => ({ id, status, target_url })) };
}

/**
 * An update's recipients include everyone who had the original. A material update opens a
 * fresh (pending) record for each; a non-material one (a typo fix) carries the record over
 * whole: its state and answers, its due times (so an overdue agency stays overdue and its
 * lateness stands) and its place on the reminder ladder. Only a due time the update itself
 * changed (its own acknowledgeBy / actionsDueBy, or its severity) is recomputed. The original's
 * open records close as superseded.
 */
export async function carryOverRecipients(m: EntityManager, noticeId: string, n: NoticeRow, due: DueTimes): Promise<number> {
  const opened = await m.query(
    `WITH k AS (
       SELECT NOT $5 AND u.severity = o.severity AND u.acknowledge_by IS NOT DISTINCT FROM o.acknowledge_by AS ack,
              NOT $5 AND u.severity = o.severity AND u.actions_due_by IS NOT DISTINCT FROM o.actions_due_by AS act
         FROM notices u, notices o WHERE u.id = $1 AND o.id = $2),
     ins AS (
       INSERT INTO acknowledgments (notice_id, agency_id, due_at, actions_due_at, next_reminder_at, reminder_stage, status, acknowledged_at,
              acknowledged_by_name, acknowledged_by_email, acknowledged_by_user_id, channel, late, actions_completed_at, actions_late)
       SELECT $1, o.agency_id,
              CASE WHEN k.ack THEN o.due_at ELSE $3 END,
              CASE WHEN $4::timestamptz IS NOT NULL AND k.act THEN COALESCE(o.actions_due_at, $4) ELSE $4 END,
              CASE WHEN NOT ($5 OR o.status = 'pending') THEN NULL WHEN k.ack THEN o.next_reminder_at ELSE $6::timestamptz END,
              CASE WHEN k.ack AND o.status = 'pending' THEN o.reminder_stage ELSE 0 END,
              CASE WHEN $5 OR o.status IN ('pending','superseded','cancelled') THEN 'pending' ELSE o.status END,
              CASE WHEN NOT $5 THEN o.acknowledged_at END, CASE WHEN NOT $5 THEN o.acknowledged_by_name END,
              CASE WHEN NOT $5 THEN o.acknowledged_by_email END, CASE WHEN NOT $5 THEN o.acknowledged_by_user_id END,
              CASE WHEN NOT $5 THEN o.channel END, CASE WHEN NOT $5 THEN o.late END,
              CASE WHEN NOT $5 THEN o.actions_completed_at END, CASE WHEN NOT $5 THEN o.actions_late END
         FROM acknowledgments o, k WHERE o.notice_id = $2
       ON CONFLICT DO NOTHING RETURNING id, agency_id, status),
     answers AS (
       INSERT INTO action_responses (acknowledgment_id, action_index, response, note, responded_by_name, responded_by_email,
              responded_by_user_id, channel, at)
       SELECT ins.id, r.action_index, r.response, r.note, r.responded_by_name, r.responded_by_email, r.responded_by_user_id, r.channel, r.at
         FROM ins JOIN acknowledgments o ON o.notice_id = $2 AND o.agency_id = ins.agency_id
         JOIN action_responses r ON r.acknowledgment_id = o.id
        WHERE NOT $5)
     INSERT INTO audit_events (actor_type, actor_id, agency_id, action, entity_type, entity_id, after)
     SELECT 'system', 'dispatcher', agency_id, 'acknowledgment.opened', 'acknowledgment', id,
            jsonb_build_object('status', status, 'noticeId', $1::uuid, 'supersedes', $2::uuid, 'material', $5::boolean)
       FROM ins RETURNING 1`,
    [noticeId, n.supersedes_id, due.ackDue, due.actionsDue, n.material, due.firstReminder],
  );
  await m.query(
    `WITH c AS (
       UPDATE acknowledgments SET status = 'superseded', closed_at = now(), closed_reason = 'superseded by ' || $3, next_reminder_at = NULL
        WHERE notice_id = $2 AND ${OPEN_RECORD} RETURNING id, agency_id)
     INSERT INTO audit_events (actor_type, actor_id, agency_id, action, entity_type, entity_id, after)
     SELECT 'system', 'dispatcher', agency_id, 'acknowledgment.superseded', 'acknowledgment', id,
            jsonb_build_object('status', 'superseded', 'by', $1::uuid) FROM c`,
    [noticeId, n.supersedes_id, n.reference],
  );
  return opened.length;
}

/**
 * Tells every agency that received `sourceId` of an update or cancellation: through each
 * subscription that carried the notice (held while it is paused or disabled), or by email to its
 * notices contact when none is left.
 */
export async function tellRecipients(m: EntityManager, noticeId: string, sourceId: string, event: 'notice.updated' | 'notice.cancelled'): Promise<number> {
  const bySubscription = await m.query(
    `WITH ins AS (
       INSERT INTO deliveries (notice_id, subscription_id, agency_id, acknowledgment_id, event_type, channel, recipients, target_url, status)
       SELECT DISTINCT ON (s.id) $1, s.id, s.agency_id, a.id, $3, s.channel, s.email_addresses, s.webhook_url, ${INITIAL_STATUS}
         FROM deliveries od
         JOIN subscriptions s ON s.id = od.subscription_id AND s.status <> 'deleted'
         JOIN acknowledgments a ON a.notice_id = $1 AND a.agency_id = s.agency_id
        WHERE od.notice_id = $2 AND od.sequence = 0 AND od.event_type IN ('notice.published','notice.updated')
       ON CONFLICT DO NOTHING RETURNING id, agency_id, channel, subscription_id, status)
     ${AUDIT_CREATED}`,
    [noticeId, sourceId, event],
  );
  const byContact = await m.query(
    `WITH ins AS (
       INSERT INTO deliveries (notice_id, agency_id, acknowledgment_id, event_type, channel, mandatory, recipients)
       SELECT $1, a.agency_id, a.id, $3, 'email', true, ARRAY[g.notices_contact_email]
         FROM acknowledgments src
         JOIN acknowledgments a ON a.notice_id = $1 AND a.agency_id = src.agency_id
         JOIN agencies g ON g.id = src.agency_id
        WHERE src.notice_id = $2
          AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.notice_id = $1 AND d.agency_id = src.agency_id
                           AND d.event_type = $3 AND d.subscription_id IS NOT NULL)
       ON CONFLICT DO NOTHING RETURNING id, agency_id, channel, subscription_id, status)
     ${AUDIT_CREATED}`,
    [noticeId, sourceId, event],
  );
  return bySubscription.length + byContact.length;
}

/** A person hears of what a paused or disabled subscription holds (see createFallbacks for who and when). */
export async function coverHeld(m: EntityManager, noticeId: string): Promise<number> {
  const held: { id: string }[] = await m.query(`SELECT id FROM deliveries WHERE notice_id = $1 AND status = 'held'`, [noticeId]);
  return (await createFallbacks(m, held.map((h) => h.id), systemActor('dispatcher'))).length;
}

/** Critical notices are mandatory: a targeted agency with no matching subscription is emailed at its notices contact. */
export async function createMandatoryDeliveries(m: EntityManager, noticeId: string, page?: AgencyPage): Promise<CreatedDelivery[]> {
  return m.query(
    `WITH ${recipientMatching(page && { after: '$2', upto: '$3' })},
     ins AS (
       INSERT INTO deliveries (notice_id, agency_id, acknowledgment_id, event_type, channel, mandatory, recipients)
       SELECT $1, t.id, a.id, 'notice.published', 'email', true, ARRAY[t.notices_contact_email]
         FROM targeted t CROSS JOIN LATERAL (${ACK_OF('t.id')}) a, n
        WHERE n.severity = 'critical' AND NOT EXISTS (SELECT 1 FROM matched s WHERE s.agency_id = t.id AND s.status = 'active')
          AND NOT ${HAD_ORIGINAL('t.id')}
       ON CONFLICT DO NOTHING RETURNING id, agency_id, channel, subscription_id, status, target_url)
     ${AUDIT_CREATED_ROWS}`,
    [noticeId, ...pageParams(page)],
  );
}
