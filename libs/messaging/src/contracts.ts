import { RpcException } from '@nestjs/microservices';

/**
 * The message contract shared by the JetStream transport and the in-process transport.
 * Work moves as small messages naming rows; PostgreSQL holds the truth.
 */

/** Subjects, relative to the deployment prefix (NATS_PREFIX): the full subject is `${prefix}.${subject}`. */
export const Subjects = {
  /** A notice changed state in a way recipients must hear of. Consumed by the dispatcher. */
  noticeEvents: 'notice.events',
  /** One delivery to send (webhook or email). Consumed by the courier. */
  deliveryJobs: 'delivery.jobs',
  /** A notice entered review, or was approved or rejected: its approvers or author are emailed. Consumed by the courier. */
  reviewMail: 'review.mail',
} as const;
export type WorkSubject = (typeof Subjects)[keyof typeof Subjects];

export interface NoticeEventMessage {
  /** notice.published covers updates too (an update is a notice that supersedes another). */
  type: 'notice.published' | 'notice.cancelled';
  noticeId: string;
}

export interface ReviewMailMessage {
  type: 'review.requested' | 'review.approved' | 'review.rejected';
  noticeId: string;
  /** Who submitted, approved or rejected (never emailed about their own act). */
  actorId: string;
}

/**
 * Work for the courier: one delivery (`deliveryId`), or many at once (`deliveryIds`: a fan-out's
 * deliveries to one endpoint, or the few deliveries each of many endpoints has, so one message,
 * one claim statement and one ack cover them all).
 */
export interface DeliveryJobMessage {
  deliveryId?: string;
  deliveryIds?: string[];
  /** The webhook's origin (scheme://host:port), so a courier can hold back work for a saturated endpoint before claiming it. */
  endpoint?: string;
  /** Instead of `endpoint`, for a job to several: each delivery's origin, in the order of `deliveryIds` (null: email). */
  endpoints?: (string | null)[];
}

/** Most deliveries one job names: small enough that a job is claimed and started within a moment. */
export const MAX_DELIVERIES_PER_JOB = 64;

/** The key couriers limit concurrency by: a webhook URL's origin. */
export function endpointOf(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

export interface OutgoingMessage {
  subject: WorkSubject;
  payload: unknown;
  /** De-duplication key (JetStream `Nats-Msg-Id`): a re-publish with the same id inside the window is dropped. */
  msgId: string;
}

/** Publishes work. Resolves only once the broker has stored the message. */
export interface WorkPublisher {
  publish(message: OutgoingMessage): Promise<void>;
  /** Publishes many messages, pipelined; resolves when every one is stored, rejects if any is not. */
  publishMany(messages: OutgoingMessage[]): Promise<void>;
  /** True while the broker connection is usable (readiness). */
  isReady(): Promise<boolean>;
}
export const WORK_PUBLISHER = Symbol('WORK_PUBLISHER');

/**
 * Something the work depends on besides the broker (the database). While it is closed the
 * consumers pull nothing new; work already running finishes or is retried later by its handler.
 */
export interface WorkGate {
  isOpen(): boolean;
  /** Calls the listener on every change; returns a function that stops the calls. */
  onChange(listener: (open: boolean) => void): () => void;
}

/** What a worker's readiness asks of its transport: are its consumers running? */
export interface WorkConsumers {
  consumersRunning(): boolean;
}

/**
 * Handler outcomes. A handler that returns normally has its message acknowledged.
 * Throwing RetryLater asks for redelivery after the delay (JetStream `nak(delay)`);
 * throwing PermanentFailure drops the message for good (`term`); any other error is
 * redelivered after DEFAULT_RETRY_DELAY_MS.
 *
 * Both extend RpcException (itself an Error) because Nest's RPC exception filter replaces any
 * other error a handler throws with a generic `{ status, message }` before the transport sees
 * it; for an RpcException it rethrows `getError()`, and returning `this` hands the transport the
 * original instance (class and delayMs intact). A catch-all exception filter in a worker app
 * must rethrow these two unchanged.
 */
export class RetryLater extends RpcException {
  constructor(
    readonly delayMs: number,
    reason = 'retry later',
  ) {
    super(reason);
    this.name = 'RetryLater';
  }

  override getError(): object {
    return this;
  }
}

export class PermanentFailure extends RpcException {
  constructor(reason: string) {
    super(reason);
    this.name = 'PermanentFailure';
  }

  override getError(): object {
    return this;
  }
}

export const DEFAULT_RETRY_DELAY_MS = 2000;

/** Describes one durable consumer a microservice listens on. */
export interface ConsumerSpec {
  subject: WorkSubject;
  /** Durable consumer name (shared by every replica, so replicas split the work). */
  durable: string;
  /** Most messages in flight (unacknowledged) in this process at once. */
  concurrency: number;
  /** If a handler has not finished after this long, the broker redelivers the message. */
  ackWaitMs: number;
  /** Redeliveries before the broker gives up on a message (the database sweeper still holds the truth). */
  maxDeliver?: number;
}
