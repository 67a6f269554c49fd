import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ReportFormatQuery } from '../reports/reports.dto';

export class SurveyResultsQuery extends ReportFormatQuery {}

export class SurveyWaveSummary {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty() instrumentVersion: string;
  @ApiProperty({ format: 'date' }) opensOn: string;
  @ApiProperty({ format: 'date' }) closesOn: string;
  @ApiProperty({ enum: ['open', 'closed'] }) status: string;
}

export class PublishedDomainDto {
  @ApiProperty() domainId: string;
  @ApiProperty() title: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Responses that answered at least one item of the domain' }) respondents: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Answers to the domain’s items' }) answers: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Positive answers (reverse-worded items reversed)' }) positives: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Mean over the items of each item’s share of positive answers, 0..1 (AHRQ composite)' }) percentPositive: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Mean scored answer, 1..5, positive is high' }) mean: number | null;
  @ApiProperty({ nullable: true, type: [Number], description: 'Counts of scored answers 1..5' }) distribution: number[] | null;
  @ApiPropertyOptional({ description: 'The group’s figures for this domain are withheld (every figure null): fewer than SURVEY_MIN_RESPONSES of the group answered one of its items, or (a team) it is hidden in this domain so that agency minus the shown teams holds none or at least that many answerers to each item, or (the agency) the hidden teams’ answers would be unanimous, so their answers would follow' }) withheld?: boolean;
}

export class PublishedGroupDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Expected headcount' }) expected: number;
  @ApiProperty({ nullable: true, type: Number, description: 'null: suppressed' }) responses: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'responses / expected headcount' }) responseRate: number | null;
  @ApiProperty({ nullable: true, type: String, enum: ['too-few', 'complementary'], description: 'too-few: fewer than minResponses; complementary: hidden so that subtraction cannot give a small team back' }) suppressed: string | null;
  @ApiProperty({ nullable: true, type: [PublishedDomainDto] }) domains: PublishedDomainDto[] | null;
}

export class CombinedTeams {
  @ApiProperty({ description: 'Teams rolled up into the agency only' }) teams: number;
  @ApiProperty({ nullable: true, type: Number }) responses: number | null;
}

export class WaveRef {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
}

export class DomainChangeDto {
  @ApiProperty() domainId: string;
  @ApiProperty() title: string;
  @ApiProperty({ description: 'Percent positive now minus the previous wave, −1..1' }) difference: number;
  @ApiProperty({ description: '95% interval, Newcombe hybrid score method' }) lower: number;
  @ApiProperty() upper: number;
  @ApiProperty({ enum: ['up', 'down', 'no clear change'] }) verdict: string;
  @ApiProperty({ example: 'no clear change (4 points; 95% CI −9 to 17 points)' }) text: string;
}

export class TeamChanges {
  @ApiProperty() team: string;
  @ApiProperty({ type: [DomainChangeDto] }) domains: DomainChangeDto[];
}

export class SurveyChanges {
  @ApiProperty({ type: [DomainChangeDto] }) agency: DomainChangeDto[];
  @ApiProperty({ type: [TeamChanges] }) teams: TeamChanges[];
}

export class FreeTextGroupDto {
  @ApiProperty({ description: 'A team shown on its own, or "Other teams combined"' }) group: string;
  @ApiProperty() questionId: string;
  @ApiProperty() question: string;
  @ApiProperty({ type: [String], description: 'Sorted by text: no order of arrival' }) texts: string[];
}

export class ResultRowDto {
  @ApiProperty() group: string;
  @ApiProperty({ enum: ['agency', 'team'] }) groupKind: string;
  @ApiProperty({ nullable: true, type: Number }) responses: number | null;
  @ApiProperty() expected: number;
  @ApiProperty({ nullable: true, type: Number }) responseRate: number | null;
  @ApiProperty({ nullable: true, type: String }) suppressed: string | null;
  @ApiProperty() domainId: string;
  @ApiProperty() domain: string;
  @ApiProperty({ nullable: true, type: Number }) percentPositive: number | null;
  @ApiProperty({ nullable: true, type: Number }) mean: number | null;
  @ApiProperty({ nullable: true, type: Number }) answers: number | null;
  @ApiProperty({ nullable: true, type: [Number] }) distribution: number[] | null;
  @ApiProperty({ nullable: true, type: Number }) changeVsPrevious: number | null;
  @ApiProperty({ nullable: true, type: Number }) changeLower: number | null;
  @ApiProperty({ nullable: true, type: Number }) changeUpper: number | null;
  @ApiProperty({ nullable: true, type: String }) changeVerdict: string | null;
}

export class SurveyResultsReportDto {
  @ApiProperty({ type: SurveyWaveSummary }) wave: SurveyWaveSummary;
  @ApiProperty({ description: 'SURVEY_MIN_RESPONSES: fewer responses than this show no figure' }) minResponses: number;
  @ApiProperty({ type: PublishedGroupDto }) agency: PublishedGroupDto;
  @ApiProperty({ type: [PublishedGroupDto] }) teams: PublishedGroupDto[];
  @ApiProperty({ type: CombinedTeams }) combined: CombinedTeams;
  @ApiProperty({ nullable: true, type: WaveRef }) previousWave: WaveRef | null;
  @ApiProperty({ type: SurveyChanges }) changes: SurveyChanges;
  @ApiProperty({ type: [FreeTextGroupDto] }) freeText: FreeTextGroupDto[];
  @ApiProperty({ type: [ResultRowDto], description: 'The CSV rows: one per group and domain' }) items: ResultRowDto[];
}
