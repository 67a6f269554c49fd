import { HttpException, HttpStatus } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ACCOUNT_LOCKOUT_AFTER, audit, lockoutFor } from '@sne/core';

/**
 * Lockout after failed sign-ins, counted per email and client address: a stranger who knows
 * someone's email locks out their own address, not the person, who signs in from theirs. The
 * account itself locks only after ACCOUNT_LOCKOUT_AFTER failures in a row from any addresses.
 * An unknown email counts and locks like a known one, so the lock does not tell who has an
 * account. (Its counter is limiter bookkeeping like the per-IP rate limit, not audited: there
 * is no person to audit it for.)
 */

export interface SignInAccount {
  id: string;
  agency_id: string;
  failed_logins: number;
  locked_until: Date | null;
}

/** Counter rows this old, and no longer locking, are dropped when a failure is recorded. */
const FORGET_AFTER = `interval '1 day'`;

/** Refuses the attempt with 429 and when to come back, while this email is locked for this client or the account is locked. */
export async function refuseWhileLocked(db: DataSource, email: string, client: string, account: SignInAccount | undefined): Promise<void> {
  const [row] = await db.query(`SELECT locked_until FROM sign_in_failures WHERE email = lower($1) AND client = $2`, [email, client]);
  const until = Math.max(row?.locked_until?.getTime() ?? 0, account?.locked_until?.getTime() ?? 0);
  if (until <= Date.now()) return;
  const seconds = Math.ceil((until - Date.now()) / 1000);
  throw new HttpException(
    { statusCode: 429, error: 'Too Many Requests', message: `too many failed sign-ins: try again in ${seconds} s` },
    HttpStatus.TOO_MANY_REQUESTS,
    { cause: { retryAfter: seconds } },
  );
}

/** Counts one failure for the email and client (and the account, when there is one); audited for an account. */
export async function recordFailure(db: DataSource, email: string, client: string, account: SignInAccount | undefined): Promise<void> {
  await db.transaction(async (m) => {
    const failures = await countFailure(m, email, client);
    const lockMs = lockoutFor(failures);
    if (lockMs) await m.query(`UPDATE sign_in_failures SET locked_until = now() + make_interval(secs => $3::float / 1000) WHERE email = lower($1) AND client = $2`, [email, client, lockMs]);
    await m.query(`DELETE FROM sign_in_failures WHERE last_failed_at < now() - ${FORGET_AFTER} AND (locked_until IS NULL OR locked_until < now())`);
    if (!account) return;
    const [[{ failed_logins: accountFailures }]] = await m.query(
      `UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins`,
      [account.id],
    );
    const accountLockMs = lockoutFor(accountFailures, ACCOUNT_LOCKOUT_AFTER);
    if (accountLockMs) await m.query(`UPDATE users SET locked_until = now() + make_interval(secs => $2::float / 1000) WHERE id = $1`, [account.id, accountLockMs]);
    await audit(m, { type: 'user', id: account.id, agencyId: account.agency_id }, {
      action: lockMs || accountLockMs ? 'user.locked_out' : 'user.login_failed',
      entityType: 'user',
      entityId: account.id,
      after: { failures, accountFailures, ip: client, lockedForSeconds: lockMs / 1000, accountLockedForSeconds: accountLockMs / 1000 },
    });
  });
}

/** A successful sign-in from this client ends its count and the account's (other addresses keep theirs). */
export async function clearFailures(m: EntityManager, email: string, client: string, userId: string): Promise<void> {
  await m.query(`DELETE FROM sign_in_failures WHERE email = lower($1) AND client = $2`, [email, client]);
  await m.query(`UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1`, [userId]);
}

async function countFailure(m: EntityManager, email: string, client: string): Promise<number> {
  const [row] = await m.query(
    `INSERT INTO sign_in_failures (email, client, failures) VALUES (lower($1), $2, 1)
     ON CONFLICT (email, client) DO UPDATE SET failures = sign_in_failures.failures + 1, last_failed_at = now()
     RETURNING failures`,
    [email, client],
  );
  return row.failures;
}
