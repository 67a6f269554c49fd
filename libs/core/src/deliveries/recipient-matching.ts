import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';

/** Which agencies a notice targets (over `g`, an agency, and `n`, the notice). */
const TARGETED = `g.offboarded_at IS NULL AND g.id <> n.issuing_agency_id
       AND (cardinality(n.target_jurisdictions) = 0
            OR g.jurisdiction_code = ANY(n.target_jurisdictions) OR g.jurisdiction_type = ANY(n.target_jurisdictions))`;

/**
 * RECIPIENT_MATCHING, optionally for one page of the targeted agencies: those with
 * `after < id <= upto`, where `after` and `upto` name the statement's parameters (e.g. '$5').
 * A page holds every subscription of its agencies, so per-agency rules (one acknowledgment, a
 * paused subscription's fallback, the mandatory email) see the whole agency.
 */
export function recipientMatching(page?: { after: string; upto: string }): string {
  const range = page ? `AND g.id > ${page.after}::uuid AND g.id <= ${page.upto}::uuid` : '';
  // A page reads its own agencies' subscriptions by index, agency by agency (OFFSET 0 keeps the
  // planner from folding it back into a join), rather than scanning and hashing every subscription
  // for each page. Bounding the subscriptions by the page's range as well did the same at 10,000,
  // but the planner took the two ranges as independent, expected a handful of rows, and chose
  // nested loops over the CTEs that made the 100,000 run slower.
  const subscriptions = page
    ? `targeted t CROSS JOIN LATERAL (SELECT * FROM subscriptions s0 WHERE s0.agency_id = t.id OFFSET 0) s`
    : `subscriptions s JOIN targeted t ON t.id = s.agency_id`;
  return `
  n AS MATERIALIZED (SELECT * FROM notices WHERE id = $1),
  targeted AS MATERIALIZED (
    SELECT g.* FROM agencies g, n
     WHERE ${TARGETED} ${range}),
  matched AS MATERIALIZED (
    SELECT s.* FROM ${subscriptions}, n
     WHERE s.status <> 'deleted'
       AND sne_severity_rank(n.severity) <= sne_severity_rank(s.min_severity)
       AND EXISTS (SELECT 1 FROM unnest(s.topic_patterns) p, unnest(n.topics) k WHERE sne_topic_matches(p, k)))`;
}

/**
 * The agencies a notice reaches and the subscriptions it matches, as CTEs over $1 = notice id.
 * Targeting: no target jurisdictions = every member; otherwise agencies whose jurisdiction code
 * or type is listed. An offboarded agency is no longer a member: it is sent nothing. The issuing
 * agency is not a recipient of its own notice (it owes no acknowledgment for it).
 *
 * The one copy of the rule: the dispatcher's fan-out inserts from these CTEs, and the approver's
 * recipient preview (listRecipients) reads from them, so what the approver sees is what goes out.
 */
export const RECIPIENT_MATCHING = recipientMatching();

/**
 * The next page of at most `size` targeted agencies after `after`: its last id, and whether it is
 * the last page (fewer than `size` agencies), or null when none is left. Pages go in id order, so a
 * fan-out can commit and send one page while it writes the next; knowing the last page saves the
 * query that would find nothing after it (most notices fit in one page).
 */
export async function nextTargetedPage(m: EntityManager, noticeId: string, after: string, size: number): Promise<{ upto: string; last: boolean } | null> {
  const [row] = await m.query(
    `WITH n AS (SELECT * FROM notices WHERE id = $1)
     SELECT id::text AS upto, count(*) OVER ()::int AS agencies
       FROM (SELECT g.id FROM agencies g, n WHERE ${TARGETED} AND g.id > $2::uuid ORDER BY g.id LIMIT $3) p
      ORDER BY id DESC LIMIT 1`,
    [noticeId, after, size],
  );
  return row?.upto ? { upto: row.upto, last: row.agencies < size } : null;
}

/** Why an agency is on the list: a matching subscription, the mandatory email of a critical notice, or it had the notice this one updates. */
export type RecipientBasis = 'subscribed' | 'mandatory' | 'had-original';

export interface RecipientChannel {
  channel: 'email' | 'webhook';
  /** Null for the mandatory email to the agency's notices contact. */
  subscriptionId: string | null;
  subscriptionName: string | null;
  /** active, paused or disabled; 'contact' for the mandatory email; 'fallback' for the email a held subscription's agency gets instead. */
  status: 'active' | 'paused' | 'disabled' | 'contact' | 'fallback';
  /** Held until the subscription is resumed (its fallback contacts hear meanwhile). */
  held: boolean;
  /** Email addresses (a subscription's by their domain only: `***@example.org`), or the webhook's origin (never its path or secret). */
  target: string[];
}

export interface Recipient {
  agencyId: string;
  agencyName: string;
  jurisdictionCode: string;
  basis: RecipientBasis;
  channels: RecipientChannel[];
}

export interface RecipientList {
  count: number;
  /** SHA-256 over the sorted list (agency, basis, channel, subscription, status): changes whenever the list does. */
  digest: string;
  recipients: Recipient[];
}

interface Row {
  agency_id: string;
  agency_name: string;
  jurisdiction_code: string;
  basis: RecipientBasis;
  channel: 'email' | 'webhook';
  subscription_id: string | null;
  subscription_name: string | null;
  status: RecipientChannel['status'];
  email_addresses: string[] | null;
  webhook_url: string | null;
}

/**
 * Who a notice will reach if it is published now, by the fan-out's own rules: every matching
 * subscription of a targeted agency (paused or disabled ones flagged as held), the mandatory
 * email to the notices contact of a targeted agency with no matching subscription when the
 * notice is critical, the fallback email of an agency whose subscription is held, and, for an update, every agency that had the original through the
 * subscriptions that carried it (or its notices contact when none is left).
 */
export async function listRecipients(m: EntityManager, noticeId: string): Promise<RecipientList> {
  const rows: Row[] = await m.query(
    `WITH ${RECIPIENT_MATCHING},
     original AS (
       SELECT a.agency_id FROM acknowledgments a, n WHERE a.notice_id = n.supersedes_id),
     carried AS (
       SELECT DISTINCT s.id, s.agency_id FROM deliveries od JOIN subscriptions s ON s.id = od.subscription_id AND s.status <> 'deleted', n
        WHERE od.notice_id = n.supersedes_id AND od.sequence = 0 AND od.event_type IN ('notice.published','notice.updated')),
     carrying AS (
       SELECT s.*, 'subscribed' AS basis FROM matched s WHERE s.agency_id NOT IN (SELECT agency_id FROM original)
       UNION ALL
       SELECT s.*, 'had-original' FROM carried c JOIN subscriptions s ON s.id = c.id WHERE c.agency_id IN (SELECT agency_id FROM original)),
     lines AS (
       SELECT c.agency_id, c.basis, c.channel, c.id AS subscription_id, c.name AS subscription_name, c.status, c.email_addresses, c.webhook_url
         FROM carrying c
       UNION ALL
       -- createFallbacks: a held subscription's agency hears by email at its fallback contacts (its
       -- notices contact if none), always for a disabled one, for a paused one when nothing else carries it.
       SELECT DISTINCT ON (c.agency_id) c.agency_id, c.basis, 'email', NULL, NULL, 'fallback',
              CASE WHEN cardinality(g.fallback_contacts) > 0 THEN g.fallback_contacts ELSE ARRAY[g.notices_contact_email] END, NULL
         FROM carrying c JOIN agencies g ON g.id = c.agency_id
        WHERE c.status = 'disabled' OR (c.status = 'paused' AND NOT EXISTS (SELECT 1 FROM carrying o WHERE o.agency_id = c.agency_id AND o.status = 'active'))
       UNION ALL
       -- The mandatory email of a critical notice; the fan-out creates the fallbacks first, which take
       -- its slot, so it goes only to an agency with no matching subscription at all.
       SELECT t.id, 'mandatory', 'email', NULL, NULL, 'contact', ARRAY[t.notices_contact_email], NULL
         FROM targeted t, n
        WHERE n.severity = 'critical' AND NOT EXISTS (SELECT 1 FROM matched s WHERE s.agency_id = t.id)
          AND t.id NOT IN (SELECT agency_id FROM original)
       UNION ALL
       SELECT g.id, 'had-original', 'email', NULL, NULL, 'contact', ARRAY[g.notices_contact_email], NULL
         FROM original o JOIN agencies g ON g.id = o.agency_id
        WHERE NOT EXISTS (SELECT 1 FROM carried c WHERE c.agency_id = o.agency_id))
     SELECT l.agency_id, g.name AS agency_name, g.jurisdiction_code, l.basis, l.channel, l.subscription_id, l.subscription_name,
            l.status, l.email_addresses, l.webhook_url
       FROM lines l JOIN agencies g ON g.id = l.agency_id
      ORDER BY g.name, g.id, l.channel, l.subscription_name NULLS LAST, l.subscription_id`,
    [noticeId],
  );
  const byAgency = new Map<string, Recipient>();
  for (const r of rows) {
    let agency = byAgency.get(r.agency_id);
    if (!agency) {
      agency = { agencyId: r.agency_id, agencyName: r.agency_name, jurisdictionCode: r.jurisdiction_code, basis: r.basis, channels: [] };
      byAgency.set(r.agency_id, agency);
    }
    if (r.basis === 'mandatory') agency.basis = 'mandatory';
    agency.channels.push({
      channel: r.channel,
      subscriptionId: r.subscription_id,
      subscriptionName: r.subscription_name,
      status: r.status,
      held: r.status === 'paused' || r.status === 'disabled',
      target: r.channel === 'webhook' ? [originOf(r.webhook_url)] : (r.email_addresses ?? []),
    });
  }
  const recipients = [...byAgency.values()];
  // The digest is over the whole addresses (a changed address still changes it); the issuer reads
  // a subscription's addresses by their domain only, as the delivery views show them.
  const digest = recipientsDigest(recipients);
  for (const r of recipients) {
    for (const c of r.channels) if (c.channel === 'email' && c.subscriptionId) c.target = c.target.map(maskAddress);
  }
  return { count: recipients.length, digest, recipients };
}

/** `desk@tribe.example` → `***@tribe.example`: another agency's subscription address, as its issuer sees it. */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '***' : `***${address.slice(at)}`;
}

export function recipientsDigest(recipients: Recipient[]): string {
  const lines = recipients
    .flatMap((r) => r.channels.map((c) => [r.agencyId, r.basis, c.channel, c.subscriptionId ?? '-', c.status, c.target.join(',')].join('|')))
    .sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

function originOf(url: string | null): string {
  if (!url) return '';
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}
