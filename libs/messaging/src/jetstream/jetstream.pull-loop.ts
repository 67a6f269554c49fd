import { Logger } from '@nestjs/common';
import { Consumer, ConsumerMessages, JsMsg } from 'nats';
import { describeError } from '../work-handler.runner';

export interface PullLoopOptions {
  /** For log lines: the durable consumer name. */
  name: string;
  concurrency: number;
  /** Returns the consumer, creating it first when `fresh` (after an error suggested it is gone). */
  consumer: (fresh: boolean) => Promise<Consumer>;
  /** Handles one message completely (ack/nak/term included); must not reject. */
  process: (msg: JsMsg) => Promise<void>;
  logger: Logger;
}

/** A pull request waits this long at the server for messages; a long poll, not a polling interval. */
const FETCH_EXPIRES_MS = 10_000;
/** At most this many pull requests outstanding per loop (the server caps waiting pulls per consumer). */
const MAX_OUTSTANDING_FETCHES = 4;
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 5_000;

/**
 * Feeds one durable pull consumer to handlers, at most `concurrency` at once.
 *
 * Invariant: running + backlog + requested <= concurrency, where `requested` counts messages asked
 * of the server and not yet received. A new pull asks for exactly the free capacity, so messages
 * start the moment they arrive (no timer on the hot path) and the process never holds more
 * unacknowledged messages than it can work on. The consume() API refills on *receipt*, not on
 * completion, which cannot bound in-flight work; hence fetch().
 */
export class PullLoop {
  private running = 0;
  private requested = 0;
  private activeFetches = 0;
  /** Received beyond capacity (a fetch may re-pull after a reconnect); run before pulling more. */
  private readonly backlog: JsMsg[] = [];
  private readonly fetches = new Set<ConsumerMessages>();
  private stopped = false;
  /** Why pulling is paused (the broker is disconnected, the database is away); empty when it is not. */
  private readonly pausedFor = new Set<string>();
  private retryTimer?: NodeJS.Timeout;
  private failures = 0;
  private needsFreshConsumer = false;
  private readonly idleWaiters: Array<() => void> = [];

  constructor(private readonly options: PullLoopOptions) {}

  start(): void {
    this.pump();
  }

  /**
   * Starts no pulls until every reason given is resumed: while disconnected (pulls would pile up
   * in the client's buffer), or while something the handlers need is away. Messages already
   * received still run.
   */
  pause(reason: string): void {
    this.pausedFor.add(reason);
  }

  resume(reason: string): void {
    if (!this.pausedFor.delete(reason)) return;
    this.pump();
  }

  get paused(): boolean {
    return this.pausedFor.size > 0;
  }

  /**
   * Stops pulling and waits up to graceMs for running handlers. Returns how many are still running;
   * their messages are left unacknowledged, so the broker redelivers them after ack wait.
   */
  async stop(graceMs: number): Promise<number> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    for (const fetch of this.fetches) fetch.stop();
    // Never started: hand them straight back so another replica gets them now, not after ack wait.
    for (const msg of this.backlog.splice(0)) nakQuietly(msg);
    if (this.running > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        this.idleWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.running;
  }

  get inFlight(): number {
    return this.running;
  }

  private pump(): void {
    while (this.running < this.options.concurrency && this.backlog.length > 0) {
      this.run(this.backlog.shift()!);
    }
    if (this.stopped || this.paused || this.retryTimer) return;
    const free = this.options.concurrency - this.running - this.backlog.length - this.requested;
    // With a pull already waiting, top up only in sizeable batches to keep pull requests few.
    const threshold = this.activeFetches === 0 ? 1 : Math.max(1, Math.ceil(this.options.concurrency / 4));
    if (free >= threshold && this.activeFetches < MAX_OUTSTANDING_FETCHES) {
      void this.fetch(free);
    }
  }

  private async fetch(batch: number): Promise<void> {
    // Counted before the first await so a concurrent pump() sees the capacity as taken.
    this.requested += batch;
    this.activeFetches++;
    let received = 0;
    let failure: unknown;
    let messages: ConsumerMessages | undefined;
    try {
      const fresh = this.needsFreshConsumer;
      const consumer = await this.options.consumer(fresh);
      if (fresh) this.needsFreshConsumer = false;
      if (!this.stopped) {
        messages = await consumer.fetch({ max_messages: batch, expires: FETCH_EXPIRES_MS });
        this.fetches.add(messages);
        for await (const msg of messages) {
          received++;
          if (received <= batch) this.requested--;
          if (this.stopped) nakQuietly(msg);
          else if (this.running < this.options.concurrency) this.run(msg);
          else this.backlog.push(msg);
        }
      }
    } catch (err) {
      failure = err;
    } finally {
      if (messages) this.fetches.delete(messages);
      this.requested -= Math.max(0, batch - received);
      this.activeFetches--;
    }
    if (this.stopped) return;
    if (failure) this.onFailure(failure);
    else {
      if (this.failures > 0) this.options.logger.log(`Consumer ${this.options.name} is pulling again`);
      this.failures = 0;
    }
    this.pump();
  }

  /** Backs off, and re-creates the consumer on the next pull in case it (or its stream) was lost. */
  private onFailure(err: unknown): void {
    this.failures++;
    this.needsFreshConsumer = true;
    const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** Math.min(this.failures - 1, 4));
    const line = `Pull from consumer ${this.options.name} failed (${describeError(err)}); retrying in ${delay} ms`;
    if (this.failures === 1) this.options.logger.warn(line);
    else this.options.logger.debug?.(line);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.pump();
    }, delay);
  }

  private run(msg: JsMsg): void {
    this.running++;
    this.options
      .process(msg)
      .catch((err) => this.options.logger.error(`Processing seq ${msg.seq} on ${this.options.name} failed: ${describeError(err)}`))
      .finally(() => {
        this.running--;
        if (this.running === 0) this.idleWaiters.splice(0).forEach((wake) => wake());
        this.pump();
      });
  }
}

function nakQuietly(msg: JsMsg): void {
  try {
    msg.nak();
  } catch {
    // connection already closed: the broker redelivers after ack wait anyway
  }
}
