import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, CLOCK, Clock, DatabaseAvailability, insertReminderDeliveries, PeriodicTask, stageTime, Subjects } from '@sne/core';
import { endpointOf, WORK_PUBLISHER, WorkPublisher } from '@sne/messaging';

const TICK_MS = 5000;
const BATCH = 500;

interface DueRow {
  id: string;
  reminder_stage: number;
  due_at: Date;
  published_at: Date;
  contacts: number;
}

/**
 * The clock of acknowledgments: reminders before and at the due time, then one escalation rung
 * at a time to the agency's escalation contacts, until the record is acknowledged. Its state is
 * rows (reminder_stage, next_reminder_at), so a restart neither skips nor repeats a rung; rows
 * are claimed FOR UPDATE SKIP LOCKED and each rung is a unique delivery, so replicas never send
 * one twice. One stage per record per tick: an overdue backlog is worked through in order.
 */
@Injectable()
export class ReminderScheduler {
  private readonly task: PeriodicTask;

  constructor(
    private readonly db: DataSource,
    @Inject(WORK_PUBLISHER) private readonly publisher: WorkPublisher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() availability?: DatabaseAvailability,
  ) {
    this.task = new PeriodicTask('reminder tick', TICK_MS, () => this.tick(), { availability });
  }

  start(): void {
    this.task.start();
  }

  stop(): void {
    this.task.stop();
  }

  /** Sends every stage due at `now`; returns how many records advanced. */
  async tick(now: Date = this.clock.now()): Promise<number> {
    const { advanced, deliveries } = await this.db.transaction(async (m) => {
      const rows: DueRow[] = await m.query(
        `SELECT a.id, a.reminder_stage, a.due_at, n.published_at, cardinality(g.escalation_contacts) AS contacts
           FROM acknowledgments a JOIN notices n ON n.id = a.notice_id JOIN agencies g ON g.id = a.agency_id
          WHERE a.status = 'pending' AND a.next_reminder_at <= $1 AND n.status = 'published' AND g.offboarded_at IS NULL
          ORDER BY a.next_reminder_at LIMIT ${BATCH}
          FOR UPDATE OF a SKIP LOCKED`,
        [now],
      );
      if (rows.length === 0) return { advanced: 0, deliveries: [] };
      const stages = rows.map((r) => r.reminder_stage + 1);
      const next = rows.map((r, i) => stageTime(stages[i] + 1, { publishedAt: r.published_at, dueAt: r.due_at, escalationContacts: r.contacts }, this.config));
      const ids = rows.map((r) => r.id);
      await m.query(
        `UPDATE acknowledgments a SET reminder_stage = x.stage, next_reminder_at = x.next
           FROM unnest($1::uuid[], $2::int[], $3::timestamptz[]) AS x(id, stage, next) WHERE a.id = x.id`,
        [ids, stages, next],
      );
      const created = await insertReminderDeliveries(m, ids, stages, { actor: { type: 'system', id: 'scheduler' } });
      await m.query(
        `INSERT INTO audit_events (actor_type, actor_id, agency_id, action, entity_type, entity_id, after)
         SELECT 'system', 'scheduler', a.agency_id,
                CASE WHEN x.stage <= 2 THEN 'acknowledgment.reminded' ELSE 'acknowledgment.escalated' END,
                'acknowledgment', a.id, jsonb_build_object('stage', x.stage, 'at', $3::timestamptz)
           FROM unnest($1::uuid[], $2::int[]) AS x(id, stage) JOIN acknowledgments a ON a.id = x.id`,
        [ids, stages, now],
      );
      return { advanced: rows.length, deliveries: created };
    });
    if (deliveries.length) {
      // After commit; if this fails the sweeper sends them.
      const jobs: { id: string; target_url: string | null }[] = await this.db.query(
        `SELECT id, target_url FROM deliveries WHERE id = ANY($1::uuid[])`,
        [deliveries],
      );
      await this.publisher.publishMany(
        jobs.map((d) => ({ subject: Subjects.deliveryJobs, payload: { deliveryId: d.id, endpoint: endpointOf(d.target_url) }, msgId: `delivery:${d.id}:0` })),
      );
    }
    return advanced;
  }
}
