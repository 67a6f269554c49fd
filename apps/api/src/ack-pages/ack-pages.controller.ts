import { Body, Controller, Get, HttpException, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ACTION_ANSWERS, ActionAnswer, requiredActionsOf, TemplateRenderer } from '@sne/core';
import { Public } from '../common/principal';
import { ActionAnswerInput, AcknowledgmentsService } from '../acknowledgments/acknowledgments.service';
import { isOneLine } from '../common/validators';

/** How the page names an answer (plain words, not the API's values). */
const ANSWER_WORDS: Record<ActionAnswer, string> = { underway: 'underway', done: 'done', not_applicable: 'not applicable' };
/** A record that has been acknowledged (and perhaps answered): nothing more is owed on it. */
const ACKNOWLEDGED = new Set(['acknowledged', 'action_completed', 'action_not_required']);

/**
 * The page behind an email's acknowledgment link. Opening it only shows the notice and a
 * confirm form (mail scanners follow links); only the POST acknowledges.
 */
@ApiExcludeController()
@Public()
@Controller('ack')
export class AckPagesController {
  constructor(
    private readonly acks: AcknowledgmentsService,
    private readonly templates: TemplateRenderer,
  ) {}

  @Get(':token')
  async show(@Param('token') token: string, @Res() res: Response) {
    await this.page(res, token);
  }

  @Post(':token')
  async confirm(@Param('token') token: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const name = typeof body?.name === 'string' ? body.name.trim() : '';
    if (!name || name.length > 200 || !isOneLine(name)) {
      return this.page(res, token, 'Please enter your name on one line (up to 200 characters).', 400);
    }
    try {
      await this.acks.acknowledgeByToken(token, name);
    } catch (err) {
      if (err instanceof HttpException && err.getStatus() === 409) return this.page(res, token, err.message, 409);
      return this.failure(res, err);
    }
    // post/redirect/get: reloading the page that follows does not send the form again.
    res.redirect(303, `/ack/${encodeURIComponent(token)}`);
  }

  /** The action form: one radio group (underway / done / not applicable) and a note per required action. */
  @Post(':token/actions')
  async answer(@Param('token') token: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const name = typeof body?.name === 'string' ? body.name.trim() : '';
    const answers: ActionAnswerInput[] = [];
    for (let i = 0; i < 100; i++) {
      const response = body?.[`action_${i}`];
      if (response === undefined) continue;
      if (!ACTION_ANSWERS.includes(response as ActionAnswer)) return this.page(res, token, 'Choose underway, done or not applicable for each action.', 400);
      const note = typeof body[`note_${i}`] === 'string' ? (body[`note_${i}`] as string).slice(0, 2000) : undefined;
      answers.push({ action: i, response: response as ActionAnswer, note });
    }
    if (!name || name.length > 200 || !isOneLine(name)) return this.page(res, token, 'Please enter your name on one line (up to 200 characters).', 400);
    if (answers.length === 0) return this.page(res, token, 'Answer at least one action.', 400);
    try {
      await this.acks.answerByToken(token, answers, name);
    } catch (err) {
      if (err instanceof HttpException && err.getStatus() < 500 && err.getStatus() !== 404 && err.getStatus() !== 410) {
        return this.page(res, token, err.message, err.getStatus());
      }
      return this.failure(res, err);
    }
    // post/redirect/get: reloading the page that follows does not send the form again.
    res.redirect(303, `/ack/${encodeURIComponent(token)}`);
  }

  private async page(res: Response, token: string, error?: string, status = 200) {
    try {
      const { notice, ack, email, agencyName, timeZone } = await this.acks.describeToken(token);
      const latest = await this.acks.latestAnswers(ack.id);
      // A notice no longer in force takes no answers, even on a record that was complete (the service refuses them too).
      const inForce = notice.status !== 'superseded' && notice.status !== 'cancelled';
      const successor = ack.status === 'superseded' || notice.status === 'superseded' ? await this.acks.successorOf(ack) : null;
      const actions = requiredActionsOf(notice).map((text, index) => {
        const answer = latest.get(index);
        // An answered action cannot go back to underway (409): the page does not offer it.
        return { index, text, answer: answer ? { ...answer, label: ANSWER_WORDS[answer.response] } : null, answered: !!answer && answer.response !== 'underway' };
      });
      res.status(status).type('html').send(
        this.templates.render('pages/acknowledge', {
          token,
          error,
          email,
          agencyName,
          timeZone,
          notice: {
            reference: notice.reference,
            title: notice.title,
            summary: notice.summary,
            bodyHtml: notice.bodyHtml,
            category: notice.category,
            severity: notice.severity,
            requiredActions: notice.requiredActions,
            status: notice.status,
          },
          actions,
          ack: {
            status: ack.status,
            acknowledged: ack.acknowledgedAt !== null,
            closed: ack.status === 'superseded' || ack.status === 'cancelled' || !inForce,
            closedReason: ack.closedReason ?? (inForce ? null : notice.status === 'cancelled' ? `notice cancelled: ${notice.cancelReason}` : 'superseded by an update'),
            // A superseded record sends the reader to the update, unless the agency's record there is done.
            // Always an object: the templates are strict, and a cancelled record has no update to point to.
            update: { reference: successor?.reference ?? null, owed: successor?.status === 'pending', done: !!successor && ACKNOWLEDGED.has(successor.status) },
            complete: ack.status === 'action_completed' || ack.status === 'action_not_required',
            actionsDueAt: ack.actionsDueAt?.toISOString(),
            dueAt: ack.dueAt?.toISOString(),
            acknowledgedAt: ack.acknowledgedAt?.toISOString(),
            by: ack.acknowledgedByName,
            late: ack.late,
          },
        }),
      );
    } catch (err) {
      this.failure(res, err);
    }
  }

  private failure(res: Response, err: unknown) {
    if (!(err instanceof HttpException)) throw err;
    const status = err.getStatus();
    res.status(status).type('html').send(this.templates.render('pages/ack-error', { status, message: err.message }));
  }
}
