import { Role, ROLES } from '../database/entities/user.entity';

/**
 * The one rule for acting on people: a caller may act only on users whose roles it could itself
 * grant. An agency admin grants every role but `admin`; only a partnership admin (`admin`) grants
 * `admin`; nobody else grants anything. A partnership admin reaches every agency, anyone else only
 * their own. Acting on oneself is a separate question each route answers (`self`).
 *
 * Pure, so the API enforces it in one place (apps/api/src/users/user-reach.ts) and the tests
 * compute their expectations from it.
 */
export interface Caller {
  userId: string;
  agencyId: string;
  roles: readonly Role[];
}

export interface Person {
  id: string;
  agencyId: string;
  roles: readonly Role[];
}

export type Reach = 'self' | 'reachable' | 'out-of-reach';

export function grantableRoles(callerRoles: readonly Role[]): Role[] {
  if (callerRoles.includes('admin')) return [...ROLES];
  if (callerRoles.includes('agency_admin')) return ROLES.filter((r) => r !== 'admin');
  return [];
}

export function canGrant(callerRoles: readonly Role[], roles: readonly Role[]): boolean {
  const grantable = grantableRoles(callerRoles);
  return roles.every((r) => grantable.includes(r));
}

export function reachOf(caller: Caller, target: Person): Reach {
  if (caller.userId === target.id) return 'self';
  if (target.agencyId !== caller.agencyId && !caller.roles.includes('admin')) return 'out-of-reach';
  return canGrant(caller.roles, target.roles) ? 'reachable' : 'out-of-reach';
}

/**
 * The roles a key may carry: a subset of its owner's, and never one its issuer could not grant.
 * A key for oneself carries at most the roles of the credential that asks for it: a key limited
 * to some roles must not mint itself a key with all of its owner's.
 */
export function keyRolesAllowed(issuer: Caller, owner: Person, roles: readonly Role[]): boolean {
  const ownerHasThem = roles.every((r) => owner.roles.includes(r));
  const issuerMay = issuer.userId === owner.id ? roles.every((r) => issuer.roles.includes(r)) : canGrant(issuer.roles, roles);
  return ownerHasThem && issuerMay;
}
