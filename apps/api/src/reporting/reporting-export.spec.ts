import { parse } from 'csv-parse/sync';
import type { Request, Response } from 'express';
import { partnershipTable, sendTable } from './reporting-export';
import type { PartnershipReport } from './reporting.dto';

/** A response double that records its headers (unit test: no HTTP). */
function response() {
  const headers: Record<string, string> = {};
  return { headers, res: { vary: () => undefined, setHeader: (k: string, v: string) => (headers[k] = v) } as unknown as Response };
}
const req = (accept = '') => ({ headers: { accept } }) as unknown as Request;

const report = {
  k: 5,
  quarters: ['2026-Q1'],
  contributingAgencies: 2,
  jurisdictionTypes: ['state', 'federal'],
  incidentTypes: ['fatality'],
  incidents: [
    { incidentType: 'fatality', quarter: '2026-Q1', jurisdictionType: 'state', count: null },
    { incidentType: null, quarter: null, jurisdictionType: null, count: 12 },
  ],
  heatMap: [
    {
      domain: 'supervision',
      title: '=Supervision',
      cells: [
        { reviews: 12, contributing: null, share: null, status: 'suppressed' },
        { reviews: 0, contributing: 0, share: null, status: 'no-data' },
      ],
      all: { reviews: 12, contributing: 6, share: 0.5, status: 'shown' },
    },
  ],
  topItems: [],
  recommendations: [],
  domainTrends: [],
} as PartnershipReport;

describe('reporting exports', () => {
  it('writes a suppressed figure as null in JSON and "suppressed" in CSV, a margin as "all"', () => {
    const json = sendTable(req(), response().res, 'json', { table: 'incidents', k: 5, quarters: report.quarters, filename: 'x' }, partnershipTable(report, 'incidents')) as { items: Record<string, unknown>[] };
    expect(json.items).toEqual([
      { incidentType: 'fatality', quarter: '2026-Q1', jurisdictionType: 'state', count: null },
      { incidentType: 'all', quarter: 'all', jurisdictionType: 'all', count: 12 },
    ]);
    const { headers, res } = response();
    const csv = parse(sendTable(req('text/csv'), res, undefined, { table: 'incidents', k: 5, quarters: report.quarters, filename: 'partnership-incidents' }, partnershipTable(report, 'incidents')) as string, { columns: true });
    expect(csv).toEqual([
      { incidentType: 'fatality', quarter: '2026-Q1', jurisdictionType: 'state', count: 'suppressed' },
      { incidentType: 'all', quarter: 'all', jurisdictionType: 'all', count: '12' },
    ]);
    expect(headers['Content-Disposition']).toBe('attachment; filename="partnership-incidents.csv"');
  });

  it('leaves a share with no data empty, and neutralises a cell a spreadsheet would run', () => {
    const { res } = response();
    const rows = parse(sendTable(req(), res, 'csv', { table: 'heat-map', k: 5, quarters: report.quarters, filename: 'h' }, partnershipTable(report, 'heat-map')) as string, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.jurisdictionType, r.contributing, r.share, r.status])).toEqual([
      ['state', 'suppressed', 'suppressed', 'suppressed'],
      ['federal', '0', '', 'no-data'],
      ['all', '6', '0.5', 'shown'],
    ]);
    expect(rows[0].title).toBe("'=Supervision");
  });
});
