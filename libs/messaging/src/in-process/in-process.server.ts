import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { ConsumerSpec, WorkConsumers, WorkGate } from '../contracts';
import { JetStreamContext } from '../jetstream/jetstream.context';
import { HandlerOutcome, runWorkHandler } from '../work-handler.runner';
import { getDefaultInProcessBroker, InProcessBroker, InProcessDelivery, InProcessSubscription } from './in-process.broker';

export interface InProcessServerOptions {
  consumers: ConsumerSpec[];
  /** Defaults to the process-wide broker, the one the default publisher uses. */
  broker?: InProcessBroker;
  /** On close, how long running handlers may finish before their messages are left to redelivery. Default 10 s. */
  shutdownGraceMs?: number;
  /** While closed, no new deliveries start (the database is away). */
  gate?: WorkGate;
}

const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

/** The in-process counterpart of JetStreamServer: same handlers, same outcome mapping, no NATS. */
export class InProcessServer extends Server<Record<string, never>, 'connected' | 'disconnected'> implements CustomTransportStrategy, WorkConsumers {
  protected override readonly logger = new Logger(InProcessServer.name);
  private readonly broker: InProcessBroker;
  private subscriptions: InProcessSubscription[] = [];
  private unwatchGate?: () => void;

  constructor(private readonly options: InProcessServerOptions) {
    super();
    this.broker = options.broker ?? getDefaultInProcessBroker();
  }

  listen(callback: (...optionalParams: unknown[]) => unknown): void {
    try {
      const handlers = this.options.consumers.map((spec) => {
        const handler = this.getHandlerByPattern(spec.subject);
        if (!handler) throw new Error(`No @EventPattern('${spec.subject}') handler registered for consumer ${spec.durable}`);
        return handler;
      });
      this.subscriptions = this.options.consumers.map((spec, i) =>
        this.broker.subscribe(spec, (delivery) => this.process(spec, handlers[i], delivery)),
      );
      const gate = this.options.gate;
      if (gate) {
        const apply = (open: boolean) => this.subscriptions.forEach((s) => s.setPaused(!open));
        this.unwatchGate = gate.onChange(apply);
        if (!gate.isOpen()) apply(false);
      }
      this._status$.next('connected');
      callback();
    } catch (err) {
      void this.close();
      callback(err);
    }
  }

  async close(): Promise<void> {
    this.unwatchGate?.();
    const subscriptions = this.subscriptions;
    this.subscriptions = [];
    const grace = this.options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
    await Promise.all(subscriptions.map((s) => s.close(grace)));
    this._status$.next('disconnected');
  }

  consumersRunning(): boolean {
    return this.subscriptions.length === this.options.consumers.length;
  }

  /** No connection events in memory. */
  on(): void {}

  /** The broker. */
  unwrap<T>(): T {
    return this.broker as T;
  }

  private async process(spec: ConsumerSpec, handler: MessageHandler, delivery: InProcessDelivery): Promise<HandlerOutcome> {
    const where = `${spec.subject} #${delivery.sequence} (delivery ${delivery.deliveryCount})`;
    let data: unknown;
    try {
      data = JSON.parse(delivery.json);
    } catch {
      this.logger.error(`Malformed JSON on ${where}; dropping the message`);
      return { kind: 'drop', reason: 'malformed JSON' };
    }
    const context = new JetStreamContext(spec.subject, delivery.msgId, delivery.deliveryCount);
    const outcome = await runWorkHandler(handler, data, context, (result) => this.transformToObservable(result));
    if (outcome.kind === 'drop') this.logger.warn(`Dropping ${where}: ${outcome.reason}`);
    else if (outcome.kind === 'retry' && !outcome.expected) {
      this.logger.error(`Handler failed for ${where}: ${outcome.reason}; redelivering in ${outcome.delayMs} ms`);
    } else if (outcome.kind === 'retry') {
      this.logger.debug(`Retry later for ${where} in ${outcome.delayMs} ms: ${outcome.reason}`);
    }
    return outcome;
  }
}
