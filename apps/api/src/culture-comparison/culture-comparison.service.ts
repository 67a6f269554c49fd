import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, Correlation, cultureDomainPairs, currentCultureInstrument, percentileRank, quartiles, Quartiles, spearman, suppressShares } from '@sne/core';
import { Principal } from '../common/principal';
import { CultureAgency, cultureAgencies, followThrough, FollowThrough, reviewCounts } from './culture-data';

/** Fewer agencies than this in a group: no distribution is shown for it (it would be one agency's figure). */
export const MIN_AGENCIES = 3;
/**
 * An agency's own view compares it with other agencies it may not read. The lowest and highest
 * figures are single agencies' own, and quartiles over a few agencies that include the viewer's
 * own figure give the others back (the viewer runs its own waves, so it can move its figure and
 * read how the quartiles move). So that view shows the quartiles of at least five OTHER
 * agencies, never the lowest nor the highest, and which quarter of them it falls in: read off
 * those quartiles, so it says nothing they do not (a rank among the others would count them
 * below each figure the agency tries).
 */
export const AGENCY_VIEW_MIN_AGENCIES = 5;
const withoutExtremes = (values: number[]): Quartiles => ({ ...quartiles(values), min: null, max: null });
/** 1: below the lower quartile, 2: below the median, 3: below the upper quartile, 4: at or above it. */
const quarterOf = (x: number, q: Quartiles): 1 | 2 | 3 | 4 => (x < q.q1! ? 1 : x < q.median! ? 2 : x < q.q3! ? 3 : 4);
const JURISDICTION_TYPES = ['state', 'county', 'tribal', 'federal'];

export interface AgencyDomainRow {
  agency: { id: string; name: string; jurisdictionType: string };
  wave: string | null;
  responses: number | null;
  domainId: string;
  domain: string;
  percentPositive: number | null;
  percentile: number | null;
  /** Why there is no figure: 'no-closed-wave', 'too-few-responses', 'withheld'; null when shown. */
  suppressed: string | null;
}

export interface DistributionRow extends Quartiles {
  group: string;
  domainId: string;
  domain: string;
}

export interface Benchmark {
  minResponses: number;
  minAgencies: number;
  agencies: AgencyDomainRow[];
  distribution: DistributionRow[];
  jurisdiction: DistributionRow[];
}

export interface ComparisonRow {
  agency: { id: string; name: string; jurisdictionType: string };
  domainId: string;
  domain: string;
  percentPositive: number | null;
  reviewDomain: string;
  reviewsApproved: number | null;
  reviewsRatingDomain: number | null;
  reviewRate: number | null;
  reviewRateSuppressed: string | null;
  medianHoursToAcknowledge: number | null;
  actionCompletionRate: number | null;
  overdueRate: number | null;
  noticeRecords: number;
}

export interface CorrelationRow extends Correlation {
  x: string;
  y: string;
}

export interface Comparison {
  minResponses: number;
  minReviews: number;
  agencies: ComparisonRow[];
  correlations: CorrelationRow[];
  /** Per agency: the mean of its shown domain percents (the x of the notice plots). */
  overall: Array<{ agency: string; culture: number | null; follow: FollowThrough }>;
}

export interface AgencyView {
  agency: { id: string; name: string; jurisdictionType: string; sharesCulture: boolean };
  wave: string | null;
  responses: number | null;
  partnershipAgencies: number;
  domains: Array<{ domainId: string; domain: string; percentPositive: number | null; quarter: 1 | 2 | 3 | 4 | null; partnership: Quartiles | null; jurisdictionType: Quartiles | null; suppressed: string | null }>;
}

const DOMAINS = () => currentCultureInstrument().domains;

function figure(a: CultureAgency, domainId: string): { value: number | null; why: string | null } {
  if (!a.scores) return { value: null, why: 'no-closed-wave' };
  if (!a.scores.domains) return { value: null, why: 'too-few-responses' };
  const d = a.scores.domains.find((x) => x.domainId === domainId);
  if (!d || d.withheld) return { value: null, why: 'withheld' };
  return { value: d.percentPositive, why: d.percentPositive === null ? 'withheld' : null };
}

/** Quartiles only for a group of at least MIN_AGENCIES agencies. */
const guarded = (values: number[]): Quartiles => (values.length >= MIN_AGENCIES ? quartiles(values) : { ...quartiles([]), n: values.length });

@Injectable()
export class CultureComparisonService {
  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get k() {
    return this.config.surveyMinResponses;
  }

  /** Each sharing agency's domain percent positive against the partnership's distribution, and by jurisdiction type. */
  async benchmark(): Promise<Benchmark> {
    const agencies = await this.db.transaction('REPEATABLE READ', (m) => cultureAgencies(m, this.k));
    const rows: AgencyDomainRow[] = [];
    const distribution: DistributionRow[] = [];
    const jurisdiction: DistributionRow[] = [];
    for (const d of DOMAINS()) {
      const shown = agencies.map((a) => ({ a, f: figure(a, d.id) }));
      const values = shown.flatMap((s) => (s.f.value === null ? [] : [s.f.value]));
      for (const { a, f } of shown) {
        rows.push({
          agency: { id: a.id, name: a.name, jurisdictionType: a.jurisdictionType },
          wave: a.wave?.title ?? null,
          responses: a.scores?.responses ?? null,
          domainId: d.id,
          domain: d.title,
          percentPositive: f.value,
          percentile: f.value === null ? null : percentileRank(values, f.value),
          suppressed: f.why,
        });
      }
      distribution.push({ group: 'partnership', domainId: d.id, domain: d.title, ...guarded(values) });
      for (const t of JURISDICTION_TYPES) {
        const of = shown.filter((s) => s.a.jurisdictionType === t).flatMap((s) => (s.f.value === null ? [] : [s.f.value]));
        if (shown.some((s) => s.a.jurisdictionType === t)) jurisdiction.push({ group: t, domainId: d.id, domain: d.title, ...guarded(of) });
      }
    }
    rows.sort((x, y) => x.agency.name.localeCompare(y.agency.name) || x.agency.id.localeCompare(y.agency.id));
    return { minResponses: this.k, minAgencies: MIN_AGENCIES, agencies: rows, distribution, jurisdiction };
  }

  /** Culture beside incidents beside notices, for agencies sharing both culture and incident data. */
  async comparison(): Promise<Comparison> {
    const { agencies, reviews, follow } = await this.db.transaction('REPEATABLE READ', async (m) => {
      const agencies = (await cultureAgencies(m, this.k)).filter((a) => a.sharesIncidents);
      const ids = agencies.map((a) => a.id);
      return { agencies, reviews: await reviewCounts(m, ids), follow: await followThrough(m, ids) };
    });
    const reviewDomains = [...new Set(cultureDomainPairs().map((p) => p.review))];
    const shares = suppressShares({
      groups: agencies.map((a) => ({ key: a.id, denominator: reviews.get(a.id)!.approved, numerators: Object.fromEntries(reviewDomains.map((r) => [r, reviews.get(a.id)!.byDomain.get(r) ?? 0])) })),
      measures: reviewDomains,
      k: this.config.suppressionMinCell,
      total: false,
    });
    const rows: ComparisonRow[] = [];
    const correlations: CorrelationRow[] = [];
    for (const d of DOMAINS()) {
      const review = cultureDomainPairs().find((p) => p.culture === d.id)?.review;
      if (!review) continue;
      const pairs: Array<[number | null, number | null]> = [];
      for (const a of agencies) {
        const row = shares.rows.find((r) => r.key === a.id)!;
        const share = row.shares[review];
        const f = follow.get(a.id)!;
        const pp = figure(a, d.id).value;
        rows.push({
          agency: { id: a.id, name: a.name, jurisdictionType: a.jurisdictionType },
          domainId: d.id,
          domain: d.title,
          percentPositive: pp,
          reviewDomain: review,
          reviewsApproved: row.denominator,
          reviewsRatingDomain: share.numerator,
          reviewRate: share.share,
          reviewRateSuppressed: share.reason === 'shown' ? null : share.reason,
          medianHoursToAcknowledge: f.medianHoursToAcknowledge,
          actionCompletionRate: f.actionCompletionRate,
          overdueRate: f.overdueRate,
          noticeRecords: f.records,
        });
        pairs.push([pp, share.share]);
      }
      correlations.push({ x: `culture: ${d.id}`, y: `reviews rating ${review} ≥ 2`, ...spearman(pairs) });
    }
    const overall = agencies.map((a) => {
      const values = DOMAINS().flatMap((d) => (figure(a, d.id).value === null ? [] : [figure(a, d.id).value!]));
      // The mean over domains only when every domain is shown: otherwise it would mix different things.
      return { agency: a.name, culture: values.length === DOMAINS().length ? values.reduce((s, v) => s + v, 0) / values.length : null, follow: follow.get(a.id)! };
    });
    for (const [key, label] of [['medianHoursToAcknowledge', 'median hours to acknowledge'], ['actionCompletionRate', 'action-completion rate'], ['overdueRate', 'overdue rate']] as const) {
      correlations.push({ x: 'culture: mean of the domains', y: label, ...spearman(overall.map((o) => [o.culture, o.follow[key]])) });
    }
    rows.sort((x, y) => x.agency.name.localeCompare(y.agency.name) || x.agency.id.localeCompare(y.agency.id));
    return { minResponses: this.k, minReviews: this.config.suppressionMinCell, agencies: rows, correlations, overall };
  }

  /** The caller's agency against the others: its own figures, their quartiles and the quarter it falls in. */
  async agency(p: Principal): Promise<AgencyView> {
    const { all, own } = await this.db.transaction('REPEATABLE READ', async (m) => ({ all: await cultureAgencies(m, this.k), own: (await cultureAgencies(m, this.k, p.agencyId))[0] }));
    const [g] = await this.db.query(`SELECT id, name, jurisdiction_type FROM agencies WHERE id = $1`, [p.agencyId]);
    const sharing = all.some((a) => a.id === p.agencyId);
    // The others only: what the viewer sees must not move with its own figure, which it controls.
    const others = all.filter((a) => a.id !== p.agencyId);
    const domains = DOMAINS().map((d) => {
      const values = others.flatMap((a) => (figure(a, d.id).value === null ? [] : [figure(a, d.id).value!]));
      const sameType = others.filter((a) => a.jurisdictionType === g.jurisdiction_type).flatMap((a) => (figure(a, d.id).value === null ? [] : [figure(a, d.id).value!]));
      const f = own ? figure(own, d.id) : { value: null, why: 'no-closed-wave' };
      const enough = values.length >= AGENCY_VIEW_MIN_AGENCIES;
      return {
        domainId: d.id,
        domain: d.title,
        percentPositive: f.value,
        partnership: enough ? withoutExtremes(values) : null,
        quarter: f.value === null || !enough ? null : quarterOf(f.value, quartiles(values)),
        jurisdictionType: sameType.length >= AGENCY_VIEW_MIN_AGENCIES ? withoutExtremes(sameType) : null,
        suppressed: f.why,
      };
    });
    return {
      agency: { id: g.id, name: g.name, jurisdictionType: g.jurisdiction_type, sharesCulture: sharing },
      wave: own?.wave?.title ?? null,
      responses: own?.scores?.responses ?? null,
      partnershipAgencies: all.filter((a) => a.scores?.responses != null).length,
      domains,
    };
  }
}
