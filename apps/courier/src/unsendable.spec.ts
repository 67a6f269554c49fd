import type { ClaimedDelivery } from './delivery.repository';
import { whyUnsendable } from './unsendable';

/** A claimed webhook delivery of a notice through an active subscription that can be sent, changed by `over`. */
function claimed(over: Partial<ClaimedDelivery>): ClaimedDelivery {
  return {
    id: 'd1',
    notice_id: 'n1',
    subscription_id: 's1',
    subscription_status: 'active',
    channel: 'webhook',
    event_type: 'notice.published',
    target_url: 'https://hooks.example/in',
    signing_secret: 'sealed',
    retired_secrets: [],
    recipients: [],
    delivered_recipients: [],
    ...over,
  } as ClaimedDelivery;
}

describe('whyUnsendable', () => {
  it('lets a delivery that can be signed and addressed go', () => {
    expect(whyUnsendable(claimed({}))).toBeUndefined();
    expect(whyUnsendable(claimed({ signing_secret: null, retired_secrets: ['sealed-old'] }))).toBeUndefined();
    expect(whyUnsendable(claimed({ channel: 'email', target_url: null, signing_secret: null, recipients: ['desk@agency.test'] }))).toBeUndefined();
    // A test event goes to a paused or disabled subscription's endpoint: the agency asked for it.
    for (const status of ['paused', 'disabled'] as const) {
      expect(whyUnsendable(claimed({ notice_id: null, event_type: 'subscription.test', subscription_status: status }))).toBeUndefined();
    }
    // The agency's contacts (no subscription).
    expect(whyUnsendable(claimed({ subscription_id: null, subscription_status: null, channel: 'email', recipients: ['x@agency.test'] }))).toBeUndefined();
  });

  it('ends every kind of message of a deleted subscription, or of one whose row is gone, as the deletion does', () => {
    for (const event_type of ['notice.published', 'notice.reminder', 'subscription.test', 'subscription.disabled']) {
      const notice_id = event_type.startsWith('notice.') ? 'n1' : null;
      expect(whyUnsendable(claimed({ event_type, notice_id, subscription_status: 'deleted', signing_secret: null }))).toEqual({ end: 'deleted' });
      expect(whyUnsendable(claimed({ event_type, notice_id, subscription_status: null }))).toEqual({ end: 'deleted' });
    }
  });

  it('holds a notice’s message while its subscription is paused or disabled', () => {
    expect(whyUnsendable(claimed({ subscription_status: 'paused' }))).toEqual({ end: 'held', reason: 'subscription paused' });
    expect(whyUnsendable(claimed({ subscription_status: 'disabled' }))).toEqual({ end: 'held', reason: 'subscription disabled' });
  });

  it('fails a webhook with nothing to sign with or no URL, and an email with no address', () => {
    expect(whyUnsendable(claimed({ signing_secret: null }))).toEqual({ end: 'failed', reason: 'not sent: no signing secret to sign it with' });
    for (const target_url of [null, '', 'not a url', 'ftp://hooks.example/in']) {
      expect(whyUnsendable(claimed({ target_url }))).toEqual({ end: 'failed', reason: 'not sent: no webhook URL to send to' });
    }
    for (const recipients of [[], [''], [null as unknown as string]]) {
      expect(whyUnsendable(claimed({ channel: 'email', subscription_id: null, subscription_status: null, recipients }))).toEqual({
        end: 'failed',
        reason: 'not sent: no email address to send to',
      });
    }
  });
});
