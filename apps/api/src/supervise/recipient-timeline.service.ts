import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { maskAddress } from '@sne/core';
import { Principal } from '../common/principal';
import { NoticesService } from '../notices/notices.service';
import { originOf, seesFullTarget } from '../tracking/delivery-redaction';

export const TIMELINE_KINDS = ['sent', 'reminded', 'resent', 'escalated', 'acknowledged', 'action_answered', 'actions_completed', 'closed'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export interface TimelineEntry {
  at: string;
  kind: TimelineKind;
  /** Who did it: a person's name, an address (an email link), or "the scheduler". */
  by: string;
  /** Where the messages went: addresses or the webhook URL (to anyone but the agency: the origin, and a subscription address's domain), per channel, with their delivery state. */
  messages: { deliveryId: string; channel: string; to: string[]; status: string; fallback: boolean; skippedReason: string | null }[];
  note: string | null;
  detail: string | null;
}

export interface AgencyContacts {
  noticesContact: string;
  escalationContacts: string[];
  fallbackContacts: string[];
}

const KIND_OF: Record<string, TimelineKind> = {
  'acknowledgment.reminded': 'reminded',
  'acknowledgment.resent': 'resent',
  'acknowledgment.escalated': 'escalated',
  'acknowledgment.acknowledged': 'acknowledged',
  'acknowledgment.action_answered': 'action_answered',
  'acknowledgment.actions_completed': 'actions_completed',
};

/**
 * One recipient's escalation timeline for one notice, built from what is stored: the deliveries
 * of the notice to the agency (sent), and the audit events on its acknowledgment record
 * (reminded, resent, escalated to whom, acknowledged, actions answered), each reminder or
 * escalation with the deliveries of its rung.
 */
@Injectable()
export class RecipientTimelineService {
  constructor(
    private readonly db: DataSource,
    private readonly notices: NoticesService,
  ) {}

  /** The issuing agency (and partnership admins) see every recipient; a recipient sees its own. */
  async timeline(p: Principal, noticeId: string, agencyId: string) {
    const notice = await this.notices.findVisible(this.db.manager, p, noticeId);
    if (!this.notices.seesAllRecipients(p, notice) && agencyId !== p.agencyId) throw new NotFoundException('recipient not found');
    const [record] = await this.db.query(
      `SELECT a.id, a.status, a.closed_at, a.closed_reason, a.due_at, a.actions_due_at, g.name, g.time_zone,
              g.notices_contact_email, g.escalation_contacts, g.fallback_contacts
         FROM acknowledgments a JOIN agencies g ON g.id = a.agency_id WHERE a.notice_id = $1 AND a.agency_id = $2`,
      [noticeId, agencyId],
    );
    if (!record) throw new NotFoundException('recipient not found');
    const rows: { id: string; channel: string; subscription_id: string | null; recipients: string[]; target_url: string | null; status: string; fallback: boolean; sequence: number; event_type: string; created_at: Date; last_error: string | null }[] =
      await this.db.query(
        `SELECT id, channel, subscription_id, recipients, target_url, status, fallback, sequence, event_type, created_at, last_error FROM deliveries
          WHERE acknowledgment_id = $1 ORDER BY created_at, id`,
        [record.id],
      );
    // The issuer sees where its messages went as the delivery views show it (tracking/delivery-redaction.ts).
    const deliveries = rows.map((d) =>
      seesFullTarget(p, { agencyId, channel: d.channel, subscriptionId: d.subscription_id })
        ? d
        : { ...d, recipients: d.recipients.map(maskAddress), target_url: d.target_url && originOf(d.target_url) },
    );
    const events: { at: Date; action: string; actor_type: string; actor_id: string | null; actor_name: string | null; after: any }[] = await this.db.query(
      `SELECT e.at, e.action, e.actor_type, e.actor_id, u.name AS actor_name, e.after
         FROM audit_events e LEFT JOIN users u ON e.actor_type = 'user' AND u.id::text = e.actor_id
        WHERE e.entity_type = 'acknowledgment' AND e.entity_id = $1 AND e.action = ANY($2::text[]) ORDER BY e.id`,
      [record.id, Object.keys(KIND_OF)],
    );
    const message = (d: (typeof deliveries)[number]) => ({
      deliveryId: d.id,
      channel: d.channel,
      to: d.channel === 'webhook' ? [d.target_url ?? ''] : d.recipients,
      status: d.status,
      fallback: d.fallback,
      // A skipped message's reason names no address, unlike other errors, so it is shown to all who see the timeline.
      skippedReason: d.status === 'skipped' ? d.last_error : null,
    });
    const entries: TimelineEntry[] = [];
    const sent = deliveries.filter((d) => d.sequence === 0 && d.event_type !== 'notice.cancelled');
    if (sent.length) entries.push({ at: sent[0].created_at.toISOString(), kind: 'sent', by: 'the dispatcher', messages: sent.map(message), note: null, detail: null });
    for (const e of events) {
      const kind = KIND_OF[e.action];
      const rung = typeof e.after?.stage === 'number' ? deliveries.filter((d) => d.sequence === e.after.stage && d.sequence !== 0) : [];
      entries.push({
        at: new Date(e.at).toISOString(),
        kind,
        by: e.actor_type === 'user' ? (e.actor_name ?? 'a person') : e.actor_type === 'system' ? 'the scheduler' : (e.actor_id ?? 'a recipient'),
        messages: rung.map(message),
        note: e.after?.note ?? null,
        detail: detailOf(kind, e.after, rung),
      });
    }
    const cancellations = deliveries.filter((d) => d.event_type === 'notice.cancelled');
    if (record.closed_at) {
      entries.push({ at: record.closed_at.toISOString(), kind: 'closed', by: 'the issuing agency', messages: cancellations.map(message), note: null, detail: `${record.status}: ${record.closed_reason ?? ''}`.trim() });
    }
    entries.sort((a, b) => a.at.localeCompare(b.at));
    const contacts: AgencyContacts = {
      noticesContact: record.notices_contact_email,
      escalationContacts: record.escalation_contacts,
      fallbackContacts: record.fallback_contacts,
    };
    return {
      noticeId,
      reference: notice.reference,
      agency: { id: agencyId, name: record.name, timeZone: record.time_zone, contacts },
      acknowledgmentId: record.id,
      status: record.status,
      dueAt: record.due_at?.toISOString() ?? null,
      actionsDueAt: record.actions_due_at?.toISOString() ?? null,
      entries,
    };
  }
}

function detailOf(kind: TimelineKind, after: any, rung: { recipients: string[] }[]): string | null {
  if (kind === 'escalated') return `escalated to ${rung.flatMap((d) => d.recipients).join(', ') || 'the next escalation contact'}`;
  if (kind === 'reminded' && after?.manual) return 'reminder sent on request';
  if (kind === 'reminded') return after?.stage === 1 ? 'reminder before the due time' : 'reminder at the due time';
  if (kind === 'resent') return 'notice sent again on request';
  if (kind === 'acknowledged') return `by ${after?.by ?? 'the agency'}${after?.late ? ', late' : ''}`;
  return null;
}
