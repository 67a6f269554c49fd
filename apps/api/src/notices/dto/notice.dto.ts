import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { AttachmentResponse } from '../../attachments/attachment.responses';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsISO8601,
  IsIn,
  IsInt,
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
import { CATEGORIES, Category, EnquiriesContact, NOTICE_STATUSES, NoticeStatus, SEVERITIES, Severity } from '@sne/core';
import { OneLine } from '../../common/validators';

export class EnquiriesContactDto {
  @ApiProperty({ maxLength: 200, example: 'Jordan Lee' }) @IsString() @MinLength(1) @MaxLength(200) @OneLine() name: string;
  @ApiPropertyOptional({ maxLength: 200, example: 'Safe sleep program lead' }) @IsOptional() @IsString() @MaxLength(200) @OneLine() role?: string;
  @ApiProperty({ maxLength: 254, example: 'jordan.lee@dcfs.example' }) @IsString() @MaxLength(254) @IsEmail() email: string;
  @ApiPropertyOptional({ maxLength: 40, example: '+1 555 010 2030' })
  @IsOptional() @IsString() @Matches(/^\+?[0-9][0-9 ().-]{2,38}$/, { message: 'enquiries.phone must be a phone number (digits, spaces, + ( ) . -)' })
  phone?: string;
}

export class EnquiriesContactResponse {
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) role: string | null;
  @ApiProperty() email: string;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
}

const TOPIC_KEY = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)*$/;

export class CreateNoticeDto {
  @ApiProperty({ maxLength: 200, example: 'Recall: inclined infant sleeper linked to suffocation deaths' })
  @IsString() @MinLength(3) @MaxLength(200) @OneLine()
  title: string;

  @ApiProperty({ maxLength: 1000 })
  @IsString() @MinLength(3) @MaxLength(1000)
  summary: string;

  @ApiProperty({ description: 'Markdown; rendered to sanitised HTML', maxLength: 50000 })
  @IsString() @MinLength(1) @MaxLength(50000)
  body: string;

  @ApiProperty({ enum: CATEGORIES })
  @IsIn(CATEGORIES)
  category: Category;

  @ApiProperty({ enum: SEVERITIES })
  @IsIn(SEVERITIES)
  severity: Severity;

  @ApiProperty({ type: [String], example: ['safe-sleep'], description: 'Topic keys from the catalogue' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @IsString({ each: true }) @Matches(TOPIC_KEY, { each: true, message: 'each topic must be a topic key like safe-sleep or substance-exposure.fentanyl' })
  topics: string[];

  @ApiPropertyOptional({ type: [String], description: 'Jurisdiction codes or types (state, county, tribal, federal); empty = every member' })
  @IsOptional() @IsArray() @ArrayMaxSize(200) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(100, { each: true })
  targetJurisdictions?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(1000, { each: true })
  requiredActions?: string[];

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Acknowledgment due time; defaults by severity' })
  @IsOptional() @IsISO8601({ strict: true })
  acknowledgeBy?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'When the required actions are due (alerts); defaults by severity' })
  @IsOptional() @IsISO8601({ strict: true })
  actionsDueBy?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional() @IsISO8601({ strict: true })
  effectiveAt?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional() @IsISO8601({ strict: true })
  expiresAt?: string;

  @ApiPropertyOptional({ type: [String], description: 'Ids of earlier published notices this one refers to' })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsUUID('all', { each: true })
  referenceIds?: string[];

  @ApiPropertyOptional({ maxLength: 100, description: 'A de-identified incident reference' })
  @IsOptional() @IsString() @MaxLength(100) @OneLine()
  incidentReference?: string;

  @ApiPropertyOptional({ type: EnquiriesContactDto, description: 'Whom recipients ask about this notice (defaults to the author)' })
  @IsOptional() @ValidateNested() @Type(() => EnquiriesContactDto)
  enquiries?: EnquiriesContactDto;
}

export class UpdateNoticeDto extends PartialType(CreateNoticeDto) {}

export class DraftUpdateDto extends PartialType(CreateNoticeDto) {
  @ApiProperty({ description: 'A material update needs a fresh acknowledgment from every recipient' })
  @IsBoolean()
  material: boolean;
}

export class CancelNoticeDto {
  @ApiProperty({ example: 'Issued in error: the product was misidentified' })
  @IsString() @MinLength(3) @MaxLength(2000)
  reason: string;
}

export class ApproveNoticeDto {
  @ApiProperty({ description: 'The contentHash of the version you reviewed (from GET /notices/{id})' })
  @IsString() @Matches(/^[0-9a-f]{64}$/, { message: 'contentHash must be the 64-character hex hash shown on the notice' })
  contentHash: string;

  @ApiPropertyOptional({ description: 'The number of recipient agencies you confirmed (from GET /notices/{id}/review); refused with 409 if the list now has another number', example: 31 })
  @IsOptional() @IsInt() @Min(0) @Max(1_000_000)
  recipientCount?: number;

  @ApiPropertyOptional({ description: 'The recipientsDigest you confirmed (from GET /notices/{id}/review); refused with 409 if the recipient list changed since' })
  @IsOptional() @IsString() @Matches(/^[0-9a-f]{64}$/, { message: 'recipientsDigest must be the 64-character hex digest from the review' })
  recipientsDigest?: string;
}

export class RejectNoticeDto {
  @ApiProperty({ type: [String], example: ['Name a product model rather than the brand'] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(2000, { each: true })
  reasons: string[];
}

export class ListNoticesQuery {
  @ApiPropertyOptional({ enum: NOTICE_STATUSES }) @IsOptional() @IsIn(NOTICE_STATUSES) status?: NoticeStatus;
  @ApiPropertyOptional({ enum: SEVERITIES }) @IsOptional() @IsIn(SEVERITIES) severity?: Severity;
  @ApiPropertyOptional({ enum: CATEGORIES }) @IsOptional() @IsIn(CATEGORIES) category?: Category;
  @ApiPropertyOptional() @IsOptional() @Matches(TOPIC_KEY) topic?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() agencyId?: string;
  @ApiPropertyOptional({ description: 'Text search in reference, title and summary' }) @IsOptional() @IsString() @MaxLength(200) q?: string;
  @ApiPropertyOptional({ default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(1000000) offset?: number;
}

/** The review a notice was drafted from: its reference for everyone, its id only for the review's own agency. */
export class SourceReviewResponse {
  @ApiProperty({ example: 'R-2026-0007' }) reference: string;
  @ApiProperty({ type: String, nullable: true, description: "The review's id: only for callers of the review's agency (the review is its own record), null for everyone else" }) id: string | null;
}

/** One field an update changed (notice-diff.ts). */
export class FieldChangeResponse {
  @ApiProperty({ example: 'title' }) field: string;
  @ApiProperty({ description: 'The value before, as text' }) before: string;
  @ApiProperty({ description: 'The value after, as text' }) after: string;
  @ApiPropertyOptional({ type: [String], description: 'For long text: the changed lines, "+ " added and "- " removed' }) lines?: string[];
}

export class NoticeResponse {
  @ApiProperty() id: string;
  @ApiProperty({ type: String, nullable: true, example: 'NPCS-2026-0042' }) reference: string | null;
  @ApiProperty({ enum: NOTICE_STATUSES }) status: NoticeStatus;
  @ApiProperty() version: number;
  @ApiProperty({ description: 'Send this back to approve the exact content you reviewed' }) contentHash: string;
  @ApiProperty() issuingAgencyId: string;
  @ApiProperty() authorId: string;
  @ApiProperty() title: string;
  @ApiProperty() summary: string;
  @ApiProperty() body: string;
  @ApiProperty() bodyHtml: string;
  @ApiProperty({ enum: CATEGORIES }) category: Category;
  @ApiProperty({ enum: SEVERITIES }) severity: Severity;
  @ApiProperty({ type: [String] }) topics: string[];
  @ApiProperty({ type: [String] }) targetJurisdictions: string[];
  @ApiProperty({ type: [String] }) requiredActions: string[];
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) acknowledgeBy: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) actionsDueBy: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) effectiveAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) expiresAt: string | null;
  @ApiProperty({ type: [String] }) referenceIds: string[];
  @ApiProperty({ nullable: true, type: String }) incidentReference: string | null;
  @ApiProperty({ nullable: true, type: EnquiriesContactResponse, description: 'Whom recipients ask about this notice' }) enquiries: EnquiriesContact | null;
  @ApiProperty({ nullable: true, type: [String] }) rejectionReasons: string[] | null;
  @ApiProperty({ nullable: true, type: String }) approvedBy: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) submittedAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) publishedAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The notice this update supersedes' }) supersedesId: string | null;
  @ApiProperty() material: boolean;
  @ApiProperty({ type: [FieldChangeResponse], nullable: true, description: 'What this update changed, field by field (null but on a published update)' }) changes: FieldChangeResponse[] | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) cancelledAt: string | null;
  @ApiProperty({ nullable: true, type: String }) cancelReason: string | null;
  @ApiProperty({ nullable: true, type: SourceReviewResponse, description: 'The incident review this notice was drafted from ("Issued from review R-2026-0007"), or null' }) sourceReview: SourceReviewResponse | null;
  @ApiPropertyOptional({ type: [AttachmentResponse], description: 'On GET /notices/{id}: the attachments, in order (part of the contentHash)' }) attachments?: AttachmentResponse[];
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;
}

export class DeidOverrideDto {
  @ApiProperty({ example: 'body' }) @IsString() @MaxLength(100) field: string;
  @ApiProperty({ example: 'personal_name' }) @IsString() @MaxLength(50) kind: string;
  @ApiProperty({ description: 'The flagged text exactly' }) @IsString() @MaxLength(1000) text: string;
  @ApiProperty({ minLength: 10 }) @IsString() @MinLength(10) @MaxLength(2000) justification: string;
}

export class DeidOverridesDto {
  @ApiProperty({ type: [DeidOverrideDto] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => DeidOverrideDto)
  overrides: DeidOverrideDto[];
}
