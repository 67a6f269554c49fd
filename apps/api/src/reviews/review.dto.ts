import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsDefined,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  AGE_BANDS,
  CIRCUMSTANCES,
  INCIDENT_TYPES,
  instrumentVersions,
  PRIOR_INVOLVEMENT,
  PRIOR_RECENCY,
  RECOMMENDATION_OWNERS,
  RECOMMENDATION_STATUSES,
} from '@sne/core';
import { ListQuery } from '../common/paging';

/**
 * The shapes a review is sent in. These check types and sizes only: the coded fields, the
 * instrument's items and the rules between fields are checked by `checkReviewRecord` (libs/core),
 * the one check every write path shares, which names each problem by its field (400).
 */
export class IncidentDto {
  @ApiProperty({ enum: INCIDENT_TYPES }) @IsString() incidentType: string;
  @ApiProperty({ example: 2026, description: 'The year of the incident (never a full date)' }) @IsInt() incidentYear: number;
  @ApiProperty({ minimum: 1, maximum: 12 }) @IsInt() incidentMonth: number;
  @ApiProperty({ enum: AGE_BANDS }) @IsString() ageBand: string;
  @ApiProperty({ enum: PRIOR_INVOLVEMENT }) @IsString() priorInvolvement: string;
  @ApiPropertyOptional({ enum: PRIOR_RECENCY, nullable: true, description: "Required unless priorInvolvement is 'none'" })
  @IsOptional() @IsString()
  priorRecency?: string | null;
  @ApiProperty({ type: [String], enum: CIRCUMSTANCES }) @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) circumstances: string[];
  @ApiPropertyOptional({ maxLength: 20000, description: 'Free text: the de-identification guard reads it' }) @IsOptional() @IsString() @MaxLength(20000) summary?: string;
}

export class FindingDto {
  @ApiProperty({ maxLength: 5000, description: 'A systemic finding, in the review’s words' }) @IsString() @MaxLength(5000) text: string;
  @ApiPropertyOptional({ nullable: true, description: 'The instrument domain it is about' }) @IsOptional() @IsString() @MaxLength(100) domainId?: string | null;
}

export class RecommendationDto {
  @ApiProperty({ maxLength: 5000 }) @IsString() @MaxLength(5000) text: string;
  @ApiProperty({ enum: RECOMMENDATION_OWNERS }) @IsString() owner: string;
  @ApiPropertyOptional({ nullable: true, format: 'uuid', description: "The member agency that owns it, when owner is 'member'" })
  @IsOptional() @IsUUID()
  ownerAgencyId?: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'date', example: '2027-03-31' }) @IsOptional() @IsString() @MaxLength(10) targetDate?: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'The finding it answers (1-based)' }) @IsOptional() @IsInt() @Min(1) @Max(1000) findingPosition?: number | null;
  @ApiPropertyOptional({ enum: RECOMMENDATION_STATUSES, description: 'On a new recommendation only (default proposed); later changes go through its status route' })
  @IsOptional() @IsString()
  status?: string;
  @ApiPropertyOptional({ nullable: true, maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) statusReason?: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'date' }) @IsOptional() @IsString() @MaxLength(10) implementedOn?: string | null;
}

const RATINGS_DOC = { type: 'object', additionalProperties: { type: 'integer', minimum: 0, maximum: 3 }, description: 'item id → rating 0–3 (items of the pinned instrument version)' } as const;

/** What a review holds besides its incident. */
class ReviewPartsDto {
  @ApiPropertyOptional({ maxLength: 50000 }) @IsOptional() @IsString() @MaxLength(50000) summary?: string;
  @ApiPropertyOptional(RATINGS_DOC) @IsOptional() @IsObject() ratings?: Record<string, number>;
  @ApiPropertyOptional({ type: [FindingDto] }) @IsOptional() @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => FindingDto) findings?: FindingDto[];
  @ApiPropertyOptional({ type: [RecommendationDto] })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => RecommendationDto)
  recommendations?: RecommendationDto[];
  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'A review lead of your agency (review leads who create a review lead it themselves)' })
  @IsOptional() @IsUUID()
  leadId?: string | null;
}

export class UpdateReviewDto extends ReviewPartsDto {
  @ApiPropertyOptional({ type: IncidentDto, description: 'The coded incident, replaced whole' }) @IsOptional() @ValidateNested() @Type(() => IncidentDto) incident?: IncidentDto;
}

export class CreateReviewDto extends ReviewPartsDto {
  @ApiProperty({ type: IncidentDto }) @IsDefined() @ValidateNested() @Type(() => IncidentDto) incident: IncidentDto;
  @ApiPropertyOptional({ enum: instrumentVersions(), description: 'Default: the current version' }) @IsOptional() @IsString() @MaxLength(20) instrumentVersion?: string;
}

export class ApproveReviewDto {
  @ApiProperty({ description: 'The version you read (GET /reviews/{id}); 409 if the review changed since' }) @IsInt() @Min(1) @Max(1_000_000) version: number;
  @ApiProperty({ description: 'The contentHash of the review you read (GET /reviews/{id}); 409 if the review changed since' })
  @IsString() @Matches(/^[0-9a-f]{64}$/, { message: 'contentHash must be the 64-character hex hash shown on the review' })
  contentHash: string;
}

export class ReturnReviewDto {
  @ApiProperty({ minLength: 3, maxLength: 2000 }) @IsString() @MinLength(3) @MaxLength(2000) reason: string;
}

export class ShareReviewDto {
  @ApiProperty({ minLength: 10, maxLength: 20000, description: 'The de-identified summary every member may read (the guard reads it)' })
  @IsString() @MinLength(10) @MaxLength(20000)
  sharedSummary: string;
}

export class RecommendationStatusDto {
  @ApiProperty({ enum: RECOMMENDATION_STATUSES }) @IsIn(RECOMMENDATION_STATUSES) status: (typeof RECOMMENDATION_STATUSES)[number];
  @ApiPropertyOptional({ maxLength: 2000, description: 'Required for not_adopted' }) @IsOptional() @IsString() @MaxLength(2000) reason?: string;
  @ApiPropertyOptional({ format: 'date', description: 'For implemented (default: today)' }) @IsOptional() @IsString() @MaxLength(10) implementedOn?: string;
}

export const REVIEW_STATUSES = ['draft', 'submitted', 'approved', 'shared'] as const;

export class ListReviewsQuery extends ListQuery {
  @ApiPropertyOptional({ enum: REVIEW_STATUSES }) @IsOptional() @IsIn(REVIEW_STATUSES) status?: (typeof REVIEW_STATUSES)[number];
}
