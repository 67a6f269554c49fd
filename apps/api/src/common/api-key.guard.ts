import { CanActivate, ExecutionContext, ForbiddenException, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { hashApiKey, looksLikeApiKey } from '@sne/core';
import { SESSION_COOKIE, SessionsService } from '../auth/sessions.service';
import { AuthorizationRule, routeKey, ruleFor } from './authorization.table';
import { Principal } from './principal';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Who is calling, and may they: the route's rule comes from the authorization table
 * (authorization.table.ts), the one statement of who may call what. A route with no row is
 * refused (403) and logged: fail closed. Public rows need no credentials. Otherwise the caller is
 * `Authorization: Bearer <API key>`, or the console's session cookie; a cookie alone never
 * changes state: unsafe methods also need the session's CSRF token (header `x-csrf-token` or
 * form field `_csrf`). Then the caller needs one of the row's roles.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly log = new Logger('Authorization');

  constructor(
    private readonly db: DataSource,
    private readonly sessions: SessionsService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest();
    const rule = this.ruleOf(ctx, req);
    if (rule.roles === 'public') return true;
    const principal = req.headers.authorization !== undefined ? await this.byKey(req.headers.authorization) : await this.bySession(req);
    req.principal = principal;
    if (rule.roles !== 'any' && !rule.roles.some((r) => principal.roles.includes(r))) {
      throw new ForbiddenException(`this action needs one of the roles: ${rule.roles.join(', ')}`);
    }
    return true;
  }

  /** The table row of the route Express matched (req.route.path), else of the handler's metadata; none = refused. */
  private ruleOf(ctx: ExecutionContext, req: { method: string; route?: { path?: unknown } }): AuthorizationRule {
    const path = typeof req.route?.path === 'string' ? req.route.path : pathFromMetadata(ctx);
    const rule = path === undefined ? undefined : ruleFor(req.method, path);
    if (!rule) {
      const where = `${ctx.getClass()?.name}.${ctx.getHandler()?.name}`;
      this.log.error(`no authorization rule for ${path === undefined ? `${req.method} <unknown path>` : routeKey(req.method, path)} (${where}): denied. Add a row to authorization.table.ts.`);
      throw new ForbiddenException('this endpoint has no authorization rule');
    }
    return rule;
  }

  private async byKey(header: unknown): Promise<Principal> {
    if (typeof header !== 'string' || !header.startsWith('Bearer ')) {
      throw new UnauthorizedException('an API key is required: Authorization: Bearer <key>');
    }
    const key = header.slice(7).trim();
    if (!looksLikeApiKey(key)) throw new UnauthorizedException('the API key is not valid');
    const rows: Principal[] = await this.db.query(
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

/** The route path from Nest's metadata (controller path + handler path), when it names exactly one. */
function pathFromMetadata(ctx: ExecutionContext): string | undefined {
  const one = (v: unknown): string | undefined => (Array.isArray(v) ? (v.length === 1 ? String(v[0]) : undefined) : v === undefined ? '' : String(v));
  const base = one(Reflect.getMetadata(PATH_METADATA, ctx.getClass()));
  const own = one(Reflect.getMetadata(PATH_METADATA, ctx.getHandler()));
  if (base === undefined || own === undefined) return undefined;
  const joined = `/${[base, own].map((s) => s.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;
  return joined;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
