import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Channel } from './subscription.entity';

export const DELIVERY_STATUSES = ['pending', 'sending', 'delivered', 'retrying', 'failed', 'held', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export type EventType =
  | 'notice.published'
  | 'notice.updated'
  | 'notice.cancelled'
  | 'notice.reminder'
  | 'notice.escalation'
  | 'subscription.test'
  | 'subscription.disabled';

export const FALLBACK_REASONS = ['webhook_failed', 'subscription_paused', 'subscription_disabled', 'subscription_deleted'] as const;
export type FallbackReason = (typeof FALLBACK_REASONS)[number];

@Entity('deliveries')
export class Delivery {
  /** Also the webhook-id header: the receiver's idempotency key, the same on every retry. */
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid', name: 'notice_id', nullable: true }) noticeId: string | null;
  @Column({ type: 'uuid', name: 'subscription_id', nullable: true }) subscriptionId: string | null;
  @Column('uuid', { name: 'agency_id' }) agencyId: string;
  @Column({ type: 'uuid', name: 'acknowledgment_id', nullable: true }) acknowledgmentId: string | null;
  @Column('text', { name: 'event_type' }) eventType: EventType;
  @Column('text') channel: Channel;
  /** Which reminder or escalation rung this is (0 for everything else). */
  @Column('int') sequence: number;
  @Column('boolean') mandatory: boolean;
  /** The email sent to the agency's fallback contacts when its webhook delivery dead-lettered. */
  @Column('boolean') fallback: boolean;
  /** Why the fallback email was sent: a dead letter, or the subscription paused, disabled or deleted. */
  @Column({ type: 'text', name: 'fallback_reason', nullable: true }) fallbackReason: FallbackReason | null;
  /** A reminder or resend a person asked for: their note, and who they are (its sequence is negative). */
  @Column({ type: 'text', nullable: true }) note: string | null;
  @Column({ type: 'uuid', name: 'requested_by', nullable: true }) requestedBy: string | null;
  /** A reminder, resend or escalation (and its fallback): the record's status it was asked for; once the record moves on it is skipped. */
  @Column({ type: 'text', name: 'for_ack_status', nullable: true }) forAckStatus: string | null;
  @Column('text', { array: true }) recipients: string[];
  @Column({ type: 'text', name: 'target_url', nullable: true }) targetUrl: string | null;
  @Column('text') status: DeliveryStatus;
  @Column('int', { name: 'attempt_count' }) attemptCount: number;
  @Column('int', { name: 'schedule_start' }) scheduleStart: number;
  @Column({ type: 'timestamptz', name: 'next_attempt_at' }) nextAttemptAt: Date;
  @Column({ type: 'timestamptz', name: 'lease_until', nullable: true }) leaseUntil: Date | null;
  @Column('text', { name: 'delivered_recipients', array: true }) deliveredRecipients: string[];
  @Column({ type: 'text', name: 'last_error', nullable: true }) lastError: string | null;
  @Column({ type: 'timestamptz', name: 'delivered_at', nullable: true }) deliveredAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt: Date;
}
