import { maskAddress } from '@sne/core';

/**
 * Where a delivery went is the recipient agency's own business: a webhook URL's path and query
 * often carry its credentials (chat hooks, `?token=`), and its subscriptions' addresses are its
 * people. Everyone else who may see the delivery (the notice's issuer, a partnership admin)
 * gets what they need to tell deliveries apart and read a failure: the webhook's origin, as
 * the pre-approval review shows it, and each subscription address's domain. Email to the
 * agency's contacts (mandatory, fallback, reminders and escalation: no subscription) stays
 * whole, since the supervisor view and the timeline give the issuer those contacts to chase.
 */
export function seesFullTarget(viewer: { agencyId: string }, d: { agencyId: string; channel: string; subscriptionId: string | null }): boolean {
  return viewer.agencyId === d.agencyId || (d.channel === 'email' && d.subscriptionId === null);
}

/** scheme://host[:port], never the path, query or credentials; '' when it cannot be read. */
export function originOf(url: string | null | undefined): string {
  if (!url) return '';
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s"'<>]+/gi;
const ADDRESS_IN_TEXT = /[^\s"'<>():;,@]+@([A-Za-z0-9.-]+)/g;

/** An error or SMTP reply as another agency may read it: URLs cut to their origin, addresses to their domain. */
export function maskText(text: string | null): string | null {
  if (!text) return text;
  return text.replace(URL_IN_TEXT, (u) => originOf(u) || '[url]').replace(ADDRESS_IN_TEXT, (_m, domain: string) => `***@${domain}`);
}

export interface AttemptView {
  recipient: string | null;
  smtpResponse: string | null;
  error: string | null;
}

/** One delivery's target, attempts and last error, masked unless the caller may see them whole. */
export function maskDelivery<
  T extends { agencyId: string; channel: string; subscriptionId: string | null; target: string | string[]; lastError: string | null; attempts: AttemptView[] },
>(viewer: { agencyId: string }, d: T): T {
  if (seesFullTarget(viewer, d)) return d;
  const webhook = d.channel === 'webhook';
  const mask = (value: string | null) => (value === null ? null : webhook ? originOf(value) : maskAddress(value));
  return {
    ...d,
    target: Array.isArray(d.target) ? d.target.map(maskAddress) : d.target && originOf(d.target),
    lastError: maskText(d.lastError),
    attempts: d.attempts.map((a) => ({ ...a, recipient: mask(a.recipient), smtpResponse: maskText(a.smtpResponse), error: maskText(a.error) })),
  };
}
