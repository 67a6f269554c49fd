import { Client } from 'pg';
import { adminUrl } from './test-database';

/**
 * Drops every database this run created (the template and any a crashed test file left), then
 * every role it created (the run's two, and any a test made: all are named sne_<run>_…).
 */
export default async function globalTeardown(): Promise<void> {
  const run = process.env.SNE_TEST_RUN;
  if (!run) return;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    const { rows } = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`sne\\_%${run}%`]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    const roles = await admin.query(`SELECT rolname FROM pg_roles WHERE rolname LIKE $1`, [`sne\\_${run}\\_%`]);
    for (const { rolname } of roles.rows) {
      await admin.query(`DROP ROLE IF EXISTS "${rolname}"`).catch((err) => console.warn(`could not drop the test role ${rolname}: ${err.message}`));
    }
  } finally {
    await admin.end();
  }
}
