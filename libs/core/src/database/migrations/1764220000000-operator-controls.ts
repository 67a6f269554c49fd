import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What operators need on day two:
 *  - offboarding an agency (`offboarded_at`, by whom and why): its people and keys stop working,
 *    it leaves the directory and the reports' lists, and its records stay;
 *  - retiring a topic (`retired_at`): new notices cannot use it, subscriptions keep matching it;
 *  - every API key names its roles: a key issued with "all of the owner's roles" is given the
 *    owner's roles of that moment, so granting the owner a role later never widens a key someone
 *    else issued.
 */
export class OperatorControls1764220000000 implements MigrationInterface {
  name = 'OperatorControls1764220000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE agencies
        ADD COLUMN offboarded_at timestamptz,
        ADD COLUMN offboarded_by uuid REFERENCES users(id),
        ADD COLUMN offboard_reason text,
        ADD CONSTRAINT agencies_offboarding_is_whole CHECK ((offboarded_at IS NULL) = (offboard_reason IS NULL));

      ALTER TABLE topics ADD COLUMN retired_at timestamptz;

      UPDATE api_keys k SET roles = u.roles FROM users u WHERE u.id = k.user_id AND k.roles IS NULL;
      ALTER TABLE api_keys ALTER COLUMN roles SET NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    // The keys keep the roles they were given: a narrower key is the safe side of the rollback.
    await q.query(`
      ALTER TABLE api_keys ALTER COLUMN roles DROP NOT NULL;
      ALTER TABLE topics DROP COLUMN retired_at;
      ALTER TABLE agencies DROP CONSTRAINT agencies_offboarding_is_whole,
        DROP COLUMN offboard_reason, DROP COLUMN offboarded_by, DROP COLUMN offboarded_at;
    `);
  }
}
