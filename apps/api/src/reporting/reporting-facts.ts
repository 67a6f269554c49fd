import type { DataSource, EntityManager } from 'typeorm';
import { CONTRIBUTED } from '@sne/core';
import type { RecommendationFact, ReviewFact } from './reporting-system';

/**
 * What the aggregates are built from, read straight from the tables:
 * - only reviews with an approved version (incident_reviews.approved_version), and that
 *   version's ratings: a draft, a submitted review and an amendment in progress never count, and
 *   an amendment changes the figures only once it is approved;
 * - for the partnership, only agencies whose agreement in force covers 'incidents': the latest
 *   data_sharing_agreements row of the agency (rows are never updated; an empty `covers` is a
 *   withdrawal), signed on or before today. An agency without one is out of every figure;
 * - the quarter of the incident (its month and year), the jurisdiction type of the agency.
 */

/** '2026-Q3' */
export const QUARTER = /^(\d{4})-Q([1-4])$/;
export const MAX_QUARTERS = 8;

export function quarterOf(year: number, month: number): string {
  return `${year}-Q${Math.ceil(month / 3)}`;
}

const index = (q: string) => {
  const m = QUARTER.exec(q);
  if (!m) throw new Error(`not a quarter: ${q}`);
  return Number(m[1]) * 4 + Number(m[2]) - 1;
};
const fromIndex = (i: number) => `${Math.floor(i / 4)}-Q${(i % 4) + 1}`;

/** Every quarter from `from` to `to`, both included. */
export function quartersBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let i = index(from); i <= index(to); i++) out.push(fromIndex(i));
  return out;
}

/** The four quarters ending with the current one (the default period). */
export function lastQuarters(now = new Date(), n = 4): string[] {
  const current = index(quarterOf(now.getUTCFullYear(), now.getUTCMonth() + 1));
  return quartersBetween(fromIndex(current - n + 1), fromIndex(current));
}

/** Problems with a ?from=&to= pair, in plain words (null when fine). */
export function periodProblem(from: string, to: string): string | null {
  if (!QUARTER.test(from) || !QUARTER.test(to)) return 'from and to are quarters like 2026-Q1';
  if (index(from) > index(to)) return 'from must not be after to';
  if (index(to) - index(from) + 1 > MAX_QUARTERS) return `at most ${MAX_QUARTERS} quarters`;
  return null;
}

/**
 * The agencies whose agreement in force (their latest row, signed on or before today) covers that
 * kind of data, as a subquery of agency ids. 'culture' is for the survey aggregates (issue 12).
 */
export function sharingAgencies(kind: 'incidents' | 'culture'): string {
  return `
  SELECT agency_id FROM (
    SELECT DISTINCT ON (agency_id) agency_id, covers, signed_on
      FROM data_sharing_agreements
     ORDER BY agency_id, recorded_at DESC, id DESC
  ) latest
  WHERE '${kind === 'culture' ? 'culture' : 'incidents'}' = ANY(covers) AND signed_on <= current_date`;
}

/** The agencies whose reviews count in partnership figures. */
export const CONTRIBUTING_AGENCIES = sharingAgencies('incidents');

export type FactScope = { kind: 'partnership' } | { kind: 'agency'; agencyId: string };

function period(quarters: string[]): { from: number; to: number } {
  const first = QUARTER.exec(quarters[0])!;
  const last = QUARTER.exec(quarters[quarters.length - 1])!;
  return { from: Number(first[1]) * 100 + (Number(first[2]) - 1) * 3 + 1, to: Number(last[1]) * 100 + Number(last[2]) * 3 };
}

export async function loadFacts(db: DataSource | EntityManager, scope: FactScope, quarters: string[]): Promise<{ reviews: ReviewFact[]; recommendations: RecommendationFact[] }> {
  const { from, to } = period(quarters);
  const where = scope.kind === 'partnership' ? `r.agency_id IN (${CONTRIBUTING_AGENCIES})` : `r.agency_id = $3`;
  const params: unknown[] = [from, to, ...(scope.kind === 'agency' ? [scope.agencyId] : [])];
  const threshold = `$${params.length + 1}`;
  const counted = `
    SELECT r.id, r.agency_id, r.approved_version, r.instrument_version, r.imported, a.jurisdiction_type, i.incident_type, i.incident_year, i.incident_month
      FROM incident_reviews r
      JOIN critical_incidents i ON i.id = r.incident_id
      JOIN agencies a ON a.id = r.agency_id
     WHERE r.approved_version IS NOT NULL AND ${where}
       AND i.incident_year * 100 + i.incident_month BETWEEN $1 AND $2`;
  const reviews: any[] = await db.query(
    `WITH counted AS (${counted})
     SELECT c.*, coalesce(array_agg(rr.item_id ORDER BY rr.item_id) FILTER (WHERE rr.rating >= ${threshold}), '{}') AS contributed
       FROM counted c
       LEFT JOIN review_ratings rr ON rr.review_id = c.id AND rr.version = c.approved_version
      GROUP BY c.id, c.agency_id, c.approved_version, c.instrument_version, c.imported, c.jurisdiction_type, c.incident_type, c.incident_year, c.incident_month`,
    [...params, CONTRIBUTED],
  );
  const recommendations: any[] = await db.query(
    `WITH counted AS (${counted})
     SELECT c.agency_id, c.jurisdiction_type, c.incident_year, c.incident_month, rec.status,
            -- An imported review's recommendations were written into the system on the import's
            -- day, long after they were made: when they were made is not known, so neither is how
            -- long they took (they still count in the implementation rate).
            CASE WHEN rec.implemented_on IS NOT NULL AND NOT c.imported THEN rec.implemented_on - rec.created_at::date END AS days
       FROM counted c JOIN review_recommendations rec ON rec.review_id = c.id`,
    params,
  );
  return {
    reviews: reviews.map((r) => ({
      agencyId: r.agency_id,
      jurisdictionType: r.jurisdiction_type,
      incidentType: r.incident_type,
      quarter: quarterOf(r.incident_year, r.incident_month),
      instrumentVersion: r.instrument_version,
      contributedItems: r.contributed,
    })),
    recommendations: recommendations.map((r) => ({
      agencyId: r.agency_id,
      jurisdictionType: r.jurisdiction_type,
      quarter: quarterOf(r.incident_year, r.incident_month),
      status: r.status,
      // Implemented before it was recorded: no time to implement after the recommendation was made.
      daysToImplement: r.days === null ? null : Math.max(0, Number(r.days)),
    })),
  };
}
