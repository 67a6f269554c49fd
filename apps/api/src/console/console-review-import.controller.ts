import { BadRequestException, Body, Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { formatFileSize } from '@sne/core';
import { CurrentPrincipal, Principal } from '../common/principal';
import { MAX_IMPORT_BYTES } from '../review-import/review-import-body.module';
import { MAX_ROWS } from '../review-import/import-csv';
import { ImportReport, ReviewImportService, RowReport } from '../review-import/review-import.service';
import type { FilePart } from './console-body.module';
import { ConsoleExceptionFilter } from './console.filter';
import { ConsolePages, requireRole } from './console-page';
import { ConsoleViews } from './console.views';
import { OneTimeSlots } from './one-time-slot';

const SLOT = 'review-import-report';

const STATUS: Record<RowReport['status'], string> = {
  created: 'Imported',
  ready: 'Passed the checks',
  already_imported: 'Already imported',
  conflict: 'Conflict',
  invalid: 'Refused',
};

/** What the report page says first: what happened to the file, in one sentence. */
function headline(r: ImportReport): { text: string; kind: 'success' | 'error' | 'info' } {
  const bad = r.counts.invalid + r.counts.conflicts;
  if (r.outcome === 'checked') {
    return bad
      ? { kind: 'error', text: `Dry run: ${bad} of ${r.counts.rows} rows would be refused, so importing this file would write nothing. Nothing was written.` }
      : { kind: 'info', text: `Dry run: every row passed. Importing this file would create ${r.counts.ready} reviews (${r.counts.alreadyImported} already imported). Nothing was written.` };
  }
  if (r.outcome === 'refused') return { kind: 'error', text: `Nothing was imported: ${bad} of ${r.counts.rows} rows have problems. Correct them in the file and upload it again.` };
  return { kind: 'success', text: `Imported: ${r.counts.created} reviews created, ${r.counts.alreadyImported} already imported before.` };
}

/**
 * The bulk import of historical reviews in the console: a form that takes the CSV file (like the
 * attachment upload: multipart, console-body.module.ts), a dry run or the import itself, and the
 * report on its own page after the redirect (post/redirect/get). The report travels in the
 * session's one-time slot: reloading the report page shows it no more and imports nothing again.
 */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console/reviews/import')
export class ConsoleReviewImportController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly pages: ConsolePages,
    private readonly imports: ReviewImportService,
    private readonly slots: OneTimeSlots,
  ) {}

  @Get()
  async form(@CurrentPrincipal() p: Principal, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'review_lead');
    await this.sendForm(p, req, res, 200);
  }

  @Post()
  async upload(@CurrentPrincipal() p: Principal, @Req() req: Request, @Body() body: { file?: FilePart; dryRun?: string }, @Res() res: Response) {
    requireRole(p, 'review_lead');
    const file = body?.file;
    const dryRun = body?.dryRun === 'true';
    if (!file?.data?.length) return this.sendForm(p, req, res, 400, ['Choose the CSV file to import.'], dryRun);
    let report: ImportReport;
    try {
      report = await this.imports.import(p, file.data, dryRun);
    } catch (err) {
      if (!(err instanceof BadRequestException)) throw err;
      const message = (err.getResponse() as { message?: string | string[] }).message;
      return this.sendForm(p, req, res, 400, ([] as string[]).concat(message ?? 'The file could not be read.').map((m) => `${file.filename}: ${m}`), dryRun);
    }
    await this.slots.put(p, SLOT, { fileName: file.filename, report });
    res.redirect(303, '/console/reviews/import/report');
  }

  @Get('report')
  async report(@CurrentPrincipal() p: Principal, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'review_lead');
    const slot = await this.slots.take<{ fileName: string; report: ImportReport }>(p, SLOT);
    const r = slot?.report;
    const order = (x: RowReport) => (x.status === 'invalid' || x.status === 'conflict' ? 0 : 1);
    this.views.send(
      res,
      'reviews/import-report',
      await this.pages.model(p, req, 'Import report', 'reviews', {
        fileName: slot?.fileName,
        report: r && {
          ...r,
          headline: headline(r),
          rows: [...r.rows].sort((a, b) => order(a) - order(b) || a.line - b.line).map((x) => ({ ...x, statusLabel: STATUS[x.status], bad: order(x) === 0 })),
        },
      }),
    );
  }

  private async sendForm(p: Principal, req: Request, res: Response, status: number, problems: string[] = [], dryRun = false) {
    this.views.send(
      res,
      'reviews/import',
      await this.pages.model(p, req, 'Import historical reviews', 'reviews', {
        problems,
        hasErrors: problems.length > 0,
        dryRun,
        limits: `A CSV file (UTF-8), up to ${formatFileSize(MAX_IMPORT_BYTES)} and ${MAX_ROWS.toLocaleString('en-US')} reviews`,
      }),
      status,
    );
  }
}
