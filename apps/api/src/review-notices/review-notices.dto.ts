import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import { NOTICE_STATUSES, NoticeStatus, SEVERITIES, Severity } from '@sne/core';

const TOPIC_KEY = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)*$/;

export class NoticeDraftFromReviewDto {
  @ApiPropertyOptional({ type: [String], description: "Topic keys from the catalogue; default: the catalogue's topics that fit the incident's circumstances (422 when none does)" })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @IsString({ each: true }) @Matches(TOPIC_KEY, { each: true, message: 'each topic must be a topic key like safe-sleep' })
  topics?: string[];

  @ApiPropertyOptional({ enum: SEVERITIES, default: 'high' })
  @IsOptional() @IsIn(SEVERITIES)
  severity?: Severity;

  @ApiPropertyOptional({ type: [String], description: 'The recommendations that become required actions, by id; default: every recommendation not marked not adopted, in order' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @IsUUID('all', { each: true })
  recommendationIds?: string[];
}

/** Counts of recipient agencies' records by the state of one required action. */
export class ActionCounts {
  @ApiProperty({ type: Number, nullable: true, description: 'Answered done' }) done: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Marked underway, not yet due' }) underway: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'No answer yet, not yet due (includes agencies that have not acknowledged)' }) notYet: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Past its due time without a done or not-applicable answer' }) overdue: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Answered not applicable, with a reason' }) notApplicable: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Recipient records counted (open or answered; superseded and cancelled records are left out)' }) total: number | null;
}

export class ReviewNoticeAction extends ActionCounts {
  @ApiProperty({ description: 'Index of the required action in the notice (0-based)' }) index: number;
  @ApiProperty() text: string;
  @ApiProperty({ type: String, nullable: true, description: 'The recommendation this action came from' }) recommendationId: string | null;
  @ApiProperty({ type: Number, nullable: true, description: "The recommendation's number in the review" }) recommendationPosition: number | null;
}

export class ReviewNoticeFigures {
  @ApiProperty() noticeId: string;
  @ApiProperty({ type: String, nullable: true }) reference: string | null;
  @ApiProperty() title: string;
  @ApiProperty({ enum: NOTICE_STATUSES }) status: NoticeStatus;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) publishedAt: string | null;
  @ApiProperty({ description: 'Recipient agencies (records)' }) recipients: number;
  @ApiProperty({ description: 'Recipient agencies that acknowledged' }) acknowledged: number;
  @ApiProperty({ type: Number, nullable: true, description: 'acknowledged / recipients (null before any recipient)' }) acknowledgmentRate: number | null;
  @ApiProperty({ description: 'Records with every required action answered (done or not applicable)' }) actionsComplete: number;
  @ApiProperty({ description: 'Records whose actions are past their due time, not all answered' }) actionsOverdue: number;
  @ApiProperty({ type: Number, nullable: true, description: 'actionsComplete / recipients (null before any recipient, or for a notice without actions)' }) actionCompletionRate: number | null;
  @ApiProperty({ type: [ReviewNoticeAction] }) actions: ReviewNoticeAction[];
}

export class ReviewNoticesResponse {
  @ApiProperty() reviewId: string;
  @ApiProperty({ example: 'R-2026-0007' }) reference: string;
  @ApiProperty({ type: [ReviewNoticeFigures], description: "Every notice drafted from the review, oldest first; figures over every recipient (the issuing agency sees each recipient's record in its notice reports, so nothing is suppressed here)" })
  items: ReviewNoticeFigures[];
}

export class FollowThroughRow extends ActionCounts {
  @ApiProperty() noticeId: string;
  @ApiProperty({ type: String, nullable: true }) reference: string | null;
  @ApiProperty() title: string;
  @ApiProperty({ description: 'The issuing agency' }) issuer: string;
  @ApiProperty({ example: 'R-2026-0007', description: "The review's de-identified reference" }) reviewReference: string;
  @ApiProperty({ description: "The recommendation's number in its review" }) recommendationPosition: number;
  @ApiProperty({ description: 'Index of the required action in the notice (0-based)' }) actionIndex: number;
  @ApiProperty() action: string;
}

export class FollowThroughReport {
  @ApiProperty({ description: 'Smallest count published (SUPPRESSION_MIN_CELL)' }) k: number;
  @ApiProperty({ type: String, format: 'date-time' }) asOf: string;
  @ApiProperty({ description: "Agencies whose data-sharing agreement in force covers 'incidents': only their records are counted" }) contributingAgencies: number;
  @ApiProperty({ description: 'Counts published as null: fewer than k records, or a complement that would give one back' }) suppressedCells: number;
  @ApiProperty({ type: [FollowThroughRow], description: 'One row per required action that came from a recommendation, on published notices' }) items: FollowThroughRow[];
  @ApiProperty({ type: ActionCounts, description: 'Sums over every row (suppressed as one table with the rows)' }) totals: ActionCounts;
}
