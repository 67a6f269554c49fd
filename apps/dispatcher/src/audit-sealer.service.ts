import { Injectable, Logger, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DatabaseAvailability } from '@sne/core';
import { AuditChainSealer } from '@sne/core/audit/audit-sealer';

/** The usual pace: committed events are in the chain within about a second. */
const SEAL_EVERY_MS = 1000;
/** While a hole in the ids waits for its proof, look again soon. */
const RECHECK_MS = 100;
/** Warn when the chain has been held back by the same hole for this long. */
const STUCK_WARN_MS = 30_000;

/**
 * Seals committed audit events into the hash chain (see AuditChainSealer): every second, at once
 * again while there is a backlog, and on demand. Replicas take turns under an advisory lock.
 */
@Injectable()
export class AuditSealerService {
  private readonly log = new Logger(AuditSealerService.name);
  private readonly sealer: AuditChainSealer;
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private started = false;
  private closing = false;
  private failing = false;
  private stuck: { at: string; since: number; warned: number } | null = null;

  constructor(
    db: DataSource,
    @Optional() private readonly availability?: DatabaseAvailability,
  ) {
    this.sealer = new AuditChainSealer(db);
  }

  start(): void {
    this.started = true;
    this.schedule(0);
  }

  /** Stops the timer and waits for a round in progress. */
  async stop(): Promise<void> {
    this.closing = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Seals what can be sealed now; resolves with the number of events sealed. */
  sealNow(): Promise<number> {
    if (this.running) return this.running.catch(() => undefined).then(() => this.sealNow());
    this.running = this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  private schedule(ms: number): void {
    if (!this.started || this.closing) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    try {
      await this.sealNow();
      if (this.failing) this.log.log('sealing the audit chain again');
      this.failing = false;
    } catch (err) {
      // Said once per streak (a database outage by DatabaseAvailability instead); the next tick tries again.
      if (!this.failing && !this.availability?.noteFailure(err)) this.log.warn(`sealing the audit chain failed, retrying every ${SEAL_EVERY_MS} ms: ${err.message}`);
      this.failing = true;
    }
    this.schedule(this.sealer.waiting ? RECHECK_MS : SEAL_EVERY_MS);
  }

  private async run(): Promise<number> {
    let total = 0;
    for (let i = 0; i < 200 && !this.closing; i++) {
      const r = await this.sealer.sealOnce();
      total += r.sealed;
      this.watch(r.waitingAt);
      if (r.busy || !r.more) break;
    }
    return total;
  }

  private watch(waitingAt: string | null): void {
    const now = Date.now();
    if (waitingAt === null || this.stuck?.at !== waitingAt) {
      this.stuck = waitingAt === null ? null : { at: waitingAt, since: now, warned: now };
      return;
    }
    if (now - this.stuck.warned >= STUCK_WARN_MS) {
      this.stuck.warned = now;
      this.log.warn(
        `the audit chain has waited ${Math.round((now - this.stuck.since) / 1000)} s before event ${waitingAt}: ` +
          `a transaction that drew an earlier event id is still open`,
      );
    }
  }
}
