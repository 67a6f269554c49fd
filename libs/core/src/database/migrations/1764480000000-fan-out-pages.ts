import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A notice's first fan-out goes page by page (issue 13). `fan_out_page_at` is when its latest
 * page was written: the sweeper asks again for a fan-out that never finished only once no page has
 * been written for its grace period, not while a large one is still writing pages.
 */
export class FanOutPages1764480000000 implements MigrationInterface {
  name = 'FanOutPages1764480000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notices ADD COLUMN fan_out_page_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notices DROP COLUMN fan_out_page_at`);
  }
}
