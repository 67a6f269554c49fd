import { Body, Controller, Get, HttpException, Param, ParseUUIDPipe, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Principal } from '../common/principal';
import { MAX_ADDRESSES, OpenWaveDto } from '../surveys/surveys.dto';
import { SurveysService } from '../surveys/surveys.service';
import { teamProgressText, waveProgressText } from './survey-progress-text';
import { ConsoleExceptionFilter } from './console.filter';
import { ConsolePages, requireRole } from './console-page';
import { ConsoleViews } from './console.views';
import { errorList, FieldErrors, refusal, validateAs } from './console-forms';
import { linesOf, listOf, shortDate, str } from './console-format';
import { OneTimeSlots } from './one-time-slot';

/** What the wave page says once after a form on it: counts, and the addresses the mail server refused. */
interface Outcome {
  text: string;
  refused?: string[];
}

/** A problem to show on the wave page instead of an outcome: beside a team's addresses, or at the top. */
interface WaveProblem {
  teamId?: string;
  message: string;
  addresses?: string;
}

const FIELD_IDS: Record<string, string> = { title: 'title', opensOn: 'opensOn', closesOn: 'closesOn', teams: 'teams' };

/**
 * Running a survey wave from the console (agency admins): open it with its teams, add each team's
 * addresses, send the links, remind everyone, close it. Every form goes through SurveysService,
 * the same calls as the API; the page after each form says what happened once (one-time slot).
 */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console/surveys')
export class ConsoleSurveyWaveController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly pages: ConsolePages,
    private readonly surveys: SurveysService,
    private readonly slots: OneTimeSlots,
  ) {}

  @Get('new')
  async newWave(@CurrentPrincipal() p: Principal, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin');
    await this.formPage(p, req, res, { title: '', opensOn: '', closesOn: '', teams: '' }, {});
  }

  @Post()
  async open(@CurrentPrincipal() p: Principal, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin');
    const values = { title: str(body?.title).trim(), opensOn: str(body?.opensOn).trim(), closesOn: str(body?.closesOn).trim(), teams: str(body?.teams) };
    const { teams, problem } = teamsOf(values.teams);
    const dto = { title: values.title, opensOn: values.opensOn, closesOn: values.closesOn, teams };
    const found = await validateAs(OpenWaveDto, dto, {
      title: 'Enter a title of at most 200 characters.',
      opensOn: 'Enter the first day answers are taken, like 2027-03-01.',
      closesOn: 'Enter the last day answers are taken, like 2027-03-21.',
    });
    const errors: FieldErrors = {};
    for (const f of ['title', 'opensOn', 'closesOn'] as const) if (found[f]) errors[f] = found[f];
    if (problem) errors.teams = problem;
    else if (found.teams || found.name || found.expectedHeadcount) errors.teams = 'Enter one to 200 teams, each a name of at most 200 characters and a headcount from 1 to 100000.';
    if (Object.keys(errors).length) return this.formPage(p, req, res, values, errors, 400);
    let wave;
    try {
      wave = await this.surveys.open(p, dto as OpenWaveDto);
    } catch (err) {
      const r = refusal(err);
      if (!r) throw err;
      const field = /closesOn/.test(r.message) ? 'closesOn' : /team/i.test(r.message) ? 'teams' : 'title';
      const message = field === 'closesOn' ? 'The last day must be on or after the first day.' : r.message;
      return this.formPage(p, req, res, values, { [field]: message }, r.status);
    }
    res.redirect(303, `/console/surveys/${wave.id}?done=wave_opened`);
  }

  @Get(':id')
  async show(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin');
    const outcome = await this.slots.take<Outcome>(p, `survey-outcome:${id}`);
    await this.wavePage(p, req, res, id, outcome);
  }

  @Post(':id/teams/:teamId/recipients')
  async addRecipients(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('teamId', ParseUUIDPipe) teamId: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    requireRole(p, 'agency_admin');
    const addresses = str(body?.emails);
    const emails = listOf(addresses);
    if (emails.length === 0 || emails.length > MAX_ADDRESSES) {
      return this.wavePage(p, req, res, id, undefined, { teamId, addresses, message: `Enter from 1 to ${MAX_ADDRESSES} email addresses, one a line or separated by commas.` }, 400);
    }
    return this.act(p, req, res, id, { teamId, addresses }, async () => {
      const r = await this.surveys.addRecipients(p, id, teamId, { emails });
      return { text: `${r.added} address${r.added === 1 ? '' : 'es'} added${r.skipped ? `; ${r.skipped} skipped, already on the list` : ''}. Send the invitations when the list is complete.` };
    });
  }

  @Post(':id/invitations')
  async invite(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin');
    return this.act(p, req, res, id, {}, async () => {
      const r = await this.surveys.invite(p, id);
      return { text: `${r.sent} invitation${r.sent === 1 ? ' was' : 's were'} sent.${r.failed.length ? ' The mail server refused these addresses: check them, then send the invitations again.' : ''}`, refused: r.failed };
    });
  }

  @Post(':id/reminders')
  async remind(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin');
    return this.act(p, req, res, id, {}, async () => {
      const r = await this.surveys.remind(p, id);
      return { text: `A reminder went to ${r.sent} address${r.sent === 1 ? '' : 'es'}.`, refused: r.failed };
    });
  }

  @Post(':id/close')
  async close(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin');
    if (str(body?.confirm) !== 'yes') {
      return this.wavePage(p, req, res, id, undefined, { teamId: 'close', message: 'Tick the box to confirm: links and codes not yet used stop working at once.' }, 400);
    }
    try {
      await this.surveys.close(p, id);
    } catch (err) {
      const r = refusal(err);
      if (!r || r.status === 404) throw err;
      return this.wavePage(p, req, res, id, undefined, { message: r.message }, r.status);
    }
    res.redirect(303, `/console/surveys/${id}?done=wave_closed`);
  }

  /** Runs a form's service call: its outcome goes to the one-time slot and the page is redirected to; a refusal is shown at once. */
  private async act(p: Principal, req: Request, res: Response, id: string, at: { teamId?: string; addresses?: string }, run: () => Promise<Outcome>) {
    let outcome: Outcome;
    try {
      outcome = await run();
    } catch (err) {
      const r = refusal(err);
      if (!r || r.status === 404) throw err;
      return this.wavePage(p, req, res, id, undefined, { ...at, message: r.status === 429 ? await this.tryLater(p, err, r.message) : r.message }, r.status);
    }
    await this.slots.put(p, `survey-outcome:${id}`, outcome);
    res.redirect(303, `/console/surveys/${id}`);
  }

  /** The reminder limit in plain words, with the time it lifts in the agency's time zone. */
  private async tryLater(p: Principal, err: unknown, message: string): Promise<string> {
    const retryAfter = Number(((err as HttpException).cause as { retryAfter?: number } | undefined)?.retryAfter);
    if (!Number.isFinite(retryAfter)) return message;
    const { timeZone } = await this.pages.user(p);
    return `A reminder went to everyone less than a day ago, so the next one can be sent from ${shortDate(new Date(Date.now() + retryAfter * 1000), timeZone)}.`;
  }

  private async formPage(p: Principal, req: Request, res: Response, values: Record<string, string>, errors: FieldErrors, status = 200) {
    const model = await this.pages.model(p, req, 'Open a survey wave', 'surveys', { values, errors, hasErrors: Object.keys(errors).length > 0, errorList: errorList(errors, FIELD_IDS) });
    this.views.send(res, 'surveys/new', model, status);
  }

  private async wavePage(p: Principal, req: Request, res: Response, id: string, outcome?: Outcome, problem?: WaveProblem, status = 200) {
    const wave = await this.surveys.get(p, id);
    const model = await this.pages.model(p, req, wave.title, 'surveys', {
      wave: {
        ...wave,
        progress: waveProgressText(wave),
        open: wave.status === 'open',
        invited: wave.teams.reduce((s, t) => s + t.invited, 0),
        notInvited: wave.teams.reduce((s, t) => s + t.recipients - t.invited, 0),
        teams: wave.teams.map((t) => ({
          ...t,
          progress: teamProgressText(t, wave.minResponses, wave.status === 'closed'),
          problem: problem?.teamId === t.id ? problem.message : null,
          addresses: problem?.teamId === t.id ? problem.addresses ?? '' : '',
        })),
      },
      outcome: outcome ?? null,
      closeProblem: problem?.teamId === 'close' ? problem.message : null,
      problem: problem && !problem.teamId ? problem.message : null,
    });
    this.views.send(res, 'surveys/wave', model, status);
  }
}

/** "North intake unit, 12" a line: the teams, or what is wrong with a line. */
export function teamsOf(text: string): { teams: { name: string; expectedHeadcount: number }[]; problem?: string } {
  const lines = linesOf(text);
  if (lines.length === 0) return { teams: [], problem: 'Enter at least one team: its name, a comma and how many people it has.' };
  const teams: { name: string; expectedHeadcount: number }[] = [];
  for (const [i, line] of lines.entries()) {
    const m = /^(.*),\s*(\d{1,6})$/.exec(line);
    if (!m || !m[1].trim()) return { teams, problem: `Line ${i + 1} ("${line.slice(0, 60)}") needs a team name, a comma and a headcount, like "North intake unit, 12".` };
    teams.push({ name: m[1].trim(), expectedHeadcount: Number(m[2]) });
  }
  return { teams };
}
