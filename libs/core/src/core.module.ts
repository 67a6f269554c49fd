import { DynamicModule, Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { WORK_PUBLISHER, WorkPublisher } from '@sne/messaging';
import { APP_CONFIG, AppConfig } from './config';
import { CLOCK, Clock, systemClock } from './common/clock';
import { TemplateRenderer } from './templates/template.renderer';
import { SecretBox } from './crypto/secret-box';
import { DatabaseAvailability } from './database/database-availability';

/** The process-wide adapters every app uses; created once per process and shared by the apps in it. */
export interface CoreDeps {
  config: AppConfig;
  dataSource: DataSource;
  publisher: WorkPublisher;
  templates: TemplateRenderer;
  clock?: Clock;
  /** Whether the database answers: one per process, shared by its apps. */
  availability: DatabaseAvailability;
}

@Global()
@Module({})
export class CoreModule {
  static forRoot(deps: CoreDeps): DynamicModule {
    const providers = [
      { provide: APP_CONFIG, useValue: deps.config },
      { provide: DataSource, useValue: deps.dataSource },
      { provide: WORK_PUBLISHER, useValue: deps.publisher },
      { provide: TemplateRenderer, useValue: deps.templates },
      { provide: CLOCK, useValue: deps.clock ?? systemClock },
      { provide: SecretBox, useValue: new SecretBox(deps.config.secretsKey, deps.config.secretsKeyPrevious) },
      { provide: DatabaseAvailability, useValue: deps.availability },
    ];
    return { module: CoreModule, providers, exports: providers.map((p) => p.provide) };
  }
}
