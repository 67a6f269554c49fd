import { RetryLater } from '@sne/messaging';
import { DeliveryService } from './delivery.service';

/** A courier whose claims all come back empty: what happens to a job then depends only on the delivery's state. */
function courierFinding(states: Record<string, { status: string; waitMs: number; sendable: boolean } | undefined>) {
  const published: { payload: unknown }[] = [];
  const repo = { claimMany: async () => new Map(), state: async (id: string) => states[id] };
  const publisher = { publish: async (m: { payload: unknown }) => void published.push(m) };
  const config = { endpointConcurrency: 4, courierConcurrency: 8, deliveryLeaseMs: 60_000 };
  const service = new DeliveryService(repo as any, {} as any, {} as any, {} as any, {} as any, config as any, publisher as any, {} as any, {} as any, {} as any);
  return { service, published };
}

const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;

describe('DeliveryService, a job that claims nothing', () => {
  it('tries again, by the database clock, a delivery not yet due', async () => {
    const { service } = courierFinding({ [id(1)]: { status: 'retrying', waitMs: 180, sendable: true } });
    await expect(service.handle(id(1))).rejects.toMatchObject({ name: 'RetryLater', delayMs: 180 });
  });

  it('tries again at once a delivery that became due while it was being claimed, instead of dropping it', async () => {
    const { service } = courierFinding({ [id(1)]: { status: 'retrying', waitMs: 0, sendable: true }, [id(2)]: { status: 'pending', waitMs: 0, sendable: true } });
    for (const d of [id(1), id(2)]) {
      const err = await service.handle(d).catch((e) => e);
      expect(err).toBeInstanceOf(RetryLater);
      expect(err.delayMs).toBeLessThan(100);
    }
  });

  it('lets go of one done, held by its paused subscription, claimed by another courier, or unknown', async () => {
    const { service } = courierFinding({
      [id(1)]: { status: 'delivered', waitMs: 0, sendable: true },
      [id(2)]: { status: 'pending', waitMs: 0, sendable: false },
      [id(3)]: { status: 'sending', waitMs: 0, sendable: true },
    });
    for (const d of [id(1), id(2), id(3)]) await expect(service.handle(d)).resolves.toBeUndefined();
    await expect(service.handle(id(4))).rejects.toMatchObject({ name: 'PermanentFailure' });
  });

  it('in a job of many, gives each delivery that must wait a job of its own and lets go of the rest', async () => {
    const { service, published } = courierFinding({
      [id(1)]: { status: 'delivered', waitMs: 0, sendable: true },
      [id(2)]: { status: 'retrying', waitMs: 0, sendable: true },
      [id(3)]: { status: 'retrying', waitMs: 500, sendable: true },
    });
    await service.handleMany([id(1), id(2), id(3), id(4)], 'https://a.example');
    expect(published.map((m) => m.payload)).toEqual([{ deliveryId: id(2) }, { deliveryId: id(3) }]);
  });
});

describe('DeliveryService, a job to several endpoints', () => {
  it('lets each delivery wait for its own endpoint, so a saturated endpoint holds up only its own', async () => {
    const claimed: string[] = [];
    const repo = {
      claimMany: async (ids: string[]) => {
        claimed.push(...ids);
        return new Map();
      },
      state: async () => ({ status: 'delivered', waitMs: 0, sendable: true }),
    };
    const config = { endpointConcurrency: 1, courierConcurrency: 8, deliveryLeaseMs: 60_000 };
    const service = new DeliveryService(repo as any, {} as any, {} as any, {} as any, {} as any, config as any, { publish: async () => undefined } as any, {} as any, {} as any, {} as any);
    // Another job holds the slow endpoint's only slot.
    const endpoints = (service as any).endpoints;
    expect(endpoints.tryAcquire('https://slow.example')).toBe(true);
    const job = service.handleEach([id(1), id(2), id(3), id(2)], ['https://slow.example', 'https://fast.example', null, 'https://fast.example']);
    // The two whose endpoints are free are claimed, however long a busy machine takes to get there;
    // the slow endpoint's never is while its slot is held (a wrong claim would make three).
    for (let waited = 0; claimed.length < 2 && waited < 10_000; waited += 5) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 20));
    expect(claimed.sort()).toEqual([id(2), id(3)]);
    endpoints.release('https://slow.example');
    await job;
    expect(claimed.sort()).toEqual([id(1), id(2), id(3)]);
  });
});

/** A hand-made promise, to hold a step of a job open until the test lets it go. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

type State = { status: string; waitMs: number; sendable: boolean };

/** Claims come back empty; each delivery's state is looked up through `state`, which a test can hold open (a slow delivery). */
function courierWith(state: (id: string) => Promise<State | undefined>, publish: (m: { payload: unknown; msgId: string }) => Promise<void>) {
  const repo = { claimMany: async () => new Map(), state };
  const config = { endpointConcurrency: 2, courierConcurrency: 8, deliveryLeaseMs: 60_000 };
  return new DeliveryService(repo as any, {} as any, {} as any, {} as any, {} as any, config as any, { publish } as any, {} as any, {} as any, {} as any);
}

const settles = async (p: Promise<unknown>) => {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((r) => setTimeout(r, 20));
  return done;
};

describe('DeliveryService, retries in a job of many', () => {
  const retrying: State = { status: 'retrying', waitMs: 500, sendable: true };

  it.each(['handleEach', 'handleMany'] as const)('%s publishes a retry at once, not after a slow delivery of the same job, and acks only after both', async (how) => {
    const slow = deferred<State>();
    const published: { payload: unknown; msgId: string }[] = [];
    const service = courierWith(
      async (d) => (d === id(2) ? slow.promise : retrying),
      async (m) => void published.push(m),
    );
    const job =
      how === 'handleEach'
        ? service.handleEach([id(1), id(2)], ['https://fails.example', 'https://hangs.example'])
        : service.handleMany([id(1), id(2)], 'https://a.example');
    // The slow delivery is still running, and the retry's job is already out.
    expect(await settles(job)).toBe(false);
    expect(published.map((m) => m.payload)).toEqual([{ deliveryId: id(1) }]);
    expect(published[0].msgId).toMatch(new RegExp(`^later:${id(1)}:\\d+$`));
    slow.resolve({ status: 'delivered', waitMs: 0, sendable: true });
    await expect(job).resolves.toBeUndefined();
    expect(published).toHaveLength(1);
  });

  it.each(['handleEach', 'handleMany'] as const)('%s is not acknowledged before the retry\'s job is stored, and fails if it is not', async (how) => {
    const stored = deferred<void>();
    const service = courierWith(async () => retrying, () => stored.promise);
    const job = how === 'handleEach' ? service.handleEach([id(1)], [null]) : service.handleMany([id(1), id(2)]);
    expect(await settles(job)).toBe(false);
    stored.reject(new Error('no PubAck'));
    await expect(job).rejects.toThrow('no PubAck');
  });

  it('an unexpected error fails the job only once its other deliveries are done, their retries published', async () => {
    const slow = deferred<State>();
    const published: unknown[] = [];
    const service = courierWith(
      async (d) => {
        if (d === id(1)) throw new Error('database went away');
        return d === id(2) ? slow.promise : retrying;
      },
      async (m) => void published.push(m.payload),
    );
    const job = service.handleEach([id(1), id(2), id(3)], ['https://x.example', 'https://y.example', null]);
    expect(await settles(job)).toBe(false);
    expect(published).toEqual([{ deliveryId: id(3) }]);
    slow.resolve({ status: 'delivered', waitMs: 0, sendable: true });
    await expect(job).rejects.toThrow('database went away');
  });
});
