/**
 * Deliveries in flight per endpoint (webhook origin) in this courier. A hanging or slow endpoint
 * can hold at most `limit` of the courier's slots; its other jobs wait in the stream instead.
 */
export class EndpointLimiter {
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly limit: number) {}

  /** Takes a slot for the endpoint, or returns false when it already has `limit` in flight. */
  tryAcquire(endpoint: string): boolean {
    const n = this.inFlight.get(endpoint) ?? 0;
    if (n >= this.limit) return false;
    this.inFlight.set(endpoint, n + 1);
    return true;
  }

  release(endpoint: string): void {
    const n = (this.inFlight.get(endpoint) ?? 1) - 1;
    if (n <= 0) this.inFlight.delete(endpoint);
    else this.inFlight.set(endpoint, n);
  }
}
