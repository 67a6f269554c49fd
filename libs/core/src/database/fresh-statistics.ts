import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';

const log = new Logger('FreshStatistics');

/**
 * Has PostgreSQL analyze the tables a fan-out grows, where their statistics were taken while they
 * were small and they have outgrown them (`sne_refresh_statistics`, migration 1764490000000).
 * Cached plans made while a table was nearly empty (foreign-key checks, prepared statements) read
 * the whole table for every row until then. Returns the tables analyzed; a failure only costs
 * speed, so it is logged, not thrown.
 */
export async function refreshStaleStatistics(db: DataSource): Promise<string[]> {
  try {
    const [{ analyzed }] = await db.query(`SELECT sne_refresh_statistics() AS analyzed`);
    return analyzed;
  } catch (err) {
    log.warn(`statistics not refreshed: ${(err as Error).message}`);
    return [];
  }
}
