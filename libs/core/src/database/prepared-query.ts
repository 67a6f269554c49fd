import type { Pool, QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * Runs one of the hot path's statements as a named prepared statement on TypeORM's own pool
 * (node-postgres prepares a name once per connection). The courier's claim joins seven tables:
 * planning it took longer than running it for a batch of fifty deliveries, on every call.
 * `name` must stand for exactly one `text`.
 */
export async function preparedQuery<T extends QueryResultRow>(db: DataSource, name: string, text: string, values: unknown[]): Promise<T[]> {
  const pool = (db.driver as unknown as { master?: Pool }).master;
  if (!pool) return db.query(text, values);
  const result = await pool.query<T>({ name, text, values });
  return result.rows;
}
