import { decideAfterFailure } from './retry-policy';

const schedule = [10_000, 60_000, 300_000];
const noJitter = () => 0.5;

describe('retry policy', () => {
  it('walks the schedule, one step per failed attempt', () => {
    expect(decideAfterFailure({ attemptsInRun: 1, permanent: false }, schedule, noJitter)).toEqual({ action: 'retry', delayMs: 10_000 });
    expect(decideAfterFailure({ attemptsInRun: 2, permanent: false }, schedule, noJitter)).toEqual({ action: 'retry', delayMs: 60_000 });
    expect(decideAfterFailure({ attemptsInRun: 3, permanent: false }, schedule, noJitter)).toEqual({ action: 'retry', delayMs: 300_000 });
  });

  it('fails (dead letter) once the schedule is exhausted', () => {
    expect(decideAfterFailure({ attemptsInRun: 4, permanent: false }, schedule, noJitter)).toEqual({ action: 'fail' });
  });

  it('fails at once on a permanent refusal', () => {
    expect(decideAfterFailure({ attemptsInRun: 1, permanent: true }, schedule, noJitter)).toEqual({ action: 'fail' });
  });

  it('honours Retry-After over the schedule', () => {
    expect(decideAfterFailure({ attemptsInRun: 1, permanent: false, retryAfterMs: 7000 }, schedule, noJitter)).toEqual({
      action: 'retry',
      delayMs: 7000,
    });
  });

  it('jitters within ±10 %', () => {
    const low = decideAfterFailure({ attemptsInRun: 1, permanent: false }, schedule, () => 0);
    const high = decideAfterFailure({ attemptsInRun: 1, permanent: false }, schedule, () => 0.999999);
    expect(low).toEqual({ action: 'retry', delayMs: 9000 });
    expect(high).toEqual({ action: 'retry', delayMs: 11000 });
  });
});
