import { DynamicModule, Inject, Injectable, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, CoreDeps, CoreModule, OutboxRelay } from '@sne/core';
import { WORK_PUBLISHER, WorkPublisher } from '@sne/messaging';
import { AuditSealerService } from './audit-sealer.service';
import { DeliverySweeper } from './delivery-sweeper.service';
import { DispatcherController } from './dispatcher.controller';
import { FanOutService } from './fan-out.service';
import { ReminderScheduler } from './reminder-scheduler.service';

/** Runs the outbox relay and the sweeper alongside the message handlers. */
@Injectable()
class DispatcherLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly relay: OutboxRelay;

  constructor(
    db: DataSource,
    @Inject(WORK_PUBLISHER) publisher: WorkPublisher,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly sweeper: DeliverySweeper,
    private readonly reminders: ReminderScheduler,
    private readonly sealer: AuditSealerService,
  ) {
    this.relay = new OutboxRelay(db, publisher, config.databaseUrl!);
  }

  async onApplicationBootstrap() {
    await this.relay.start();
    this.sweeper.start();
    this.reminders.start();
    this.sealer.start();
  }

  async onApplicationShutdown() {
    this.sweeper.stop();
    this.reminders.stop();
    await this.sealer.stop();
    await this.relay.stop();
  }
}

@Module({})
export class DispatcherModule {
  static with(deps: CoreDeps): DynamicModule {
    return {
      module: DispatcherModule,
      imports: [CoreModule.forRoot(deps)],
      controllers: [DispatcherController],
      providers: [FanOutService, DeliverySweeper, ReminderScheduler, AuditSealerService, DispatcherLifecycle],
    };
  }
}
