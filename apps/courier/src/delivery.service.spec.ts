import { RetryLater } from '@sne/messaging';
import { DeliveryService } from './delivery.service';

/** A courier whose claims all come back empty: what happens to a job then depends only on the delivery's state. */
function courierFinding(states: Record<string, { status: string; waitMs: number; sendable: boolean } | undefined>) {
  const published: { payload: unknown }[] = [];
  const repo = { claimMany: async () => new Map(), state: async (id: string) => states[id] };
  const publisher = { publishMany: async (ms: { payload: unknown }[]) => void published.push(...ms) };
  const config = { endpointConcurrency: 4, courierConcurrency: 8, deliveryLeaseMs: 60_000 };
  const service = new DeliveryService(repo as any, {} as any, {} as any, {} as any, {} as any, config as any, publisher as any, {} as any, {} as any);
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
    const service = new DeliveryService(repo as any, {} as any, {} as any, {} as any, {} as any, config as any, { publishMany: async () => undefined } as any, {} as any, {} as any);
    // Another job holds the slow endpoint's only slot.
    const endpoints = (service as any).endpoints;
    expect(endpoints.tryAcquire('https://slow.example')).toBe(true);
    const job = service.handleEach([id(1), id(2), id(3), id(2)], ['https://slow.example', 'https://fast.example', null, 'https://fast.example']);
    await new Promise((r) => setTimeout(r, 20));
    expect(claimed.sort()).toEqual([id(2), id(3)]);
    endpoints.release('https://slow.example');
    await job;
    expect(claimed.sort()).toEqual([id(1), id(2), id(3)]);
  });
});
