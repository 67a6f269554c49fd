import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One answer to one required action; answers are never overwritten, the latest counts. */
@Entity('action_responses')
export class ActionResponse {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('uuid', { name: 'acknowledgment_id' }) acknowledgmentId: string;
  @Column('int', { name: 'action_index' }) actionIndex: number;
  @Column('text') response: 'done' | 'not_applicable' | 'underway';
  @Column({ type: 'text', nullable: true }) note: string | null;
  @Column('text', { name: 'responded_by_name' }) respondedByName: string;
  @Column({ type: 'text', name: 'responded_by_email', nullable: true }) respondedByEmail: string | null;
  @Column({ type: 'uuid', name: 'responded_by_user_id', nullable: true }) respondedByUserId: string | null;
  @Column('text') channel: 'email_link' | 'api';
  /** The colleague the action is assigned to, and the agency's own due time for it. */
  @Column({ type: 'uuid', name: 'assignee_user_id', nullable: true }) assigneeUserId: string | null;
  @Column({ type: 'timestamptz', name: 'due_at', nullable: true }) dueAt: Date | null;
  @Column({ type: 'timestamptz' }) at: Date;
}
