import type { FieldChange } from '../../notices/notice-diff';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const NOTICE_STATUSES = ['draft', 'in_review', 'published', 'superseded', 'cancelled', 'expired'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];
export const CATEGORIES = ['alert', 'advisory', 'update', 'information'] as const;
export type Category = (typeof CATEGORIES)[number];
/** Most severe first: the index is the rank used for "minimum severity" matching. */
export const SEVERITIES = ['critical', 'high', 'moderate', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Whom a recipient asks about a notice: a person at the issuing agency. */
export interface EnquiriesContact {
  name: string;
  role: string | null;
  email: string;
  phone: string | null;
}

@Entity('notices')
export class Notice {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'text', nullable: true }) reference: string | null;
  @Column('uuid', { name: 'issuing_agency_id' }) issuingAgencyId: string;
  @Column('uuid', { name: 'author_id' }) authorId: string;
  @Column('text') status: NoticeStatus;
  @Column('int') version: number;
  @Column('text', { name: 'content_hash' }) contentHash: string;
  @Column('text') title: string;
  @Column('text') summary: string;
  @Column('text', { name: 'body_markdown' }) bodyMarkdown: string;
  @Column('text', { name: 'body_html' }) bodyHtml: string;
  @Column('text') category: Category;
  @Column('text') severity: Severity;
  @Column('text', { array: true }) topics: string[];
  @Column('text', { name: 'target_jurisdictions', array: true }) targetJurisdictions: string[];
  @Column('text', { name: 'required_actions', array: true }) requiredActions: string[];
  @Column({ type: 'timestamptz', name: 'acknowledge_by', nullable: true }) acknowledgeBy: Date | null;
  @Column({ type: 'timestamptz', name: 'actions_due_by', nullable: true }) actionsDueBy: Date | null;
  @Column({ type: 'timestamptz', name: 'effective_at', nullable: true }) effectiveAt: Date | null;
  @Column({ type: 'timestamptz', name: 'expires_at', nullable: true }) expiresAt: Date | null;
  @Column('uuid', { name: 'reference_ids', array: true }) referenceIds: string[];
  @Column({ type: 'text', name: 'incident_reference', nullable: true }) incidentReference: string | null;
  @Column({ type: 'timestamptz', name: 'submitted_at', nullable: true }) submittedAt: Date | null;
  @Column('text', { name: 'rejection_reasons', array: true, nullable: true }) rejectionReasons: string[] | null;
  @Column({ type: 'uuid', name: 'approved_by', nullable: true }) approvedBy: string | null;
  @Column({ type: 'text', name: 'approved_content_hash', nullable: true }) approvedContentHash: string | null;
  @Column({ type: 'timestamptz', name: 'published_at', nullable: true }) publishedAt: Date | null;
  /** An update names the notice it supersedes once published. */
  @Column({ type: 'uuid', name: 'supersedes_id', nullable: true }) supersedesId: string | null;
  /** A material update needs a fresh acknowledgment from every recipient. */
  @Column('boolean') material: boolean;
  /** An update's readable diff against the notice it supersedes. */
  @Column({ type: 'jsonb', nullable: true }) changes: FieldChange[] | null;
  @Column({ type: 'timestamptz', name: 'cancelled_at', nullable: true }) cancelledAt: Date | null;
  @Column({ type: 'uuid', name: 'cancelled_by', nullable: true }) cancelledBy: string | null;
  @Column({ type: 'text', name: 'cancel_reason', nullable: true }) cancelReason: string | null;
  @Column({ type: 'jsonb', nullable: true }) enquiries: EnquiriesContact | null;
  /** The incident review this notice was drafted from (issue 11), if any. */
  @Column({ type: 'uuid', name: 'source_review_id', nullable: true }) sourceReviewId: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt: Date;
}
