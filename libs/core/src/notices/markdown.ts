/**
 * Notice bodies are written in Markdown and shown in email clients and the web UI.
 * Two layers: markdown-it never passes raw HTML through (html: false), and sanitize-html
 * then keeps only a small allowlist, in case a renderer option or plugin ever changes.
 */
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });
// Remote images are tracking beacons in mail and break offline reading: show their alt text instead.
markdown.renderer.rules.image = (tokens, idx, options, env, self) =>
  markdown.utils.escapeHtml(self.renderInlineAsText(tokens[idx].children ?? [], options, env));

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
    'p', 'br', 'hr', 'blockquote', 'pre', 'code',
    'ul', 'ol', 'li',
    'strong', 'em', 's', 'a',
    'table', 'thead', 'tbody', 'tr', 'th', 'td',
  ],
  allowedAttributes: { a: ['href', 'rel'], ol: ['start'], th: ['style'], td: ['style'] },
  // Only table column alignment survives of inline styles.
  allowedStyles: { th: { 'text-align': [/^(left|right|center)$/] }, td: { 'text-align': [/^(left|right|center)$/] } },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Links open outside the mail client / app without handing over window.opener or the referrer.
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer' } }),
  },
};

/** Markdown → HTML that is safe to insert unescaped (`{{{bodyHtml}}}`). */
export function renderMarkdown(md: string): string {
  return sanitizeNoticeHtml(markdown.render(md ?? ''));
}

/** The allowlist on its own: anything not in it is dropped (script/style contents included). */
export function sanitizeNoticeHtml(html: string): string {
  return sanitizeHtml(html, SANITIZE_OPTIONS);
}

/** Plain-text part of the email: Markdown already reads as text, so keep the source, tidied. */
export function markdownToText(md: string): string {
  return (md ?? '').replace(/\r\n?/g, '\n').trim();
}
