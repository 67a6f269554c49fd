import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * From review to notice (issue 11): which required action of a notice came from which
 * recommendation of the review it was drafted from (`notices.source_review_id`).
 *
 * `action_text` is the recommendation's text as it became the action. The link follows that text:
 * readers find the action's current index with array_position(notices.required_actions,
 * action_text), so an author who reorders the draft's actions keeps every link, and one who
 * rewrites or removes an action drops that link rather than pinning it on another action.
 * `action_index` is where the action stood in the draft as it was created.
 */
export class ReviewNoticeActions1764440000000 implements MigrationInterface {
  name = 'ReviewNoticeActions1764440000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE review_notice_actions (
        notice_id uuid NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
        action_index int NOT NULL CHECK (action_index >= 0),
        recommendation_id uuid NOT NULL REFERENCES review_recommendations(id),
        action_text text NOT NULL CHECK (length(action_text) BETWEEN 1 AND 1000),
        PRIMARY KEY (notice_id, action_index),
        UNIQUE (notice_id, recommendation_id)
      );
      CREATE INDEX review_notice_actions_by_recommendation ON review_notice_actions (recommendation_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE review_notice_actions`);
  }
}
