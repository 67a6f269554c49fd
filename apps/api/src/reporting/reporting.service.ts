import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@sne/core';
import { Principal } from '../common/principal';
import { CONTRIBUTING_AGENCIES, lastQuarters, loadFacts, periodProblem, quartersBetween } from './reporting-facts';
import { ownFigures, PartnershipFigures, partnershipFigures } from './reporting-figures';
import { DOMAINS, ITEMS, TYPES } from './reporting-system';
import type { AgencyReport, PartnershipReport, ReportingQuery } from './reporting.dto';

/**
 * The partnership's aggregate reporting (analysts, partnership admins) and each agency's own view
 * (any member): its own figures in full beside the partnership's, which are the same suppressed
 * figures every other caller sees. The rules are in reporting-system.ts and reporting-facts.ts.
 */
@Injectable()
export class ReportingService {
  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get k(): number {
    return this.config.suppressionMinCell;
  }

  /** The quarters asked for (400 when odd), or the last four. */
  quarters(q: ReportingQuery): string[] {
    if (!q.from && !q.to) return lastQuarters();
    const fallback = lastQuarters();
    const from = q.from ?? fallback[0];
    const to = q.to ?? fallback[fallback.length - 1];
    const problem = periodProblem(from, to);
    if (problem) throw new BadRequestException([problem]);
    return quartersBetween(from, to);
  }

  async figures(quarters: string[]): Promise<PartnershipFigures & { contributingAgencies: number }> {
    const { reviews, recommendations } = await loadFacts(this.db, { kind: 'partnership' }, quarters);
    const { system: _system, result: _result, ...figures } = partnershipFigures(reviews, recommendations, quarters, this.k);
    const [{ n }] = await this.db.query(`SELECT count(*)::int AS n FROM (${CONTRIBUTING_AGENCIES}) c`);
    return { ...figures, contributingAgencies: n };
  }

  async partnership(_p: Principal, q: ReportingQuery): Promise<PartnershipReport> {
    const f = await this.figures(this.quarters(q));
    return {
      k: f.k,
      quarters: f.quarters,
      contributingAgencies: f.contributingAgencies,
      jurisdictionTypes: f.jurisdictionTypes,
      incidentTypes: f.incidentTypes,
      incidents: f.incidents,
      heatMap: f.heatMap,
      topItems: f.topItems,
      recommendations: f.recommendations,
      domainTrends: f.domainTrends,
    };
  }

  async agency(p: Principal, q: ReportingQuery): Promise<AgencyReport> {
    const quarters = this.quarters(q);
    const f = await this.figures(quarters);
    const own = await loadFacts(this.db, { kind: 'agency', agencyId: p.agencyId }, quarters);
    const mine = ownFigures(own.reviews, own.recommendations, quarters);
    const [agency] = await this.db.query(
      `SELECT a.id, a.name, a.jurisdiction_type, a.id IN (${CONTRIBUTING_AGENCIES}) AS contributing FROM agencies a WHERE a.id = $1`,
      [p.agencyId],
    );
    const count = (t: string | null, quarter: string | null) => f.incidents.find((c) => c.incidentType === t && c.quarter === quarter && c.jurisdictionType === null)!.count;
    return {
      k: f.k,
      quarters,
      agency: { id: agency.id, name: agency.name, jurisdictionType: agency.jurisdiction_type, contributing: agency.contributing },
      reviews: mine.reviews,
      incidentsByType: [...TYPES.map((t) => ({ key: t, own: mine.incidentsByType[t], partnership: count(t, null) })), { key: 'all', own: mine.reviews, partnership: count(null, null) }],
      incidentsByQuarter: quarters.map((qq) => ({ key: qq, own: mine.incidentsByQuarter[qq], partnership: count(null, qq) })),
      domains: DOMAINS().map((d) => ({ domain: d.id, title: d.title, own: mine.domains[d.id], partnership: f.heatMap.find((h) => h.domain === d.id)!.all })),
      items: ITEMS().map((i) => ({ item: i.id, text: i.text, domain: i.domain, own: mine.items[i.id], partnership: f.topItems.find((t) => t.item === i.id)!.reviews })),
      recommendations: { own: mine.recommendations, partnership: f.recommendations.find((r) => r.jurisdictionType === null)! },
    };
  }
}
