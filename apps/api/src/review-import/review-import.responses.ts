import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

export class ImportQuery {
  @ApiPropertyOptional({ type: Boolean, description: 'true: check every row and report, write nothing' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'dryRun must be true or false' })
  dryRun?: boolean;
}

export class ImportProblemResponse {
  @ApiProperty({ example: 'incident_type', description: 'The column (or "row", "ratings")' }) field: string;
  @ApiProperty({ example: 'must be one of fatality, near_fatality, serious_injury' }) message: string;
}

export class ImportRowResponse {
  @ApiProperty({ example: 2, description: 'The line of the file the row starts on (the header is line 1)' }) line: number;
  @ApiProperty({ example: 'CIR-2023-014', description: "The agency's own id of the review (empty when the row has none)" }) externalId: string;
  @ApiProperty({
    enum: ['created', 'ready', 'already_imported', 'conflict', 'invalid'],
    description:
      'created: written now; ready: passed every check (written when the file is imported, not in a dry run or a refused file); ' +
      'already_imported: imported before with the same content, nothing written; conflict: the external id exists with other content, left as it is; invalid: see problems',
  })
  status: string;
  @ApiProperty({ type: [ImportProblemResponse], description: 'Every reason the row cannot be imported' }) problems: ImportProblemResponse[];
  @ApiPropertyOptional({ format: 'uuid', description: 'The review, created now or imported before' }) reviewId?: string;
  @ApiPropertyOptional({ example: 'R-2026-0007' }) reference?: string;
}

export class ImportCountsResponse {
  @ApiProperty() rows: number;
  @ApiProperty() created: number;
  @ApiProperty() ready: number;
  @ApiProperty() alreadyImported: number;
  @ApiProperty() conflicts: number;
  @ApiProperty() invalid: number;
}

export class ImportReportResponse {
  @ApiProperty({
    enum: ['imported', 'refused', 'checked'],
    description: 'imported: every row was fine, the new ones were written; refused: some row is invalid or a conflict, nothing was written (all or nothing); checked: a dry run, nothing was written',
  })
  outcome: string;
  @ApiProperty() dryRun: boolean;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: "The import's id in the audit log (review_import.completed); null when nothing was written" }) importId: string | null;
  @ApiProperty({ description: "SHA-256 of the file's bytes, hex" }) sha256: string;
  @ApiProperty({ type: ImportCountsResponse }) counts: ImportCountsResponse;
  @ApiProperty({ type: [ImportRowResponse] }) rows: ImportRowResponse[];
}
