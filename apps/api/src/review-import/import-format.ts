import {
  AGE_BANDS,
  CIRCUMSTANCES,
  currentInstrument,
  INCIDENT_TYPES,
  instrumentVersions,
  itemsOf,
  PRIOR_INVOLVEMENT,
  PRIOR_RECENCY,
  RECOMMENDATION_OWNERS,
  RECOMMENDATION_STATUSES,
  RecordProblem,
  ReviewRecordInput,
} from '@sne/core';

/**
 * The CSV format of the bulk import of historical reviews, one row per review (README, "Importing
 * historical reviews"). A spreadsheet can produce it: one column per coded field, one column per
 * instrument item (named by the item's id), and numbered columns for findings and recommendations
 * (finding_1, finding_1_domain, rec_1_text, rec_1_owner, …). Pure: reading a row into a review
 * record and naming its problems by column; the service checks and writes.
 */
export const MAX_FINDINGS = 20;
export const MAX_RECOMMENDATIONS = 20;

export const REQUIRED_COLUMNS = ['external_id', 'incident_type', 'incident_year', 'incident_month', 'age_band', 'prior_involvement', 'prior_recency', 'circumstances', 'instrument_version'] as const;
export const TEXT_COLUMNS = ['incident_summary', 'summary'] as const;
export const FINDING_FIELDS = ['', '_domain'] as const;
export const REC_FIELDS = ['text', 'owner', 'owner_agency', 'target_date', 'status', 'status_reason', 'implemented_on', 'finding'] as const;

/** Longest text per column, as the tables allow it (the database would refuse longer). */
const MAX_LENGTH: Record<string, number> = { external_id: 200, summary: 50_000, incident_summary: 20_000, finding: 5000, rec_text: 5000, rec_status_reason: 2000 };

/** Every item id of every instrument version, in the current version's order, then the rest. */
export function itemColumns(): string[] {
  const out: string[] = [];
  for (const v of [currentInstrument().version, ...instrumentVersions()]) for (const id of itemsOf(v).keys()) if (!out.includes(id)) out.push(id);
  return out;
}

/** Every column a file may have, in the template's order. */
export function knownColumns(findings = MAX_FINDINGS, recs = MAX_RECOMMENDATIONS): string[] {
  const cols: string[] = [...REQUIRED_COLUMNS, ...TEXT_COLUMNS, ...itemColumns()];
  for (let n = 1; n <= findings; n++) for (const f of FINDING_FIELDS) cols.push(`finding_${n}${f}`);
  for (let n = 1; n <= recs; n++) for (const f of REC_FIELDS) cols.push(`rec_${n}_${f}`);
  return cols;
}

const KNOWN = new Set(knownColumns());

/** What is wrong with a header row (unknown, repeated or missing columns), in plain words. */
export function headerProblems(header: string[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const h of header) {
    if (!h) problems.push('the header has an empty column name');
    else if (seen.has(h)) problems.push(`the column "${clip(h)}" appears twice`);
    else if (!KNOWN.has(h)) problems.push(`the column "${clip(h)}" is not part of the format (see GET /api/v1/reviews/import/template)`);
    seen.add(h);
  }
  const missing = REQUIRED_COLUMNS.filter((c) => !seen.has(c));
  if (missing.length) problems.push(`required column${missing.length > 1 ? 's' : ''} missing: ${missing.join(', ')}`);
  return problems;
}

const clip = (s: string, n = 60) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** A header cell as a column name: trimmed, lower case (spreadsheets capitalise). */
export const columnName = (h: string) => h.trim().toLowerCase();

/** A member agency a recommendation may name as its owner, by its name or jurisdiction code. */
export interface AgencyRef {
  id: string;
  name: string;
  code: string;
}

export interface ReadRow {
  externalId: string;
  input: ReviewRecordInput;
  /** Problems found while reading the cells (beyond checkReviewRecord's). */
  problems: RecordProblem[];
}

/** One data row (cells by column name) as a review record; the cells' own problems named by column. */
export function readRow(cells: Record<string, string>, agencies: AgencyRef[], ownAgencyId?: string): ReadRow {
  const problems: RecordProblem[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });
  const cell = (name: string) => (cells[name] ?? '').trim();
  const tooLong = (name: string, value: string, limit: number) => {
    if (value.length > limit) add(name, `is ${value.length} characters long; the most is ${limit}`);
    return value.length > limit ? value.slice(0, limit) : value;
  };
  const externalId = tooLong('external_id', cell('external_id'), MAX_LENGTH.external_id);
  if (!externalId) add('external_id', 'is required: the identifier your agency gave the review');
  const instrumentVersion = cell('instrument_version');
  if (!instrumentVersion) add('instrument_version', `is required (one of ${instrumentVersions().join(', ')})`);

  const ratings: Record<string, number> = {};
  for (const id of itemColumns()) {
    const v = cell(id);
    // Empty is "not rated"; a value that is not 0–3, or an item of another version, goes through
    // as it is, so the instrument's check (ratingProblems) names it.
    if (v) ratings[id] = /^[0-3]$/.test(v) ? Number(v) : (v as unknown as number);
  }

  const findings: ReviewRecordInput['findings'] = [];
  const findingAt = new Map<number, number>(); // column number → position
  let gap = 0;
  for (let n = 1; n <= MAX_FINDINGS; n++) {
    const text = tooLong(`finding_${n}`, cell(`finding_${n}`), MAX_LENGTH.finding);
    const domain = cell(`finding_${n}_domain`);
    if (!text) {
      if (domain) add(`finding_${n}_domain`, `is given, but finding_${n} is empty`);
      if (!gap) gap = n;
      continue;
    }
    if (gap) add(`finding_${n}`, `is filled, but finding_${gap} is empty: number the findings from 1 without gaps`);
    findings.push({ text, domainId: domain || null });
    findingAt.set(n, findings.length);
  }

  const recommendations: ReviewRecordInput['recommendations'] = [];
  gap = 0;
  for (let n = 1; n <= MAX_RECOMMENDATIONS; n++) {
    const c = (f: string) => cell(`rec_${n}_${f}`);
    if (REC_FIELDS.every((f) => !c(f))) {
      if (!gap) gap = n;
      continue;
    }
    if (gap) add(`rec_${n}_text`, `is filled, but recommendation ${gap} is empty: number the recommendations from 1 without gaps`);
    const ownerAgency = c('owner_agency');
    let ownerAgencyId: string | null = null;
    if (ownerAgency) {
      const key = ownerAgency.toLowerCase();
      const found = agencies.filter((a) => a.name.toLowerCase() === key || a.code.toLowerCase() === key || a.id === key);
      if (found.length === 1 && found[0].id === ownAgencyId) add(`rec_${n}_owner_agency`, `"${clip(ownerAgency)}" is your own agency: its owner is 'agency'`);
      else if (found.length === 1) ownerAgencyId = found[0].id;
      else add(`rec_${n}_owner_agency`, found.length ? `"${clip(ownerAgency)}" names more than one member agency: use the agency's full name` : `"${clip(ownerAgency)}" is not a member agency (give its name or jurisdiction code)`);
    }
    const finding = c('finding');
    let findingPosition: number | null = null;
    if (finding) {
      findingPosition = /^\d{1,2}$/.test(finding) ? (findingAt.get(Number(finding)) ?? -1) : -1;
      if (findingPosition === -1) add(`rec_${n}_finding`, `must be the number of a filled finding column (finding_1 … finding_${MAX_FINDINGS})`);
      findingPosition = findingPosition === -1 ? null : findingPosition;
    }
    const reason = tooLong(`rec_${n}_status_reason`, c('status_reason'), MAX_LENGTH.rec_status_reason);
    recommendations.push({
      text: tooLong(`rec_${n}_text`, c('text'), MAX_LENGTH.rec_text),
      owner: c('owner') as never,
      ownerAgencyId,
      targetDate: c('target_date') || null,
      findingPosition,
      status: (c('status') || 'proposed') as never,
      statusReason: reason || null,
      implementedOn: c('implemented_on') || null,
    });
  }

  const year = cell('incident_year');
  const month = cell('incident_month');
  const input: ReviewRecordInput = {
    incident: {
      incidentType: cell('incident_type') as never,
      incidentYear: /^\d{4}$/.test(year) ? Number(year) : NaN,
      incidentMonth: /^\d{1,2}$/.test(month) ? Number(month) : NaN,
      ageBand: cell('age_band') as never,
      priorInvolvement: cell('prior_involvement') as never,
      priorRecency: (cell('prior_recency') || null) as never,
      circumstances: cell('circumstances').split(';').map((s) => s.trim()).filter(Boolean) as never,
      summary: tooLong('incident_summary', cell('incident_summary'), MAX_LENGTH.incident_summary),
    },
    instrumentVersion,
    summary: tooLong('summary', cell('summary'), MAX_LENGTH.summary),
    ratings,
    findings,
    recommendations,
  };
  return { externalId, input, problems };
}

/** A field as checkReviewRecord and the guard name it ('findings[0].text') → the file's column ('finding_1'). */
export function columnOf(field: string): string {
  const incident: Record<string, string> = {
    'incident.incidentType': 'incident_type',
    'incident.incidentYear': 'incident_year',
    'incident.incidentMonth': 'incident_month',
    'incident.ageBand': 'age_band',
    'incident.priorInvolvement': 'prior_involvement',
    'incident.priorRecency': 'prior_recency',
    'incident.circumstances': 'circumstances',
    'incident.summary': 'incident_summary',
  };
  if (incident[field]) return incident[field];
  let m = /^findings\[(\d+)\]\.(text|domainId)$/.exec(field);
  if (m) return `finding_${Number(m[1]) + 1}${m[2] === 'domainId' ? '_domain' : ''}`;
  m = /^recommendations\[(\d+)\]\.(\w+)$/.exec(field);
  if (m) {
    const col: Record<string, string> = { text: 'text', owner: 'owner', ownerAgencyId: 'owner_agency', targetDate: 'target_date', findingPosition: 'finding', status: 'status', statusReason: 'status_reason', implementedOn: 'implemented_on' };
    return `rec_${Number(m[1]) + 1}_${col[m[2]] ?? m[2]}`;
  }
  return field;
}

/** The template: the header, and one example row a reader can copy (fictional, de-identified). */
export function templateCsv(): string {
  const version = currentInstrument().version;
  const items = [...itemsOf(version).keys()];
  const cols = [...REQUIRED_COLUMNS, ...TEXT_COLUMNS, ...items, 'finding_1', 'finding_1_domain', 'finding_2', 'finding_2_domain', ...REC_FIELDS.map((f) => `rec_1_${f}`), ...REC_FIELDS.map((f) => `rec_2_${f}`)];
  const example: Record<string, string> = {
    external_id: 'CIR-2023-014',
    incident_type: INCIDENT_TYPES[0],
    incident_year: '2023',
    incident_month: '4',
    age_band: AGE_BANDS[0],
    prior_involvement: PRIOR_INVOLVEMENT[2],
    prior_recency: PRIOR_RECENCY[1],
    circumstances: `${CIRCUMSTANCES[0]};${CIRCUMSTANCES[1]}`,
    instrument_version: version,
    incident_summary: 'Infant found unresponsive after bed-sharing; a prior assessment had closed the year before.',
    summary: 'The review looked at how safe-sleep risk was assessed and followed up across units.',
    finding_1: 'Safe-sleep screening was not part of the assessment tool used at closure.',
    finding_1_domain: 'tools-resources',
    finding_2: 'Case handoffs between intake and ongoing units did not carry the household history.',
    finding_2_domain: 'teamwork-communication',
    rec_1_text: 'Add a safe-sleep item to the closure assessment.',
    rec_1_owner: RECOMMENDATION_OWNERS[0],
    rec_1_target_date: '2023-12-31',
    rec_1_status: 'implemented',
    rec_1_implemented_on: '2023-11-15',
    rec_1_finding: '1',
    rec_2_text: 'Partnership-wide handoff checklist for intake and ongoing units.',
    rec_2_owner: RECOMMENDATION_OWNERS[2],
    rec_2_status: RECOMMENDATION_STATUSES[1],
    rec_2_finding: '2',
  };
  items.forEach((id, n) => (example[id] = String([0, 1, 2, 3, 1][n % 5])));
  const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return `${cols.join(',')}\r\n${cols.map((c) => quote(example[c] ?? '')).join(',')}\r\n`;
}
