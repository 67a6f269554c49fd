import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { OutgoingMessage, WorkPublisher, WorkSubject } from '@sne/messaging';
import type { DatabaseAvailability } from '../database/database-availability';
import { OUTBOX_CHANNEL } from './outbox';

const BATCH = 500;
/** Fallback when a NOTIFY is missed (listener reconnecting); NOTIFY makes the normal path immediate. */
const POLL_MS = 1000;

/**
 * Publishes committed outbox rows and marks them sent. Rows are claimed with
 * FOR UPDATE SKIP LOCKED, so replicas share the work; a crash between publish and
 * mark re-publishes with the same Nats-Msg-Id, which the stream's duplicate window drops.
 */
export class OutboxRelay {
  private readonly log = new Logger(OutboxRelay.name);
  private listener?: Client;
  private timer?: NodeJS.Timeout;
  private running = false;
  private wakeRequested = false;
  private stopped = false;
  /** Set from the first failure of the LISTEN connection until it works again: one warning per streak. */
  private listenerDown = false;
  private unwatch?: () => void;

  /** `availability`: while the database is away the relay rests (and stays quiet); it logs the outage. */
  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: WorkPublisher,
    private readonly databaseUrl: string,
    private readonly availability?: DatabaseAvailability,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    this.unwatch = this.availability?.onChange((open) => open && this.wake());
    await this.listen();
    this.timer = setInterval(() => this.wake(), POLL_MS);
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unwatch?.();
    if (this.timer) clearInterval(this.timer);
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
    while (this.running) await new Promise((r) => setTimeout(r, 10));
  }

  /** Publishes everything pending; returns how many rows were sent. Exposed for tests. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const sent = await this.relayBatch();
      total += sent;
      if (sent < BATCH) return total;
    }
  }

  private wake(): void {
    if (this.stopped || this.availability?.isOpen() === false) return;
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    this.running = true;
    this.drain()
      .catch((err) => {
        if (!this.availability?.noteFailure(err)) this.log.warn(`outbox relay pass failed, will retry: ${err.message}`);
      })
      .finally(() => {
        this.running = false;
        if (this.wakeRequested) {
          this.wakeRequested = false;
          this.wake();
        }
      });
  }

  private async relayBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows: { id: string; subject: WorkSubject; payload: unknown }[] = await manager.query(
        `SELECT id, subject, payload FROM outbox WHERE sent_at IS NULL
         ORDER BY seq LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      );
      if (rows.length === 0) return 0;
      const messages: OutgoingMessage[] = rows.map((r) => ({ subject: r.subject, payload: r.payload, msgId: r.id }));
      await this.publisher.publishMany(messages);
      await manager.query(`UPDATE outbox SET sent_at = now() WHERE id = ANY($1::uuid[])`, [rows.map((r) => r.id)]);
      return rows.length;
    });
  }

  /**
   * One LISTEN connection. A dropped connection can report several errors (PostgreSQL's own, then
   * the socket's): only the first counts, the dead client is ended, and one reconnect is scheduled.
   */
  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.databaseUrl, application_name: 'sne-outbox-listener' });
    let lost = false;
    const onLost = (err: Error) => {
      if (lost) return;
      lost = true;
      if (this.listener === client) this.listener = undefined;
      client.end().catch(() => undefined);
      if (this.stopped) return; // our own shutdown, not an outage
      // Said once per streak of failures; a database outage is the availability's to say.
      if (!this.listenerDown && !this.availability?.noteFailure(err)) {
        this.log.warn(`outbox listener lost its connection (${err.message}); polling until it is back`);
      }
      this.listenerDown = true;
      this.relisten();
    };
    client.on('notification', () => this.wake());
    client.on('error', (err) => onLost(err));
    client.on('end', () => onLost(new Error('connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      if (lost) return;
      if (this.stopped) {
        lost = true;
        await client.end().catch(() => undefined);
        return;
      }
      this.listener = client;
      this.listenerDown = false;
      this.wake(); // anything committed while nobody listened
    } catch (err) {
      onLost(err);
    }
  }

  private relisten(): void {
    if (this.stopped) return;
    setTimeout(() => void this.listen(), POLL_MS).unref();
  }
}
