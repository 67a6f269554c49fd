import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { hashApiKey, looksLikeApiKey, Role } from '@sne/core';
import { Principal, PUBLIC_KEY, ROLES_KEY } from './principal';

/** Resolves `Authorization: Bearer <key>` to a Principal and enforces @Roles. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly db: DataSource,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest();
    const principal = await this.authenticate(req.headers.authorization);
    req.principal = principal;
    const roles = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets);
    if (roles && !roles.some((r) => principal.roles.includes(r))) {
      throw new ForbiddenException(`this action needs one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }

  private async authenticate(header: unknown): Promise<Principal> {
    if (typeof header !== 'string' || !header.startsWith('Bearer ')) {
      throw new UnauthorizedException('an API key is required: Authorization: Bearer <key>');
    }
    const key = header.slice(7).trim();
    if (!looksLikeApiKey(key)) throw new UnauthorizedException('the API key is not valid');
    const rows: Principal[] = await this.db.query(
      // Wrapped in a CTE: TypeORM returns [rows, count] for a bare UPDATE, plain rows for a SELECT.
      `WITH k AS (UPDATE api_keys k SET last_used_at = now()
         FROM users u
        WHERE k.key_hash = $1 AND u.id = k.user_id
          AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now()) AND u.disabled_at IS NULL
        RETURNING u.id AS "userId", u.agency_id AS "agencyId", u.roles, u.name, u.email, k.id AS "apiKeyId")
       SELECT * FROM k`,
      [hashApiKey(key)],
    );
    if (rows.length === 0) throw new UnauthorizedException('the API key is not valid');
    return rows[0];
  }
}
