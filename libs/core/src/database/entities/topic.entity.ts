import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('topics')
export class Topic {
  @PrimaryColumn('text') key: string;
  @Column('text') title: string;
  @Column('text') description: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
}
