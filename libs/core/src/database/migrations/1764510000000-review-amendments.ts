import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An amendment's incident and recommendations, held until it is approved. Ratings and findings
 * are kept per version, but a review has one incident row and one set of recommendation rows,
 * which the figures, the shared summaries and the follow-through read. Edits made while an
 * approved review is amended are kept here (the draft reads them), and written to those rows
 * only when a second person approves the amendment.
 */
export class ReviewAmendments1764510000000 implements MigrationInterface {
  name = 'ReviewAmendments1764510000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE incident_reviews ADD COLUMN amendment jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE incident_reviews DROP COLUMN amendment`);
  }
}
