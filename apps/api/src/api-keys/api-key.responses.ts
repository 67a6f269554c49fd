import { ApiProperty } from '@nestjs/swagger';
import { ROLES } from '@sne/core';
import { ApiDateTime } from '../common/api-docs';

/** A key as listed: never the key itself, only its prefix. */
export class ApiKeyResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ format: 'uuid' }) agencyId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES, isArray: true, description: 'Fixed when issued; at each use only those its owner still has' }) roles: string[];
  @ApiProperty({ example: 'sne_AbCdEfGh', description: 'The visible start of the key, to recognise it' }) prefix: string;
  @ApiDateTime() createdAt: string;
  @ApiDateTime({ nullable: true }) expiresAt: string | null;
  @ApiDateTime({ nullable: true }) revokedAt: string | null;
  @ApiDateTime({ nullable: true }) lastUsedAt: string | null;
}

/** A new key: the only time the key itself is shown. */
export class CreatedApiKeyResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() prefix: string;
  @ApiProperty({ description: 'The key: send it as Authorization: Bearer <key>. It is not stored and cannot be shown again' }) key: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles: string[];
  @ApiDateTime({ nullable: true }) expiresAt: string | null;
}
