import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Failed sign-ins are counted per email address and client address, so that a stranger who knows
 * someone's email locks out only their own address, not the person. Keyed on the email as typed
 * (lower case), not the user, so that an unknown email locks the same way as a known one and the
 * lock tells nothing about who has an account. `users.failed_logins` and `locked_until` stay as
 * the account-wide count and lock, which now takes many more failures (guessing spread over many
 * addresses).
 */
export class SignInFailuresPerClient1764540000000 implements MigrationInterface {
  name = 'SignInFailuresPerClient1764540000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sign_in_failures (
        email text NOT NULL CHECK (email = lower(email)),
        client text NOT NULL,
        failures int NOT NULL CHECK (failures > 0),
        locked_until timestamptz,
        last_failed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (email, client)
      );
      CREATE INDEX sign_in_failures_last_failed_idx ON sign_in_failures (last_failed_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sign_in_failures`);
  }
}
