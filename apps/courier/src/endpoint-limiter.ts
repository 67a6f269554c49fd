import { Semaphore } from './semaphore';

/**
 * Deliveries in flight per endpoint (webhook origin) in this courier. A hanging or slow endpoint
 * can hold at most `limit` of the courier's sends; its other work waits instead.
 */
export class EndpointLimiter {
  private readonly slots = new Map<string, Semaphore>();

  constructor(private readonly limit: number) {}

  /** Takes a slot for the endpoint, or returns false when it already has `limit` in flight (or waiting). */
  tryAcquire(endpoint: string): boolean {
    const s = this.slotsOf(endpoint);
    if (s.available === 0) return false;
    void s.acquire();
    return true;
  }

  /** Waits for a slot for the endpoint. */
  async acquire(endpoint: string): Promise<void> {
    await this.slotsOf(endpoint).acquire();
  }

  release(endpoint: string): void {
    const s = this.slots.get(endpoint);
    if (!s) return;
    s.release();
    // An idle endpoint's entry goes, so the map holds only endpoints with work.
    if (s.available === this.limit) this.slots.delete(endpoint);
  }

  private slotsOf(endpoint: string): Semaphore {
    let s = this.slots.get(endpoint);
    if (!s) this.slots.set(endpoint, (s = new Semaphore(this.limit)));
    return s;
  }
}
