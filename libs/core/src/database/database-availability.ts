import { Logger } from '@nestjs/common';
import type { WorkGate } from '@sne/messaging';

/** admin_shutdown, crash_shutdown, cannot_connect_now (starting up, shutting down, in recovery). */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03']);
/** Class 08: connection exceptions. */
const CONNECTION_EXCEPTION = /^08[0-9A-Z]{3}$/;
const SOCKET_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** What node-postgres and its pool say, without a code, when a connection dies or cannot be had in time. */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable|Client was closed and is not queryable/i;

/**
 * True when the error means PostgreSQL cannot be reached or is going away (refused or reset
 * connections, shutdown, not yet accepting connections, class 08, pool timeouts), rather than
 * that a statement was wrong. Looks through TypeORM's and Node's wrappers (driverError, cause,
 * AggregateError.errors).
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const seen = new Set<object>();
  const visit = (e: unknown, depth: number): boolean => {
    if (typeof e !== 'object' || e === null || depth > 4 || seen.has(e)) return false;
    seen.add(e);
    const { code, message, driverError, cause, errors } = e as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.has(code) || CONNECTION_EXCEPTION.test(code) || SOCKET_ERRORS.has(code))) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true;
    return visit(driverError, depth + 1) || visit(cause, depth + 1) || (Array.isArray(errors) && errors.some((x) => visit(x, depth + 1)));
  };
  return visit(err, 0);
}

/** Work that met the outage comes back after this long at first… */
const RETRY_MIN_MS = 1000;
/** …growing with the outage's age up to this. */
const RETRY_MAX_MS = 30_000;
const PROBE_MIN_MS = 250;
const PROBE_MAX_MS = 2000;
/** What the API tells clients to wait (Retry-After) while the database is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

type OutageLog = Pick<Logger, 'log' | 'warn'>;

/**
 * One per process: whether PostgreSQL can be reached. Anyone whose work fails tells it
 * (`noteFailure`); the first failure that means the database is away starts an outage, which is
 * logged once ("database unavailable since …"), closes the gate (consumers stop pulling) and
 * starts a probe (`SELECT 1`, backing off to every 2 s). The probe's first success ends it
 * ("database back after …") and opens the gate again. Nobody else logs the outage.
 */
export class DatabaseAvailability implements WorkGate {
  private downSince?: number;
  private probeTimer?: NodeJS.Timeout;
  private probeDelayMs = PROBE_MIN_MS;
  private closed = false;
  private readonly listeners = new Set<(open: boolean) => void>();

  constructor(
    private readonly probe: () => Promise<unknown>,
    private readonly log: OutageLog = new Logger('Database'),
    private readonly now: () => number = Date.now,
  ) {}

  /** The gate of the work consumers: open while the database answers. */
  isOpen(): boolean {
    return this.downSince === undefined;
  }

  onChange(listener: (open: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Returns true when `err` means the database cannot be reached; the caller should then stay
   * quiet about it (this logs the outage, once). Other errors are the caller's to report.
   */
  noteFailure(err: unknown): boolean {
    if (!isDatabaseUnavailable(err)) return false;
    if (this.downSince === undefined && !this.closed) {
      this.downSince = this.now();
      const reason = err instanceof Error ? err.message : String((err as { message?: unknown })?.message ?? err);
      this.log.warn(`database unavailable since ${new Date(this.downSince).toISOString()} (${reason.slice(0, 200)}); work waits until it answers again`);
      this.emit(false);
      this.probeDelayMs = PROBE_MIN_MS;
      this.scheduleProbe();
    }
    return true;
  }

  /** How long work that met the outage should wait before it is tried again: its age, from 1 s up to 30 s. */
  retryDelayMs(): number {
    if (this.downSince === undefined) return RETRY_MIN_MS;
    return Math.min(RETRY_MAX_MS, Math.max(RETRY_MIN_MS, this.now() - this.downSince));
  }

  /** Stops probing (process shutdown). */
  close(): void {
    this.closed = true;
    clearTimeout(this.probeTimer);
    this.listeners.clear();
  }

  private scheduleProbe(): void {
    if (this.closed) return;
    this.probeTimer = setTimeout(() => void this.runProbe(), this.probeDelayMs);
    this.probeTimer.unref?.();
  }

  private async runProbe(): Promise<void> {
    try {
      await this.probe();
    } catch {
      this.probeDelayMs = Math.min(PROBE_MAX_MS, this.probeDelayMs * 2);
      this.scheduleProbe();
      return;
    }
    if (this.closed || this.downSince === undefined) return;
    const since = this.downSince;
    this.downSince = undefined;
    this.log.log(`database back after ${((this.now() - since) / 1000).toFixed(1)} s (unavailable since ${new Date(since).toISOString()})`);
    this.emit(true);
  }

  private emit(open: boolean): void {
    for (const listener of [...this.listeners]) listener(open);
  }
}
