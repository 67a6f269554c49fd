import { isTransientJetStreamError, retryJetStreamSetup } from './jetstream.connection';

/** Errors shaped as nats.js 2.x raises them (NatsError: code, and api_error for JetStream API answers). */
const natsError = (code: string, apiError?: { code: number; err_code: number; description: string }) =>
  Object.assign(new Error(apiError?.description ?? code), { code, api_error: apiError });

const TIMEOUT = natsError('TIMEOUT');
const NO_RESPONDERS = natsError('503');
const TEMPORARILY_UNAVAILABLE = natsError('503', { code: 503, err_code: 10008, description: 'JetStream system temporarily unavailable' });
const NO_PEERS = natsError('500', { code: 500, err_code: 10005, description: 'no suitable peers for placement' });
const NOT_ENABLED_FOR_ACCOUNT = natsError('503', { code: 503, err_code: 10039, description: 'jetstream not enabled for account' });
const STREAM_NAME_IN_USE = natsError('400', { code: 400, err_code: 10058, description: 'stream name already in use with a different configuration' });

describe('isTransientJetStreamError', () => {
  it.each([
    ['a request timeout', true, TIMEOUT],
    ['no responders', true, NO_RESPONDERS],
    ['a 408 request timeout', true, natsError('408')],
    ['"temporarily unavailable" (no meta leader)', true, TEMPORARILY_UNAVAILABLE],
    ['"no suitable peers" (a forming cluster)', true, NO_PEERS],
    ['"not enabled for account", though its status is 503', false, NOT_ENABLED_FOR_ACCOUNT],
    ['a configuration refusal', false, STREAM_NAME_IN_USE],
    ['a plain error', false, new Error('Stream exists with retention limits')],
    ['a non-error', false, 'TIMEOUT'],
    ['undefined', false, undefined],
  ])('%s → transient: %s', (_, transient, err) => {
    expect(isTransientJetStreamError(err)).toBe(transient);
  });
});

describe('retryJetStreamSetup', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** A step that fails with each given error in turn, then succeeds. */
  function stepFailing(...errors: unknown[]) {
    const step = jest.fn(async () => {
      const err = errors[step.mock.calls.length - 1];
      if (err !== undefined) throw err;
      return 'done';
    });
    return step;
  }

  it('retries transient answers with growing delays until the step succeeds, logging each', async () => {
    const step = stepFailing(TIMEOUT, TEMPORARILY_UNAVAILABLE, NO_RESPONDERS);
    const warnings: string[] = [];
    const result = retryJetStreamSetup('consumer courier', step, { logger: { warn: (m) => warnings.push(m) } });
    await jest.advanceTimersByTimeAsync(250 + 500 + 1000);
    await expect(result).resolves.toBe('done');
    expect(step).toHaveBeenCalledTimes(4);
    expect(warnings).toEqual([
      'consumer courier: JetStream answered "TIMEOUT"; retrying in 250 ms',
      'consumer courier: JetStream answered "JetStream system temporarily unavailable"; retrying in 500 ms',
      'consumer courier: JetStream answered "503"; retrying in 1000 ms',
    ]);
  });

  it('does not retry before its delay has passed', async () => {
    const step = stepFailing(TIMEOUT);
    const result = retryJetStreamSetup('work stream', step);
    await jest.advanceTimersByTimeAsync(249);
    expect(step).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toBe('done');
    expect(step).toHaveBeenCalledTimes(2);
  });

  it('throws a refusal at once, without retrying', async () => {
    const step = stepFailing(STREAM_NAME_IN_USE);
    await expect(retryJetStreamSetup('work stream', step)).rejects.toBe(STREAM_NAME_IN_USE);
    expect(step).toHaveBeenCalledTimes(1);
  });

  it('gives up with the last error once the next delay would pass the deadline', async () => {
    const step = jest.fn(async () => {
      throw TIMEOUT;
    });
    const result = retryJetStreamSetup('work stream', step, { deadlineMs: 10_000 });
    const settled = result.catch((err: unknown) => err);
    // Delays 250, 500, 1000, 2000, 4000 (7,750 ms); the next (5000) would end past 10,000.
    await jest.advanceTimersByTimeAsync(7_750);
    await expect(settled).resolves.toBe(TIMEOUT);
    expect(step).toHaveBeenCalledTimes(6);
  });

  it('caps the delay at 5 s', async () => {
    const warnings: string[] = [];
    const step = stepFailing(TIMEOUT, TIMEOUT, TIMEOUT, TIMEOUT, TIMEOUT, TIMEOUT, TIMEOUT);
    const result = retryJetStreamSetup('work stream', step, { logger: { warn: (m) => warnings.push(m) } });
    await jest.advanceTimersByTimeAsync(250 + 500 + 1000 + 2000 + 4000 + 5000 + 5000);
    await expect(result).resolves.toBe('done');
    expect(warnings.map((w) => Number(/retrying in (\d+) ms/.exec(w)![1]))).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);
  });

  it('stops retrying once abandoned (the process is shutting down)', async () => {
    let closing = false;
    const step = jest.fn(async () => {
      closing = true;
      throw TIMEOUT;
    });
    await expect(retryJetStreamSetup('consumer courier', step, { abandoned: () => closing })).rejects.toBe(TIMEOUT);
    expect(step).toHaveBeenCalledTimes(1);
  });
});
