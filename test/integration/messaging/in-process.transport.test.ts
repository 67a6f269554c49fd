import { ConsumerSpec, InProcessBroker, InProcessPublisher, InProcessServer } from '@sne/messaging';
import { describeTransportBehaviour } from './support/transport-behaviour';

describeTransportBehaviour('In-process', async () => {
  const broker = new InProcessBroker();
  return {
    publisher: new InProcessPublisher(broker),
    server: (consumers: ConsumerSpec[], shutdownGraceMs?: number) => new InProcessServer({ consumers, broker, shutdownGraceMs }),
    stored: async () => broker.pendingCount(),
    outstanding: async () => broker.pendingCount(),
    dispose: async () => broker.close(),
  };
});
