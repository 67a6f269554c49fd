import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TemplateRenderer } from '../templates/template.renderer';
import { NoticeEmailRenderer } from './notice-email-renderer';
import { AttachmentUrl, MessageContext, PublishedContent, renderEmail, renderNoticeEmail } from './notice-message';

const links: AttachmentUrl = (id) => `https://sne.example/attachments/${id}.signed`;

function content(overrides: Partial<PublishedContent> = {}): PublishedContent {
  return {
    id: 'a3c1e3d2-0000-4000-8000-000000000001',
    reference: 'NPCS-2026-0042',
    title: 'Missing child <Ava> & sibling',
    summary: 'Two children missing from placement; may be travelling north.',
    body: 'Seen at **Main St** station & bus depot.\n\nCall the duty desk.',
    bodyHtml: '<p>Seen at <strong>Main St</strong> station &amp; bus depot.</p>',
    category: 'alert',
    severity: 'critical',
    topics: ['missing-persons'],
    requiredActions: ['Check placements for contact'],
    targetJurisdictions: [],
    acknowledgeBy: '2026-03-06T16:00:00.000Z',
    effectiveAt: null,
    expiresAt: null,
    publishedAt: '2026-03-06T09:30:00.000Z',
    issuingAgency: { id: 'a1', name: 'Northern Province Child Services' },
    enquiries: null,
    actionsDueBy: null,
    supersedes: null,
    material: false,
    changes: null,
    attachments: [{ id: 'f1', name: 'map.pdf', mediaType: 'application/pdf', sizeBytes: 2048, sha256: 'ab'.repeat(32) }],
    ...overrides,
  };
}

function delivery(overrides: Partial<MessageContext> = {}): MessageContext {
  return {
    event_type: 'notice.published',
    subscription_id: 's1',
    acknowledgment_id: 'k1',
    due_at: new Date('2026-03-07T12:00:00Z'),
    ack_status: 'pending',
    cancel_reason: null,
    sequence: 0,
    agency_name: 'Southern Region CPS',
    time_zone: 'Europe/Berlin',
    fallback: false,
    fallback_reason: null,
    ...overrides,
  };
}

// Values with every character Handlebars escapes, so an escaped or unescaped fill that is wrong shows.
const recipients = [
  { to: 'duty@south.example', agency: 'Southern Region CPS', ack: 'https://sne.example/ack/eyJhIjoxfQ.sig-_x' },
  { to: "o'brien+notices@east.example", agency: 'East & <West> "Agency" `=\' Services', ack: 'https://sne.example/ack/tok?src=email&v=1' },
  { to: 'x@y.example', agency: 'Agency 3', ack: 'https://sne.example/ack/b' },
];

describe('NoticeEmailRenderer', () => {
  const templates = new TemplateRenderer();

  const cases: [string, Partial<MessageContext>, Partial<PublishedContent>][] = [
    ['a published notice', {}, {}],
    ['a cancellation (no acknowledgment link)', { event_type: 'notice.cancelled', cancel_reason: 'Found safe & well' }, {}],
    ['a fallback copy (names the agency inside a sentence)', { fallback: true, fallback_reason: 'subscription_paused' }, {}],
    ['a reminder with a note', { event_type: 'notice.reminder', note: 'Please <confirm>', requested_by_name: 'Ann', requested_by_agency: 'NPCS' }, {}],
    ['an escalation', { event_type: 'notice.escalation' }, {}],
    [
      'an update with changes',
      { event_type: 'notice.updated' },
      { supersedes: { id: 'o1', reference: 'NPCS-2026-0041' }, material: true, changes: [{ field: 'title', before: 'a', after: 'b' }] },
    ],
    ['a notice without acknowledgment', { acknowledgment_id: null }, { attachments: [] }],
  ];

  it.each(cases)('fills in exactly what a full render gives: %s', (_name, d, c) => {
    const renderer = new NoticeEmailRenderer(templates);
    const notice = content(c);
    for (const r of recipients) {
      const ackUrl = d.acknowledgment_id === null ? null : r.ack;
      const context = delivery({ ...d, agency_name: r.agency });
      expect(renderer.render(context, r.to, notice, ackUrl, links)).toEqual(renderNoticeEmail(templates, context, r.to, notice, ackUrl, links));
    }
  });

  it.each(['webhook_failed', 'subscription_disabled', 'subscription_paused', 'subscription_deleted'] as const)(
    'names an agency whose name ends in s without a possessive ("Services\'s"): fallback %s',
    (reason) => {
      const email = renderNoticeEmail(templates, delivery({ fallback: true, fallback_reason: reason, agency_name: 'Department of Human Services' }), 'desk@dhs.example', content(), 'https://sne.example/ack/a', links);
      for (const part of [email.text, email.html]) {
        expect(part).toContain('Department of Human Services');
        expect(part).not.toMatch(/Services['’]/);
        // A subscription is disabled after failures or at once by a 410 Gone: the note claims neither.
        expect(part).not.toContain('kept failing');
      }
    },
  );

  it('names the agency without a possessive in the disabled-subscription email', () => {
    const email = renderEmail(templates, 'subscription-disabled', {
      recipient: { email: 'desk@dhs.example', agencyName: 'Department of Human Services' },
      subscription: { id: 's1', name: 'Intake hook', url: 'https://hooks.dhs.example/sne', reason: 'repeated failures' },
    });
    for (const part of [email.text, email.html]) {
      expect(part).toContain('Department of Human Services');
      expect(part).not.toMatch(/Services['’]/);
    }
  });

  it('renders the templates once per group, then only fills in', () => {
    const renderer = new NoticeEmailRenderer(templates);
    const render = jest.spyOn(templates, 'render');
    const notice = content();
    try {
      for (const r of recipients) renderer.render(delivery({ agency_name: r.agency }), r.to, notice, r.ack, links);
      // Subject, HTML and text: once with markers, once for checking the first fill.
      expect(render).toHaveBeenCalledTimes(6);
      renderer.render(delivery({ time_zone: 'America/Chicago' }), 'a@b.example', notice, 'https://sne.example/ack/c', links);
      expect(render).toHaveBeenCalledTimes(12);
      renderer.render(delivery(), 'a@b.example', content(), 'https://sne.example/ack/c', links);
      expect(render).toHaveBeenCalledTimes(18);
    } finally {
      render.mockRestore();
    }
  });

  describe('with a template that uses a value in a way a marker cannot stand for', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'sne-templates-'));
      mkdirSync(join(dir, 'email'));
      writeFileSync(join(dir, 'email', 'notice.subject.hbs'), '{{notice.title}}');
      writeFileSync(join(dir, 'email', 'notice.html.hbs'), '<p>{{upper recipient.email}}</p>');
      writeFileSync(join(dir, 'email', 'notice.text.hbs'), 'For {{recipient.agencyName}}');
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('notices on the first fill and renders that group in full', () => {
      const custom = new TemplateRenderer(dir);
      const warn = jest.fn();
      const renderer = new NoticeEmailRenderer(custom, warn);
      const notice = content();
      for (const r of recipients) {
        const context = delivery({ agency_name: r.agency });
        expect(renderer.render(context, r.to, notice, r.ack, links)).toEqual(renderNoticeEmail(custom, context, r.to, notice, r.ack, links));
      }
      expect(warn).toHaveBeenCalledTimes(1);
      expect(renderer.render(delivery(), 'duty@south.example', notice, null, links).html).toBe('<p>DUTY@SOUTH.EXAMPLE</p>');
    });
  });
});
