import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { EventEmitter } from 'events';
import {
  AckPolicy,
  Consumer,
  ConsumerConfig,
  DebugEvents,
  DeliverPolicy,
  Events,
  JetStreamClient,
  JetStreamManager,
  JsMsg,
  NatsConnection,
  nanos,
  ReplayPolicy,
} from 'nats';
import { ConsumerSpec, WorkConsumers, WorkGate } from '../contracts';
import { describeError, HandlerOutcome, runWorkHandler } from '../work-handler.runner';
import { connectNats, ensureWorkStream, isNotFound, retryJetStreamSetup } from './jetstream.connection';
import { JetStreamContext } from './jetstream.context';
import { assertPrefix, durableName, workSubject } from './jetstream.naming';
import { PullLoop } from './jetstream.pull-loop';

export interface JetStreamServerOptions {
  servers: string;
  prefix: string;
  replicas?: number;
  consumers: ConsumerSpec[];
  /** On close, how long running handlers may finish before their messages are left to redelivery. Default 10 s. */
  shutdownGraceMs?: number;
  /** While closed, the consumers pull nothing (the database is away). */
  gate?: WorkGate;
}

export type JetStreamServerStatus = 'connected' | 'disconnected' | 'reconnecting';
export type JetStreamServerEvents = {
  disconnect: (server?: string) => void;
  reconnect: (server?: string) => void;
  error: (err: unknown) => void;
};

const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;
/** Room for this many replicas sharing a durable, each at full concurrency. */
const REPLICA_HEADROOM = 16;

/**
 * Nest microservice transport over JetStream durable pull consumers: one consumer per ConsumerSpec,
 * its messages handed to the `@EventPattern(spec.subject)` handler, at most `concurrency` at once.
 * Replicas sharing a durable split the work. Acks are explicit: success acks, RetryLater naks with
 * its delay, PermanentFailure terms, any other error naks with DEFAULT_RETRY_DELAY_MS.
 */
export class JetStreamServer
  extends Server<JetStreamServerEvents, JetStreamServerStatus>
  implements CustomTransportStrategy, WorkConsumers
{
  protected override readonly logger = new Logger(JetStreamServer.name);
  private readonly events = new EventEmitter();
  private readonly loops: PullLoop[] = [];
  /** Keep-alive timers of running handlers, cleared when a closing server abandons them. */
  private readonly keepAlives = new Set<NodeJS.Timeout>();
  private nc?: NatsConnection;
  private jsm?: JetStreamManager;
  private js?: JetStreamClient;
  private stream?: string;
  private closing = false;
  private connected = false;
  private unwatchGate?: () => void;

  constructor(private readonly options: JetStreamServerOptions) {
    super();
    assertPrefix(options.prefix);
    validateSpecs(options.consumers);
  }

  async listen(callback: (...optionalParams: unknown[]) => unknown): Promise<void> {
    try {
      await this.start();
      callback();
    } catch (err) {
      await this.close().catch(() => undefined);
      callback(err);
    }
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.unwatchGate?.();
    const grace = this.options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
    const abandoned = (await Promise.all(this.loops.map((loop) => loop.stop(grace)))).reduce((a, b) => a + b, 0);
    if (abandoned > 0) {
      this.logger.warn(`Closing with ${abandoned} handler(s) still running; their messages will be redelivered after ack wait`);
    }
    this.keepAlives.forEach((timer) => clearInterval(timer));
    this.keepAlives.clear();
    const nc = this.nc;
    if (nc && !nc.isClosed()) {
      // drain() flushes the acks already sent before closing.
      await nc.drain().catch(() => nc.close());
    }
    this._status$.next('disconnected');
    this.events.removeAllListeners();
  }

  on<EventKey extends keyof JetStreamServerEvents = keyof JetStreamServerEvents, EventCallback extends JetStreamServerEvents[EventKey] = JetStreamServerEvents[EventKey]>(
    event: EventKey,
    callback: EventCallback,
  ): void {
    this.events.on(event, callback as (...args: unknown[]) => void);
  }

  /** The NATS connection. */
  unwrap<T>(): T {
    if (!this.nc) throw new Error('Not initialized. Call listen() (startAllMicroservices) before unwrap().');
    return this.nc as T;
  }

  private async start(): Promise<void> {
    // Resolve every handler before connecting: a consumer without a handler would only pile up work.
    const handlers = this.options.consumers.map((spec) => {
      const handler = this.getHandlerByPattern(spec.subject);
      if (!handler) throw new Error(`No @EventPattern('${spec.subject}') handler registered for consumer ${spec.durable}`);
      return handler;
    });
    const nc = await connectNats(this.options.servers, `${this.options.prefix}-worker`);
    if (this.closing) {
      await nc.close();
      throw new Error('JetStreamServer closed while starting');
    }
    this.nc = nc;
    // A cluster that is forming or electing leaders answers set-up late or "not now": wait for it.
    const retry = { logger: this.logger, abandoned: () => this.closing };
    const jsm = await retryJetStreamSetup('JetStream API check', () => nc.jetstreamManager(), retry);
    this.jsm = jsm;
    this.js = nc.jetstream();
    this.stream = await retryJetStreamSetup('work stream', () => ensureWorkStream(jsm, this.options.prefix, this.options.replicas ?? 1), retry);
    for (const [i, spec] of this.options.consumers.entries()) {
      await retryJetStreamSetup(`consumer ${spec.durable}`, () => this.ensureConsumer(spec), retry);
      this.loops.push(
        new PullLoop({
          name: durableName(this.options.prefix, spec.durable),
          concurrency: spec.concurrency,
          consumer: (fresh) => (fresh ? this.ensureConsumer(spec) : this.getConsumer(spec)),
          process: (msg) => this.process(spec, handlers[i], msg),
          logger: this.logger,
        }),
      );
    }
    // close() may have run while we were connecting; it could not stop loops that did not exist yet.
    if (this.closing) throw new Error('JetStreamServer closed while starting');
    this.watchStatus(nc).catch((err) => this.logger.error(`Status watch ended: ${describeError(err)}`));
    this.watchGate();
    this.loops.forEach((loop) => loop.start());
    this.connected = true;
    this._status$.next('connected');
    this.logger.log(`Consuming ${this.options.consumers.map((s) => s.subject).join(', ')} from stream ${this.stream}`);
  }

  /** Readiness: started, not closing, and connected to NATS (pulling, unless the gate holds them). */
  consumersRunning(): boolean {
    return this.connected && !this.closing && this.loops.length === this.options.consumers.length;
  }

  /** The gate pauses every loop while it is closed; the database's own log says why. */
  private watchGate(): void {
    const gate = this.options.gate;
    if (!gate) return;
    const apply = (open: boolean) => this.loops.forEach((loop) => (open ? loop.resume('gate') : loop.pause('gate')));
    this.unwatchGate = gate.onChange(apply);
    if (!gate.isOpen()) apply(false);
  }

  /** Creates the durable consumer, or updates the settings that may change in place. */
  private async ensureConsumer(spec: ConsumerSpec): Promise<Consumer> {
    const jsm = this.jsm!;
    const stream = this.stream!;
    const name = durableName(this.options.prefix, spec.durable);
    const wanted = consumerConfig(this.options.prefix, spec);
    try {
      const { config } = await jsm.consumers.info(stream, name);
      if (config.filter_subject !== wanted.filter_subject || config.ack_policy !== AckPolicy.Explicit) {
        throw new Error(`Consumer ${name} exists with filter ${config.filter_subject}; delete it to change its subject`);
      }
      if (config.ack_wait !== wanted.ack_wait || config.max_deliver !== wanted.max_deliver || config.max_ack_pending !== wanted.max_ack_pending) {
        await jsm.consumers.update(stream, name, {
          ack_wait: wanted.ack_wait,
          max_deliver: wanted.max_deliver,
          max_ack_pending: wanted.max_ack_pending,
        });
      }
    } catch (err) {
      if (isNotFound(err, 'stream')) await ensureWorkStream(jsm, this.options.prefix, this.options.replicas ?? 1);
      else if (!isNotFound(err, 'consumer')) throw err;
      // Identical concurrent creates by sibling replicas succeed.
      await jsm.consumers.add(stream, wanted);
    }
    return this.getConsumer(spec);
  }

  private getConsumer(spec: ConsumerSpec): Promise<Consumer> {
    return this.js!.consumers.get(this.stream!, durableName(this.options.prefix, spec.durable));
  }

  private async process(spec: ConsumerSpec, handler: MessageHandler, msg: JsMsg): Promise<void> {
    const seq = msg.seq;
    let data: unknown;
    try {
      data = msg.json();
    } catch {
      // Redelivering cannot fix a malformed body.
      this.logger.error(`Malformed JSON on ${spec.subject} seq ${seq}; terminating the message`);
      settle(() => msg.term());
      return;
    }
    const context = new JetStreamContext(spec.subject, msg.headers?.get('Nats-Msg-Id') || undefined, msg.info.redeliveryCount, seq);
    // Tell the broker the handler is still working, so ack wait only fires for a dead process.
    const keepAlive = setInterval(() => settle(() => msg.working()), Math.max(100, Math.floor(spec.ackWaitMs / 3)));
    keepAlive.unref();
    this.keepAlives.add(keepAlive);
    try {
      const outcome = await runWorkHandler(handler, data, context, (result) => this.transformToObservable(result));
      this.apply(spec, msg, context, outcome);
    } finally {
      clearInterval(keepAlive);
      this.keepAlives.delete(keepAlive);
    }
  }

  private apply(spec: ConsumerSpec, msg: JsMsg, context: JetStreamContext, outcome: HandlerOutcome): void {
    const where = `${spec.subject} seq ${context.streamSequence} (delivery ${context.deliveryCount})`;
    switch (outcome.kind) {
      case 'ack':
        settle(() => msg.ack());
        return;
      case 'drop':
        this.logger.warn(`Dropping ${where}: ${outcome.reason}`);
        settle(() => msg.term());
        return;
      case 'retry': {
        const exhausted = spec.maxDeliver !== undefined && spec.maxDeliver > 0 && context.deliveryCount >= spec.maxDeliver;
        if (!outcome.expected) {
          this.logger.error(`Handler failed for ${where}: ${outcome.reason}; redelivering in ${outcome.delayMs} ms`);
        } else {
          this.logger.debug(`Retry later for ${where} in ${outcome.delayMs} ms: ${outcome.reason}`);
        }
        if (exhausted) this.logger.warn(`${where} reached max deliveries; the broker will not redeliver it`);
        settle(() => msg.nak(outcome.delayMs));
        return;
      }
    }
  }

  private async watchStatus(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      switch (status.type) {
        case Events.Disconnect:
          this.connected = false;
          this.loops.forEach((loop) => loop.pause('broker'));
          this._status$.next('disconnected');
          this.logger.warn('Disconnected from NATS; reconnecting');
          this.events.emit('disconnect', status.data);
          break;
        case DebugEvents.Reconnecting:
          this._status$.next('reconnecting');
          break;
        case Events.Reconnect:
          this.connected = true;
          this._status$.next('connected');
          this.logger.log('Reconnected to NATS');
          this.loops.forEach((loop) => loop.resume('broker'));
          this.events.emit('reconnect', status.data);
          break;
        case Events.Error:
          this.logger.error(`NATS error: ${String(status.data)}`);
          this.events.emit('error', status.data);
          break;
      }
    }
  }
}

function consumerConfig(prefix: string, spec: ConsumerSpec): Partial<ConsumerConfig> & { durable_name: string } {
  return {
    durable_name: durableName(prefix, spec.durable),
    filter_subject: workSubject(prefix, spec.subject),
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    replay_policy: ReplayPolicy.Instant,
    ack_wait: nanos(spec.ackWaitMs),
    max_deliver: spec.maxDeliver ?? -1,
    // Per-process concurrency is enforced by the pull loop; this only caps the whole group.
    max_ack_pending: spec.concurrency * REPLICA_HEADROOM,
  };
}

function validateSpecs(specs: ConsumerSpec[]): void {
  const subjects = new Set<string>();
  for (const spec of specs) {
    if (subjects.has(spec.subject)) throw new Error(`Two consumers for subject ${spec.subject}`);
    subjects.add(spec.subject);
    if (!Number.isInteger(spec.concurrency) || spec.concurrency < 1) throw new Error(`Consumer ${spec.durable}: concurrency must be a positive integer`);
    if (!(spec.ackWaitMs > 0)) throw new Error(`Consumer ${spec.durable}: ackWaitMs must be positive`);
  }
}

/** Ack-family calls throw once the connection is closed; the broker then redelivers, which is the safe side. */
function settle(action: () => void): void {
  try {
    action();
  } catch {
    // ignored on purpose
  }
}
