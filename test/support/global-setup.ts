import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { createDataSource, runMigrations } from '../../libs/core/src/database/data-source';
import { adminUrl, databaseUrl } from './test-database';

/**
 * Once per `npm test`: a run id, and a template database migrated from empty, so each test file
 * can clone its own database in milliseconds. Runs never collide: every name carries the run id.
 */
export default async function globalSetup(): Promise<void> {
  // Tests that run the apps as child processes (crash tests, the smoke test) use the build.
  // (SNE_TEST_SKIP_BUILD=1 skips it when iterating on in-process tests.)
  if (!process.env.SNE_TEST_SKIP_BUILD) {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: resolve(__dirname, '../..'), stdio: 'inherit' });
  }
  const run = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  process.env.SNE_TEST_RUN = run;
  const template = `sne_tpl_${run}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();
  const ds = createDataSource(databaseUrl(template));
  await ds.initialize();
  await runMigrations(ds);
  await ds.destroy();
}
