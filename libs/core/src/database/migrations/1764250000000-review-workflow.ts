import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The review workflow (issue 10, items 1 and 2):
 *  - `users.review_emails`: a person's choice to be emailed when a notice awaits their review,
 *    or when their own notice is approved or rejected (on by default);
 *  - `notice_versions`: the content of every version of a notice as it was saved, so the approver
 *    sees what changed between versions. Existing notices get their current version.
 */
export class ReviewWorkflow1764250000000 implements MigrationInterface {
  name = 'ReviewWorkflow1764250000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users ADD COLUMN review_emails boolean NOT NULL DEFAULT true;

      CREATE TABLE notice_versions (
        notice_id uuid NOT NULL REFERENCES notices(id),
        version int NOT NULL CHECK (version >= 1),
        content jsonb NOT NULL,
        content_hash text NOT NULL,
        saved_by uuid REFERENCES users(id),
        saved_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (notice_id, version)
      );

      INSERT INTO notice_versions (notice_id, version, content, content_hash, saved_by, saved_at)
      SELECT id, version,
             jsonb_build_object('title', title, 'summary', summary, 'bodyMarkdown', body_markdown, 'category', category,
               'severity', severity, 'topics', to_jsonb(topics), 'targetJurisdictions', to_jsonb(target_jurisdictions),
               'requiredActions', to_jsonb(required_actions), 'acknowledgeBy', acknowledge_by, 'actionsDueBy', actions_due_by,
               'effectiveAt', effective_at, 'expiresAt', expires_at, 'incidentReference', incident_reference),
             content_hash, author_id, updated_at
        FROM notices;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notice_versions; ALTER TABLE users DROP COLUMN review_emails;`);
  }
}
