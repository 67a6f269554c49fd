/**
 * What a subscription can still owe at the moment it is deleted, written as the stack itself
 * leaves it: every kind of delivery a subscription carries, in every open state it can be in
 * then. The apps cannot be steered into each combination on cue (a test event `sending` at the
 * very moment of a DELETE, say), so the rows are written directly; the deletion, the courier and
 * the sweeper that then meet them are the real ones.
 */
import { DataSource } from 'typeorm';

/** Kinds of delivery a subscription carries, and whether each is a notice's message. */
export const SUBSCRIPTION_KINDS = {
  'notice.published': { notice: true },
  'notice.updated': { notice: true },
  'notice.cancelled': { notice: true },
  'notice.reminder': { notice: true },
  'subscription.test': { notice: false },
  // The email to the agency's administrators that its endpoint was disabled (a webhook subscription's).
  'subscription.disabled': { notice: false },
} as const;
export type Kind = keyof typeof SUBSCRIPTION_KINDS;

/** Never a subscription's: an escalation goes by email to the agency's escalation contacts. */
export const AGENCY_ONLY_KINDS = ['notice.escalation'] as const;

export type OpenState = 'pending' | 'retrying' | 'held' | 'sending';

/** How each open state looks in the row; none is due, so only the deletion (or its absence) moves it. */
const STATE_SQL: Record<OpenState, string> = {
  pending: `status = 'pending', next_attempt_at = now() + interval '1 hour'`,
  retrying: `status = 'retrying', attempt_count = 1, next_attempt_at = now() + interval '1 hour', last_error = 'HTTP 500'`,
  held: `status = 'held', attempt_count = 1, last_error = 'HTTP 500'`,
  // A courier (this one or another) in the middle of an attempt: its lease is live.
  sending: `status = 'sending', attempt_count = 1, lease_until = now() + interval '1 hour'`,
};

/** The states a kind can be in when a subscription in `subscriptionStatus` is deleted. */
export function statesFor(kind: Kind, subscriptionStatus: 'active' | 'paused' | 'disabled'): OpenState[] {
  // Only a notice's message is held; while held it is not sent, except one already being sent when the state changed.
  if (SUBSCRIPTION_KINDS[kind].notice && subscriptionStatus !== 'active') return ['held', 'sending'];
  return ['pending', 'retrying', 'sending'];
}

/** A published notice written straight to the database, on a topic no subscription matches (so nothing fans out). */
export async function insertNotice(db: DataSource, issuer: { id: string; userIds: Record<string, string | undefined> }, reference: string): Promise<string> {
  const [{ id }] = await db.query(
    `INSERT INTO notices (reference, issuing_agency_id, author_id, status, content_hash, title, summary, body_markdown, body_html,
                          category, severity, topics, target_jurisdictions, approved_by, approved_content_hash, published_at, fanned_out_at)
     VALUES ($1, $2, $3, 'published', 'h', $1, 'Summary', 'Body', '<p>Body</p>', 'advisory', 'high', ARRAY['nobody-subscribes'], '{}', $4, 'h', now(), now())
     RETURNING id`,
    [reference, issuer.id, issuer.userIds.author, issuer.userIds.approver],
  );
  return id;
}

export interface OwedRow {
  id: string;
  kind: Kind;
  state: OpenState;
  noticeId: string | null;
}

/** One delivery of `kind`, owed by the subscription, in `state`. */
export async function insertOwed(
  db: DataSource,
  sub: { id: string; agencyId: string; channel: 'webhook' | 'email'; webhookUrl: string | null; emailAddresses: string[] },
  kind: Kind,
  state: OpenState,
  noticeId: string | null,
  adminEmail: string,
): Promise<OwedRow> {
  const disabledEmail = kind === 'subscription.disabled';
  const channel = disabledEmail ? 'email' : sub.channel;
  const recipients = disabledEmail ? [adminEmail] : sub.channel === 'email' ? sub.emailAddresses : [];
  const [{ id }] = await db.query(
    `INSERT INTO deliveries (notice_id, subscription_id, agency_id, event_type, channel, recipients, target_url, sequence)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [noticeId, sub.id, sub.agencyId, kind, channel, recipients, channel === 'webhook' ? sub.webhookUrl : null, kind === 'notice.reminder' ? 1 : 0],
  );
  await db.query(`UPDATE deliveries SET ${STATE_SQL[state]} WHERE id = $1`, [id]);
  await db.query(
    `INSERT INTO audit_events (actor_type, actor_id, agency_id, action, entity_type, entity_id, after)
     VALUES ('system', 'test', $1, 'delivery.created', 'delivery', $2, jsonb_build_object('status', 'pending', 'eventType', $3::text))`,
    [sub.agencyId, id, kind],
  );
  return { id, kind, state, noticeId };
}

/** Every kind of delivery a row may hold, as the database's own check constraint lists them. */
export async function deliveryKindsInSchema(db: DataSource): Promise<string[]> {
  const [{ def }] = await db.query(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'deliveries_event_type_check'`);
  return [...(def as string).matchAll(/'([a-z_.]+)'/g)].map((m) => m[1]).sort();
}
