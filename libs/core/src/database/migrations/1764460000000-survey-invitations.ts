import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Survey invitations (issue 12): whether an address on a wave's list has been sent its one-time
 * link, so that sending invitations again reaches only the addresses added since (one token per
 * address, never two). A yes/no per address: not when, not which token.
 */
export class SurveyInvitations1764460000000 implements MigrationInterface {
  name = 'SurveyInvitations1764460000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE survey_recipients ADD COLUMN invited boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE survey_recipients DROP COLUMN invited`);
  }
}
