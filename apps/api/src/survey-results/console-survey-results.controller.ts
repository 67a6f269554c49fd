import { Controller, Get, Param, ParseUUIDPipe, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Principal } from '../common/principal';
import { barChart, groupedOrStackedBars, heatMap } from '../console/charts';
import { ConsoleExceptionFilter } from '../console/console.filter';
import { ConsolePages, requireRole } from '../console/console-page';
import { ConsoleViews } from '../console/console.views';
import { SurveyResultsService } from './survey-results.service';

const pct = (v: number | null | undefined) => (v === null || v === undefined ? null : `${Math.round(v * 100)}%`);
const LIKERT = ['1 (most negative)', '2', '3', '4', '5 (most positive)'];

/** The results of one wave, for its agency's admins and supervisors: charts, the team × domain table, changes, free text. */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console')
export class ConsoleSurveyResultsController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly pages: ConsolePages,
    private readonly results: SurveyResultsService,
  ) {}

  @Get('surveys/:id/results')
  async page(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin', 'supervisor');
    const r = await this.results.results(p, id);
    const k = r.minResponses;
    const domains = r.agency.domains;
    const domainTitles = r.items.filter((i) => i.groupKind === 'agency').map((i) => i.domain);
    const previous = new Map(r.changes.agency.map((c) => [c.domainId, c]));
    const byDomain = barChart({
      id: 'domains',
      title: 'Percent positive by domain, whole agency',
      summary: `${r.wave.title}: the share of positive answers (reverse-worded items reversed), mean over each domain's items.`,
      suppressionThreshold: k,
      format: 'share',
      max: 1,
      categoryTitle: 'Domain',
      seriesNames: ['Percent positive'],
      rows: (domains ?? []).map((d) => ({ label: d.title, value: d.percentPositive })),
    });
    const teams = r.teams.filter((t) => t.responses !== 0);
    const teamTable = teams.length
      ? heatMap({
          id: 'teams',
          title: 'Percent positive, team by domain',
          summary: `Teams with fewer than ${k} responses show no figure; they count in the agency's figures. A team's domain is also hidden where fewer than ${k} of its people, or of the hidden teams', answered one of its statements.`,
          suppressionThreshold: k,
          rowTitle: 'Team',
          format: 'share',
          rows: teams.map((t) => t.name),
          columns: domainTitles,
          values: teams.map((t) => domainTitles.map((_, i) => (t.domains ? t.domains[i].percentPositive : null))),
        })
      : '';
    const distribution = domains
      ? groupedOrStackedBars({
          id: 'distribution',
          title: 'Distribution of answers by domain, whole agency (positive is high)',
          summary: 'Counts of answers on the positive-is-high scale: reverse-worded items reversed.',
          suppressionThreshold: k,
          mode: 'stacked',
          categoryTitle: 'Domain',
          categories: domains.map((d) => d.title),
          groups: LIKERT,
          values: domains.map((d) => (d.distribution ? d.distribution : LIKERT.map(() => null))),
        })
      : '';
    const model = await this.pages.model(p, req, `Results: ${r.wave.title}`, 'surveys', {
      r,
      k,
      responseRate: pct(r.agency.responseRate),
      byDomain,
      teamTable,
      distribution,
      agencyShown: r.agency.responses !== null,
      withheld: (domains ?? []).filter((d) => d.withheld).map((d) => d.title),
      teamRows: r.teams.map((t) => ({ name: t.name, expected: t.expected, responses: t.responses, rate: pct(t.responseRate), suppressed: t.suppressed })),
      changes: (domains ?? []).map((d) => ({ title: d.title, change: previous.get(d.domainId) })),
      teamChanges: r.changes.teams,
      csvHref: `/api/v1/surveys/waves/${id}/results?format=csv`,
      jsonHref: `/api/v1/surveys/waves/${id}/results?format=json`,
    });
    this.views.send(res, 'surveys/results', model);
  }
}
