import { DynamicModule, Module } from '@nestjs/common';
import { CoreDeps, CoreModule, DevMailbox } from '@sne/core';
import { CourierController } from './courier.controller';
import { DeliveryRepository } from './delivery.repository';
import { DeliveryService } from './delivery.service';
import { EMAIL_SENDER } from './email-sender.token';
import { createEmailSender } from './email.sender';
import { NoticeContentCache } from './notice-content.cache';
import { WebhookSender } from './webhook.sender';

@Module({})
export class CourierModule {
  static with(deps: CoreDeps): DynamicModule {
    const { config } = deps;
    return {
      module: CourierModule,
      imports: [CoreModule.forRoot(deps)],
      controllers: [CourierController],
      providers: [
        DeliveryRepository,
        NoticeContentCache,
        DeliveryService,
        { provide: WebhookSender, useFactory: () => new WebhookSender({ timeoutMs: config.webhookTimeoutMs, connectionsPerOrigin: config.endpointConcurrency, allow: config.webhookAllowedNetworks }) },
        {
          provide: EMAIL_SENDER,
          useFactory: () =>
            createEmailSender({ smtpUrl: config.smtpUrl, from: config.mailFrom }, new DevMailbox(deps.dataSource)),
        },
      ],
    };
  }
}
