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
});
