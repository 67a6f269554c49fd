import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { hashApiKey, looksLikeApiKey, Role } from '@sne/core';
import { SESSION_COOKIE, SessionsService } from '../auth/sessions.service';
import { Principal, PUBLIC_KEY, ROLES_KEY } from './principal';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Who is calling: `Authorization: Bearer <API key>`, or the console's session cookie. A cookie
 * alone never changes state: unsafe methods also need the session's CSRF token (header
 * `x-csrf-token` or form field `_csrf`). Then @Roles is enforced.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly db: DataSource,
    private readonly sessions: SessionsService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest();
    const principal = req.headers.authorization !== undefined ? await this.byKey(req.headers.authorization) : await this.bySession(req);
    req.principal = principal;
    const roles = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets);
    if (roles && !roles.some((r) => principal.roles.includes(r))) {
      throw new ForbiddenException(`this action needs one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }

  private async byKey(header: unknown): Promise<Principal> {
    if (typeof header !== 'string' || !header.startsWith('Bearer ')) {
      throw new UnauthorizedException('an API key is required: Authorization: Bearer <key>');
    }
    const key = header.slice(7).trim();
    if (!looksLikeApiKey(key)) throw new UnauthorizedException('the API key is not valid');
    const rows: Principal[] = await this.db.query(
      // Wrapped in a CTE: TypeORM returns [rows, count] for a bare UPDATE, plain rows for a SELECT.
      // A key carries its own roles, never more than its owner's.
      `WITH k AS (UPDATE api_keys k SET last_used_at = now()
         FROM users u
        WHERE k.key_hash = $1 AND u.id = k.user_id
          AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now()) AND u.disabled_at IS NULL
        RETURNING u.id AS "userId", u.agency_id AS "agencyId",
                  CASE WHEN k.roles IS NULL THEN u.roles ELSE ARRAY(SELECT unnest(k.roles) INTERSECT SELECT unnest(u.roles)) END AS roles,
                  u.name, u.email, k.id AS "apiKeyId")
       SELECT * FROM k`,
      [hashApiKey(key)],
    );
    if (rows.length === 0) throw new UnauthorizedException('the API key is not valid');
    return rows[0];
  }

  private async bySession(req: { method: string; cookies?: Record<string, string>; headers: Record<string, unknown>; body?: Record<string, unknown> }): Promise<Principal> {
    const token = req.cookies?.[SESSION_COOKIE];
    if (!token) throw new UnauthorizedException('sign in, or send an API key: Authorization: Bearer <key>');
    const principal = await this.sessions.resolve(token);
    if (!principal) throw new UnauthorizedException('the session has expired: sign in again');
    if (!SAFE_METHODS.has(req.method)) {
      const sent = req.headers['x-csrf-token'] ?? req.body?._csrf;
      if (typeof sent !== 'string' || !sameToken(sent, principal.csrfToken)) {
        throw new ForbiddenException('missing or wrong CSRF token');
      }
      if (req.body && typeof req.body === 'object') delete req.body._csrf;
    }
    return principal;
  }
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
