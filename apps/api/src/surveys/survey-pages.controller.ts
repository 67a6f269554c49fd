import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CultureInstrument, DeidFinding, TemplateRenderer } from '@sne/core';
import { Public } from '../common/principal';
import { SurveyResponsesService, TokenWave } from './survey-responses.service';
import { normalizedCode } from './survey-tokens';

/** Why a link or code cannot be answered, in plain words, and the status that goes with it. */
const REFUSALS = {
  used: { status: 410, heading: 'This link has been used or has expired', message: 'Each survey link and each team code can be used once. If you have already answered, thank you: your answers are in. A link also stops working when its survey closes.' },
  closed: { status: 410, heading: 'This survey is closed', message: 'The survey no longer takes answers. Nothing was recorded from this page.' },
  'not-yet-open': { status: 409, heading: 'This survey is not open yet', message: 'Come back on the first day of the survey: your link will work then. Nothing was recorded from this page.' },
} as const;

/**
 * The respondent's pages: public, the one-time token (an emailed link or a team code) is the
 * credential. Nothing here sets a cookie or logs the address; the pages are not cached and send no
 * referrer, so the token does not travel beyond this server.
 */
@ApiExcludeController()
@Public()
@Controller('survey')
export class SurveyPagesController {
  constructor(
    private readonly responses: SurveyResponsesService,
    private readonly templates: TemplateRenderer,
  ) {}

  /** Entering a team code handed out in person. */
  @Get()
  codeEntry(@Res() res: Response) {
    this.send(res, 200, 'pages/survey-code', {});
  }

  @Post()
  async enterCode(@Body() body: Record<string, unknown>, @Res() res: Response) {
    const typed = typeof body?.code === 'string' ? body.code : '';
    const code = normalizedCode(typed);
    if (!code) return this.send(res, 400, 'pages/survey-code', { error: 'Enter the code exactly as printed: 16 letters and digits, like ABCD-EFGH-JKMN-PQRS.' });
    const state = await this.responses.state(code);
    if (state.state === 'used') return this.send(res, 410, 'pages/survey-code', { error: 'This code is not valid, or it has been used. Each code can be used once.' });
    res.redirect(303, `/survey/${code}`);
  }

  /** Where a response lands (post/redirect/get: reloading it sends nothing again). */
  @Get('thanks')
  thanks(@Res() res: Response) {
    this.send(res, 200, 'pages/survey-thanks', {});
  }

  @Get(':token')
  async show(@Param('token') token: string, @Res() res: Response) {
    const state = await this.responses.state(token);
    if (state.state !== 'open') return this.refuse(res, state.state, state.state === 'used' ? undefined : state.wave);
    this.form(res, 200, token, state.wave, {}, {});
  }

  @Post(':token')
  async submit(@Param('token') token: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const state = await this.responses.state(token);
    if (state.state !== 'open') return this.refuse(res, state.state, state.state === 'used' ? undefined : state.wave);
    const { answers, openAnswers, problems } = readForm(state.wave.instrument, body ?? {});
    if (problems.length) return this.form(res, 400, token, state.wave, answers, openAnswers, { problems });
    const result = await this.responses.submit(token, answers, openAnswers);
    switch (result.outcome) {
      case 'recorded':
        return res.redirect(303, '/survey/thanks');
      case 'invalid':
        return this.form(res, 400, token, state.wave, answers, openAnswers, { problems: result.problems });
      case 'identifying':
        return this.form(res, 422, token, state.wave, answers, openAnswers, { findings: describeFindings(state.wave.instrument, result.findings) });
      default:
        return this.refuse(res, result.outcome, state.wave);
    }
  }

  private form(res: Response, status: number, token: string, wave: TokenWave, answers: Record<string, unknown>, openAnswers: Record<string, string>, extra: { problems?: string[]; findings?: string[] } = {}) {
    const ins = wave.instrument;
    this.send(res, status, 'pages/survey', {
      token,
      wave: { title: wave.title, agencyName: wave.agencyName, teamName: wave.teamName, closesOn: wave.closesOn },
      domains: ins.domains.map((d) => ({
        id: d.id,
        title: d.title,
        items: d.items.map((item, n) => ({
          id: item.id,
          field: `${d.id}-${n}`,
          text: item.text,
          choices: ins.scale.map((s) => ({ value: s.value, label: s.label, checked: answers[item.id] === s.value })),
        })),
      })),
      openQuestions: ins.openQuestions.map((q, n) => ({ id: q.id, field: `open-${n}`, text: q.text, value: openAnswers[q.id] ?? '' })),
      problems: extra.problems ?? null,
      findings: extra.findings ?? null,
    });
  }

  private refuse(res: Response, why: keyof typeof REFUSALS, wave?: TokenWave) {
    const r = REFUSALS[why];
    this.send(res, r.status, 'pages/survey-closed', { heading: r.heading, message: r.message, wave: wave ? { title: wave.title, opensOn: wave.opensOn, closesOn: wave.closesOn } : null });
  }

  private send(res: Response, status: number, view: string, data: object) {
    // No cache keeps a page carrying the token; no Referer header carries it elsewhere.
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.status(status).type('html').send(this.templates.render(view, data));
  }
}

/** Reads the posted form: a Likert answer per item (1–5), text per open question; anything else is a problem. */
export function readForm(ins: CultureInstrument, body: Record<string, unknown>): { answers: Record<string, unknown>; openAnswers: Record<string, string>; problems: string[] } {
  const items = new Set(ins.domains.flatMap((d) => d.items.map((i) => i.id)));
  const open = new Set(ins.openQuestions.map((q) => q.id));
  const answers: Record<string, unknown> = {};
  const openAnswers: Record<string, string> = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (items.has(key)) {
      if (value === '' || value === undefined) continue;
      answers[key] = typeof value === 'string' && /^\d{1,2}$/.test(value) ? Number(value) : value;
    } else if (open.has(key)) {
      if (typeof value !== 'string') problems.push('An open answer is text.');
      else if (value.trim()) openAnswers[key] = value;
    } else {
      problems.push('The form sent something that is not a question of this survey.');
    }
  }
  return { answers, openAnswers, problems };
}

/** Each finding, said so that the respondent can find it and take it out. */
function describeFindings(ins: CultureInstrument, findings: DeidFinding[]): string[] {
  return findings.map((f) => {
    const n = ins.openQuestions.findIndex((q) => q.id === f.field);
    return `Your answer to question ${n + 1} of the open questions contains “${f.text}”: ${f.reason}. Please take it out.`;
  });
}
