import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People and keys: passwords (scrypt) with lockout, console sessions (the cookie holds a random
 * token whose hash is stored, plus a CSRF token), service accounts, and API keys that carry a
 * subset of their owner's roles.
 */
export class PeopleAndKeys1764190000000 implements MigrationInterface {
  name = 'PeopleAndKeys1764190000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users
        ADD COLUMN kind text NOT NULL DEFAULT 'person' CHECK (kind IN ('person','service')),
        ADD COLUMN password_hash text,
        ADD COLUMN failed_logins int NOT NULL DEFAULT 0,
        ADD COLUMN locked_until timestamptz,
        ADD CONSTRAINT users_service_has_no_password CHECK (kind = 'person' OR password_hash IS NULL);

      ALTER TABLE api_keys
        ADD COLUMN roles text[] CHECK (roles IS NULL OR roles <@ ARRAY['admin','agency_admin','author','approver','supervisor']::text[]);

      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash text NOT NULL UNIQUE,
        user_id uuid NOT NULL REFERENCES users(id),
        csrf_token text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      );
      CREATE INDEX sessions_user_idx ON sessions (user_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE sessions;
      ALTER TABLE api_keys DROP COLUMN roles;
      ALTER TABLE users DROP CONSTRAINT users_service_has_no_password, DROP COLUMN kind, DROP COLUMN password_hash,
        DROP COLUMN failed_logins, DROP COLUMN locked_until;
    `);
  }
}
