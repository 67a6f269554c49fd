import 'reflect-metadata';
import { createCoreDeps, requireDistributed, runProcess } from '@sne/core';
import { createCourierApp } from './courier.app';

runProcess('courier', async (config) => {
  requireDistributed(config);
  const deps = await createCoreDeps(config, { applicationName: 'sne-courier' });
  const app = await createCourierApp(deps);
  await app.listen();
  return async () => {
    await app.close();
    await deps.close();
  };
});
