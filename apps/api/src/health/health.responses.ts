import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ErrorResponse } from '../common/api-docs';

export class LivenessResponse {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
}

/** Each check by name (`database`, `messaging`): `{ status: up | down, message? }`. */
const CHECK: SchemaObject = { type: 'object', properties: { status: { type: 'string', enum: ['up', 'down'] } }, required: ['status'], additionalProperties: true };
const CHECKS = { type: 'object' as const, additionalProperties: CHECK };

export class ReadinessResponse {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'] }) status: string;
  @ApiPropertyOptional({ ...CHECKS, description: 'The checks that passed' }) info?: Record<string, unknown>;
  @ApiPropertyOptional({ ...CHECKS, description: 'The checks that failed' }) error?: Record<string, unknown>;
  @ApiProperty({ ...CHECKS, description: 'Every check' }) details: Record<string, unknown>;
}

/** 503: the error body, with the checks. */
export class NotReadyResponse extends ErrorResponse {
  @ApiProperty({ enum: ['error', 'shutting_down'] }) status: string;
  @ApiPropertyOptional({ ...CHECKS }) info?: Record<string, unknown>;
  @ApiProperty({ ...CHECKS }) details: Record<string, unknown>;
}
