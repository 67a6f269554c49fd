import { parse } from 'csv-parse/sync';
import type { Request, Response } from 'express';
import { shareCellIds } from '@sne/core';
import { findLeaks } from '../../../../libs/core/src/aggregates/leak-checker.spec-helpers';
import { partnershipFigures, PartnershipFigures } from './reporting-figures';
import { partnershipTable, sendTable } from './reporting-export';
import { quartersBetween } from './reporting-facts';
import { ids, JURISDICTIONS, RecommendationFact, reportingSystem, ReportingSystem, ReviewFact } from './reporting-system';
import { PARTNERSHIP_TABLES, PartnershipReport } from './reporting.dto';

/**
 * The caller chooses the period (from ≤ to, 1 to 8 quarters), the table and the format (the agency
 * view's partnership column is read from the same figures). Every window over two years, every
 * table, JSON and CSV: everything published, taken together with every equation between the
 * quarters' cells, must pin down no suppressed cell of any quarter (the independent leak checker),
 * and every small figure of a window must be suppressed.
 */
const K = 5;
const SPAN = quartersBetween('2023-Q1', '2024-Q4');
const windows = SPAN.flatMap((from, i) => SPAN.slice(i).map((_, j) => SPAN.slice(i, i + j + 1)));

function rng(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** Small cells on purpose: a few reviews per quarter and jurisdiction type, and the analyst's case (2024-Q2: 4 fatalities). */
function fixture(seed: number): { reviews: ReviewFact[]; recs: RecommendationFact[] } {
  const r = rng(seed);
  const pick = <T>(list: T[]) => list[Math.floor(r() * list.length)];
  const reviews: ReviewFact[] = [];
  const recs: RecommendationFact[] = [];
  const add = (quarter: string, incidentType: string, agency: string, jurisdictionType: string) => {
    const items = pick([['tc.handoffs', 'cp.workload'], ['tc.shared-picture'], ['ex.courts', 'su.coaching'], []]);
    reviews.push({ agencyId: agency, jurisdictionType, incidentType, quarter, instrumentVersion: '1', contributedItems: items });
    const done = r() < 0.6;
    recs.push({ agencyId: agency, jurisdictionType, quarter, status: done ? 'implemented' : 'accepted', daysToImplement: done ? Math.floor(r() * 300) : null });
  };
  for (const q of SPAN) {
    const n = 10 + Math.floor(r() * 14);
    for (let i = 0; i < n; i++) {
      const [agency, jt] = pick([['s1', 'state'], ['s1', 'state'], ['s2', 'state'], ['c', 'county'], ['t', 'tribal']]);
      add(q, q === '2024-Q2' ? pick(['near_fatality', 'serious_injury']) : pick(['fatality', 'near_fatality', 'serious_injury']), agency, jt);
    }
  }
  for (let i = 0; i < 4; i++) add('2024-Q2', 'fatality', 's1', 'state');
  return { reviews, recs };
}

const req = (accept: string) => ({ headers: { accept } }) as unknown as Request;
const res = { vary: () => undefined, setHeader: () => undefined } as unknown as Response;

/** Every exported row of every table, in JSON and in CSV (read back as numbers; "suppressed" is null). */
function exportedRows(report: PartnershipReport): Array<{ table: string; row: Record<string, unknown> }> {
  const out: Array<{ table: string; row: Record<string, unknown> }> = [];
  for (const table of PARTNERSHIP_TABLES) {
    const meta = { table, k: K, quarters: report.quarters, filename: table };
    const json = sendTable(req(''), res, 'json', meta, partnershipTable(report, table)) as { items: Record<string, unknown>[] };
    const csv = parse(sendTable(req('text/csv'), res, 'csv', meta, partnershipTable(report, table)) as string, { columns: true }) as Record<string, string>[];
    expect(csv.length).toBe(json.items.length);
    json.items.forEach((row, i) => {
      out.push({ table, row });
      const fromCsv = Object.fromEntries(Object.entries(csv[i]).map(([k, v]) => [k, v === 'suppressed' ? null : typeof row[k] === 'number' ? Number(v) : row[k] === null && v === '' ? null : v]));
      out.push({ table, row: fromCsv });
    });
  }
  return out;
}

/** The system ids of the counts one exported row publishes (shares are their two counts' quotient). */
function countsOf(table: string, row: Record<string, any>, s: ReportingSystem, grandTotal: number | null): Array<[string, number | null]> {
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const all = (v: string) => (v === 'all' ? null : v);
  const share = (idOf: (id: string) => string, measure: string, group: string | null, d: number | null, c: number | null): Array<[string, number | null]> => [
    [idOf(shareCellIds.denominator(group)), d],
    [idOf(shareCellIds.numerator(measure, group)), c],
    [idOf(shareCellIds.remainder(measure, group)), d !== null && c !== null ? d - c : null],
  ];
  switch (table) {
    case 'incidents':
      return [[ids.cube(all(row.incidentType), all(row.quarter), all(row.jurisdictionType)), n(row.count)]];
    case 'heat-map':
      return share(s.heatId, row.domain, all(row.jurisdictionType), n(row.reviews), n(row.contributing));
    case 'items':
      return share(s.itemsId, row.item, 'all', grandTotal, n(row.reviews));
    case 'recommendations':
      return share(s.recId, 'implemented', all(row.jurisdictionType), n(row.recommendations), n(row.implemented));
    default:
      return share(s.trendId, row.domain, row.quarter, n(row.reviews), n(row.contributing));
  }
}

const primaryOf = (s: ReportingSystem) => s.cells.filter((c) => c.value > 0 && (c.sensitive ?? c.value < K)).map((c) => c.id);
const reportOf = (f: PartnershipFigures): PartnershipReport => ({ ...f, contributingAgencies: 4 });

/**
 * Everything the windows publish, as one system: the unknowns are each quarter's cells (a quarter
 * shares no review with another) with their equations; each published window figure is a cell
 * equal to the sum of the same cell in each of its quarters (those that have it). A one-quarter
 * window's cells ARE that quarter's cells. An unpublished window figure is a sum nobody is told:
 * it constrains nothing, so it is left out. `partsHidden` lists the published window figures with
 * a part that no one-quarter report publishes: the exact argument needs it empty.
 */
function everythingPublished(reviews: ReviewFact[], recs: RecommendationFact[], asked: string[][]) {
  const cells: Array<{ id: string; value: number }> = [];
  const equations: Array<{ total: string; parts: string[] }> = [];
  const published = new Map<string, number | null>();
  const primary: string[] = [];
  const quarters = [...new Set(asked.flat())];
  const base = new Map(quarters.map((q) => [q, reportingSystem(reviews, recs, [q], K)]));
  const idsOf = new Map([...base].map(([q, s]) => [q, new Set(s.cells.map((c) => c.id))]));
  for (const [q, s] of base) {
    for (const c of s.cells) {
      cells.push({ id: `${q}|${c.id}`, value: c.value });
      published.set(`${q}|${c.id}`, null);
    }
    for (const e of s.equations) equations.push({ total: `${q}|${e.total}`, parts: e.parts.map((p) => `${q}|${p}`) });
    primary.push(...primaryOf(s).map((id) => `${q}|${id}`));
  }
  let numbers = 0;
  for (const w of [...asked].sort((x, y) => x.length - y.length)) {
    const f = partnershipFigures(reviews, recs, w, K);
    const truth = new Map(f.system.cells.map((c) => [c.id, c.value]));
    const shown = new Map<string, number | null>();
    const grand = f.incidents.find((c) => c.incidentType === null && c.quarter === null && c.jurisdictionType === null)!.count;
    for (const { table, row } of exportedRows(reportOf(f))) {
      for (const [id, v] of countsOf(table, row, f.system, grand)) {
        if (shown.has(id) && shown.get(id) !== v && v !== null && shown.get(id) !== null) throw new Error(`${w}: ${id} shown as ${shown.get(id)} and ${v}`);
        if (v !== null || !shown.has(id)) shown.set(id, v);
      }
    }
    expect(f.system.cells.filter((c) => !shown.has(c.id)).map((c) => c.id)).toEqual([]);
    const small = new Set(primaryOf(f.system));
    for (const [id, v] of shown) {
      if (v !== null) expect([w, id, v]).toEqual([w, id, truth.get(id)]);
      if (small.has(id)) expect([w, id, v]).toEqual([w, id, null]);
      if (v === null) continue;
      numbers++;
      if (w.length === 1) {
        published.set(`${w[0]}|${id}`, v);
        continue;
      }
      const wid = `${w[0]}..${w[w.length - 1]}|${id}`;
      cells.push({ id: wid, value: truth.get(id)! });
      published.set(wid, v);
      equations.push({ total: wid, parts: w.filter((q) => idsOf.get(q)!.has(id)).map((q) => `${q}|${id}`) });
    }
  }
  const partsHidden = equations.filter((e) => e.total.includes('..') && e.parts.some((p) => published.get(p) === null)).map((e) => e.total);
  // An equation of published cells only says nothing more (and leaving it out keeps the checker quick).
  const informative = equations.filter((e) => [e.total, ...e.parts].some((id) => published.get(id) === null));
  return { system: { cells, equations: informative }, published, primary, numbers, partsHidden };
}

describe('reporting over any period: no combination of requests gives a suppressed cell back', () => {
  it('publishes a figure over several quarters only as the sum of its quarters\' published figures', () => {
    const { reviews, recs } = fixture(7);
    const alone = (q: string) => partnershipFigures(reviews, recs, [q], K);
    const at = (f: PartnershipFigures, t: string | null, q: string | null, j: string | null) => f.incidents.find((c) => c.incidentType === t && c.quarter === q && c.jurisdictionType === j)!.count;
    // The analyst's case: 2024-Q2 has 4 fatalities (suppressed); with and without it, the margins must not differ by them.
    expect(at(alone('2024-Q2'), 'fatality', '2024-Q2', null)).toBeNull();
    const withQ2 = partnershipFigures(reviews, recs, quartersBetween('2023-Q4', '2024-Q2'), K);
    const withoutQ2 = partnershipFigures(reviews, recs, quartersBetween('2023-Q4', '2024-Q1'), K);
    expect(at(withQ2, 'fatality', null, null)).toBeNull();
    for (const f of [withQ2, withoutQ2]) {
      // Each cell of a quarter is that quarter's own figure, in every period that holds it.
      for (const c of f.incidents.filter((x) => x.quarter !== null)) expect([c, c.count]).toEqual([c, at(alone(c.quarter!), c.incidentType, c.quarter, c.jurisdictionType)]);
      // Each all-quarters figure is the sum of its quarters', or suppressed when one of them is.
      for (const c of f.incidents.filter((x) => x.quarter === null)) {
        const parts = f.quarters.map((q) => at(alone(q), c.incidentType, q, c.jurisdictionType));
        expect([c, c.count]).toEqual([c, parts.includes(null) ? null : parts.reduce((a, b) => a! + b!, 0)]);
      }
    }
    // The analyst's requests together (each quarter alone, and both periods) give no suppressed cell back.
    const asked = [['2023-Q4'], ['2024-Q1'], ['2024-Q2'], withoutQ2.quarters, withQ2.quarters];
    const these = everythingPublished(reviews, recs, asked);
    expect(findLeaks(these.system, these.published, these.primary)).toEqual([]);
  });

  it('every window of two years, every table, JSON and CSV: nothing published pins down a suppressed cell', () => {
    const { reviews, recs } = fixture(11);
    expect(windows.length).toBe(36);
    const all = everythingPublished(reviews, recs, windows);
    expect(all.numbers).toBeGreaterThan(2_000);
    expect(all.primary.length).toBeGreaterThan(50);
    expect(JURISDICTIONS).toContain('tribal');
    // The exact argument: every published figure is a sum of published one-quarter figures ...
    expect(all.partsHidden).toEqual([]);
    // ... so the independent checker, over everything at once, finds what it finds in each quarter: nothing.
    expect(findLeaks(all.system, all.published, all.primary)).toEqual([]);
  });
});
