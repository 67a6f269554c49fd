import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { INCIDENT_TYPES, JURISDICTION_TYPES } from '@sne/core';
import { REPORT_FORMATS, ReportFormat } from '../reports/report-format';

const QUARTER = /^\d{4}-Q[1-4]$/;
const STATUS = ['shown', 'suppressed', 'no-data'];
const N = (description?: string) => ApiProperty({ type: Number, nullable: true, description: description ?? 'null: suppressed (fewer than k, or a complement)' });

export const PARTNERSHIP_TABLES = ['incidents', 'heat-map', 'items', 'recommendations', 'domain-trends'] as const;
export const AGENCY_TABLES = ['incidents-by-type', 'incidents-by-quarter', 'domains', 'items', 'recommendations'] as const;

export class ReportingQuery {
  @ApiPropertyOptional({ description: 'First quarter, e.g. 2026-Q1 (default: three quarters before the current one)', example: '2026-Q1' })
  @IsOptional() @Matches(QUARTER, { message: 'from must be a quarter like 2026-Q1' })
  from?: string;
  @ApiPropertyOptional({ description: 'Last quarter, included (default: the current one); at most 8 quarters', example: '2026-Q4' })
  @IsOptional() @Matches(QUARTER, { message: 'to must be a quarter like 2026-Q4' })
  to?: string;
}

export class PartnershipExportQuery extends ReportingQuery {
  @ApiProperty({ enum: PARTNERSHIP_TABLES }) @IsIn(PARTNERSHIP_TABLES) table: (typeof PARTNERSHIP_TABLES)[number];
  @ApiPropertyOptional({ enum: REPORT_FORMATS, description: 'csv, or send `Accept: text/csv`; JSON otherwise' }) @IsOptional() @IsIn(REPORT_FORMATS) format?: ReportFormat;
}

export class AgencyExportQuery extends ReportingQuery {
  @ApiProperty({ enum: AGENCY_TABLES }) @IsIn(AGENCY_TABLES) table: (typeof AGENCY_TABLES)[number];
  @ApiPropertyOptional({ enum: REPORT_FORMATS, description: 'csv, or send `Accept: text/csv`; JSON otherwise' }) @IsOptional() @IsIn(REPORT_FORMATS) format?: ReportFormat;
}

export class IncidentCellDto {
  @ApiProperty({ enum: INCIDENT_TYPES, nullable: true, description: 'null: every type (a margin)' }) incidentType: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'null: every quarter (a margin)' }) quarter: string | null;
  @ApiProperty({ enum: JURISDICTION_TYPES, nullable: true, description: 'null: every jurisdiction type (a margin)' }) jurisdictionType: string | null;
  @N() count: number | null;
}

export class ShareCellDto {
  @N('Reviews (the denominator); null: suppressed') reviews: number | null;
  @N('Reviews rating the domain ≥ 2; null: suppressed') contributing: number | null;
  @N('contributing / reviews, 0..1; null: suppressed or no data') share: number | null;
  @ApiProperty({ enum: STATUS }) status: string;
}

export class HeatMapRowDto {
  @ApiProperty() domain: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: [ShareCellDto], description: 'One per jurisdiction type, in jurisdictionTypes order' }) cells: ShareCellDto[];
  @ApiProperty({ type: ShareCellDto }) all: ShareCellDto;
}

export class ItemFigureDto {
  @ApiProperty({ description: 'Baseline (version 1) item id' }) item: string;
  @ApiProperty() text: string;
  @ApiProperty() domain: string;
  @N('Reviews rating it ≥ 2; null: suppressed') reviews: number | null;
  @N('Of every review; null: suppressed') share: number | null;
  @ApiProperty({ enum: STATUS }) status: string;
}

export class RecommendationFigureDto {
  @ApiProperty({ enum: JURISDICTION_TYPES, nullable: true, description: 'null: every jurisdiction type' }) jurisdictionType: string | null;
  @N() recommendations: number | null;
  @N() implemented: number | null;
  @N('implemented / recommendations; null: suppressed or no data') rate: number | null;
  @N('Median days from the recommendation to implemented_on, over recommendations of reviews made in the system (an imported review\'s were not made on the day they were recorded); null when fewer than k were implemented, fewer than k have a known time, a quarter of the period has 1 to k−1 implemented, or suppressed') medianDaysToImplement: number | null;
  @ApiProperty({ enum: STATUS }) status: string;
}

export class DomainTrendDto {
  @ApiProperty() quarter: string;
  @ApiProperty() domain: string;
  @N() reviews: number | null;
  @N() contributing: number | null;
  @N() share: number | null;
  @ApiProperty({ enum: STATUS }) status: string;
}

export class PartnershipReport {
  @ApiProperty({ description: 'Smallest count published (SUPPRESSION_MIN_CELL)' }) k: number;
  @ApiProperty({ type: [String] }) quarters: string[];
  @ApiProperty({ description: "Agencies whose agreement in force covers 'incidents': only their approved reviews count" }) contributingAgencies: number;
  @ApiProperty({ type: [String] }) jurisdictionTypes: string[];
  @ApiProperty({ type: [String] }) incidentTypes: string[];
  @ApiProperty({ type: [IncidentCellDto], description: 'The cube: incident type × quarter × jurisdiction type with every margin, suppressed once' }) incidents: IncidentCellDto[];
  @ApiProperty({ type: [HeatMapRowDto] }) heatMap: HeatMapRowDto[];
  @ApiProperty({ type: [ItemFigureDto], description: 'Most frequent first (by published count); suppressed items last' }) topItems: ItemFigureDto[];
  @ApiProperty({ type: [RecommendationFigureDto] }) recommendations: RecommendationFigureDto[];
  @ApiProperty({ type: [DomainTrendDto] }) domainTrends: DomainTrendDto[];
}

export class OwnShareDto {
  @ApiProperty() contributing: number;
  @ApiProperty({ type: Number, nullable: true }) share: number | null;
}

export class CountPairDto {
  @ApiProperty() key: string;
  @ApiProperty({ description: "The agency's own count (its own data, in full)" }) own: number;
  @N("The partnership's count; null: suppressed") partnership: number | null;
}

export class DomainPairDto {
  @ApiProperty() domain: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: OwnShareDto }) own: OwnShareDto;
  @ApiProperty({ type: ShareCellDto }) partnership: ShareCellDto;
}

export class ItemPairDto {
  @ApiProperty() item: string;
  @ApiProperty() text: string;
  @ApiProperty() domain: string;
  @ApiProperty() own: number;
  @N() partnership: number | null;
}

export class OwnRecommendationsDto {
  @ApiProperty() recommendations: number;
  @ApiProperty() implemented: number;
  @ApiProperty({ type: Number, nullable: true }) rate: number | null;
  @ApiProperty({ type: Number, nullable: true }) medianDaysToImplement: number | null;
}

export class RecommendationPairDto {
  @ApiProperty({ type: OwnRecommendationsDto }) own: OwnRecommendationsDto;
  @ApiProperty({ type: RecommendationFigureDto }) partnership: RecommendationFigureDto;
}

export class AgencyRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: JURISDICTION_TYPES }) jurisdictionType: string;
  @ApiProperty({ description: 'Its agreement in force covers incidents: its reviews are in the partnership column' }) contributing: boolean;
}

export class AgencyReport {
  @ApiProperty() k: number;
  @ApiProperty({ type: [String] }) quarters: string[];
  @ApiProperty({ type: AgencyRefDto }) agency: AgencyRefDto;
  @ApiProperty({ description: "The agency's approved reviews in the period" }) reviews: number;
  @ApiProperty({ type: [CountPairDto] }) incidentsByType: CountPairDto[];
  @ApiProperty({ type: [CountPairDto] }) incidentsByQuarter: CountPairDto[];
  @ApiProperty({ type: [DomainPairDto] }) domains: DomainPairDto[];
  @ApiProperty({ type: [ItemPairDto] }) items: ItemPairDto[];
  @ApiProperty({ type: RecommendationPairDto }) recommendations: RecommendationPairDto;
}

export class ReportingExport {
  @ApiProperty() table: string;
  @ApiProperty() k: number;
  @ApiProperty({ type: [String] }) quarters: string[];
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true }, description: 'The rows; a suppressed figure is null (in CSV: "suppressed")' })
  items: Record<string, unknown>[];
}
