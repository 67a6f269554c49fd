import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The de-identification guard's overrides: an approver's written justification for one finding
 * (identified by field, kind and the flagged text, so it survives edits elsewhere in the notice).
 */
export class DeidOverrides1764200000000 implements MigrationInterface {
  name = 'DeidOverrides1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE deid_overrides (
        id bigserial PRIMARY KEY,
        notice_id uuid NOT NULL REFERENCES notices(id),
        field text NOT NULL,
        kind text NOT NULL,
        text text NOT NULL,
        justification text NOT NULL CHECK (length(justification) >= 10),
        approver_id uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT deid_overrides_once UNIQUE (notice_id, field, kind, text)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE deid_overrides`);
  }
}
