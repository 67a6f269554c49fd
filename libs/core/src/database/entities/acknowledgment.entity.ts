import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type AckStatus = 'pending' | 'acknowledged';
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
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
}
