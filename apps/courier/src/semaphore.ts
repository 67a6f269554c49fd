/**
 * A counting semaphore whose waiters are served in order. `acquire(n)` waits until n permits
 * are free (n is capped at the size, so a large request cannot wait forever).
 */
export class Semaphore {
  private free: number;
  private readonly waiters: { n: number; resolve: () => void }[] = [];

  constructor(readonly size: number) {
    this.free = size;
  }

  get available(): number {
    return this.free;
  }

  /** A permit is free and nobody waits for one. */
  get idle(): boolean {
    return this.free > 0 && this.waiters.length === 0;
  }

  /** Resolves with the number of permits taken (n, or the size if n was larger). */
  acquire(n = 1): Promise<number> {
    const want = Math.min(Math.max(1, n), this.size);
    if (this.waiters.length === 0 && this.free >= want) {
      this.free -= want;
      return Promise.resolve(want);
    }
    return new Promise((resolve) => this.waiters.push({ n: want, resolve: () => resolve(want) }));
  }

  release(n = 1): void {
    this.free = Math.min(this.size, this.free + n);
    while (this.waiters.length > 0 && this.free >= this.waiters[0].n) {
      const next = this.waiters.shift()!;
      this.free -= next.n;
      next.resolve();
    }
  }
}
