import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A delivery as claimed by a courier, with what it needs to send it. */
export interface ClaimedDelivery {
  id: string;
  notice_id: string | null;
  subscription_id: string | null;
  agency_id: string;
  acknowledgment_id: string | null;
  event_type: string;
  channel: 'email' | 'webhook';
  recipients: string[];
  delivered_recipients: string[];
  target_url: string | null;
  attempt_count: number;
  schedule_start: number;
  signing_secret: string | null;
  previous_secret: string | null;
  due_at: Date | null;
  agency_name: string;
  time_zone: string;
}

export interface AttemptRecord {
  recipient: string | null;
  startedAt: Date;
  durationMs: number;
  succeeded: boolean;
  statusCode?: number;
  smtpResponse?: string;
  error?: string;
}

export interface Outcome {
  status: 'delivered' | 'retrying' | 'failed';
  nextAttemptAt?: Date;
  lastError: string | null;
  deliveredRecipients: string[];
  attempts: AttemptRecord[];
  /** 410 Gone: the receiver asked us to stop sending to this endpoint. */
  disableSubscription?: boolean;
}

/** The courier's SQL: claim a delivery under a lease, then record its attempt and outcome in one statement. */
@Injectable()
export class DeliveryRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Takes the delivery if it is due and nobody holds a live lease on it. Two couriers given
   * the same job cannot both win: the UPDATE's row lock and its WHERE decide.
   */
  async claim(id: string, leaseMs: number): Promise<ClaimedDelivery | undefined> {
    const rows: ClaimedDelivery[] = await this.db.query(
      `WITH c AS (
         UPDATE deliveries SET status = 'sending', attempt_count = attempt_count + 1,
                lease_until = now() + make_interval(secs => $2::float / 1000), updated_at = now()
          WHERE id = $1
            AND ((status IN ('pending','retrying') AND next_attempt_at <= now())
                 OR (status = 'sending' AND lease_until < now()))
          RETURNING *)
       SELECT c.id, c.notice_id, c.subscription_id, c.agency_id, c.acknowledgment_id, c.event_type, c.channel,
              c.recipients, c.delivered_recipients, c.target_url, c.attempt_count, c.schedule_start,
              s.signing_secret,
              CASE WHEN s.previous_secret_expires_at > now() THEN s.previous_signing_secret END AS previous_secret,
              a.due_at, g.name AS agency_name, g.time_zone
         FROM c JOIN agencies g ON g.id = c.agency_id
         LEFT JOIN subscriptions s ON s.id = c.subscription_id
         LEFT JOIN acknowledgments a ON a.id = c.acknowledgment_id`,
      [id, leaseMs],
    );
    return rows[0];
  }

  /** Why a job found nothing to claim. */
  async state(id: string): Promise<{ status: string; next_attempt_at: Date } | undefined> {
    const rows = await this.db.query(`SELECT status, next_attempt_at FROM deliveries WHERE id = $1`, [id]);
    return rows[0];
  }

  /** Attempts, the delivery's new state and its audit event land together, only if we still hold the lease. */
  async record(d: ClaimedDelivery, o: Outcome, component: string): Promise<boolean> {
    const a = o.attempts;
    const rows = await this.db.query(
      `WITH att AS (
         INSERT INTO delivery_attempts (delivery_id, attempt_number, recipient, started_at, duration_ms, succeeded, status_code, smtp_response, error)
         SELECT $1, $2, * FROM unnest($3::text[], $4::timestamptz[], $5::int[], $6::bool[], $7::int[], $8::text[], $9::text[])),
       d AS (
         UPDATE deliveries SET status = $10, next_attempt_at = COALESCE($11, next_attempt_at), lease_until = NULL,
                last_error = $12, delivered_recipients = $13::text[],
                delivered_at = CASE WHEN $10 = 'delivered' THEN now() END, updated_at = now()
          WHERE id = $1 AND status = 'sending' AND attempt_count = $2
          RETURNING id, agency_id, status, attempt_count, subscription_id),
       sub AS (
         UPDATE subscriptions SET status = 'disabled', updated_at = now()
          WHERE $14 AND id = (SELECT subscription_id FROM d) AND status = 'active'
          RETURNING id, agency_id),
       audit_sub AS (
         INSERT INTO audit_events (actor_type, actor_id, agency_id, action, entity_type, entity_id, before, after)
         SELECT 'system', $15, agency_id, 'subscription.disabled', 'subscription', id,
                jsonb_build_object('status', 'active'), jsonb_build_object('status', 'disabled', 'reason', '410 Gone from the endpoint')
           FROM sub)
       INSERT INTO audit_events (actor_type, actor_id, agency_id, action, entity_type, entity_id, before, after)
       SELECT 'system', $15, agency_id, 'delivery.' || status, 'delivery', id, jsonb_build_object('status', 'sending'),
              jsonb_build_object('status', status, 'attempt', attempt_count, 'nextAttemptAt', $11::timestamptz, 'error', $12::text)
         FROM d RETURNING 1`,
      [
        d.id,
        d.attempt_count,
        a.map((x) => x.recipient),
        a.map((x) => x.startedAt),
        a.map((x) => Math.round(x.durationMs)),
        a.map((x) => x.succeeded),
        a.map((x) => x.statusCode ?? null),
        a.map((x) => x.smtpResponse?.slice(0, 1000) ?? null),
        a.map((x) => x.error?.slice(0, 1000) ?? null),
        o.status,
        o.nextAttemptAt ?? null,
        o.lastError?.slice(0, 1000) ?? null,
        o.deliveredRecipients,
        o.disableSubscription === true,
        component,
      ],
    );
    return rows.length > 0;
  }
}
