import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const ROLES = ['admin', 'agency_admin', 'author', 'approver', 'supervisor', 'reviewer', 'review_lead', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'agency_id' }) agencyId: string;
  @Column('text') email: string;
  @Column('text') name: string;
  @Column('text', { array: true }) roles: Role[];
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
  @Column({ type: 'timestamptz', name: 'disabled_at', nullable: true }) disabledAt: Date | null;
  /** A person signs in; a service account (an agency's system) only has API keys. */
  @Column('text') kind: 'person' | 'service';
  /** Emailed when a notice awaits their review, or their own is approved or rejected (on by default). */
  @Column('boolean', { name: 'review_emails' }) reviewEmails: boolean;
  @Column({ type: 'text', name: 'password_hash', nullable: true, select: false }) passwordHash: string | null;
  @Column('int', { name: 'failed_logins', select: false }) failedLogins: number;
  @Column({ type: 'timestamptz', name: 'locked_until', nullable: true, select: false }) lockedUntil: Date | null;
}
