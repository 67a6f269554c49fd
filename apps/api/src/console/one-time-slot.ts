import { Injectable } from '@nestjs/common';
import { Principal } from '../common/principal';

/** How long a one-time secret waits for the page that shows it (the redirect after the POST). */
export const SLOT_TTL_MS = 5 * 60_000;
const MAX_SLOTS = 10_000;

/**
 * Short-lived server-side slots for what a console page shows once: a new subscription's
 * signing secret, a rotated secret, a new API key. The POST that makes the secret puts it here
 * and answers with a redirect (post/redirect/get); the page it redirects to takes it, which
 * empties the slot. Reloading that page shows nothing new and repeats no action. A slot belongs
 * to one session (another session, even of the same person, cannot take it), is kept in this
 * process's memory only (never in the database, a URL or a log), and expires after five minutes.
 */
@Injectable()
export class OneTimeSlots {
  private readonly slots = new Map<string, { value: unknown; expires: number }>();

  put(p: Principal, place: string, value: unknown, now = Date.now()): void {
    for (const [key, slot] of this.slots) if (slot.expires <= now) this.slots.delete(key);
    // A flood cannot grow memory without bound: the oldest slot goes first.
    if (this.slots.size >= MAX_SLOTS) this.slots.delete(this.slots.keys().next().value as string);
    this.slots.set(keyOf(p, place), { value, expires: now + SLOT_TTL_MS });
  }

  /** The value, once: the slot is emptied by reading it. Undefined when empty or expired. */
  take<T>(p: Principal, place: string, now = Date.now()): T | undefined {
    const key = keyOf(p, place);
    const slot = this.slots.get(key);
    this.slots.delete(key);
    return slot && slot.expires > now ? (slot.value as T) : undefined;
  }
}

function keyOf(p: Principal, place: string): string {
  return `${p.sessionId ?? `key:${p.apiKeyId ?? p.userId}`}\u0000${place}`;
}
