import type { EntityManager } from 'typeorm';

/** Who asked for the messages: the scheduler, or a person (whose note goes with them). */
export interface ReminderRequest {
  actor: { type: 'system' | 'user'; id: string };
  /** Set for a reminder or resend a person asked for. */
  note?: string | null;
  requestedBy?: string | null;
}

/**
 * The delivery rows of reminder and escalation messages, one call for many acknowledgment
 * records, each with its sequence: 1–2 (and a person's reminders, negative) remind through the
 * channels that carried the notice (its active subscriptions, or the notices contact by email
 * when none did); 3 onwards emails escalation contact n. Each row is unique per record and
 * sequence, so a rung or a request is never sent twice; each creation is audited. Each keeps the
 * record's status it was written for (`for_ack_status`): the courier skips it once the record has
 * moved on (see the courier's claim). Returns the
 * new delivery ids: the caller enqueues them after commit (or the sweeper does).
 */
export async function insertReminderDeliveries(m: EntityManager, ids: string[], sequences: number[], request: ReminderRequest): Promise<string[]> {
  const params = [ids, sequences, request.note ?? null, request.requestedBy ?? null, request.actor.type, request.actor.id];
  const audited = `
    INSERT INTO audit_events (actor_type, actor_id, agency_id, action, entity_type, entity_id, after)
    SELECT $5, $6, agency_id, 'delivery.created', 'delivery', id,
           jsonb_build_object('status', 'pending', 'channel', channel, 'subscriptionId', subscription_id, 'eventType', event_type, 'sequence', sequence)
      FROM ins RETURNING entity_id AS id`;
  const viaSubscriptions = await m.query(
    `WITH ins AS (
       INSERT INTO deliveries (notice_id, subscription_id, agency_id, acknowledgment_id, event_type, channel, recipients, target_url, sequence, note, requested_by, for_ack_status)
       SELECT DISTINCT ON (a.id, s.id) a.notice_id, s.id, a.agency_id, a.id, 'notice.reminder', s.channel, s.email_addresses, s.webhook_url, x.stage, $3, $4, a.status
         FROM unnest($1::uuid[], $2::int[]) AS x(id, stage)
         JOIN acknowledgments a ON a.id = x.id
         JOIN deliveries od ON od.notice_id = a.notice_id AND od.agency_id = a.agency_id AND od.sequence = 0 AND od.subscription_id IS NOT NULL
         JOIN subscriptions s ON s.id = od.subscription_id AND s.status = 'active'
        WHERE x.stage <= 2
       ON CONFLICT DO NOTHING RETURNING id, agency_id, channel, subscription_id, event_type, sequence)
     ${audited}`,
    params,
  );
  const viaEmail = await m.query(
    `WITH ins AS (
       INSERT INTO deliveries (notice_id, agency_id, acknowledgment_id, event_type, channel, mandatory, recipients, sequence, note, requested_by, for_ack_status)
       SELECT a.notice_id, a.agency_id, a.id,
              CASE WHEN x.stage <= 2 THEN 'notice.reminder' ELSE 'notice.escalation' END, 'email', x.stage <= 2,
              CASE WHEN x.stage <= 2 THEN ARRAY[g.notices_contact_email] ELSE ARRAY[g.escalation_contacts[x.stage - 2]] END,
              x.stage, $3, $4, a.status
         FROM unnest($1::uuid[], $2::int[]) AS x(id, stage)
         JOIN acknowledgments a ON a.id = x.id JOIN agencies g ON g.id = a.agency_id
        WHERE x.stage > 2
           OR NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.acknowledgment_id = a.id AND d.event_type = 'notice.reminder'
                           AND d.sequence = x.stage AND d.subscription_id IS NOT NULL)
       ON CONFLICT DO NOTHING RETURNING id, agency_id, channel, subscription_id, event_type, sequence)
     ${audited}`,
    params,
  );
  return [...viaSubscriptions, ...viaEmail].map((r: { id: string }) => r.id);
}
