import { DynamicModule, Inject, Injectable, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, CoreDeps, CoreModule, DatabaseAvailability, DatabaseOutageInterceptor, HealthModule, OutboxRelay } from '@sne/core';
import { WORK_PUBLISHER, WorkConsumers, WorkPublisher } from '@sne/messaging';
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
    availability: DatabaseAvailability,
    private readonly sweeper: DeliverySweeper,
    private readonly reminders: ReminderScheduler,
    private readonly sealer: AuditSealerService,
  ) {
    this.relay = new OutboxRelay(db, publisher, config.databaseUrl!, availability);
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
  /** `consumers`: the transport, for readiness. */
  static with(deps: CoreDeps, consumers?: WorkConsumers): DynamicModule {
    return {
      module: DispatcherModule,
      imports: [CoreModule.forRoot(deps), HealthModule.forRoot(consumers)],
      controllers: [DispatcherController],
      providers: [
        FanOutService,
        DeliverySweeper,
        ReminderScheduler,
        AuditSealerService,
        DispatcherLifecycle,
        { provide: APP_INTERCEPTOR, useClass: DatabaseOutageInterceptor },
      ],
    };
  }
}
