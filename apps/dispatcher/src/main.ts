import 'reflect-metadata';
import { createCoreDeps, requireDistributed, runProcess, startHealthListener } from '@sne/core';
import { createDispatcherApp } from './dispatcher.app';

runProcess('dispatcher', async (config) => {
  requireDistributed(config);
  const deps = await createCoreDeps(config, { applicationName: 'sne-dispatcher' });
  const app = await createDispatcherApp(deps);
  await app.listen();
  const health = await startHealthListener(app, config, 'dispatcher');
  return async () => {
    await health?.close();
    await app.close();
    await deps.close();
  };
});
