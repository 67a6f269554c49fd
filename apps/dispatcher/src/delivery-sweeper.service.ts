import { Inject, Injectable, Optional, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, audit, DatabaseAvailability, PeriodicTask, reconcileHeld, Subjects, systemActor } from '@sne/core';
import { endpointOf, WORK_PUBLISHER, WorkPublisher } from '@sne/messaging';

const SWEEP_EVERY_MS = 5000;
const BATCH = 2000;

/**
 * Nothing depends on a message surviving: deliveries whose lease expired mid-send, or whose
 * due time passed well ago without a courier claiming them, get a fresh job. Safe with
 * several replicas: a duplicate job only finds the delivery already claimed or done.
 */
@Injectable()
export class DeliverySweeper {
  private readonly log = new Logger(DeliverySweeper.name);
  private readonly task: PeriodicTask;

  constructor(
    private readonly db: DataSource,
    @Inject(WORK_PUBLISHER) private readonly publisher: WorkPublisher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() availability?: DatabaseAvailability,
  ) {
    this.task = new PeriodicTask('delivery sweep', SWEEP_EVERY_MS, () => this.sweep(), { availability });
  }

  start(): void {
    this.task.start();
  }

  stop(): void {
    this.task.stop();
  }

  /** Returns how many deliveries were re-queued. */
  async sweep(): Promise<number> {
    await this.redoLostNoticeEvents();
    // Abandoned attempts first, so one whose subscription was deleted or paused meanwhile is ended
    // or held by the reconciliation, not re-queued to a courier that cannot send it.
    const closed = await this.closeAbandonedAttempts();
    await this.reconcileWithSubscriptions();
    const abandoned = await this.stillOpen(closed);
    await this.forgetExpiredSecrets();
    const graceMs = this.config.deliveryLeaseMs;
    const rows: { id: string; attempt_count: number; target_url: string | null }[] = await this.db.query(
      `SELECT id, attempt_count, target_url FROM deliveries
        WHERE phase = 'open' -- the due index
          AND (status IN ('pending','retrying') AND next_attempt_at < now() - make_interval(secs => $1::float / 1000))
        ORDER BY next_attempt_at LIMIT ${BATCH}`,
      [graceMs],
    );
    rows.push(...abandoned);
    if (rows.length === 0) return 0;
    // One re-queue per delivery per grace period: the window bucket goes into the msgId.
    const bucket = Math.floor(Date.now() / graceMs);
    await this.publisher.publishMany(
      rows.map((r) => ({
        subject: Subjects.deliveryJobs,
        payload: { deliveryId: r.id, endpoint: endpointOf(r.target_url) },
        msgId: `sweep:${r.id}:${r.attempt_count}:${bucket}`,
      })),
    );
    this.log.warn(`re-queued ${rows.length} stuck deliveries`);
    return rows.length;
  }

  /** The deliveries the reconciliation left pending or retrying. */
  private async stillOpen<T extends { id: string }>(rows: T[]): Promise<T[]> {
    if (rows.length === 0) return rows;
    const open: { id: string }[] = await this.db.query(
      `SELECT id FROM deliveries WHERE id = ANY($1::uuid[]) AND status IN ('pending','retrying')`,
      [rows.map((r) => r.id)],
    );
    const ids = new Set(open.map((r) => r.id));
    return rows.filter((r) => ids.has(r.id));
  }

  /**
   * A signing secret rotated out signs for its 24 hours only; after that it is no use to anyone,
   * so it is not kept (sealed or not) until the next rotation. One audit event per subscription.
   */
  private async forgetExpiredSecrets(): Promise<void> {
    await this.db.transaction(async (m) => {
      const gone: { subscription_id: string; agency_id: string; removed: number }[] = await m.query(
        `WITH gone AS (DELETE FROM subscription_retired_secrets WHERE expires_at <= now() RETURNING subscription_id)
         SELECT g.subscription_id, s.agency_id, count(*)::int AS removed FROM gone g JOIN subscriptions s ON s.id = g.subscription_id GROUP BY 1, 2`,
      );
      for (const g of gone) {
        await audit(m, systemActor('sweeper'), {
          action: 'subscription.retired_secrets_removed',
          entityType: 'subscription',
          entityId: g.subscription_id,
          agencyId: g.agency_id,
          after: { removed: g.removed, reason: 'their 24 hours of signing were over' },
        });
      }
    });
  }

  /**
   * A delivery whose subscription changed state under it (a retry recorded just after a pause,
   * say) is put right: held, released, or ended as its subscription's state says. A deleted
   * subscription's messages of every kind end here, so one left open before deletions ended them
   * all (a test event retrying, re-queued every minute) ends at the first sweep after an upgrade.
   */
  private async reconcileWithSubscriptions(): Promise<void> {
    const { moved, fallbacks } = await this.db.transaction((m) => reconcileHeld(m, systemActor('sweeper')));
    if (fallbacks.length) {
      await this.publisher.publishMany(
        fallbacks.map((id) => ({ subject: Subjects.deliveryJobs, payload: { deliveryId: id }, msgId: `delivery:${id}:0` })),
      );
    }
    if (moved) this.log.warn(`put ${moved} deliveries in line with their subscription's state (${fallbacks.length} fallback emails)`);
  }

  /**
   * A courier that died mid-attempt left its delivery `sending` under a lease that has now
   * expired. The attempt is recorded as having no outcome (the receiver may or may not have it:
   * the retry carries the same webhook-id), and the delivery goes back to retrying.
   */
  private async closeAbandonedAttempts(): Promise<{ id: string; attempt_count: number; target_url: string | null }[]> {
    return this.db.query(
      `WITH s AS (
         SELECT id, updated_at AS claimed_at FROM deliveries
          WHERE phase = 'open' AND status = 'sending' AND lease_until < now() LIMIT ${BATCH} FOR UPDATE SKIP LOCKED),
       x AS (
         UPDATE deliveries d SET status = 'retrying', lease_until = NULL, next_attempt_at = now(), updated_at = now(),
                last_error = 'no outcome: the courier stopped during attempt ' || d.attempt_count
           FROM s WHERE d.id = s.id
         RETURNING d.id, d.agency_id, d.attempt_count, d.target_url, s.claimed_at),
       att AS (
         INSERT INTO delivery_attempts (delivery_id, attempt_number, started_at, duration_ms, succeeded, error)
         SELECT id, attempt_count, claimed_at, 0, false, 'no outcome recorded: the courier stopped or lost its lease during this attempt' FROM x),
       au AS (
         INSERT INTO audit_events (actor_type, actor_id, agency_id, action, entity_type, entity_id, before, after)
         SELECT 'system', 'sweeper', agency_id, 'delivery.retrying', 'delivery', id, '{"status":"sending"}',
                jsonb_build_object('status', 'retrying', 'attempt', attempt_count, 'error', 'lease expired') FROM x)
       SELECT id, attempt_count, target_url FROM x`,
    );
  }

  /**
   * A notice whose publication or cancellation was committed but never fanned out (its message
   * lost) is asked for again. The fan-out is idempotent, so asking twice costs nothing; one still
   * writing pages (a page within the grace) is left to finish.
   */
  private async redoLostNoticeEvents(): Promise<void> {
    const graceMs = 30_000;
    const rows: { id: string; type: 'notice.published' | 'notice.cancelled' }[] = await this.db.query(
      `SELECT id, 'notice.published' AS type FROM notices
        WHERE status IN ('published','superseded','cancelled') AND fanned_out_at IS NULL
          AND published_at < now() - make_interval(secs => $1::float / 1000)
          AND (fan_out_page_at IS NULL OR fan_out_page_at < now() - make_interval(secs => $1::float / 1000))
       UNION ALL
       SELECT id, 'notice.cancelled' FROM notices
        WHERE status = 'cancelled' AND cancellation_sent_at IS NULL AND fanned_out_at IS NOT NULL
          AND cancelled_at < now() - make_interval(secs => $1::float / 1000)
       LIMIT 100`,
      [graceMs],
    );
    if (rows.length === 0) return;
    const bucket = Math.floor(Date.now() / graceMs);
    await this.publisher.publishMany(
      rows.map((r) => ({ subject: Subjects.noticeEvents, payload: { type: r.type, noticeId: r.id }, msgId: `redo:${r.type}:${r.id}:${bucket}` })),
    );
    this.log.warn(`asked again for ${rows.length} notice events that were never carried out`);
  }
}
