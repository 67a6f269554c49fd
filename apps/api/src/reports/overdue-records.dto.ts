import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IncludeOffboarded } from '../common/include-offboarded';

export class OverdueRecordsQuery {
  @ApiPropertyOptional({ default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(1000000) offset?: number;
  @IncludeOffboarded() includeOffboarded?: boolean;
}

export class OverdueRecordAgency {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
}

export class OverdueRecord {
  @ApiProperty() noticeId: string;
  @ApiProperty() reference: string;
  @ApiProperty() title: string;
  @ApiProperty() severity: string;
  @ApiProperty({ type: OverdueRecordAgency, description: 'The recipient agency that owes it' }) agency: OverdueRecordAgency;
  @ApiProperty({ enum: ['acknowledgment', 'actions'], description: 'acknowledgment: pending past its due time; actions: acknowledged, required actions past their due time' })
  what: 'acknowledgment' | 'actions';
  @ApiProperty({ description: 'When it was due (ISO 8601)' }) dueAt: string;
  @ApiProperty({ description: 'Seconds since it was due' }) overdueSeconds: number;
}

export class OverdueRecordsPage {
  @ApiProperty({ description: 'Every overdue record in reach, whatever the page' }) total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
  @ApiProperty({ type: [OverdueRecord], description: 'The longest overdue first' }) items: OverdueRecord[];
}
