import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { Agency, audit, ConfigError, loadConfig, openDatabase, systemActor, User } from '@sne/core';
import { issueApiKey } from '../apps/api/src/api-keys/api-keys.controller';

const USAGE = `Creates the partnership's own agency and its first admin, and prints the admin's API key once.

  DATABASE_URL=postgres://… [DATABASE_MIGRATION_URL=postgres://…] npm run bootstrap -- --agency "National Partnership for Child Safety" \\
      --code US --contact notices@partnership.example --admin-email you@partnership.example --admin-name "Your Name"

Options: --agency, --type (default federal), --code, --time-zone (default America/New_York),
         --contact, --admin-email, --admin-name`;

/** `npm run bootstrap`: the first partnership admin. Refuses to run twice. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      agency: { type: 'string' },
      type: { type: 'string', default: 'federal' },
      code: { type: 'string' },
      'time-zone': { type: 'string', default: 'America/New_York' },
      contact: { type: 'string' },
      'admin-email': { type: 'string' },
      'admin-name': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return void console.log(USAGE);
  const missing = ['agency', 'code', 'contact', 'admin-email', 'admin-name'].filter((k) => !values[k as keyof typeof values]);
  if (missing.length) throw new Error(`missing --${missing.join(', --')}\n\n${USAGE}`);
  const config = loadConfig();
  if (!config.databaseUrl) throw new ConfigError('DATABASE_URL', 'is required to bootstrap (the embedded default seeds its own demo admin)');
  // The apps' own way in: migrations as DATABASE_MIGRATION_URL's owner when set, the rows as the runtime role.
  const db = await openDatabase(config, { applicationName: 'sne-bootstrap', poolSize: 2 });
  try {
    const key = await db.transaction(async (m) => {
      const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM users WHERE 'admin' = ANY(roles)`);
      if (n > 0) throw new Error('a partnership admin already exists: use the API to add more');
      const actor = systemActor('bootstrap');
      const agency = await m.save(
        m.create(Agency, {
          name: values.agency!,
          jurisdictionType: values.type as Agency['jurisdictionType'],
          jurisdictionCode: values.code!,
          timeZone: values['time-zone']!,
          noticesContactEmail: values.contact!,
          escalationContacts: [],
          fallbackContacts: [],
        }),
      );
      await audit(m, actor, { action: 'agency.created', entityType: 'agency', entityId: agency.id, agencyId: agency.id, after: { name: agency.name } });
      const user = await m.save(m.create(User, { agencyId: agency.id, email: values['admin-email']!.toLowerCase(), name: values['admin-name']!, roles: ['admin'] }));
      await audit(m, actor, { action: 'user.created', entityType: 'user', entityId: user.id, agencyId: agency.id, after: { email: user.email, roles: user.roles } });
      const issued = await issueApiKey(m, user, 'bootstrap', null);
      await audit(m, actor, { action: 'api_key.created', entityType: 'api_key', entityId: issued.id, agencyId: agency.id, after: { prefix: issued.prefix } });
      return issued.key;
    });
    console.log(`Partnership admin created. API key (shown once; store it now):\n\n  ${key}\n`);
  } finally {
    await db.destroy();
  }
}

main().catch((err) => {
  console.error(err.message);
  process.exit(1);
});
