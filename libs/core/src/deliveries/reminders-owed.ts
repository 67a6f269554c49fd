import type { EntityManager } from 'typeorm';
import type { Actor } from '../audit/audit';

/**
 * A reminder, resend or escalation (and a fallback copy of one) is worth sending only while the
 * agency's record is in the status it was asked for (`for_ack_status`: a scheduled rung was for
 * a pending record, a person's request for the record as it was) and its notice is published.
 * The original notice, its update and its cancellation are not reminders: they always go.
 *
 * The SQL expression (over the deliveries row `d`) gives why the message is no longer owed, or
 * NULL. The courier evaluates it as it claims, so no path can send one after the record moved on;
 * only reminder rows reach the look-up, so the claim of every other message costs nothing more.
 */
export function notOwedSql(d: string): string {
  return `(CASE WHEN ${d}.event_type IN ('notice.reminder','notice.escalation') THEN (
    SELECT CASE WHEN a.status IS DISTINCT FROM ${d}.for_ack_status THEN 'the agency''s record is ' || COALESCE(a.status, 'gone')
                WHEN n.status <> 'published' THEN 'the notice is ' || n.status END
      FROM notices n LEFT JOIN acknowledgments a ON a.id = ${d}.acknowledgment_id
     WHERE n.id = ${d}.notice_id) END)`;
}

/**
 * Ends, in the caller's transaction, the reminders of a notice (or of one of its records) that
 * are no longer owed and not yet being sent: `skipped`, with the reason, each audited. Called
 * where a record or notice changes (acknowledgment, answers, cancellation, update), so the
 * supervisor's views say so at once rather than at the next attempt; the courier's claim is the
 * guarantee. One being sent this moment goes (delivery is at least once).
 */
export async function skipUnowedReminders(m: EntityManager, scope: { noticeId: string; acknowledgmentId?: string }, actor: Actor): Promise<number> {
  const rows = await m.query(
    `WITH s AS (
       UPDATE deliveries d SET status = 'skipped', lease_until = NULL, last_error = 'not sent: ' || ${notOwedSql('d')}, updated_at = now()
        WHERE d.notice_id = $1 AND ($2::uuid IS NULL OR d.acknowledgment_id = $2)
          AND d.event_type IN ('notice.reminder','notice.escalation') AND d.status IN ('pending','retrying','held')
          AND ${notOwedSql('d')} IS NOT NULL
        RETURNING d.id, d.agency_id, d.last_error)
     INSERT INTO audit_events (actor_type, actor_id, agency_id, action, entity_type, entity_id, after)
     SELECT $3, $4, agency_id, 'delivery.skipped', 'delivery', id, jsonb_build_object('status', 'skipped', 'reason', last_error)
       FROM s RETURNING 1`,
    [scope.noticeId, scope.acknowledgmentId ?? null, actor.type, actor.id],
  );
  return rows.length;
}
