import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, Optional } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { DatabaseAvailability } from '@sne/core';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';

export const AUDIT_CHANNEL = 'sne_audit';
/** While the LISTEN connection is down, everyone is woken on this period instead. */
export const POLL_MS = 2000;
/** How often a pending gap in the id sequence is looked at again. */
const GAP_RECHECK_MS = 200;
/**
 * A hole in the ids is taken as final (a rolled-back insert) only once every transaction that was
 * running when the hole was first seen has ended, and at least this long after: the extra time
 * covers the instant between an insert drawing its id and its transaction getting an xid.
 */
const GAP_GRACE_MS = 1000;
const SCAN = 10000;
const RECONNECT_MAX_MS = 30000;

export type Wake = (safeId: bigint) => void;

/**
 * One LISTEN connection per api process on `sne_audit` (the audit_events trigger notifies after
 * every insert), fanned out in memory to the open live feeds. Falls back to polling every 2 s
 * while that connection is down, and reconnects with backoff.
 *
 * It also keeps the audit log's high-water mark: the largest id such that every audit event with
 * an id at or below it is committed (or will never exist). A bigserial id is drawn before commit,
 * so event 11 can commit before event 10; a feed that read 11 and moved on would never send 10.
 * Feeds read only up to the mark, so they send every event exactly once, in id order.
 */
@Injectable()
export class AuditListener implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(AuditListener.name);
  private readonly subscribers = new Set<Wake>();
  private client?: Client;
  private listening = false;
  /** Set once the first connection attempt has been reported, so a failing reconnect loop logs once. */
  private everListened = false;
  private closed = false;
  private reconnectDelay = 500;
  private reconnectTimer?: NodeJS.Timeout;
  private pollTimer?: NodeJS.Timeout;
  private recheckTimer?: NodeJS.Timeout;

  /** All ids ≤ safe are final; null until the first horizon passed. */
  private safe: bigint | null = null;
  /** A hole in the ids at or below upTo, seen when transactions below `horizon` (an xid8) were running. */
  private gap: { upTo: bigint; horizon: bigint; seenAt: number } | null = null;
  private lastGapWarning = 0;
  private readFailing = false;
  private advancing?: Promise<void>;
  private again = false;
  /** Events were inserted while no feed was open, and the mark has not moved for them yet. */
  private stale = false;
  private readonly ready: Promise<void>;
  private markReady!: () => void;

  constructor(
    private readonly db: DataSource,
    @Optional() private readonly availability?: DatabaseAvailability,
  ) {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
  }

  onApplicationBootstrap(): void {
    void this.connect();
    this.kick();
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.pollTimer);
    clearTimeout(this.recheckTimer);
    this.subscribers.clear();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
    await this.advancing?.catch(() => undefined);
  }

  get isListening(): boolean {
    return this.listening;
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** The current high-water mark, once known. */
  async safeId(): Promise<bigint> {
    await this.ready;
    if (this.catchUp()) await this.advancing?.catch(() => undefined);
    return this.safe!;
  }

  /** Called with the new mark whenever it may have moved (and on every poll while the listener is down). */
  subscribe(wake: Wake): () => void {
    this.subscribers.add(wake);
    this.catchUp();
    return () => void this.subscribers.delete(wake);
  }

  /** Moves a mark left behind while nobody watched; true if it had to. */
  private catchUp(): boolean {
    if (!this.stale) return false;
    this.stale = false;
    this.kick();
    return true;
  }

  // --- the LISTEN connection ----------------------------------------------------------------------

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new Client(connectionConfig(this.db.options as PostgresConnectionOptions));
    const lost = (why: Error) => {
      if (this.client !== client) return;
      this.client = undefined;
      this.down(why);
      client.end().catch(() => undefined);
    };
    client.on('error', (err) => lost(err));
    client.on('end', () => lost(new Error('connection ended')));
    client.on('notification', (n) => {
      if (n.channel !== AUDIT_CHANNEL) return;
      // With no feed open, moving the mark on every insert is PostgreSQL work nobody reads (a
      // fan-out notifies hundreds of times): it moves when a feed subscribes or asks for it.
      if (this.subscribers.size === 0 && this.safe !== null) this.stale = true;
      else this.kick();
    });
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${AUDIT_CHANNEL}`);
    } catch (err) {
      lost(err);
      return;
    }
    if (this.client !== client || this.closed) return;
    if (this.everListened) this.log.log(`listening on ${AUDIT_CHANNEL} again`);
    this.listening = true;
    this.everListened = true;
    this.reconnectDelay = 500;
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    // Anything committed while nobody listened.
    this.kick();
  }

  private down(why: Error): void {
    if (this.closed) return;
    // Said once per streak; a database outage is DatabaseAvailability's to say.
    if ((this.listening || !this.everListened) && !this.availability?.noteFailure(why)) {
      this.log.warn(`LISTEN ${AUDIT_CHANNEL} ${this.listening ? 'lost' : 'not available'} (${why.message}); polling every ${POLL_MS} ms until it is back`);
      this.everListened = true;
    }
    this.listening = false;
    this.pollTimer ??= setInterval(() => this.kick(), POLL_MS);
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => void this.connect(), this.reconnectDelay);
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
  }

  // --- the high-water mark ------------------------------------------------------------------------

  /** Moves the mark (one run at a time; a kick during a run makes it run once more), then wakes everyone. */
  private kick(): void {
    if (this.closed) return;
    if (this.advancing) {
      this.again = true;
      return;
    }
    this.advancing = (async () => {
      do {
        this.again = false;
        try {
          await this.advance();
          if (this.readFailing) this.log.log('reading the audit log again');
          this.readFailing = false;
          if (this.listening && this.pollTimer) {
            clearInterval(this.pollTimer);
            this.pollTimer = undefined;
          }
        } catch (err) {
          // The database is unreachable: the poll (or the next notification) tries again. Said once per outage.
          if (!this.readFailing && !this.availability?.noteFailure(err)) this.log.warn(`reading the audit log failed, retrying every ${POLL_MS} ms: ${err.message}`);
          this.readFailing = true;
          this.pollTimer ??= setInterval(() => this.kick(), POLL_MS);
        }
        if (this.safe !== null) for (const wake of [...this.subscribers]) wake(this.safe);
      } while (this.again && !this.closed);
    })().finally(() => (this.advancing = undefined));
  }

  private async advance(): Promise<void> {
    for (;;) {
      // One statement, so the snapshot's bounds describe exactly the rows it returned. ORDER BY
      // names the column, not the text output (also called id): numeric order, read off the index.
      const [row]: { xmin: string; xmax: string; max: string | null; ids: string[] }[] = await this.db.query(
        `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin, pg_snapshot_xmax(pg_current_snapshot())::text AS xmax,
                (SELECT max(id)::text FROM audit_events) AS max,
                ARRAY(SELECT e.id::text FROM audit_events e WHERE e.id > $1 ORDER BY e.id LIMIT ${SCAN}) AS ids`,
        [(this.safe ?? 0n).toString()],
      );
      const xmin = BigInt(row.xmin);
      const xmax = BigInt(row.xmax);
      const now = Date.now();
      if (this.safe === null) {
        // Start: everything up to today's last id, once the transactions running now have ended.
        this.gap ??= { upTo: BigInt(row.max ?? '0'), horizon: xmax, seenAt: now };
        if (xmin < this.gap.horizon || now - this.gap.seenAt < GAP_GRACE_MS) return this.recheck();
        this.safe = this.gap.upTo;
        this.gap = null;
        this.markReady();
        continue;
      }
      if (this.gap && xmin >= this.gap.horizon && now - this.gap.seenAt >= GAP_GRACE_MS) {
        // Every transaction that could have held an id in the hole has ended: what is missing never will be.
        if (this.gap.upTo > this.safe) this.safe = this.gap.upTo;
        this.gap = null;
      }
      let blocked = false;
      for (const text of row.ids) {
        const id = BigInt(text);
        if (id <= this.safe) continue;
        if (id === this.safe + 1n) {
          this.safe = id;
          continue;
        }
        // A hole before id: an insert still in flight, or rolled back. An earlier hole that has since
        // filled is forgotten; one still open keeps the horizon it was first seen with.
        if (this.gap && this.safe >= this.gap.upTo) this.gap = null;
        this.gap ??= { upTo: id - 1n, horizon: xmax, seenAt: now };
        if (now - this.gap.seenAt > 30000 && now - this.lastGapWarning > 30000) {
          this.lastGapWarning = now;
          this.log.warn(`audit event ${this.safe + 1n} has been missing for ${Math.round((now - this.gap.seenAt) / 1000)} s: live feeds wait for the transactions running then to end`);
        }
        blocked = true;
        break;
      }
      if (this.gap && this.safe >= this.gap.upTo) this.gap = null;
      if (blocked) return this.recheck();
      if (row.ids.length < SCAN) return;
    }
  }

  private recheck(): void {
    clearTimeout(this.recheckTimer);
    // Nobody to wake: the hole is looked at again when a feed subscribes or asks for the mark.
    if (this.subscribers.size === 0 && this.safe !== null) this.stale = true;
    else this.recheckTimer = setTimeout(() => this.kick(), GAP_RECHECK_MS);
  }
}

function connectionConfig(o: PostgresConnectionOptions) {
  const base = { application_name: 'sne-live-listener', keepAlive: true, ssl: o.ssl as any };
  if (o.url) return { ...base, connectionString: o.url };
  return { ...base, host: o.host, port: o.port, user: o.username, password: o.password as string | undefined, database: o.database };
}
