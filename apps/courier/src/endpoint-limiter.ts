/** Sends in flight an endpoint starts with: enough to overlap one request's wait with the next. */
export const STARTING_ALLOWANCE = 2;

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
 * - it starts with STARTING_ALLOWANCE, and one more each time a send of it finishes while more of
 *   its work waits and the courier has a send to spare (`spare`), so an endpoint with the courier
 *   to itself soon has `max`;
 * - it never has more than its fair share of the courier's sends: `capacity` divided by the
 *   endpoints with work (sending or waiting). A courier whose sends are all taken gains nothing
 *   from more sends to any one endpoint.
 * An endpoint's allowance is forgotten when it has nothing left in flight or waiting.
 */
export class EndpointLimiter {
  private readonly endpoints = new Map<string, Endpoint>();

  constructor(
    private readonly max: number,
    private readonly capacity = Infinity,
    private readonly spare: () => boolean = () => true,
  ) {}

  /** The most any endpoint may have in flight now: its fair share. */
  get share(): number {
    return Math.min(this.max, Math.max(1, Math.ceil(this.capacity / Math.max(1, this.endpoints.size))));
  }

  /** Takes a slot for the endpoint, or returns false when it already has what it may have in flight (or others wait). */
  tryAcquire(endpoint: string): boolean {
    const e = this.entryOf(endpoint);
    if (e.waiters.length > 0 || e.inFlight >= this.limitOf(e)) {
      e.refused = true;
      this.forgetIfIdle(endpoint);
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

  release(endpoint: string): void {
    const e = this.endpoints.get(endpoint);
    if (!e) return;
    e.inFlight = Math.max(0, e.inFlight - 1);
    if ((e.waiters.length > 0 || e.refused) && e.allowance < this.max && this.spare()) e.allowance++;
    e.refused = false;
    this.grant(e);
    // An idle endpoint's entry goes, so the map holds only endpoints with work, and the others' share grows.
    if (this.forgetIfIdle(endpoint)) this.grantAll();
  }

  /** In flight for the endpoint now (0 when it has no work). */
  inFlight(endpoint: string): number {
    return this.endpoints.get(endpoint)?.inFlight ?? 0;
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

  private grantAll(): void {
    for (const e of this.endpoints.values()) if (e.waiters.length > 0) this.grant(e);
  }

  private forgetIfIdle(endpoint: string): boolean {
    const e = this.endpoints.get(endpoint);
    if (!e || e.inFlight > 0 || e.waiters.length > 0) return false;
    this.endpoints.delete(endpoint);
    return true;
  }

  private entryOf(endpoint: string): Endpoint {
    let e = this.endpoints.get(endpoint);
    if (!e) this.endpoints.set(endpoint, (e = { inFlight: 0, waiters: [], allowance: Math.min(STARTING_ALLOWANCE, this.max), refused: false }));
    return e;
  }
}
