import { composePeriods, SuppressionResult } from '@sne/core';
import { RecommendationFact, reportingSystem, ReportingSystem, ReviewFact, suppressSystem } from './reporting-system';

/**
 * The published figures of a period the caller chose (1 to 8 quarters, any of them): each quarter's
 * figures are suppressed on their own, from that quarter's reviews alone, and every figure of the
 * period is composed from them (libs/core/src/aggregates/periods.ts): a figure over several
 * quarters (an all-quarters margin, the heat map, the items, the recommendations) is the sum of
 * its quarters' published parts, and suppressed when any part is. So a quarter's figures are the
 * same in every request, and no two periods differ by anything that was not already published.
 *
 * `system` is the period's own system (true values: what the figures would be unsuppressed), for
 * the views and for checks; `result.primary` its cells that are small or at differencing risk.
 */
export function suppressByQuarter(reviews: ReviewFact[], recommendations: RecommendationFact[], quarters: string[], k: number): { system: ReportingSystem; result: SuppressionResult } {
  const system = reportingSystem(reviews, recommendations, quarters, k);
  const bases = quarters.map((q) => suppressSystem(reportingSystem(reviews, recommendations, [q], k), k).published);
  const published = composePeriods(
    system.cells.map((c) => c.id),
    bases,
  );
  const primary = new Set(system.cells.filter((c) => c.value > 0 && (c.sensitive ?? c.value < k)).map((c) => c.id));
  // A small (or at-risk) period figure always has a small (or at-risk) part in some quarter, so it
  // is already suppressed; forced anyway, so that a future rule that is not additive fails closed.
  for (const id of primary) published.set(id, null);
  const complementary = new Set(system.cells.filter((c) => published.get(c.id) === null && !primary.has(c.id)).map((c) => c.id));
  return { system, result: { published, primary, complementary } };
}
