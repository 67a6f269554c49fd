import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type ActorType = 'user' | 'system' | 'recipient';

@Entity('audit_events')
export class AuditEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column({ type: 'timestamptz' }) at: Date;
  @Column('text', { name: 'actor_type' }) actorType: ActorType;
  @Column({ type: 'text', name: 'actor_id', nullable: true }) actorId: string | null;
  @Column({ type: 'uuid', name: 'agency_id', nullable: true }) agencyId: string | null;
  @Column('text') action: string;
  @Column('text', { name: 'entity_type' }) entityType: string;
  @Column('text', { name: 'entity_id' }) entityId: string;
  @Column({ type: 'jsonb', nullable: true }) before: unknown;
  @Column({ type: 'jsonb', nullable: true }) after: unknown;
}
