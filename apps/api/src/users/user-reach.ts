import { ForbiddenException, NotFoundException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { reachOf, User } from '@sne/core';
import { Principal } from '../common/principal';

/**
 * Where every route that acts on a user (its keys, password, roles, sessions, disabling; API and
 * console alike) enforces the grant rule (libs/core/src/auth/grant-rule.ts): the user, locked for
 * the rest of the caller's transaction, or 404 when the caller could not grant every role the
 * user holds (or the user is in another agency and the caller is not a partnership admin), just
 * as if the user did not exist. `selfRefused` says why the route will not act on the caller
 * itself (403); without it, acting on oneself is allowed.
 */
export async function reachableUser(m: EntityManager, p: Principal, id: string, opts: { selfRefused?: string; notFound?: string } = {}): Promise<User> {
  const user = await m.findOne(User, { where: { id }, lock: { mode: 'pessimistic_write' } });
  const reach = user ? reachOf(p, user) : 'out-of-reach';
  if (!user || reach === 'out-of-reach') throw new NotFoundException(opts.notFound ?? 'user not found');
  if (reach === 'self' && opts.selfRefused) throw new ForbiddenException(opts.selfRefused);
  return user;
}

/** For lists: whether the caller may act on this user (itself included). */
export function mayActOn(p: Principal, user: { id: string; agencyId: string; roles: User['roles'] }): boolean {
  return reachOf(p, user) !== 'out-of-reach';
}
