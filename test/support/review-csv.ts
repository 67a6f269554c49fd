/**
 * Builds review import files (the CSV format of apps/api/src/review-import/import-format.ts) for
 * the tests and the benchmark: a valid row by default, any cell overridden, any column added.
 */
import { itemsOf } from '@sne/core';

export type Cells = Record<string, string>;

const FINDINGS = [
  'Safe-sleep screening was not part of the assessment tool used at closure.',
  'Case handoffs between intake and ongoing units did not carry the household history.',
  'Supervisory consultation was not available during the overnight response.',
  'Workload in the unit left little time for follow-up visits.',
];

/** A complete, valid review row for instrument `version`; `n` varies its codes and ratings. */
export function goodRow(n: number, version = '2', over: Cells = {}): Cells {
  const row: Cells = {
    external_id: `HIST-${String(n).padStart(5, '0')}`,
    incident_type: ['fatality', 'near_fatality', 'serious_injury'][n % 3],
    incident_year: String(2019 + (n % 6)),
    incident_month: String(1 + (n % 12)),
    age_band: ['under_1', '1_3', '4_6', '7_12', '13_17'][n % 5],
    prior_involvement: n % 4 === 0 ? 'none' : ['screened_out', 'investigated', 'in_home_services', 'in_care'][n % 4],
    prior_recency: n % 4 === 0 ? '' : ['current', 'within_12_months', 'within_36_months', 'older'][n % 4],
    circumstances: n % 2 ? 'unsafe_sleep;substance_exposure' : 'neglect',
    instrument_version: version,
    summary: 'The review looked at how risk was assessed and followed up across units.',
    finding_1: FINDINGS[n % FINDINGS.length],
    finding_1_domain: 'tools-resources',
    finding_2: FINDINGS[(n + 1) % FINDINGS.length],
    rec_1_text: 'Add a safe-sleep item to the closure assessment.',
    rec_1_owner: 'agency',
    rec_1_target_date: '2024-06-30',
    rec_1_status: n % 3 === 0 ? 'implemented' : 'accepted',
    rec_1_implemented_on: n % 3 === 0 ? '2024-05-02' : '',
    rec_1_finding: '1',
  };
  let i = 0;
  for (const id of itemsOf(version).keys()) row[id] = String((n + i++) % 4);
  return { ...row, ...over };
}

const quote = (v: string) => (/[",\r\n]/.test(v) || /^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** A file: the union of the rows' columns as the header (first row's order first), CRLF line ends. */
export function reviewCsv(rows: Cells[], opts: { bom?: boolean; eol?: string; columns?: string[] } = {}): string {
  const columns = opts.columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const eol = opts.eol ?? '\r\n';
  const lines = [columns.join(','), ...rows.map((r) => columns.map((c) => quote(r[c] ?? '')).join(','))];
  return `${opts.bom ? '\ufeff' : ''}${lines.join(eol)}${eol}`;
}
