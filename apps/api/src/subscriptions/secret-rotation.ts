import { HttpException, HttpStatus } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** How long a secret rotated out keeps signing: each its own 24 hours from its rotation. */
export const RETIRED_SECRET_HOURS = 24;
/**
 * Most secrets rotated out that sign at once (so at most 4 signatures a webhook, the current
 * one's included). A further rotation is refused (429) until the oldest expires, never by
 * dropping one early: a receiver on any secret issued within the window keeps verifying.
 */
export const MAX_RETIRED_SECRETS = 3;

export interface Retirement {
  /** When the secret just rotated out stops signing. */
  retiredSecretExpiresAt: Date;
  /** Secrets that sign from now on, the new one included. */
  signingSecrets: number;
  /** Secrets whose 24 hours were over, removed now (they had stopped signing already). */
  expiredRemoved: number;
}

/**
 * Retires the subscription's current secret (it keeps signing for 24 h) and stores the sealed
 * new one. The caller holds the subscription's row lock, so two rotations cannot both pass the
 * bound. Secrets never leave this function: the result holds counts and times only.
 */
export async function retireAndReplace(m: EntityManager, subscriptionId: string, sealedNewSecret: string): Promise<Retirement> {
  const [, expiredRemoved]: [unknown, number] = await m.query(`DELETE FROM subscription_retired_secrets WHERE subscription_id = $1 AND expires_at <= now()`, [
    subscriptionId,
  ]);
  const [live]: { n: number; oldest: Date | null }[] = await m.query(
    `SELECT count(*)::int AS n, min(expires_at) AS oldest FROM subscription_retired_secrets WHERE subscription_id = $1`,
    [subscriptionId],
  );
  if (live.n >= MAX_RETIRED_SECRETS) throw tooManySecrets(live.oldest!);
  const [retired]: { expires_at: Date }[] = await m.query(
    `INSERT INTO subscription_retired_secrets (subscription_id, signing_secret, expires_at)
     SELECT id, signing_secret, now() + make_interval(hours => $2) FROM subscriptions WHERE id = $1
     RETURNING expires_at`,
    [subscriptionId, RETIRED_SECRET_HOURS],
  );
  await m.query(`UPDATE subscriptions SET signing_secret = $2, updated_at = now() WHERE id = $1`, [subscriptionId, sealedNewSecret]);
  return { retiredSecretExpiresAt: retired.expires_at, signingSecrets: live.n + 2, expiredRemoved };
}

/** Refused, not trimmed: which secret would stop signing early is the receiver's business, not ours to guess. */
function tooManySecrets(oldest: Date): HttpException {
  const seconds = Math.max(1, Math.ceil((oldest.getTime() - Date.now()) / 1000));
  return new HttpException(
    {
      statusCode: 429,
      message:
        `${MAX_RETIRED_SECRETS} secrets rotated out in the last ${RETIRED_SECRET_HOURS} hours still sign alongside the current one, the most there may be: ` +
        `the oldest stops signing at ${oldest.toISOString()}; rotate again after then (in ${Math.ceil(seconds / 60)} minutes)`,
      retryAfterSeconds: seconds,
    },
    HttpStatus.TOO_MANY_REQUESTS,
    { cause: { retryAfter: seconds } },
  );
}
