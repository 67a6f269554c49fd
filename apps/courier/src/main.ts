import 'reflect-metadata';
import { createCoreDeps, requireDistributed, requireMailTransport, runProcess, startHealthListener } from '@sne/core';
import { createCourierApp } from './courier.app';

runProcess('courier', async (config) => {
  requireDistributed(config);
  requireMailTransport(config);
  const deps = await createCoreDeps(config, { applicationName: 'sne-courier' });
  const app = await createCourierApp(deps);
  await app.listen();
  const health = await startHealthListener(app, config, 'courier');
  return async () => {
    await health?.close();
    await app.close();
    await deps.close();
  };
});
