import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig, createFallbacks, nextTargetedPage, recipientMatching, refreshStaleStatistics, Severity, stageTime, systemActor } from '@sne/core';
import { OutgoingMessage, PermanentFailure, WORK_PUBLISHER, WorkPublisher } from '@sne/messaging';
import { EndpointJobs, deliveryJobs } from './delivery-jobs';
import { ACK_OF, AUDIT_CREATED, AUDIT_CREATED_CTE, AUDIT_CREATED_ROWS, HAD_ORIGINAL, INITIAL_STATUS, OPEN_RECORD } from './fan-out.sql';

export interface FanOutResult {
  acknowledgmentsCreated: number;
  deliveriesCreated: number;
  /** Deliveries handed to the couriers, and the job messages that carry them (up to FAN_OUT_JOB_DELIVERIES each; see delivery-jobs.ts). */
  deliveriesQueued: number;
  jobsPublished: number;
}

interface NoticeRow {
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

/**
 * Notice published → one acknowledgment per recipient agency, one delivery per matching
 * subscription (plus the mandatory email for critical notices), in a few set-based statements.
 * An update first carries its original's recipients over (fresh or copied acknowledgments,
 * notice.updated to each); a cancellation tells every recipient. Idempotent by the unique
 * constraints: a redelivered message finds its rows and carries on.
 */
@Injectable()
export class FanOutService {
  private readonly log = new Logger(FanOutService.name);

  constructor(
    private readonly db: DataSource,
    @Inject(WORK_PUBLISHER) private readonly publisher: WorkPublisher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async noticePublished(noticeId: string): Promise<FanOutResult> {
    const notice = await this.load(noticeId);
    if (notice.status === 'draft' || notice.status === 'in_review') {
      throw new PermanentFailure(`notice ${noticeId} is not published`);
    }
    if (notice.status === 'cancelled' && !notice.fanned_out_at) {
      // Withdrawn before it ever went out: nobody is told of a notice they never had.
      await this.db.query(`UPDATE notices SET fanned_out_at = now() WHERE id = $1`, [noticeId]);
      return { acknowledgmentsCreated: 0, deliveriesCreated: 0, deliveriesQueued: 0, jobsPublished: 0 };
    }
    const due = this.dueTimes(notice);
    // A first fan-out goes page by page; a repeat (a redelivered event after a crash) or an update does it whole, as one transaction.
    if (!notice.supersedes_id && !notice.has_deliveries) return this.fanOutInPages(noticeId, notice, due);
    const created = await this.db.transaction(async (m) => {
      let acks = 0;
      let deliveries = 0;
      if (await this.lockAndSeeCancelled(m, noticeId)) {
        await this.markFannedOut(m, noticeId);
        return { acknowledgmentsCreated: 0, deliveriesCreated: 0 };
      }
      if (notice.supersedes_id) {
        acks += await this.carryOverRecipients(m, noticeId, notice, due);
        deliveries += await this.tellRecipients(m, noticeId, notice.supersedes_id, 'notice.updated');
        deliveries += await this.coverHeld(m, noticeId);
      }
      const opened = await this.openRecords(m, noticeId, due);
      acks += opened.acks;
      deliveries += opened.deliveries.length;
      // Fallbacks for held deliveries first, so a disabled subscription's agency hears through its
      // fallback contacts as promised; the mandatory email then finds the slot taken.
      deliveries += await this.coverHeld(m, noticeId);
      if (notice.severity === 'critical') deliveries += (await this.createMandatoryDeliveries(m, noticeId)).length;
      await this.markFannedOut(m, noticeId);
      return { acknowledgmentsCreated: acks, deliveriesCreated: deliveries };
    });
    const queued = await this.publishJobs(noticeId);
    await refreshStaleStatistics(this.db);
    return this.logged(noticeId, { ...created, ...queued });
  }

  /**
   * The first fan-out of a notice, one page of targeted agencies at a time: each page's
   * acknowledgments, deliveries, fallbacks and audit events commit together. Jobs are gathered
   * across pages (EndpointJobs): an endpoint's job goes out once it is full, the rest are packed
   * together at the end or once enough wait, so couriers start on committed rows while the next
   * pages are written, with jobs as large as one page for the whole fan-out would make. The first
   * page is small (FAN_OUT_FIRST_PAGE_AGENCIES) and its jobs go out as soon as it commits: most of
   * a small notice's latency was the couriers waiting for the whole fan-out. A crash
   * between pages leaves whole pages; the redelivered event then finds deliveries, finishes the
   * rest whole and queues every pending delivery.
   */
  private async fanOutInPages(noticeId: string, notice: NoticeRow, due: DueTimes): Promise<FanOutResult> {
    const result: FanOutResult = { acknowledgmentsCreated: 0, deliveriesCreated: 0, deliveriesQueued: 0, jobsPublished: 0 };
    const jobs = new EndpointJobs(this.config.fanOutJobDeliveries);
    const publish = async (messages: OutgoingMessage[]) => {
      if (messages.length) await this.publisher.publishMany(messages);
      result.jobsPublished += messages.length;
    };
    // A quick first page: its jobs go out at once, so the first agencies hear while the rest is written.
    const { fanOutPageAgencies, fanOutFirstPageAgencies } = this.config;
    let quick = fanOutFirstPageAgencies > 0;
    const firstSize = quick ? Math.min(fanOutFirstPageAgencies, fanOutPageAgencies) : fanOutPageAgencies;
    const pageAfter = (after: string, size: number) => nextTargetedPage(this.db.manager, noticeId, after, size);
    // Statistics are refreshed beside the next page, not before it: one refresh at a time, the last awaited below.
    let refreshing: Promise<unknown> = Promise.resolve();
    for (let next = await pageAfter(MIN_UUID, firstSize), after = MIN_UUID; next; ) {
      const page = { after, upto: next.upto };
      // The next page's bounds are looked up while this one is written (they depend only on where this one ends).
      const following = next.last ? Promise.resolve(null) : pageAfter(next.upto, fanOutPageAgencies);
      following.catch(() => undefined); // awaited below; a failure must not go unhandled while this page is written
      const written = await this.db.transaction(async (m) => {
        if (await this.lockAndSeeCancelled(m, noticeId)) return undefined;
        const { acks, deliveries: created } = await this.openRecords(m, noticeId, due, page);
        // As in the whole fan-out: fallbacks before the mandatory email, which then finds the slot taken.
        const held = created.filter((r) => r.status === 'held').map((r) => r.id);
        const fallbacks = (await createFallbacks(m, held, systemActor('dispatcher'))).map((id) => ({ id, status: 'pending', target_url: null }));
        const mandatory = notice.severity === 'critical' ? await this.createMandatoryDeliveries(m, noticeId, page) : [];
        return { acks, rows: [...created, ...fallbacks, ...mandatory] };
      });
      // Cancelled between pages: the cancellation tells the agencies the committed pages reached, and nobody else hears of it.
      if (!written) break;
      const { acks, rows } = written;
      const pending = rows.filter((r) => r.status === 'pending').map((r) => ({ ...r, attempt_count: 0 }));
      const ready = jobs.add(pending.sort((a, b) => (a.id < b.id ? -1 : 1)));
      // The quick page's jobs and the last page's go out as soon as the page commits.
      await publish(quick || next.last ? [...ready, ...jobs.drain()] : ready);
      quick = false;
      // After the page's jobs are out: the couriers' plans are made again for the tables' new size.
      await refreshing;
      refreshing = refreshStaleStatistics(this.db);
      result.acknowledgmentsCreated += acks;
      result.deliveriesCreated += rows.length;
      result.deliveriesQueued += pending.length;
      after = next.upto;
      next = await following;
    }
    await refreshing;
    await publish(jobs.drain());
    await this.markFannedOut(this.db.manager, noticeId);
    return this.logged(noticeId, result);
  }

  private logged(noticeId: string, r: FanOutResult): FanOutResult {
    this.log.log(`notice ${noticeId}: ${r.acknowledgmentsCreated} acknowledgments and ${r.deliveriesCreated} deliveries created, ${r.deliveriesQueued} queued in ${r.jobsPublished} jobs`);
    return r;
  }

  /**
   * Whether the notice was cancelled, read while stamping `fan_out_page_at`. The stamp holds the
   * notice's row lock to the end of the caller's transaction: a cancellation (which locks the
   * notice for update) waits for the page being written and the page after it sees the
   * cancellation, so the cancellation's own fan-out finds every agency that was reached; a repeat of
   * the event waits for the page too. The sweeper reads the stamp as a sign of life.
   */
  private async lockAndSeeCancelled(m: EntityManager, noticeId: string): Promise<boolean> {
    const [row] = await m.query(`WITH u AS (UPDATE notices SET fan_out_page_at = now() WHERE id = $1 RETURNING status) SELECT status FROM u`, [noticeId]);
    return row.status === 'cancelled';
  }

  private async markFannedOut(m: EntityManager, noticeId: string): Promise<void> {
    await m.query(`UPDATE notices SET fanned_out_at = COALESCE(fanned_out_at, now()) WHERE id = $1`, [noticeId]);
  }

  /** Every agency that received the notice is told of its cancellation (its records were closed when it was cancelled). */
  async noticeCancelled(noticeId: string): Promise<FanOutResult> {
    const notice = await this.load(noticeId);
    if (notice.status !== 'cancelled') throw new PermanentFailure(`notice ${noticeId} is not cancelled`);
    const deliveriesCreated = await this.db.transaction(async (m) => {
      const created = (await this.tellRecipients(m, noticeId, noticeId, 'notice.cancelled')) + (await this.coverHeld(m, noticeId));
      await m.query(`UPDATE notices SET cancellation_sent_at = COALESCE(cancellation_sent_at, now()) WHERE id = $1`, [noticeId]);
      return created;
    });
    return { acknowledgmentsCreated: 0, deliveriesCreated, ...(await this.publishJobs(noticeId)) };
  }

  private async load(noticeId: string): Promise<NoticeRow> {
    const [notice] = await this.db.query(
      `SELECT status, severity, category, reference, acknowledge_by, actions_due_by, published_at, supersedes_id, material, fanned_out_at,
              EXISTS (SELECT 1 FROM deliveries WHERE notice_id = $1) AS has_deliveries
         FROM notices WHERE id = $1`,
      [noticeId],
    );
    if (!notice) throw new PermanentFailure(`notice ${noticeId} does not exist`);
    return notice;
  }

  /** Due times from the notice, or the configured defaults by severity; the first reminder's time. */
  private dueTimes(n: NoticeRow) {
    const published = n.published_at.getTime();
    const ackDue = n.acknowledge_by ?? new Date(published + this.config.ackDueMs[n.severity]);
    const actionsDue = n.category === 'alert' ? (n.actions_due_by ?? new Date(published + this.config.actionsDueMs[n.severity])) : null;
    const firstReminder = stageTime(1, { publishedAt: n.published_at, dueAt: ackDue, escalationContacts: 0 }, this.config);
    return { ackDue, actionsDue, firstReminder };
  }

  /**
   * One statement for the agencies matched (or the page of them): an acknowledgment for each
   * recipient agency, a delivery for each matching subscription, and an audit event for every row.
   * The deliveries take their acknowledgment from the rows just inserted, or for an agency that
   * already had one (a repeat, an update's carried-over record) by its unique key, so the
   * matching is computed once. For an update, agencies that had the original get no new
   * subscription delivery here: tellRecipients told them.
   */
  private async openRecords(m: EntityManager, noticeId: string, due: DueTimes, page?: AgencyPage): Promise<{ acks: number; deliveries: CreatedDelivery[] }> {
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
  private async carryOverRecipients(m: EntityManager, noticeId: string, n: NoticeRow, due: DueTimes): Promise<number> {
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
  private async tellRecipients(m: EntityManager, noticeId: string, sourceId: string, event: 'notice.updated' | 'notice.cancelled'): Promise<number> {
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
  private async coverHeld(m: EntityManager, noticeId: string): Promise<number> {
    const held: { id: string }[] = await m.query(`SELECT id FROM deliveries WHERE notice_id = $1 AND status = 'held'`, [noticeId]);
    return (await createFallbacks(m, held.map((h) => h.id), systemActor('dispatcher'))).length;
  }

  /** Critical notices are mandatory: a targeted agency with no matching subscription is emailed at its notices contact. */
  private async createMandatoryDeliveries(m: EntityManager, noticeId: string, page?: AgencyPage): Promise<CreatedDelivery[]> {
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

  /**
   * Jobs go out after the rows commit. A crash before this line leaves the notice message
   * unacknowledged, so it comes back and this runs again; the msgId drops repeats.
   */
  private async publishJobs(noticeId: string): Promise<{ deliveriesQueued: number; jobsPublished: number }> {
    // In pages, so a fan-out to 100,000 never holds every job in memory at once.
    let queued = 0;
    let published = 0;
    let after = MIN_UUID;
    for (;;) {
      const rows: { id: string; attempt_count: number; target_url: string | null }[] = await this.db.query(
        `SELECT id, attempt_count, target_url FROM deliveries
          WHERE notice_id = $1 AND sequence = 0 AND status = 'pending' AND id > $2 ORDER BY id LIMIT ${JOB_PAGE}`,
        [noticeId, after],
      );
      if (rows.length === 0) return { deliveriesQueued: queued, jobsPublished: published };
      const jobs = deliveryJobs(rows, this.config.fanOutJobDeliveries);
      await this.publisher.publishMany(jobs);
      queued += rows.length;
      published += jobs.length;
      after = rows[rows.length - 1].id;
    }
  }
}

const JOB_PAGE = 5000;
const MIN_UUID = '00000000-0000-0000-0000-000000000000';

/** Targeted agencies with after < id <= upto. */
type AgencyPage = { after: string; upto: string };
type CreatedDelivery = { id: string; status: string; target_url: string | null };

function pageParams(page?: AgencyPage): string[] {
  return page ? [page.after, page.upto] : [];
}

type DueTimes = ReturnType<FanOutService['dueTimes']>;
