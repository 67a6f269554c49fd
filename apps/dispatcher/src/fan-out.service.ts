import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig, createFallbacks, nextTargetedPage, refreshStaleStatistics, stageTime, systemActor } from '@sne/core';
import { OutgoingMessage, PermanentFailure, WORK_PUBLISHER, WorkPublisher } from '@sne/messaging';
import { EndpointJobs, deliveryJobs } from './delivery-jobs';
import { AgencyPage, carryOverRecipients, coverHeld, CreatedDelivery, createMandatoryDeliveries, DueTimes, NoticeRow, openRecords, tellRecipients } from './fan-out.records';

export interface FanOutResult {
  acknowledgmentsCreated: number;
  deliveriesCreated: number;
  /** Deliveries handed to the couriers, and the job messages that carry them (up to FAN_OUT_JOB_DELIVERIES each; see delivery-jobs.ts). */
  deliveriesQueued: number;
  jobsPublished: number;
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
        acks += await carryOverRecipients(m, noticeId, notice, due);
        deliveries += await tellRecipients(m, noticeId, notice.supersedes_id, 'notice.updated');
        deliveries += await coverHeld(m, noticeId);
      }
      const opened = await openRecords(m, noticeId, due);
      acks += opened.acks;
      deliveries += opened.deliveries.length;
      // Fallbacks for held deliveries first, so a disabled subscription's agency hears through its
      // fallback contacts as promised; the mandatory email then finds the slot taken.
      deliveries += await coverHeld(m, noticeId);
      if (notice.severity === 'critical') deliveries += (await createMandatoryDeliveries(m, noticeId)).length;
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
    /** A committed page's pending deliveries join the jobs; the quick page's go out at once, full or not. */
    const queue = async (written: WrittenPage, quick: boolean) => {
      const pending = written.rows.filter((r) => r.status === 'pending').map((r) => ({ ...r, attempt_count: 0 }));
      const ready = jobs.add(pending.sort((a, b) => (a.id < b.id ? -1 : 1)));
      await publish(quick ? [...ready, ...jobs.drain()] : ready);
      result.acknowledgmentsCreated += written.acks;
      result.deliveriesCreated += written.rows.length;
      result.deliveriesQueued += pending.length;
    };
    const { fanOutPageAgencies, fanOutFirstPageAgencies } = this.config;
    let next = await nextTargetedPage(this.db.manager, noticeId, MIN_UUID, fanOutFirstPageAgencies > 0 ? Math.min(fanOutFirstPageAgencies, fanOutPageAgencies) : fanOutPageAgencies);
    let after = MIN_UUID;
    let cancelled = false;
    if (next && fanOutFirstPageAgencies > 0) {
      // A quick first page, its jobs out the moment it commits, and the next page written beside it
      // (it takes the notice's lock last, so it commits right after the first): the first agencies
      // hear while the rest is written, and the rest does not wait for the first page's commit.
      const first = { after, upto: next.upto };
      const second = next.last ? null : await nextTargetedPage(this.db.manager, noticeId, next.upto, fanOutPageAgencies);
      const [one, two] = await Promise.allSettled([
        this.writePage(noticeId, notice, due, first, 'first').then(async (w) => w && (await queue(w, true), w)),
        second ? this.writePage(noticeId, notice, due, { after: next.upto, upto: second.upto }, 'last') : Promise.resolve(null),
      ]);
      if (one.status === 'rejected') throw one.reason;
      if (two.status === 'rejected') throw two.reason;
      if (two.value) await queue(two.value, false);
      cancelled = !one.value || two.value === undefined;
      after = second ? second.upto : next.upto;
      next = second && !second.last ? await nextTargetedPage(this.db.manager, noticeId, after, fanOutPageAgencies) : null;
      // After the first pages' jobs are out: the couriers' plans are made again for the tables' new size.
      await refreshStaleStatistics(this.db);
    }
    for (; next && !cancelled; next = next.last ? null : await nextTargetedPage(this.db.manager, noticeId, after, fanOutPageAgencies)) {
      const written = await this.writePage(noticeId, notice, due, { after, upto: next.upto }, 'first');
      // Cancelled between pages: the cancellation tells the agencies the committed pages reached, and nobody else hears of it.
      if (!written) break;
      await queue(written, false);
      after = next.upto;
      await refreshStaleStatistics(this.db);
    }
    await publish(jobs.drain());
    await this.markFannedOut(this.db.manager, noticeId);
    return this.logged(noticeId, result);
  }

  /**
   * One page of targeted agencies, committed whole: acknowledgments, deliveries, fallbacks,
   * mandatory emails and their audit events; undefined when the notice was cancelled. The page
   * stamps and locks the notice first, or, written beside the page before it, last: the
   * cancellation rule holds either way (a page commits only rows of a notice it saw uncancelled
   * while holding the lock a cancellation needs).
   */
  private async writePage(noticeId: string, notice: NoticeRow, due: DueTimes, page: AgencyPage, lock: 'first' | 'last'): Promise<WrittenPage | undefined> {
    return this.db
      .transaction(async (m) => {
        if (lock === 'first' && (await this.lockAndSeeCancelled(m, noticeId))) return undefined;
        const { acks, deliveries: created } = await openRecords(m, noticeId, due, page);
        // As in the whole fan-out: fallbacks before the mandatory email, which then finds the slot taken.
        const held = created.filter((r) => r.status === 'held').map((r) => r.id);
        const fallbacks = (await createFallbacks(m, held, systemActor('dispatcher'))).map((id) => ({ id, status: 'pending', target_url: null }));
        const mandatory = notice.severity === 'critical' ? await createMandatoryDeliveries(m, noticeId, page) : [];
        if (lock === 'last' && (await this.lockAndSeeCancelled(m, noticeId))) throw CANCELLED_WHILE_WRITTEN;
        return { acks, rows: [...created, ...fallbacks, ...mandatory] };
      })
      .catch((err) => {
        if (err === CANCELLED_WHILE_WRITTEN) return undefined;
        throw err;
      });
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
      const created = (await tellRecipients(m, noticeId, noticeId, 'notice.cancelled')) + (await coverHeld(m, noticeId));
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
  private dueTimes(n: NoticeRow): DueTimes {
    const published = n.published_at.getTime();
    const ackDue = n.acknowledge_by ?? new Date(published + this.config.ackDueMs[n.severity]);
    const actionsDue = n.category === 'alert' ? (n.actions_due_by ?? new Date(published + this.config.actionsDueMs[n.severity])) : null;
    const firstReminder = stageTime(1, { publishedAt: n.published_at, dueAt: ackDue, escalationContacts: 0 }, this.config);
    return { ackDue, actionsDue, firstReminder };
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

type WrittenPage = { acks: number; rows: CreatedDelivery[] };
/** Rolls back a page that found the notice cancelled when it took the lock last. */
const CANCELLED_WHILE_WRITTEN = new Error('the notice was cancelled while the page was written');
