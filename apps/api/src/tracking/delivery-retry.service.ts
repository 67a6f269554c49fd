import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { audit, enqueue, Subjects } from '@sne/core';
import { endpointOf } from '@sne/messaging';
import { actorOf, hasRole, Principal } from '../common/principal';

@Injectable()
export class DeliveryRetryService {
  constructor(private readonly db: DataSource) {}

  /** A dead letter goes back to pending with the same id (so the same webhook-id) and a fresh job. */
  async retry(p: Principal, id: string): Promise<{ deliveryId: string; status: string }> {
    return this.db.transaction(async (m) => {
      const rows: { status: string; target_url: string | null; agency_id: string; issuing_agency_id: string | null }[] = await m.query(
        `SELECT d.status, d.target_url, d.agency_id, n.issuing_agency_id FROM deliveries d LEFT JOIN notices n ON n.id = d.notice_id
          WHERE d.id = $1 AND ($2 OR d.agency_id = $3 OR n.issuing_agency_id = $3) FOR UPDATE OF d`,
        [id, hasRole(p, 'admin'), p.agencyId],
      );
      if (rows.length === 0) throw new NotFoundException('delivery not found');
      if (rows[0].status !== 'failed') throw new ConflictException(`only failed deliveries can be retried (this one is ${rows[0].status})`);
      await m.query(
        `UPDATE deliveries SET status = 'pending', schedule_start = attempt_count, next_attempt_at = now(), lease_until = NULL, updated_at = now() WHERE id = $1`,
        [id],
      );
      // Logged with the caller's agency when it is the recipient or the issuer, else (a partnership admin) with the recipient's.
      const { agency_id: recipient, issuing_agency_id: issuer } = rows[0];
      const agencyId = p.agencyId === recipient || p.agencyId === issuer ? p.agencyId : recipient;
      await audit(m, actorOf(p), { action: 'delivery.retry_requested', entityType: 'delivery', entityId: id, agencyId, before: { status: 'failed' }, after: { status: 'pending' } });
      await enqueue(m, Subjects.deliveryJobs, { deliveryId: id, endpoint: endpointOf(rows[0].target_url) });
      return { deliveryId: id, status: 'pending' };
    });
  }
}
