import { ConfigError, loadDatabaseConfig, provisionDatabase } from '@sne/core';

const USAGE = `Creates (or brings up to date) the schema owner and the runtime role, and the database.

  DATABASE_ADMIN_URL=postgres://postgres:…@db/postgres \\
  DATABASE_MIGRATION_URL=postgres://sne_owner:OWNER_PASSWORD@db/sne \\
  DATABASE_URL=postgres://sne_app:APP_PASSWORD@db/sne npm run db:roles

DATABASE_ADMIN_URL is a superuser. Each role's name and password are taken from its URL (a URL
without a password leaves the role's password as it is). Objects of the schema owned by another
role (a database from before there were two roles) are handed to the owner. Idempotent.`;

/** `npm run db:roles`: the superuser's part of the two-role set-up (compose runs it before the migrations). */
async function main(): Promise<void> {
  if (process.argv.includes('--help')) return void console.log(USAGE);
  const adminUrl = process.env.DATABASE_ADMIN_URL;
  const { databaseUrl, databaseMigrationUrl } = loadDatabaseConfig();
  for (const [name, value] of [['DATABASE_ADMIN_URL', adminUrl], ['DATABASE_MIGRATION_URL', databaseMigrationUrl], ['DATABASE_URL', databaseUrl]]) {
    if (!value) throw new ConfigError(name!, `is required\n\n${USAGE}`);
  }
  const [owner, runtime] = [new URL(databaseMigrationUrl!), new URL(databaseUrl!)];
  const database = decodeURIComponent(runtime.pathname.slice(1));
  if (decodeURIComponent(owner.pathname.slice(1)) !== database || owner.host !== runtime.host) {
    throw new ConfigError('DATABASE_MIGRATION_URL', 'must name the same server and database as DATABASE_URL');
  }
  const role = (u: URL) => ({ name: decodeURIComponent(u.username), password: decodeURIComponent(u.password) || undefined });
  if (!owner.username) throw new ConfigError('DATABASE_MIGRATION_URL', 'must name its role (postgres://ROLE:PASSWORD@host/database)');
  if (!runtime.username) throw new ConfigError('DATABASE_URL', 'must name its role (postgres://ROLE:PASSWORD@host/database)');
  await provisionDatabase(adminUrl!, { database, owner: role(owner), runtime: role(runtime) });
  console.log(`database "${database}": schema owner "${role(owner).name}", runtime role "${role(runtime).name}"; now run the migrations (npm run migration:run)`);
}

main().catch((err) => {
  console.error(err.message);
  process.exit(err instanceof ConfigError ? 78 : 1);
});
