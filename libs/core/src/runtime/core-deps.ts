import { Logger } from '@nestjs/common';
import { ClosableWorkPublisher, createWorkPublisher, InProcessBroker } from '@sne/messaging';
import { AppConfig } from '../config';
import { CoreDeps } from '../core.module';
import { openDatabase } from '../database/open-database';
import { DatabaseAvailability } from '../database/database-availability';
import { TemplateRenderer } from '../templates/template.renderer';

export interface RunningDeps extends CoreDeps {
  publisher: ClosableWorkPublisher;
  close(): Promise<void>;
}

/**
 * The process-wide adapters: one database pool as the runtime role (schema brought up to date
 * by migrations, the role checked: open-database.ts), one broker connection, the templates.
 * The apps of one process share them.
 */
export async function createCoreDeps(
  config: AppConfig,
  options: { broker?: InProcessBroker; applicationName?: string; poolSize?: number } = {},
): Promise<RunningDeps> {
  const dataSource = await openDatabase(config, { applicationName: options.applicationName, poolSize: options.poolSize });
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
