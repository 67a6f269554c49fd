import { EndpointLimiter } from './endpoint-limiter';

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
