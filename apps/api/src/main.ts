import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createCoreDeps, requireDistributed, runProcess } from '@sne/core';
import { createApiApp } from './api.app';

runProcess('api', async (config) => {
  requireDistributed(config);
  const deps = await createCoreDeps(config, { applicationName: 'sne-api' });
  const app = await createApiApp(deps);
  await app.listen(config.port, config.host);
  new Logger('api').log(`listening on http://${config.host}:${config.port} (docs at /docs)`);
  return async () => {
    await app.close();
    await deps.close();
  };
});
