import type { EntityManager } from 'typeorm';
import { endpointOf, Subjects } from '@sne/messaging';
import type { Actor } from '../audit/audit';
import { enqueueMany } from '../outbox/outbox';
import { endForDeletedSubscription } from './deleted-subscription';

/**
 * What a subscription's state does to the notice messages that come to it. Nothing is lost to a
 * state: a message for a subscription that is not active is kept, `held`, never dropped.
 *
 *  - active:   delivered.
 *  - paused:   the agency's own choice. Held, and sent when the agency resumes it. If nothing else
 *              of the agency carries the message (no other subscription), it goes at once by
 *              email to the agency's fallback contacts (its notices contact if it has none).
 *  - disabled: not the agency's choice (its endpoint failed or answered 410). Held, sent when the
 *              subscription is resumed, and emailed at once to the fallback contacts.
 *  - deleted:  the agency removed it. Everything it still owed ends, of every kind (notice
 *              messages fail, and any that nothing else carries go to the fallback contacts):
 *              see deleted-subscription.ts.
 *
 * Functions take delivery ids and only touch notice messages (`notice_id` set) in the states
 * they name, so callers can pass a superset; each writes its audit events in the caller's
 * transaction. The sweeper calls reconcile(), so a race between a state change and a courier
 * still converges.
 */

/** States in which a subscription's messages wait. */
export const HOLDING_STATES = ['paused', 'disabled'] as const;

const actorParams = (a: Actor) => [a.type, a.id];

/** pending/retrying → held. Returns the ids held. */
export async function holdDeliveries(m: EntityManager, ids: string[], actor: Actor, reason: string): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows: { id: string }[] = await m.query(
    `WITH h AS (
       UPDATE deliveries SET status = 'held', lease_until = NULL, updated_at = now()
        WHERE id = ANY($1::uuid[]) AND notice_id IS NOT NULL AND status IN ('pending','retrying')
        RETURNING id, agency_id)
     INSERT INTO audit_events (actor_type, actor_id, agency_id, action, entity_type, entity_id, after)
     SELECT $2, $3, agency_id, 'delivery.held', 'delivery', id, jsonb_build_object('status', 'held', 'reason', $4::text)
       FROM h RETURNING entity_id AS id`,
    [ids, ...actorParams(actor), reason],
  );
  return rows.map((r) => r.id);
}

/** held → pending with a fresh retry schedule, and a job for each (through the outbox, so it survives a crash). */
export async function releaseDeliveries(m: EntityManager, ids: string[], actor: Actor): Promise<number> {
  if (ids.length === 0) return 0;
  const rows: { id: string; target_url: string | null }[] = await m.query(
    `WITH r AS (
       UPDATE deliveries SET status = 'pending', schedule_start = attempt_count, next_attempt_at = now(), updated_at = now()
        WHERE id = ANY($1::uuid[]) AND status = 'held'
        RETURNING id, agency_id, target_url, created_at),
     au AS (
       INSERT INTO audit_events (actor_type, actor_id, agency_id, action, entity_type, entity_id, before, after)
       SELECT $2, $3, agency_id, 'delivery.released', 'delivery', id, '{"status":"held"}', '{"status":"pending"}' FROM r)
     SELECT id, target_url FROM r ORDER BY created_at, id`,
    [ids, ...actorParams(actor)],
  );
  await enqueueMany(m, Subjects.deliveryJobs, rows.map((r) => ({ deliveryId: r.id, endpoint: endpointOf(r.target_url) })));
  return rows.length;
}

/**
 * The email that reaches a person when a subscription cannot: for each of these deliveries, one
 * message per (notice, agency, event, rung) to the agency's fallback contacts (its notices
 * contact when it has none), with the same acknowledgment link. Sent for a dead letter or a
 * disabled subscription always; for a paused or deleted one only when no other delivery of the
 * agency carries, carried or will carry the same message. Returns the deliveries created.
 */
export async function createFallbacks(m: EntityManager, ids: string[], actor: Actor): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows: { id: string }[] = await m.query(
    `WITH src AS (
       SELECT d.*, CASE WHEN d.status = 'failed' AND s.status IS DISTINCT FROM 'deleted' THEN 'webhook_failed'
                        ELSE 'subscription_' || s.status END AS reason
         FROM deliveries d LEFT JOIN subscriptions s ON s.id = d.subscription_id
        WHERE d.id = ANY($1::uuid[]) AND d.notice_id IS NOT NULL
          AND (d.status = 'failed' AND d.channel = 'webhook' AND s.status IS DISTINCT FROM 'deleted'
               OR s.status = 'disabled'
               -- Another message of the agency that carries the notice: through another of its subscriptions, or to
               -- a contact. Looked up by the unique keys (per subscription, per agency's contact), not across
               -- every delivery of the notice, which grows with the fan-out.
               OR NOT (EXISTS (SELECT 1 FROM subscriptions os JOIN deliveries o ON o.notice_id = d.notice_id AND o.subscription_id = os.id
                                WHERE os.agency_id = d.agency_id AND o.event_type = d.event_type AND o.sequence = d.sequence
                                  AND o.id <> d.id AND o.status IN ('pending','sending','retrying','delivered'))
                       OR EXISTS (SELECT 1 FROM deliveries o
                                   WHERE o.notice_id = d.notice_id AND o.agency_id = d.agency_id AND o.subscription_id IS NULL
                                     AND o.event_type = d.event_type AND o.sequence = d.sequence
                                     AND o.id <> d.id AND o.status IN ('pending','sending','retrying','delivered'))))),
     ins AS (
       -- A reminder's or resend's copy says what it said (the person's note and name) and is skipped as it would be.
       INSERT INTO deliveries (notice_id, agency_id, acknowledgment_id, event_type, channel, fallback, fallback_reason, recipients, sequence,
                               note, requested_by, for_ack_status)
       SELECT DISTINCT ON (src.notice_id, src.agency_id, src.event_type, src.sequence)
              src.notice_id, src.agency_id, src.acknowledgment_id, src.event_type, 'email', true, src.reason,
              CASE WHEN cardinality(g.fallback_contacts) > 0 THEN g.fallback_contacts ELSE ARRAY[g.notices_contact_email] END,
              src.sequence, src.note, src.requested_by, src.for_ack_status
         FROM src JOIN agencies g ON g.id = src.agency_id
        ORDER BY src.notice_id, src.agency_id, src.event_type, src.sequence, src.reason = 'subscription_disabled' DESC
       ON CONFLICT DO NOTHING
       RETURNING id, agency_id, fallback_reason)
     INSERT INTO audit_events (actor_type, actor_id, agency_id, action, entity_type, entity_id, after)
     SELECT $2, $3, agency_id, 'delivery.created', 'delivery', id,
            jsonb_build_object('status', 'pending', 'fallback', true, 'reason', fallback_reason)
       FROM ins RETURNING entity_id AS id`,
    [ids, ...actorParams(actor)],
  );
  return rows.map((r) => r.id);
}

/** The notice messages of a subscription still owed: waiting, retrying or held. */
export async function outstandingDeliveries(m: EntityManager, subscriptionId: string): Promise<string[]> {
  const rows: { id: string }[] = await m.query(
    `SELECT id FROM deliveries WHERE subscription_id = $1 AND notice_id IS NOT NULL AND status IN ('pending','retrying','held')`,
    [subscriptionId],
  );
  return rows.map((r) => r.id);
}

/** A subscription was paused or disabled: its outstanding messages wait, and a person is told now. Returns the fallbacks created. */
export async function holdForSubscription(m: EntityManager, subscriptionId: string, actor: Actor, reason: string): Promise<string[]> {
  const held = await holdDeliveries(m, await outstandingDeliveries(m, subscriptionId), actor, reason);
  return createFallbacks(m, held, actor);
}

/** A subscription was resumed: what it held goes out. */
export async function releaseForSubscription(m: EntityManager, subscriptionId: string, actor: Actor): Promise<number> {
  const rows: { id: string }[] = await m.query(`SELECT id FROM deliveries WHERE subscription_id = $1 AND phase = 'held'`, [subscriptionId]);
  return releaseDeliveries(m, rows.map((r) => r.id), actor);
}

/**
 * Brings deliveries in line with their subscription's state, for what a race left behind (a
 * courier recorded "retrying" just after the subscription was paused, say). Returns the
 * deliveries moved and the fallbacks created (for the caller to enqueue; released ones are enqueued here).
 */
export async function reconcileHeld(m: EntityManager, actor: Actor, limit = 1000): Promise<{ moved: number; fallbacks: string[] }> {
  // Two narrow queries rather than one OR: the first goes through the (few) subscriptions that are
  // not active, the second through the held index (its predicate is phase = 'held'), so neither scans the outstanding backlog.
  const misplaced: { id: string; sub_status: string }[] = [
    ...(await m.query(
      // A deleted subscription's messages of every kind (a test event too): nothing can send them any more.
      `SELECT d.id, s.status AS sub_status FROM subscriptions s JOIN deliveries d ON d.subscription_id = s.id
        WHERE s.status <> 'active' AND (d.notice_id IS NOT NULL OR s.status = 'deleted') AND d.status IN ('pending','retrying')
        LIMIT ${limit} FOR UPDATE OF d SKIP LOCKED`,
    )),
    ...(await m.query(
      `SELECT d.id, s.status AS sub_status FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
        WHERE d.phase = 'held' AND s.status IN ('active','deleted')
        LIMIT ${limit} FOR UPDATE OF d SKIP LOCKED`,
    )),
  ];
  const pick = (f: (r: (typeof misplaced)[number]) => boolean) => misplaced.filter(f).map((r) => r.id);
  const held = await holdDeliveries(m, pick((r) => (HOLDING_STATES as readonly string[]).includes(r.sub_status)), actor, 'subscription not active');
  const deleted = pick((r) => r.sub_status === 'deleted');
  const released = await releaseDeliveries(m, pick((r) => r.sub_status === 'active'), actor);
  const fallbacks = [...(await createFallbacks(m, held, actor)), ...(await endForDeletedSubscription(m, deleted, actor))];
  return { moved: held.length + deleted.length + released, fallbacks };
}
