import { UnauthorizedException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { hashApiKey, looksLikeApiKey, Role } from '@sne/core';
import { SESSION_COOKIE, SessionsService } from '../auth/sessions.service';
import { AuthorizationRule, ruleFor } from './authorization.table';
import { Principal } from './principal';

/** What of a request carries its credentials. */
export interface CredentialRequest {
  headers: Record<string, unknown>;
  cookies?: Record<string, string>;
}

/**
 * The caller behind a request's credentials: `Authorization: Bearer <API key>` when the header is
 * there, else the console's session cookie. 401 when they are missing or no longer valid. One
 * indexed lookup (the key's or the session token's hash). ApiKeyGuard uses it for every request,
 * and an open live feed again while it streams, so both apply the same conditions.
 */
export async function principalOf(db: DataSource, sessions: SessionsService, req: CredentialRequest): Promise<Principal> {
  return req.headers.authorization !== undefined ? byKey(db, req.headers.authorization) : bySession(sessions, req);
}

/** True when the principal holds one of the rule's roles ('any': every authenticated caller). */
export function permits(rule: AuthorizationRule, p: Principal): boolean {
  return rule.roles === 'public' || rule.roles === 'any' || rule.roles.some((r) => p.roles.includes(r));
}

/**
 * The roles a call still needs because of whom it acts on (the table's `othersNeed`): none when
 * the caller acts on itself or holds one of them. Decided from the id in the address alone, so a
 * refusal never depends on whether that user exists.
 */
export function rolesStillNeeded(rule: AuthorizationRule, p: Principal, userId: unknown): Role[] {
  if (!rule.othersNeed) return [];
  const onSelf = typeof userId === 'string' && userId.toLowerCase() === p.userId.toLowerCase();
  return onSelf || rule.othersNeed.some((r) => p.roles.includes(r)) ? [] : rule.othersNeed;
}

/**
 * For a request that outlives its authorization (a live feed): are its credentials still good,
 * for the same user and agency, with every role they had when it was authorized (a feed's filter
 * was chosen from those roles), and does the route's table row still let them in? Invalid
 * credentials answer false; a database failure throws.
 */
export async function stillAuthorized(
  db: DataSource,
  sessions: SessionsService,
  req: CredentialRequest & { method: string; route?: { path?: unknown } },
  opened: Principal,
): Promise<boolean> {
  let now: Principal;
  try {
    now = await principalOf(db, sessions, req);
  } catch (err) {
    if (err instanceof UnauthorizedException) return false;
    throw err;
  }
  const rule = typeof req.route?.path === 'string' ? ruleFor(req.method, req.route.path) : undefined;
  return (
    rule !== undefined &&
    permits(rule, now) &&
    now.userId === opened.userId &&
    now.agencyId === opened.agencyId &&
    opened.roles.every((r) => now.roles.includes(r))
  );
}

/** The key an `Authorization: Bearer <key>` header carries, as it is looked up (the rate limits count it the same way). */
export const keyOf = (header: string): string => (header.startsWith('Bearer ') ? header.slice(7).trim() : header);

async function byKey(db: DataSource, header: unknown): Promise<Principal> {
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) {
    throw new UnauthorizedException('an API key is required: Authorization: Bearer <key>');
  }
  const key = keyOf(header);
  if (!looksLikeApiKey(key)) throw new UnauthorizedException('the API key is not valid');
  const rows: Principal[] = await db.query(
    // Wrapped in a CTE: TypeORM returns [rows, count] for a bare UPDATE, plain rows for a SELECT.
    // A key carries its own roles, never more than its owner still has. A disabled user's keys,
    // and the keys of an offboarded agency, stop working at once.
    `WITH k AS (UPDATE api_keys k SET last_used_at = now()
       FROM users u JOIN agencies g ON g.id = u.agency_id
      WHERE k.key_hash = $1 AND u.id = k.user_id
        AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now()) AND u.disabled_at IS NULL AND g.offboarded_at IS NULL
      RETURNING u.id AS "userId", u.agency_id AS "agencyId",
                ARRAY(SELECT unnest(k.roles) INTERSECT SELECT unnest(u.roles)) AS roles,
                u.name, u.email, k.id AS "apiKeyId")
     SELECT * FROM k`,
    [hashApiKey(key)],
  );
  if (rows.length === 0) throw new UnauthorizedException('the API key is not valid');
  return rows[0];
}

async function bySession(sessions: SessionsService, req: CredentialRequest): Promise<Principal> {
  const token = req.cookies?.[SESSION_COOKIE];
  if (!token) throw new UnauthorizedException('sign in, or send an API key: Authorization: Bearer <key>');
  const principal = await sessions.resolve(token);
  if (!principal) throw new UnauthorizedException('the session has expired: sign in again');
  return principal;
}
