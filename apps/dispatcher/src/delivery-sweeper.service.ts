import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, Subjects } from '@sne/core';
import { endpointOf, WORK_PUBLISHER, WorkPublisher } from '@sne/messaging';

const SWEEP_EVERY_MS = 5000;
const BATCH = 2000;

/**
 * Nothing depends on a message surviving: deliveries whose lease expired mid-send, or whose
 * due time passed well ago without a courier claiming them, get a fresh job. Safe with
 * several replicas: a duplicate job only finds the delivery already claimed or done.
 */
@Injectable()
export class DeliverySweeper {
  private readonly log = new Logger(DeliverySweeper.name);
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly db: DataSource,
    @Inject(WORK_PUBLISHER) private readonly publisher: WorkPublisher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), SWEEP_EVERY_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async tick() {
    if (this.running) return;
    this.running = true;
    try {
      await this.sweep();
    } catch (err) {
      this.log.warn(`sweep failed, will try again: ${err.message}`);
    } finally {
      this.running = false;
    }
  }

  /** Returns how many deliveries were re-queued. */
  async sweep(): Promise<number> {
    const graceMs = this.config.deliveryLeaseMs;
    const rows: { id: string; attempt_count: number; target_url: string | null }[] = await this.db.query(
      `SELECT id, attempt_count, target_url FROM deliveries
        WHERE (status IN ('pending','retrying') AND next_attempt_at < now() - make_interval(secs => $1::float / 1000))
           OR (status = 'sending' AND lease_until < now())
        ORDER BY next_attempt_at LIMIT ${BATCH}`,
      [graceMs],
    );
    if (rows.length === 0) return 0;
    // One re-queue per delivery per grace period: the window bucket goes into the msgId.
    const bucket = Math.floor(Date.now() / graceMs);
    await this.publisher.publishMany(
      rows.map((r) => ({
        subject: Subjects.deliveryJobs,
        payload: { deliveryId: r.id, endpoint: endpointOf(r.target_url) },
        msgId: `sweep:${r.id}:${r.attempt_count}:${bucket}`,
      })),
    );
    this.log.warn(`re-queued ${rows.length} stuck deliveries`);
    return rows.length;
  }
}
