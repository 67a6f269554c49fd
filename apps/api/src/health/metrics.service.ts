import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';

/**
 * Prometheus metrics. Work state is read from the database at scrape time, so the figures
 * are the same whichever process (api, dispatcher, courier replicas) did the work.
 */
@Injectable()
export class MetricsService {
  private readonly registry = new Registry();

  constructor(db: DataSource) {
    collectDefaultMetrics({ register: this.registry, prefix: 'sne_' });
    new Gauge({
      name: 'sne_deliveries',
      help: 'Deliveries by status and channel',
      labelNames: ['status', 'channel'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const rows = await db.query(`SELECT status, channel, count(*)::int AS n FROM deliveries GROUP BY 1, 2`);
        for (const r of rows) this.set({ status: r.status, channel: r.channel }, r.n);
      },
    });
    new Gauge({
      name: 'sne_acknowledgments',
      help: 'Acknowledgments by status; overdue = pending past due',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const [r] = await db.query(
          `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending,
                  count(*) FILTER (WHERE status = 'acknowledged')::int AS acknowledged,
                  count(*) FILTER (WHERE status = 'pending' AND due_at < now())::int AS overdue
             FROM acknowledgments`,
        );
        for (const status of ['pending', 'acknowledged', 'overdue']) this.set({ status }, r[status]);
      },
    });
    new Gauge({
      name: 'sne_outbox_unsent',
      help: 'Outbox rows committed but not yet published',
      registers: [this.registry],
      async collect() {
        const [r] = await db.query(`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`);
        this.set(r.n);
      },
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
