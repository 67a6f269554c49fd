import { EndpointLimiter, STARTING_ALLOWANCE } from './endpoint-limiter';

describe('EndpointLimiter', () => {
  it('caps deliveries in flight per endpoint and frees slots on release', () => {
    const limiter = new EndpointLimiter(2);
    expect(limiter.tryAcquire('https://a.example')).toBe(true);
    expect(limiter.tryAcquire('https://a.example')).toBe(true);
    expect(limiter.tryAcquire('https://a.example')).toBe(false);
    // Another endpoint is not held back by the saturated one.
    expect(limiter.tryAcquire('https://b.example')).toBe(true);
    limiter.release('https://a.example');
    expect(limiter.tryAcquire('https://a.example')).toBe(true);
  });

  it('makes a waiter wait for a slot of its own endpoint only', async () => {
    const limiter = new EndpointLimiter(1);
    await limiter.acquire('https://a.example');
    let got = false;
    const waiting = limiter.acquire('https://a.example').then(() => (got = true));
    await limiter.acquire('https://b.example');
    await Promise.resolve();
    expect(got).toBe(false);
    expect(limiter.tryAcquire('https://a.example')).toBe(false);
    limiter.release('https://a.example');
    await waiting;
    expect(got).toBe(true);
  });
});

describe('EndpointLimiter allowance and share', () => {
  const A = 'https://a.example';
  const B = 'https://b.example';
  const settle = () => new Promise((r) => setImmediate(r));

  /** n callers wait for the endpoint's slots; returns how many have one so far. */
  function queue(limiter: EndpointLimiter, endpoint: string, n: number): () => number {
    let granted = 0;
    for (let i = 0; i < n; i++) void limiter.acquire(endpoint).then(() => granted++);
    return () => granted;
  }

  it('starts an endpoint with STARTING_ALLOWANCE and grows it by one per finished send while work waits and sends are spare, up to max', async () => {
    const limiter = new EndpointLimiter(5, Infinity, () => true);
    const granted = queue(limiter, A, 20);
    await settle();
    expect(granted()).toBe(STARTING_ALLOWANCE);
    const seen = [limiter.inFlight(A)];
    for (let i = 0; i < 6; i++) {
      limiter.release(A);
      await settle();
      seen.push(limiter.inFlight(A));
    }
    expect(seen).toEqual([2, 3, 4, 5, 5, 5, 5]);
  });

  it('does not grow while the courier has no send to spare', async () => {
    const limiter = new EndpointLimiter(8, Infinity, () => false);
    const granted = queue(limiter, A, 10);
    for (let i = 0; i < 5; i++) {
      await settle();
      limiter.release(A);
    }
    await settle();
    expect(limiter.inFlight(A)).toBe(STARTING_ALLOWANCE);
    expect(granted()).toBe(STARTING_ALLOWANCE + 5);
  });

  it('counts a refused tryAcquire as work waiting', () => {
    const limiter = new EndpointLimiter(8, Infinity, () => true);
    expect([limiter.tryAcquire(A), limiter.tryAcquire(A), limiter.tryAcquire(A)]).toEqual([true, true, false]);
    limiter.release(A);
    expect([limiter.tryAcquire(A), limiter.tryAcquire(A), limiter.tryAcquire(A)]).toEqual([true, true, false]);
  });

  it('holds each endpoint with work to its fair share of the capacity, and grows the share when an endpoint goes idle', async () => {
    const limiter = new EndpointLimiter(8, 6, () => true);
    const grantedA = queue(limiter, A, 20);
    queue(limiter, B, 1);
    const c = queue(limiter, 'https://c.example', 1);
    await settle();
    expect(limiter.share).toBe(2);
    for (let i = 0; i < 4; i++) {
      limiter.release(A);
      await settle();
      expect(limiter.inFlight(A)).toBeLessThanOrEqual(2);
    }
    expect(c()).toBe(1);
    limiter.release(B);
    limiter.release('https://c.example');
    await settle();
    // A alone: its share is the whole capacity (capped at max), and its allowance grew meanwhile.
    expect(limiter.share).toBe(6);
    expect(limiter.inFlight(A)).toBe(6);
    expect(grantedA()).toBe(2 + 4 + 4);
  });

  it('keeps every endpoint under max and never leaves a waiter without a send in flight to wake it (random schedules)', async () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const violations: string[] = [];
    for (let round = 0; round < 50; round++) {
      const max = 1 + Math.floor(random() * 6);
      const limiter = new EndpointLimiter(max, 1 + Math.floor(random() * 12), () => random() < 0.5);
      const endpoints = ['a', 'b', 'c', 'd'];
      const held = new Map(endpoints.map((e) => [e, 0]));
      const waiting = new Map(endpoints.map((e) => [e, 0]));
      for (let step = 0; step < 300; step++) {
        const e = endpoints[Math.floor(random() * endpoints.length)];
        const r = random();
        if (r < 0.4) {
          waiting.set(e, waiting.get(e)! + 1);
          void limiter.acquire(e).then(() => {
            waiting.set(e, waiting.get(e)! - 1);
            held.set(e, held.get(e)! + 1);
          });
        } else if (r < 0.5) {
          if (limiter.tryAcquire(e)) held.set(e, held.get(e)! + 1);
        } else if (held.get(e)! > 0) {
          held.set(e, held.get(e)! - 1);
          limiter.release(e);
        }
        await Promise.resolve();
        await Promise.resolve();
        for (const x of endpoints) {
          if (held.get(x)! > max) violations.push(`round ${round} step ${step}: ${x} holds ${held.get(x)} > ${max}`);
          if (waiting.get(x)! > 0 && limiter.inFlight(x) === 0) violations.push(`round ${round} step ${step}: ${x} waits with nothing in flight`);
        }
      }
      // Releasing whatever is held, again and again, serves every waiter.
      while ([...held.values()].some((n) => n > 0)) {
        for (const x of endpoints) if (held.get(x)! > 0) (held.set(x, held.get(x)! - 1), limiter.release(x));
        await Promise.resolve();
        await Promise.resolve();
      }
      expect([...waiting.values()]).toEqual([0, 0, 0, 0]);
    }
    expect(violations).toEqual([]);
  });
});
