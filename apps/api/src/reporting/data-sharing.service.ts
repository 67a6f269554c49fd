import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { audit } from '@sne/core';
import { actorOf, hasRole, Principal } from '../common/principal';
import { DataSharingAgreementResponse, DataSharingHistory, RecordDataSharingDto } from './data-sharing.dto';

/**
 * An agency's opt-in to partnership aggregates. Rows are only ever added (the table keeps the
 * history): the latest row per agency is in force, and an empty `covers` withdraws. Agency admins
 * record their own agency's; a partnership admin any agency's. Everyone in the agency may read it.
 */
@Injectable()
export class DataSharingService {
  constructor(private readonly db: DataSource) {}

  /** Another agency answers 404 (admins reach every agency), like any agency-scoped object. */
  private async reach(p: Principal, agencyId: string): Promise<void> {
    if (!hasRole(p, 'admin') && p.agencyId !== agencyId) throw new NotFoundException('agency not found');
    const [row] = await this.db.query(`SELECT 1 FROM agencies WHERE id = $1`, [agencyId]);
    if (!row) throw new NotFoundException('agency not found');
  }

  async record(p: Principal, agencyId: string, dto: RecordDataSharingDto): Promise<DataSharingAgreementResponse> {
    await this.reach(p, agencyId);
    const today = new Date().toISOString().slice(0, 10);
    if (dto.signedOn > today) throw new BadRequestException(['signedOn must not be in the future']);
    if (dto.signedOn < '1990-01-01') throw new BadRequestException(['signedOn must be 1990-01-01 or later']);
    return this.db.transaction(async (m) => {
      // One agency's rows are written one at a time, so "the latest row" is never a tie.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('data_sharing:' || $1))`, [agencyId]);
      const [row] = await m.query(
        `INSERT INTO data_sharing_agreements (agency_id, covers, signed_on, note, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, greatest(clock_timestamp(), (SELECT max(recorded_at) + interval '1 microsecond' FROM data_sharing_agreements WHERE agency_id = $1)))
         RETURNING id`,
        [agencyId, dto.covers, dto.signedOn, dto.note ?? '', p.userId],
      );
      await audit(m, actorOf(p), {
        action: 'data_sharing.recorded',
        entityType: 'data_sharing_agreement',
        entityId: row.id,
        agencyId,
        after: { covers: dto.covers, signedOn: dto.signedOn, note: dto.note ?? '' },
      });
      const [saved] = await this.rows(m, agencyId, row.id);
      return saved;
    });
  }

  async history(p: Principal, agencyId: string): Promise<DataSharingHistory> {
    await this.reach(p, agencyId);
    const items = await this.rows(this.db, agencyId);
    const current = items[0] ?? null;
    const today = new Date().toISOString().slice(0, 10);
    return { agencyId, contributing: !!current && current.covers.includes('incidents') && current.signedOn <= today, current, items };
  }

  private async rows(db: Pick<DataSource, 'query'>, agencyId: string, id?: string): Promise<DataSharingAgreementResponse[]> {
    const rows = await db.query(
      `SELECT d.id, d.agency_id, d.covers, to_char(d.signed_on, 'YYYY-MM-DD') AS signed_on, d.note, d.recorded_at, u.id AS user_id, u.name AS user_name
         FROM data_sharing_agreements d LEFT JOIN users u ON u.id = d.recorded_by
        WHERE d.agency_id = $1 AND ($2::uuid IS NULL OR d.id = $2)
        ORDER BY d.recorded_at DESC, d.id DESC`,
      [agencyId, id ?? null],
    );
    return rows.map((r: any) => ({
      id: r.id,
      agencyId: r.agency_id,
      covers: r.covers,
      signedOn: r.signed_on,
      note: r.note,
      recordedBy: r.user_id ? { id: r.user_id, name: r.user_name } : null,
      recordedAt: new Date(r.recorded_at).toISOString(),
    }));
  }
}
