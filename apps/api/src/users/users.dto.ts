import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsEmail, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { Role, ROLES } from '@sne/core';
import { ListQuery } from '../common/paging';
import { OneLine } from '../common/validators';

export class CreateUserDto {
  @ApiPropertyOptional({ description: 'Partnership admins only: create the user in another agency' }) @IsOptional() @IsUUID() agencyId?: string;
  @ApiProperty() @IsEmail() @MaxLength(254) email: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) @OneLine() name: string;
  @ApiProperty({ enum: ROLES, isArray: true }) @IsArray() @ArrayMinSize(1) @IsIn(ROLES, { each: true }) roles: Role[];
  @ApiPropertyOptional({ enum: ['person', 'service'], default: 'person', description: "service: an agency's system, with API keys and no password" })
  @IsOptional() @IsIn(['person', 'service']) kind?: 'person' | 'service';
}

export class ListUsersQuery extends ListQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() agencyId?: string;
}

export class SetRolesDto {
  @ApiProperty({ enum: ROLES, isArray: true, description: 'The complete new set of roles; only roles the caller could grant' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(ROLES.length) @IsIn(ROLES, { each: true }) roles: Role[];
}

export class DisableUserDto {
  @ApiPropertyOptional({ description: 'Why, for the audit log', example: 'left the agency' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(500) reason?: string;
}

/** What can be changed about a user besides roles and sign-in: the name and the email address (which they sign in with). */
export class UpdateUserDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) @OneLine() name?: string;
  @ApiPropertyOptional({ description: 'Their sign-in; unique across the partnership (409 when taken)' }) @IsOptional() @IsEmail() @MaxLength(254) email?: string;
}
