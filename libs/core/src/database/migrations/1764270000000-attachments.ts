import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attachments on notices (a PDF of guidance, a product photo). The metadata lives here whatever
 * the store; the bytes live in `attachment_blobs` (the default PostgreSQL store) or on disk
 * (ATTACHMENT_STORE=disk), named by the attachment's id. `storage` says which, so a deployment
 * that changes its store still serves what it stored before.
 */
export class Attachments1764270000000 implements MigrationInterface {
  name = 'Attachments1764270000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notice_attachments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        notice_id uuid NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        media_type text NOT NULL,
        size_bytes integer NOT NULL CHECK (size_bytes > 0),
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        storage text NOT NULL CHECK (storage IN ('postgres', 'disk')),
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX notice_attachments_by_notice ON notice_attachments (notice_id, created_at, id);
      CREATE TABLE attachment_blobs (
        attachment_id uuid PRIMARY KEY REFERENCES notice_attachments(id) ON DELETE CASCADE,
        data bytea NOT NULL
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE attachment_blobs; DROP TABLE notice_attachments;`);
  }
}
