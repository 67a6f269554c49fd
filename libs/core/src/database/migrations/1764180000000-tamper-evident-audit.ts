import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tamper-evident audit log.
 *
 * - `audit_events` becomes append-only: a statement trigger refuses every UPDATE, DELETE and
 *   TRUNCATE, whoever runs it (superusers included, unless they disable the trigger on purpose).
 * - `audit_chain` holds the hash chain, one link per event, written by the dispatcher's sealer
 *   after the event committed: `seq` (gap-free position), the event id, `prev_hash` (the previous
 *   link's hash) and `hash` = sha256(hex(prev_hash) || canonical text of the event). The chain is
 *   a table of its own so that events are never updated (no exception in the guard, no second
 *   version of every row) and writers never wait on a chain head. It is append-only too.
 * - Every INSERT into `audit_events` takes its transaction id before it draws an event id (a
 *   statement trigger), so the sealer can prove when a hole in the ids is final: every
 *   transaction that could still fill it holds an older transaction id (see audit-sealer.ts).
 */
export class TamperEvidentAudit1764180000000 implements MigrationInterface {
  name = 'TamperEvidentAudit1764180000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION sne_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
          RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'audit events are never changed or removed; the hash chain would name the change';
        END $fn$;

      CREATE FUNCTION sne_audit_assign_xid() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN PERFORM pg_current_xact_id(); RETURN NULL; END $fn$;

      CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION sne_audit_append_only();
      CREATE TRIGGER audit_events_xid_first BEFORE INSERT ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION sne_audit_assign_xid();

      CREATE TABLE audit_chain (
        seq bigint PRIMARY KEY CHECK (seq > 0),
        event_id bigint NOT NULL UNIQUE,
        prev_hash bytea NOT NULL CHECK (length(prev_hash) = 32),
        hash bytea NOT NULL CHECK (length(hash) = 32),
        sealed_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TRIGGER audit_chain_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_chain
        FOR EACH STATEMENT EXECUTE FUNCTION sne_audit_append_only();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE audit_chain;
      DROP TRIGGER audit_events_xid_first ON audit_events;
      DROP TRIGGER audit_events_append_only ON audit_events;
      DROP FUNCTION sne_audit_assign_xid(), sne_audit_append_only();
    `);
  }
}
