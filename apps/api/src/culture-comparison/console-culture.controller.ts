import { Controller, Get, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { currentCultureInstrument } from '@sne/core';
import { CurrentPrincipal, Principal } from '../common/principal';
import { barChart, scatterPlot } from '../console/charts';
import { ConsoleExceptionFilter } from '../console/console.filter';
import { ConsolePages, requireRole } from '../console/console-page';
import { ConsoleViews } from '../console/console.views';
import { CultureComparisonService } from './culture-comparison.service';

/** Where an agency falls among the others, by their quartiles. */
const QUARTERS = ['lowest quarter', 'second quarter', 'third quarter', 'highest quarter'];
const pct = (v: number | null | undefined) => (v === null || v === undefined ? null : `${Math.round(v * 100)}%`);
const num = (v: number | null | undefined, digits = 2) => (v === null || v === undefined ? null : v.toFixed(digits).replace('-', '−'));
const REASON: Record<string, string> = {
  'no-closed-wave': 'no closed wave',
  'too-few-responses': 'suppressed',
  withheld: 'suppressed',
  'small-denominator': 'suppressed',
  'small-numerator': 'suppressed',
  'small-remainder': 'suppressed',
  complementary: 'suppressed',
  'no-data': 'no reviews',
};

/** The partnership's culture benchmark and comparison (analysts, partnership admins), and an agency against the partnership. */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console')
export class ConsoleCultureController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly pages: ConsolePages,
    private readonly culture: CultureComparisonService,
  ) {}

  @Get('culture')
  async partnership(@CurrentPrincipal() p: Principal, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'analyst', 'admin');
    const [b, c] = [await this.culture.benchmark(), await this.culture.comparison()];
    const domains = currentCultureInstrument().domains;
    const agencies = [...new Map(b.agencies.map((r) => [r.agency.id, r.agency])).values()];
    const benchmarkRows = agencies.map((a) => {
      const rows = b.agencies.filter((r) => r.agency.id === a.id);
      return {
        name: a.name,
        type: a.jurisdictionType,
        wave: rows[0]?.wave,
        responses: rows[0]?.responses,
        cells: domains.map((d) => {
          const r = rows.find((x) => x.domainId === d.id)!;
          return { label: d.title, value: pct(r.percentPositive), percentile: r.percentile === null ? null : String(Math.round(r.percentile)), why: r.suppressed ? REASON[r.suppressed] : null };
        }),
      };
    });
    const quart = (rows: typeof b.distribution) =>
      rows.map((r) => ({ ...r, q1: pct(r.q1), median: pct(r.median), q3: pct(r.q3), min: pct(r.min), max: pct(r.max), enough: r.median !== null }));
    const comparisonAgencies = [...new Map(c.agencies.map((r) => [r.agency.id, r.agency])).values()];
    const comparisonRows = c.agencies.map((r) => ({
      ...r,
      pp: pct(r.percentPositive),
      rate: r.reviewRate === null ? (r.reviewRateSuppressed ? REASON[r.reviewRateSuppressed] : null) : pct(r.reviewRate),
      completion: pct(r.actionCompletionRate),
      overdue: pct(r.overdueRate),
    }));
    const plots = domains.flatMap((d, i) => {
      const rows = c.agencies.filter((r) => r.domainId === d.id);
      if (!rows.length) return [];
      const corr = c.correlations.find((x) => x.x === `culture: ${d.id}`);
      return [
        scatterPlot({
          id: `scatter-${i}`,
          title: `${d.title} against reviews rating ${rows[0].reviewDomain} as contributing`,
          summary: `One point per agency. ${corr ? correlationText(corr) : ''}`,
          xTitle: `${d.title}: percent positive`,
          yTitle: `Reviews rating ${rows[0].reviewDomain} ≥ 2`,
          pointTitle: 'Agency',
          xFormat: 'share',
          yFormat: 'share',
          points: rows.map((r) => ({ label: r.agency.name, x: r.percentPositive, y: r.reviewRateSuppressed === 'no-data' ? undefined : r.reviewRate })),
        }),
      ];
    });
    const noticePlots = ([['medianHoursToAcknowledge', 'Median hours to acknowledge', 'number'], ['actionCompletionRate', 'Action-completion rate', 'share'], ['overdueRate', 'Overdue rate', 'share']] as const).map(
      ([key, label, format], i) =>
        scatterPlot({
          id: `notices-${i}`,
          title: `Culture (mean of the domains) against ${label.toLowerCase()}`,
          summary: 'One point per agency.',
          xTitle: 'Culture: mean percent positive',
          yTitle: label,
          pointTitle: 'Agency',
          xFormat: 'share',
          yFormat: format,
          points: c.overall.map((o) => ({ label: o.agency, x: o.culture, y: o.follow[key] ?? undefined })),
        }),
    );
    const model = await this.pages.model(p, req, 'Culture across the partnership', 'culture', {
      k: b.minResponses,
      minAgencies: b.minAgencies,
      minReviews: c.minReviews,
      domains,
      benchmarkRows,
      distribution: quart(b.distribution),
      jurisdiction: quart(b.jurisdiction),
      comparisonCount: comparisonAgencies.length,
      comparisonRows,
      correlations: c.correlations.map((x) => ({ ...x, text: correlationText(x) })),
      plots,
      noticePlots,
      exports: exportsOf(),
    });
    this.views.send(res, 'culture/index', model);
  }

  @Get('culture/agency')
  async agency(@CurrentPrincipal() p: Principal, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin', 'supervisor');
    const v = await this.culture.agency(p);
    const chart = barChart({
      id: 'agency-vs-partnership',
      title: `${v.agency.name} against the other agencies' median, percent positive`,
      summary: 'Your latest closed wave against the median of the other agencies that share culture data.',
      format: 'share',
      max: 1,
      categoryTitle: 'Domain',
      seriesNames: [v.agency.name, 'Other agencies’ median'],
      rows: v.domains.map((d) => ({ label: d.domain, value: d.suppressed === 'no-closed-wave' ? undefined : d.percentPositive, comparison: d.partnership?.median ?? undefined })),
    });
    const model = await this.pages.model(p, req, 'Your culture against the partnership', 'culture', {
      v,
      chart,
      rows: v.domains.map((d) => ({
        ...d,
        pp: pct(d.percentPositive),
        quarter: d.quarter === null ? null : QUARTERS[d.quarter - 1],
        q1: pct(d.partnership?.q1),
        median: pct(d.partnership?.median),
        q3: pct(d.partnership?.q3),
        typeMedian: pct(d.jurisdictionType?.median),
        why: d.suppressed ? REASON[d.suppressed] : null,
      })),
      csvHref: '/api/v1/culture/agency?format=csv',
      jsonHref: '/api/v1/culture/agency?format=json',
    });
    this.views.send(res, 'culture/agency', model);
  }
}

function correlationText(x: { n: number; rho: number | null; lower: number | null; upper: number | null; note: string }): string {
  if (x.rho === null) return `n = ${x.n}: ${x.note}.`;
  const ci = x.lower === null ? 'no interval' : `95% CI ${num(x.lower)} to ${num(x.upper)}`;
  return `Spearman’s rho ${num(x.rho)} (n = ${x.n}; ${ci}): ${x.note}.`;
}

function exportsOf() {
  const link = (path: string, table: string, label: string) => ({ label, csvHref: `${path}?format=csv&table=${table}`, jsonHref: `${path}?format=json` });
  return [
    link('/api/v1/culture/benchmark', 'agencies', 'Benchmark: agencies by domain'),
    link('/api/v1/culture/benchmark', 'distribution', 'Benchmark: the partnership’s quartiles'),
    link('/api/v1/culture/benchmark', 'jurisdiction', 'Benchmark: by jurisdiction type'),
    link('/api/v1/culture/comparison', 'agencies', 'Comparison: culture, reviews and notices by agency'),
    link('/api/v1/culture/comparison', 'correlations', 'Comparison: correlations'),
    link('/api/v1/culture/comparison', 'overall', 'Comparison: culture overall beside notice follow-through (the points of the notice plots)'),
  ];
}
