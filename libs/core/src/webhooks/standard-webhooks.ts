/**
 * Standard Webhooks (https://www.standardwebhooks.com) symmetric signing, version v1:
 * HMAC-SHA256 over `{msg_id}.{timestamp}.{payload}`, keyed with the base64-decoded
 * secret that follows the `whsec_` prefix. Secrets never appear in error messages.
 */
import { createHmac, randomBytes } from 'node:crypto';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';

// The spec asks for 24 to 64 random bytes.
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
// A `.` in the id would make `{id}.{ts}.{body}` ambiguous; whitespace/control chars would break the header.
const MSG_ID = /^[A-Za-z0-9_\-:]{1,256}$/;

export class WebhookSecretError extends Error {
  constructor(problem: string) {
    super(`Invalid webhook secret: ${problem}`);
    this.name = 'WebhookSecretError';
  }
}

/** A new signing secret: `whsec_` + base64 of 32 random bytes. */
export function generateWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(32).toString('base64');
}

/** True when `secret` is a well-formed `whsec_` secret of acceptable length. */
export function isValidWebhookSecret(secret: string): boolean {
  try {
    decodeSecret(secret);
    return true;
  } catch {
    return false;
  }
}

/** One `v1,<base64 signature>` for one secret. */
export function signWebhook(secret: string, msgId: string, timestampSec: number, body: string): string {
  const key = decodeSecret(secret);
  if (!MSG_ID.test(msgId)) throw new TypeError('webhook msgId must be 1-256 chars of [A-Za-z0-9_-:]');
  if (!Number.isSafeInteger(timestampSec) || timestampSec < 0) {
    throw new TypeError('webhook timestamp must be a non-negative integer number of seconds');
  }
  const mac = createHmac('sha256', key).update(`${msgId}.${timestampSec}.${body}`, 'utf8').digest('base64');
  return `v1,${mac}`;
}

/**
 * The `webhook-signature` header value: one signature per secret, space-separated, so a
 * receiver keeps verifying while a secret is being rotated (old and new both sign).
 */
export function signatureHeader(secrets: string[], msgId: string, timestampSec: number, body: string): string {
  if (secrets.length === 0) throw new WebhookSecretError('no secret to sign with');
  return secrets.map((s) => signWebhook(s, msgId, timestampSec, body)).join(' ');
}

function decodeSecret(secret: string): Buffer {
  if (typeof secret !== 'string' || !secret.startsWith(WEBHOOK_SECRET_PREFIX)) {
    throw new WebhookSecretError(`must start with ${WEBHOOK_SECRET_PREFIX}`);
  }
  const encoded = secret.slice(WEBHOOK_SECRET_PREFIX.length);
  // Buffer.from(…, 'base64') silently skips junk, so check the alphabet first.
  if (!BASE64.test(encoded)) throw new WebhookSecretError('is not base64');
  const key = Buffer.from(encoded, 'base64');
  if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
    throw new WebhookSecretError(`key must be ${MIN_KEY_BYTES}-${MAX_KEY_BYTES} bytes`);
  }
  return key;
}
