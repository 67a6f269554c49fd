import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One-time secret slots (a new signing secret, a new API key) shown once by the page a console
 * POST redirects to. Kept here rather than in one process's memory, so that with several API
 * replicas behind a load balancer the page finds the slot whichever replica it lands on.
 * `owner` is a SHA-256 of the caller's session (or key) id, never the id itself; `purpose` names the page;
 * `sealed` is the value sealed with SecretBox (AES-256-GCM under SECRETS_KEY), never plaintext.
 * A row is taken (deleted) by the read that shows it; expired rows are ignored and swept.
 * The runtime role gets SELECT, INSERT, UPDATE, DELETE by the grant policy applied after every
 * migration run (database-roles.ts).
 */
export class OneTimeSlots1764300000000 implements MigrationInterface {
  name = 'OneTimeSlots1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE one_time_slots (
        owner text NOT NULL CHECK (owner ~ '^[0-9a-f]{64}$'),
        purpose text NOT NULL CHECK (length(purpose) BETWEEN 1 AND 200),
        sealed text NOT NULL CHECK (sealed LIKE 'enc:v1:%'),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (owner, purpose)
      );
      CREATE INDEX one_time_slots_by_expiry ON one_time_slots (expires_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE one_time_slots`);
  }
}
