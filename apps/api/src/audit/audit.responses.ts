import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiAnyJson, ApiDateTime } from '../common/api-docs';

export class AuditEventResponse {
  @ApiProperty({ example: '1042', description: 'The event id (a 64-bit integer, as a string)' }) id: string;
  @ApiDateTime() at: string;
  @ApiProperty({ example: 'user', description: 'user, recipient (an acknowledgment link) or system' }) actorType: string;
  @ApiProperty({ type: String, nullable: true }) actorId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) agencyId: string | null;
  @ApiProperty({ example: 'notice.published' }) action: string;
  @ApiProperty({ example: 'notice' }) entityType: string;
  @ApiProperty() entityId: string;
  @ApiAnyJson({ description: 'The state before, where it matters' }) before: unknown;
  @ApiAnyJson({ description: 'The state after, or what was done' }) after: unknown;
}

export class AuditListResponse {
  @ApiProperty({ type: [AuditEventResponse], description: 'Newest first' }) items: AuditEventResponse[];
}

export class ChainHeadResponse {
  @ApiProperty() seq: number;
  @ApiProperty() id: string;
  @ApiProperty() hash: string;
}

export class BrokenLinkResponse {
  @ApiProperty({ type: Number, nullable: true }) seq: number | null;
  @ApiProperty({ type: String, nullable: true }) id: string | null;
  @ApiProperty({ type: String, nullable: true }) action: string | null;
  @ApiProperty({ type: String, nullable: true }) entityType: string | null;
  @ApiProperty({ type: String, nullable: true }) entityId: string | null;
  @ApiProperty({ enum: ['content changed', 'missing event', 'out of order', 'hash mismatch', 'inserted event'] }) problem: string;
  @ApiProperty() detail: string;
}

export class ChainAnchorResponse {
  @ApiProperty() hash: string;
  @ApiProperty({ type: Number, nullable: true }) foundAtSeq: number | null;
}

export class UnsealedResponse {
  @ApiProperty() count: number;
  @ApiProperty({ type: String, nullable: true }) oldestId: string | null;
  @ApiDateTime({ nullable: true }) oldestAt: string | null;
  @ApiProperty({ description: 'The oldest unsealed event is over a minute old' }) lagging: boolean;
}

export class AuditChainReportResponse {
  @ApiProperty() ok: boolean;
  @ApiProperty({ enum: ['database', 'file'] }) source: string;
  @ApiProperty({ description: 'Links verified intact, from seq 1' }) checked: number;
  @ApiProperty({ type: ChainHeadResponse, nullable: true, description: 'The last link verified: keep its hash to detect a cut-off tail' }) head: ChainHeadResponse | null;
  @ApiPropertyOptional({ type: BrokenLinkResponse }) firstBroken?: BrokenLinkResponse;
  @ApiPropertyOptional({ type: ChainAnchorResponse }) anchor?: ChainAnchorResponse;
  @ApiPropertyOptional({ type: UnsealedResponse, description: 'Events not sealed into the chain yet (not a break)' }) unsealed?: UnsealedResponse;
}
