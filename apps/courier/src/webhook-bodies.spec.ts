import { MessageContext, noticeWebhookBody, PublishedContent } from '@sne/core';
import { WebhookBodies } from './webhook-bodies';

const notice = (over: Partial<PublishedContent> = {}): PublishedContent => ({
  id: '11111111-1111-4111-8111-111111111111',
  reference: 'NPCS-2026-0001',
  title: 'Unsafe infant loungers',
  summary: 'Stop using them',
  body: 'Body',
  bodyHtml: '<p>Body</p>',
  category: 'alert',
  severity: 'high',
  topics: ['safe-sleep'],
  requiredActions: ['Tell families'],
  targetJurisdictions: [],
  acknowledgeBy: null,
  effectiveAt: null,
  expiresAt: null,
  publishedAt: '2026-12-01T10:00:00.000Z',
  issuingAgency: { id: '22222222-2222-4222-8222-222222222222', name: 'State DCS' },
  enquiries: null,
  actionsDueBy: null,
  supersedes: null,
  material: true,
  changes: null,
  attachments: [],
  ...over,
});

const delivery = (over: Partial<MessageContext> = {}): MessageContext => ({
  event_type: 'notice.published',
  subscription_id: '33333333-3333-4333-8333-333333333333',
  acknowledgment_id: '44444444-4444-4444-8444-444444444444',
  due_at: new Date('2026-12-02T10:00:00.000Z'),
  ack_status: 'pending',
  cancel_reason: null,
  sequence: 0,
  agency_name: 'Franklin County',
  time_zone: 'America/Chicago',
  fallback: false,
  fallback_reason: null,
  ...over,
});

describe('WebhookBodies', () => {
  const links = (id: string) => `https://sne.example/attachments/${id}?t=${Math.random()}`;
  const expected = (d: MessageContext, n: PublishedContent) => JSON.stringify(noticeWebhookBody(d, n, 'https://sne.example', links));
  const bodyOf = (bodies: WebhookBodies, d: MessageContext, n: PublishedContent) => {
    let builds = 0;
    const body = bodies.body(d, n, () => {
      builds++;
      return noticeWebhookBody(d, n, 'https://sne.example', links);
    });
    return { body, builds };
  };

  it('builds a published notice’s body once per acknowledgment state, byte for byte what noticeWebhookBody makes', () => {
    const bodies = new WebhookBodies();
    const n = notice();
    const first = bodyOf(bodies, delivery(), n);
    const second = bodyOf(bodies, delivery({ subscription_id: '55555555-5555-4555-8555-555555555555', agency_name: 'Other County' }), n);
    expect(first).toEqual({ body: expected(delivery(), n), builds: 1 });
    expect(second).toEqual({ body: first.body, builds: 0 });
    for (const d of [delivery({ ack_status: 'acknowledged' }), delivery({ due_at: new Date('2026-12-03T10:00:00.000Z') }), delivery({ acknowledgment_id: null }), delivery({ event_type: 'notice.updated' })]) {
      const other = bodyOf(bodies, d, n);
      expect(other).toEqual({ body: expected(d, n), builds: 1 });
      expect(other.body).not.toBe(first.body);
    }
  });

  it('builds every other event, and any notice with attachments, for each delivery', () => {
    const bodies = new WebhookBodies();
    const withFile = notice({ attachments: [{ id: '66666666-6666-4666-8666-666666666666', fileName: 'a.pdf', contentType: 'application/pdf', byteSize: 10, sha256: 'x' } as never] });
    for (const [d, n] of [
      [delivery({ event_type: 'notice.cancelled', cancel_reason: 'withdrawn' }), notice()],
      [delivery({ event_type: 'notice.reminder' }), notice()],
      [delivery(), withFile],
    ] as const) {
      expect(bodyOf(bodies, d, n).builds).toBe(1);
      expect(bodyOf(bodies, d, n).builds).toBe(1);
    }
  });

  it('keeps notices apart', () => {
    const bodies = new WebhookBodies();
    const a = notice();
    const b = notice({ id: '77777777-7777-4777-8777-777777777777', title: 'Another' });
    expect(bodyOf(bodies, delivery(), a).body).toBe(expected(delivery(), a));
    expect(bodyOf(bodies, delivery(), b)).toEqual({ body: expected(delivery(), b), builds: 1 });
  });
});
