import { shareCellIds, SuppressionResult } from '@sne/core';
import {
  contributions,
  DOMAINS,
  ids,
  IMPLEMENTED,
  ITEMS,
  JURISDICTIONS,
  RecommendationFact,
  ReportingSystem,
  ReviewFact,
  TYPES,
} from './reporting-system';
import { suppressByQuarter } from './reporting-periods';

/**
 * The published figures, every one read from the period's figures composed from each quarter's
 * own suppression (reporting-periods.ts).
 * A figure of `null` is suppressed (JSON null, CSV "suppressed"); `reason: 'no-data'` marks a
 * share with no reviews at all (nothing to show, nothing hidden).
 */
export type ShareStatus = 'shown' | 'suppressed' | 'no-data';

export interface IncidentCell {
  /** null: every type (a margin); the same for quarter and jurisdictionType. */
  incidentType: string | null;
  quarter: string | null;
  jurisdictionType: string | null;
  count: number | null;
}

export interface ShareCell {
  reviews: number | null;
  contributing: number | null;
  share: number | null;
  status: ShareStatus;
}

export interface HeatMapRow {
  domain: string;
  title: string;
  /** One per jurisdiction type, in `jurisdictionTypes` order. */
  cells: ShareCell[];
  all: ShareCell;
}

export interface ItemFigure {
  item: string;
  text: string;
  domain: string;
  /** Reviews rating the item ≥ 2. */
  reviews: number | null;
  share: number | null;
  status: ShareStatus;
}

export interface RecommendationFigure {
  jurisdictionType: string | null;
  recommendations: number | null;
  implemented: number | null;
  rate: number | null;
  medianDaysToImplement: number | null;
  status: ShareStatus;
}

export interface DomainTrend {
  quarter: string;
  domain: string;
  reviews: number | null;
  contributing: number | null;
  share: number | null;
  status: ShareStatus;
}

export interface PartnershipFigures {
  k: number;
  quarters: string[];
  jurisdictionTypes: string[];
  incidentTypes: string[];
  incidents: IncidentCell[];
  heatMap: HeatMapRow[];
  topItems: ItemFigure[];
  recommendations: RecommendationFigure[];
  domainTrends: DomainTrend[];
}

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const round = (v: number) => Math.round(v * 10000) / 10000;

function shareOf(result: SuppressionResult, idOf: (id: string) => string, measure: string, group: string | null): ShareCell {
  const get = (id: string) => result.published.get(idOf(id)) ?? null;
  const d = get(shareCellIds.denominator(group));
  const n = get(shareCellIds.numerator(measure, group));
  const r = get(shareCellIds.remainder(measure, group));
  const trueD = d; // a published denominator is the true one
  if (trueD === 0) return { reviews: 0, contributing: 0, share: null, status: 'no-data' };
  const shown = d !== null && n !== null && r !== null;
  return { reviews: d, contributing: n, share: shown ? round(n! / d!) : null, status: shown ? 'shown' : 'suppressed' };
}

/** The partnership's figures from the facts of every contributing agency. */
export function partnershipFigures(reviews: ReviewFact[], recommendations: RecommendationFact[], quarters: string[], k: number): PartnershipFigures & { system: ReportingSystem; result: SuppressionResult } {
  const { system, result } = suppressByQuarter(reviews, recommendations, quarters, k);
  const at = (id: string) => result.published.get(id) ?? null;

  const incidents: IncidentCell[] = [];
  for (const t of [...TYPES, null]) for (const q of [...quarters, null]) for (const j of [...JURISDICTIONS, null]) {
    incidents.push({ incidentType: t, quarter: q, jurisdictionType: j, count: at(ids.cube(t, q, j)) });
  }

  const heatMap: HeatMapRow[] = DOMAINS().map((d) => ({
    domain: d.id,
    title: d.title,
    cells: JURISDICTIONS.map((j) => shareOf(result, system.heatId, d.id, j)),
    all: shareOf(result, system.heatId, d.id, null),
  }));

  // Most frequent first by the PUBLISHED count; suppressed items after, in the instrument's order,
  // so the order itself never tells a suppressed count.
  const items: ItemFigure[] = ITEMS().map((i) => {
    const s = shareOf(result, system.itemsId, i.id, 'all');
    return { item: i.id, text: i.text, domain: i.domain, reviews: s.contributing, share: s.share, status: s.status };
  });
  const shownItems = items.filter((i) => i.reviews !== null).sort((a, b) => b.reviews! - a.reviews! || a.item.localeCompare(b.item));
  const topItems = [...shownItems, ...items.filter((i) => i.reviews === null)];

  const recs: RecommendationFigure[] = [...JURISDICTIONS, null].map((j) => {
    const s = shareOf(result, system.recId, IMPLEMENTED, j);
    const rows = recommendations.filter((r) => quarters.includes(r.quarter) && (j === null || r.jurisdictionType === j));
    const implemented = rows.filter((r) => r.status === IMPLEMENTED);
    const days = implemented.filter((r) => r.daysToImplement !== null).map((r) => r.daysToImplement!);
    // A median over fewer than k implemented recommendations is not shown, nor one whose count is
    // hidden, nor one with a quarter of 1..k−1 implemented (the medians of two periods that differ
    // by that quarter would tell about those few), nor one over fewer than k whose time is known
    // (imported reviews' is not).
    const perQuarter = quarters.map((q) => implemented.filter((r) => r.quarter === q).length);
    const medianShown = s.contributing !== null && s.contributing >= k && days.length >= k && perQuarter.every((n) => n === 0 || n >= k);
    return {
      jurisdictionType: j,
      recommendations: s.reviews,
      implemented: s.contributing,
      rate: s.share,
      medianDaysToImplement: medianShown ? median(days) : null,
      status: s.status,
    };
  });

  const domainTrends: DomainTrend[] = quarters.flatMap((q) =>
    DOMAINS().map((d) => {
      const s = shareOf(result, system.trendId, d.id, q);
      return { quarter: q, domain: d.id, ...s };
    }),
  );

  return {
    k,
    quarters,
    jurisdictionTypes: JURISDICTIONS,
    incidentTypes: TYPES,
    incidents,
    heatMap,
    topItems,
    recommendations: recs,
    domainTrends,
    system,
    result,
  };
}

/** One agency's own figures: its own data, in full (no suppression: it may see its own records). */
export interface OwnFigures {
  reviews: number;
  incidentsByType: Record<string, number>;
  incidentsByQuarter: Record<string, number>;
  domains: Record<string, { contributing: number; share: number | null }>;
  items: Record<string, number>;
  recommendations: { recommendations: number; implemented: number; rate: number | null; medianDaysToImplement: number | null };
}

export function ownFigures(allReviews: ReviewFact[], recommendations: RecommendationFact[], quarters: string[]): OwnFigures {
  const reviews = allReviews.filter((r) => quarters.includes(r.quarter));
  const contributed = reviews.map(contributions);
  const implemented = recommendations.filter((r) => r.status === IMPLEMENTED);
  return {
    reviews: reviews.length,
    incidentsByType: Object.fromEntries(TYPES.map((t) => [t, reviews.filter((r) => r.incidentType === t).length])),
    incidentsByQuarter: Object.fromEntries(quarters.map((q) => [q, reviews.filter((r) => r.quarter === q).length])),
    domains: Object.fromEntries(
      DOMAINS().map((d) => {
        const n = contributed.filter((c) => c.domains.has(d.id)).length;
        return [d.id, { contributing: n, share: reviews.length ? round(n / reviews.length) : null }];
      }),
    ),
    items: Object.fromEntries(ITEMS().map((i) => [i.id, contributed.filter((c) => c.items.has(i.id)).length])),
    recommendations: {
      recommendations: recommendations.length,
      implemented: implemented.length,
      rate: recommendations.length ? round(implemented.length / recommendations.length) : null,
      medianDaysToImplement: median(implemented.filter((r) => r.daysToImplement !== null).map((r) => r.daysToImplement!)),
    },
  };
}
