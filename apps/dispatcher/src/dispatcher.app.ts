import { INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CoreDeps } from '@sne/core';
import { createWorkServer, InProcessBroker, Subjects } from '@sne/messaging';
import { DispatcherModule } from './dispatcher.module';

/** The dispatcher as a NestJS microservice on the work transport (JetStream, or in-process when NATS_URL is unset). */
export async function createDispatcherApp(deps: CoreDeps, broker?: InProcessBroker): Promise<INestMicroservice> {
  const strategy = createWorkServer({
    natsUrl: deps.config.natsUrl,
    prefix: deps.config.natsPrefix,
    replicas: deps.config.natsReplicas,
    broker,
    // While the database is away the consumers pull nothing; DatabaseAvailability logs the outage once.
    gate: deps.availability,
    // A running fan-out keeps its message (working() heartbeats); a dead one gives it up after 30 s.
    consumers: [{ subject: Subjects.noticeEvents, durable: 'dispatcher', concurrency: 4, ackWaitMs: 30_000 }],
  });
  const app = await NestFactory.createMicroservice(DispatcherModule.with(deps, strategy), { strategy, bufferLogs: false });
  app.enableShutdownHooks();
  return app;
}
