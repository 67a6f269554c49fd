import { ConsumerSpec, WorkGate, WorkPublisher } from './contracts';
import { getDefaultInProcessBroker, InProcessBroker } from './in-process/in-process.broker';
import { InProcessPublisher } from './in-process/in-process.publisher';
import { InProcessServer } from './in-process/in-process.server';
import { JetStreamPublisher } from './jetstream/jetstream.publisher';
import { JetStreamServer } from './jetstream/jetstream.server';

export interface WorkTransportOptions {
  /** NATS_URL (comma-separated servers allowed). Absent: the in-process transport. */
  natsUrl?: string;
  /** NATS_PREFIX: first token of every subject, and the stream/consumer name prefix. */
  prefix: string;
  /** JetStream stream replicas. Default 1. */
  replicas?: number;
  /** In-process transport only; defaults to the process-wide broker. */
  broker?: InProcessBroker;
}

export interface WorkServerOptions extends WorkTransportOptions {
  consumers: ConsumerSpec[];
  /** On close, how long running handlers may finish. Default 10 s. */
  shutdownGraceMs?: number;
  /** While closed, the consumers take no new work (the database is away). */
  gate?: WorkGate;
}

/** A publisher that can also be closed (JetStream connection; no-op in process). */
export type ClosableWorkPublisher = WorkPublisher & { close(): Promise<void> };

/** JetStream when natsUrl is set, else the in-process broker. Provide it under WORK_PUBLISHER. */
export function createWorkPublisher(opts: WorkTransportOptions): ClosableWorkPublisher {
  if (opts.natsUrl) return new JetStreamPublisher({ servers: opts.natsUrl, prefix: opts.prefix, replicas: opts.replicas });
  return new InProcessPublisher(opts.broker ?? getDefaultInProcessBroker());
}

/** The Nest transport strategy for `NestFactory.createMicroservice(Module, { strategy })`. */
export function createWorkServer(opts: WorkServerOptions): JetStreamServer | InProcessServer {
  if (opts.natsUrl) {
    return new JetStreamServer({
      servers: opts.natsUrl,
      prefix: opts.prefix,
      replicas: opts.replicas,
      consumers: opts.consumers,
      shutdownGraceMs: opts.shutdownGraceMs,
      gate: opts.gate,
    });
  }
  return new InProcessServer({
    consumers: opts.consumers,
    broker: opts.broker ?? getDefaultInProcessBroker(),
    shutdownGraceMs: opts.shutdownGraceMs,
    gate: opts.gate,
  });
}
