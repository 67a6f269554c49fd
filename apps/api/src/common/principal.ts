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

export const PUBLIC_KEY = 'sne:public';

/**
 * Marks a handler (or controller) as needing no credentials (acknowledgment links, health, the
 * dev mailbox), for the reader. It grants nothing by itself: who may call what is stated only in
 * common/authorization.table.ts (roles 'public' there), and test/e2e/authorization-routes.test.ts
 * checks that the two agree.
 */
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
