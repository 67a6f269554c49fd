import type { EntityManager } from 'typeorm';
import { DeidFinding, scanForIdentifyingData } from '../deid/deid-scanner';
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
  return scanForIdentifyingData(freeTextOf(input), { knownPublic });
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

/**
 * Writes a checked record (call `checkReviewRecord` and the guard first) as a new incident and its
 * review at version 1, in the caller's transaction. `approved` is for historical reviews imported
 * (approved outside the product: `imported`, no approver); the API creates drafts. The caller
 * writes the audit event.
 */
export async function insertReviewRecord(
  m: EntityManager,
  agencyId: string,
  userId: string | null,
  input: ReviewRecordInput,
  opts: { status: 'draft' | 'approved'; imported?: boolean; externalId?: string | null; leadId?: string | null; year?: number },
): Promise<InsertedReview> {
  const i = input.incident;
  const year = opts.year ?? new Date().getUTCFullYear();
  const incidentReference = await nextReviewReference(m, agencyId, 'incident', i.incidentYear);
  const [incident] = await m.query(
    `INSERT INTO critical_incidents (agency_id, reference, incident_type, incident_year, incident_month, age_band, prior_involvement, prior_recency, circumstances, summary, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [agencyId, incidentReference, i.incidentType, i.incidentYear, i.incidentMonth, i.ageBand, i.priorInvolvement, i.priorInvolvement === 'none' ? null : i.priorRecency, i.circumstances, i.summary ?? '', userId],
  );
  const reference = await nextReviewReference(m, agencyId, 'review', year);
  const approved = opts.status === 'approved';
  const [review] = await m.query(
    `INSERT INTO incident_reviews (agency_id, incident_id, reference, external_id, status, version, approved_version, instrument_version, lead_id, summary, imported, created_by, approved_at)
     VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
    [agencyId, incident.id, reference, opts.externalId ?? null, opts.status, approved ? 1 : null, input.instrumentVersion ?? currentInstrument().version, opts.leadId ?? null, input.summary ?? '', !!opts.imported, userId, approved ? new Date() : null],
  );
  await writeVersionRows(m, review.id, 1, input);
  const recs = input.recommendations ?? [];
  if (recs.length) {
    const rows: { id: string; status: string; status_reason: string | null }[] = await m.query(
      `INSERT INTO review_recommendations (review_id, position, finding_position, text, owner, owner_agency_id, target_date, status, status_reason, implemented_on)
       SELECT $1, n, fp, t, o, oa, td, s, sr, io
         FROM unnest($2::int[], $3::int[], $4::text[], $5::text[], $6::uuid[], $7::date[], $8::text[], $9::text[], $10::date[]) AS u(n, fp, t, o, oa, td, s, sr, io)
       RETURNING id, status, status_reason`,
      [
        review.id,
        recs.map((_, n) => n + 1),
        recs.map((r) => r.findingPosition ?? null),
        recs.map((r) => r.text),
        recs.map((r) => r.owner),
        recs.map((r) => r.ownerAgencyId ?? null),
        recs.map((r) => r.targetDate ?? null),
        recs.map((r) => r.status ?? 'proposed'),
        recs.map((r) => r.statusReason ?? null),
        recs.map((r) => r.implementedOn ?? null),
      ],
    );
    await m.query(
      `INSERT INTO recommendation_status_history (recommendation_id, status, reason, changed_by)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[])`,
      [rows.map((r) => r.id), rows.map((r) => r.status), rows.map((r) => r.status_reason), rows.map(() => userId)],
    );
  }
  if (approved) {
    await m.query(`INSERT INTO review_versions (review_id, version, event, content, recorded_by) VALUES ($1, 1, $2, $3, $4)`, [
      review.id,
      opts.imported ? 'imported' : 'approved',
      JSON.stringify(input),
      userId,
    ]);
  }
  return { incidentId: incident.id, reviewId: review.id, incidentReference, reference };
}

/** The rows of one version of a review: its ratings and findings (set-based, one statement each). */
export async function writeVersionRows(m: EntityManager, reviewId: string, version: number, input: Pick<ReviewRecordInput, 'ratings' | 'findings'>): Promise<void> {
  const ratings = Object.entries(input.ratings ?? {});
  if (ratings.length) {
    await m.query(
      `INSERT INTO review_ratings (review_id, version, item_id, rating) SELECT $1, $2, i, r FROM unnest($3::text[], $4::int[]) AS u(i, r)`,
      [reviewId, version, ratings.map(([id]) => id), ratings.map(([, r]) => r)],
    );
  }
  const findings = input.findings ?? [];
  if (findings.length) {
    await m.query(
      `INSERT INTO review_findings (review_id, version, position, domain_id, text) SELECT $1, $2, n, d, t FROM unnest($3::int[], $4::text[], $5::text[]) AS u(n, d, t)`,
      [reviewId, version, findings.map((_, n) => n + 1), findings.map((f) => f.domainId ?? null), findings.map((f) => f.text)],
    );
  }
}
