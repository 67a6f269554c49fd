import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Nothing is lost to a subscription's state. A notice that matches a paused or disabled
 * subscription gets its delivery all the same, `held` until the subscription is resumed, and a
 * subscription can be deleted (kept as a row, `deleted`, because deliveries and the audit trail
 * refer to it; its signing secrets are wiped).
 */
export class HeldDeliveries1764210000000 implements MigrationInterface {
  name = 'HeldDeliveries1764210000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check;
      ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check
        CHECK (status IN ('pending','sending','delivered','retrying','failed','held'));
      CREATE INDEX deliveries_held_idx ON deliveries (subscription_id) WHERE status = 'held';
      -- Why a fallback email was sent, so it can say so to the person who reads it.
      ALTER TABLE deliveries ADD COLUMN fallback_reason text CHECK (fallback_reason IN
        ('webhook_failed','subscription_paused','subscription_disabled','subscription_deleted'));

      ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_status_check;
      ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_status_check
        CHECK (status IN ('active','paused','disabled','deleted'));
      ALTER TABLE subscriptions ADD COLUMN deleted_at timestamptz;
      ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_channel_target;
      ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_channel_target CHECK (
        (channel = 'email' AND cardinality(email_addresses) > 0 AND webhook_url IS NULL)
        OR (channel = 'webhook' AND webhook_url IS NOT NULL AND (signing_secret IS NOT NULL OR status = 'deleted')));
      ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_deleted_at CHECK ((status = 'deleted') = (deleted_at IS NOT NULL));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE deliveries SET status = 'failed', last_error = coalesce(last_error, 'held when the schema was rolled back')
       WHERE status = 'held';
      DROP INDEX deliveries_held_idx;
      ALTER TABLE deliveries DROP COLUMN fallback_reason;
      ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check;
      ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check
        CHECK (status IN ('pending','sending','delivered','retrying','failed'));

      ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_deleted_at;
      ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_channel_target;
      -- A deleted webhook subscription has no secret left; it comes back disabled with a dead one.
      UPDATE subscriptions SET signing_secret = coalesce(signing_secret, 'deleted') WHERE status = 'deleted';
      UPDATE subscriptions SET status = 'disabled', disabled_reason = 'deleted' WHERE status = 'deleted';
      ALTER TABLE subscriptions DROP COLUMN deleted_at;
      ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_channel_target CHECK (
        (channel = 'email' AND cardinality(email_addresses) > 0 AND webhook_url IS NULL)
        OR (channel = 'webhook' AND webhook_url IS NOT NULL AND signing_secret IS NOT NULL));
      ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_status_check;
      ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_status_check CHECK (status IN ('active','paused','disabled'));
    `);
  }
}
