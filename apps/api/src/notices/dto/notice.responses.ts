import { ApiProperty } from '@nestjs/swagger';
import { ApiDateTime, FindingResponse } from '../../common/api-docs';
import { NoticeResponse } from './notice.dto';

export class NoticeListResponse {
  @ApiProperty({ type: [NoticeResponse] }) items: NoticeResponse[];
  @ApiProperty({ description: 'Notices matching the filters, over every page' }) total: number;
}

export class DeidOverrideResponse {
  @ApiProperty() justification: string;
  @ApiProperty({ format: 'uuid' }) approverId: string;
  @ApiDateTime() at: string;
}

export class ReviewedFindingResponse extends FindingResponse {
  @ApiProperty({ type: DeidOverrideResponse, nullable: true, description: "An approver's override, or null while the finding stands" })
  override: DeidOverrideResponse | null;
}

export class DeidReviewResponse {
  @ApiProperty({ format: 'uuid' }) noticeId: string;
  @ApiProperty({ description: 'The content the findings are about' }) contentHash: string;
  @ApiProperty({ type: [ReviewedFindingResponse] }) findings: ReviewedFindingResponse[];
}

export class DeidOverridesResponse {
  @ApiProperty({ format: 'uuid' }) noticeId: string;
  @ApiProperty({ type: [ReviewedFindingResponse], description: 'Every finding after the overrides' }) findings: ReviewedFindingResponse[];
}
