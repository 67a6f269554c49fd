import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const PREFIX = 'enc:v1:';

/**
 * Webhook signing secrets at rest: AES-256-GCM under SECRETS_KEY. A stored value reads
 * `enc:v1:<iv>:<tag>:<ciphertext>` (base64). Values written before encryption (plain `whsec_…`)
 * still read, and are encrypted again when the secret is rotated.
 */
export class SecretBox {
  /** `previousKey`: during a key rotation, values sealed under the old key still open. */
  constructor(
    private readonly key: Buffer,
    private readonly previousKey?: Buffer,
  ) {
    if (key.length !== 32 || (previousKey && previousKey.length !== 32)) throw new Error('SecretBox needs 32-byte keys');
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${PREFIX}${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${ct.toString('base64')}`;
  }

  open(stored: string): string {
    if (!stored.startsWith(PREFIX)) return stored;
    try {
      return openWith(this.key, stored);
    } catch (err) {
      if (!this.previousKey) throw err;
      return openWith(this.previousKey, stored);
    }
  }

  /** True when the value is sealed under the current key (nothing to re-seal). */
  isCurrent(stored: string): boolean {
    if (!stored.startsWith(PREFIX)) return false;
    try {
      openWith(this.key, stored);
      return true;
    } catch {
      return false;
    }
  }
}

function openWith(key: Buffer, stored: string): string {
  const [iv, tag, ct] = stored.slice(PREFIX.length).split(':').map((p) => Buffer.from(p, 'base64'));
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
}
