import { Column, CreateDateColumn, Entity, Generated, PrimaryGeneratedColumn } from 'typeorm';

/** Written in the same transaction as the state change it announces; the relay publishes it. */
@Entity('outbox')
export class OutboxMessage {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('bigint') @Generated('increment') seq: string;
  @Column('text') subject: string;
  @Column('jsonb') payload: unknown;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
  @Column({ type: 'timestamptz', name: 'sent_at', nullable: true }) sentAt: Date | null;
}
