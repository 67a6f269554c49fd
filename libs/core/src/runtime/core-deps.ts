import { Logger } from '@nestjs/common';
import { ClosableWorkPublisher, createWorkPublisher, InProcessBroker } from '@sne/messaging';
import { AppConfig } from '../config';
import { CoreDeps } from '../core.module';
import { createDataSource, runMigrations } from '../database/data-source';
import { DatabaseAvailability } from '../database/database-availability';
import { TemplateRenderer } from '../templates/template.renderer';

export interface RunningDeps extends CoreDeps {
  publisher: ClosableWorkPublisher;
  close(): Promise<void>;
}

/**
 * The process-wide adapters: one database pool (schema brought up to date by migrations),
 * one broker connection, the templates. The apps of one process share them.
 */
export async function createCoreDeps(
  config: AppConfig,
  options: { broker?: InProcessBroker; applicationName?: string; poolSize?: number } = {},
): Promise<RunningDeps> {
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required here');
  const dataSource = createDataSource(config.databaseUrl, { applicationName: options.applicationName, poolSize: options.poolSize ?? config.dbPoolSize });
  await dataSource.initialize();
  await runMigrations(dataSource);
  const publisher = createWorkPublisher({ natsUrl: config.natsUrl, prefix: config.natsPrefix, replicas: config.natsReplicas, broker: options.broker });
  const templates = new TemplateRenderer();
  const availability = new DatabaseAvailability(() => dataSource.query('SELECT 1'));
  return {
    config,
    dataSource,
    publisher,
    templates,
    availability,
    async close() {
      availability.close();
      await publisher.close().catch((err) => new Logger('CoreDeps').warn(`closing publisher: ${err.message}`));
      await dataSource.destroy();
    },
  };
}
