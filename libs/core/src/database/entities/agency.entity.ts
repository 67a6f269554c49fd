import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const JURISDICTION_TYPES = ['state', 'county', 'tribal', 'federal'] as const;
export type JurisdictionType = (typeof JURISDICTION_TYPES)[number];

@Entity('agencies')
export class Agency {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text', { name: 'jurisdiction_type' }) jurisdictionType: JurisdictionType;
  @Column('text', { name: 'jurisdiction_code' }) jurisdictionCode: string;
  @Column('text', { name: 'time_zone' }) timeZone: string;
  @Column('text', { name: 'notices_contact_email' }) noticesContactEmail: string;
  @Column('text', { name: 'escalation_contacts', array: true }) escalationContacts: string[];
  @Column('text', { name: 'fallback_contacts', array: true }) fallbackContacts: string[];
  /** Set when the agency left the partnership: its people and keys stop working; its records stay. */
  @Column({ type: 'timestamptz', name: 'offboarded_at', nullable: true }) offboardedAt: Date | null;
  @Column({ type: 'uuid', name: 'offboarded_by', nullable: true }) offboardedBy: string | null;
  @Column({ type: 'text', name: 'offboard_reason', nullable: true }) offboardReason: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt: Date;
}
