import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Acknowledgments a partnership can be run on: the action tier (answers per required action,
 * kept as history), due times for actions, reminder/escalation state in rows, updates that
 * supersede a notice, cancellations, and a sequence on deliveries so each reminder rung is a
 * delivery of its own (still unique, so a rung is sent once).
 */
export class AcknowledgmentTiers1764170000000 implements MigrationInterface {
  name = 'AcknowledgmentTiers1764170000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE notices
        ADD COLUMN actions_due_by timestamptz,
        ADD COLUMN supersedes_id uuid REFERENCES notices(id),
        ADD COLUMN material boolean NOT NULL DEFAULT false,
        ADD COLUMN changes jsonb,
        ADD COLUMN cancelled_at timestamptz,
        ADD COLUMN cancelled_by uuid REFERENCES users(id),
        ADD COLUMN cancel_reason text,
        -- Set when the dispatcher has done the work a publication or cancellation needs, so the
        -- sweeper can redo it if the message that asked for it never arrived.
        ADD COLUMN fanned_out_at timestamptz,
        ADD COLUMN cancellation_sent_at timestamptz;
      -- At most one live update per notice: a second draft update must wait for the first.
      CREATE UNIQUE INDEX notices_one_open_update ON notices (supersedes_id)
        WHERE supersedes_id IS NOT NULL AND status IN ('draft','in_review');

      ALTER TABLE acknowledgments DROP CONSTRAINT acknowledgments_status_check;
      ALTER TABLE acknowledgments ADD CONSTRAINT acknowledgments_status_check CHECK (status IN
        ('pending','acknowledged','action_completed','action_not_required','superseded','cancelled'));
      ALTER TABLE acknowledgments DROP CONSTRAINT acknowledgments_complete;
      ALTER TABLE acknowledgments
        ADD CONSTRAINT acknowledgments_complete CHECK (
          status IN ('pending','superseded','cancelled') OR (acknowledged_at IS NOT NULL AND channel IS NOT NULL)),
        ADD COLUMN actions_due_at timestamptz,
        ADD COLUMN actions_completed_at timestamptz,
        ADD COLUMN actions_late boolean,
        ADD COLUMN closed_at timestamptz,
        ADD COLUMN closed_reason text,
        ADD COLUMN reminder_stage int NOT NULL DEFAULT 0,
        ADD COLUMN next_reminder_at timestamptz;
      CREATE INDEX acknowledgments_reminders_idx ON acknowledgments (next_reminder_at) WHERE status = 'pending';

      CREATE TABLE action_responses (
        id bigserial PRIMARY KEY,
        acknowledgment_id uuid NOT NULL REFERENCES acknowledgments(id),
        action_index int NOT NULL CHECK (action_index >= 0),
        response text NOT NULL CHECK (response IN ('done','not_applicable')),
        note text,
        responded_by_name text NOT NULL,
        responded_by_email text,
        responded_by_user_id uuid REFERENCES users(id),
        channel text NOT NULL CHECK (channel IN ('email_link','api')),
        at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT action_responses_reason CHECK (response = 'done' OR coalesce(length(note), 0) > 0)
      );
      CREATE INDEX action_responses_ack_idx ON action_responses (acknowledgment_id, action_index, id);

      ALTER TABLE deliveries ADD COLUMN sequence int NOT NULL DEFAULT 0;
      ALTER TABLE deliveries DROP CONSTRAINT deliveries_event_type_check;
      ALTER TABLE deliveries ADD CONSTRAINT deliveries_event_type_check CHECK (event_type IN
        ('notice.published','notice.updated','notice.cancelled','notice.reminder','notice.escalation',
         'subscription.test','subscription.disabled'));
      DROP INDEX deliveries_notice_subscription_key;
      DROP INDEX deliveries_notice_mandatory_key;
      CREATE UNIQUE INDEX deliveries_notice_subscription_key ON deliveries (notice_id, subscription_id, event_type, sequence)
        WHERE notice_id IS NOT NULL AND subscription_id IS NOT NULL;
      CREATE UNIQUE INDEX deliveries_notice_agency_key ON deliveries (notice_id, agency_id, event_type, sequence)
        WHERE notice_id IS NOT NULL AND subscription_id IS NULL;

      -- Live feeds wake on this instead of polling.
      CREATE FUNCTION sne_audit_notify() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN PERFORM pg_notify('sne_audit', ''); RETURN NULL; END $fn$;
      CREATE TRIGGER audit_events_notify AFTER INSERT ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION sne_audit_notify();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER audit_events_notify ON audit_events;
      DROP FUNCTION sne_audit_notify();
      DROP INDEX deliveries_notice_agency_key;
      DROP INDEX deliveries_notice_subscription_key;
      DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE sequence > 0 OR event_type = 'notice.escalation');
      DELETE FROM deliveries WHERE sequence > 0 OR event_type = 'notice.escalation';
      CREATE UNIQUE INDEX deliveries_notice_subscription_key ON deliveries (notice_id, subscription_id, event_type)
        WHERE notice_id IS NOT NULL AND subscription_id IS NOT NULL;
      CREATE UNIQUE INDEX deliveries_notice_mandatory_key ON deliveries (notice_id, agency_id, event_type)
        WHERE notice_id IS NOT NULL AND subscription_id IS NULL;
      ALTER TABLE deliveries DROP CONSTRAINT deliveries_event_type_check;
      ALTER TABLE deliveries ADD CONSTRAINT deliveries_event_type_check CHECK (event_type IN
        ('notice.published','notice.updated','notice.cancelled','notice.reminder','subscription.test','subscription.disabled'));
      ALTER TABLE deliveries DROP COLUMN sequence;
      DROP TABLE action_responses;
      DROP INDEX acknowledgments_reminders_idx;
      UPDATE acknowledgments SET status = 'pending' WHERE status IN ('superseded','cancelled');
      UPDATE acknowledgments SET status = 'acknowledged' WHERE status IN ('action_completed','action_not_required');
      ALTER TABLE acknowledgments DROP CONSTRAINT acknowledgments_complete;
      ALTER TABLE acknowledgments DROP CONSTRAINT acknowledgments_status_check;
      ALTER TABLE acknowledgments ADD CONSTRAINT acknowledgments_status_check CHECK (status IN ('pending','acknowledged'));
      ALTER TABLE acknowledgments ADD CONSTRAINT acknowledgments_complete CHECK (status = 'pending' OR (acknowledged_at IS NOT NULL AND channel IS NOT NULL));
      ALTER TABLE acknowledgments DROP COLUMN actions_due_at, DROP COLUMN actions_completed_at, DROP COLUMN actions_late,
        DROP COLUMN closed_at, DROP COLUMN closed_reason, DROP COLUMN reminder_stage, DROP COLUMN next_reminder_at;
      DROP INDEX notices_one_open_update;
      ALTER TABLE notices DROP COLUMN fanned_out_at, DROP COLUMN cancellation_sent_at, DROP COLUMN actions_due_by, DROP COLUMN supersedes_id, DROP COLUMN material, DROP COLUMN changes,
        DROP COLUMN cancelled_at, DROP COLUMN cancelled_by, DROP COLUMN cancel_reason;
    `);
  }
}
