import { EndpointLimiter, SendPermits, STARTING_ALLOWANCE } from './endpoint-limiter';
import { Semaphore } from './semaphore';

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
  const C = 'https://c.example';
  const settle = () => new Promise((r) => setImmediate(r));
  const inFlight = (limiter: EndpointLimiter, endpoint: string) => limiter.state(endpoint).inFlight;

  /** n callers wait for the endpoint's slots; returns how many have one so far. */
  function queue(limiter: EndpointLimiter, endpoint: string, n: number): () => number {
    let granted = 0;
    for (let i = 0; i < n; i++) void limiter.acquire(endpoint).then(() => granted++);
    return () => granted;
  }

  /** A courier's sends as the limiter reads them, set by the test. */
  const permits = (size: number, available: number, idle: boolean): SendPermits => ({ size, available, idle });

  it('starts an endpoint with STARTING_ALLOWANCE and grows it by one per finished send while work waits and sends are spare, up to max', async () => {
    const limiter = new EndpointLimiter(5);
    const granted = queue(limiter, A, 20);
    await settle();
    expect(granted()).toBe(STARTING_ALLOWANCE);
    const seen = [inFlight(limiter, A)];
    for (let i = 0; i < 6; i++) {
      limiter.release(A);
      await settle();
      seen.push(inFlight(limiter, A));
    }
    expect(seen).toEqual([2, 3, 4, 5, 5, 5, 5]);
  });

  it('does not grow while someone waits for a send, nor when the only free send is the one that just ended', async () => {
    for (const sends of [permits(1000, 10, false), permits(1000, 1, true)]) {
      const limiter = new EndpointLimiter(8, sends);
      const granted = queue(limiter, A, 10);
      for (let i = 0; i < 5; i++) {
        await settle();
        limiter.release(A);
      }
      await settle();
      expect(inFlight(limiter, A)).toBe(STARTING_ALLOWANCE);
      expect(granted()).toBe(STARTING_ALLOWANCE + 5);
    }
  });

  it('reads the courier\'s own Semaphore the way the courier releases: permit first, then the endpoint', async () => {
    const sends = new Semaphore(4);
    const limiter = new EndpointLimiter(8, sends);
    await sends.acquire(); // two emails hold two sends
    await sends.acquire();
    const held: number[] = [];
    const send = async () => {
      await limiter.acquire(A);
      await sends.acquire();
      held.push(1);
    };
    const finish = () => {
      held.pop();
      sends.release();
      limiter.release(A);
    };
    for (let i = 0; i < 10; i++) void send();
    await settle();
    expect(inFlight(limiter, A)).toBe(2);
    // Every send is taken: the one that ends frees only its own, so A does not grow.
    finish();
    await settle();
    expect(limiter.state(A)).toMatchObject({ inFlight: 2, limit: 2 });
    // The emails end: now a send ending leaves others free, and A grows.
    sends.release();
    sends.release();
    finish();
    await settle();
    expect(limiter.state(A).limit).toBe(3);
    expect(inFlight(limiter, A)).toBe(3);
  });

  it('lets a refused one-delivery job grow the allowance at once while sends are spare, and only then', () => {
    const spare = new EndpointLimiter(8, permits(100, 50, true));
    expect(Array.from({ length: 10 }, () => spare.tryAcquire(A))).toEqual([...Array(8).fill(true), false, false]);
    const busy = new EndpointLimiter(8, permits(100, 0, false));
    expect([busy.tryAcquire(A), busy.tryAcquire(A), busy.tryAcquire(A)]).toEqual([true, true, false]);
    // A refusal is remembered: the next send to end grows the allowance once sends are spare.
    const later = { size: 100, available: 0, idle: false };
    const limiter = new EndpointLimiter(8, later);
    expect([limiter.tryAcquire(A), limiter.tryAcquire(A), limiter.tryAcquire(A)]).toEqual([true, true, false]);
    later.available = 5;
    later.idle = true;
    limiter.release(A);
    expect(limiter.state(A).limit).toBe(3);
  });

  it('holds each endpoint with work to its fair share of the sends, and grows the share when an endpoint goes idle', async () => {
    const limiter = new EndpointLimiter(8, permits(6, 6, true));
    const grantedA = queue(limiter, A, 20);
    queue(limiter, B, 1);
    const c = queue(limiter, C, 1);
    await settle();
    expect(limiter.share).toBe(2);
    for (let i = 0; i < 4; i++) {
      limiter.release(A);
      await settle();
      expect(inFlight(limiter, A)).toBeLessThanOrEqual(2);
    }
    expect(c()).toBe(1);
    limiter.release(B);
    limiter.release(C);
    await settle();
    // A alone: its share is every send (capped at max), and its allowance grew meanwhile.
    expect(limiter.share).toBe(6);
    expect(inFlight(limiter, A)).toBe(6);
    expect(grantedA()).toBe(2 + 4 + 4);
  });

  it('under random schedules: never over max or the limit, never a waiter below its limit, never an idle entry', async () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const violations: string[] = [];
    const endpoints = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (let round = 0; round < 200; round++) {
      const max = 1 + Math.floor(random() * 8);
      const sends = { size: 1 + Math.floor(random() * 16), available: 0, idle: false };
      const limiter = new EndpointLimiter(max, sends);
      const held = new Map(endpoints.map((e) => [e, 0]));
      const waiting = new Map(endpoints.map((e) => [e, 0]));
      for (let step = 0; step < 300; step++) {
        sends.available = Math.floor(random() * 3);
        sends.idle = sends.available > 0 && random() < 0.7;
        const e = endpoints[Math.floor(random() * endpoints.length)];
        const r = random();
        if (r < 0.35) {
          waiting.set(e, waiting.get(e)! + 1);
          void limiter.acquire(e).then(() => {
            waiting.set(e, waiting.get(e)! - 1);
            held.set(e, held.get(e)! + 1);
          });
        } else if (r < 0.5) {
          const before = limiter.state(e);
          if (limiter.tryAcquire(e)) {
            held.set(e, held.get(e)! + 1);
            if (before.waiting > 0) violations.push(`round ${round} step ${step}: ${e} taken past its waiters`);
          }
        } else if (held.get(e)! > 0) {
          held.set(e, held.get(e)! - 1);
          limiter.release(e);
        }
        for (let k = Math.floor(random() * 3); k >= 0; k--) await Promise.resolve();
        for (const x of endpoints) {
          const s = limiter.state(x);
          if (s.inFlight > max) violations.push(`round ${round} step ${step}: ${x} has ${s.inFlight} > max ${max}`);
          if (s.waiting > 0 && s.inFlight < s.limit) violations.push(`round ${round} step ${step}: ${x} waits below its limit`);
          if (s.waiting > 0 && s.inFlight === 0) violations.push(`round ${round} step ${step}: ${x} waits with nothing in flight`);
          if (s.limit > 0 && s.inFlight === 0 && s.waiting === 0) violations.push(`round ${round} step ${step}: ${x} idle but kept`);
        }
      }
      // Releasing whatever is held, again and again, serves every waiter.
      while ([...held.values()].some((n) => n > 0)) {
        for (const x of endpoints) if (held.get(x)! > 0) (held.set(x, held.get(x)! - 1), limiter.release(x));
        for (let k = 0; k < 3; k++) await Promise.resolve();
      }
      if ([...waiting.values()].some((n) => n > 0)) violations.push(`round ${round}: waiters left ${[...waiting.values()]}`);
    }
    expect(violations.slice(0, 10)).toEqual([]);
  });
});
