import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 10, items 3 and 4:
 *  - a notice names an enquiries contact (name, role, email, phone) at its issuing agency;
 *  - a reminder or resend asked for by a person is a delivery like any other, with the note they
 *    wrote and who asked (`requested_by`); its `sequence` is negative (-1, -2, …) so it never
 *    collides with the scheduler's rungs (0 is the notice itself, 1… the reminders and escalations);
 *  - a required action can be `underway` (not an answer that completes the record), assigned to a
 *    colleague of the agency, with its own due time.
 */
export class SuperviseAndInbox1764260000000 implements MigrationInterface {
  name = 'SuperviseAndInbox1764260000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE notices ADD COLUMN enquiries jsonb;

      ALTER TABLE deliveries
        ADD COLUMN note text,
        ADD COLUMN requested_by uuid REFERENCES users(id);

      ALTER TABLE action_responses DROP CONSTRAINT action_responses_response_check;
      ALTER TABLE action_responses ADD CONSTRAINT action_responses_response_check CHECK (response IN ('done','not_applicable','underway'));
      ALTER TABLE action_responses DROP CONSTRAINT action_responses_reason;
      ALTER TABLE action_responses ADD CONSTRAINT action_responses_reason CHECK (response <> 'not_applicable' OR coalesce(length(note), 0) > 0);
      ALTER TABLE action_responses
        ADD COLUMN assignee_user_id uuid REFERENCES users(id),
        ADD COLUMN due_at timestamptz;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM action_responses WHERE response = 'underway';
      ALTER TABLE action_responses DROP COLUMN due_at, DROP COLUMN assignee_user_id;
      ALTER TABLE action_responses DROP CONSTRAINT action_responses_reason;
      ALTER TABLE action_responses ADD CONSTRAINT action_responses_reason CHECK (response = 'done' OR coalesce(length(note), 0) > 0);
      ALTER TABLE action_responses DROP CONSTRAINT action_responses_response_check;
      ALTER TABLE action_responses ADD CONSTRAINT action_responses_response_check CHECK (response IN ('done','not_applicable'));
      DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE sequence < 0);
      DELETE FROM deliveries WHERE sequence < 0;
      ALTER TABLE deliveries DROP COLUMN requested_by, DROP COLUMN note;
      ALTER TABLE notices DROP COLUMN enquiries;
    `);
  }
}
