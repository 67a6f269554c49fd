/**
 * Stateless acknowledgment-link tokens: `base64url(JSON payload) + "." + base64url(HMAC-SHA256)`.
 * The MAC covers a version tag plus the encoded payload exactly as sent, and is checked before
 * the payload is parsed, so nothing an attacker wrote is interpreted until it is known to be ours.
 * Tokens and secrets never appear in error messages.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface AckTokenPayload {
  ackId: string;
  email: string;
  /** Expiry, unix seconds: the token is refused from this second on. */
  exp: number;
}

export type AckTokenFailure = 'malformed' | 'forged' | 'expired';

export class AckTokenError extends Error {
  constructor(readonly reason: AckTokenFailure) {
    super(`Acknowledgment token ${reason}`);
    this.name = 'AckTokenError';
  }
}

export const MAX_ACK_TOKEN_LENGTH = 2048;
const MIN_SECRET_LENGTH = 32;
const MAC_BYTES = 32;
// Domain separation: the same secret can never yield a valid token for another purpose or format version.
const MAC_CONTEXT = 'sne.ack.v1.';
const B64URL = /^[A-Za-z0-9_-]+$/;

export function signAckToken(payload: AckTokenPayload, secret: string): string {
  checkSecret(secret);
  if (!isPayload(payload)) throw new TypeError('ack token payload needs ackId, email and an integer exp');
  const body = Buffer.from(
    JSON.stringify({ ackId: payload.ackId, email: payload.email, exp: payload.exp }),
    'utf8',
  ).toString('base64url');
  const token = `${body}.${mac(body, secret).toString('base64url')}`;
  if (token.length > MAX_ACK_TOKEN_LENGTH) throw new TypeError('ack token payload too large');
  return token;
}

/** Returns the payload of a genuine, unexpired token; throws AckTokenError otherwise. */
export function verifyAckToken(token: string, secret: string, nowSec: number): AckTokenPayload {
  checkSecret(secret);
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_ACK_TOKEN_LENGTH) {
    throw new AckTokenError('malformed');
  }
  const parts = token.split('.');
  if (parts.length !== 2) throw new AckTokenError('malformed');
  const [body, sig] = parts;
  if (!B64URL.test(body) || !B64URL.test(sig)) throw new AckTokenError('malformed');
  const given = Buffer.from(sig, 'base64url');
  // Re-encoding must give back the same text: one token, one spelling (no malleable padding bits).
  if (given.length !== MAC_BYTES || given.toString('base64url') !== sig) throw new AckTokenError('malformed');

  if (!timingSafeEqual(given, mac(body, secret))) throw new AckTokenError('forged');

  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw new AckTokenError('malformed');
  }
  if (!isPayload(parsed)) throw new AckTokenError('malformed');
  if (nowSec >= parsed.exp) throw new AckTokenError('expired');
  return { ackId: parsed.ackId, email: parsed.email, exp: parsed.exp };
}

function mac(body: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(MAC_CONTEXT + body, 'utf8').digest();
}

function checkSecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new TypeError(`ack token secret must be at least ${MIN_SECRET_LENGTH} characters`);
  }
}

function isPayload(value: unknown): value is AckTokenPayload {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.ackId === 'string' &&
    v.ackId.length > 0 &&
    v.ackId.length <= 200 &&
    typeof v.email === 'string' &&
    v.email.length > 0 &&
    v.email.length <= 320 &&
    typeof v.exp === 'number' &&
    Number.isSafeInteger(v.exp) &&
    v.exp > 0
  );
}
