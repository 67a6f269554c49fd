import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { containsPattern, ListQuery } from '../common/paging';

/**
 * What another member sees of a review: only what its agency chose to share, as a de-identified
 * summary, with the coded context that cannot single anyone out (agency, jurisdiction type,
 * incident type and year, how many findings). Never the record itself.
 */
const SELECT = `r.id, r.reference, a.id AS "agencyId", a.name AS "agencyName", a.jurisdiction_type AS "jurisdictionType", i.incident_type AS "incidentType",
  i.incident_year AS "incidentYear", r.shared_summary AS "sharedSummary", r.shared_at AS "sharedAt",
  (SELECT count(*)::int FROM review_findings f WHERE f.review_id = r.id AND f.version = r.approved_version) AS "findingsCount"`;
const FROM = `FROM incident_reviews r JOIN agencies a ON a.id = r.agency_id JOIN critical_incidents i ON i.id = r.incident_id`;
const SHARED = `r.shared_at IS NOT NULL AND r.shared_summary IS NOT NULL AND r.approved_version IS NOT NULL`;

export interface SharedReview {
  id: string;
  reference: string;
  agencyId: string;
  agencyName: string;
  jurisdictionType: string;
  incidentType: string;
  incidentYear: number;
  sharedSummary: string;
  sharedAt: string;
  findingsCount: number;
}

const shape = (r: SharedReview & { sharedAt: Date | string }): SharedReview => ({ ...r, sharedAt: new Date(r.sharedAt).toISOString() });

@Injectable()
export class SharedReviewsService {
  constructor(private readonly db: DataSource) {}

  async list(q: ListQuery): Promise<{ items: SharedReview[]; total: number }> {
    const params: unknown[] = [];
    const where = [SHARED];
    if (q.q?.trim()) where.push(`(r.reference ILIKE $${params.push(containsPattern(q.q.trim()))} OR a.name ILIKE $${params.length})`);
    const rows = await this.db.query(
      `SELECT ${SELECT}, count(*) OVER () AS __total ${FROM} WHERE ${where.join(' AND ')}
        ORDER BY r.shared_at DESC, r.id ${q.limit ? `LIMIT ${Number(q.limit)}` : ''} OFFSET ${Number(q.offset ?? 0)}`,
      params,
    );
    let total = rows.length ? Number(rows[0].__total) : 0;
    if (!rows.length && q.offset) total = (await this.db.query(`SELECT count(*)::int AS n ${FROM} WHERE ${where.join(' AND ')}`, params))[0].n;
    return { total, items: rows.map(({ __total, ...r }: SharedReview & { __total: string }) => shape(r)) };
  }

  async get(id: string): Promise<SharedReview> {
    const [row] = await this.db.query(`SELECT ${SELECT} ${FROM} WHERE r.id = $1 AND ${SHARED}`, [id]);
    if (!row) throw new NotFoundException('shared review not found');
    return shape(row);
  }
}
