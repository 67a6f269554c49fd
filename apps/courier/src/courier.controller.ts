import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { DeliveryJobMessage, PermanentFailure, ReviewMailMessage, Subjects } from '@sne/messaging';
import { DeliveryService } from './delivery.service';
import { ReviewMailer } from './review-mailer.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Controller()
export class CourierController {
  constructor(
    private readonly deliveries: DeliveryService,
    private readonly reviewMail: ReviewMailer,
  ) {}

  @EventPattern(Subjects.deliveryJobs)
  async onDeliveryJob(@Payload() job: DeliveryJobMessage): Promise<void> {
    if (typeof job?.deliveryId !== 'string' || !UUID.test(job.deliveryId)) throw new PermanentFailure('malformed delivery job');
    await this.deliveries.handle(job.deliveryId, typeof job.endpoint === 'string' ? job.endpoint : undefined);
  }

  @EventPattern(Subjects.reviewMail)
  async onReviewMail(@Payload() msg: ReviewMailMessage): Promise<void> {
    if (typeof msg?.noticeId !== 'string' || !UUID.test(msg.noticeId) || typeof msg.actorId !== 'string' || !UUID.test(msg.actorId)) {
      throw new PermanentFailure('malformed review mail');
    }
    await this.reviewMail.handle(msg);
  }
}
