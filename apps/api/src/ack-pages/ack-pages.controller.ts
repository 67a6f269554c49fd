import { Body, Controller, Get, HttpException, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { TemplateRenderer } from '@sne/core';
import { Public } from '../common/principal';
import { AcknowledgmentsService } from '../acknowledgments/acknowledgments.service';

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
    if (!name || name.length > 200) {
      return this.page(res, token, 'Please enter your name (up to 200 characters).', 400);
    }
    try {
      await this.acks.acknowledgeByToken(token, name);
    } catch (err) {
      return this.failure(res, err);
    }
    return this.page(res, token);
  }

  private async page(res: Response, token: string, error?: string, status = 200) {
    try {
      const { notice, ack, email, agencyName, timeZone } = await this.acks.describeToken(token);
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
          ack: {
            acknowledged: ack.status === 'acknowledged',
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
