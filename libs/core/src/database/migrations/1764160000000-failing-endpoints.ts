import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Failing endpoints and fallback: a subscription remembers since when its attempts fail and how
 * many dead letters came in a row (to disable it automatically); a delivery can be the fallback
 * email sent when a webhook delivery dead-letters; agency admins are told by a
 * subscription.disabled email, itself a delivery.
 */
export class FailingEndpoints1764160000000 implements MigrationInterface {
  name = 'FailingEndpoints1764160000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE subscriptions
        ADD COLUMN failing_since timestamptz,
        ADD COLUMN consecutive_dead_letters int NOT NULL DEFAULT 0,
        ADD COLUMN disabled_reason text;

      ALTER TABLE deliveries ADD COLUMN fallback boolean NOT NULL DEFAULT false;
      ALTER TABLE deliveries DROP CONSTRAINT deliveries_event_type_check;
      ALTER TABLE deliveries ADD CONSTRAINT deliveries_event_type_check CHECK (event_type IN
        ('notice.published','notice.updated','notice.cancelled','notice.reminder','subscription.test','subscription.disabled'));
      CREATE INDEX deliveries_failed_idx ON deliveries (agency_id, created_at DESC) WHERE status = 'failed';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX deliveries_failed_idx;
      DELETE FROM deliveries WHERE event_type = 'subscription.disabled';
      ALTER TABLE deliveries DROP CONSTRAINT deliveries_event_type_check;
      ALTER TABLE deliveries ADD CONSTRAINT deliveries_event_type_check CHECK (event_type IN
        ('notice.published','notice.updated','notice.cancelled','notice.reminder','subscription.test'));
      ALTER TABLE deliveries DROP COLUMN fallback;
      ALTER TABLE subscriptions DROP COLUMN failing_since, DROP COLUMN consecutive_dead_letters, DROP COLUMN disabled_reason;
    `);
  }
}
