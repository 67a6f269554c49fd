import type { EntityManager } from 'typeorm';
import type { Actor } from '../audit/audit';
import { createFallbacks } from './held-deliveries';

/** The reason every message a deleted subscription still owed ends with. */
export const SUBSCRIPTION_DELETED = 'subscription deleted';

/** States in which a message is still owed: waiting, retrying, held, or being sent. */
const OPEN = ['pending', 'sending', 'retrying', 'held'];

/**
 * Message kinds that end `skipped` rather than `failed` when their subscription is deleted: the
 * email telling an agency's administrators that the endpoint was disabled asks them to repair and
 * resume it, which they can no longer do (they removed it), and nothing was held for it any more.
 *
 * Every other kind fails, each with its audit event and the reason:
 *  - a notice's message (published, updated, cancelled, a reminder; an escalation is never a
 *    subscription's, it goes to the agency's escalation contacts): failed, and emailed to the
 *    agency's fallback contacts unless another channel of the agency carries it (createFallbacks);
 *  - `subscription.test`: failed, and nobody is emailed: it tested the endpoint that was removed;
 *  - any kind added later: failed, no email, until someone decides otherwise here.
 */
export const SKIPPED_WHEN_SUBSCRIPTION_DELETED: readonly string[] = ['subscription.disabled'];

/**
 * A subscription was deleted: everything it still owed ends now, in the caller's transaction, of
 * every kind and in every open state, including one being sent this moment (its attempt, if it
 * ends, is still written to the history, but cannot reopen it; delivery is at least once, so the
 * receiver may have it as well as the fallback contacts). Returns the fallback emails created.
 */
export async function endOwedByDeletedSubscription(m: EntityManager, subscriptionId: string, actor: Actor): Promise<string[]> {
  const rows: { id: string }[] = await m.query(
    `SELECT id FROM deliveries WHERE subscription_id = $1 AND status = ANY($2::text[]) ORDER BY id FOR UPDATE`,
    [subscriptionId, OPEN],
  );
  return endForDeletedSubscription(m, rows.map((r) => r.id), actor);
}

/**
 * Ends these deliveries as their subscription's deletion says (see above), only those still open;
 * callers may pass a superset. One audit event each, with the state it left and the reason.
 * Returns the fallback emails created, for the caller to enqueue.
 */
export async function endForDeletedSubscription(m: EntityManager, ids: string[], actor: Actor): Promise<string[]> {
  if (ids.length === 0) return [];
  const ended: { id: string; status: string }[] = await m.query(
    `WITH old AS (SELECT id, status FROM deliveries WHERE id = ANY($1::uuid[]) AND status = ANY($2::text[]) FOR UPDATE),
     e AS (
       UPDATE deliveries d
          SET status = CASE WHEN d.event_type = ANY($3::text[]) THEN 'skipped' ELSE 'failed' END,
              last_error = CASE WHEN d.event_type = ANY($3::text[]) THEN 'not sent: ' ELSE '' END || $4,
              lease_until = NULL, updated_at = now()
         FROM old WHERE d.id = old.id
       RETURNING d.id, d.agency_id, d.status, d.event_type, old.status AS was),
     au AS (
       INSERT INTO audit_events (actor_type, actor_id, agency_id, action, entity_type, entity_id, before, after)
       SELECT $5, $6, agency_id, 'delivery.' || status, 'delivery', id, jsonb_build_object('status', was),
              jsonb_build_object('status', status, 'error', $4::text, 'eventType', event_type)
         FROM e)
     SELECT id, status FROM e`,
    [ids, OPEN, SKIPPED_WHEN_SUBSCRIPTION_DELETED, SUBSCRIPTION_DELETED, actor.type, actor.id],
  );
  // createFallbacks takes only notice messages, and sends each unless another channel carries it.
  return createFallbacks(m, ended.filter((e) => e.status === 'failed').map((e) => e.id), actor);
}
