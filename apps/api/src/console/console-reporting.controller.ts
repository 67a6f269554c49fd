import { Body, Controller, Get, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, hasRole, Principal } from '../common/principal';
import { DataSharingService } from '../reporting/data-sharing.service';
import { DATA_KINDS, RecordDataSharingDto } from '../reporting/data-sharing.dto';
import { dataDictionary } from '../reporting/dictionary';
import { lastQuarters, periodProblem } from '../reporting/reporting-facts';
import { AGENCY_TABLES, PARTNERSHIP_TABLES, ReportingQuery } from '../reporting/reporting.dto';
import { ReportingService } from '../reporting/reporting.service';
import { ConsoleExceptionFilter } from './console.filter';
import { ConsolePages, requireRole } from './console-page';
import { ConsoleViews, label } from './console.views';
import { str } from './console-format';
import { errorList, FieldErrors, refusal, validateAs } from './console-forms';
import { agencyCharts, exportLinks, partnershipCharts } from './console-reporting-views';

const KIND_LABELS: Record<string, string> = { incidents: 'Critical incident reviews (incidents, ratings, recommendations)', culture: 'Team culture surveys' };
const SHARING_MESSAGES = { signedOn: 'Enter the date it was signed, like 2026-01-15', covers: 'Choose what the agreement covers', note: 'The note can be at most 2,000 characters' };
/** The fixed message after recording an agreement (never text from the URL). */
const RECORDED = 'The data-sharing agreement was recorded. The figures follow it from now on.';

/**
 * Reporting in the console: the partnership dashboard (analysts and partnership admins), an
 * agency's own view beside the partnership's with its data-sharing agreement, and the data
 * dictionary. Charts are SVG rendered here (apps/api/src/console/charts); every figure comes from
 * the same API services, suppressed the same way.
 */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console/reporting')
export class ConsoleReportingController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly pages: ConsolePages,
    private readonly reporting: ReportingService,
    private readonly sharing: DataSharingService,
  ) {}

  /** ?from=&to= as typed; a bad pair is reported and the default period shown (400). */
  private period(q: Record<string, unknown>): { query: ReportingQuery; form: { from: string; to: string }; errors: FieldErrors } {
    const fallback = lastQuarters();
    const form = { from: str(q.from).trim() || fallback[0], to: str(q.to).trim() || fallback[fallback.length - 1] };
    const problem = periodProblem(form.from, form.to);
    if (!problem) return { query: form, form, errors: {} };
    return { query: {}, form, errors: { from: `${problem[0].toUpperCase()}${problem.slice(1)}.` } };
  }

  @Get()
  async dashboard(@CurrentPrincipal() p: Principal, @Query() q: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    if (!hasRole(p, 'analyst', 'admin')) return this.agencyPage(p, q, req, res);
    const { query, form, errors } = this.period(q);
    const report = await this.reporting.partnership(p, query);
    const model = await this.pages.model(p, req, 'Partnership reporting', 'reporting', {
      report,
      charts: partnershipCharts(report),
      form,
      errors,
      errorList: errorList(errors),
      hasErrors: Object.keys(errors).length > 0,
      exports: exportLinks('/api/v1/reporting/partnership/export', PARTNERSHIP_TABLES, report.quarters),
    });
    this.views.send(res, 'reporting/partnership', model, Object.keys(errors).length ? 400 : 200);
  }

  @Get('agency')
  agency(@CurrentPrincipal() p: Principal, @Query() q: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    return this.agencyPage(p, q, req, res);
  }

  private async agencyPage(p: Principal, q: Record<string, unknown>, req: Request, res: Response, sharingForm: Record<string, unknown> = {}, status?: number) {
    const { query, form, errors } = this.period(q);
    const report = await this.reporting.agency(p, query);
    const history = await this.sharing.history(p, p.agencyId);
    const model = await this.pages.model(p, req, `Reporting: ${report.agency.name}`, 'reporting', {
      report,
      charts: agencyCharts(report),
      form,
      errors,
      errorList: [...errorList(errors), ...((sharingForm.errorList as ReturnType<typeof errorList>) ?? [])],
      hasErrors: Object.keys(errors).length > 0 || !!sharingForm.hasErrors,
      isAnalyst: hasRole(p, 'analyst', 'admin'),
      canRecord: hasRole(p, 'agency_admin'),
      sharing: {
        ...history,
        coversText: history.current ? (history.current.covers.length ? history.current.covers.map((c) => KIND_LABELS[c]).join('; ') : 'Nothing: withdrawn') : '',
        items: history.items.map((i) => ({ ...i, coversText: i.covers.length ? i.covers.map((c) => label(c)).join(', ') : 'Withdrawn' })),
      },
      sharingForm: {
        values: { signedOn: new Date().toISOString().slice(0, 10), note: '', covers: history.current?.covers ?? ['incidents'] },
        ...sharingForm,
      },
      kinds: DATA_KINDS.map((kind, i) => ({ i, value: kind, label: KIND_LABELS[kind] })),
      exports: exportLinks('/api/v1/reporting/agency/export', AGENCY_TABLES, report.quarters),
    });
    if (req.query?.done === 'sharing_recorded') model.flash = RECORDED;
    this.views.send(res, 'reporting/agency', model, status ?? (Object.keys(errors).length ? 400 : 200));
  }

  @Post('data-sharing')
  async recordSharing(@CurrentPrincipal() p: Principal, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin');
    const covers = ([] as unknown[]).concat(body.covers ?? []).map(str);
    const values = { covers, signedOn: str(body.signedOn).trim(), note: str(body.note) };
    const dto = { covers, signedOn: values.signedOn, ...(values.note.trim() ? { note: values.note.trim() } : {}) };
    let errors = await validateAs(RecordDataSharingDto, dto, SHARING_MESSAGES);
    if (!Object.keys(errors).length) {
      try {
        await this.sharing.record(p, p.agencyId, dto as RecordDataSharingDto);
        return res.redirect(303, '/console/reporting/agency?done=sharing_recorded#data-sharing-title');
      } catch (err) {
        const r = refusal(err);
        if (!r || r.status === 404) throw err;
        errors = { signedOn: r.message };
      }
    }
    return this.agencyPage(p, {}, req, res, { values, errors, errorList: errorList(errors, { signedOn: 'sharing-signed-on', covers: 'sharing-cover-0', note: 'sharing-note' }), hasErrors: true }, 400);
  }

  @Get('dictionary')
  async dictionary(@CurrentPrincipal() p: Principal, @Req() req: Request, @Res() res: Response) {
    const d = dataDictionary(this.reporting.k);
    const model = await this.pages.model(p, req, 'Data dictionary', 'reporting', {
      dictionary: d,
      codeLists: d.codeLists.map((l) => ({ ...l, title: label(l.name.replace(/([A-Z])/g, ' $1').toLowerCase()) })),
    });
    this.views.send(res, 'reporting/dictionary', model);
  }
}
