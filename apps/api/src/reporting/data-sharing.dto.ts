import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** What an agreement may cover (the database's CHECK says the same). */
export const DATA_KINDS = ['incidents', 'culture'] as const;
export type DataKind = (typeof DATA_KINDS)[number];

export class RecordDataSharingDto {
  @ApiProperty({
    enum: DATA_KINDS,
    isArray: true,
    description: "The kinds of data the agency contributes to partnership aggregates. An empty list withdraws: from then on its data is out of every aggregate. 'incidents' covers reviews and their recommendations.",
    example: ['incidents'],
  })
  @IsArray() @ArrayMaxSize(DATA_KINDS.length) @ArrayUnique() @IsIn(DATA_KINDS, { each: true })
  covers: DataKind[];

  @ApiProperty({ description: 'The day the agreement was signed (or withdrawn), YYYY-MM-DD; not in the future', example: '2026-01-15' })
  @IsISO8601({ strict: true }) @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'signedOn must be a date YYYY-MM-DD' })
  signedOn: string;

  @ApiPropertyOptional({ description: 'For the record, e.g. who signed', maxLength: 2000 })
  @IsOptional() @IsString() @MaxLength(2000)
  note?: string;
}

export class PersonRef {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

export class DataSharingAgreementResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) agencyId: string;
  @ApiProperty({ enum: DATA_KINDS, isArray: true, description: 'Empty: a withdrawal' }) covers: DataKind[];
  @ApiProperty({ format: 'date' }) signedOn: string;
  @ApiProperty() note: string;
  @ApiProperty({ type: PersonRef, nullable: true }) recordedBy: PersonRef | null;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
}

export class DataSharingHistory {
  @ApiProperty({ format: 'uuid' }) agencyId: string;
  @ApiProperty({ description: "True when the agreement in force (the latest row) covers 'incidents' and is signed: the agency's reviews count in partnership aggregates" })
  contributing: boolean;
  @ApiProperty({ type: DataSharingAgreementResponse, nullable: true, description: 'The latest row: the agreement in force (or the withdrawal)' })
  current: DataSharingAgreementResponse | null;
  @ApiProperty({ type: [DataSharingAgreementResponse], description: 'Every row, newest first' }) items: DataSharingAgreementResponse[];
}
