import { Subjects } from './contracts';
import { InProcessBroker } from './in-process/in-process.broker';
import { InProcessPublisher } from './in-process/in-process.publisher';
import { InProcessServer } from './in-process/in-process.server';
import { JetStreamPublisher } from './jetstream/jetstream.publisher';
import { JetStreamServer } from './jetstream/jetstream.server';
import { createWorkPublisher, createWorkServer } from './messaging.factory';

const consumers = [{ subject: Subjects.deliveryJobs, durable: 'courier', concurrency: 2, ackWaitMs: 1000 }];

describe('messaging factories', () => {
  it('choose JetStream when a NATS URL is configured (without connecting yet)', () => {
    expect(createWorkPublisher({ natsUrl: 'nats://a:4222,nats://b:4222', prefix: 'sne' })).toBeInstanceOf(JetStreamPublisher);
    expect(createWorkServer({ natsUrl: 'nats://a:4222', prefix: 'sne', consumers })).toBeInstanceOf(JetStreamServer);
  });

  it('choose the in-process transport otherwise, sharing the broker given', async () => {
    const broker = new InProcessBroker();
    const publisher = createWorkPublisher({ prefix: 'sne', broker });
    expect(publisher).toBeInstanceOf(InProcessPublisher);
    const server = createWorkServer({ prefix: 'sne', broker, consumers });
    expect(server).toBeInstanceOf(InProcessServer);
    expect(server.unwrap()).toBe(broker);
    await publisher.publish({ subject: Subjects.deliveryJobs, payload: {}, msgId: 'm' });
    expect(broker.pendingCount()).toBe(1);
    broker.close();
  });

  it('refuse a prefix that is not a single subject token', () => {
    expect(() => createWorkPublisher({ natsUrl: 'nats://a:4222', prefix: 'a.b' })).toThrow(/Invalid messaging prefix/);
  });
});
