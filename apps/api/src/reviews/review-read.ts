import { NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { currentInstrument, itemsOf, ReviewRecordInput, reviewDigest } from '@sne/core';
import type { Amendment } from './review-amendment';

/** The columns of a review as the API names them. */
export const REVIEW_COLUMNS = `r.id, r.agency_id AS "agencyId", r.incident_id AS "incidentId", r.reference, r.external_id AS "externalId", r.status, r.version,
  r.approved_version AS "approvedVersion", r.instrument_version AS "instrumentVersion", r.lead_id AS "leadId", r.summary,
  r.shared_summary AS "sharedSummary", r.shared_at AS "sharedAt", r.submitted_by AS "submittedBy", r.submitted_at AS "submittedAt",
  r.approved_by AS "approvedBy", r.approved_at AS "approvedAt", r.returned_reason AS "returnedReason", r.imported,
  r.created_by AS "createdBy", r.created_at AS "createdAt", r.updated_at AS "updatedAt", r.amendment`;

export const INCIDENT_COLUMNS = `i.id, i.reference, i.incident_type AS "incidentType", i.incident_year AS "incidentYear", i.incident_month AS "incidentMonth",
  i.age_band AS "ageBand", i.prior_involvement AS "priorInvolvement", i.prior_recency AS "priorRecency", i.circumstances, i.summary`;

export interface ReviewRow {
  id: string;
  agencyId: string;
  incidentId: string;
  reference: string;
  externalId: string | null;
  status: 'draft' | 'submitted' | 'approved' | 'shared';
  version: number;
  approvedVersion: number | null;
  instrumentVersion: string;
  leadId: string | null;
  summary: string;
  sharedSummary: string | null;
  sharedAt: Date | null;
  submittedBy: string | null;
  submittedAt: Date | null;
  approvedBy: string | null;
  approvedAt: Date | null;
  returnedReason: string | null;
  imported: boolean;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** An amendment's incident and recommendations, until it is approved (review-amendment.ts). */
  amendment: Amendment | null;
}

interface IncidentRow {
  id: string;
  reference: string;
  incidentType: string;
  incidentYear: number;
  incidentMonth: number;
  ageBand: string;
  priorInvolvement: string;
  priorRecency: string | null;
  circumstances: string[];
  summary: string;
}

const iso = (d: Date | string | null) => (d == null ? null : new Date(d).toISOString());
const day = (d: Date | string | null) => (d == null ? null : typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10));

/** A review of the caller's agency (locked for a change when `lock`); another agency's answers 404 like one that does not exist. */
export async function ownReview(m: EntityManager, agencyId: string, id: string, lock = false): Promise<ReviewRow> {
  const [row] = await m.query(`SELECT ${REVIEW_COLUMNS} FROM incident_reviews r WHERE r.id = $1 AND r.agency_id = $2 ${lock ? 'FOR UPDATE' : ''}`, [id, agencyId]);
  if (!row) throw new NotFoundException('review not found');
  return row;
}

export function reviewSummary(r: ReviewRow) {
  return {
    id: r.id,
    reference: r.reference,
    status: r.status,
    version: r.version,
    approvedVersion: r.approvedVersion,
    instrumentVersion: r.instrumentVersion,
    leadId: r.leadId,
    imported: r.imported,
    submittedBy: r.submittedBy,
    submittedAt: iso(r.submittedAt),
    approvedBy: r.approvedBy,
    approvedAt: iso(r.approvedAt),
    sharedAt: iso(r.sharedAt),
    returnedReason: r.returnedReason,
    createdBy: r.createdBy,
    createdAt: iso(r.createdAt)!,
    updatedAt: iso(r.updatedAt)!,
  };
}

/** What an audit event records of a review (never its free text: the events are read more widely). */
export const auditView = (r: Pick<ReviewRow, 'reference' | 'status' | 'version' | 'approvedVersion'>) => ({
  reference: r.reference,
  status: r.status,
  version: r.version,
  approvedVersion: r.approvedVersion,
});

/** The record of one version of a review, in the shape it is written in (the snapshot kept at submit and approval). */
export async function recordOf(m: EntityManager, r: ReviewRow, version = r.version): Promise<ReviewRecordInput> {
  const incident = await incidentOf(m, r);
  const ratings: { item_id: string; rating: number }[] = await m.query(`SELECT item_id, rating FROM review_ratings WHERE review_id = $1 AND version = $2 ORDER BY item_id`, [r.id, version]);
  const findings: { domain_id: string | null; text: string }[] = await m.query(`SELECT domain_id, text FROM review_findings WHERE review_id = $1 AND version = $2 ORDER BY position`, [r.id, version]);
  const recs = await draftRecommendations(m, r);
  const { id: _id, reference: _ref, ...coded } = incident;
  return {
    incident: { ...coded, priorRecency: coded.priorRecency ?? null } as ReviewRecordInput['incident'],
    instrumentVersion: r.instrumentVersion,
    summary: r.summary,
    ratings: Object.fromEntries(ratings.map((x) => [x.item_id, x.rating])),
    findings: findings.map((f) => ({ text: f.text, domainId: f.domain_id })),
    recommendations: recs.map((x) => ({
      text: x.text,
      owner: x.owner,
      ownerAgencyId: x.ownerAgencyId,
      targetDate: x.targetDate,
      findingPosition: x.findingPosition,
      status: x.status,
      statusReason: x.statusReason,
      implementedOn: x.implementedOn,
    })),
  };
}

/** The digest an approver sends back to approve exactly this record (the current version and its lead). */
export async function contentHashOf(m: EntityManager, r: ReviewRow): Promise<string> {
  return reviewDigest({ ...(await recordOf(m, r)), leadId: r.leadId });
}

/** The incident as the current version reads it: an amendment's held one, or the review's own row. */
async function incidentOf(m: EntityManager, r: ReviewRow): Promise<IncidentRow> {
  const [incident]: IncidentRow[] = await m.query(`SELECT ${INCIDENT_COLUMNS} FROM critical_incidents i WHERE i.id = $1`, [r.incidentId]);
  return r.amendment?.incident ? { ...incident, ...r.amendment.incident, id: incident.id, reference: incident.reference } : incident;
}

/**
 * The recommendations as the current version reads them: an amendment's held ones, each at a
 * position that has a row keeping that row's id, status and history (approval keeps them too).
 * A status belongs to the approved row until then, so where the amendment rewrites that row's
 * text, `approvedText` says which text the status is of.
 */
async function draftRecommendations(m: EntityManager, r: ReviewRow) {
  const live = await recommendationsOf(m, r.id);
  const held = r.amendment?.recommendations;
  if (!held) return live.map((x) => ({ ...x, approvedText: null as string | null }));
  return held.map((h, n) => {
    const row = live[n];
    return {
      id: row?.id ?? null,
      approvedText: row && row.text !== h.text ? row.text : null,
      position: n + 1,
      findingPosition: h.findingPosition ?? null,
      text: h.text,
      owner: h.owner,
      ownerAgencyId: h.ownerAgencyId ?? null,
      targetDate: h.targetDate ?? null,
      status: row ? row.status : (h.status ?? 'proposed'),
      statusReason: row ? row.statusReason : (h.statusReason ?? null),
      statusChangedAt: row?.statusChangedAt ?? null,
      implementedOn: row ? row.implementedOn : (h.implementedOn ?? null),
    };
  });
}

export async function recommendationsOf(m: EntityManager, reviewId: string) {
  const rows: any[] = await m.query(
    `SELECT id, position, finding_position, text, owner, owner_agency_id, target_date::text AS target_date, status, status_reason, status_changed_at, implemented_on::text AS implemented_on
       FROM review_recommendations WHERE review_id = $1 ORDER BY position`,
    [reviewId],
  );
  return rows.map((x) => ({
    id: x.id as string,
    position: x.position as number,
    findingPosition: x.finding_position as number | null,
    text: x.text as string,
    owner: x.owner,
    ownerAgencyId: x.owner_agency_id as string | null,
    targetDate: day(x.target_date),
    status: x.status,
    statusReason: x.status_reason as string | null,
    statusChangedAt: iso(x.status_changed_at)!,
    implementedOn: day(x.implemented_on),
  }));
}

/** Everything the review's agency sees of it: the incident, the rated items with their texts, findings, recommendations with their history, its versions. */
export async function fullReview(m: EntityManager, r: ReviewRow) {
  const incident = await incidentOf(m, r);
  const items = itemsOf(r.instrumentVersion);
  const rated: { item_id: string; rating: number }[] = await m.query(`SELECT item_id, rating FROM review_ratings WHERE review_id = $1 AND version = $2`, [r.id, r.version]);
  const byItem = new Map(rated.map((x) => [x.item_id, x.rating]));
  const ratings = [...items.entries()].map(([itemId, { item, domain }]) => ({ itemId, domainId: domain.id, domainTitle: domain.title, text: item.text, rating: byItem.get(itemId) ?? null }));
  const findings: any[] = await m.query(`SELECT position, domain_id AS "domainId", text FROM review_findings WHERE review_id = $1 AND version = $2 ORDER BY position`, [r.id, r.version]);
  const recs = await draftRecommendations(m, r);
  const history: any[] = recs.length
    ? await m.query(
        `SELECT recommendation_id, status, reason, changed_by, changed_at FROM recommendation_status_history WHERE recommendation_id = ANY($1::uuid[]) ORDER BY changed_at, id`,
        [recs.map((x) => x.id)],
      )
    : [];
  const versions: any[] = await m.query(`SELECT version, event, recorded_by, recorded_at FROM review_versions WHERE review_id = $1 ORDER BY version, recorded_at`, [r.id]);
  return {
    ...reviewSummary(r),
    summary: r.summary,
    sharedSummary: r.sharedSummary,
    instrumentCurrent: r.instrumentVersion === currentInstrument().version,
    contentHash: r.status === 'submitted' ? await contentHashOf(m, r) : null,
    incident: { ...incident, priorRecency: incident.priorRecency ?? null },
    ratings,
    findings,
    recommendations: recs.map((x) => ({
      ...x,
      history: history
        .filter((h) => h.recommendation_id === x.id)
        .map((h) => ({ status: h.status, reason: h.reason, changedBy: h.changed_by, changedAt: iso(h.changed_at)! })),
    })),
    versions: versions.map((v) => ({ version: v.version, event: v.event, recordedBy: v.recorded_by, recordedAt: iso(v.recorded_at)! })),
  };
}

export type FullReview = Awaited<ReturnType<typeof fullReview>>;
