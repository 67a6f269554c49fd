import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JURISDICTION_TYPES } from '@sne/core';
import { ApiDateTime } from '../common/api-docs';

/** An agency. Its contacts and times are shown to the agency itself and to partnership admins only. */
export class AgencyResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: JURISDICTION_TYPES }) jurisdictionType: string;
  @ApiProperty({ description: 'State or county FIPS code, or the tribal nation name' }) jurisdictionCode: string;
  @ApiProperty({ example: 'America/New_York' }) timeZone: string;
  @ApiPropertyOptional({ description: 'Own agency and admins only' }) noticesContactEmail?: string;
  @ApiPropertyOptional({ type: [String], description: 'Own agency and admins only; in escalation order' }) escalationContacts?: string[];
  @ApiPropertyOptional({ type: [String], description: 'Own agency and admins only' }) fallbackContacts?: string[];
  @ApiDateTime({ required: false, description: 'Own agency and admins only' }) createdAt?: string;
  @ApiDateTime({ required: false, description: 'Own agency and admins only' }) updatedAt?: string;
}
