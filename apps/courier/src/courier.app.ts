import { INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CoreDeps } from '@sne/core';
import { createWorkServer, InProcessBroker, Subjects } from '@sne/messaging';
import { CourierModule } from './courier.module';

/** The courier as a NestJS microservice; any number of replicas share the one durable consumer. */
export async function createCourierApp(deps: CoreDeps, broker?: InProcessBroker): Promise<INestMicroservice> {
  const strategy = createWorkServer({
    natsUrl: deps.config.natsUrl,
    prefix: deps.config.natsPrefix,
    replicas: deps.config.natsReplicas,
    broker,
    // While the database is away the consumers pull nothing; DatabaseAvailability logs the outage once.
    gate: deps.availability,
    consumers: [
      {
        subject: Subjects.deliveryJobs,
        durable: 'courier',
        concurrency: deps.config.courierConcurrency,
        // Longer than one send can take, so a live courier's message is never handed to another.
        ackWaitMs: deps.config.webhookTimeoutMs + 30_000,
      },
      { subject: Subjects.reviewMail, durable: 'courier-review', concurrency: 2, ackWaitMs: 60_000 },
    ],
  });
  const app = await NestFactory.createMicroservice(CourierModule.with(deps, strategy), { strategy, bufferLogs: false });
  app.enableShutdownHooks();
  return app;
}
