import { PeriodicTask } from './periodic-task';

describe('PeriodicTask', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs on every tick, never two runs at once, and keeps going after a failure', async () => {
    let calls = 0;
    let release!: () => void;
    const warn = jest.fn();
    const task = new PeriodicTask(
      'test',
      1000,
      () => {
        calls++;
        if (calls === 1) return new Promise<void>((r) => (release = r));
        if (calls === 2) return Promise.reject(new Error('database down'));
        return Promise.resolve();
      },
      { log: { warn } },
    );
    task.start();
    await jest.advanceTimersByTimeAsync(3000);
    expect(calls).toBe(1); // the first run is still going: later ticks do not start a second
    release();
    await jest.advanceTimersByTimeAsync(1000);
    expect(calls).toBe(2);
    expect(warn).toHaveBeenCalledWith('test failed, will try again: database down');
    await jest.advanceTimersByTimeAsync(1000);
    expect(calls).toBe(3);
    task.stop();
    await jest.advanceTimersByTimeAsync(5000);
    expect(calls).toBe(3);
  });

  it('rests while the database is away, and leaves an outage for the availability to report', async () => {
    let open = true;
    const noted: unknown[] = [];
    const availability = { isOpen: () => open, noteFailure: (err: unknown) => (noted.push(err), (err as Error).message === 'ECONNREFUSED') };
    const warn = jest.fn();
    let calls = 0;
    const task = new PeriodicTask(
      'test',
      1000,
      async () => {
        calls++;
        throw new Error(calls === 1 ? 'ECONNREFUSED' : 'syntax error');
      },
      { log: { warn }, availability },
    );
    task.start();
    await jest.advanceTimersByTimeAsync(1000);
    expect({ calls, warned: warn.mock.calls.length, noted: noted.length }).toEqual({ calls: 1, warned: 0, noted: 1 });
    open = false;
    await jest.advanceTimersByTimeAsync(5000);
    expect(calls).toBe(1); // no runs while the database is away
    open = true;
    await jest.advanceTimersByTimeAsync(1000);
    expect(calls).toBe(2);
    expect(warn).toHaveBeenCalledWith('test failed, will try again: syntax error'); // not an outage: still reported
    task.stop();
  });
});
