import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('delivery_attempts')
export class DeliveryAttempt {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('uuid', { name: 'delivery_id' }) deliveryId: string;
  @Column('int', { name: 'attempt_number' }) attemptNumber: number;
  @Column({ type: 'text', nullable: true }) recipient: string | null;
  @Column({ type: 'timestamptz', name: 'started_at' }) startedAt: Date;
  @Column('int', { name: 'duration_ms' }) durationMs: number;
  @Column('boolean') succeeded: boolean;
  @Column({ type: 'int', name: 'status_code', nullable: true }) statusCode: number | null;
  @Column({ type: 'text', name: 'smtp_response', nullable: true }) smtpResponse: string | null;
  @Column({ type: 'text', nullable: true }) error: string | null;
}
