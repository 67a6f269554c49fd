import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, BODY_ERRORS } from '../common/api-docs';
import { CurrentPrincipal, Principal } from '../common/principal';
import { AddRecipientsDto, AddRecipientsResponse, IssueCodesDto, IssuedCodesResponse, OpenWaveDto, SendOutcomeResponse, SurveyWaveListItemResponse, SurveyWaveResponse } from './surveys.dto';
import { SurveysService } from './surveys.service';

/** Team safety-culture survey waves of the caller's agency (agency admins; supervisors list them): collection only; results are elsewhere. */
@ApiTags('surveys')
@ApiBearerAuth()
@Controller('api/v1/surveys/waves')
export class SurveysController {
  constructor(private readonly surveys: SurveysService) {}

  @Post()
  @ApiOperation({ summary: 'Open a survey wave for teams of the agency, over a window of dates' })
  @ApiCreatedResponse({ type: SurveyWaveResponse })
  @ApiErrors(400, 401, 403, ...BODY_ERRORS)
  open(@CurrentPrincipal() p: Principal, @Body() dto: OpenWaveDto) {
    return this.surveys.open(p, dto);
  }

  @Get()
  @ApiOperation({
    summary: "The agency's waves, newest first, with response counts (counts only; none below SURVEY_MIN_RESPONSES: per team, whether it has reached it while the wave runs, the results' counts once closed)",
    description:
      "Agency admins get each wave in full. Supervisors (read-only: to find a wave and open its results) get each wave's own figures only: title, dates, status, instrument, and the wave's total and response rate (null below SURVEY_MIN_RESPONSES); no teams, address lists or reminders.",
  })
  @ApiOkResponse({ type: [SurveyWaveListItemResponse] })
  @ApiErrors(400, 401, 403)
  list(@CurrentPrincipal() p: Principal) {
    return this.surveys.list(p);
  }

  @Get(':id')
  @ApiOkResponse({ type: SurveyWaveResponse })
  @ApiErrors(400, 401, 403, 404)
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.surveys.get(p, id);
  }

  @Post(':id/teams/:teamId/recipients')
  @HttpCode(200)
  @ApiOperation({ summary: "Add email addresses to a team's list (validated; repeats skipped)" })
  @ApiOkResponse({ type: AddRecipientsResponse })
  @ApiErrors(400, 401, 403, 404, [409, 'The wave is closed'], ...BODY_ERRORS)
  addRecipients(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Param('teamId', ParseUUIDPipe) teamId: string, @Body() dto: AddRecipientsDto) {
    return this.surveys.addRecipients(p, id, teamId, dto);
  }

  @Post(':id/invitations')
  @HttpCode(200)
  @ApiOperation({ summary: 'Email each address not yet invited its own one-time link, straight to the mail server (no queue keeps address and link)' })
  @ApiOkResponse({ type: SendOutcomeResponse })
  @ApiErrors(400, 401, 403, 404, [409, 'The wave is closed or past its window, or every address has its link'], ...BODY_ERRORS)
  invite(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.surveys.invite(p, id);
  }

  @Post(':id/reminders')
  @HttpCode(200)
  @ApiOperation({ summary: 'Remind the whole list ("if you have already answered, thank you"): at most one a day' })
  @ApiOkResponse({ type: SendOutcomeResponse })
  @ApiErrors(400, 401, 403, 404, [409, 'The wave is closed or past its window, or no one has been invited'], 413, 415, [429, 'A reminder went out less than 24 hours ago, or too many requests (Retry-After says when to retry)'])
  remind(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.surveys.remind(p, id);
  }

  @Post(':id/teams/:teamId/codes')
  @HttpCode(200)
  @ApiOperation({ summary: 'One-time team codes to hand out in person: shown in this response only (the console prints them once)' })
  @ApiOkResponse({ type: IssuedCodesResponse })
  @ApiErrors(400, 401, 403, 404, [409, 'The wave is closed'], ...BODY_ERRORS)
  async issueCodes(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Param('teamId', ParseUUIDPipe) teamId: string, @Body() dto: IssueCodesDto) {
    const { codes } = await this.surveys.issueCodes(p, id, teamId, dto.count);
    return { teamId, codes };
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close the wave: no more responses; unused links and codes are deleted' })
  @ApiOkResponse({ type: SurveyWaveResponse })
  @ApiErrors(400, 401, 403, 404, [409, 'The wave is already closed'], ...BODY_ERRORS)
  close(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.surveys.close(p, id);
  }
}
