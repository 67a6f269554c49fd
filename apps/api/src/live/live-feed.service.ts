import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@sne/core';
import { AuditListener } from './audit-listener.service';
import { maskText, seesFullTarget } from '../tracking/delivery-redaction';

export const HEARTBEAT_MS = 15000;
export const BATCH = 500;
/**
 * How often, by default, an open feed asks whether its caller may still read it (key not revoked
 * or expired, user not disabled, agency not offboarded, session alive): LIVE_FEED_RECHECK_SECONDS.
 * Authorization happens when a stream opens, but a stream lasts for hours: this bounds how long
 * it outlives its credentials, at one indexed lookup per open feed per interval.
 */
export const RECHECK_MS = 5000;

/** Resolves false (or throws) once the caller may no longer read the feed. */
export type StillAllowed = () => Promise<boolean>;

/** Which events a feed carries: those of one notice, or everything concerning one agency (`viewerAgencyId`: whose feed it is). */
export type FeedFilter =
  | { kind: 'notice'; noticeId: string; onlyAgencyId: string | null; viewerAgencyId: string }
  | { kind: 'agency'; agencyId: string };

export interface FeedEvent {
  id: string;
  event: string;
  data: { entityType: string; entityId: string; noticeId: string | null; agencyId: string | null; at: string; after: unknown };
}

/**
 * Delivery and acknowledgment events, with the notice and agency of the row they are about
 * (entity_id names a delivery or an acknowledgment). The CASE keeps the uuid cast away from the
 * text ids of other entity types, whatever plan is chosen.
 */
const EVENTS = `
  SELECT e.id::text AS id, e.at, e.action, e.entity_type, e.entity_id, e.after,
         COALESCE(d.notice_id, a.notice_id) AS notice_id, COALESCE(d.agency_id, a.agency_id) AS agency_id,
         d.channel AS delivery_channel, d.subscription_id AS delivery_subscription_id
    FROM audit_events e
    LEFT JOIN deliveries d ON d.id = (CASE WHEN e.entity_type = 'delivery' THEN e.entity_id::uuid END)
    LEFT JOIN acknowledgments a ON a.id = (CASE WHEN e.entity_type = 'acknowledgment' THEN e.entity_id::uuid END)
    LEFT JOIN notices n ON n.id = COALESCE(d.notice_id, a.notice_id)
   WHERE e.id > $1 AND e.id <= $2 AND e.entity_type IN ('delivery', 'acknowledgment')`;

const FILTERS = {
  notice: `AND COALESCE(d.notice_id, a.notice_id) = $3 AND ($4::uuid IS NULL OR COALESCE(d.agency_id, a.agency_id) = $4)`,
  agency: `AND (COALESCE(d.agency_id, a.agency_id) = $3 OR n.issuing_agency_id = $3)`,
};

/**
 * Server-Sent Events over the audit log. A feed starts after `Last-Event-ID` (or at the current
 * high-water mark), sends every matching event with a greater id in order, then live ones as the
 * shared listener wakes it: each event once, none skipped. A heartbeat comment every 15 s keeps
 * proxies from closing an idle stream; the feed is dropped when the client goes away, and ended
 * when its caller's credentials stop being valid (checked every LIVE_FEED_RECHECK_SECONDS).
 */
@Injectable()
export class LiveFeedService implements OnModuleDestroy {
  private readonly log = new Logger(LiveFeedService.name);
  private readonly open = new Set<Response>();

  private readonly recheckMs: number;

  constructor(
    private readonly db: DataSource,
    private readonly listener: AuditListener,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'liveFeedRecheckMs'>,
  ) {
    this.recheckMs = config.liveFeedRecheckMs;
  }

  get openFeeds(): number {
    return this.open.size;
  }

  /** Headers are sent here: everything that can refuse the request (auth, 404, 400) has run before. */
  async stream(req: Request, res: Response, filter: FeedFilter, lastEventId: bigint | null, stillAllowed: StillAllowed): Promise<void> {
    let closed = false;
    let last = lastEventId ?? (await this.listener.safeId());
    let target = last;
    let pumping = false;
    let heartbeat: NodeJS.Timeout | undefined;
    let recheck: NodeJS.Timeout | undefined;
    let checking = false;
    let unsubscribe: () => void = () => undefined;

    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      clearInterval(recheck);
      unsubscribe();
      this.open.delete(res);
      if (!res.writableEnded) res.end();
    };
    req.on('close', close);
    res.on('close', close);
    res.on('error', close);
    if (req.destroyed) return close();

    req.socket.setTimeout(0);
    req.socket.setNoDelay(true);
    req.socket.setKeepAlive(true);
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    this.open.add(res);
    // Clients reconnect after 2 s and say where they were with Last-Event-ID.
    await write(res, `retry: 2000\n: connected after ${last}\n\n`);

    const pump = async () => {
      if (pumping || closed) return;
      pumping = true;
      try {
        while (!closed && last < target) {
          const upTo = target;
          const events = await this.read(filter, last, upTo);
          for (const e of events) {
            if (closed) return;
            await write(res, format(e));
            last = BigInt(e.id);
          }
          // Fewer than a batch: nothing else matches up to the mark, so skip the rest of the range.
          if (events.length < BATCH) last = upTo;
        }
      } catch (err) {
        // The database is unreachable: the next wake (notification or poll) tries again from `last`.
        this.log.warn(`live feed read failed: ${err.message}`);
      } finally {
        pumping = false;
      }
      if (!closed && last < target) void pump();
    };

    // Fails closed: when the check cannot run (database unreachable) the stream ends too; the
    // client reconnects through the guard.
    const check = async () => {
      if (checking || closed) return;
      checking = true;
      let allowed = false;
      try {
        allowed = await stillAllowed();
      } catch (err) {
        this.log.warn(`live feed credential check failed: ${err.message}`);
      } finally {
        checking = false;
      }
      if (allowed || closed) return;
      // Not awaited: a slow reader must not keep the stream (and the pump) going.
      void write(res, `: credentials no longer valid\n\n`);
      close();
    };

    if (closed) return;
    unsubscribe = this.listener.subscribe((safe) => {
      if (safe > target) target = safe;
      void pump();
    });
    heartbeat = setInterval(() => void write(res, `: heartbeat ${new Date().toISOString()}\n\n`), HEARTBEAT_MS);
    recheck = setInterval(() => void check(), this.recheckMs);
    const safe = await this.listener.safeId();
    if (safe > target) target = safe;
    await pump();
  }

  async onModuleDestroy(): Promise<void> {
    // Open streams would hold the HTTP server's close forever.
    for (const res of [...this.open]) res.end();
    this.open.clear();
  }

  private async read(filter: FeedFilter, after: bigint, upTo: bigint): Promise<FeedEvent[]> {
    const params: unknown[] = [after.toString(), upTo.toString()];
    if (filter.kind === 'notice') params.push(filter.noticeId, filter.onlyAgencyId);
    else params.push(filter.agencyId);
    const rows: any[] = await this.db.query(`${EVENTS} ${FILTERS[filter.kind]} ORDER BY e.id LIMIT ${BATCH}`, params);
    return rows.map((r) => ({
      id: r.id,
      event: r.action,
      data: {
        entityType: r.entity_type,
        entityId: r.entity_id,
        noticeId: r.notice_id,
        agencyId: r.agency_id,
        at: r.at.toISOString(),
        after: this.masked(filter, r),
      },
    }));
  }

  /** A delivery's error can name another agency's addresses or webhook URL: masked as the delivery views mask it. */
  private masked(filter: FeedFilter, r: any): unknown {
    if (r.entity_type !== 'delivery' || typeof r.after?.error !== 'string') return r.after;
    const viewer = { agencyId: filter.kind === 'agency' ? filter.agencyId : filter.viewerAgencyId };
    if (seesFullTarget(viewer, { agencyId: r.agency_id, channel: r.delivery_channel, subscriptionId: r.delivery_subscription_id })) return r.after;
    return { ...r.after, error: maskText(r.after.error) };
  }
}

function format(e: FeedEvent): string {
  // JSON.stringify never emits a raw newline, and actions are [a-z_.]: each field is one line.
  return `id: ${e.id}\nevent: ${e.event.replace(/[\r\n]/g, ' ')}\ndata: ${JSON.stringify(e.data)}\n\n`;
}

/** Writes, waiting for the socket to drain when the client reads slowly. */
function write(res: Response, chunk: string): Promise<void> {
  if (res.writableEnded || res.destroyed) return Promise.resolve();
  if (res.write(chunk)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
