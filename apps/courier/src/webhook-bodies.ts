import { MessageContext, PublishedContent } from '@sne/core';

/** Distinct acknowledgment states kept per notice; past it, bodies are built per delivery. */
const STATES_PER_NOTICE = 64;

/**
 * A notice's webhook body, serialised once and sent to every subscription it goes to. For
 * notice.published and notice.updated the body differs between deliveries only in the
 * acknowledgment's due time and status (its timestamp is the notice's publication). Other events
 * carry a time of sending or a reminder of their own, and attachment links are signed per send:
 * those are built for each delivery.
 */
export class WebhookBodies {
  private readonly byNotice = new WeakMap<PublishedContent, Map<string, string>>();

  body(d: MessageContext, notice: PublishedContent | undefined, build: () => object): string {
    if (!notice || (d.event_type !== 'notice.published' && d.event_type !== 'notice.updated') || notice.attachments.length > 0) {
      return JSON.stringify(build());
    }
    const key = `${d.event_type} ${d.acknowledgment_id ? 'ack' : '-'} ${d.due_at?.toISOString() ?? '-'} ${d.ack_status ?? '-'}`;
    let bodies = this.byNotice.get(notice);
    if (!bodies) this.byNotice.set(notice, (bodies = new Map()));
    let body = bodies.get(key);
    if (body === undefined) {
      body = JSON.stringify(build());
      if (bodies.size < STATES_PER_NOTICE) bodies.set(key, body);
    }
    return body;
  }
}
