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
 * - The courier's claim (pending → sending) becomes a HOT update: no index entry written. An
 *   update is HOT only when no indexed column changes, predicates included, and the new version
 *   fits on the page. The partial indexes now name `phase`, a generated column that is 'open' for
 *   pending, sending and retrying and the status otherwise, so a claim changes no indexed value;
 *   and new pages keep a quarter free for the new versions (fillfactor 75). Queries that want
 *   these indexes say `phase = …` (the sweeper, held and failed deliveries). Adding the column
 *   rewrites the table once.
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

      ALTER TABLE deliveries SET (fillfactor = 75);
      ALTER TABLE deliveries ADD COLUMN phase text NOT NULL
        GENERATED ALWAYS AS (CASE WHEN status IN ('pending','sending','retrying') THEN 'open' ELSE status END) STORED;
      DROP INDEX deliveries_due_idx;
      CREATE INDEX deliveries_due_idx ON deliveries (next_attempt_at) WHERE phase = 'open';
      DROP INDEX deliveries_held_idx;
      CREATE INDEX deliveries_held_idx ON deliveries (subscription_id) WHERE phase = 'held';
      DROP INDEX deliveries_failed_idx;
      CREATE INDEX deliveries_failed_idx ON deliveries (agency_id, created_at DESC) WHERE phase = 'failed';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE deliveries DROP COLUMN phase;
      CREATE INDEX deliveries_due_idx ON deliveries (next_attempt_at) WHERE status IN ('pending','retrying','sending');
      CREATE INDEX deliveries_held_idx ON deliveries (subscription_id) WHERE status = 'held';
      CREATE INDEX deliveries_failed_idx ON deliveries (agency_id, created_at DESC) WHERE status = 'failed';
      ALTER TABLE deliveries RESET (fillfactor);

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
