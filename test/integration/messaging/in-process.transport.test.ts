import { ConsumerSpec, InProcessBroker, InProcessPublisher, InProcessServer, WorkGate } from '@sne/messaging';
import { describeTransportBehaviour } from './support/transport-behaviour';

describeTransportBehaviour('In-process', async () => {
  const broker = new InProcessBroker();
  return {
    publisher: new InProcessPublisher(broker),
    server: (consumers: ConsumerSpec[], shutdownGraceMs?: number, gate?: WorkGate) => new InProcessServer({ consumers, broker, shutdownGraceMs, gate }),
    stored: async () => broker.pendingCount(),
    outstanding: async () => broker.pendingCount(),
    dispose: async () => broker.close(),
  };
});
