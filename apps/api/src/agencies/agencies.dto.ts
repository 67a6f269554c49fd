import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsEmail, IsIn, IsOptional, IsString, IsTimeZone, MaxLength, MinLength } from 'class-validator';
import { JURISDICTION_TYPES, JurisdictionType } from '@sne/core';
import { IncludeOffboarded } from '../common/include-offboarded';
import { ListQuery } from '../common/paging';
import { OneLine } from '../common/validators';

export class CreateAgencyDto {
  @ApiProperty({ example: 'Ohio Department of Children and Youth' }) @IsString() @MinLength(2) @MaxLength(200) @OneLine() name: string;
  @ApiProperty({ enum: JURISDICTION_TYPES }) @IsIn(JURISDICTION_TYPES) jurisdictionType: JurisdictionType;
  @ApiProperty({ description: 'State or county FIPS code, or the tribal nation name', example: '39' })
  @IsString() @MinLength(1) @MaxLength(100) @OneLine() jurisdictionCode: string;
  @ApiProperty({ example: 'America/New_York' }) @IsTimeZone() timeZone: string;
  @ApiProperty({ description: 'Default notices contact: receives mandatory critical notices' }) @IsEmail() @MaxLength(254) noticesContactEmail: string;
  @ApiPropertyOptional({ type: [String], description: 'In escalation order' })
  @IsOptional() @IsArray() @ArrayMaxSize(10) @IsEmail({}, { each: true }) escalationContacts?: string[];
  @ApiPropertyOptional({ type: [String], description: 'Emailed when a webhook delivery fails' })
  @IsOptional() @IsArray() @ArrayMaxSize(10) @IsEmail({}, { each: true }) fallbackContacts?: string[];
}

/** Agency admins change their own agency's time zone and contacts; the name and jurisdiction are the partnership's to change. */
export class UpdateAgencyDto extends PartialType(CreateAgencyDto) {}

/** The fields only a partnership admin may change: who the agency is, which decides the notices it is sent. */
export const IDENTITY_FIELDS = ['name', 'jurisdictionType', 'jurisdictionCode'] as const;

export class ListAgenciesQuery extends ListQuery {
  @IncludeOffboarded() includeOffboarded?: boolean;
}

export class OffboardAgencyDto {
  @ApiProperty({ description: 'Why the agency leaves, for the record', example: 'left the partnership on 2026-06-30' })
  @IsString() @MinLength(3) @MaxLength(500) reason: string;
}

export class AgencyResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: JURISDICTION_TYPES }) jurisdictionType: JurisdictionType;
  @ApiProperty() jurisdictionCode: string;
  @ApiProperty() timeZone: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Set when the agency left the partnership' }) offboardedAt: string | null;
  @ApiPropertyOptional({ description: 'Own agency, or partnership admins only' }) noticesContactEmail?: string;
  @ApiPropertyOptional({ type: [String], description: 'Own agency, or partnership admins only' }) escalationContacts?: string[];
  @ApiPropertyOptional({ type: [String], description: 'Own agency, or partnership admins only' }) fallbackContacts?: string[];
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Own agency, or partnership admins only' }) offboardReason?: string | null;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'Who offboarded it (own agency, or partnership admins only)' }) offboardedBy?: string | null;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) createdAt?: string;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) updatedAt?: string;
}
