import { MicroBatcher } from './micro-batcher';

describe('MicroBatcher', () => {
  it('runs calls made in the same turn as one batch, answering each in order', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number, number>(async (xs) => {
      batches.push(xs);
      return xs.map((x) => x * 10);
    });
    const results = await Promise.all([1, 2, 3].map((x) => batcher.submit(x)));
    expect(results).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
    expect(await batcher.submit(4)).toBe(40);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('splits at the maximum batch size and rejects every caller of a failed batch', async () => {
    const sizes: number[] = [];
    const ok = new MicroBatcher<number, number>(async (xs) => (sizes.push(xs.length), xs), 2);
    await Promise.all([1, 2, 3, 4, 5].map((x) => ok.submit(x)));
    expect(sizes).toEqual([2, 2, 1]);
    const failing = new MicroBatcher<number, number>(async () => {
      throw new Error('database down');
    });
    await expect(Promise.all([failing.submit(1), failing.submit(2)])).rejects.toThrow('database down');
  });

  it('with maxInFlight 1, runs one batch at a time: calls made meanwhile go together when it ends', async () => {
    const batches: number[][] = [];
    let running = 0;
    let most = 0;
    const release: (() => void)[] = [];
    const batcher = new MicroBatcher<number, number>(
      async (xs) => {
        batches.push(xs);
        most = Math.max(most, ++running);
        await new Promise<void>((r) => release.push(r));
        running--;
        return xs.map((x) => -x);
      },
      3,
      1,
    );
    const first = batcher.submit(1);
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[1]]);
    // While the first batch runs: seven calls over two turns, more than one batch's worth.
    const later = [2, 3, 4, 5].map((x) => batcher.submit(x));
    await new Promise((r) => setImmediate(r));
    later.push(...[6, 7, 8].map((x) => batcher.submit(x)));
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[1]]);
    release.shift()!();
    expect(await first).toBe(-1);
    // Then full batches, one after another, in the order the calls came.
    for (let n = 2; n <= 4; n++) {
      for (let turns = 0; turns < 5 && batches.length < n; turns++) await new Promise((r) => setImmediate(r));
      expect(batches).toHaveLength(n);
      expect(running).toBe(1);
      release.shift()!();
    }
    expect(await Promise.all(later)).toEqual([-2, -3, -4, -5, -6, -7, -8]);
    expect(batches).toEqual([[1], [2, 3, 4], [5, 6, 7], [8]]);
    expect(most).toBe(1);
  });

  it('a failed batch frees its flight: the calls waiting behind it still run', async () => {
    let calls = 0;
    let fail!: () => void;
    const batcher = new MicroBatcher<number, number>(
      async (xs) => {
        if (++calls === 1) await new Promise<void>((_, reject) => (fail = () => reject(new Error('database down'))));
        return xs;
      },
      500,
      1,
    );
    const failed = expect(batcher.submit(1)).rejects.toThrow('database down');
    await new Promise((r) => setImmediate(r));
    const waiting = batcher.submit(2);
    await new Promise((r) => setImmediate(r));
    expect(calls).toBe(1);
    fail();
    await failed;
    expect(await waiting).toBe(2);
    expect(calls).toBe(2);
  });
});
