import { ConsumerSpec, OutgoingMessage, Subjects } from '../contracts';
import { HandlerOutcome } from '../work-handler.runner';
import { InProcessBroker, InProcessDelivery } from './in-process.broker';

const spec = (overrides: Partial<ConsumerSpec> = {}): ConsumerSpec => ({
  subject: Subjects.deliveryJobs,
  durable: 'courier',
  concurrency: 4,
  ackWaitMs: 50,
  ...overrides,
});

const job = (id: string, payload: unknown = { deliveryId: id }): OutgoingMessage => ({ subject: Subjects.deliveryJobs, payload, msgId: id });

const ack = async (): Promise<HandlerOutcome> => ({ kind: 'ack' });

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('InProcessBroker', () => {
  let broker: InProcessBroker;

  beforeEach(() => {
    broker = new InProcessBroker();
  });

  afterEach(() => broker.close());

  it('drops a re-publish with the same msgId inside the window', () => {
    expect(broker.publish(job('a'))).toBe(true);
    expect(broker.publish(job('a', { other: true }))).toBe(false);
    expect(broker.pendingCount()).toBe(1);
  });

  it('accepts the msgId again once the window has passed', async () => {
    broker = new InProcessBroker({ duplicateWindowMs: 20 });
    expect(broker.publish(job('a'))).toBe(true);
    await pause(40);
    expect(broker.publish(job('a'))).toBe(true);
    expect(broker.pendingCount()).toBe(2);
  });

  it('keeps messages published before anyone consumes, then delivers them in order', async () => {
    broker.publish(job('1'));
    broker.publish(job('2'));
    const got: InProcessDelivery[] = [];
    broker.subscribe(spec({ concurrency: 1 }), async (d) => {
      got.push(d);
      return { kind: 'ack' };
    });
    await until(() => broker.pendingCount() === 0, 'both acked');
    expect(got.map((d) => [JSON.parse(d.json).deliveryId, d.deliveryCount, d.msgId])).toEqual([
      ['1', 1, '1'],
      ['2', 1, '2'],
    ]);
  });

  it('delivers a snapshot of the payload taken at publish time', async () => {
    const payload = { deliveryId: 'x', tags: ['a'] };
    broker.publish(job('x', payload));
    payload.tags.push('mutated');
    let json = '';
    broker.subscribe(spec(), async (d) => {
      json = d.json;
      return { kind: 'ack' };
    });
    await until(() => json !== '', 'delivery');
    expect(JSON.parse(json)).toEqual({ deliveryId: 'x', tags: ['a'] });
  });

  it('refuses a payload that is not JSON-serializable', () => {
    expect(() => broker.publish(job('big', { n: BigInt(1) }))).toThrow();
    expect(broker.pendingCount()).toBe(0);
  });

  it('runs at most `concurrency` deliveries at once per consumer', async () => {
    let active = 0;
    let peak = 0;
    let done = 0;
    broker.subscribe(spec({ concurrency: 3 }), async () => {
      active++;
      peak = Math.max(peak, active);
      await pause(10);
      active--;
      done++;
      return { kind: 'ack' };
    });
    for (let i = 0; i < 12; i++) broker.publish(job(`c${i}`));
    await until(() => done === 12, 'all handled');
    expect(peak).toBe(3);
  });

  it('redelivers after the requested delay with the delivery count raised', async () => {
    const counts: number[] = [];
    broker.subscribe(spec(), async (d) => {
      counts.push(d.deliveryCount);
      return d.deliveryCount === 1 ? { kind: 'retry', delayMs: 20, reason: 'busy', expected: true } : { kind: 'ack' };
    });
    broker.publish(job('r'));
    await until(() => broker.pendingCount() === 0, 'acked after retry');
    expect(counts).toEqual([1, 2]);
  });

  it('drops a message on a drop outcome and never delivers it again', async () => {
    let calls = 0;
    broker.subscribe(spec(), async () => {
      calls++;
      return { kind: 'drop', reason: 'gone' };
    });
    broker.publish(job('d'));
    await until(() => broker.pendingCount() === 0, 'dropped');
    await pause(100);
    expect(calls).toBe(1);
  });

  it('gives up after maxDeliver deliveries', async () => {
    let calls = 0;
    broker.subscribe(spec({ maxDeliver: 3 }), async () => {
      calls++;
      return { kind: 'retry', delayMs: 5, reason: 'still failing', expected: false };
    });
    broker.publish(job('m'));
    await until(() => broker.pendingCount() === 0, 'given up');
    await pause(50);
    expect(calls).toBe(3);
  });

  it('splits a subject between members of one durable, each message once', async () => {
    const byMember: Record<string, string[]> = { a: [], b: [] };
    const member = (name: string) => async (d: InProcessDelivery) => {
      byMember[name].push(d.msgId);
      await pause(2);
      return { kind: 'ack' } as HandlerOutcome;
    };
    broker.subscribe(spec({ concurrency: 2 }), member('a'));
    broker.subscribe(spec({ concurrency: 2 }), member('b'));
    for (let i = 0; i < 20; i++) broker.publish(job(`s${i}`));
    await until(() => broker.pendingCount() === 0, 'all acked');
    const all = [...byMember.a, ...byMember.b];
    expect(all).toHaveLength(20);
    expect(new Set(all).size).toBe(20);
    expect(byMember.a.length).toBeGreaterThan(0);
    expect(byMember.b.length).toBeGreaterThan(0);
  });

  it('refuses a second durable on a subject that already has a consumer', () => {
    broker.subscribe(spec(), ack);
    expect(() => broker.subscribe(spec({ durable: 'someone-else' }), ack)).toThrow(/already consumed/);
  });

  it('redelivers a message abandoned by a closed consumer after its ack wait', async () => {
    const never = new Promise<HandlerOutcome>(() => undefined);
    let firstCalls = 0;
    const first = broker.subscribe(spec({ ackWaitMs: 30 }), () => {
      firstCalls++;
      return never;
    });
    broker.publish(job('z'));
    await until(() => firstCalls === 1, 'first delivery');
    await first.close(10);

    const counts: number[] = [];
    broker.subscribe(spec(), async (d) => {
      counts.push(d.deliveryCount);
      return { kind: 'ack' };
    });
    await until(() => broker.pendingCount() === 0, 'redelivered and acked');
    expect(counts).toEqual([2]);
  });

  it('lets a closing consumer finish running deliveries within the grace period', async () => {
    let started = false;
    let finished = false;
    const sub = broker.subscribe(spec(), async () => {
      started = true;
      await pause(30);
      finished = true;
      return { kind: 'ack' };
    });
    broker.publish(job('g'));
    await until(() => started, 'in flight');
    await sub.close(1000);
    expect(finished).toBe(true);
    expect(broker.pendingCount()).toBe(0);
  });
});
