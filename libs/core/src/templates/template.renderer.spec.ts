import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findTemplatesDir, formatDate, TemplateRenderer } from './template.renderer';

const REPO_TEMPLATES = resolve(__dirname, '../../../../templates');

function noticeData(overrides: { notice?: object; eventType?: string; event?: object } = {}) {
  return {
    event: { banner: undefined, detail: undefined, changes: [], ...overrides.event },
    fallback: false,
    notice: {
      reference: 'NPCS-2026-0042',
      title: 'Missing child <Ava> & sibling',
      summary: 'Two children missing from placement; may be travelling north.',
      bodyHtml: '<p>Seen at <strong>Main St</strong> station.</p>',
      bodyText: 'Seen at **Main St** station & bus depot.',
      category: 'alert',
      severity: 'critical',
      topics: ['missing-persons', 'region.north'],
      issuingAgencyName: 'Northern Province Child Services',
      requiredActions: ['Check placements for contact', 'Report sightings to <duty desk>'],
      acknowledgeBy: '2026-03-06T16:00:00Z',
      publishedAt: '2026-03-06T09:30:00Z',
      ...overrides.notice,
    },
    recipient: { email: 'duty@south.example', agencyName: 'Southern Region CPS', timeZone: 'Europe/Berlin' },
    ackUrl: 'https://sne.example/ack/eyJhY2tJZCI6IjEifQ.sig-_x?src=email&v=1',
    eventType: overrides.eventType ?? 'notice.published',
  };
}

describe('TemplateRenderer with the repository templates', () => {
  const renderer = new TemplateRenderer();

  it('finds the repository templates directory by default', () => {
    expect(renderer.root).toBe(REPO_TEMPLATES);
    expect(renderer.names()).toEqual(
      expect.arrayContaining([
        'email/notice.html',
        'email/notice.text',
        'email/notice.subject',
        'email/subscription-test.html',
        'email/subscription-test.text',
        'email/subscription-test.subject',
      ]),
    );
    expect(renderer.names().some((n) => n.startsWith('partials/'))).toBe(false);
  });

  it('renders the subject on one line', () => {
    expect(renderer.render('email/notice.subject', noticeData())).toBe(
      '[CRITICAL ALERT] NPCS-2026-0042: Missing child <Ava> & sibling',
    );
    const folded = renderer.render('email/notice.subject', noticeData({ notice: { title: 'Line one\r\nBcc: x@evil.example' } }));
    expect(folded).toBe('[CRITICAL ALERT] NPCS-2026-0042: Line one Bcc: x@evil.example');
    expect(renderer.render('email/notice.subject', noticeData({ eventType: 'subscription.test' }))).toMatch(/^\[TEST\] \[CRITICAL ALERT\]/);
  });

  describe('notice HTML', () => {
    const html = renderer.render('email/notice.html', noticeData());

    it('escapes data but inserts the sanitised body as HTML', () => {
      expect(html).toContain('Missing child &lt;Ava&gt; &amp; sibling');
      expect(html).not.toContain('<Ava>');
      expect(html).toContain('<p>Seen at <strong>Main St</strong> station.</p>');
      expect(html).toContain('Report sightings to &lt;duty desk&gt;');
    });

    it('shows the severity banner, summary, agency and topics', () => {
      expect(html).toContain('CRITICAL ALERT');
      expect(html).toContain('background-color:#9b1c1c');
      expect(html).toContain('Issued by Northern Province Child Services');
      expect(html).toContain('Two children missing from placement');
      expect(html).toContain('Topics: missing-persons, region.north');
    });

    it('lists the required actions', () => {
      expect(html.match(/<li\b/g)).toHaveLength(2);
      expect(html).toContain('Check placements for contact');
    });

    it('shows the due time in the recipient time zone', () => {
      expect(html).toContain('Acknowledge by Friday, 6 March 2026 at 17:00 CET (Europe/Berlin)');
    });

    it('links to the acknowledgment URL and says opening is not acknowledging', () => {
      const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => decodeEntities(m[1]));
      expect(hrefs).toEqual([noticeData().ackUrl, noticeData().ackUrl]);
      expect(html).toMatch(/>Acknowledge this notice<\/a>/);
      expect(html).toContain('does not count as acknowledgment');
      expect(html).not.toContain('does not ask');
    });

    it('is a complete document', () => {
      expect(html).toMatch(/^<!DOCTYPE html>/);
      expect(html).toContain('<html lang="en">');
      expect(html.trim()).toMatch(/<\/html>$/);
      expect(html).toContain('<title>Missing child &lt;Ava&gt; &amp; sibling</title>');
    });

    it('leaves out the due line and the actions section when there are none', () => {
      const bare = renderer.render('email/notice.html', noticeData({ notice: { acknowledgeBy: undefined, requiredActions: [], topics: [] } }));
      expect(bare).not.toContain('Acknowledge by');
      expect(bare).not.toContain('Required actions');
      expect(bare).not.toContain('Topics:');
      expect(bare).toContain('Acknowledge this notice');
    });

    it('marks a test delivery', () => {
      expect(html).not.toContain('TEST DELIVERY');
      expect(renderer.render('email/notice.html', noticeData({ eventType: 'subscription.test' }))).toContain('TEST DELIVERY');
      const updated = renderer.render(
        'email/notice.text',
        noticeData({ eventType: 'notice.updated', event: { banner: 'UPDATED: replaces NPCS-2026-0041.', changes: [{ field: 'Severity', before: 'high', after: 'critical' }] } }),
      );
      expect(updated).toContain('UPDATED: replaces NPCS-2026-0041.');
      expect(updated).toContain('- Severity: "high" -> "critical"');
      expect(renderer.render('email/notice.subject', noticeData({ eventType: 'notice.cancelled' }))).toMatch(/^\[CANCELLED\] /);
    });
  });

  describe('notice text', () => {
    const text = renderer.render('email/notice.text', noticeData());

    it('carries the same content, unescaped', () => {
      expect(text).toContain('CRITICAL ALERT - issued by Northern Province Child Services');
      expect(text).toContain('Missing child <Ava> & sibling');
      expect(text).toContain('Seen at **Main St** station & bus depot.');
      expect(text).toContain('ACKNOWLEDGE BY Friday, 6 March 2026 at 17:00 CET (Europe/Berlin)');
      expect(text).toContain('- Report sightings to <duty desk>');
      expect(text).toContain(`Acknowledge this notice:\n${noticeData().ackUrl}\n`);
      expect(text).not.toContain('does not ask');
      expect(text).toContain('does not count as acknowledgment');
      // Every way a record is acknowledged, not only this link (a key or the console counts too).
      expect(text).toContain("only when someone confirms it: through the link above (or the link sent to a colleague), in the console, or with the agency's API key.");
      expect(text).not.toMatch(/&amp;|&lt;|&#x3D;/);
    });
  });

  it('refuses to render a notice with a missing field (strict mode)', () => {
    const data = noticeData();
    const { title: _dropped, ...noTitle } = data.notice;
    expect(() => renderer.render('email/notice.html', { ...data, notice: noTitle })).toThrow(/^Template email\/notice\.html: .*title/);
    const { recipient: _gone, ...noRecipient } = data;
    expect(() => renderer.render('email/notice.text', noRecipient)).toThrow(/^Template email\/notice\.text: /);
  });

  it('says no acknowledgment is asked for when there is no ackUrl', () => {
    const { ackUrl: _none, ...data } = noticeData();
    for (const out of [renderer.render('email/notice.html', data), renderer.render('email/notice.text', data)]) {
      expect(out).toContain('This notice does not ask Southern Region CPS for an acknowledgment.');
      expect(out).not.toMatch(/acknowledge this notice/i);
      // Nor a date to acknowledge by (a cancellation's email said both, the audit found).
      expect(out).not.toMatch(/acknowledge by/i);
      expect(out).not.toContain('href=');
    }
    const undefinedUrl = renderer.render('email/notice.html', { ...data, ackUrl: undefined });
    expect(undefinedUrl).not.toContain('href=');
  });

  it('renders the subscription test message without an acknowledgment link', () => {
    const data = { recipient: noticeData().recipient, sentAt: '2026-07-01T12:00:00Z' };
    const html = renderer.render('email/subscription-test.html', data);
    const text = renderer.render('email/subscription-test.text', data);
    const subject = renderer.render('email/subscription-test.subject', data);
    expect(subject).toBe('[TEST] Safety Notice Exchange: email delivery to Southern Region CPS works');
    for (const out of [html, text]) {
      expect(out).toContain('Southern Region CPS');
      expect(out).toContain('duty@south.example');
      expect(out).toContain('nothing to acknowledge');
      expect(out).toContain('Wednesday, 1 July 2026 at 14:00 CEST (Europe/Berlin)');
      expect(out).not.toMatch(/acknowledge this notice/i);
    }
    expect(html).not.toContain('href=');
  });

  it('throws for an unknown template', () => {
    expect(() => renderer.render('email/nope.html', {})).toThrow('Unknown template "email/nope.html"');
  });
});

describe('findTemplatesDir', () => {
  it('works from the sources and from the compiled output', () => {
    expect(findTemplatesDir(__dirname)).toBe(REPO_TEMPLATES);
    const root = resolve(REPO_TEMPLATES, '..');
    expect(findTemplatesDir(join(root, 'dist/libs/core/src/templates'))).toBe(REPO_TEMPLATES);
  });

  it('fails clearly when there is none', () => {
    expect(() => findTemplatesDir(tmpdir())).toThrow(/No templates\/email directory/);
  });
});

describe('TemplateRenderer with its own directory', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sne-templates-'));
    mkdirSync(join(dir, 'email/nested'), { recursive: true });
    mkdirSync(join(dir, 'partials'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loads nested templates, partials and helpers', () => {
    writeFileSync(join(dir, 'partials/greet.hbs'), '<b>Hi {{name}}</b>');
    writeFileSync(
      join(dir, 'email/nested/x.html.hbs'),
      '{{> greet}}|{{upper name}}|{{#if (eq kind "a")}}A{{else}}not A{{/if}}|{{formatDate when "America/New_York"}}|{{formatDate when}}',
    );
    const r = new TemplateRenderer(dir);
    expect(r.names()).toEqual(['email/nested/x.html']);
    expect(r.render('email/nested/x.html', { name: 'o<k', kind: 'a', when: '2026-07-06T16:00:00Z' })).toBe(
      '<b>Hi o&lt;k</b>|O&lt;K|A|Monday, 6 July 2026 at 12:00 GMT-4 (America/New_York)|Monday, 6 July 2026 at 16:00 UTC',
    );
    expect(r.render('email/nested/x.html', { name: 'z', kind: 'b', when: '2026-07-06T16:00:00Z' })).toContain('|not A|');
  });

  it('reads templates once: later file changes are not picked up', () => {
    writeFileSync(join(dir, 'email/a.text.hbs'), 'one {{v}}');
    const r = new TemplateRenderer(dir);
    writeFileSync(join(dir, 'email/a.text.hbs'), 'two {{v}}');
    expect(r.render('email/a.text', { v: '&' })).toBe('one &');
  });

  it('fails at construction on a syntax error, naming the file', () => {
    writeFileSync(join(dir, 'email/broken.html.hbs'), '{{#if x}}unclosed');
    expect(() => new TemplateRenderer(dir)).toThrow(/email\/broken\.html\.hbs: Parse error/);
  });
});

describe('formatDate', () => {
  it('falls back to UTC for an unknown zone and returns unparseable input as is', () => {
    expect(formatDate('2026-07-06T16:00:00Z', 'Mars/Olympus_Mons')).toBe('Monday, 6 July 2026 at 16:00 UTC');
    expect(formatDate('not a date', 'UTC')).toBe('not a date');
    expect(formatDate(undefined)).toBe('');
    expect(formatDate(new Date('2026-01-01T00:00:00Z'), 'Australia/Adelaide')).toBe(
      'Thursday, 1 January 2026 at 10:30 GMT+10:30 (Australia/Adelaide)',
    );
  });
});

function decodeEntities(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_m, h) => String.fromCharCode(parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}
