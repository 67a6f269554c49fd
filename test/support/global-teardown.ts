import { Client } from 'pg';
import { adminUrl } from './test-database';

/** Drops every database this run created (the template and any a crashed test file left). */
export default async function globalTeardown(): Promise<void> {
  const run = process.env.SNE_TEST_RUN;
  if (!run) return;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  const { rows } = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`sne\\_%${run}%`]);
  for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  await admin.end();
}
