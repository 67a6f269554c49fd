import { HttpException, HttpStatus, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig, audit, hashPassword, Role, verifyPassword } from '@sne/core';
import { Principal } from '../common/principal';
import { clearFailures, recordFailure, refuseWhileLocked } from './sign-in-lockout';

export const SESSION_COOKIE = 'sne_session';

/** The session cookie: script cannot read it, other sites cannot send it, and only over https in production. */
export function sessionCookie(config: AppConfig, expires: Date) {
  return { httpOnly: true, sameSite: 'strict' as const, secure: config.env === 'production', path: '/', expires };
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface SessionPrincipal extends Principal {
  sessionId: string;
  csrfToken: string;
}

/**
 * Console sessions. The cookie carries a random token; only its hash is stored. Each session has
 * its own CSRF token, required on every state-changing request made with the cookie.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Email + password → a new session. Repeated failures lock that email for that client address with growing delays (sign-in-lockout.ts). */
  async login(email: string, password: string, ip: string): Promise<{ token: string; principal: SessionPrincipal; expiresAt: Date }> {
    const [user] = await this.db.query(
      `SELECT u.id, u.agency_id, u.roles, u.name, u.email, u.password_hash, u.failed_logins, u.locked_until, u.kind,
              u.disabled_at IS NOT NULL OR g.offboarded_at IS NOT NULL AS barred
         FROM users u JOIN agencies g ON g.id = u.agency_id WHERE lower(u.email) = lower($1)`,
      [email],
    );
    await refuseWhileLocked(this.db, email, ip, user);
    // A disabled person, or anyone of an offboarded agency, is refused like a wrong password (no hint to a guesser).
    const ok = await verifyPassword(password, user?.kind === 'person' && !user.barred ? user.password_hash : null);
    if (!ok) {
      await recordFailure(this.db, email, ip, user);
      throw new UnauthorizedException('email or password is wrong');
    }
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.sessionTtlMs);
    const sessionId = await this.db.transaction(async (m) => {
      await clearFailures(m, email, ip, user.id);
      const [row] = await m.query(
        `INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, $4) RETURNING id`,
        [hashToken(token), user.id, csrfToken, expiresAt],
      );
      await audit(m, { type: 'user', id: user.id, agencyId: user.agency_id }, { action: 'user.signed_in', entityType: 'session', entityId: row.id, after: { ip } });
      return row.id as string;
    });
    return {
      token,
      expiresAt,
      principal: { userId: user.id, agencyId: user.agency_id, roles: user.roles, name: user.name, email: user.email, apiKeyId: null, sessionId, csrfToken },
    };
  }

  /** The principal behind a session cookie, or undefined when the session is unknown, expired or revoked. */
  async resolve(token: string): Promise<SessionPrincipal | undefined> {
    const rows = await this.db.query(
      `WITH s AS (
         UPDATE sessions s SET last_seen_at = now() FROM users u JOIN agencies g ON g.id = u.agency_id
          WHERE s.token_hash = $1 AND u.id = s.user_id AND s.revoked_at IS NULL AND s.expires_at > now()
            AND u.disabled_at IS NULL AND g.offboarded_at IS NULL
          RETURNING s.id AS "sessionId", s.csrf_token AS "csrfToken", u.id AS "userId", u.agency_id AS "agencyId", u.roles, u.name, u.email)
       SELECT * FROM s`,
      [hashToken(token)],
    );
    return rows[0] ? { ...rows[0], apiKeyId: null } : undefined;
  }

  async logout(p: Principal & { sessionId?: string }): Promise<void> {
    if (!p.sessionId) return;
    await this.db.transaction(async (m) => {
      await m.query(`UPDATE sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [p.sessionId]);
      await audit(m, { type: 'user', id: p.userId, agencyId: p.agencyId }, { action: 'user.signed_out', entityType: 'session', entityId: p.sessionId! });
    });
  }

  /** Changing one's password ends every other session. */
  async changePassword(p: Principal & { sessionId?: string }, current: string, next: string): Promise<void> {
    const [user] = await this.db.query(`SELECT password_hash, kind FROM users WHERE id = $1`, [p.userId]);
    if (user.kind !== 'person') throw new HttpException('service accounts have no password', HttpStatus.CONFLICT);
    if (!(await verifyPassword(current, user.password_hash))) throw new UnauthorizedException('the current password is wrong');
    await this.setPassword(p, p.userId, next, p.sessionId);
  }

  async setPassword(actor: Principal, userId: string, password: string, keepSession?: string): Promise<void> {
    const hash = await hashPassword(password);
    await this.db.transaction((m) => writePassword(m, actor, userId, hash, keepSession));
  }
}

/** A new password hash ends every session of the user but `keepSession`; audited in the caller's transaction. */
export async function writePassword(m: EntityManager, actor: Principal, userId: string, hash: string, keepSession?: string): Promise<void> {
  const [{ agency_id: agencyId, email }] = returned<{ agency_id: string; email: string }>(
    await m.query(`UPDATE users SET password_hash = $2, failed_logins = 0, locked_until = NULL WHERE id = $1 RETURNING agency_id, email`, [userId, hash]),
  );
  // A new password ends every lock on the account, from every address.
  await m.query(`DELETE FROM sign_in_failures WHERE email = lower($1)`, [email]);
  await m.query(`UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL AND id IS DISTINCT FROM $2`, [userId, keepSession ?? null]);
  await audit(m, { type: 'user', id: actor.userId, agencyId: actor.agencyId }, { action: 'user.password_set', entityType: 'user', entityId: userId, agencyId });
}

/** Ends every open session of a user at once; returns how many there were. */
export async function endSessions(m: EntityManager, userIds: string[]): Promise<number> {
  return returned(await m.query(`UPDATE sessions SET revoked_at = now() WHERE user_id = ANY($1::uuid[]) AND revoked_at IS NULL RETURNING id`, [userIds])).length;
}

/** The rows of an UPDATE … RETURNING: TypeORM answers [rows, count] for those, plain rows for a SELECT. */
export function returned<T = Record<string, unknown>>(result: unknown): T[] {
  const r = result as unknown[];
  return (Array.isArray(r[0]) ? r[0] : r) as T[];
}

export type { Role };
