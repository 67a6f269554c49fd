import { ApiProperty } from '@nestjs/swagger';
import { DELIVERY_STATUSES, FALLBACK_REASONS } from '@sne/core';
import { ApiDateTime } from '../common/api-docs';

export class DeliveryAttemptResponse {
  @ApiProperty() attemptNumber: number;
  @ApiProperty({ type: String, nullable: true, description: 'The address (email) or URL (webhook), masked as `target` is' }) recipient: string | null;
  @ApiDateTime() startedAt: string;
  @ApiProperty({ type: Number, nullable: true }) durationMs: number | null;
  @ApiProperty() succeeded: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'The HTTP status, for a webhook' }) statusCode: number | null;
  @ApiProperty({ type: String, nullable: true, description: "The SMTP server's reply, for email" }) smtpResponse: string | null;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
}

/** One delivery of one message on one channel, with every attempt. */
export class DeliveryResponse {
  @ApiProperty({ format: 'uuid', description: 'Also the webhook-id header: the same on every retry' }) id: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null for a subscription.test' }) noticeId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null for mandatory and fallback email to agency contacts' }) subscriptionId: string | null;
  @ApiProperty({ format: 'uuid' }) agencyId: string;
  @ApiProperty({ example: 'notice.published', description: 'notice.published, notice.updated, notice.cancelled, notice.reminder, notice.escalation, subscription.test or subscription.disabled' }) eventType: string;
  @ApiProperty({ enum: ['email', 'webhook'] }) channel: string;
  @ApiProperty({ description: "A critical notice to an agency's notices contact (no matching subscription)" }) mandatory: boolean;
  @ApiProperty({ description: "Email to the agency's fallback contacts, when a subscription could not carry the message" }) fallback: boolean;
  @ApiProperty({ enum: FALLBACK_REASONS, nullable: true, description: 'Why the fallback was sent: a dead letter, or the subscription paused, disabled or deleted' }) fallbackReason: string | null;
  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    description:
      "The webhook URL, or the email addresses. Whole for the recipient agency; anyone else (the issuer, partnership admins) gets the webhook's origin and a subscription's addresses as ***@domain (the agency's contacts stay whole), and URLs and addresses in lastError, error and smtpResponse the same way",
  })
  target: string | string[];
  @ApiProperty({ enum: DELIVERY_STATUSES, description: 'held: waiting for a paused or disabled subscription, sent when it is resumed. skipped: a reminder, resend or escalation (or its fallback copy) not sent because the record moved on or the notice is no longer published; lastError says why' }) status: string;
  @ApiProperty() attemptCount: number;
  @ApiDateTime({ nullable: true, required: false, description: 'When the next attempt is due (pending and retrying deliveries)' }) nextAttemptAt?: string | null;
  @ApiDateTime({ nullable: true }) deliveredAt: string | null;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty({ type: [DeliveryAttemptResponse] }) attempts: DeliveryAttemptResponse[];
  @ApiDateTime() createdAt: string;
}

export class DeliveryListResponse {
  @ApiProperty({ type: [DeliveryResponse] }) items: DeliveryResponse[];
}

export class DeliveryRetryResponse {
  @ApiProperty({ format: 'uuid' }) deliveryId: string;
  @ApiProperty({ enum: ['pending'] }) status: string;
}
