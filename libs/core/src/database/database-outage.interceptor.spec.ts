import { lastValueFrom, of, throwError } from 'rxjs';
import { RetryLater } from '@sne/messaging';
import { classifyFailure } from '@sne/messaging/work-handler.runner';
import { DatabaseAvailability } from './database-availability';
import { DatabaseOutageInterceptor } from './database-outage.interceptor';

describe('DatabaseOutageInterceptor', () => {
  const setup = () => {
    const log = { log: jest.fn(), warn: jest.fn() };
    const availability = new DatabaseAvailability(() => new Promise(() => undefined), log);
    const interceptor = new DatabaseOutageInterceptor(availability);
    const run = (outcome: () => unknown) =>
      lastValueFrom(interceptor.intercept({} as never, { handle: () => (outcome() as never) })).then(
        (value) => ({ value }),
        (error) => ({ error }),
      );
    return { log, availability, run };
  };

  it('turns a handler that met a database outage into a quiet retry later, and notes the outage once', async () => {
    const { log, availability, run } = setup();
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const results = await Promise.all(Array.from({ length: 50 }, () => run(() => throwError(() => refused))));
    for (const { error } of results as { error: RetryLater }[]) {
      expect(error).toBeInstanceOf(RetryLater);
      expect(error.delayMs).toBe(1000);
      // What the transport makes of it: an expected retry (logged at debug level), with that delay.
      expect(classifyFailure(error)).toEqual({ kind: 'retry', delayMs: 1000, reason: 'database unavailable', expected: true });
    }
    expect(availability.isOpen()).toBe(false);
    expect(log.warn).toHaveBeenCalledTimes(1);
    availability.close();
  });

  it('leaves every other outcome as it was', async () => {
    const { availability, run } = setup();
    const boom = new Error('boom');
    expect(await run(() => throwError(() => boom))).toEqual({ error: boom });
    const later = new RetryLater(250, 'endpoint busy');
    expect(await run(() => throwError(() => later))).toEqual({ error: later });
    expect(await run(() => of('done'))).toEqual({ value: 'done' });
    expect(availability.isOpen()).toBe(true);
  });
});
