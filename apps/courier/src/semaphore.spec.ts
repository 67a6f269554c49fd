import { Semaphore } from './semaphore';

describe('Semaphore', () => {
  it('hands out at most its size, serves waiters in order, and caps a request at its size', async () => {
    const s = new Semaphore(2);
    await s.acquire();
    await s.acquire();
    const order: string[] = [];
    const a = s.acquire().then(() => order.push('a'));
    const b = s.acquire(2).then((n) => order.push(`b${n}`));
    const c = s.acquire().then(() => order.push('c'));
    await Promise.resolve();
    expect(order).toEqual([]);
    s.release();
    await a;
    expect(order).toEqual(['a']);
    // b wants two: one free is not enough, and c (behind it) must not jump the queue.
    s.release();
    await Promise.resolve();
    expect(order).toEqual(['a']);
    s.release();
    await b;
    expect(order).toEqual(['a', 'b2']);
    s.release(2);
    await c;
    expect(order).toEqual(['a', 'b2', 'c']);
    expect(await new Semaphore(3).acquire(10)).toBe(3);
  });
});
