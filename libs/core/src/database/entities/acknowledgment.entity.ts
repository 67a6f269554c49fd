import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const ACK_STATUSES = ['pending', 'acknowledged', 'action_completed', 'action_not_required', 'superseded', 'cancelled'] as const;
export type AckStatus = (typeof ACK_STATUSES)[number];
export type AckChannel = 'email_link' | 'api';

@Entity('acknowledgments')
export class Acknowledgment {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'notice_id' }) noticeId: string;
  @Column('uuid', { name: 'agency_id' }) agencyId: string;
  @Column('text') status: AckStatus;
  @Column({ type: 'timestamptz', name: 'due_at', nullable: true }) dueAt: Date | null;
  @Column({ type: 'timestamptz', name: 'acknowledged_at', nullable: true }) acknowledgedAt: Date | null;
  @Column({ type: 'text', name: 'acknowledged_by_name', nullable: true }) acknowledgedByName: string | null;
  @Column({ type: 'text', name: 'acknowledged_by_email', nullable: true }) acknowledgedByEmail: string | null;
  @Column({ type: 'uuid', name: 'acknowledged_by_user_id', nullable: true }) acknowledgedByUserId: string | null;
  @Column({ type: 'text', nullable: true }) channel: AckChannel | null;
  @Column({ type: 'boolean', nullable: true }) late: boolean | null;
  @Column({ type: 'timestamptz', name: 'actions_due_at', nullable: true }) actionsDueAt: Date | null;
  @Column({ type: 'timestamptz', name: 'actions_completed_at', nullable: true }) actionsCompletedAt: Date | null;
  @Column({ type: 'boolean', name: 'actions_late', nullable: true }) actionsLate: boolean | null;
  @Column({ type: 'timestamptz', name: 'closed_at', nullable: true }) closedAt: Date | null;
  @Column({ type: 'text', name: 'closed_reason', nullable: true }) closedReason: string | null;
  /** Reminders and escalation rungs sent so far; the scheduler's state lives here, not in timers. */
  @Column('int', { name: 'reminder_stage' }) reminderStage: number;
  @Column({ type: 'timestamptz', name: 'next_reminder_at', nullable: true }) nextReminderAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
}
