import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ReportFormatQuery } from '../reports/reports.dto';

export const BENCHMARK_TABLES = ['agencies', 'distribution', 'jurisdiction'] as const;
export const COMPARISON_TABLES = ['agencies', 'correlations', 'overall'] as const;

export class BenchmarkQuery extends ReportFormatQuery {
  @ApiPropertyOptional({ enum: BENCHMARK_TABLES, default: 'agencies', description: 'Which table the CSV carries' })
  @IsOptional() @IsIn(BENCHMARK_TABLES)
  table?: (typeof BENCHMARK_TABLES)[number];
}

export class ComparisonQuery extends ReportFormatQuery {
  @ApiPropertyOptional({ enum: COMPARISON_TABLES, default: 'agencies', description: 'Which table the CSV carries' })
  @IsOptional() @IsIn(COMPARISON_TABLES)
  table?: (typeof COMPARISON_TABLES)[number];
}

export class CultureAgencyRef {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['state', 'county', 'tribal', 'federal'] }) jurisdictionType: string;
}

export class AgencyDomainRowDto {
  @ApiProperty({ type: CultureAgencyRef }) agency: CultureAgencyRef;
  @ApiProperty({ nullable: true, type: String, description: 'The latest closed wave' }) wave: string | null;
  @ApiProperty({ nullable: true, type: Number }) responses: number | null;
  @ApiProperty() domainId: string;
  @ApiProperty() domain: string;
  @ApiProperty({ nullable: true, type: Number, description: '0..1' }) percentPositive: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Mid-rank percentile among the partnership’s agencies, 0..100' }) percentile: number | null;
  @ApiProperty({ nullable: true, type: String, enum: ['no-closed-wave', 'too-few-responses', 'withheld'] }) suppressed: string | null;
}

export class QuartilesDto {
  @ApiProperty({ description: 'Agencies with a figure' }) n: number;
  @ApiProperty({ nullable: true, type: Number }) min: number | null;
  @ApiProperty({ nullable: true, type: Number }) q1: number | null;
  @ApiProperty({ nullable: true, type: Number }) median: number | null;
  @ApiProperty({ nullable: true, type: Number }) q3: number | null;
  @ApiProperty({ nullable: true, type: Number }) max: number | null;
}

export class DistributionRowDto extends QuartilesDto {
  @ApiProperty({ description: '"partnership" or a jurisdiction type' }) group: string;
  @ApiProperty() domainId: string;
  @ApiProperty() domain: string;
}

export class BenchmarkDto {
  @ApiProperty() minResponses: number;
  @ApiProperty({ description: 'Groups of fewer agencies show no distribution' }) minAgencies: number;
  @ApiProperty({ type: [AgencyDomainRowDto] }) agencies: AgencyDomainRowDto[];
  @ApiProperty({ type: [DistributionRowDto] }) distribution: DistributionRowDto[];
  @ApiProperty({ type: [DistributionRowDto] }) jurisdiction: DistributionRowDto[];
}

export class ComparisonRowDto {
  @ApiProperty({ type: CultureAgencyRef }) agency: CultureAgencyRef;
  @ApiProperty() domainId: string;
  @ApiProperty() domain: string;
  @ApiProperty({ nullable: true, type: Number }) percentPositive: number | null;
  @ApiProperty({ description: 'The paired review-instrument (baseline) domain' }) reviewDomain: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Approved reviews of incidents in the last 12 months (this month and the eleven before)' }) reviewsApproved: number | null;
  @ApiProperty({ nullable: true, type: Number }) reviewsRatingDomain: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Share of those reviews rating the paired domain ≥ 2' }) reviewRate: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why the review rate is not shown' }) reviewRateSuppressed: string | null;
  @ApiProperty({ nullable: true, type: Number }) medianHoursToAcknowledge: number | null;
  @ApiProperty({ nullable: true, type: Number }) actionCompletionRate: number | null;
  @ApiProperty({ nullable: true, type: Number }) overdueRate: number | null;
  @ApiProperty({ description: 'Acknowledgment records of the last 12 months' }) noticeRecords: number;
}

export class CorrelationRowDto {
  @ApiProperty() x: string;
  @ApiProperty() y: string;
  @ApiProperty({ description: 'Agencies with both figures' }) n: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Spearman’s rho' }) rho: number | null;
  @ApiProperty({ nullable: true, type: Number, description: '95% CI, Fisher z with the Bonett–Wright variance' }) lower: number | null;
  @ApiProperty({ nullable: true, type: Number }) upper: number | null;
  @ApiProperty() note: string;
}

export class FollowThroughDto {
  @ApiProperty() records: number;
  @ApiProperty({ nullable: true, type: Number }) medianHoursToAcknowledge: number | null;
  @ApiProperty() actionsRequired: number;
  @ApiProperty({ nullable: true, type: Number }) actionCompletionRate: number | null;
  @ApiProperty() overdue: number;
  @ApiProperty({ nullable: true, type: Number }) overdueRate: number | null;
}

export class OverallDto {
  @ApiProperty() agency: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Mean of the domains’ percent positive (only when every domain is shown)' }) culture: number | null;
  @ApiProperty({ type: FollowThroughDto }) follow: FollowThroughDto;
}

export class ComparisonDto {
  @ApiProperty() minResponses: number;
  @ApiProperty({ description: 'SUPPRESSION_MIN_CELL for review counts' }) minReviews: number;
  @ApiProperty({ type: [ComparisonRowDto] }) agencies: ComparisonRowDto[];
  @ApiProperty({ type: [CorrelationRowDto] }) correlations: CorrelationRowDto[];
  @ApiProperty({ type: [OverallDto] }) overall: OverallDto[];
}

export class AgencyViewAgency extends CultureAgencyRef {
  @ApiProperty({ description: 'Its agreement in force covers culture data (it counts in the partnership’s figures)' }) sharesCulture: boolean;
}

export class AgencyViewDomain {
  @ApiProperty() domainId: string;
  @ApiProperty() domain: string;
  @ApiProperty({ nullable: true, type: Number }) percentPositive: number | null;
  @ApiProperty({ nullable: true, type: Number, enum: [1, 2, 3, 4], description: 'Which quarter of the other agencies it falls in, read off their quartiles: 1 below the lower quartile … 4 at or above the upper' })
  quarter: number | null;
  @ApiProperty({ nullable: true, type: QuartilesDto, description: 'The other agencies (at least 5; never the lowest nor the highest: min and max are null)' }) partnership: QuartilesDto | null;
  @ApiProperty({ nullable: true, type: QuartilesDto, description: 'Agencies of the same jurisdiction type' }) jurisdictionType: QuartilesDto | null;
  @ApiProperty({ nullable: true, type: String }) suppressed: string | null;
}

export class AgencyViewDto {
  @ApiProperty({ type: AgencyViewAgency }) agency: AgencyViewAgency;
  @ApiProperty({ nullable: true, type: String }) wave: string | null;
  @ApiProperty({ nullable: true, type: Number }) responses: number | null;
  @ApiProperty() partnershipAgencies: number;
  @ApiProperty({ type: [AgencyViewDomain] }) domains: AgencyViewDomain[];
}
