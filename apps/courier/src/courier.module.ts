import { DynamicModule, Logger, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CoreDeps, CoreModule, DatabaseOutageInterceptor, DevMailbox, HealthModule, NoticeEmailRenderer, TemplateRenderer } from '@sne/core';
import { WorkConsumers } from '@sne/messaging';
import { CourierController } from './courier.controller';
import { DeliveryRepository } from './delivery.repository';
import { DeliveryService } from './delivery.service';
import { EMAIL_SENDER } from './email-sender.token';
import { createEmailSender } from './email.sender';
import { NoticeContentCache } from './notice-content.cache';
import { ReviewMailer } from './review-mailer.service';
import { UnsendableDeliveries } from './unsendable';
import { WebhookSender } from './webhook.sender';

@Module({})
export class CourierModule {
  /** `consumers`: the transport, for readiness. */
  static with(deps: CoreDeps, consumers?: WorkConsumers): DynamicModule {
    const { config } = deps;
    return {
      module: CourierModule,
      imports: [CoreModule.forRoot(deps), HealthModule.forRoot(consumers)],
      controllers: [CourierController],
      providers: [
        { provide: APP_INTERCEPTOR, useClass: DatabaseOutageInterceptor },
        DeliveryRepository,
        NoticeContentCache,
        DeliveryService,
        UnsendableDeliveries,
        ReviewMailer,
        {
          provide: NoticeEmailRenderer,
          useFactory: (templates: TemplateRenderer) => new NoticeEmailRenderer(templates, (message) => new Logger(NoticeEmailRenderer.name).warn(message)),
          inject: [TemplateRenderer],
        },
        { provide: WebhookSender, useFactory: () => new WebhookSender({ timeoutMs: config.webhookTimeoutMs, connectionsPerOrigin: config.endpointConcurrency, allow: config.webhookAllowedNetworks }) },
        {
          provide: EMAIL_SENDER,
          useFactory: () =>
            createEmailSender({ smtpUrl: config.smtpUrl, from: config.mailFrom, maxConnections: config.smtpMaxConnections, production: config.env === 'production' }, new DevMailbox(deps.dataSource)),
        },
      ],
    };
  }
}
