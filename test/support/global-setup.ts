import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { createDataSource, runMigrations } from '../../libs/core/src/database/data-source';
import { provisionDatabase, urlFor } from '../../libs/core/src/database/database-provisioning';
import { adminUrl, databaseUrl, testRoles } from './test-database';

/**
 * Once per `npm test`: a run id, the run's two roles (schema owner and runtime role), and a
 * template database owned by the owner, migrated from empty as the owner with the runtime role's
 * grants applied, so each test file can clone its own database in milliseconds. Runs never
 * collide: every name carries the run id.
 */
export default async function globalSetup(): Promise<void> {
  // Tests that run the apps as child processes (crash tests, the smoke test) use the build.
  // (SNE_TEST_SKIP_BUILD=1 skips it when iterating on in-process tests.)
  if (!process.env.SNE_TEST_SKIP_BUILD) {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: resolve(__dirname, '../..'), stdio: 'inherit' });
  }
  const run = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  process.env.SNE_TEST_RUN = run;
  process.env.SNE_TEST_ROLE_PASSWORD = randomBytes(18).toString('hex');
  const template = `sne_tpl_${run}`;
  const roles = testRoles();
  await provisionDatabase(adminUrl(), { database: template, ...roles });
  const ds = createDataSource(urlFor(databaseUrl(template), { role: roles.owner }));
  await ds.initialize();
  await runMigrations(ds, { grantTo: roles.runtime.name });
  await ds.destroy();
}
