import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Severity } from './notice.entity';

export type Channel = 'email' | 'webhook';
export type SubscriptionStatus = 'active' | 'paused' | 'disabled' | 'deleted';

@Entity('subscriptions')
export class Subscription {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'agency_id' }) agencyId: string;
  @Column('text') name: string;
  @Column('text', { name: 'topic_patterns', array: true }) topicPatterns: string[];
  @Column('text', { name: 'min_severity' }) minSeverity: Severity;
  @Column('text') channel: Channel;
  @Column('text', { name: 'email_addresses', array: true }) emailAddresses: string[];
  @Column({ type: 'text', name: 'webhook_url', nullable: true }) webhookUrl: string | null;
  /** Never selected by default: secrets leave the database only for signing. */
  @Column({ type: 'text', name: 'signing_secret', nullable: true, select: false }) signingSecret: string | null;
  @Column('text') status: SubscriptionStatus;
  @Column({ type: 'text', name: 'disabled_reason', nullable: true }) disabledReason: string | null;
  /** First failed attempt of the current failing streak (cleared by any success). */
  @Column({ type: 'timestamptz', name: 'failing_since', nullable: true }) failingSince: Date | null;
  @Column('int', { name: 'consecutive_dead_letters' }) consecutiveDeadLetters: number;
  @Column({ type: 'timestamptz', name: 'deleted_at', nullable: true }) deletedAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt: Date;
}
