import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('topics')
export class Topic {
  @PrimaryColumn('text') key: string;
  @Column('text') title: string;
  @Column('text') description: string;
  /** A retired topic cannot be put on new notices; subscriptions keep matching it (they match on the key). */
  @Column({ type: 'timestamptz', name: 'retired_at', nullable: true }) retiredAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
}
