import { SecretBox } from '@sne/core';

/**
 * Signing secrets as the courier uses them, each opened once (AES-GCM, about 8 µs) rather than
 * for every delivery. Keyed by the stored value, so a rotated secret is a new entry; bounded, the
 * oldest forgotten first.
 */
export class OpenedSecrets {
  private readonly opened = new Map<string, string>();

  constructor(
    private readonly box: SecretBox,
    private readonly max = 4096,
  ) {}

  open(stored: string): string {
    let secret = this.opened.get(stored);
    if (secret === undefined) {
      secret = this.box.open(stored);
      if (this.opened.size >= this.max) this.opened.delete(this.opened.keys().next().value!);
      this.opened.set(stored, secret);
    }
    return secret;
  }
}
