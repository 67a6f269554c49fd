import type { EntityManager } from 'typeorm';
import { baselineDomain, CONTRIBUTED, PublishedGroup } from '@sne/core';
import { loadWaveResults, WaveRow } from '../survey-results/survey-results.service';

/**
 * What the culture comparison is built from, read straight from the tables:
 * - agencies whose data-sharing agreement in force (the latest row per agency, signed on or before
 *   today; an empty `covers` is a withdrawal) covers 'culture' (and 'incidents' for the incident
 *   side); offboarded agencies are out;
 * - each agency's latest CLOSED survey wave, scored with team suppression (an agency with fewer
 *   than SURVEY_MIN_RESPONSES responses shows nothing);
 * - approved reviews only (incident_reviews.approved_version and that version's ratings); items of
 *   any instrument version are mapped to their baseline domain, so versions 1 and 2 combine;
 * - notice follow-through over the records of notices published in the last 12 months.
 */
export const AGENCIES_SHARING = (kind: 'culture' | 'incidents') => `
  SELECT agency_id FROM (
    SELECT DISTINCT ON (agency_id) agency_id, covers, signed_on
      FROM data_sharing_agreements
     ORDER BY agency_id, recorded_at DESC, id DESC
  ) latest
  WHERE '${kind}' = ANY(covers) AND signed_on <= current_date`;

export interface CultureAgency {
  id: string;
  name: string;
  jurisdictionType: string;
  sharesIncidents: boolean;
  wave: { id: string; title: string; closesOn: string } | null;
  /** The agency's published figures of that wave (null: no closed wave). */
  scores: PublishedGroup | null;
}

/** Agencies sharing culture data (or one agency, whatever it shares), with their latest closed wave's agency-level results. */
export async function cultureAgencies(m: EntityManager, k: number, only?: string): Promise<CultureAgency[]> {
  const rows: Array<{ id: string; name: string; jurisdiction_type: string; incidents: boolean }> = await m.query(
    `SELECT g.id, g.name, g.jurisdiction_type, g.id IN (${AGENCIES_SHARING('incidents')}) AS incidents
       FROM agencies g
      WHERE g.offboarded_at IS NULL AND ${only ? 'g.id = $1' : `g.id IN (${AGENCIES_SHARING('culture')})`}
      ORDER BY g.name, g.id`,
    only ? [only] : [],
  );
  const out: CultureAgency[] = [];
  for (const r of rows) {
    const [wave]: WaveRow[] = await m.query(
      `SELECT id, agency_id, title, instrument_version, opens_on::text AS opens_on, closes_on::text AS closes_on, status
         FROM survey_waves WHERE agency_id = $1 AND status = 'closed' ORDER BY closes_on DESC, created_at DESC LIMIT 1`,
      [r.id],
    );
    const scores = wave ? (await loadWaveResults(m, wave, k)).results.agency : null;
    out.push({
      id: r.id,
      name: r.name,
      jurisdictionType: r.jurisdiction_type,
      sharesIncidents: r.incidents,
      wave: wave ? { id: wave.id, title: wave.title, closesOn: wave.closes_on } : null,
      scores,
    });
  }
  return out;
}

/**
 * Reviews count when their incident happened in the last 12 months (this month and the eleven
 * before, by the incident's month), the same period for every agency and as the notice
 * follow-through: an agency with years of imported history is then compared on the same basis
 * as one that started last year.
 */
const IN_THE_LAST_12_MONTHS = `i.incident_year * 12 + i.incident_month - 1 >= extract(year FROM now())::int * 12 + extract(month FROM now())::int - 1 - 11`;

/** Per agency: approved reviews of the last 12 months' incidents, and per baseline review domain the reviews rating any of its items ≥ 2. */
export async function reviewCounts(m: EntityManager, agencyIds: string[]): Promise<Map<string, { approved: number; byDomain: Map<string, number> }>> {
  const out = new Map(agencyIds.map((id) => [id, { approved: 0, byDomain: new Map<string, number>() }]));
  if (!agencyIds.length) return out;
  const approved: Array<{ agency_id: string; n: number }> = await m.query(
    `SELECT r.agency_id, count(*)::int AS n FROM incident_reviews r JOIN critical_incidents i ON i.id = r.incident_id
      WHERE r.approved_version IS NOT NULL AND r.agency_id = ANY($1) AND ${IN_THE_LAST_12_MONTHS} GROUP BY r.agency_id`,
    [agencyIds],
  );
  for (const a of approved) out.get(a.agency_id)!.approved = a.n;
  const ratings: Array<{ agency_id: string; review_id: string; instrument_version: string; item_id: string }> = await m.query(
    `SELECT r.agency_id, r.id AS review_id, r.instrument_version, rr.item_id
       FROM incident_reviews r JOIN critical_incidents i ON i.id = r.incident_id
       JOIN review_ratings rr ON rr.review_id = r.id AND rr.version = r.approved_version
      WHERE r.approved_version IS NOT NULL AND r.agency_id = ANY($1) AND ${IN_THE_LAST_12_MONTHS} AND rr.rating >= $2`,
    [agencyIds, CONTRIBUTED],
  );
  const seen = new Set<string>();
  for (const r of ratings) {
    const domain = baselineDomain(r.instrument_version, r.item_id);
    if (!domain || seen.has(`${r.review_id}/${domain}`)) continue;
    seen.add(`${r.review_id}/${domain}`);
    const by = out.get(r.agency_id)!.byDomain;
    by.set(domain, (by.get(domain) ?? 0) + 1);
  }
  return out;
}

export interface FollowThrough {
  records: number;
  medianHoursToAcknowledge: number | null;
  actionsRequired: number;
  actionCompletionRate: number | null;
  overdue: number;
  overdueRate: number | null;
}

/**
 * Notice follow-through of each agency as a recipient, over notices published in the last 12
 * months: the median time from publication to acknowledgment (percentile_cont, as the reports);
 * the share of records with required actions (not superseded, cancelled or "not required") whose
 * actions were completed; and the share of records overdue now (pending past the due time, or
 * acknowledged with actions past their due time: the reports' compliance rule).
 */
export async function followThrough(m: EntityManager, agencyIds: string[]): Promise<Map<string, FollowThrough>> {
  const rows: any[] = agencyIds.length
    ? await m.query(
        `SELECT a.agency_id, count(*)::int AS records,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a.acknowledged_at - n.published_at)) AS median_ack_s,
                count(*) FILTER (WHERE a.actions_due_at IS NOT NULL AND a.status NOT IN ('superseded','cancelled','action_not_required'))::int AS actions_required,
                count(*) FILTER (WHERE a.actions_due_at IS NOT NULL AND a.status = 'action_completed')::int AS actions_completed,
                count(*) FILTER (WHERE (a.status = 'pending' AND a.due_at < now()) OR (a.status = 'acknowledged' AND a.actions_due_at < now()))::int AS overdue
           FROM acknowledgments a JOIN notices n ON n.id = a.notice_id
          WHERE a.agency_id = ANY($1) AND n.published_at >= now() - interval '12 months'
          GROUP BY a.agency_id`,
        [agencyIds],
      )
    : [];
  const out = new Map<string, FollowThrough>();
  for (const id of agencyIds) {
    const r = rows.find((x) => x.agency_id === id);
    out.set(id, {
      records: r?.records ?? 0,
      medianHoursToAcknowledge: r?.median_ack_s == null ? null : Math.round((Number(r.median_ack_s) / 3600) * 100) / 100,
      actionsRequired: r?.actions_required ?? 0,
      actionCompletionRate: r?.actions_required ? r.actions_completed / r.actions_required : null,
      overdue: r?.overdue ?? 0,
      overdueRate: r?.records ? r.overdue / r.records : null,
    });
  }
  return out;
}
