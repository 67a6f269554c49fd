import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A reminder, resend or escalation is worth sending only while the agency's record is as it was
 * when the message was asked for. `for_ack_status` keeps that status on the delivery (and on its
 * fallback email), so the courier can tell at claim time; a message whose record moved on (or
 * whose notice was cancelled or superseded) ends `skipped`, never sent.
 */
export class RemindersWhileOwed1764530000000 implements MigrationInterface {
  name = 'RemindersWhileOwed1764530000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check;
      ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check
        CHECK (status IN ('pending','sending','delivered','retrying','failed','held','skipped'));
      ALTER TABLE deliveries ADD COLUMN for_ack_status text;
      -- Messages still owed: a scheduled rung was for a pending record; for a person's request the
      -- record's status now is the best that is known.
      UPDATE deliveries d SET for_ack_status = CASE WHEN d.sequence > 0 THEN 'pending' ELSE a.status END
        FROM acknowledgments a
       WHERE a.id = d.acknowledgment_id AND d.event_type IN ('notice.reminder','notice.escalation')
         AND d.phase IN ('open','held','failed');
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE deliveries SET status = 'failed' WHERE status = 'skipped';
      ALTER TABLE deliveries DROP COLUMN for_ack_status;
      ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check;
      ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check
        CHECK (status IN ('pending','sending','delivered','retrying','failed','held'));
    `);
  }
}
