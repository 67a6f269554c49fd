import 'reflect-metadata';
import { createCoreDeps, requireDistributed, runProcess } from '@sne/core';
import { createDispatcherApp } from './dispatcher.app';

runProcess('dispatcher', async (config) => {
  requireDistributed(config);
  const deps = await createCoreDeps(config, { applicationName: 'sne-dispatcher' });
  const app = await createDispatcherApp(deps);
  await app.listen();
  return async () => {
    await app.close();
    await deps.close();
  };
});
