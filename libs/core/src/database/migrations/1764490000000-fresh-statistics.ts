import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Statistics that keep up with a fan-out (issue 13: the unstable 100,000 run).
 *
 * PostgreSQL caches, per connection, the plan of each foreign-key check (the row an attempt, a
 * delivery or an acknowledgment points to must exist) and of each prepared statement. A plan made
 * while a table was nearly empty (a fresh install, a table just emptied) is a sequential scan, and
 * it stays cached until the table's statistics change. When one notice then adds 100,000
 * deliveries within a minute, before autovacuum analyzes the table, every attempt recorded checks
 * its delivery by reading the whole table: quadratic, 1.5 ms per row at 50,000 rows.
 *
 * `sne_refresh_statistics()` analyzes the tables a fan-out grows whose statistics were taken while
 * they were small (under 32 pages, 256 kB) once they hold four times as many pages, 32 at least.
 * ANALYZE invalidates every connection's cached plans on the table, so they are made again; with
 * statistics of a table of 32 pages or more, a look-up by key is an index scan, and it stays one as
 * the table grows, so each table is analyzed here once or twice, while it is still cheap to (larger
 * ones were 100-300 ms each), and autovacuum keeps the statistics from then on. The runtime
 * role may not ANALYZE (it owns no table), so the function runs as its owner (SECURITY DEFINER)
 * and does nothing else (so, like the other functions, anyone connected may call it); one caller
 * at a time, the others skip.
 */
export class FreshStatistics1764490000000 implements MigrationInterface {
  name = 'FreshStatistics1764490000000';

  async up(q: QueryRunner): Promise<void> {
    const [{ schema }] = await q.query(`SELECT quote_ident(current_schema()) AS schema`);
    await q.query(`
      CREATE FUNCTION sne_refresh_statistics() RETURNS text[]
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${schema}, pg_temp AS $fn$
        DECLARE
          t text;
          analyzed text[] := '{}';
        BEGIN
          IF NOT pg_try_advisory_xact_lock(hashtext('sne_refresh_statistics')) THEN RETURN analyzed; END IF;
          FOR t IN
            SELECT c.relname FROM pg_class c
             WHERE c.relnamespace = current_schema()::regnamespace
               AND c.relname IN ('deliveries', 'acknowledgments', 'delivery_attempts', 'audit_events')
               AND c.relpages < 32
               AND pg_relation_size(c.oid) / current_setting('block_size')::int >= greatest(32, 4 * c.relpages)
             ORDER BY c.relname
          LOOP
            EXECUTE format('ANALYZE %I', t);
            analyzed := analyzed || t;
          END LOOP;
          RETURN analyzed;
        END $fn$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION sne_refresh_statistics()`);
  }
}
