import { ApiProperty } from '@nestjs/swagger';
import { ROLES } from '@sne/core';
import { ApiDateTime } from '../common/api-docs';

export class CallerResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) agencyId: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: ROLES, isArray: true, description: 'The roles in force: the key\'s, which may be a subset of the user\'s' }) roles: string[];
}

export class LoginResponse {
  @ApiProperty({ type: CallerResponse }) user: CallerResponse;
  @ApiProperty({ description: 'Send it as X-CSRF-Token (or the _csrf form field) on every state-changing request made with the session cookie' })
  csrfToken: string;
  @ApiDateTime({ description: 'When the session ends unless used' }) expiresAt: string;
}

export class SessionResponse {
  @ApiProperty({ type: CallerResponse }) user: CallerResponse;
  @ApiProperty({ type: String, nullable: true, description: "The session's CSRF token (null with an API key)" }) csrfToken: string | null;
  @ApiProperty({ enum: ['session', 'api_key'] }) via: 'session' | 'api_key';
}
