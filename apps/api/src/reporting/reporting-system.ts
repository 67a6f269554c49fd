import {
  AdditiveEquation,
  baselineDomain,
  baselineInstrument,
  baselineItem,
  cellId,
  cubeSystem,
  CONTRIBUTED,
  INCIDENT_TYPES,
  JURISDICTION_TYPES,
  shareCellIds,
  shareSystem,
  suppress,
  SuppressionCell,
  SuppressionResult,
} from '@sne/core';

/**
 * The partnership's figures of some quarters as ONE additive system (libs/core/src/aggregates).
 * Published figures come from the system of each single quarter, suppressed in ONE call, and a
 * period of several quarters is composed from those (reporting-periods.ts): suppressing the
 * period's own system would let two periods that differ by a quarter give that quarter back.
 * The rules:
 *
 * - Counted: approved reviews only, at their approved version (incident_reviews.approved_version
 *   and that version's ratings), of agencies whose data-sharing agreement in force covers
 *   'incidents'. A draft, a submitted review, an amendment not yet approved and every review of
 *   an agency without an agreement count nowhere. One review per incident, so reviews = incidents.
 * - The incidents cube: incident type × quarter (of the incident) × jurisdiction type (of the
 *   agency), with every margin. Every incidents table and trend is a view of it.
 * - The systemic-factor heat map: per baseline domain × jurisdiction type, the share of reviews
 *   rating any item of the domain ≥ 2 (CONTRIBUTED). Items of every instrument version are read as
 *   their baseline item and domain (baselineItem / baselineDomain), so v1 and v2 reviews combine.
 *   Its denominators ARE the cube's jurisdiction-type margins (the same cells), and the domain
 *   trend's denominators are the cube's quarter margins: nothing is published twice under two names.
 * - The most frequent contributing items: per baseline item, the reviews rating it ≥ 2 (a review
 *   counts once per baseline item, even when two v2 items map to it), over every review.
 * - Recommendations of the counted reviews: implemented / all, per jurisdiction type. Their
 *   counts are not about people (protectNumerators: false), but a jurisdiction type with fewer than
 *   k reviews shows no recommendation figures (its denominator is marked sensitive).
 * - k = config SUPPRESSION_MIN_CELL. A count of 1..k−1 is suppressed, and so is a count where the
 *   other agencies' part is 1..k−1 once any one agency takes away its own part (differencingRisk:
 *   every member knows its own reviews and sees them beside the partnership's). Then complements
 *   until no published cell, margin or share gives a suppressed one back (the engine's guarantee,
 *   for the quarter; across quarters and periods, periods.ts).
 */
export interface ReviewFact {
  agencyId: string;
  jurisdictionType: string;
  incidentType: string;
  quarter: string;
  instrumentVersion: string;
  /** Item ids of the approved version rated ≥ CONTRIBUTED. */
  contributedItems: string[];
}

export interface RecommendationFact {
  agencyId: string;
  jurisdictionType: string;
  /** The quarter of its review's incident (each quarter's figures are suppressed on their own). */
  quarter: string;
  status: string;
  /** Days from the recommendation's creation to implemented_on; null unless implemented, and for an imported review's (when it was made is not known). */
  daysToImplement: number | null;
}

export const ALL = null;
export const JURISDICTIONS: string[] = [...JURISDICTION_TYPES];
export const TYPES: string[] = [...INCIDENT_TYPES];
export const DOMAINS = () => baselineInstrument().domains.map((d) => ({ id: d.id, title: d.title }));
export const ITEMS = () => baselineInstrument().domains.flatMap((d) => d.items.map((i) => ({ id: i.id, text: i.text, domain: d.id })));
const IMPLEMENTED = 'implemented';

/** The baseline items and domains a review rated ≥ 2 (each once). */
export function contributions(r: Pick<ReviewFact, 'instrumentVersion' | 'contributedItems'>): { items: Set<string>; domains: Set<string> } {
  const items = new Set<string>();
  const domains = new Set<string>();
  for (const id of r.contributedItems) {
    const item = baselineItem(r.instrumentVersion, id);
    const domain = baselineDomain(r.instrumentVersion, id);
    if (item) items.add(item);
    if (domain) domains.add(domain);
  }
  return { items, domains };
}

/** Cell ids: the cube's are cellId([type, quarter, jurisdiction]) (null = summed over). */
export const ids = {
  cube: (type: string | null, quarter: string | null, jurisdiction: string | null) => cellId([type, quarter, jurisdiction]),
  share: (system: 'heat' | 'trend' | 'items' | 'rec', id: string) => `${system}:${id}`,
};

export interface ReportingSystem {
  cells: SuppressionCell[];
  equations: AdditiveEquation[];
  quarters: string[];
  /** Map a share system's own cell id to the system's id (denominators become cube cells). */
  heatId(id: string): string;
  trendId(id: string): string;
  itemsId(id: string): string;
  recId(id: string): string;
}

/** The whole system: the cube's cells and margins, and the shares tied to its margins. */
export function reportingSystem(allReviews: ReviewFact[], allRecommendations: RecommendationFact[], quarters: string[], k: number): ReportingSystem {
  const reviews = allReviews.filter((r) => quarters.includes(r.quarter));
  const recommendations = allRecommendations.filter((r) => quarters.includes(r.quarter));
  const cells = new Map<string, SuppressionCell>();
  const equations = new Map<string, AdditiveEquation>();
  const addCell = (c: SuppressionCell) => {
    const seen = cells.get(c.id);
    if (seen && seen.value !== c.value) throw new Error(`cell ${c.id} has two values (${seen.value}, ${c.value})`);
    if (!seen || c.sensitive !== undefined) cells.set(c.id, c);
  };
  const addEquation = (e: AdditiveEquation) => equations.set(JSON.stringify([e.total, e.parts]), e);

  // The cube: innermost counts and every margin, with their equations (aggregates/cube.ts).
  const inner = new Map<string, number>();
  for (const r of reviews) inner.set(ids.cube(r.incidentType, r.quarter, r.jurisdictionType), (inner.get(ids.cube(r.incidentType, r.quarter, r.jurisdictionType)) ?? 0) + 1);
  const cube = cubeSystem({
    dimensions: [
      { name: 'incidentType', keys: TYPES },
      { name: 'quarter', keys: quarters },
      { name: 'jurisdictionType', keys: JURISDICTIONS },
    ],
    value: (keys) => inner.get(ids.cube(keys.incidentType, keys.quarter, keys.jurisdictionType)) ?? 0,
  });
  const value = new Map(cube.cells.map((c) => [c.id, c.value]));
  // Each agency's own count in every cube cell (margins too): what a member knows beside the figures.
  const own = new Map<string, Map<string, number>>();
  for (const r of reviews) {
    for (let mask = 0; mask < 8; mask++) {
      const id = ids.cube(mask & 1 ? null : r.incidentType, mask & 2 ? null : r.quarter, mask & 4 ? null : r.jurisdictionType);
      const perAgency = own.get(id) ?? own.set(id, new Map()).get(id)!;
      perAgency.set(r.agencyId, (perAgency.get(r.agencyId) ?? 0) + 1);
    }
  }
  for (const c of cube.cells) addCell(differencingRisk(c.value, own.get(c.id)?.values() ?? [], k) ? { ...c, sensitive: true } : c);
  cube.equations.forEach(addEquation);

  const contributed = reviews.map((r) => ({ r, c: contributions(r) }));
  const domains = DOMAINS().map((d) => d.id);
  const count = (rows: typeof contributed, has: (c: { items: Set<string>; domains: Set<string> }) => boolean) => rows.filter((x) => has(x.c)).length;
  const merge = (system: { cells: SuppressionCell[]; equations: AdditiveEquation[] }, idOf: (id: string) => string, sensitive?: (id: string) => boolean | undefined) => {
    for (const c of system.cells) {
      const s = sensitive?.(c.id);
      addCell({ ...c, id: idOf(c.id), ...(s !== undefined ? { sensitive: s } : {}) });
    }
    for (const e of system.equations) addEquation({ total: idOf(e.total), parts: e.parts.map(idOf) });
  };

  // Heat map: domains × jurisdiction type (+ all); denominators = the cube's jurisdiction margins.
  const heatDenominators = new Map<string, string>([[shareCellIds.denominator(null), ids.cube(null, null, null)]]);
  for (const j of JURISDICTIONS) heatDenominators.set(shareCellIds.denominator(j), ids.cube(null, null, j));
  const heatId = (id: string) => heatDenominators.get(id) ?? ids.share('heat', id);
  const byDomain = (c: { domains: Set<string> }, d: string) => c.domains.has(d);
  const heatRisk = shareRisks(contributed, (r) => r.jurisdictionType, JURISDICTIONS, true, domains, byDomain, k);
  merge(
    shareSystem({
      groups: JURISDICTIONS.map((j) => {
        const rows = contributed.filter((x) => x.r.jurisdictionType === j);
        return { key: j, denominator: rows.length, numerators: Object.fromEntries(domains.map((d) => [d, count(rows, (c) => c.domains.has(d))])) };
      }),
      measures: domains,
      k,
    }),
    heatId,
    (id) => (heatRisk.has(id) ? true : undefined),
  );

  // Domain trend: domains × quarter; denominators = the cube's quarter margins, the all-quarters row = the heat map's.
  const trendIds = new Map<string, string>([[shareCellIds.denominator(null), ids.cube(null, null, null)]]);
  for (const q of quarters) trendIds.set(shareCellIds.denominator(q), ids.cube(null, q, null));
  for (const d of domains) for (const id of [shareCellIds.numerator(d, null), shareCellIds.remainder(d, null)]) trendIds.set(id, heatId(id));
  const trendId = (id: string) => trendIds.get(id) ?? ids.share('trend', id);
  const trendRisk = shareRisks(contributed, (r) => r.quarter, quarters, true, domains, byDomain, k);
  merge(
    shareSystem({
      groups: quarters.map((q) => {
        const rows = contributed.filter((x) => x.r.quarter === q);
        return { key: q, denominator: rows.length, numerators: Object.fromEntries(domains.map((d) => [d, count(rows, (c) => c.domains.has(d))])) };
      }),
      measures: domains,
      k,
    }),
    trendId,
    (id) => (trendRisk.has(id) ? true : undefined),
  );

  // Items: reviews rating each baseline item ≥ 2, over all reviews (the denominator is the cube's grand total).
  const items = ITEMS().map((i) => i.id);
  const itemsId = (id: string) => (id === shareCellIds.denominator('all') ? ids.cube(null, null, null) : ids.share('items', id));
  const itemRisk = shareRisks(contributed, () => 'all', ['all'], false, items, (c, i) => c.items.has(i), k);
  merge(
    shareSystem({
      groups: [{ key: 'all', denominator: reviews.length, numerators: Object.fromEntries(items.map((i) => [i, count(contributed, (c) => c.items.has(i))])) }],
      measures: items,
      k,
      total: false,
    }),
    itemsId,
    (id) => (itemRisk.has(id) ? true : undefined),
  );

  // Recommendations: implemented / all per jurisdiction type; nothing for a group of fewer than k reviews.
  const recId = (id: string) => ids.share('rec', id);
  const fewReviews = (group: string | null) => {
    const n = value.get(ids.cube(null, null, group))!;
    return n > 0 && n < k;
  };
  const recDenominators = new Map<string, string | null>([[shareCellIds.denominator(null), null], ...JURISDICTIONS.map((j): [string, string] => [shareCellIds.denominator(j), j])]);
  merge(
    shareSystem({
      groups: JURISDICTIONS.map((j) => {
        const rows = recommendations.filter((r) => r.jurisdictionType === j);
        return { key: j, denominator: rows.length, numerators: { [IMPLEMENTED]: rows.filter((r) => r.status === IMPLEMENTED).length } };
      }),
      measures: [IMPLEMENTED],
      k,
      protectNumerators: false,
    }),
    recId,
    (id) => (recDenominators.has(id) && fewReviews(recDenominators.get(id)!) ? true : undefined),
  );

  return { cells: [...cells.values()], equations: [...equations.values()], quarters, heatId, trendId, itemsId, recId };
}

/**
 * A member knows its own reviews. So a figure is also sensitive when, after taking away any one
 * agency's own part, what is left (the other agencies' part) is 1..k−1: that agency could work it
 * out by subtraction, e.g. a state figure of 10 where its own part is 7.
 */
export function differencingRisk(total: number, ownParts: Iterable<number>, k: number): boolean {
  for (const part of ownParts) {
    const rest = total - part;
    if (rest > 0 && rest < k) return true;
  }
  return false;
}

type Contribution = { r: ReviewFact; c: { items: Set<string>; domains: Set<string> } };

/** The share-system ids (numerators and remainders, per group and the all-groups row) at differencing risk. */
function shareRisks(rows: Contribution[], groupOf: (r: ReviewFact) => string, groups: string[], withTotal: boolean, measures: string[], has: (c: Contribution['c'], m: string) => boolean, k: number): Set<string> {
  const risky = new Set<string>();
  for (const group of [...groups, ...(withTotal ? [null] : [])]) {
    const inGroup = rows.filter((x) => group === null || groupOf(x.r) === group);
    const agencies = new Map<string, Contribution[]>();
    for (const x of inGroup) (agencies.get(x.r.agencyId) ?? agencies.set(x.r.agencyId, []).get(x.r.agencyId)!).push(x);
    for (const m of measures) {
      const n = inGroup.filter((x) => has(x.c, m)).length;
      const ownN = [...agencies.values()].map((list) => list.filter((x) => has(x.c, m)).length);
      const ownR = [...agencies.values()].map((list, i) => list.length - ownN[i]);
      if (differencingRisk(n, ownN, k)) risky.add(shareCellIds.numerator(m, group));
      if (differencingRisk(inGroup.length - n, ownR, k)) risky.add(shareCellIds.remainder(m, group));
    }
  }
  return risky;
}

/** Suppresses the system once (one quarter's: see reporting-periods.ts for a period). */
export function suppressSystem(system: ReportingSystem, k: number): SuppressionResult {
  return suppress({ cells: system.cells, equations: system.equations, k });
}

export { CONTRIBUTED, IMPLEMENTED };
