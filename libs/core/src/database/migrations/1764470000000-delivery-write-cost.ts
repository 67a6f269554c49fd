import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PostgreSQL's cost per delivery (issue 13), with the same rules and the same constraints:
 *
 * - The matching functions lose STRICT, so PostgreSQL can inline them into the fan-out's query
 *   instead of running a SQL function per subscription and topic. Their bodies give NULL for a
 *   NULL argument exactly as STRICT did.
 * - `deliveries_notice_idx (notice_id)` is folded into the unique key
 *   (notice_id, subscription_id, event_type, sequence), now on every row: NULLs never conflict in
 *   a unique index, so it still allows exactly what the partial one did, and it serves the lookups
 *   by notice. One index fewer to write for every delivery inserted or updated.
 */
export class DeliveryWriteCost1764470000000 implements MigrationInterface {
  name = 'DeliveryWriteCost1764470000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION sne_topic_matches(pattern text, topic text) RETURNS boolean
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
          SELECT (pattern = '>' AND topic IS NOT NULL)
                 OR topic ~ ('^' || replace(replace(replace(pattern, '.', '\\.'), '*', '[^.]+'), '\\.>', '(\\.[^.]+)+') || '$')
        $fn$;
      CREATE OR REPLACE FUNCTION sne_severity_rank(severity text) RETURNS int
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
          SELECT array_position(ARRAY['critical','high','moderate','low'], severity)
        $fn$;

      CREATE UNIQUE INDEX deliveries_notice_subscription_key_all ON deliveries (notice_id, subscription_id, event_type, sequence);
      DROP INDEX deliveries_notice_subscription_key;
      ALTER INDEX deliveries_notice_subscription_key_all RENAME TO deliveries_notice_subscription_key;
      DROP INDEX deliveries_notice_idx;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX deliveries_notice_idx ON deliveries (notice_id);
      CREATE UNIQUE INDEX deliveries_notice_subscription_key_partial ON deliveries (notice_id, subscription_id, event_type, sequence)
        WHERE notice_id IS NOT NULL AND subscription_id IS NOT NULL;
      DROP INDEX deliveries_notice_subscription_key;
      ALTER INDEX deliveries_notice_subscription_key_partial RENAME TO deliveries_notice_subscription_key;

      CREATE OR REPLACE FUNCTION sne_topic_matches(pattern text, topic text) RETURNS boolean
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
          SELECT pattern = '>' OR topic ~ ('^' || replace(replace(replace(pattern, '.', '\\.'), '*', '[^.]+'), '\\.>', '(\\.[^.]+)+') || '$')
        $fn$;
      CREATE OR REPLACE FUNCTION sne_severity_rank(severity text) RETURNS int
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
          SELECT array_position(ARRAY['critical','high','moderate','low'], severity)
        $fn$;
    `);
  }
}
