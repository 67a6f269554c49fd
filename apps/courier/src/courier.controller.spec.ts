import { PermanentFailure } from '@sne/messaging';
import { CourierController } from './courier.controller';

const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;

describe('CourierController, delivery jobs', () => {
  const calls: unknown[][] = [];
  const deliveries = {
    handle: async (...a: unknown[]) => void calls.push(['handle', ...a]),
    handleMany: async (...a: unknown[]) => void calls.push(['handleMany', ...a]),
    handleEach: async (...a: unknown[]) => void calls.push(['handleEach', ...a]),
  };
  const controller = new CourierController(deliveries as any, {} as any);
  beforeEach(() => (calls.length = 0));

  it('hands a job to one endpoint, a job to several (each delivery with its own), and a single delivery to the service', async () => {
    await controller.onDeliveryJob({ deliveryIds: [id(1), id(2)], endpoint: 'https://a.example' });
    await controller.onDeliveryJob({ deliveryIds: [id(1), id(2)], endpoints: ['https://a.example', null] });
    await controller.onDeliveryJob({ deliveryId: id(3), endpoint: 'https://b.example' });
    expect(calls).toEqual([
      ['handleMany', [id(1), id(2)], 'https://a.example'],
      ['handleEach', [id(1), id(2)], ['https://a.example', null]],
      ['handle', id(3), 'https://b.example'],
    ]);
  });

  it.each([
    ['endpoints not a list', { deliveryIds: [id(1)], endpoints: 'https://a.example' }],
    ['one endpoint short', { deliveryIds: [id(1), id(2)], endpoints: ['https://a.example'] }],
    ['an endpoint that is not text', { deliveryIds: [id(1)], endpoints: [42] }],
    ['an id that is not a uuid', { deliveryIds: ['x'], endpoints: [null] }],
  ])('drops a malformed job for good: %s', async (_why, job) => {
    await expect(controller.onDeliveryJob(job as any)).rejects.toBeInstanceOf(PermanentFailure);
    expect(calls).toEqual([]);
  });
});
