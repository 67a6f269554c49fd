import { BadRequestException, GoneException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Acknowledgment, AckTokenError, APP_CONFIG, AppConfig, audit, Actor, verifyAckToken, Notice } from '@sne/core';
import { actorOf, Principal } from '../common/principal';
import { NoticesService } from '../notices/notices.service';

export interface AckBy {
  name: string | null;
  email: string | null;
  userId: string | null;
}

export interface AcknowledgmentView {
  id: string;
  noticeId: string;
  agencyId: string;
  status: string;
  dueAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: { name: string | null; email: string | null; userId: string | null } | null;
  channel: string | null;
  late: boolean | null;
}

@Injectable()
export class AcknowledgmentsService {
  constructor(
    private readonly db: DataSource,
    private readonly notices: NoticesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** An agency's key acknowledges for its agency. */
  async acknowledgeAsAgency(p: Principal, noticeId: string, name?: string): Promise<AcknowledgmentView> {
    return this.db.transaction(async (m) => {
      await this.notices.findVisible(m, p, noticeId);
      const ack = await m.findOne(Acknowledgment, { where: { noticeId, agencyId: p.agencyId } });
      if (!ack) throw new NotFoundException('your agency is not a recipient of this notice');
      return this.record(m, ack.id, { name: name?.trim() || p.name, email: p.email, userId: p.userId }, 'api', actorOf(p));
    });
  }

  /** The signed link from an email: the token names the acknowledgment and the address it was sent to. */
  async acknowledgeByToken(token: string, name: string): Promise<AcknowledgmentView> {
    const payload = this.verify(token);
    return this.db.transaction(async (m) => {
      const ack = await m.findOne(Acknowledgment, { where: { id: payload.ackId } });
      if (!ack) throw new NotFoundException('acknowledgment not found');
      const actor: Actor = { type: 'recipient', id: payload.email, agencyId: ack.agencyId };
      return this.record(m, ack.id, { name: name.trim(), email: payload.email, userId: null }, 'email_link', actor);
    });
  }

  /** What the acknowledgment page shows for a token. */
  async describeToken(token: string): Promise<{ notice: Notice; ack: Acknowledgment; email: string; agencyName: string; timeZone: string }> {
    const payload = this.verify(token);
    const ack = await this.db.getRepository(Acknowledgment).findOne({ where: { id: payload.ackId } });
    if (!ack) throw new NotFoundException('acknowledgment not found');
    const notice = await this.db.getRepository(Notice).findOneOrFail({ where: { id: ack.noticeId } });
    const [agency] = await this.db.query(`SELECT name, time_zone FROM agencies WHERE id = $1`, [ack.agencyId]);
    return { notice, ack, email: payload.email, agencyName: agency.name, timeZone: agency.time_zone };
  }

  /**
   * Pending → acknowledged, once. A second acknowledgment returns the first record unchanged,
   * so retries by machines and double clicks by people are harmless.
   */
  private async record(m: EntityManager, ackId: string, by: AckBy, channel: 'api' | 'email_link', actor: Actor) {
    const updated: Acknowledgment[] = await m.query(
      `WITH u AS (UPDATE acknowledgments SET status = 'acknowledged', acknowledged_at = now(), acknowledged_by_name = $2,
              acknowledged_by_email = $3, acknowledged_by_user_id = $4, channel = $5,
              late = (due_at IS NOT NULL AND now() > due_at)
        WHERE id = $1 AND status = 'pending'
        RETURNING id) SELECT id FROM u`,
      [ackId, by.name, by.email, by.userId, channel],
    );
    const ack = await m.findOneOrFail(Acknowledgment, { where: { id: ackId } });
    if (updated.length > 0) {
      await audit(m, actor, {
        action: 'acknowledgment.acknowledged',
        entityType: 'acknowledgment',
        entityId: ackId,
        agencyId: ack.agencyId,
        before: { status: 'pending' },
        after: { status: ack.status, channel, late: ack.late, by: by.email },
      });
    }
    return toView(ack);
  }

  private verify(token: string) {
    try {
      return verifyAckToken(token, this.config.ackTokenSecret, Math.floor(Date.now() / 1000));
    } catch (err) {
      if (err instanceof AckTokenError) {
        if (err.reason === 'expired') throw new GoneException('this acknowledgment link has expired');
        throw new BadRequestException('this acknowledgment link is not valid');
      }
      throw err;
    }
  }
}

export function toView(a: Acknowledgment): AcknowledgmentView {
  return {
    id: a.id,
    noticeId: a.noticeId,
    agencyId: a.agencyId,
    status: a.status,
    dueAt: a.dueAt?.toISOString() ?? null,
    acknowledgedAt: a.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy:
      a.status === 'pending' ? null : { name: a.acknowledgedByName, email: a.acknowledgedByEmail, userId: a.acknowledgedByUserId },
    channel: a.channel,
    late: a.late,
  };
}
