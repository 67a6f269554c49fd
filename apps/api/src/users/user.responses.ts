import { ApiProperty } from '@nestjs/swagger';
import { ROLES } from '@sne/core';
import { ApiDateTime } from '../common/api-docs';

export class UserResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) agencyId: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles: string[];
  @ApiProperty({ enum: ['person', 'service'], description: "service: an agency's system, with API keys and no password" }) kind: string;
  @ApiDateTime() createdAt: string;
  @ApiDateTime({ nullable: true }) disabledAt: string | null;
}
