import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createCoreDeps, requireDistributed, requireMailTransport, runProcess } from '@sne/core';
import { createApiApp } from './api.app';

runProcess('api', async (config) => {
  requireDistributed(config);
  // The api sends survey invitations and reminders itself (never queued: survey-mail.ts).
  requireMailTransport(config);
  const deps = await createCoreDeps(config, { applicationName: 'sne-api' });
  const app = await createApiApp(deps);
  await app.listen(config.port, config.host);
  new Logger('api').log(`listening on http://${config.host}:${config.port} (docs at /docs)`);
  return async () => {
    await app.close();
    await deps.close();
  };
});
