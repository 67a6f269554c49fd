/**
 * Signed, expiring links to one attachment, for emails: `<attachment id>.<expiry, unix s>.<HMAC>`.
 * The MAC (HMAC-SHA256 under the acknowledgment secret, with its own context so neither kind of
 * token can stand for the other) covers the id and the expiry; it is compared in constant time
 * before the expiry is believed. A forged or malformed link reads as unknown (404); a genuine one
 * past its expiry as gone (410).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type AttachmentLinkFailure = 'malformed' | 'forged' | 'expired';

export class AttachmentLinkError extends Error {
  constructor(readonly reason: AttachmentLinkFailure) {
    super(`Attachment link ${reason}`);
    this.name = 'AttachmentLinkError';
  }
}

const MAC_CONTEXT = 'sne.attachment.v1.';
const MAC_BYTES = 32;
const LINK = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

export function signAttachmentLink(attachmentId: string, exp: number, secret: string): string {
  if (!LINK.test(`${attachmentId}.${exp}.${'A'.repeat(43)}`)) throw new TypeError('an attachment link needs a uuid and an integer expiry');
  return `${attachmentId}.${exp}.${mac(attachmentId, exp, secret).toString('base64url')}`;
}

/** The attachment id of a genuine, unexpired link; throws AttachmentLinkError otherwise. */
export function verifyAttachmentLink(token: string, secret: string, nowSec: number): string {
  const parts = typeof token === 'string' ? LINK.exec(token) : null;
  if (!parts) throw new AttachmentLinkError('malformed');
  const [, id, expText, sig] = parts;
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== MAC_BYTES || given.toString('base64url') !== sig) throw new AttachmentLinkError('malformed');
  const exp = Number(expText);
  if (!timingSafeEqual(given, mac(id, exp, secret))) throw new AttachmentLinkError('forged');
  if (nowSec >= exp) throw new AttachmentLinkError('expired');
  return id;
}

function mac(id: string, exp: number, secret: string): Buffer {
  return createHmac('sha256', secret).update(`${MAC_CONTEXT}${id}.${exp}`, 'utf8').digest();
}
