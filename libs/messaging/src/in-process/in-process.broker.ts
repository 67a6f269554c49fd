import { Logger } from '@nestjs/common';
import { ConsumerSpec, DEFAULT_RETRY_DELAY_MS, OutgoingMessage } from '../contracts';
import { HandlerOutcome } from '../work-handler.runner';

export interface InProcessBrokerOptions {
  /** Re-publishing a msgId inside this window is dropped, as JetStream does. Default 2 minutes. */
  duplicateWindowMs?: number;
}

/** One delivery attempt as the consuming server sees it. */
export interface InProcessDelivery {
  subject: string;
  /** The payload's JSON text, parsed afresh for each delivery (as if it had crossed a wire). */
  json: string;
  msgId: string;
  /** 1 on the first delivery. */
  deliveryCount: number;
  /** Broker-wide publication order, starting at 1. */
  sequence: number;
}

export type InProcessDeliver = (delivery: InProcessDelivery) => Promise<HandlerOutcome>;

export interface InProcessSubscription {
  /**
   * Stops new deliveries and waits up to graceMs for running ones. Those still running afterwards are
   * abandoned: redelivered after the consumer's ackWaitMs, like a JetStream message whose process died.
   */
  close(graceMs: number): Promise<void>;
  /** While paused, the member takes no new deliveries (as a JetStream consumer that stops pulling). */
  setPaused(paused: boolean): void;
}

interface StoredMessage {
  subject: string;
  json: string;
  msgId: string;
  sequence: number;
  deliveries: number;
  /** The delivery whose outcome counts; a late outcome from an abandoned one is ignored. */
  current?: Attempt;
  timer?: NodeJS.Timeout;
}

interface Attempt {
  member: Member;
}

interface Member {
  spec: ConsumerSpec;
  deliver: InProcessDeliver;
  running: Set<StoredMessage>;
  closed: boolean;
  paused: boolean;
  idle?: () => void;
}

interface SubjectQueue {
  ready: StoredMessage[];
  durable?: string;
  members: Member[];
  /** Round-robin position among members. */
  next: number;
}

const DEFAULT_DUPLICATE_WINDOW_MS = 2 * 60 * 1000;

/**
 * The JetStream work-queue semantics, in memory, for the single-process embedded mode: msgId
 * de-duplication, one durable group per subject whose members split the work, a concurrency limit
 * per member, redelivery after RetryLater/errors, drop on PermanentFailure, buffering until a
 * consumer exists. Delivery is scheduled with setImmediate: prompt, and never re-entrant.
 * Nothing survives a restart; PostgreSQL (and its sweeper) holds the truth.
 */
export class InProcessBroker {
  private readonly logger = new Logger(InProcessBroker.name);
  private readonly windowMs: number;
  /** msgId -> time first seen; insertion order is time order, so expiry trims from the front. */
  private readonly seen = new Map<string, number>();
  private readonly queues = new Map<string, SubjectQueue>();
  private readonly stored = new Set<StoredMessage>();
  private sequence = 0;
  private scheduled = false;
  private closed = false;

  constructor(options: InProcessBrokerOptions = {}) {
    this.windowMs = options.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS;
  }

  /** Stores a message; returns false when it was dropped as a duplicate. Throws if the payload is not JSON-serializable. */
  publish(message: OutgoingMessage): boolean {
    if (this.closed) throw new Error('InProcessBroker is closed');
    const json = JSON.stringify(message.payload);
    if (json === undefined) throw new Error(`Payload for ${message.subject} is not JSON-serializable`);
    const now = Date.now();
    this.forgetExpired(now);
    if (this.seen.has(message.msgId)) return false;
    this.seen.set(message.msgId, now);
    const stored: StoredMessage = { subject: message.subject, json, msgId: message.msgId, sequence: ++this.sequence, deliveries: 0 };
    this.stored.add(stored);
    this.queue(message.subject).ready.push(stored);
    this.schedule();
    return true;
  }

  /** Joins the durable group for spec.subject; members of one group split the messages. */
  subscribe(spec: ConsumerSpec, deliver: InProcessDeliver): InProcessSubscription {
    if (this.closed) throw new Error('InProcessBroker is closed');
    const queue = this.queue(spec.subject);
    const active = queue.members.filter((m) => !m.closed);
    if (active.length > 0 && queue.durable !== spec.durable) {
      // A work queue allows one consumer per subject (JetStream refuses overlapping consumers too).
      throw new Error(`Subject ${spec.subject} is already consumed by durable ${queue.durable}`);
    }
    queue.durable = spec.durable;
    const member: Member = { spec, deliver, running: new Set(), closed: false, paused: false };
    queue.members.push(member);
    this.schedule();
    return {
      close: (graceMs) => this.leave(queue, member, graceMs),
      setPaused: (paused) => {
        member.paused = paused;
        if (!paused) this.schedule();
      },
    };
  }

  /** Messages stored and not yet acknowledged or dropped (waiting, delayed or in flight). */
  pendingCount(subject?: string): number {
    if (subject === undefined) return this.stored.size;
    let count = 0;
    for (const m of this.stored) if (m.subject === subject) count++;
    return count;
  }

  /** Drops everything and cancels redelivery timers (tests, shutdown). */
  close(): void {
    this.closed = true;
    for (const m of this.stored) clearTimeout(m.timer);
    this.stored.clear();
    this.queues.clear();
    this.seen.clear();
  }

  private async leave(queue: SubjectQueue, member: Member, graceMs: number): Promise<void> {
    if (member.closed) return;
    member.closed = true;
    if (member.running.size > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        member.idle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    queue.members = queue.members.filter((m) => m !== member);
    for (const message of member.running) {
      // Abandoned: as if the process died, the broker waits ack wait before redelivering.
      this.redeliverLater(message, member.spec.ackWaitMs);
    }
    member.running.clear();
  }

  private queue(subject: string): SubjectQueue {
    let queue = this.queues.get(subject);
    if (!queue) {
      queue = { ready: [], members: [], next: 0 };
      this.queues.set(subject, queue);
    }
    return queue;
  }

  private schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (const queue of this.queues.values()) {
      while (queue.ready.length > 0) {
        const member = this.freeMember(queue);
        if (!member) break;
        this.deliver(member, queue.ready.shift()!);
      }
    }
  }

  private freeMember(queue: SubjectQueue): Member | undefined {
    const n = queue.members.length;
    for (let i = 0; i < n; i++) {
      const member = queue.members[(queue.next + i) % n];
      if (!member.closed && !member.paused && member.running.size < member.spec.concurrency) {
        queue.next = (queue.next + i + 1) % n;
        return member;
      }
    }
    return undefined;
  }

  private deliver(member: Member, message: StoredMessage): void {
    const attempt: Attempt = { member };
    message.current = attempt;
    message.deliveries++;
    member.running.add(message);
    const delivery: InProcessDelivery = {
      subject: message.subject,
      json: message.json,
      msgId: message.msgId,
      deliveryCount: message.deliveries,
      sequence: message.sequence,
    };
    member
      .deliver(delivery)
      .catch((err): HandlerOutcome => ({ kind: 'retry', delayMs: DEFAULT_RETRY_DELAY_MS, reason: String(err), expected: false }))
      .then((outcome) => this.settle(member, message, attempt, outcome));
  }

  private settle(member: Member, message: StoredMessage, attempt: Attempt, outcome: HandlerOutcome): void {
    member.running.delete(message);
    if (member.running.size === 0) member.idle?.();
    this.schedule();
    // An abandoned attempt still counts until its ack wait fires, as a late JetStream ack would.
    if (message.current !== attempt || !this.stored.has(message)) return;
    clearTimeout(message.timer);
    message.timer = undefined;
    if (outcome.kind === 'ack' || outcome.kind === 'drop') {
      this.stored.delete(message);
      return;
    }
    const maxDeliver = member.spec.maxDeliver;
    if (maxDeliver !== undefined && maxDeliver > 0 && message.deliveries >= maxDeliver) {
      this.logger.warn(`${message.subject} #${message.sequence} reached ${maxDeliver} deliveries; dropping it`);
      this.stored.delete(message);
      return;
    }
    this.redeliverLater(message, outcome.delayMs);
  }

  private redeliverLater(message: StoredMessage, delayMs: number): void {
    clearTimeout(message.timer);
    message.timer = setTimeout(() => {
      message.timer = undefined;
      message.current = undefined;
      if (!this.stored.has(message)) return;
      // Redeliveries go first, as JetStream favours them over new messages.
      this.queue(message.subject).ready.unshift(message);
      this.schedule();
    }, delayMs);
  }

  private forgetExpired(now: number): void {
    for (const [msgId, at] of this.seen) {
      if (now - at < this.windowMs) break;
      this.seen.delete(msgId);
    }
  }
}

let defaultBroker: InProcessBroker | undefined;

/** The process-wide broker that the factories use when none is passed. */
export function getDefaultInProcessBroker(): InProcessBroker {
  defaultBroker ??= new InProcessBroker();
  return defaultBroker;
}
