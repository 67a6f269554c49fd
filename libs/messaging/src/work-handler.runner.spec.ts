import { of, throwError } from 'rxjs';
import { DEFAULT_RETRY_DELAY_MS, PermanentFailure, RetryLater } from './contracts';
import { JetStreamContext } from './jetstream/jetstream.context';
import { classifyFailure, runWorkHandler } from './work-handler.runner';

const ctx = new JetStreamContext('delivery.jobs', 'id-1', 1);
const toObservable = (r: unknown) => (r && typeof (r as { subscribe?: unknown }).subscribe === 'function' ? (r as never) : of(r));

describe('runWorkHandler', () => {
  it('acks a handler that resolves, returns a value, or completes an Observable (even without emitting)', async () => {
    expect(await runWorkHandler(async () => undefined, {}, ctx, toObservable)).toEqual({ kind: 'ack' });
    expect(await runWorkHandler(async () => 'x', {}, ctx, toObservable)).toEqual({ kind: 'ack' });
    expect(await runWorkHandler(async () => of(), {}, ctx, toObservable)).toEqual({ kind: 'ack' });
  });

  it('maps RetryLater, PermanentFailure and other errors, thrown or emitted', async () => {
    expect(await runWorkHandler(async () => throwError(() => new RetryLater(250, 'busy')), {}, ctx, toObservable)).toEqual({
      kind: 'retry',
      delayMs: 250,
      reason: 'busy',
      expected: true,
    });
    expect(
      await runWorkHandler(
        () => {
          throw new PermanentFailure('gone');
        },
        {},
        ctx,
        toObservable,
      ),
    ).toEqual({ kind: 'drop', reason: 'gone' });
    expect(await runWorkHandler(async () => Promise.reject(new Error('boom')), {}, ctx, toObservable)).toEqual({
      kind: 'retry',
      delayMs: DEFAULT_RETRY_DELAY_MS,
      reason: 'boom',
      expected: false,
    });
  });

  it("treats Nest's rewritten unknown error as an ordinary failure", () => {
    expect(classifyFailure({ status: 'error', message: 'Internal server error' })).toMatchObject({ kind: 'retry', delayMs: DEFAULT_RETRY_DELAY_MS, expected: false });
  });

  it("keeps RetryLater/PermanentFailure intact through Nest's RPC exception filter (getError returns the instance)", () => {
    const retry = new RetryLater(10);
    expect(retry.getError()).toBe(retry);
    expect(retry).toBeInstanceOf(Error);
    expect(new PermanentFailure('x').getError()).toBeInstanceOf(PermanentFailure);
  });

  it('falls back to the default delay for a nonsensical RetryLater delay', () => {
    expect(classifyFailure(new RetryLater(Number.NaN))).toMatchObject({ kind: 'retry', delayMs: DEFAULT_RETRY_DELAY_MS });
  });
});
