import type { EntityManager } from 'typeorm';
import type { Actor } from '../audit/audit';

/**
 * A subscription's new address applies to what it is still owed. A delivery copies its
 * subscription's webhook URL or email addresses when it is created (so its record says where it
 * went); when the agency changes the address, every message not yet delivered (pending,
 * retrying, held, a dead letter it may replay, or one being sent now, for its next attempt) is
 * re-addressed in the same transaction, so a resume or `retry-failed` after fixing a broken
 * endpoint reaches the new one. Delivered messages keep the address they went to. An email
 * delivery's addresses already delivered stay in `delivered_recipients`, so only new addresses
 * are sent to. One `delivery.readdressed` audit event per delivery; the addresses themselves are
 * in the subscription's own `subscription.updated` event, not repeated in each delivery's trail
 * (which the issuing agency can read). Returns how many moved.
 */
export async function readdressOutstanding(
  m: EntityManager,
  subscription: { id: string; channel: string; webhookUrl: string | null; emailAddresses: string[] | null },
  actor: Actor,
): Promise<number> {
  const webhook = subscription.channel === 'webhook';
  const rows = await m.query(
    `WITH old AS (
       SELECT id, target_url, recipients FROM deliveries
        WHERE subscription_id = $1 AND status IN ('pending','retrying','held','failed','sending')
          AND (CASE WHEN $2 THEN target_url IS DISTINCT FROM $3 ELSE recipients IS DISTINCT FROM $4::text[] END)
        FOR UPDATE),
     moved AS (
       UPDATE deliveries d
          SET target_url = CASE WHEN $2 THEN $3 ELSE d.target_url END,
              recipients = CASE WHEN $2 THEN d.recipients ELSE $4::text[] END,
              updated_at = now()
         FROM old WHERE d.id = old.id
       RETURNING d.id, d.agency_id, d.status)
     INSERT INTO audit_events (actor_type, actor_id, agency_id, action, entity_type, entity_id, after)
     SELECT $5, $6, agency_id, 'delivery.readdressed', 'delivery', id,
            jsonb_build_object('status', status, 'subscriptionId', $1::uuid, 'reason', 'the subscription''s address changed')
       FROM moved RETURNING 1`,
    [subscription.id, webhook, subscription.webhookUrl, subscription.emailAddresses ?? [], actor.type, actor.id],
  );
  return rows.length;
}
