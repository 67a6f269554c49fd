import { Controller, Get, Inject, Param, ParseUUIDPipe, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@sne/core';
import { CurrentPrincipal, Principal } from '../common/principal';
import { NoticesService } from '../notices/notices.service';
import { TopicsService } from '../topics/topics.controller';
import { TrackingService } from '../tracking/tracking.service';
import { ConsoleExceptionFilter } from './console.filter';
import { ConsolePages } from './console-page';
import { dueDefaults } from './console-notice-page';
import { ConsoleViews } from './console.views';

/**
 * Records that go in a case file: a notice and its acknowledgment report as print pages. No
 * navigation and no forms; every printed page carries the notice's reference, "printed on … by …"
 * and its page number (CSS paged media: templates/partials/console-print-layout.hbs). Reached
 * like the pages they print: a draft only by its agency, the report's rows as the tracking view
 * shows them (the issuer sees every recipient, anyone else its own agency's row).
 */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console/notices/:id')
export class ConsolePrintController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly pages: ConsolePages,
    private readonly notices: NoticesService,
    private readonly topics: TopicsService,
    private readonly tracking: TrackingService,
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('print')
  async notice(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    const notice = await this.notices.get(p, id);
    const [names] = await this.db.query(
      `SELECT g.name AS issuer, a.name AS author, v.name AS approver, o.reference AS original_reference, o.title AS original_title
         FROM notices n JOIN agencies g ON g.id = n.issuing_agency_id JOIN users a ON a.id = n.author_id
         LEFT JOIN users v ON v.id = n.approved_by LEFT JOIN notices o ON o.id = n.supersedes_id
        WHERE n.id = $1`,
      [id],
    );
    const topics = new Map((await this.topics.list()).map((t) => [t.key, t.title]));
    await this.send(p, res, 'notices/print', notice, {
      notice: {
        ...notice,
        issuer: names.issuer,
        authorName: names.author,
        approverName: names.approver,
        topicTitles: notice.topics.map((k) => ({ key: k, title: topics.get(k) ?? k })),
      },
      original: names.original_reference ? { id: notice.supersedesId, reference: names.original_reference, title: names.original_title } : null,
      changes: notice.changes ?? null,
      defaults: dueDefaults(this.config, notice.severity),
    });
  }

  @Get('report/print')
  async report(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    const notice = await this.notices.get(p, id);
    const r = await this.tracking.recipients(p, id);
    const [issuer] = await this.db.query(`SELECT name FROM agencies WHERE id = $1`, [notice.issuingAgencyId]);
    await this.send(p, res, 'notices/report-print', notice, {
      notice: { ...notice, issuer: issuer?.name ?? '' },
      counts: r.counts,
      seesAll: this.notices.seesAllRecipients(p, { issuingAgencyId: notice.issuingAgencyId } as never),
      rows: r.items.map((i) => ({
        ...i,
        state: i.overdue ? 'overdue' : i.status,
        answered: i.actions.filter((a) => a.latest).length,
        actionCount: i.actions.length,
      })),
    });
  }

  private async send(p: Principal, res: Response, view: string, notice: { id: string; reference: string | null; title: string; status: string }, data: Record<string, unknown>) {
    const user = await this.pages.user(p);
    const printedAt = new Date().toISOString();
    const reference = notice.reference ?? `Unpublished ${notice.status.replace('_', ' ')}`;
    this.views.send(res, view, {
      ...data,
      printing: true,
      user,
      title: `${view.endsWith('report-print') ? 'Acknowledgment report' : 'Notice'} ${reference}: ${notice.title}`,
      reference,
      printedAt,
      back: `/console/notices/${notice.id}`,
    });
  }
}
