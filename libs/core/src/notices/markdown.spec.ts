import { markdownToText, renderMarkdown, sanitizeNoticeHtml } from './markdown';

/** Every start tag in the output, with its attributes, e.g. `<a href="…" rel="…">`. */
const tags = (html: string) => html.match(/<[a-z][^>]*>/gi) ?? [];
const hasEventHandler = (html: string) => tags(html).some((t) => /\son[a-z]+\s*=/i.test(t));
const hrefs = (html: string) => [...html.matchAll(/\shref="([^"]*)"/g)].map((m) => m[1]);

describe('renderMarkdown', () => {
  it('renders the allowed formatting', () => {
    const html = renderMarkdown(
      [
        '# Heading',
        '## Sub',
        'Some **bold** and *em* and `code` and ~~gone~~.',
        '',
        '- one',
        '- two',
        '',
        '3. three',
        '',
        '> quoted',
        '',
        '```',
        'block',
        '```',
        '',
        '---',
        '',
        '| a | b |',
        '|:--|--:|',
        '| 1 | 2 |',
      ].join('\n'),
    );
    for (const tag of ['<h1>', '<h2>', '<strong>', '<em>', '<code>', '<s>', '<ul>', '<li>', '<ol start="3">', '<blockquote>', '<pre>', '<hr />', '<table>', '<thead>', '<tbody>', '<tr>', '<td style="text-align:right">']) {
      expect(html).toContain(tag);
    }
  });

  it('keeps http, https and mailto links, with rel="noopener noreferrer"', () => {
    const html = renderMarkdown('[site](https://example.org/x?a=1&b=2) [plain](http://example.org) write to ops@agency.example or https://bare.example/path');
    expect(hrefs(html)).toEqual([
      'https://example.org/x?a=1&amp;b=2',
      'http://example.org',
      'mailto:ops@agency.example',
      'https://bare.example/path',
    ]);
    const anchors = tags(html).filter((t) => t.startsWith('<a '));
    expect(anchors).toHaveLength(4);
    for (const a of anchors) expect(a).toContain('rel="noopener noreferrer"');
  });

  it('never produces a <script> element', () => {
    const html = renderMarkdown('Hello <script>alert(1)</script>\n\n<script src="https://evil.example/x.js"></script>');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;'); // shown as text, inert
  });

  it('drops javascript:, data: and other non-allowed link schemes', () => {
    const html = renderMarkdown(
      [
        '[a](javascript:alert(1))',
        '[b](JaVaScRiPt:alert(1))',
        '[c](&#106;avascript:alert(1))',
        '<javascript:alert(1)>',
        '[d](data:text/html;base64,PHNjcmlwdD4=)',
        '[e](vbscript:msgbox)',
        '[f](//evil.example/protocol-relative)',
        '[g](file:///etc/passwd)',
      ].join('\n\n'),
    );
    for (const href of hrefs(html)) expect(href).toMatch(/^(https?:|mailto:)/);
  });

  it('never produces event-handler attributes or images', () => {
    const html = renderMarkdown('<img src=x onerror=alert(1)>\n\n![alt text](https://tracker.example/pixel.gif" onerror="alert(1))\n\n![logo](https://tracker.example/p.gif)');
    expect(hasEventHandler(html)).toBe(false);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('logo'); // the alt text stays
  });

  it('tolerates empty input', () => {
    expect(renderMarkdown('')).toBe('');
  });
});

describe('sanitizeNoticeHtml (the second layer, on raw HTML)', () => {
  it('removes scripts, handlers, styles, forms, iframes and bad schemes', () => {
    const html = sanitizeNoticeHtml(
      '<p onclick="x()">hi<script>alert(1)</script></p>' +
        '<img src="x" onerror="alert(1)">' +
        '<a href="javascript:alert(1)" onmouseover="x()">a</a>' +
        '<a href="https://ok.example" target="_blank" rel="opener">b</a>' +
        '<style>body{}</style><iframe src="https://evil.example"></iframe>' +
        '<form action="https://evil.example"><input name="q"></form>' +
        '<p style="position:fixed">styled</p><td style="text-align:center;color:red">c</td>',
    );
    expect(html).not.toMatch(/<(script|img|style|iframe|form|input)/i);
    expect(html).not.toContain('alert(1)');
    expect(hasEventHandler(html)).toBe(false);
    expect(html).not.toContain('javascript:');
    expect(html).not.toContain('target=');
    expect(html).not.toContain('position:fixed');
    expect(html).toContain('<a href="https://ok.example" rel="noopener noreferrer">b</a>');
    expect(html).toContain('<p>hi</p>');
  });
});

describe('markdownToText', () => {
  it('returns the markdown source trimmed, with normalised line ends', () => {
    expect(markdownToText('\n\n# Title\r\n\r\nBody **bold**\r\n  ')).toBe('# Title\n\nBody **bold**');
  });
});
