import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { audit, enqueue, Subjects } from '@sne/core';
import { endpointOf } from '@sne/messaging';
import { actorOf, hasRole, Principal } from '../common/principal';

@Injectable()
export class DeliveryRetryService {
  constructor(private readonly db: DataSource) {}

  /** A dead letter goes back to pending with the same id (so the same webhook-id) and a fresh job; held while its subscription is paused or disabled. */
  async retry(p: Principal, id: string): Promise<{ deliveryId: string; status: string }> {
    return this.db.transaction(async (m) => {
      const rows: { status: string; target_url: string | null; subscription_status: string | null; notice_id: string | null; agency_id: string; issuing_agency_id: string | null }[] =
        await m.query(
        `SELECT d.status, d.target_url, d.notice_id, d.agency_id, n.issuing_agency_id, s.status AS subscription_status
           FROM deliveries d LEFT JOIN notices n ON n.id = d.notice_id LEFT JOIN subscriptions s ON s.id = d.subscription_id
          WHERE d.id = $1 AND ($2 OR d.agency_id = $3 OR n.issuing_agency_id = $3) FOR UPDATE OF d`,
        [id, hasRole(p, 'admin'), p.agencyId],
      );
      if (rows.length === 0) throw new NotFoundException('delivery not found');
      const d = rows[0];
      if (d.status !== 'failed') throw new ConflictException(`only failed deliveries can be retried (this one is ${d.status})`);
      if (d.subscription_status === 'deleted') throw new ConflictException('its subscription was deleted: there is nothing to retry it to');
      // A notice message for a paused or disabled subscription waits for its resumption.
      const next = d.notice_id && d.subscription_status && d.subscription_status !== 'active' ? 'held' : 'pending';
      await m.query(
        `UPDATE deliveries SET status = $2, schedule_start = attempt_count, next_attempt_at = now(), lease_until = NULL, updated_at = now() WHERE id = $1`,
        [id, next],
      );
      // Logged with the caller's agency when it is the recipient or the issuer, else (a partnership admin) with the recipient's.
      const agencyId = p.agencyId === d.agency_id || p.agencyId === d.issuing_agency_id ? p.agencyId : d.agency_id;
      await audit(m, actorOf(p), { action: 'delivery.retry_requested', entityType: 'delivery', entityId: id, agencyId, before: { status: 'failed' }, after: { status: next } });
      if (next === 'pending') await enqueue(m, Subjects.deliveryJobs, { deliveryId: id, endpoint: endpointOf(d.target_url) });
      return { deliveryId: id, status: next };
    });
  }
}
