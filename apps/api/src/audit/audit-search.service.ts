import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { User } from '@sne/core';
import { AuditChainReport, verifyAuditChain } from '@sne/core/audit/audit-chain';
import { hasRole, Principal } from '../common/principal';
import { containsPattern, pageOf, PageRequest, Paged } from '../common/paging';
import { mayActOn } from '../users/user-reach';

/** What the audit log can be searched by (API and console alike). */
export interface AuditFilters {
  entityType?: string;
  entityId?: string;
  action?: string;
  /** An actor's id (exact), or part of a user's name or email address, or of a recipient's address. */
  actor?: string;
  /** ISO instants: events at or after `from`, and before `to`. */
  from?: string;
  to?: string;
  /** Events older than this id (the API's keyset paging). */
  before?: number;
}

export interface AuditRow {
  id: string;
  at: Date;
  actorType: string;
  actorId: string | null;
  agencyId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  /** The acting user's name, when the actor is a user. */
  actorName: string | null;
  agencyName: string | null;
  /** Where the object's own page is found: its owner, for keys; its notice, for acknowledgments and deliveries. */
  ownerId: string | null;
  noticeId: string | null;
}

const COLUMNS = `e.id, e.at, e.actor_type AS "actorType", e.actor_id AS "actorId", e.agency_id AS "agencyId", e.action,
  e.entity_type AS "entityType", e.entity_id AS "entityId", e.before, e.after`;

/**
 * The audit log as its readers may see it: every event for partnership admins; for an agency
 * admin, only events concerning their own agency (agency_id), and among those none about a user
 * holding a role they could not grant (nor that user's sessions and keys). Every filter is ANDed
 * with that scope, so no filter reaches another agency's events.
 */
@Injectable()
export class AuditSearchService {
  private chain?: { at: number; report: AuditChainReport };

  constructor(private readonly db: DataSource) {}

  /** The API's list: newest first, `limit` events older than `before`. */
  async list(p: Principal, f: AuditFilters, limit: number) {
    const { where, params } = await this.conditions(p, f);
    params.push(limit);
    return this.db.query(`SELECT ${COLUMNS} FROM audit_events e WHERE ${where.join(' AND ')} ORDER BY e.id DESC LIMIT $${params.length}`, params);
  }

  /** The console's table: numbered pages, newest first, with names for actors and agencies. */
  async page(p: Principal, f: AuditFilters, req: PageRequest): Promise<Paged<AuditRow>> {
    const { where, params } = await this.conditions(p, f);
    return pageOf<AuditRow>(
      this.db,
      {
        select: `${COLUMNS}, u.name AS "actorName", a.name AS "agencyName",
          CASE WHEN e.entity_type = 'api_key' THEN (SELECT k.user_id::text FROM api_keys k WHERE k.id::text = e.entity_id)
               WHEN e.entity_type = 'session' THEN e.actor_id END AS "ownerId",
          CASE WHEN e.entity_type = 'acknowledgment' THEN (SELECT k.notice_id::text FROM acknowledgments k WHERE k.id::text = e.entity_id)
               WHEN e.entity_type = 'delivery' THEN (SELECT d.notice_id::text FROM deliveries d WHERE d.id::text = e.entity_id) END AS "noticeId"`,
        from: `FROM audit_events e LEFT JOIN users u ON e.actor_type = 'user' AND u.id::text = e.actor_id LEFT JOIN agencies a ON a.id = e.agency_id`,
        where,
        params,
        search: ['e.action', 'e.entity_id'],
        order: 'e.id DESC',
      },
      req,
    );
  }

  /** The event types the caller's events have, for the filter's list. */
  async actions(p: Principal): Promise<string[]> {
    const own = hasRole(p, 'admin') ? null : p.agencyId;
    const rows: { action: string }[] = await this.db.query(`SELECT DISTINCT action FROM audit_events WHERE ($1::uuid IS NULL OR agency_id = $1) ORDER BY action`, [own]);
    return rows.map((r) => r.action);
  }

  /**
   * The hash chain's state (the same walk as GET /api/v1/audit/verify and `npm run audit:verify`),
   * kept for 30 seconds so that paging through the log does not walk the whole chain each time
   * (`fresh`: walk it now).
   */
  async chainStatus(fresh = false): Promise<{ at: Date; report: AuditChainReport }> {
    if (!fresh && this.chain && Date.now() - this.chain.at < 30_000) return { at: new Date(this.chain.at), report: this.chain.report };
    const report = await verifyAuditChain((sql, params) => this.db.query(sql, params));
    this.chain = { at: Date.now(), report };
    return { at: new Date(this.chain.at), report };
  }

  private async conditions(p: Principal, f: AuditFilters): Promise<{ where: string[]; params: unknown[] }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (!hasRole(p, 'admin')) {
      add((n) => `e.agency_id = ${n}`, p.agencyId);
      const hidden = await this.outOfReach(p);
      if (hidden.users.length) {
        params.push(hidden.users, hidden.keys);
        const [u, k] = [`$${params.length - 1}`, `$${params.length}`];
        where.push(`NOT ((e.entity_type = 'user' AND e.entity_id = ANY(${u})) OR (e.entity_type = 'session' AND e.actor_id = ANY(${u})) OR (e.entity_type = 'api_key' AND e.entity_id = ANY(${k})))`);
      }
    }
    if (f.entityType) add((n) => `e.entity_type = ${n}`, f.entityType);
    if (f.entityId) add((n) => `e.entity_id = ${n}`, f.entityId);
    if (f.action) add((n) => `e.action = ${n}`, f.action);
    if (f.actor) {
      params.push(f.actor, containsPattern(f.actor));
      const [exact, like] = [`$${params.length - 1}`, `$${params.length}`];
      // Names and addresses match only among the caller's own agency's people (all, for an admin):
      // a search that matched another agency's would tell its staff's addresses a letter at a time.
      const ownPeople = hasRole(p, 'admin') ? '' : (params.push(p.agencyId), ` AND x.agency_id = $${params.length}`);
      where.push(`(e.actor_id = ${exact} OR (e.actor_type <> 'user' AND e.actor_id ILIKE ${like})
                   OR (e.actor_type = 'user' AND e.actor_id IN (SELECT x.id::text FROM users x WHERE (x.name ILIKE ${like} OR x.email ILIKE ${like})${ownPeople})))`);
    }
    if (f.from) add((n) => `e.at >= ${n}::timestamptz`, f.from);
    if (f.to) add((n) => `e.at < ${n}::timestamptz`, f.to);
    if (f.before) add((n) => `e.id < ${n}`, f.before);
    if (!where.length) where.push('TRUE');
    return { where, params };
  }

  /** The agency's users the caller could not act on (the grant rule), and their keys: what their events would reveal. */
  private async outOfReach(p: Principal): Promise<{ users: string[]; keys: string[] }> {
    const users: User[] = await this.db.getRepository(User).find({ where: { agencyId: p.agencyId } });
    const ids = users.filter((u) => !mayActOn(p, u)).map((u) => u.id);
    const keys: { id: string }[] = ids.length ? await this.db.query(`SELECT id::text FROM api_keys WHERE user_id = ANY($1::uuid[])`, [ids]) : [];
    return { users: ids, keys: keys.map((k) => k.id) };
  }
}
