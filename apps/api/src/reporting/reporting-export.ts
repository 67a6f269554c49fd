import type { Request, Response } from 'express';
import { toCsv } from '@sne/core';
import { wantsCsv, ReportFormat } from '../reports/report-format';
import type { AgencyReport, PartnershipReport } from './reporting.dto';

/**
 * The dashboard's tables as flat rows, for CSV and JSON exports. A margin's key is 'all'. A
 * suppressed figure is null in JSON and the word "suppressed" in CSV; a share with no reviews at
 * all (status 'no-data') is an empty cell, since nothing is hidden there.
 */
type Row = Record<string, string | number | boolean | null>;
interface Table {
  columns: string[];
  /** Columns whose null means suppressed. */
  figures: string[];
  rows: Row[];
}

const all = (v: string | null) => v ?? 'all';
const SHARE = ['reviews', 'contributing', 'share'];

export function partnershipTable(r: PartnershipReport, table: string): Table {
  switch (table) {
    case 'incidents':
      return {
        columns: ['incidentType', 'quarter', 'jurisdictionType', 'count'],
        figures: ['count'],
        rows: r.incidents.map((c) => ({ incidentType: all(c.incidentType), quarter: all(c.quarter), jurisdictionType: all(c.jurisdictionType), count: c.count })),
      };
    case 'heat-map':
      return {
        columns: ['domain', 'title', 'jurisdictionType', ...SHARE, 'status'],
        figures: SHARE,
        rows: r.heatMap.flatMap((h) => [...h.cells.map((c, i) => ({ j: r.jurisdictionTypes[i], c })), { j: 'all', c: h.all }].map(({ j, c }) => ({ domain: h.domain, title: h.title, jurisdictionType: j, ...c }))),
      };
    case 'items':
      return { columns: ['item', 'text', 'domain', 'reviews', 'share', 'status'], figures: ['reviews', 'share'], rows: r.topItems.map((i) => ({ ...i })) };
    case 'recommendations':
      return {
        columns: ['jurisdictionType', 'recommendations', 'implemented', 'rate', 'medianDaysToImplement', 'status'],
        figures: ['recommendations', 'implemented', 'rate', 'medianDaysToImplement'],
        rows: r.recommendations.map((x) => ({ ...x, jurisdictionType: all(x.jurisdictionType) })),
      };
    default:
      return { columns: ['quarter', 'domain', ...SHARE, 'status'], figures: SHARE, rows: r.domainTrends.map((t) => ({ ...t })) };
  }
}

export function agencyTable(r: AgencyReport, table: string): Table {
  switch (table) {
    case 'incidents-by-type':
      return { columns: ['incidentType', 'own', 'partnership'], figures: ['partnership'], rows: r.incidentsByType.map((x) => ({ incidentType: x.key, own: x.own, partnership: x.partnership })) };
    case 'incidents-by-quarter':
      return { columns: ['quarter', 'own', 'partnership'], figures: ['partnership'], rows: r.incidentsByQuarter.map((x) => ({ quarter: x.key, own: x.own, partnership: x.partnership })) };
    case 'domains':
      return {
        columns: ['domain', 'title', 'ownContributing', 'ownShare', 'partnershipReviews', 'partnershipContributing', 'partnershipShare', 'status'],
        figures: ['partnershipReviews', 'partnershipContributing', 'partnershipShare'],
        rows: r.domains.map((d) => ({
          domain: d.domain,
          title: d.title,
          ownContributing: d.own.contributing,
          ownShare: d.own.share,
          partnershipReviews: d.partnership.reviews,
          partnershipContributing: d.partnership.contributing,
          partnershipShare: d.partnership.share,
          status: d.partnership.status,
        })),
      };
    case 'items':
      return { columns: ['item', 'text', 'domain', 'own', 'partnership'], figures: ['partnership'], rows: r.items.map((i) => ({ ...i })) };
    default: {
      const p = r.recommendations.partnership;
      return {
        columns: ['series', 'recommendations', 'implemented', 'rate', 'medianDaysToImplement', 'status'],
        figures: ['recommendations', 'implemented', 'rate', 'medianDaysToImplement'],
        rows: [
          { series: 'own', ...r.recommendations.own, status: 'own' },
          { series: 'partnership', recommendations: p.recommendations, implemented: p.implemented, rate: p.rate, medianDaysToImplement: p.medianDaysToImplement, status: p.status },
        ],
      };
    }
  }
}

/** JSON `{ table, k, quarters, items }`, or the rows as CSV (csv-stringify, formula cells neutralised). */
export function sendTable(req: Request, res: Response, format: ReportFormat | undefined, meta: { table: string; k: number; quarters: string[]; filename: string }, t: Table) {
  res.vary('Accept');
  if (!wantsCsv(req, format)) return { table: meta.table, k: meta.k, quarters: meta.quarters, items: t.rows.map((row) => Object.fromEntries(t.columns.map((c) => [c, row[c] ?? null]))) };
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${meta.filename.replace(/[^A-Za-z0-9._-]/g, '_')}.csv"`);
  return toCsv(
    t.rows,
    t.columns.map((c) => ({
      header: c,
      value: (row: Row) => {
        const v = row[c];
        if (v !== null && v !== undefined) return v;
        return t.figures.includes(c) && row.status !== 'no-data' ? 'suppressed' : null;
      },
    })),
  );
}
