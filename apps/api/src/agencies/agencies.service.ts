import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Agency, audit } from '@sne/core';
import { actorOf, hasRole, Principal } from '../common/principal';
import { endSessions } from '../auth/sessions.service';
import { listOf, pageOf, PageRequest } from '../common/paging';
import { CreateAgencyDto, IDENTITY_FIELDS, ListAgenciesQuery, UpdateAgencyDto } from './agencies.dto';

export interface AgencyRow {
  id: string;
  name: string;
  jurisdictionType: string;
  jurisdictionCode: string;
  timeZone: string;
  noticesContactEmail: string;
  offboardedAt: Date | null;
  people: number;
}

@Injectable()
export class AgenciesService {
  constructor(private readonly db: DataSource) {}

  async create(p: Principal, dto: CreateAgencyDto) {
    return this.db.transaction(async (m) => {
      const agency = m.create(Agency, { ...dto, escalationContacts: dto.escalationContacts ?? [], fallbackContacts: dto.fallbackContacts ?? [] });
      await m.save(agency);
      await audit(m, actorOf(p), { action: 'agency.created', entityType: 'agency', entityId: agency.id, agencyId: agency.id, after: dto });
      return agency;
    });
  }

  /** Partnership admins change any agency; an agency admin its own agency's time zone and contacts. */
  async update(p: Principal, id: string, dto: UpdateAgencyDto) {
    if (!hasRole(p, 'admin') && p.agencyId !== id) throw new NotFoundException('agency not found');
    const identity = IDENTITY_FIELDS.filter((f) => dto[f] !== undefined);
    if (identity.length && !hasRole(p, 'admin')) {
      throw new ForbiddenException(`only a partnership admin can change an agency's ${identity.join(', ')}`);
    }
    return this.db.transaction(async (m) => {
      const agency = await m.findOne(Agency, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!agency) throw new NotFoundException('agency not found');
      // Only what differs is a change: a form sends every field, and a save that changes nothing writes no event.
      const changed = (Object.keys(dto) as (keyof UpdateAgencyDto)[]).filter(
        (k) => dto[k] !== undefined && JSON.stringify(dto[k]) !== JSON.stringify(agency[k as keyof Agency]),
      );
      if (!changed.length) return agency;
      const before = Object.fromEntries(changed.map((k) => [k, agency[k as keyof Agency]]));
      const after = Object.fromEntries(changed.map((k) => [k, dto[k]]));
      Object.assign(agency, after);
      await m.save(agency);
      await audit(m, actorOf(p), { action: 'agency.updated', entityType: 'agency', entityId: id, agencyId: id, before, after });
      return agency;
    });
  }

  /**
   * Members see each other's names and jurisdictions, contacts only for their own agency (or
   * partnership admins). Offboarded agencies are left out unless a partnership admin asks.
   */
  async list(p: Principal, opts: ListAgenciesQuery = {}) {
    return (await this.search(p, opts)).items;
  }

  /**
   * The member agencies by name, searched by name or jurisdiction code (what every caller may see
   * of another agency); `total` counts every match.
   */
  async search(p: Principal, opts: ListAgenciesQuery) {
    const all = hasRole(p, 'admin') && opts.includeOffboarded === true;
    const qb = this.db.getRepository(Agency).createQueryBuilder('a').orderBy('a.name', 'ASC').addOrderBy('a.id', 'ASC');
    if (!all) qb.where('a.offboardedAt IS NULL');
    const { items, total } = await listOf(qb, ['a.name', 'a.jurisdictionCode'], opts);
    return { items: items.map((a) => this.view(p, a)), total };
  }

  /** The partnership admins' table: every agency, offboarded ones too, searched by name, jurisdiction code or notices contact. */
  page(req: PageRequest) {
    return pageOf<AgencyRow>(
      this.db,
      {
        select: `a.id, a.name, a.jurisdiction_type AS "jurisdictionType", a.jurisdiction_code AS "jurisdictionCode", a.time_zone AS "timeZone",
                 a.notices_contact_email AS "noticesContactEmail", a.offboarded_at AS "offboardedAt",
                 (SELECT count(*)::int FROM users u WHERE u.agency_id = a.id) AS people`,
        from: 'FROM agencies a',
        search: ['a.name', 'a.jurisdiction_code', 'a.notices_contact_email'],
        order: 'a.name, a.id',
      },
      req,
    );
  }

  /** One agency, offboarded or not: its record stays. */
  async get(p: Principal, id: string) {
    const a = await this.db.getRepository(Agency).findOne({ where: { id } });
    if (!a) throw new NotFoundException('agency not found');
    return this.view(p, a);
  }

  /**
   * The agency leaves the partnership: its people cannot sign in (their sessions end now), its keys
   * answer 401, it leaves the directory and the reports' lists. Nothing is deleted. Not one's own
   * agency: a partnership admin would lock themselves out.
   */
  async offboard(p: Principal, id: string, reason: string) {
    if (id === p.agencyId) throw new ForbiddenException('you cannot offboard your own agency');
    return this.db.transaction(async (m) => {
      const agency = await m.findOne(Agency, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!agency) throw new NotFoundException('agency not found');
      if (agency.offboardedAt) throw new ConflictException('the agency is already offboarded');
      Object.assign(agency, { offboardedAt: new Date(), offboardedBy: p.userId, offboardReason: reason.trim() });
      await m.save(agency);
      const users: { id: string }[] = await m.query(`SELECT id FROM users WHERE agency_id = $1`, [id]);
      const sessionsEnded = await endSessions(m, users.map((u) => u.id));
      await audit(m, actorOf(p), { action: 'agency.offboarded', entityType: 'agency', entityId: id, agencyId: id, after: { reason: agency.offboardReason, sessionsEnded } });
      return agency;
    });
  }

  /** Back in the partnership: its people sign in again and its unrevoked keys work again. */
  async reinstate(p: Principal, id: string) {
    return this.db.transaction(async (m) => {
      const agency = await m.findOne(Agency, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!agency) throw new NotFoundException('agency not found');
      if (!agency.offboardedAt) throw new ConflictException('the agency is not offboarded');
      const before = { offboardedAt: agency.offboardedAt.toISOString(), offboardedBy: agency.offboardedBy, reason: agency.offboardReason };
      Object.assign(agency, { offboardedAt: null, offboardedBy: null, offboardReason: null });
      await m.save(agency);
      await audit(m, actorOf(p), { action: 'agency.reinstated', entityType: 'agency', entityId: id, agencyId: id, before });
      return agency;
    });
  }

  private view(p: Principal, a: Agency) {
    if (hasRole(p, 'admin') || a.id === p.agencyId) return a;
    return { id: a.id, name: a.name, jurisdictionType: a.jurisdictionType, jurisdictionCode: a.jurisdictionCode, timeZone: a.timeZone, offboardedAt: a.offboardedAt };
  }
}
