import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { ACK_STATUSES, AckStatus } from '@sne/core';
import { IncludeOffboarded } from '../common/include-offboarded';
import { REPORT_FORMATS, ReportFormat } from './report-format';

export class ReportFormatQuery {
  @ApiPropertyOptional({ enum: REPORT_FORMATS, description: 'csv, or send `Accept: text/csv`; JSON otherwise' })
  @IsOptional() @IsIn(REPORT_FORMATS)
  format?: ReportFormat;
}

export class OverdueQuery extends ReportFormatQuery {
  @IncludeOffboarded() includeOffboarded?: boolean;
}

export class AgencyNoticesQuery extends ReportFormatQuery {
  @ApiPropertyOptional({ enum: ACK_STATUSES, description: "Only the agency's records in this state" })
  @IsOptional() @IsIn(ACK_STATUSES)
  status?: AckStatus;
}

export const GROUP_BY = ['agency', 'jurisdictionType'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

/** A date, or a date and time with its zone (Z or ±hh:mm): never a time left to the server's zone. */
const ZONED = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export class ResponseTimesQuery extends ReportFormatQuery {
  @ApiProperty({ format: 'date-time', description: 'Notices published at or after this time', example: '2026-01-01T00:00:00Z' })
  @IsISO8601({ strict: true }) @Matches(ZONED, { message: 'from must be a date or a date-time with a zone (Z or ±hh:mm)' })
  from: string;

  @ApiProperty({ format: 'date-time', description: 'Notices published before this time (at most 2 years after from)', example: '2027-01-01T00:00:00Z' })
  @IsISO8601({ strict: true }) @Matches(ZONED, { message: 'to must be a date or a date-time with a zone (Z or ±hh:mm)' })
  to: string;

  @ApiPropertyOptional({ enum: GROUP_BY, default: 'agency' })
  @IsOptional() @IsIn(GROUP_BY)
  groupBy?: GroupBy;

  @IncludeOffboarded() includeOffboarded?: boolean;
}

export class TimingStats {
  @ApiProperty({ description: 'Records measured' }) count: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Median, seconds after publication (percentile_cont 0.5)' }) medianSeconds: number | null;
  @ApiProperty({ nullable: true, type: Number, description: '90th percentile, seconds (percentile_cont 0.9)' }) p90Seconds: number | null;
}

export class ReportAgency {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['state', 'county', 'tribal', 'federal'] }) jurisdictionType: string;
  @ApiProperty() jurisdictionCode: string;
  @ApiProperty({ example: 'America/New_York' }) timeZone: string;
  @ApiProperty({ description: 'The agency has left the partnership (its records stay)' }) offboarded: boolean;
}

export const ACTIONS_STATUSES = ['none', 'open', 'overdue', 'completed', 'not_required', 'closed'] as const;

/**
 * How far the notice got to the agency, over its messages about this notice (not reminders):
 * delivered (by at least one channel), in_progress (being sent or retried), held (only waiting
 * for a paused or disabled subscription), failed (every channel dead-lettered), none.
 */
export const REACH_STATUSES = ['delivered', 'in_progress', 'held', 'failed', 'none'] as const;

export class AcknowledgedBy {
  @ApiProperty({ nullable: true, type: String, description: 'The name given when acknowledging' }) name: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The address of the email link used (email_link), or of the API key owner (api)' }) email: string | null;
  @ApiProperty({ enum: ['email_link', 'api'] }) channel: string;
}

/** Who acknowledged and how the notice reached the agency: the columns a case file needs. */
class RecordReach {
  @ApiProperty({ nullable: true, type: AcknowledgedBy }) acknowledgedBy: AcknowledgedBy | null;
  @ApiProperty({ enum: REACH_STATUSES }) reach: string;
  @ApiProperty({ description: 'A message is held for a paused or disabled subscription of the agency' }) held: boolean;
}

export class NoticeReportRow extends RecordReach {
  @ApiProperty({ type: ReportAgency }) agency: ReportAgency;
  @ApiProperty() acknowledgmentId: string;
  @ApiProperty({ enum: ACK_STATUSES }) status: AckStatus;
  @ApiProperty({ description: 'Pending past its due time' }) overdue: boolean;
  @ApiProperty({ nullable: true, type: String }) dueAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: "Due time in the agency's time zone", example: 'Dec 1, 2026, 9:00 AM EST' }) dueAtLocal: string | null;
  @ApiProperty({ nullable: true, type: String }) acknowledgedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) acknowledgedAtLocal: string | null;
  @ApiProperty({ nullable: true, type: Boolean }) late: boolean | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Seconds past the due time when acknowledged (0 when on time)' }) lateSeconds: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Seconds from publication to acknowledgment' }) secondsToAcknowledge: number | null;
  @ApiProperty({ enum: ACTIONS_STATUSES }) actionsStatus: string;
  @ApiProperty({ nullable: true, type: String }) actionsDueAt: string | null;
  @ApiProperty({ nullable: true, type: String }) actionsDueAtLocal: string | null;
  @ApiProperty({ nullable: true, type: String }) actionsCompletedAt: string | null;
  @ApiProperty({ nullable: true, type: Boolean }) actionsLate: boolean | null;
  @ApiProperty({ nullable: true, type: String }) closedAt: string | null;
}

export class NoticeReportCounts {
  @ApiProperty() recipients: number;
  @ApiProperty() pending: number;
  @ApiProperty({ description: 'Pending past due (a subset of pending)' }) overdue: number;
  @ApiProperty() acknowledged: number;
  @ApiProperty() action_completed: number;
  @ApiProperty() action_not_required: number;
  @ApiProperty() superseded: number;
  @ApiProperty() cancelled: number;
  @ApiProperty({ description: 'Recipients with a message held for a paused or disabled subscription' }) held: number;
  @ApiProperty({ description: 'Recipients the notice has not reached yet by any channel (reach is not delivered)' }) notReached: number;
}

export class NoticeReport {
  @ApiProperty() noticeId: string;
  @ApiProperty({ nullable: true, type: String }) reference: string | null;
  @ApiProperty() title: string;
  @ApiProperty() severity: string;
  @ApiProperty() category: string;
  @ApiProperty() status: string;
  @ApiProperty({ nullable: true, type: String }) publishedAt: string | null;
  @ApiProperty({ enum: ['all', 'own'], description: "all: the issuer's or an admin's view; own: your agency's row only" }) scope: 'all' | 'own';
  @ApiProperty({ type: NoticeReportCounts }) counts: NoticeReportCounts;
  @ApiProperty({ type: TimingStats }) timeToAcknowledge: TimingStats;
  @ApiProperty({ type: [NoticeReportRow] }) items: NoticeReportRow[];
}

export class AgencyNoticeRow extends RecordReach {
  @ApiProperty() noticeId: string;
  @ApiProperty({ nullable: true, type: String }) reference: string | null;
  @ApiProperty() title: string;
  @ApiProperty() severity: string;
  @ApiProperty() category: string;
  @ApiProperty() noticeStatus: string;
  @ApiProperty({ nullable: true, type: String }) publishedAt: string | null;
  @ApiProperty() acknowledgmentId: string;
  @ApiProperty({ enum: ACK_STATUSES }) status: AckStatus;
  @ApiProperty() overdue: boolean;
  @ApiProperty({ nullable: true, type: String }) dueAt: string | null;
  @ApiProperty({ nullable: true, type: String }) dueAtLocal: string | null;
  @ApiProperty({ nullable: true, type: String }) acknowledgedAt: string | null;
  @ApiProperty({ nullable: true, type: Boolean }) late: boolean | null;
  @ApiProperty({ nullable: true, type: Number }) lateSeconds: number | null;
  @ApiProperty({ enum: ACTIONS_STATUSES }) actionsStatus: string;
  @ApiProperty({ nullable: true, type: String }) actionsDueAt: string | null;
  @ApiProperty({ nullable: true, type: String }) actionsDueAtLocal: string | null;
  @ApiProperty({ nullable: true, type: String }) actionsCompletedAt: string | null;
  @ApiProperty({ nullable: true, type: Boolean }) actionsLate: boolean | null;
}

export class AgencyNoticesReport {
  @ApiProperty({ type: ReportAgency }) agency: ReportAgency;
  @ApiProperty({ type: [AgencyNoticeRow] }) items: AgencyNoticeRow[];
}

export class OverdueLine {
  @ApiProperty({ type: ReportAgency }) agency: ReportAgency;
  @ApiProperty({ description: 'Notices with an overdue record (acknowledgment or actions)' }) overdueNotices: number;
  @ApiProperty({ description: 'Pending past the acknowledgment due time' }) overdueAcknowledgments: number;
  @ApiProperty({ description: 'Acknowledged, actions past their due time' }) overdueActions: number;
  @ApiProperty() oldestDueAt: string;
  @ApiProperty() oldestDueAtLocal: string;
  @ApiProperty({ type: [String], description: 'References, oldest due first' }) references: string[];
}

export class OverdueReport {
  @ApiProperty() asOf: string;
  @ApiProperty({ type: [OverdueLine] }) items: OverdueLine[];
}

export class ResponseTimesRow {
  @ApiPropertyOptional({ type: ReportAgency }) agency?: Omit<ReportAgency, 'timeZone'>;
  @ApiPropertyOptional() jurisdictionType?: string;
  @ApiPropertyOptional({ description: 'Agencies in the group (groupBy=jurisdictionType)' }) agencies?: number;
  @ApiProperty({ description: 'Records: one per notice received per agency' }) received: number;
  @ApiProperty() acknowledged: number;
  @ApiProperty({ description: 'Acknowledged after the due time' }) late: number;
  @ApiProperty({ description: 'Still pending past the due time' }) overdue: number;
  @ApiProperty({ type: TimingStats }) timeToAcknowledge: TimingStats;
  @ApiProperty({ type: TimingStats }) timeToCompleteActions: TimingStats;
  @ApiProperty({ description: 'Actions completed after their due time' }) actionsLate: number;
}

export class ResponseTimesReport {
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ enum: GROUP_BY }) groupBy: GroupBy;
  @ApiProperty({ type: [ResponseTimesRow] }) items: ResponseTimesRow[];
}
