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
});
