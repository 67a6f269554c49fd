/**
 * What a recipient receives: the webhook payload and the notice email, built here once so the
 * courier's deliveries and the approver's preview (before publication) are the same thing.
 */
import type { FallbackReason } from '../database/entities/delivery.entity';
import { formatDate, TemplateRenderer } from '../templates/template.renderer';
import { formatFileSize } from '../attachments/attachment-files';
import { signAttachmentLink } from '../attachments/attachment-link';

/** A file that went through the approval with the notice. */
export interface NoticeAttachmentRef {
  id: string;
  name: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
}

/** The attachments of a notice, in their order (the order the content hash takes them in): $1 = notice id. */
export const NOTICE_ATTACHMENTS_SQL = `SELECT id, name, media_type AS "mediaType", size_bytes::int AS "sizeBytes", sha256
  FROM notice_attachments WHERE notice_id = $1 ORDER BY created_at, id`;

/** A link per attachment that opens it without signing in, until it expires. */
export type AttachmentUrl = (attachmentId: string) => string;

/** Signed, expiring attachment links: the same for the courier's messages and the approver's preview. */
export function attachmentUrls(publicUrl: string, secret: string, ttlSeconds: number, now = Date.now()): AttachmentUrl {
  const exp = Math.floor(now / 1000) + ttlSeconds;
  return (id) => `${publicUrl}/attachments/${signAttachmentLink(id, exp, secret)}`;
}

function linked(attachments: NoticeAttachmentRef[], url: AttachmentUrl) {
  return attachments.map(({ id, ...a }) => ({ ...a, url: url(id) }));
}

export interface PublishedContent {
  id: string;
  reference: string;
  title: string;
  summary: string;
  body: string;
  bodyHtml: string;
  category: string;
  severity: string;
  topics: string[];
  requiredActions: string[];
  targetJurisdictions: string[];
  acknowledgeBy: string | null;
  effectiveAt: string | null;
  expiresAt: string | null;
  publishedAt: string;
  issuingAgency: { id: string; name: string };
  /** Whom recipients ask about the notice (additive: null on notices from before it existed). */
  enquiries: { name: string; role: string | null; email: string; phone: string | null } | null;
  actionsDueBy: string | null;
  /** Set on an update: the notice it supersedes. */
  supersedes: { id: string; reference: string } | null;
  material: boolean;
  changes: { field: string; before: string; after: string; lines?: string[] }[] | null;
  /** The files that went through the approval with the notice, in order. */
  attachments: NoticeAttachmentRef[];
}

/** The part of a delivery the message depends on (the courier's claimed delivery has all of it). */
export interface MessageContext {
  event_type: string;
  subscription_id: string | null;
  acknowledgment_id: string | null;
  due_at: Date | null;
  ack_status: string | null;
  cancel_reason: string | null;
  sequence: number;
  agency_name: string;
  time_zone: string;
  fallback: boolean;
  fallback_reason: FallbackReason | null;
  /** A reminder or resend a person asked for: their note and name (the courier's claim joins them). */
  note?: string | null;
  requested_by_name?: string | null;
  requested_by_agency?: string | null;
  actions_due_at?: Date | null;
}

/** The first line of a fallback email: why it came to this person rather than to the agency's subscription. (No possessive of the agency's name: "Services's".) */
const FALLBACK_NOTES: Record<FallbackReason, (agency: string) => string> = {
  webhook_failed: (a) => `The webhook endpoint of ${a} did not accept this notice on any attempt, so it is sent to you by email instead.`,
  subscription_disabled: (a) =>
    `The subscription of ${a} for this notice is disabled (its endpoint failed or refused the notices; its page in the console says why), so this notice is sent to you by email. ` +
    'It is held for the subscription and will be delivered there too once the subscription is repaired and resumed.',
  subscription_paused: (a) =>
    `The subscription of ${a} for this notice is paused, so this notice is sent to you by email. ` +
    'It is held for the subscription and will be delivered there too when the subscription is resumed.',
  subscription_deleted: (a) => `The subscription of ${a} for this notice was deleted before the notice reached it, so it is sent to you by email instead.`,
};

/** The Standard Webhooks payload: `{ type, timestamp, data: { notice, acknowledgment } }`. */
export function noticeWebhookBody(d: MessageContext, notice: PublishedContent | undefined, publicUrl: string, attachmentUrl: AttachmentUrl) {
  if (!notice) {
    return {
      type: d.event_type,
      timestamp: new Date().toISOString(),
      data: { subscriptionId: d.subscription_id, message: 'Test event from Safety Notice Exchange: your endpoint is reachable.' },
    };
  }
  const { changes, supersedes, material, attachments, ...content } = notice;
  return {
    type: d.event_type,
    timestamp: d.event_type === 'notice.published' || d.event_type === 'notice.updated' ? notice.publishedAt : new Date().toISOString(),
    data: {
      notice: { ...content, url: `${publicUrl}/api/v1/notices/${notice.id}`, attachments: linked(attachments, attachmentUrl) },
      acknowledgment: d.acknowledgment_id
        ? { url: `${publicUrl}/api/v1/notices/${notice.id}/acknowledgments`, dueAt: d.due_at?.toISOString() ?? null, status: d.ack_status }
        : null,
      ...(supersedes ? { supersedes, material, changes } : {}),
      ...(d.event_type === 'notice.cancelled' ? { cancellation: { reason: d.cancel_reason } } : {}),
      ...(d.event_type === 'notice.reminder' ? { reminder: reminderOf(d) } : {}),
    },
  };
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export function renderEmail(templates: TemplateRenderer, name: string, data: object): RenderedEmail {
  return {
    subject: templates.render(`email/${name}.subject`, data),
    html: templates.render(`email/${name}.html`, data),
    text: templates.render(`email/${name}.text`, data),
  };
}

/** The notice email to one address; `ackUrl` is that address's own acknowledgment link (none for a cancellation). */
export function renderNoticeEmail(
  templates: TemplateRenderer,
  d: MessageContext,
  to: string,
  notice: PublishedContent,
  ackUrl: string | null,
  attachmentUrl: AttachmentUrl,
): RenderedEmail {
  return renderEmail(templates, 'notice', noticeEmailData(d, to, notice, ackUrl, attachmentUrl));
}

/** What the notice email templates read, for one address. */
export function noticeEmailData(d: MessageContext, to: string, notice: PublishedContent, ackUrl: string | null, attachmentUrl: AttachmentUrl) {
  return {
    event: eventBanner(d, notice),
    notice: {
      ...notice,
      bodyText: notice.body,
      issuingAgencyName: notice.issuingAgency.name,
      acknowledgeBy: d.due_at?.toISOString() ?? notice.acknowledgeBy ?? undefined,
    },
    recipient: { email: to, agencyName: d.agency_name, timeZone: d.time_zone },
    attachments: linked(notice.attachments, attachmentUrl).map((a) => ({ ...a, size: formatFileSize(a.sizeBytes) })),
    ackUrl: ackUrl && d.event_type !== 'notice.cancelled' ? ackUrl : undefined,
    eventType: d.event_type,
    fallback: d.fallback ? FALLBACK_NOTES[d.fallback_reason ?? 'webhook_failed'](d.agency_name) : undefined,
  };
}

/** The line above the notice that says why this message came. */
function eventBanner(d: MessageContext, notice: PublishedContent) {
  const due = d.due_at ? formatDate(d.due_at.toISOString(), d.time_zone) : 'soon';
  switch (d.event_type) {
    case 'notice.updated':
      return {
        banner: `UPDATED: this notice replaces ${notice.supersedes?.reference ?? 'an earlier notice'}.`,
        detail: notice.material
          ? 'The change is material: your agency must acknowledge this update, even if it acknowledged the original.'
          : 'The change is not material: an acknowledgment already given for the original still stands.',
        changes: notice.changes ?? [],
      };
    case 'notice.cancelled':
      return { banner: 'CANCELLED: this notice has been withdrawn. No further action is needed.', detail: d.cancel_reason, changes: [] };
    case 'notice.reminder':
      return { ...reminderBanner(d, notice, due), changes: [] };
    case 'notice.escalation':
      return {
        banner: `ESCALATION: ${d.agency_name} has not acknowledged this notice, due ${due}.`,
        detail: 'You are listed as an escalation contact for your agency. Please make sure it is acknowledged.',
        changes: [],
      };
    default:
      return { banner: undefined, detail: undefined, changes: [] };
  }
}

/** A notices row (with `agency_name` and `supersedes_reference` joined) as the content recipients see. */
export function publishedContentOf(r: Record<string, any>, attachments: NoticeAttachmentRef[] = []): PublishedContent {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    id: r.id,
    reference: r.reference,
    title: r.title,
    summary: r.summary,
    body: r.body_markdown,
    bodyHtml: r.body_html,
    category: r.category,
    severity: r.severity,
    topics: r.topics,
    requiredActions: r.required_actions,
    targetJurisdictions: r.target_jurisdictions,
    acknowledgeBy: iso(r.acknowledge_by),
    effectiveAt: iso(r.effective_at),
    expiresAt: iso(r.expires_at),
    publishedAt: iso(r.published_at)!,
    issuingAgency: { id: r.issuing_agency_id, name: r.agency_name },
    enquiries: r.enquiries ?? null,
    actionsDueBy: iso(r.actions_due_by),
    supersedes: r.supersedes_id ? { id: r.supersedes_id, reference: r.supersedes_reference } : null,
    material: r.material,
    changes: r.changes,
    attachments,
  };
}

/** The query publishedContentOf reads: $1 = notice id. */
export const NOTICE_CONTENT_SQL = `SELECT n.*, g.name AS agency_name, o.reference AS supersedes_reference
  FROM notices n JOIN agencies g ON g.id = n.issuing_agency_id LEFT JOIN notices o ON o.id = n.supersedes_id
 WHERE n.id = $1`;

/** A scheduled reminder names its rung; one a person asked for (negative sequence) carries their note instead. */
function reminderOf(d: MessageContext) {
  if (d.sequence >= 0) return { stage: d.sequence };
  return { stage: null, manual: true, note: d.note ?? null, requestedBy: d.requested_by_name ? { name: d.requested_by_name, agency: d.requested_by_agency } : null };
}

/** What a reminder says depends on what the agency still owes: its acknowledgment, its actions, or nothing (a resend). */
function reminderBanner(d: MessageContext, notice: PublishedContent, due: string) {
  const detail = d.note ? `Note from ${d.requested_by_name ?? 'the issuing agency'} (${d.requested_by_agency ?? notice.issuingAgency.name}): ${d.note}` : undefined;
  if (d.ack_status === 'pending') return { banner: `REMINDER: ${d.agency_name} has not acknowledged this notice yet. It is due ${due}.`, detail };
  if (d.ack_status === 'acknowledged' && notice.category === 'alert') {
    const actionsDue = d.actions_due_at ? formatDate(d.actions_due_at.toISOString(), d.time_zone) : 'soon';
    return { banner: `REMINDER: ${d.agency_name} has acknowledged this notice but has not yet reported on its required actions, due ${actionsDue}.`, detail };
  }
  return { banner: `SENT AGAIN: ${notice.issuingAgency.name} sends this notice to ${d.agency_name} again.`, detail };
}
