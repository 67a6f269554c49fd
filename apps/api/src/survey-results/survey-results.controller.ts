import { Controller, Get, Param, ParseUUIDPipe, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiErrors, ApiReportResponse } from '../common/api-docs';
import { CurrentPrincipal, Principal } from '../common/principal';
import { sendReport } from '../reports/report-format';
import { SurveyResultsQuery, SurveyResultsReportDto } from './survey-results.dto';
import { SurveyResultsService } from './survey-results.service';

export const SURVEY_RESULT_COLUMNS = [
  'group', 'groupKind', 'responses', 'expected', 'responseRate', 'suppressed', 'domainId', 'domain', 'percentPositive', 'mean', 'answers',
  'distribution', 'changeVsPrevious', 'changeLower', 'changeUpper', 'changeVerdict',
];

@ApiTags('surveys')
@ApiBearerAuth()
@ApiErrors(400, 401, 403, 404)
@Controller('api/v1/surveys')
export class SurveyResultsController {
  constructor(private readonly results: SurveyResultsService) {}

  @Get('waves/:id/results')
  @ApiOperation({
    summary: "A survey wave's results: per team and for the agency, with small teams suppressed",
    description:
      'Your own agency’s waves only (another agency’s: 404), once closed (an open wave: 409, since results read before and after one ' +
      'person answers would give their answers away). Per group: responses, response rate against the expected headcount, and per domain ' +
      'the percent positive (mean over the items of the share of Agree/Strongly agree answers, reverse-worded items reversed), the mean and the ' +
      'distribution. A team with fewer than SURVEY_MIN_RESPONSES responses shows nothing and is rolled into the agency, with a second team hidden ' +
      'so subtraction cannot give it back; per domain the same test is made on who answered each of its items (a team\'s domain is withheld, or one more ' +
      'team hidden for that domain, rather than show a figure that, directly or as agency minus the shown teams, comes from fewer than that). Change against the previous wave with a 95% Newcombe interval. Free text only where the threshold is ' +
      'met. CSV (`?format=csv`): one row per group and domain.',
  })
  @ApiReportResponse(SurveyResultsReportDto)
  @ApiErrors(409)
  async get(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: SurveyResultsQuery,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const report = await this.results.results(p, id);
    return sendReport(req, res, q.format, report, { paths: SURVEY_RESULT_COLUMNS, filename: `survey-results-${id}` });
  }
}
