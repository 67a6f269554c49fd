import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SecretBox } from '@sne/core';
import { Principal } from '../common/principal';

/** How long a one-time secret waits for the page that shows it (the redirect after the POST). */
export const SLOT_TTL_MS = 5 * 60_000;

/**
 * Short-lived server-side slots for what a console page shows once: a new subscription's
 * signing secret, a rotated secret, a new API key. The POST that makes the secret puts it here
 * and answers with a redirect (post/redirect/get); the page it redirects to takes it, which
 * empties the slot. Reloading that page shows nothing new and repeats no action. A slot belongs
 * to one session (another session, even of the same person, cannot take it) and expires after
 * five minutes.
 *
 * Slots live in PostgreSQL (table `one_time_slots`), so the page finds its secret whichever API
 * replica serves it. At rest the owner is a SHA-256 of the session (or key) id and the value is
 * sealed with SecretBox: no plaintext secret, no session id. Taking is one DELETE … RETURNING,
 * so of two concurrent reloads exactly one gets the value.
 */
@Injectable()
export class OneTimeSlots {
  constructor(
    private readonly db: DataSource,
    private readonly box: SecretBox,
  ) {}

  async put(p: Principal, purpose: string, value: unknown): Promise<void> {
    // Expired slots nobody came back for are swept on the way.
    await this.db.query(`DELETE FROM one_time_slots WHERE expires_at <= now()`);
    await this.db.query(
      `INSERT INTO one_time_slots (owner, purpose, sealed, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4))
       ON CONFLICT (owner, purpose) DO UPDATE SET sealed = EXCLUDED.sealed, expires_at = EXCLUDED.expires_at`,
      [ownerOf(p), purpose, this.box.seal(JSON.stringify(value)), SLOT_TTL_MS / 1000],
    );
  }

  /** The value, once: the slot is emptied by reading it. Undefined when empty or expired. */
  async take<T>(p: Principal, purpose: string): Promise<T | undefined> {
    // TypeORM answers a DELETE … RETURNING with [rows, count].
    const [[slot]]: [{ sealed: string; live: boolean }[], number] = await this.db.query(
      `DELETE FROM one_time_slots WHERE owner = $1 AND purpose = $2 RETURNING sealed, expires_at > now() AS live`,
      [ownerOf(p), purpose],
    );
    return slot?.live ? (JSON.parse(this.box.open(slot.sealed)) as T) : undefined;
  }
}

function ownerOf(p: Principal): string {
  return createHash('sha256').update(p.sessionId ? `session:${p.sessionId}` : `key:${p.apiKeyId ?? p.userId}`).digest('hex');
}
