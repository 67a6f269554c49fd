import { Logger } from '@nestjs/common';
import { Events, JetStreamClient, JetStreamManager, NatsConnection } from 'nats';
import { OutgoingMessage, WorkPublisher } from '../contracts';
import { connectNats, ensureWorkStream } from './jetstream.connection';
import { assertPrefix, workStreamName, workSubject } from './jetstream.naming';

export interface JetStreamPublisherOptions {
  servers: string;
  prefix: string;
  replicas?: number;
}

/** Messages in flight at once in publishMany: enough to pipeline, bounded to spare memory and the server. */
const PUBLISH_CHUNK = 1000;
const READINESS_TIMEOUT_MS = 1500;

interface Session {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  /** A short-timeout manager so a readiness probe never hangs. */
  probe: JetStreamManager;
}

/**
 * Publishes work to the deployment's stream and resolves only on the stream's PubAck.
 * Connects lazily (or eagerly via connect()) and ensures the stream exists, so an API process
 * that starts before any worker can already accept work.
 */
export class JetStreamPublisher implements WorkPublisher {
  private readonly logger = new Logger(JetStreamPublisher.name);
  private readonly stream: string;
  private session?: Promise<Session>;
  private connected = false;
  private closed = false;
  /** Shared by concurrent failures so a deleted stream is re-created once, not per message. */
  private reensuring?: Promise<void>;

  constructor(private readonly options: JetStreamPublisherOptions) {
    assertPrefix(options.prefix);
    this.stream = workStreamName(options.prefix);
  }

  /** Connects and ensures the stream; optional (the first publish does it), but surfaces misconfiguration at start-up. */
  async connect(): Promise<void> {
    await this.getSession();
  }

  async publish(message: OutgoingMessage): Promise<void> {
    const session = await this.getSession();
    await this.publishOne(session, message);
  }

  async publishMany(messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const session = await this.getSession();
    for (let start = 0; start < messages.length; start += PUBLISH_CHUNK) {
      const chunk = messages.slice(start, start + PUBLISH_CHUNK);
      const results = await Promise.allSettled(chunk.map((m) => this.publishOne(session, m)));
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed.length > 0) {
        // Stop here: the caller retries the batch, and msgId de-duplication absorbs what was stored.
        const reason = failed[0].reason instanceof Error ? failed[0].reason.message : String(failed[0].reason);
        throw new Error(`${failed.length} of ${chunk.length} messages in a batch were not stored: ${reason}`);
      }
    }
  }

  async isReady(): Promise<boolean> {
    if (this.closed) return false;
    try {
      const session = await this.getSession();
      if (!this.connected || session.nc.isClosed()) return false;
      await session.probe.streams.info(this.stream);
      return true;
    } catch {
      return false;
    }
  }

  /** Flushes pending publishes and closes the connection. */
  async close(): Promise<void> {
    this.closed = true;
    const session = this.session;
    this.session = undefined;
    if (!session) return;
    try {
      const { nc } = await session;
      if (!nc.isClosed()) await nc.drain();
    } catch {
      // never connected: nothing to close
    }
  }

  /** Lets Nest close the connection when it provides this instance. */
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  private async publishOne(session: Session, message: OutgoingMessage, retried = false): Promise<void> {
    const data = JSON.stringify(message.payload);
    // An empty body would only be terminated by the consumer as malformed; refuse it here instead.
    if (data === undefined) throw new Error(`Payload for ${message.subject} is not JSON-serializable`);
    try {
      // expect.streamName: the server refuses the message if another stream captured the subject.
      await session.js.publish(workSubject(this.options.prefix, message.subject), data, {
        msgID: message.msgId,
        expect: { streamName: this.stream },
      });
    } catch (err) {
      // 503 "no responders": no stream captures the subject (deleted under us). Re-create it once.
      const code = (err as { code?: string }).code;
      if (retried || code !== '503') throw err;
      await this.reensure(session);
      await this.publishOne(session, message, true);
    }
  }

  private reensure(session: Session): Promise<void> {
    this.reensuring ??= ensureWorkStream(session.jsm, this.options.prefix, this.options.replicas ?? 1)
      .then(() => this.logger.warn(`A publish found no stream; ensured work stream ${this.stream} exists`))
      .finally(() => (this.reensuring = undefined));
    return this.reensuring;
  }

  private getSession(): Promise<Session> {
    if (this.closed) return Promise.reject(new Error('JetStreamPublisher is closed'));
    if (!this.session) {
      const opening = this.openSession();
      // A failed connect must not be cached: the next call tries again.
      opening.catch(() => {
        if (this.session === opening) this.session = undefined;
      });
      this.session = opening;
    }
    return this.session;
  }

  private async openSession(): Promise<Session> {
    const nc = await connectNats(this.options.servers, `${this.options.prefix}-publisher`);
    try {
      const jsm = await nc.jetstreamManager();
      const probe = await nc.jetstreamManager({ timeout: READINESS_TIMEOUT_MS, checkAPI: false });
      await ensureWorkStream(jsm, this.options.prefix, this.options.replicas ?? 1);
      this.connected = true;
      this.watchStatus(nc).catch(() => undefined);
      return { nc, js: nc.jetstream(), jsm, probe };
    } catch (err) {
      await nc.close().catch(() => undefined);
      throw err;
    }
  }

  private async watchStatus(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (status.type === Events.Disconnect) {
        this.connected = false;
        this.logger.warn('Disconnected from NATS; reconnecting');
      } else if (status.type === Events.Reconnect) {
        this.connected = true;
        this.logger.log('Reconnected to NATS');
      }
    }
  }
}
