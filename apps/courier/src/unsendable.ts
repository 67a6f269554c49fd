import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createFallbacks, endForDeletedSubscription, systemActor } from '@sne/core';
import type { ClaimedDelivery } from './delivery.repository';

/**
 * A claimed delivery that no attempt could send: its subscription is gone, it is a notice's
 * message for a subscription that is not active, or it has nothing to sign with or send to.
 * Retrying cannot change any of these, so it ends (or is held) at once, with its reason:
 * thrown out of the handler instead, its job came back and failed again for ever (a deleted
 * subscription's test event did, signing with the secret the deletion wiped).
 */
export type Unsendable =
  /** The subscription was deleted (or its row is gone): ends as a deletion ends it (deleted-subscription.ts). */
  | { end: 'deleted' }
  /** A notice's message while its subscription is paused or disabled: waits for the resumption, as the sweeper would hold it. */
  | { end: 'held'; reason: string }
  /** Nothing to sign with or send to: a dead letter (a notice's is emailed to the fallback contacts). */
  | { end: 'failed'; reason: string };

/** Why this claimed delivery cannot be sent, or undefined when it can. */
export function whyUnsendable(d: ClaimedDelivery): Unsendable | undefined {
  if (d.subscription_id !== null) {
    if (d.subscription_status === null || d.subscription_status === 'deleted') return { end: 'deleted' };
    if (d.notice_id !== null && d.subscription_status !== 'active') return { end: 'held', reason: `subscription ${d.subscription_status}` };
  }
  if (d.channel === 'webhook') {
    if (!isHttpUrl(d.target_url)) return { end: 'failed', reason: 'not sent: no webhook URL to send to' };
    if (!d.signing_secret && d.retired_secrets.length === 0) return { end: 'failed', reason: 'not sent: no signing secret to sign it with' };
    return undefined;
  }
  if (!d.recipients.some((r) => typeof r === 'string' && r.trim() !== '')) return { end: 'failed', reason: 'not sent: no email address to send to' };
  return undefined;
}

function isHttpUrl(raw: string | null): boolean {
  if (!raw) return false;
  try {
    return ['http:', 'https:'].includes(new URL(raw).protocol);
  } catch {
    return false;
  }
}

/** Ends (or holds) an unsendable delivery the courier holds the lease on, in one transaction. */
@Injectable()
export class UnsendableDeliveries {
  constructor(private readonly db: DataSource) {}

  /** Returns the fallback emails created, for the caller to enqueue (the sweeper does if it dies first). */
  async end(d: ClaimedDelivery, why: Unsendable, component: string): Promise<string[]> {
    const actor = systemActor(component);
    return this.db.transaction(async (m) => {
      const held = await m.query(`SELECT 1 FROM deliveries WHERE id = $1 AND status = 'sending' AND attempt_count = $2 FOR UPDATE`, [d.id, d.attempt_count]);
      if (held.length === 0) return []; // the lease was lost: whoever holds it now decides
      const reason = why.end === 'deleted' ? 'not sent: subscription deleted' : why.reason;
      // The claim counted an attempt; its history says why it sent nothing.
      await m.query(
        `INSERT INTO delivery_attempts (delivery_id, attempt_number, recipient, started_at, duration_ms, succeeded, error)
         VALUES ($1, $2, $3, now(), 0, false, $4)`,
        [d.id, d.attempt_count, d.channel === 'webhook' ? d.target_url : null, reason],
      );
      if (why.end === 'deleted') return endForDeletedSubscription(m, [d.id], actor);
      const rows: { id: string }[] = await m.query(
        `WITH e AS (
           UPDATE deliveries SET status = $2, last_error = $3, lease_until = NULL, updated_at = now()
            WHERE id = $1 AND status = 'sending' RETURNING id, agency_id, status)
         INSERT INTO audit_events (actor_type, actor_id, agency_id, action, entity_type, entity_id, before, after)
         SELECT 'system', $4, agency_id, 'delivery.' || status, 'delivery', id, '{"status":"sending"}',
                jsonb_build_object('status', status, 'error', $3::text)
           FROM e RETURNING entity_id AS id`,
        [d.id, why.end, reason, component],
      );
      return createFallbacks(m, rows.map((r) => r.id), actor);
    });
  }
}
