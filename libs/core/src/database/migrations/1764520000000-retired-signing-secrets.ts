import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every signing secret rotated out keeps signing for its own 24 hours. One previous secret per
 * subscription (previous_signing_secret) meant a second rotation within the window replaced the
 * first retired secret, and a receiver still on it failed verification at once. Each retired
 * secret is now a row with its own expiry, sealed like the current one (SecretBox).
 * Up keeps a previous secret that still signs; down keeps the newest one that still signs (the
 * old schema has room for one).
 */
export class RetiredSigningSecrets1764520000000 implements MigrationInterface {
  name = 'RetiredSigningSecrets1764520000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE subscription_retired_secrets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subscription_id uuid NOT NULL REFERENCES subscriptions(id),
        signing_secret text NOT NULL,
        retired_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        CONSTRAINT subscription_retired_secrets_expire_after_retiring CHECK (expires_at > retired_at)
      );
      CREATE INDEX subscription_retired_secrets_live_idx ON subscription_retired_secrets (subscription_id, expires_at);
      INSERT INTO subscription_retired_secrets (subscription_id, signing_secret, retired_at, expires_at)
      SELECT id, previous_signing_secret, previous_secret_expires_at - interval '24 hours', previous_secret_expires_at
        FROM subscriptions WHERE previous_signing_secret IS NOT NULL AND previous_secret_expires_at > now();
      ALTER TABLE subscriptions DROP COLUMN previous_signing_secret, DROP COLUMN previous_secret_expires_at;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE subscriptions ADD COLUMN previous_signing_secret text, ADD COLUMN previous_secret_expires_at timestamptz;
      UPDATE subscriptions s SET previous_signing_secret = r.signing_secret, previous_secret_expires_at = r.expires_at
        FROM (SELECT DISTINCT ON (subscription_id) subscription_id, signing_secret, expires_at
                FROM subscription_retired_secrets WHERE expires_at > now()
               ORDER BY subscription_id, expires_at DESC) r
       WHERE r.subscription_id = s.id;
      DROP TABLE subscription_retired_secrets;
    `);
  }
}
