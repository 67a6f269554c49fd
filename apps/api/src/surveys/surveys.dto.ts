import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { OneLine } from '../common/validators';

export const TEAM_KINDS = ['unit', 'office'] as const;
export type TeamKind = (typeof TEAM_KINDS)[number];

/** At most this many codes in one handout, and addresses in one request. */
export const MAX_CODES = 500;
export const MAX_ADDRESSES = 2000;

export class SurveyTeamDto {
  @ApiProperty({ example: 'North intake unit' }) @IsString() @MinLength(1) @MaxLength(200) @OneLine() name: string;
  @ApiPropertyOptional({ enum: TEAM_KINDS, default: 'unit' }) @IsOptional() @IsIn(TEAM_KINDS) kind?: TeamKind;
  @ApiProperty({ description: 'How many people the team has: the response rate is counted against it', example: 12 })
  @IsInt() @Min(1) @Max(100000) expectedHeadcount: number;
}

export class OpenWaveDto {
  @ApiProperty({ example: 'Spring 2027 team survey' }) @IsString() @MinLength(1) @MaxLength(200) @OneLine() title: string;
  @ApiProperty({ format: 'date', example: '2027-03-01', description: 'First day responses are taken (the agency\'s time zone)' })
  @IsISO8601({ strict: true }) @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'opensOn must be a date like 2027-03-01' }) opensOn: string;
  @ApiProperty({ format: 'date', example: '2027-03-21', description: 'Last day responses are taken' })
  @IsISO8601({ strict: true }) @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'closesOn must be a date like 2027-03-21' }) closesOn: string;
  @ApiPropertyOptional({ description: 'The survey instrument version; the current one when absent', example: '1' })
  @IsOptional() @IsString() @MaxLength(20) instrumentVersion?: string;
  @ApiProperty({ type: [SurveyTeamDto] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(200) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => SurveyTeamDto) teams: SurveyTeamDto[];
}

export class AddRecipientsDto {
  @ApiProperty({ type: [String], description: 'Email addresses of the team\'s members; duplicates (and addresses already on the wave\'s list) are skipped', example: ['a.worker@agency.example'] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_ADDRESSES) @IsString({ each: true }) @MaxLength(320, { each: true }) emails: string[];
}

export class IssueCodesDto {
  @ApiProperty({ description: 'How many one-time codes to print for the team', example: 20 })
  @IsInt() @Min(1) @Max(MAX_CODES) count: number;
}

export class SurveyTeamResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: TEAM_KINDS }) kind: TeamKind;
  @ApiProperty() expectedHeadcount: number;
  @ApiProperty({ description: 'Addresses on the list' }) recipients: number;
  @ApiProperty({ description: 'Addresses sent their link' }) invited: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'Responses received (a count only). null while the wave takes answers (see reachedMinimum), and once closed for a team the results hide (fewer than minResponses, or hidden with one that has): the same counts as the results',
  })
  responses: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Responses over the expected headcount, 0–1 (may pass 1 when the headcount was low); null when responses is' })
  responseRate: number | null;
  @ApiProperty({ description: 'Whether the team has at least minResponses responses, so that its results can be shown on their own' }) reachedMinimum: boolean;
  @ApiProperty({ enum: ['too-few', 'complementary'], nullable: true, description: 'Closed waves: why the results hide the team, as in the results; null otherwise' })
  suppressed: 'too-few' | 'complementary' | null;
}

/** A wave's own figures: all a supervisor's list shows of it (survey-wave-summary.ts). */
export class SurveyWaveSummaryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty() instrumentVersion: string;
  @ApiProperty({ format: 'date' }) opensOn: string;
  @ApiProperty({ format: 'date' }) closesOn: string;
  @ApiProperty({ enum: ['open', 'closed'] }) status: 'open' | 'closed';
  @ApiProperty({ description: 'Whether responses are taken today: open, and today within the window' }) acceptingResponses: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt: string | null;
  @ApiProperty({ description: 'SURVEY_MIN_RESPONSES: no count below it is shown' }) minResponses: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Responses to the whole wave; null while fewer than minResponses' }) responses: number | null;
  @ApiProperty() expectedHeadcount: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Responses over the expected headcount; null when responses is' }) responseRate: number | null;
}

/** A wave as the agency admins who run it see it. */
export class SurveyWaveResponse extends SurveyWaveSummaryResponse {
  @ApiProperty({ description: 'Reminders sent so far' }) reminders: number;
  @ApiProperty({ type: [SurveyTeamResponse] }) teams: SurveyTeamResponse[];
}

/** A wave in the list: in full for agency admins, its own figures only for supervisors. */
export class SurveyWaveListItemResponse extends SurveyWaveSummaryResponse {
  @ApiPropertyOptional({ description: 'Reminders sent so far. Agency admins only' }) reminders?: number;
  @ApiPropertyOptional({ type: [SurveyTeamResponse], description: "Agency admins only: a supervisor's list stops at the wave's own figures (a closed wave's teams are in its results)" })
  teams?: SurveyTeamResponse[];
}

export class AddRecipientsResponse {
  @ApiProperty({ description: 'Addresses added to the list' }) added: number;
  @ApiProperty({ description: 'Addresses skipped: repeated in the request, or already on the wave\'s list' }) skipped: number;
}

export class SendOutcomeResponse {
  @ApiProperty({ description: 'Messages the mail server accepted' }) sent: number;
  @ApiProperty({ type: [String], description: 'Addresses the mail server refused (reported here once, never stored)' }) failed: string[];
}

export class IssuedCodesResponse {
  @ApiProperty({ format: 'uuid' }) teamId: string;
  @ApiProperty({ type: [String], description: 'The one-time codes, shown this once: only their hashes are kept' }) codes: string[];
}
