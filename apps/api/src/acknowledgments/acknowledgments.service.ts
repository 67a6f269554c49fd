import { BadRequestException, ConflictException, GoneException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  Acknowledgment,
  AckTokenError,
  ActionAnswer,
  APP_CONFIG,
  AppConfig,
  audit,
  Actor,
  Notice,
  requiredActionsOf,
  skipUnowedReminders,
  statusAfterAnswers,
  verifyAckToken,
} from '@sne/core';
import { actorOf, Principal } from '../common/principal';
import { NoticesService } from '../notices/notices.service';

export interface AckBy {
  name: string | null;
  email: string | null;
  userId: string | null;
}

export interface ActionAnswerInput {
  action: number;
  response: ActionAnswer;
  note?: string;
  assigneeUserId?: string;
  dueAt?: string;
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
  actionsDueAt: string | null;
  actionsCompletedAt: string | null;
  actionsLate: boolean | null;
  closedReason: string | null;
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
      await assertAgencyMember(m, p.agencyId, 'your agency has left the partnership');
      return this.record(m, ack.id, { name: name?.trim() || p.name, email: p.email, userId: p.userId }, 'api', actorOf(p));
    });
  }

  /** The agency answers the notice's required actions (second tier); every answer is kept. */
  async answerAsAgency(p: Principal, noticeId: string, answers: ActionAnswerInput[], name?: string) {
    return this.db.transaction(async (m) => {
      await this.notices.findVisible(m, p, noticeId);
      const ack = await m.findOne(Acknowledgment, { where: { noticeId, agencyId: p.agencyId }, lock: { mode: 'pessimistic_write' } });
      if (!ack) throw new NotFoundException('your agency is not a recipient of this notice');
      await assertAgencyMember(m, p.agencyId, 'your agency has left the partnership');
      return this.recordAnswers(m, ack, answers, { name: name?.trim() || p.name, email: p.email, userId: p.userId }, 'api', actorOf(p));
    });
  }

  async answerByToken(token: string, answers: ActionAnswerInput[], name: string): Promise<TokenAcknowledgmentView> {
    const payload = this.verify(token);
    return this.db.transaction(async (m) => {
      const ack = await m.findOne(Acknowledgment, { where: { id: payload.ackId }, lock: { mode: 'pessimistic_write' } });
      if (!ack) throw new NotFoundException('acknowledgment not found');
      await assertAgencyMember(m, ack.agencyId);
      const actor: Actor = { type: 'recipient', id: payload.email, agencyId: ack.agencyId };
      return forToken(await this.recordAnswers(m, ack, answers, { name: name.trim(), email: payload.email, userId: null }, 'email_link', actor));
    });
  }

  async latestAnswers(ackId: string): Promise<Map<number, { response: ActionAnswer; note: string | null; name: string; at: Date }>> {
    const rows = await this.db.query(
      `SELECT DISTINCT ON (action_index) action_index, response, note, responded_by_name AS name, at FROM action_responses
        WHERE acknowledgment_id = $1 ORDER BY action_index, id DESC`,
      [ackId],
    );
    return new Map(rows.map((r: any) => [r.action_index, { response: r.response, note: r.note, name: r.name, at: r.at }]));
  }

  /** Every answer of a record, oldest first: the history behind its current state. */
  async answers(ackId: string) {
    return this.db.query(
      `SELECT r.action_index AS "action", r.response, r.note, r.responded_by_name AS "name", r.responded_by_email AS "email", r.channel, r.at,
              CASE WHEN u.id IS NULL THEN NULL ELSE json_build_object('id', u.id, 'name', u.name) END AS "assignee", r.due_at AS "dueAt"
         FROM action_responses r LEFT JOIN users u ON u.id = r.assignee_user_id WHERE r.acknowledgment_id = $1 ORDER BY r.id`,
      [ackId],
    );
  }

  /** The signed link from an email: the token names the acknowledgment and the address it was sent to. */
  async acknowledgeByToken(token: string, name: string): Promise<TokenAcknowledgmentView> {
    const payload = this.verify(token);
    return this.db.transaction(async (m) => {
      const ack = await m.findOne(Acknowledgment, { where: { id: payload.ackId } });
      if (!ack) throw new NotFoundException('acknowledgment not found');
      await assertAgencyMember(m, ack.agencyId);
      const actor: Actor = { type: 'recipient', id: payload.email, agencyId: ack.agencyId };
      return forToken(await this.record(m, ack.id, { name: name.trim(), email: payload.email, userId: null }, 'email_link', actor));
    });
  }

  /** What the acknowledgment page shows for a token. */
  async describeToken(token: string): Promise<{ notice: Notice; ack: Acknowledgment; email: string; agencyName: string; timeZone: string }> {
    const payload = this.verify(token);
    const ack = await this.db.getRepository(Acknowledgment).findOne({ where: { id: payload.ackId } });
    if (!ack) throw new NotFoundException('acknowledgment not found');
    await assertAgencyMember(this.db.manager, ack.agencyId);
    const notice = await this.db.getRepository(Notice).findOneOrFail({ where: { id: ack.noticeId } });
    const [agency] = await this.db.query(`SELECT name, time_zone FROM agencies WHERE id = $1`, [ack.agencyId]);
    return { notice, ack, email: payload.email, agencyName: agency.name, timeZone: agency.time_zone };
  }

  /**
   * Where a superseded record's agency stands on the update that replaced the notice (its record
   * there: carried over whole by a typo fix, a fresh one by a material update), or null.
   */
  async successorOf(ack: Acknowledgment): Promise<{ reference: string; status: string } | null> {
    const [row] = await this.db.query(
      `SELECT n.reference, a.status FROM notices n JOIN acknowledgments a ON a.notice_id = n.id AND a.agency_id = $2
        WHERE n.supersedes_id = $1 AND n.published_at IS NOT NULL ORDER BY n.published_at DESC LIMIT 1`,
      [ack.noticeId, ack.agencyId],
    );
    return row ?? null;
  }

  private async recordAnswers(m: EntityManager, ack: Acknowledgment, answers: ActionAnswerInput[], by: AckBy, channel: 'api' | 'email_link', actor: Actor) {
    const notice = await m.findOneOrFail(Notice, { where: { id: ack.noticeId } });
    const actions = requiredActionsOf(notice);
    this.assertOpen(ack, notice);
    await this.assertInForce(m, notice);
    if (actions.length === 0) throw new ConflictException('this notice asks for acknowledgment only, not for action');
    if (ack.status === 'pending') throw new ConflictException('acknowledge the notice before reporting action');
    for (const a of answers) {
      if (a.action >= actions.length) throw new BadRequestException(`action ${a.action} does not exist: this notice has ${actions.length}`);
      if (a.response === 'not_applicable' && !a.note?.trim()) throw new BadRequestException(`action ${a.action}: say why it does not apply (note)`);
    }
    await this.checkAssignments(m, ack, answers);
    // An assignee and an own due time stay with the action until an answer names others.
    await m.query(
      `INSERT INTO action_responses (acknowledgment_id, action_index, response, note, responded_by_name, responded_by_email, responded_by_user_id, channel, assignee_user_id, due_at)
       SELECT $1, x.i, x.r, x.n, $5, $6, $7, $8, COALESCE(x.a, prev.assignee_user_id), COALESCE(x.d, prev.due_at)
         FROM unnest($2::int[], $3::text[], $4::text[], $9::uuid[], $10::timestamptz[]) WITH ORDINALITY AS x(i, r, n, a, d, o)
         LEFT JOIN LATERAL (SELECT p.assignee_user_id, p.due_at FROM action_responses p
                             WHERE p.acknowledgment_id = $1 AND p.action_index = x.i ORDER BY p.id DESC LIMIT 1) prev ON true
        ORDER BY x.o`,
      [
        ack.id,
        answers.map((a) => a.action),
        answers.map((a) => a.response),
        answers.map((a) => a.note?.trim() || null),
        by.name,
        by.email,
        by.userId,
        channel,
        answers.map((a) => a.assigneeUserId ?? null),
        answers.map((a) => a.dueAt ?? null),
      ],
    );
    const latest: { action_index: number; response: ActionAnswer }[] = await m.query(
      `SELECT DISTINCT ON (action_index) action_index, response FROM action_responses
        WHERE acknowledgment_id = $1 ORDER BY action_index, id DESC`,
      [ack.id],
    );
    const status = statusAfterAnswers(actions.length, new Map(latest.map((l) => [l.action_index, l.response])));
    const before = { status: ack.status };
    if (status !== ack.status) {
      await m.query(
        `UPDATE acknowledgments SET status = $2,
                actions_completed_at = CASE WHEN $2 IN ('action_completed','action_not_required') THEN COALESCE(actions_completed_at, now()) END,
                actions_late = CASE WHEN $2 IN ('action_completed','action_not_required') THEN COALESCE(actions_late, actions_due_at IS NOT NULL AND now() > actions_due_at) END
          WHERE id = $1`,
        [ack.id, status],
      );
      // Reminders about what is now answered are no longer owed.
      await skipUnowedReminders(m, { noticeId: ack.noticeId, acknowledgmentId: ack.id }, actor);
    }
    await audit(m, actor, {
      action: status !== ack.status && status !== 'acknowledged' ? 'acknowledgment.actions_completed' : 'acknowledgment.action_answered',
      entityType: 'acknowledgment',
      entityId: ack.id,
      agencyId: ack.agencyId,
      before,
      after: { status, answers, by: by.email },
    });
    return toView(await m.findOneOrFail(Acknowledgment, { where: { id: ack.id } }));
  }

  /**
   * An assignee must be a person of the recipient agency (400 otherwise, as for a user that does
   * not exist); `underway` cannot reopen an action already answered (409).
   */
  private async checkAssignments(m: EntityManager, ack: Acknowledgment, answers: ActionAnswerInput[]): Promise<void> {
    const assignees = [...new Set(answers.map((a) => a.assigneeUserId).filter((id): id is string => !!id))];
    if (assignees.length) {
      const found: { id: string }[] = await m.query(
        `SELECT id FROM users WHERE id = ANY($1::uuid[]) AND agency_id = $2 AND kind = 'person' AND disabled_at IS NULL`,
        [assignees, ack.agencyId],
      );
      const missing = assignees.filter((id) => !found.some((f) => f.id === id));
      if (missing.length) throw new BadRequestException(`assigneeUserId ${missing[0]} is not a person of your agency`);
    }
    const underway = answers.filter((a) => a.response === 'underway').map((a) => a.action);
    if (underway.length) {
      const answered: { action_index: number }[] = await m.query(
        `SELECT action_index FROM (SELECT DISTINCT ON (action_index) action_index, response FROM action_responses
            WHERE acknowledgment_id = $1 ORDER BY action_index, id DESC) l
          WHERE l.response <> 'underway' AND l.action_index = ANY($2::int[])`,
        [ack.id, underway],
      );
      if (answered.length) throw new ConflictException(`action ${answered[0].action_index} is already answered: it cannot go back to underway`);
    }
  }

  /** Closed records (the notice was superseded or cancelled) take no more answers. */
  private assertOpen(ack: Acknowledgment, notice: Notice): void {
    if (ack.status === 'cancelled') throw new ConflictException(`this notice was cancelled: ${notice.cancelReason ?? 'no reason given'}`);
    if (ack.status === 'superseded') throw new ConflictException(`this notice was superseded (${ack.closedReason}); acknowledge the update instead`);
  }

  /**
   * Answers go to a notice still in force. A record that was complete when its notice was
   * superseded or cancelled stays as it was (history); an answer there would change a record no
   * one tracks any more: the agency's answers now live on the update's record.
   */
  private async assertInForce(m: EntityManager, notice: Notice): Promise<void> {
    if (notice.status === 'cancelled') throw new ConflictException(`this notice was cancelled: ${notice.cancelReason ?? 'no reason given'}`);
    if (notice.status !== 'superseded') return;
    const [update] = await m.query(`SELECT reference FROM notices WHERE supersedes_id = $1 AND published_at IS NOT NULL ORDER BY published_at DESC LIMIT 1`, [notice.id]);
    throw new ConflictException(`this notice was superseded by ${update?.reference ?? 'an update'}: report action on the update instead`);
  }

  /**
   * Pending → acknowledged, once. A second acknowledgment returns the first record unchanged,
   * so retries by machines and double clicks by people are harmless.
   */
  private async record(m: EntityManager, ackId: string, by: AckBy, channel: 'api' | 'email_link', actor: Actor) {
    const current = await m.findOneOrFail(Acknowledgment, { where: { id: ackId } });
    this.assertOpen(current, await m.findOneOrFail(Notice, { where: { id: current.noticeId } }));
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
      await skipUnowedReminders(m, { noticeId: ack.noticeId, acknowledgmentId: ackId }, actor);
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

/**
 * An offboarded agency's links stop with its people and keys: 410, as for an expired link (the
 * link was good and no longer is). Reinstating the agency brings them back while unexpired.
 * The share lock makes a link, or a key or session authenticated just before, used during an
 * offboarding wait for it and read its outcome, so nothing is recorded for an agency in the
 * instant it leaves.
 */
async function assertAgencyMember(m: EntityManager, agencyId: string, refusal = 'this acknowledgment link no longer works: its agency has left the partnership'): Promise<void> {
  const [agency]: { offboarded_at: Date | null }[] = await m.query(`SELECT offboarded_at FROM agencies WHERE id = $1 FOR SHARE`, [agencyId]);
  if (agency?.offboarded_at) throw new GoneException(refusal);
}

/** What a link's holder gets back: a link is forwarded, so who acknowledged is named, never their address or user id. */
export type TokenAcknowledgmentView = Omit<AcknowledgmentView, 'acknowledgedBy'> & { acknowledgedBy: { name: string | null } | null };

function forToken(v: AcknowledgmentView): TokenAcknowledgmentView {
  return { ...v, acknowledgedBy: v.acknowledgedBy && { name: v.acknowledgedBy.name } };
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
      !a.acknowledgedAt ? null : { name: a.acknowledgedByName, email: a.acknowledgedByEmail, userId: a.acknowledgedByUserId },
    channel: a.channel,
    late: a.late,
    actionsDueAt: a.actionsDueAt?.toISOString() ?? null,
    actionsCompletedAt: a.actionsCompletedAt?.toISOString() ?? null,
    actionsLate: a.actionsLate,
    closedReason: a.closedReason,
  };
}
