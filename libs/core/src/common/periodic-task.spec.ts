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
      { warn } as never,
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
});
