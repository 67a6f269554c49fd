import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '@sne/core';
import { CurrentPrincipal, Principal } from '../common/principal';
import { MAX_CODES } from '../surveys/surveys.dto';
import { SurveysService } from '../surveys/surveys.service';
import { runsSurveys } from '../surveys/survey-wave-summary';
import { groupedCode } from '../surveys/survey-tokens';
import { teamProgressText, waveProgressText } from './survey-progress-text';
import { ConsoleExceptionFilter } from './console.filter';
import { ConsolePages, requireRole } from './console-page';
import { ConsoleViews } from './console.views';
import { refusal } from './console-forms';
import { OneTimeSlots } from './one-time-slot';

/** What the handout page prints once, kept in a one-time slot between the POST and its redirect. */
interface IssuedCodes {
  waveTitle: string;
  agencyName: string;
  teamName: string;
  closesOn: string;
  codes: string[];
}

/**
 * Survey waves in the console (agency admins; supervisors read the list and open the results):
 * each wave's teams with their counts, and one-time team codes for in-person handout, printed
 * once. The codes exist in the clear only in the session's one-time slot (sealed, five minutes)
 * and on the page that takes them; the database keeps their hashes.
 */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console/surveys')
export class ConsoleSurveysController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly pages: ConsolePages,
    private readonly surveys: SurveysService,
    private readonly slots: OneTimeSlots,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Agency admins: every wave with its teams and the code forms. Supervisors: the waves and links to their results, no form. */
  @Get()
  async list(@CurrentPrincipal() p: Principal, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin', 'supervisor');
    await this.listPage(p, req, res);
  }

  @Post(':id/teams/:teamId/codes')
  async issueCodes(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('teamId', ParseUUIDPipe) teamId: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    requireRole(p, 'agency_admin');
    const count = typeof body?.count === 'string' && /^\d{1,4}$/.test(body.count.trim()) ? Number(body.count.trim()) : NaN;
    if (!(count >= 1 && count <= MAX_CODES)) return this.listPage(p, req, res, { waveId: id, teamId, message: `Enter how many codes to print: a whole number from 1 to ${MAX_CODES}.` }, 400);
    let issued;
    try {
      issued = await this.surveys.issueCodes(p, id, teamId, count);
    } catch (err) {
      const r = refusal(err);
      if (!r || r.status === 404) throw err;
      return this.listPage(p, req, res, { waveId: id, teamId, message: r.message }, r.status);
    }
    const handout: IssuedCodes = { waveTitle: issued.wave.title, agencyName: issued.wave.agency_name, teamName: issued.teamName, closesOn: issued.wave.closes_on, codes: issued.codes.map(groupedCode) };
    await this.slots.put(p, `survey-codes:${id}`, handout);
    res.redirect(303, `/console/surveys/${id}/codes`);
  }

  /** The printable handout: shown once, from the session's one-time slot; reloading shows nothing and issues nothing. */
  @Get(':id/codes')
  async codes(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    requireRole(p, 'agency_admin');
    const wave = await this.surveys.get(p, id);
    const handout = await this.slots.take<IssuedCodes>(p, `survey-codes:${id}`);
    const user = await this.pages.user(p);
    this.views.send(res, 'surveys/codes', {
      printing: true,
      user,
      title: `Survey codes: ${wave.title}`,
      reference: wave.title,
      printedAt: new Date().toISOString(),
      back: '/console/surveys',
      backLabel: 'Back to the surveys',
      wave: { id: wave.id, title: wave.title },
      handout: handout ?? null,
      surveyUrl: `${this.config.publicUrl}/survey`,
    });
  }

  private async listPage(p: Principal, req: Request, res: Response, problem?: { waveId: string; teamId: string; message: string }, status = 200) {
    const waves = await this.surveys.list(p);
    const model = await this.pages.model(p, req, 'Team surveys', 'surveys', {
      // The service gives a supervisor no teams: the page has no team table and no form for them.
      runsSurveys: runsSurveys(p),
      minResponses: this.config.surveyMinResponses,
      waves: waves.map((w) => ({
        ...w,
        progress: waveProgressText(w),
        teams: w.teams?.map((t) => ({ ...t, progress: teamProgressText(t, w.minResponses, w.status === 'closed'), problem: problem && problem.waveId === w.id && problem.teamId === t.id ? problem.message : null })),
      })),
      maxCodes: MAX_CODES,
      problem: problem?.message ?? null,
    });
    this.views.send(res, 'surveys/list', model, status);
  }
}
