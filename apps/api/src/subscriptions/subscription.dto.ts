import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { SEVERITIES, Severity } from '@sne/core';
import { IsTopicPattern, OneLine } from '../common/validators';

export class CreateSubscriptionDto {
  @ApiProperty({ example: 'Safe sleep alerts to intake' })
  @IsString() @MinLength(1) @MaxLength(200) @OneLine()
  name: string;

  @ApiProperty({ type: [String], example: ['safe-sleep', 'substance-exposure.>'] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @IsTopicPattern({ each: true })
  topicPatterns: string[];

  @ApiPropertyOptional({ enum: SEVERITIES, default: 'low', description: 'Least severe notice delivered' })
  @IsOptional() @IsIn(SEVERITIES)
  minSeverity?: Severity;

  @ApiProperty({ enum: ['email', 'webhook'] })
  @IsIn(['email', 'webhook'])
  channel: 'email' | 'webhook';

  @ApiPropertyOptional({ type: [String], description: 'Required for the email channel' })
  @ValidateIf((o) => o.channel === 'email' || o.emailAddresses !== undefined)
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @IsEmail({}, { each: true }) @MaxLength(254, { each: true })
  emailAddresses?: string[];

  @ApiPropertyOptional({ description: 'Required for the webhook channel' })
  @ValidateIf((o) => o.channel === 'webhook' || o.webhookUrl !== undefined)
  @IsString() @MaxLength(2000) @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  webhookUrl?: string;
}

export class UpdateSubscriptionDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) @OneLine() name?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @IsTopicPattern({ each: true })
  topicPatterns?: string[];

  @ApiPropertyOptional({ enum: SEVERITIES }) @IsOptional() @IsIn(SEVERITIES) minSeverity?: Severity;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @IsEmail({}, { each: true }) @MaxLength(254, { each: true })
  emailAddresses?: string[];

  @ApiPropertyOptional()
  @IsOptional() @IsString() @MaxLength(2000) @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  webhookUrl?: string;
}

export class SubscriptionResponse {
  @ApiProperty() id: string;
  @ApiProperty() agencyId: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: [String] }) topicPatterns: string[];
  @ApiProperty({ enum: SEVERITIES }) minSeverity: Severity;
  @ApiProperty({ enum: ['email', 'webhook'] }) channel: 'email' | 'webhook';
  @ApiProperty({ type: [String] }) emailAddresses: string[];
  @ApiProperty({ nullable: true, type: String }) webhookUrl: string | null;
  @ApiProperty({ enum: ['active', 'paused', 'disabled'] }) status: string;
  @ApiProperty({ nullable: true, type: String, description: 'Why the service disabled it (410 Gone, repeated dead letters, failing too long)' })
  disabledReason: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'Start of the current run of failed attempts' })
  failingSince: string | null;
  @ApiPropertyOptional({ description: 'The whsec_ signing secret: returned only when created or rotated' })
  signingSecret?: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;
}
