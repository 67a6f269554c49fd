import { ConflictException, HttpException, HttpStatus, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig, audit, enqueueMany, insertReminderDeliveries, Notice, Subjects } from '@sne/core';
import { endpointOf } from '@sne/messaging';
import { actorOf, Principal } from '../common/principal';
import { NoticesService } from '../notices/notices.service';

interface OpenRecord {
  id: string;
  agency_id: string;
  agency_name: string;
  status: string;
  last_manual: Date | null;
  min_sequence: number;
}

/** What the agency still owed when it was reminded: its acknowledgment, its actions, or nothing (a resend). */
export type Owed = 'acknowledgment' | 'actions' | 'nothing';
const owedBy = (status: string, category: string): Owed =>
  status === 'pending' ? 'acknowledgment' : status === 'acknowledged' && category === 'alert' ? 'actions' : 'nothing';

export interface ReminderOutcome {
  noticeId: string;
  reminded: { agencyId: string; agencyName: string; owes: Owed; deliveryIds: string[] }[];
  skipped: { agencyId: string; agencyName: string; retryAfterSeconds: number }[];
}

/**
 * What a supervisor of the issuing agency does about recipients who have not responded: remind
 * every one still owing something, or send the notice again to one agency with a note. Both are
 * delivery rows like every other message (the courier sends them, with retries and fallbacks),
 * one request per agency and notice per MANUAL_REMINDER_INTERVAL, and both are audited on the
 * recipient's record and on the notice.
 */
@Injectable()
export class SuperviseService {
  constructor(
    private readonly db: DataSource,
    private readonly notices: NoticesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async remindNonResponders(p: Principal, noticeId: string, note?: string): Promise<ReminderOutcome> {
    const text = note?.trim() || null;
    return this.db.transaction(async (m) => {
      const notice = await this.issuedNotice(m, p, noticeId);
      const open = await this.lockRecords(m, noticeId, null, notice.category === 'alert' ? ['pending', 'acknowledged'] : ['pending']);
      if (open.length === 0) throw new ConflictException('every recipient agency has responded: there is nobody to remind');
      const due = open.filter((r) => this.waitSeconds(r) === 0);
      const skipped = open.filter((r) => this.waitSeconds(r) > 0).map((r) => ({ agencyId: r.agency_id, agencyName: r.agency_name, retryAfterSeconds: this.waitSeconds(r) }));
      if (due.length === 0) throw this.tooSoon(Math.min(...skipped.map((s) => s.retryAfterSeconds)), 'every agency still owing a response was reminded less than');
      const ids = await this.send(m, p, notice, due, 'acknowledgment.reminded', text);
      await audit(m, actorOf(p), {
        action: 'notice.reminders_requested',
        entityType: 'notice',
        entityId: noticeId,
        after: { agencies: due.map((r) => r.agency_id), skipped: skipped.map((s) => s.agencyId), note: text },
      });
      const reminded = due.map((r) => ({
        agencyId: r.agency_id,
        agencyName: r.agency_name,
        owes: owedBy(r.status, notice.category),
        deliveryIds: ids.get(r.id) ?? [],
      }));
      return { noticeId, reminded, skipped };
    });
  }

  async resend(p: Principal, noticeId: string, agencyId: string, note: string): Promise<ReminderOutcome> {
    return this.db.transaction(async (m) => {
      const notice = await this.issuedNotice(m, p, noticeId);
      const [record] = await this.lockRecords(m, noticeId, agencyId, ['pending', 'acknowledged', 'action_completed', 'action_not_required']);
      if (!record) {
        const exists = await m.query(`SELECT status FROM acknowledgments WHERE notice_id = $1 AND agency_id = $2`, [noticeId, agencyId]);
        if (exists.length === 0) throw new NotFoundException('that agency is not a recipient of this notice');
        throw new ConflictException(`that agency's record is ${exists[0].status}: there is nothing to resend`);
      }
      const wait = this.waitSeconds(record);
      if (wait > 0) throw this.tooSoon(wait, `${record.agency_name} was reminded or sent this notice again less than`);
      const sent = await this.send(m, p, notice, [record], 'acknowledgment.resent', note.trim());
      await audit(m, actorOf(p), { action: 'notice.resent', entityType: 'notice', entityId: noticeId, after: { agencyId, note: note.trim() } });
      const deliveryIds = sent.get(record.id) ?? [];
      return { noticeId, reminded: [{ agencyId, agencyName: record.agency_name, owes: owedBy(record.status, notice.category), deliveryIds }], skipped: [] };
    });
  }

  /** The notice, if the caller's agency issued it (or the caller is a partnership admin); 404 otherwise, 409 unless published. */
  async issuedNotice(m: EntityManager, p: Principal, noticeId: string): Promise<Notice> {
    const notice = await this.notices.findVisible(m, p, noticeId);
    if (!this.notices.seesAllRecipients(p, notice)) throw new NotFoundException('notice not found');
    if (notice.status !== 'published') throw new ConflictException(`the notice is ${notice.status}: reminders are for published notices`);
    return notice;
  }

  /**
   * The records, locked, then read. Two statements: a statement's snapshot is taken before it waits
   * for a lock, so a reminder committed by the request it waited for (which locks the records but
   * does not change them) would be missing from the same statement, and both requests would send.
   * (The lock re-checks the status on the row it locks, so the read need not.)
   */
  private async lockRecords(m: EntityManager, noticeId: string, agencyId: string | null, statuses: string[]): Promise<OpenRecord[]> {
    const locked: { id: string }[] = await m.query(
      `SELECT a.id FROM acknowledgments a JOIN agencies g ON g.id = a.agency_id
        WHERE a.notice_id = $1 AND ($2::uuid IS NULL OR a.agency_id = $2) AND a.status = ANY($3::text[]) AND g.offboarded_at IS NULL
        ORDER BY a.id
          FOR UPDATE OF a`,
      [noticeId, agencyId, statuses],
    );
    if (locked.length === 0) return [];
    return m.query(
      `SELECT a.id, a.agency_id, g.name AS agency_name, a.status,
              (SELECT max(d.created_at) FROM deliveries d WHERE d.acknowledgment_id = a.id AND d.sequence < 0) AS last_manual,
              (SELECT COALESCE(min(d.sequence), 0) FROM deliveries d WHERE d.acknowledgment_id = a.id) AS min_sequence
         FROM acknowledgments a JOIN agencies g ON g.id = a.agency_id
        WHERE a.id = ANY($1::uuid[])
        ORDER BY g.name`,
      [locked.map((r) => r.id)],
    );
  }

  /** Seconds until this agency may be reminded again (0: now). */
  private waitSeconds(r: OpenRecord): number {
    if (!r.last_manual) return 0;
    const left = r.last_manual.getTime() + this.config.manualReminderIntervalMs - Date.now();
    return left > 0 ? Math.ceil(left / 1000) : 0;
  }

  private tooSoon(seconds: number, what: string): HttpException {
    const minutes = Math.round(this.config.manualReminderIntervalMs / 60000);
    return new HttpException(
      { statusCode: 429, message: `${what} ${minutes} minutes ago: try again in ${Math.ceil(seconds / 60)} minutes`, retryAfterSeconds: seconds },
      HttpStatus.TOO_MANY_REQUESTS,
      { cause: { retryAfter: seconds } },
    );
  }

  /** One delivery per channel per record (a negative sequence: a person's request), audited on each record. */
  private async send(m: EntityManager, p: Principal, notice: Notice, records: OpenRecord[], action: string, note: string | null) {
    const sequences = records.map((r) => Math.min(r.min_sequence, 0) - 1);
    const created: string[] = await insertReminderDeliveries(
      m,
      records.map((r) => r.id),
      sequences,
      { actor: { type: 'user', id: p.userId }, note, requestedBy: p.userId },
    );
    const rows: { id: string; acknowledgment_id: string; target_url: string | null }[] = created.length
      ? await m.query(`SELECT id, acknowledgment_id, target_url FROM deliveries WHERE id = ANY($1::uuid[])`, [created])
      : [];
    // Through the outbox, in this transaction: the jobs exist exactly when the rows do.
    await enqueueMany(m, Subjects.deliveryJobs, rows.map((d) => ({ deliveryId: d.id, endpoint: endpointOf(d.target_url) })));
    const byRecord = new Map<string, string[]>();
    for (const r of rows) byRecord.set(r.acknowledgment_id, [...(byRecord.get(r.acknowledgment_id) ?? []), r.id]);
    for (const [i, r] of records.entries()) {
      await audit(m, actorOf(p), {
        action,
        entityType: 'acknowledgment',
        entityId: r.id,
        agencyId: r.agency_id,
        after: { stage: sequences[i], manual: true, note, noticeId: notice.id, deliveries: byRecord.get(r.id) ?? [] },
      });
    }
    return byRecord;
  }
}
