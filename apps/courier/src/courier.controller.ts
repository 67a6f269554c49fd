import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { DeliveryJobMessage, MAX_DELIVERIES_PER_JOB, PermanentFailure, ReviewMailMessage, Subjects } from '@sne/messaging';
import { DeliveryService } from './delivery.service';
import { ReviewMailer } from './review-mailer.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

@Controller()
export class CourierController {
  constructor(
    private readonly deliveries: DeliveryService,
    private readonly reviewMail: ReviewMailer,
  ) {}

  @EventPattern(Subjects.deliveryJobs)
  async onDeliveryJob(@Payload() job: DeliveryJobMessage): Promise<void> {
    const endpoint = typeof job?.endpoint === 'string' ? job.endpoint : undefined;
    if (Array.isArray(job?.deliveryIds)) {
      const ids = job.deliveryIds;
      if (ids.length === 0 || ids.length > MAX_DELIVERIES_PER_JOB || !ids.every(isUuid)) throw new PermanentFailure('malformed delivery job');
      if (job.endpoints !== undefined) {
        const endpoints = job.endpoints;
        if (!Array.isArray(endpoints) || endpoints.length !== ids.length || !endpoints.every((e) => e === null || typeof e === 'string')) {
          throw new PermanentFailure('malformed delivery job');
        }
        return this.deliveries.handleEach(ids, endpoints);
      }
      return this.deliveries.handleMany(ids, endpoint);
    }
    if (!isUuid(job?.deliveryId)) throw new PermanentFailure('malformed delivery job');
    await this.deliveries.handle(job.deliveryId, endpoint);
  }

  @EventPattern(Subjects.reviewMail)
  async onReviewMail(@Payload() msg: ReviewMailMessage): Promise<void> {
    if (!isUuid(msg?.noticeId) || !isUuid(msg.actorId)) {
      throw new PermanentFailure('malformed review mail');
    }
    await this.reviewMail.handle(msg);
  }
}
