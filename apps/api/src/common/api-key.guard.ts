import { CanActivate, ExecutionContext, ForbiddenException, Injectable, Logger } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SessionsService } from '../auth/sessions.service';
import { AuthorizationRule, routeKey, ruleFor } from './authorization.table';
import { permits, principalOf, rolesStillNeeded } from './credentials';
import { Principal } from './principal';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Who is calling, and may they: the route's rule comes from the authorization table
 * (authorization.table.ts), the one statement of who may call what. A route with no row is
 * refused (403) and logged: fail closed. Public rows need no credentials. Otherwise the caller is
 * `Authorization: Bearer <API key>`, or the console's session cookie; a cookie alone never
 * changes state: unsafe methods also need the session's CSRF token (header `x-csrf-token` or
 * form field `_csrf`). Then the caller needs one of the row's roles (and, to act on another user
 * where the row says so, one of its `othersNeed`). Who the credentials name is decided in
 * credentials.ts, which a live feed also re-applies while it streams.
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
    const principal = await principalOf(this.db, this.sessions, req);
    this.checkCsrf(req, principal);
    req.principal = principal;
    if (!permits(rule, principal)) {
      throw new ForbiddenException(`this action needs one of the roles: ${[rule.roles].flat().join(', ')}`);
    }
    // Acting on someone other than oneself, where the table says that takes more (`othersNeed`).
    const missing = rolesStillNeeded(rule, principal, (req.params as Record<string, unknown> | undefined)?.id);
    if (missing.length) throw new ForbiddenException(`this action needs one of the roles: ${missing.join(', ')}`);
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

  /** Unsafe methods with a session cookie also need that session's CSRF token. */
  private checkCsrf(req: { method: string; headers: Record<string, unknown>; body?: Record<string, unknown> }, principal: Principal): void {
    if (principal.sessionId === undefined || SAFE_METHODS.has(req.method)) return;
    const sent = req.headers['x-csrf-token'] ?? req.body?._csrf;
    if (typeof sent !== 'string' || principal.csrfToken === undefined || !sameToken(sent, principal.csrfToken)) {
      throw new ForbiddenException('missing or wrong CSRF token');
    }
    if (req.body && typeof req.body === 'object') delete req.body._csrf;
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
