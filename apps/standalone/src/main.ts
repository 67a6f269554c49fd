import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { resolve } from 'node:path';
import { createCoreDeps, EMBEDDED_OWNER_ROLE, EMBEDDED_RUNTIME_ROLE, provisionEmbeddedRoles, requireMailTransport, runProcess } from '@sne/core';
import { startEmbeddedPostgres } from '@sne/core/database/embedded-postgres.launcher';
import { createApiApp } from '../../api/src/api.app';
import { createCourierApp } from '../../courier/src/courier.app';
import { createDispatcherApp } from '../../dispatcher/src/dispatcher.app';
import { DemoKey, seedDemo } from './demo-seed';

/**
 * `npm start`: the three apps in one process. With nothing configured it runs on an embedded
 * PostgreSQL (./.data), the in-process transport and the dev mailbox; DATABASE_URL, NATS_URL
 * and SMTP_URL switch each to the real thing.
 */
runProcess('sne', async (initial) => {
  requireMailTransport(initial);
  const log = new Logger('sne');
  let config = initial;
  const dataDir = config.dataDir;
  const embedded = config.databaseUrl
    ? undefined
    : await startEmbeddedPostgres({ dataDir: resolve(dataDir, 'postgres'), log: (line) => log.debug(line) });
  if (embedded) {
    // The apps connect as a runtime role that owns nothing; the migrations run as the schema owner.
    const roles = await provisionEmbeddedRoles(embedded.url);
    config = { ...config, databaseUrl: roles.runtimeUrl, databaseMigrationUrl: roles.migrationUrl };
    const moved = embedded.relocatedFrom
      ? ` (not ${embedded.relocatedFrom}: running as root, PostgreSQL runs as the user "postgres", which cannot reach that directory)`
      : '';
    log.warn(`DATABASE_URL is not set: using an embedded PostgreSQL with its data in ${embedded.dataDir}${moved}`);
    log.log(`embedded PostgreSQL: the apps connect as "${EMBEDDED_RUNTIME_ROLE}", the migrations run as "${EMBEDDED_OWNER_ROLE}"`);
  }
  if (!config.natsUrl) {
    log.warn('*'.repeat(78));
    log.warn('NATS_URL is not set: the apps exchange work through an IN-PROCESS transport.');
    log.warn('Fine for trying the service on one machine; set NATS_URL for JetStream in production.');
    log.warn('*'.repeat(78));
  }
  const deps = await createCoreDeps(config, { applicationName: 'sne-standalone' });
  const keys = config.env === 'production' ? [] : await seedDemo(deps.dataSource, resolve(dataDir, 'demo-keys.json'));
  const dispatcher = await createDispatcherApp(deps);
  await dispatcher.listen();
  const courier = await createCourierApp(deps);
  await courier.listen();
  const api = await createApiApp(deps);
  await api.listen(config.port, config.host);
  printWelcome(config.publicUrl, !config.smtpUrl, keys, resolve(dataDir, 'demo-keys.json'));
  return async () => {
    await api.close();
    await courier.close();
    await dispatcher.close();
    await deps.close();
    await embedded?.stop();
  };
});

function printWelcome(url: string, devMailbox: boolean, keys: DemoKey[], keysFile: string) {
  const lines = [
    '',
    `Safety Notice Exchange is running at ${url}`,
    `  Console (sign in):   ${url}/console`,
    `  API docs (OpenAPI):  ${url}/docs`,
    `  Health:              ${url}/health`,
    devMailbox ? `  Dev mailbox:         ${url}/dev/mailbox   (SMTP_URL is not set: outgoing mail is kept here)` : '',
    '',
  ];
  if (keys.length) {
    lines.push(`Demo accounts (local demo data only; kept in ${keysFile}): sign-in email / password, and API key`);
    for (const k of keys) lines.push(`  ${k.role.padEnd(24)} ${k.email.padEnd(28)} ${(k.password ?? '').padEnd(16)} ${k.key}`);
    const author = keys.find((k) => k.role === 'author')?.key;
    const approver = keys.find((k) => k.role === 'approver')?.key;
    lines.push(
      '',
      `Try it: draft a critical alert as the author, approve it as the approver, then ${devMailbox ? 'open the dev mailbox' : 'look in the mailboxes SMTP_URL delivers to'}:`,
      `  curl -s -X POST ${url}/api/v1/notices -H 'Authorization: Bearer ${author}' -H 'Content-Type: application/json' \\`,
      `    -d '{"title":"Recall: inclined infant sleeper","summary":"Stop using model X","body":"Details...","category":"alert","severity":"critical","topics":["safe-sleep"],"requiredActions":["Tell caseworkers"]}'`,
      `  curl -s -X POST ${url}/api/v1/notices/<id>/submit -H 'Authorization: Bearer ${author}'`,
      `  curl -s -X POST ${url}/api/v1/notices/<id>/approve -H 'Authorization: Bearer ${approver}' -H 'Content-Type: application/json' -d '{"contentHash":"<contentHash>"}'`,
      '  (the README walks through the whole flow)',
    );
  }
  console.log(lines.filter((l) => l !== null).join('\n'));
}
