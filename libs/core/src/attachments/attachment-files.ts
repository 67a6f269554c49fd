/**
 * What an attachment is, decided from its bytes: the magic numbers (magic-bytes.js), never the
 * file name's extension nor the content type the client claimed. And how it is served.
 */
import { createHash } from 'node:crypto';
import { filetypeinfo } from 'magic-bytes.js';

/** The types a browser shows inline as a picture; everything else is served as a download. */
export const INLINE_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
export const DEFAULT_ATTACHMENT_TYPES = ['application/pdf', ...INLINE_IMAGE_TYPES];

/** The media type the content itself announces, or null when its first bytes match nothing known. */
export function sniffMediaType(bytes: Uint8Array): string | null {
  const mime = filetypeinfo(bytes).find((t) => t.mime)?.mime;
  return mime ?? null;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * A file name safe to store and to put in a header: the last path segment, control and
 * separator characters replaced, at most 200 characters. Empty stays empty (refused by the caller).
 */
export function cleanFileName(raw: string): string {
  const last = raw.split(/[\\/]/).pop() ?? '';
  return last
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f"<>:|?*\u202a-\u202e\u2066-\u2069]/g, '_')
    .replace(/^\.+/, '')
    .trim()
    .slice(0, 200);
}

/** `Content-Disposition` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** The extensions each default type goes by; the first is the one a served name gets. */
const EXTENSIONS: Record<string, string[]> = {
  'application/pdf': ['pdf'],
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
};

/**
 * The name an attachment is served under: its own, with the extension of what it is when the
 * name says otherwise. A GIF named `notes.html` saves as `notes.html.gif`, so "Save as" never
 * gives a file its bytes' type does not match (a GIF/HTML polyglot would open as a page). Types
 * an operator adds (ATTACHMENT_TYPES) take their extensions from the bytes' signature; a type
 * with none known gets `.bin`.
 */
export function servedFileName(name: string, mediaType: string, bytes?: Uint8Array): string {
  const known = EXTENSIONS[mediaType] ?? (bytes ? filetypeinfo(bytes).filter((t) => t.mime === mediaType && t.extension).map((t) => t.extension!) : []);
  const ext = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase();
  return ext && known.includes(ext) ? name : `${name}.${known[0] ?? 'bin'}`;
}

/** The headers every attachment is served with, whoever asks: its sniffed type, no sniffing by the browser, nothing active. */
export function attachmentHeaders(a: { name: string; mediaType: string; sizeBytes: number; sha256: string }, bytes?: Uint8Array): Record<string, string> {
  return {
    'Content-Type': a.mediaType,
    'Content-Length': String(a.sizeBytes),
    'Content-Disposition': contentDisposition(INLINE_IMAGE_TYPES.includes(a.mediaType) ? 'inline' : 'attachment', servedFileName(a.name, a.mediaType, bytes)),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'private, no-store',
    ETag: `"${a.sha256}"`,
  };
}

/** A size as people read it: "340 KB", "2.5 MB". */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
