import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '@sne/core';
import type { Actor } from '@sne/core';

/** Who is calling: resolved from the bearer API key by ApiKeyGuard. */
export interface Principal {
  userId: string;
  agencyId: string;
  roles: Role[];
  name: string;
  email: string;
  /** Set when the caller used an API key… */
  apiKeyId: string | null;
  /** …or a console session (cookie), which also carries its CSRF token. */
  sessionId?: string;
  csrfToken?: string;
}

export const ROLES_KEY = 'sne:roles';
export const PUBLIC_KEY = 'sne:public';

/** Roles allowed to call the endpoint (any of them). `admin` is not implied: list it where it applies. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/** No API key needed (acknowledgment links, health, docs). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest().principal,
);

export function actorOf(p: Principal): Actor {
  return { type: 'user', id: p.userId, agencyId: p.agencyId };
}

export function hasRole(p: Principal, ...roles: Role[]): boolean {
  return roles.some((r) => p.roles.includes(r));
}
