import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { DeliveryJobMessage, PermanentFailure, Subjects } from '@sne/messaging';
import { DeliveryService } from './delivery.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Controller()
export class CourierController {
  constructor(private readonly deliveries: DeliveryService) {}

  @EventPattern(Subjects.deliveryJobs)
  async onDeliveryJob(@Payload() job: DeliveryJobMessage): Promise<void> {
    if (typeof job?.deliveryId !== 'string' || !UUID.test(job.deliveryId)) throw new PermanentFailure('malformed delivery job');
    await this.deliveries.handle(job.deliveryId, typeof job.endpoint === 'string' ? job.endpoint : undefined);
  }
}
