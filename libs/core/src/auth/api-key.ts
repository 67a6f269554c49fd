import { createHash, randomBytes } from 'node:crypto';

/** Keys look like `sne_<prefix>_<secret>`; only the SHA-256 of the whole key is stored. */
const KEY_SHAPE = /^sne_([a-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const prefix = randomBytes(6).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 8);
  const key = `sne_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

/** A high-entropy random key needs no slow hash: SHA-256 cannot be brute-forced at 256 bits. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function looksLikeApiKey(key: string): boolean {
  return KEY_SHAPE.test(key);
}
