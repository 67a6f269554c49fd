import type { EntityManager } from 'typeorm';
import { DeidFinding, NOT_A_NOTICE, scanForIdentifyingData } from '../deid/deid-scanner';
import {
  AGE_BANDS,
  AgeBand,
  Circumstance,
  CIRCUMSTANCES,
  INCIDENT_TYPES,
  IncidentType,
  PRIOR_INVOLVEMENT,
  PRIOR_RECENCY,
  PriorInvolvement,
  PriorRecency,
  RECOMMENDATION_OWNERS,
  RECOMMENDATION_STATUSES,
  RecommendationOwner,
  RecommendationStatus,
} from './code-lists';
import { currentInstrument, instrument, ratingProblems } from './instrument';

/**
 * One review record as it is written: the coded incident, the review's ratings against a pinned
 * instrument version, its systemic findings and its recommendations. The API, the bulk import and
 * the demo seed all write through `checkReviewRecord` and `insertReviewRecord`, so a review entered
 * by hand and one imported from CSV are held to the same rules.
 */
export interface IncidentInput {
  incidentType: IncidentType;
  incidentYear: number;
  incidentMonth: number;
  ageBand: AgeBand;
  priorInvolvement: PriorInvolvement;
  /** Required unless priorInvolvement is 'none' (then absent). */
  priorRecency?: PriorRecency | null;
  circumstances: Circumstance[];
  summary?: string;
}

export interface FindingInput {
  text: string;
  domainId?: string | null;
}

export interface RecommendationInput {
  text: string;
  owner: RecommendationOwner;
  /** The member agency that owns it, when owner is 'member'. */
  ownerAgencyId?: string | null;
  /** YYYY-MM-DD */
  targetDate?: string | null;
  /** 1-based position of the finding it answers. */
  findingPosition?: number | null;
  status?: RecommendationStatus;
  statusReason?: string | null;
  /** YYYY-MM-DD, required when status is 'implemented'. */
  implementedOn?: string | null;
}

export interface ReviewRecordInput {
  incident: IncidentInput;
  instrumentVersion?: string;
  summary?: string;
  ratings: Record<string, number>;
  findings: FindingInput[];
  recommendations: RecommendationInput[];
}

export interface RecordProblem {
  field: string;
  message: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (v: unknown) => typeof v === 'string' && DATE.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);
const oneOf = (list: readonly string[], v: unknown) => typeof v === 'string' && list.includes(v);

/** The coded-field and instrument rules, in plain words per field. Empty when the record is fine. */
export function checkReviewRecord(input: ReviewRecordInput, opts: { complete?: boolean; now?: Date } = {}): RecordProblem[] {
  const out: RecordProblem[] = [];
  const add = (field: string, message: string) => out.push({ field, message });
  const i = input.incident ?? ({} as IncidentInput);
  const now = opts.now ?? new Date();
  if (!oneOf(INCIDENT_TYPES, i.incidentType)) add('incident.incidentType', `must be one of ${INCIDENT_TYPES.join(', ')}`);
  if (!Number.isInteger(i.incidentYear) || i.incidentYear < 1990 || i.incidentYear > now.getUTCFullYear()) add('incident.incidentYear', `must be a year from 1990 to ${now.getUTCFullYear()}`);
  if (!Number.isInteger(i.incidentMonth) || i.incidentMonth < 1 || i.incidentMonth > 12) add('incident.incidentMonth', 'must be a month number from 1 to 12');
  else if (i.incidentYear === now.getUTCFullYear() && i.incidentMonth > now.getUTCMonth() + 1) add('incident.incidentMonth', 'is in the future');
  if (!oneOf(AGE_BANDS, i.ageBand)) add('incident.ageBand', `must be one of ${AGE_BANDS.join(', ')}`);
  if (!oneOf(PRIOR_INVOLVEMENT, i.priorInvolvement)) add('incident.priorInvolvement', `must be one of ${PRIOR_INVOLVEMENT.join(', ')}`);
  else if (i.priorInvolvement === 'none' && i.priorRecency) add('incident.priorRecency', "must be empty when prior involvement is 'none'");
  else if (i.priorInvolvement !== 'none' && !oneOf(PRIOR_RECENCY, i.priorRecency)) add('incident.priorRecency', `must be one of ${PRIOR_RECENCY.join(', ')}`);
  if (!Array.isArray(i.circumstances) || i.circumstances.length === 0 || !i.circumstances.every((c) => oneOf(CIRCUMSTANCES, c))) add('incident.circumstances', `one or more of ${CIRCUMSTANCES.join(', ')}`);
  else if (new Set(i.circumstances).size !== i.circumstances.length) add('incident.circumstances', 'lists a code twice');

  const version = input.instrumentVersion ?? currentInstrument().version;
  for (const message of ratingProblems(version, input.ratings ?? {}, opts.complete)) add('ratings', message);
  const domains = new Set(instrument(version)?.domains.map((d) => d.id) ?? []);
  (input.findings ?? []).forEach((f, n) => {
    if (typeof f.text !== 'string' || !f.text.trim()) add(`findings[${n}].text`, 'is empty');
    if (f.domainId != null && !domains.has(f.domainId)) add(`findings[${n}].domainId`, `is not a domain of instrument version ${version}`);
  });
  (input.recommendations ?? []).forEach((r, n) => {
    const at = `recommendations[${n}]`;
    if (typeof r.text !== 'string' || !r.text.trim()) add(`${at}.text`, 'is empty');
    if (!oneOf(RECOMMENDATION_OWNERS, r.owner)) add(`${at}.owner`, `must be one of ${RECOMMENDATION_OWNERS.join(', ')}`);
    else if ((r.owner === 'member') !== !!r.ownerAgencyId) add(`${at}.ownerAgencyId`, "names the owning member exactly when the owner is 'member'");
    if (r.targetDate != null && !isDate(r.targetDate)) add(`${at}.targetDate`, 'must be a date YYYY-MM-DD');
    if (r.findingPosition != null && !(Number.isInteger(r.findingPosition) && r.findingPosition >= 1 && r.findingPosition <= (input.findings ?? []).length)) add(`${at}.findingPosition`, 'must name one of the findings (1-based)');
    const status = r.status ?? 'proposed';
    if (!oneOf(RECOMMENDATION_STATUSES, status)) add(`${at}.status`, `must be one of ${RECOMMENDATION_STATUSES.join(', ')}`);
    if (status === 'not_adopted' && !r.statusReason?.trim()) add(`${at}.statusReason`, 'a recommendation not adopted needs the reason');
    if ((status === 'implemented') !== (r.implementedOn != null)) add(`${at}.implementedOn`, 'is given exactly when the status is implemented');
    else if (r.implementedOn != null && !isDate(r.implementedOn)) add(`${at}.implementedOn`, 'must be a date YYYY-MM-DD');
  });
  return out;
}

/** Every free-text field of a record, named as the problems name them, for the de-identification guard. */
export function freeTextOf(input: ReviewRecordInput): Record<string, string> {
  const fields: Record<string, string> = {};
  if (input.incident?.summary) fields['incident.summary'] = input.incident.summary;
  if (input.summary) fields.summary = input.summary;
  (input.findings ?? []).forEach((f, n) => (fields[`findings[${n}].text`] = f.text));
  (input.recommendations ?? []).forEach((r, n) => {
    fields[`recommendations[${n}].text`] = r.text;
    if (r.statusReason) fields[`recommendations[${n}].statusReason`] = r.statusReason;
  });
  return fields;
}

/** The de-identification guard over every free-text field: a record with findings is not saved. */
export function deidFindingsOf(input: ReviewRecordInput, knownPublic: string[] = []): DeidFinding[] {
  return scanForIdentifyingData(freeTextOf(input), { knownPublic, ...NOT_A_NOTICE });
}

/** The next gap-free number of that kind for the agency and year ('CI-2026-0003', 'R-2026-0007'). */
export async function nextReviewReference(m: EntityManager, agencyId: string, kind: 'incident' | 'review', year: number): Promise<string> {
  const [row] = await m.query(
    `INSERT INTO review_reference_counters (agency_id, kind, year, last_number) VALUES ($1, $2, $3, 1)
     ON CONFLICT (agency_id, kind, year) DO UPDATE SET last_number = review_reference_counters.last_number + 1
     RETURNING last_number`,
    [agencyId, kind, year],
  );
  return `${kind === 'incident' ? 'CI' : 'R'}-${year}-${String(row.last_number).padStart(4, '0')}`;
}

export interface InsertedReview {
  incidentId: string;
  reviewId: string;
  incidentReference: string;
  reference: string;
}

export interface InsertOptions {
  status: 'draft' | 'approved';
  imported?: boolean;
  externalId?: string | null;
  leadId?: string | null;
  /** The year of the review's reference (default: this year). */
  year?: number;
}

/**
 * Writes a checked record (call `checkReviewRecord` and the guard first) as a new incident and its
 * review at version 1, in the caller's transaction. `approved` is for historical reviews imported
 * (approved outside the product: `imported`, no approver); the API creates drafts. The caller
 * writes the audit event.
 */
export async function insertReviewRecord(m: EntityManager, agencyId: string, userId: string | null, input: ReviewRecordInput, opts: InsertOptions): Promise<InsertedReview> {
  const [one] = await insertReviewRecords(m, agencyId, userId, [{ input, opts }]);
  return one;
}

/** `count` consecutive gap-free references of that kind for the agency and year, in order. */
async function reserveReferences(m: EntityManager, agencyId: string, kind: 'incident' | 'review', year: number, count: number): Promise<string[]> {
  const [row] = await m.query(
    `INSERT INTO review_reference_counters (agency_id, kind, year, last_number) VALUES ($1, $2, $3, $4)
     ON CONFLICT (agency_id, kind, year) DO UPDATE SET last_number = review_reference_counters.last_number + EXCLUDED.last_number
     RETURNING last_number`,
    [agencyId, kind, year, count],
  );
  const first = row.last_number - count + 1;
  return Array.from({ length: count }, (_, n) => `${kind === 'incident' ? 'CI' : 'R'}-${year}-${String(first + n).padStart(4, '0')}`);
}

/** One reference per record, numbered per year in the records' order. */
async function referencesFor(m: EntityManager, agencyId: string, kind: 'incident' | 'review', years: number[]): Promise<string[]> {
  const out: string[] = new Array(years.length);
  for (const year of [...new Set(years)].sort()) {
    const at = years.flatMap((y, n) => (y === year ? [n] : []));
    const refs = await reserveReferences(m, agencyId, kind, year, at.length);
    at.forEach((n, k) => (out[n] = refs[k]));
  }
  return out;
}

/**
 * The one write path of new review records, for one record or many (the bulk import): the same
 * rows either way, one statement per table for the whole batch, so 2,000 records cost a dozen
 * round trips rather than twenty thousand. Returns the records' ids and references in order.
 */
export async function insertReviewRecords(
  m: EntityManager,
  agencyId: string,
  userId: string | null,
  records: { input: ReviewRecordInput; opts: InsertOptions }[],
): Promise<InsertedReview[]> {
  if (!records.length) return [];
  const thisYear = new Date().getUTCFullYear();
  const incidentRefs = await referencesFor(m, agencyId, 'incident', records.map((r) => r.input.incident.incidentYear));
  const reviewRefs = await referencesFor(m, agencyId, 'review', records.map((r) => r.opts.year ?? thisYear));
  const incidents: { id: string; reference: string }[] = await m.query(
    `INSERT INTO critical_incidents (agency_id, reference, incident_type, incident_year, incident_month, age_band, prior_involvement, prior_recency, circumstances, summary, created_by)
     SELECT $1, x.reference, x.type, x.year, x.month, x.age, x.prior, x.recency, ARRAY(SELECT jsonb_array_elements_text(x.circumstances)), x.summary, $2
       FROM jsonb_to_recordset($3::jsonb) AS x(n int, reference text, type text, year int, month int, age text, prior text, recency text, circumstances jsonb, summary text)
      ORDER BY x.n
     RETURNING id, reference`,
    [
      agencyId,
      userId,
      JSON.stringify(
        records.map(({ input: { incident: i } }, n) => ({
          n,
          reference: incidentRefs[n],
          type: i.incidentType,
          year: i.incidentYear,
          month: i.incidentMonth,
          age: i.ageBand,
          prior: i.priorInvolvement,
          recency: i.priorInvolvement === 'none' ? null : (i.priorRecency ?? null),
          circumstances: i.circumstances,
          summary: i.summary ?? '',
        })),
      ),
    ],
  );
  const incidentId = new Map(incidents.map((r) => [r.reference, r.id]));
  const reviews: { id: string; reference: string }[] = await m.query(
    `INSERT INTO incident_reviews (agency_id, incident_id, reference, external_id, status, version, approved_version, instrument_version, lead_id, summary, imported, created_by, approved_at)
     SELECT $1, x.incident, x.reference, x.external, x.status, 1, CASE WHEN x.status = 'approved' THEN 1 END, x.instrument, x.lead, x.summary, x.imported, $2,
            CASE WHEN x.status = 'approved' THEN now() END
       FROM jsonb_to_recordset($3::jsonb) AS x(n int, incident uuid, reference text, external text, status text, instrument text, lead uuid, summary text, imported boolean)
      ORDER BY x.n
     RETURNING id, reference`,
    [
      agencyId,
      userId,
      JSON.stringify(
        records.map(({ input, opts }, n) => ({
          n,
          incident: incidentId.get(incidentRefs[n]),
          reference: reviewRefs[n],
          external: opts.externalId ?? null,
          status: opts.status,
          instrument: input.instrumentVersion ?? currentInstrument().version,
          lead: opts.leadId ?? null,
          summary: input.summary ?? '',
          imported: !!opts.imported,
        })),
      ),
    ],
  );
  const reviewId = new Map(reviews.map((r) => [r.reference, r.id]));
  const written = records.map((r, n) => ({ ...r, reviewId: reviewId.get(reviewRefs[n])! }));
  await writeVersionRowsMany(m, written.map((w) => ({ reviewId: w.reviewId, version: 1, input: w.input })));
  const recs = written.flatMap((w) => (w.input.recommendations ?? []).map((r, n) => ({ reviewId: w.reviewId, position: n + 1, r })));
  if (recs.length) {
    // The recommendations and the first entry of each one's status history, in one statement.
    await m.query(
      `WITH inserted AS (
         INSERT INTO review_recommendations (review_id, position, finding_position, text, owner, owner_agency_id, target_date, status, status_reason, implemented_on)
         SELECT r, n, fp, t, o, oa, td, s, sr, io
           FROM unnest($1::uuid[], $2::int[], $3::int[], $4::text[], $5::text[], $6::uuid[], $7::date[], $8::text[], $9::text[], $10::date[]) AS u(r, n, fp, t, o, oa, td, s, sr, io)
         RETURNING id, status, status_reason)
       INSERT INTO recommendation_status_history (recommendation_id, status, reason, changed_by) SELECT id, status, status_reason, $11 FROM inserted`,
      [
        recs.map((x) => x.reviewId),
        recs.map((x) => x.position),
        recs.map((x) => x.r.findingPosition ?? null),
        recs.map((x) => x.r.text),
        recs.map((x) => x.r.owner),
        recs.map((x) => x.r.ownerAgencyId ?? null),
        recs.map((x) => x.r.targetDate ?? null),
        recs.map((x) => x.r.status ?? 'proposed'),
        recs.map((x) => x.r.statusReason ?? null),
        recs.map((x) => x.r.implementedOn ?? null),
        userId,
      ],
    );
  }
  const approved = written.filter((w) => w.opts.status === 'approved');
  if (approved.length) {
    await m.query(
      `INSERT INTO review_versions (review_id, version, event, content, recorded_by) SELECT r, 1, e, c, $4 FROM unnest($1::uuid[], $2::text[], $3::jsonb[]) AS u(r, e, c)`,
      [approved.map((w) => w.reviewId), approved.map((w) => (w.opts.imported ? 'imported' : 'approved')), approved.map((w) => JSON.stringify(w.input)), userId],
    );
  }
  return written.map((w, n) => ({ incidentId: incidentId.get(incidentRefs[n])!, reviewId: w.reviewId, incidentReference: incidentRefs[n], reference: reviewRefs[n] }));
}

/** The rows of one version of a review: its ratings and findings (set-based, one statement each). */
export async function writeVersionRows(m: EntityManager, reviewId: string, version: number, input: Pick<ReviewRecordInput, 'ratings' | 'findings'>): Promise<void> {
  await writeVersionRowsMany(m, [{ reviewId, version, input }]);
}

/** The ratings and findings of versions of many reviews, one statement per table. */
export async function writeVersionRowsMany(m: EntityManager, rows: { reviewId: string; version: number; input: Pick<ReviewRecordInput, 'ratings' | 'findings'> }[]): Promise<void> {
  const ratings = rows.flatMap((w) => Object.entries(w.input.ratings ?? {}).map(([id, r]) => ({ w, id, r })));
  if (ratings.length) {
    await m.query(
      `INSERT INTO review_ratings (review_id, version, item_id, rating) SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::int[])`,
      [ratings.map((x) => x.w.reviewId), ratings.map((x) => x.w.version), ratings.map((x) => x.id), ratings.map((x) => x.r)],
    );
  }
  const findings = rows.flatMap((w) => (w.input.findings ?? []).map((f, n) => ({ w, f, n })));
  if (findings.length) {
    await m.query(
      `INSERT INTO review_findings (review_id, version, position, domain_id, text) SELECT * FROM unnest($1::uuid[], $2::int[], $3::int[], $4::text[], $5::text[])`,
      [findings.map((x) => x.w.reviewId), findings.map((x) => x.w.version), findings.map((x) => x.n + 1), findings.map((x) => x.f.domainId ?? null), findings.map((x) => x.f.text)],
    );
  }
}
