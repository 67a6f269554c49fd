/** Sends in flight an endpoint starts with: enough to overlap one request's wait with the next. */
export const STARTING_ALLOWANCE = 2;

/** The courier's sends (its Semaphore), as far as the limiter reads them. */
export interface SendPermits {
  readonly size: number;
  readonly available: number;
  /** A permit is free and nobody waits for one. */
  readonly idle: boolean;
}

type Endpoint = {
  inFlight: number;
  waiters: (() => void)[];
  /** Grows by one per finished send while the endpoint has more waiting and the courier has sends to spare. */
  allowance: number;
  /** A send was refused (tryAcquire) since the last one finished: the endpoint has more work than its allowance. */
  refused: boolean;
};

/**
 * Deliveries in flight per endpoint (webhook origin) in this courier. A hanging or slow endpoint
 * can hold at most `max` of the courier's sends; its other work waits instead.
 *
 * Below `max`, each in-flight send is one more connection opened and kept, at the courier and at
 * the receiver, so an endpoint gets only what it can use:
 * - it starts with STARTING_ALLOWANCE, and gains one each time a send of it finishes while more of
 *   its work waits and the courier has a send to spare, so an endpoint with the courier to itself
 *   soon has `max`. A one-delivery job refused while the courier has a send to spare gains one at
 *   once (its job would otherwise go back to the stream for a while);
 * - it never has more than its fair share of the courier's sends: their number divided by the
 *   endpoints with work (sending or waiting). A courier whose sends are all taken gains nothing
 *   from more sends to any one endpoint.
 * An endpoint's allowance is forgotten when it has nothing left in flight or waiting.
 *
 * Callers take the endpoint's slot before a send permit, and give the permit back before calling
 * release(): so at release() the permit of the send that ended is already free, and "a send to
 * spare" means another one.
 */
export class EndpointLimiter {
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly capacity: number;

  /** Without `permits` (tests): no fair share, and a send is always to spare. */
  constructor(
    private readonly max: number,
    private readonly permits?: SendPermits,
  ) {
    this.capacity = permits?.size ?? Infinity;
  }

  /** The most any endpoint may have in flight now: its fair share. */
  get share(): number {
    return Math.min(this.max, Math.max(1, Math.ceil(this.capacity / Math.max(1, this.endpoints.size))));
  }

  /** Takes a slot for the endpoint, or returns false when it already has what it may have in flight (or others wait). */
  tryAcquire(endpoint: string): boolean {
    const e = this.entryOf(endpoint);
    if (e.waiters.length === 0 && e.inFlight >= e.allowance && e.allowance < this.share && this.spare(0)) e.allowance++;
    if (e.waiters.length > 0 || e.inFlight >= this.limitOf(e)) {
      e.refused = true;
      return false;
    }
    e.inFlight++;
    return true;
  }

  /** Waits for a slot for the endpoint. */
  acquire(endpoint: string): Promise<void> {
    const e = this.entryOf(endpoint);
    if (e.waiters.length === 0 && e.inFlight < this.limitOf(e)) {
      e.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve) => e.waiters.push(resolve));
  }

  /** Gives a slot back, after the send's own permit went back (see above). */
  release(endpoint: string): void {
    const e = this.endpoints.get(endpoint);
    if (!e) return;
    e.inFlight = Math.max(0, e.inFlight - 1);
    if ((e.waiters.length > 0 || e.refused) && e.allowance < this.max && this.spare(1)) e.allowance++;
    e.refused = false;
    this.grant(e);
    if (e.inFlight > 0 || e.waiters.length > 0) return;
    // An idle endpoint's entry goes, so the map holds only endpoints with work; when that raises the
    // others' share, their waiters may go now.
    const share = this.share;
    this.endpoints.delete(endpoint);
    if (this.share > share) for (const other of this.endpoints.values()) if (other.waiters.length > 0) this.grant(other);
  }

  /** What the endpoint has now, for tests and diagnostics. */
  state(endpoint: string): { inFlight: number; waiting: number; limit: number } {
    const e = this.endpoints.get(endpoint);
    return e ? { inFlight: e.inFlight, waiting: e.waiters.length, limit: this.limitOf(e) } : { inFlight: 0, waiting: 0, limit: 0 };
  }

  /** A free send beyond the `own` permits the caller has just given back (and nobody queued for one). */
  private spare(own: number): boolean {
    return !this.permits || (this.permits.idle && this.permits.available > own);
  }

  private limitOf(e: Endpoint): number {
    return Math.min(e.allowance, this.share);
  }

  private grant(e: Endpoint): void {
    const limit = this.limitOf(e);
    while (e.waiters.length > 0 && e.inFlight < limit) {
      e.inFlight++;
      e.waiters.shift()!();
    }
  }

  private entryOf(endpoint: string): Endpoint {
    let e = this.endpoints.get(endpoint);
    if (!e) this.endpoints.set(endpoint, (e = { inFlight: 0, waiters: [], allowance: Math.min(STARTING_ALLOWANCE, this.max), refused: false }));
    return e;
  }
}
