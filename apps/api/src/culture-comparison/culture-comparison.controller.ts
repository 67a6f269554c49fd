import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiErrors, ApiReportResponse } from '../common/api-docs';
import { CurrentPrincipal, Principal } from '../common/principal';
import { ReportFormatQuery } from '../reports/reports.dto';
import { sendReport } from '../reports/report-format';
import { AgencyViewDto, BenchmarkDto, BenchmarkQuery, ComparisonDto, ComparisonQuery } from './culture-comparison.dto';
import { CultureComparisonService } from './culture-comparison.service';

const AGENCY = ['agency.id', 'agency.name', 'agency.jurisdictionType'];
const QUARTILES = ['n', 'min', 'q1', 'median', 'q3', 'max'];
const AGENCY_QUARTILES = ['n', 'q1', 'median', 'q3'];
/** CSV columns of every table (dotted paths into its rows). */
export const CULTURE_COLUMNS = {
  benchmark: {
    agencies: [...AGENCY, 'wave', 'responses', 'domainId', 'domain', 'percentPositive', 'percentile', 'suppressed'],
    distribution: ['group', 'domainId', 'domain', ...QUARTILES],
    jurisdiction: ['group', 'domainId', 'domain', ...QUARTILES],
  },
  comparison: {
    agencies: [
      ...AGENCY, 'domainId', 'domain', 'percentPositive', 'reviewDomain', 'reviewsApproved', 'reviewsRatingDomain', 'reviewRate', 'reviewRateSuppressed',
      'medianHoursToAcknowledge', 'actionCompletionRate', 'overdueRate', 'noticeRecords',
    ],
    correlations: ['x', 'y', 'n', 'rho', 'lower', 'upper', 'note'],
    overall: ['agency', 'culture', 'follow.records', 'follow.medianHoursToAcknowledge', 'follow.actionsRequired', 'follow.actionCompletionRate', 'follow.overdue', 'follow.overdueRate'],
  },
  // The agency's own view has no lowest or highest figure (culture-comparison.service.ts, AGENCY_VIEW_MIN_AGENCIES).
  agency: ['domainId', 'domain', 'percentPositive', 'quarter', ...AGENCY_QUARTILES.map((q) => `partnership.${q}`), ...AGENCY_QUARTILES.map((q) => `jurisdictionType.${q}`), 'suppressed'],
};

/** JSON: the whole report; CSV: one of its tables. */
function send<T extends object>(req: Request, res: Response, format: 'json' | 'csv' | undefined, report: T, rows: unknown[], paths: string[], filename: string) {
  const out = sendReport(req, res, format, { items: rows }, { paths, filename });
  return typeof out === 'string' ? out : report;
}

@ApiTags('culture')
@ApiBearerAuth()
@ApiErrors(400, 401, 403)
@Controller('api/v1/culture')
export class CultureComparisonController {
  constructor(private readonly culture: CultureComparisonService) {}

  @Get('benchmark')
  @ApiOperation({
    summary: "Benchmark: each sharing agency's domain percent positive against the partnership's distribution, and by jurisdiction type",
    description:
      "Only agencies whose data-sharing agreement in force covers 'culture', from their latest closed wave. An agency with fewer than SURVEY_MIN_RESPONSES " +
      'responses shows no figure; a group of fewer than 3 agencies shows no distribution. CSV: `?format=csv&table=agencies|distribution|jurisdiction`.',
  })
  @ApiReportResponse(BenchmarkDto)
  async benchmark(@Query() q: BenchmarkQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const report = await this.culture.benchmark();
    const table = q.table ?? 'agencies';
    return send(req, res, q.format, report, report[table], CULTURE_COLUMNS.benchmark[table], `culture-benchmark-${table}`);
  }

  @Get('comparison')
  @ApiOperation({
    summary: 'Culture beside incidents beside notices, per agency sharing both, with Spearman rank correlations across agencies',
    description:
      "Agencies whose agreement covers 'culture' and 'incidents'. Per agency and culture domain: its percent positive, the share of its approved reviews " +
      'rating the paired review domain ≥ 2 (suppressed by SUPPRESSION_MIN_CELL), and its notice follow-through over the last 12 months. Correlations: ' +
      "Spearman's rho, n, and a 95% interval by Fisher z with the Bonett–Wright variance. Association, not cause. CSV: `?format=csv&table=agencies|correlations|overall`.",
  })
  @ApiReportResponse(ComparisonDto)
  async comparison(@Query() q: ComparisonQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const report = await this.culture.comparison();
    const table = q.table ?? 'agencies';
    return send(req, res, q.format, report, report[table], CULTURE_COLUMNS.comparison[table], `culture-comparison-${table}`);
  }

  @Get('agency')
  @ApiOperation({
    summary: "Your agency's culture scores against the other agencies: their quartiles per domain, and the quarter yours falls in",
    description:
      'Only aggregates of the other agencies, never their names: the lower quartile, median and upper quartile of at least 5 other agencies, never including yours (never the lowest nor the highest, ' +
      "which are single agencies' figures; `min` and `max` are null). CSV: `?format=csv`.",
  })
  @ApiReportResponse(AgencyViewDto)
  async agency(@CurrentPrincipal() p: Principal, @Query() q: ReportFormatQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const report = await this.culture.agency(p);
    return send(req, res, q.format, report, report.domains, CULTURE_COLUMNS.agency, 'culture-agency');
  }
}
