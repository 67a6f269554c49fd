import { BadRequestException, ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { audit, canGrant, hashPassword, Role, User } from '@sne/core';
import { actorOf, hasRole, Principal } from '../common/principal';
import { endSessions, writePassword } from '../auth/sessions.service';
import { listOf, pageOf, PageRequest, Paged } from '../common/paging';
import { CreateUserDto, ListUsersQuery, UpdateUserDto } from './users.dto';
import { reachableUser } from './user-reach';

const ONLY_ADMINS_GRANT_ADMIN = 'only a partnership admin can grant admin';

/**
 * People and service accounts. Every change to an existing user goes through reachableUser
 * (user-reach.ts): the grant rule, in one place.
 */
@Injectable()
export class UsersService {
  constructor(private readonly db: DataSource) {}

  async create(p: Principal, dto: CreateUserDto) {
    const agencyId = dto.agencyId ?? p.agencyId;
    if (agencyId !== p.agencyId && !hasRole(p, 'admin')) throw new NotFoundException('agency not found');
    if (!canGrant(p.roles, dto.roles)) throw new ForbiddenException(ONLY_ADMINS_GRANT_ADMIN);
    if (dto.kind === 'service' && dto.roles.includes('admin')) throw new BadRequestException('a service account cannot be a partnership admin');
    return this.db.transaction(async (m) => {
      const exists = await m.query(`SELECT 1 FROM agencies WHERE id = $1`, [agencyId]);
      if (exists.length === 0) throw new NotFoundException('agency not found');
      const user = m.create(User, { agencyId, email: dto.email.toLowerCase(), name: dto.name.trim(), roles: [...new Set(dto.roles)], kind: dto.kind ?? 'person' });
      await m.save(user);
      await audit(m, actorOf(p), { action: 'user.created', entityType: 'user', entityId: user.id, agencyId, after: { email: user.email, roles: user.roles, kind: user.kind } });
      return userView(user);
    });
  }

  async list(p: Principal, q: ListUsersQuery) {
    return (await this.search(p, q)).items;
  }

  /** An agency's users (its own for all but partnership admins), oldest first, searched by name or email; `total` counts every match. */
  async search(p: Principal, q: ListUsersQuery): Promise<{ items: UserView[]; total: number }> {
    const agencyId = hasRole(p, 'admin') && q.agencyId ? q.agencyId : p.agencyId;
    const qb = this.db.getRepository(User).createQueryBuilder('u').where('u.agencyId = :agencyId', { agencyId }).orderBy('u.createdAt', 'ASC').addOrderBy('u.id', 'ASC');
    const { items, total } = await listOf(qb, ['u.name', 'u.email'], q);
    return { items: items.map(userView), total };
  }

  /** One page of an agency's users (its own for agency admins), searched by name or email: the console's table. */
  async page(p: Principal, agencyId: string | undefined, req: PageRequest): Promise<Paged<UserView>> {
    const agency = hasRole(p, 'admin') && agencyId ? agencyId : p.agencyId;
    return pageOf<UserView>(
      this.db,
      {
        select: `id, agency_id AS "agencyId", email, name, roles, kind, created_at AS "createdAt", disabled_at AS "disabledAt"`,
        from: 'FROM users',
        where: ['agency_id = $1'],
        params: [agency],
        search: ['name', 'email'],
        order: 'created_at, id',
      },
      req,
    );
  }

  /** A user's name or email address (their sign-in), under the grant rule; the same values again change nothing. */
  async update(p: Principal, id: string, dto: UpdateUserDto): Promise<UserView> {
    return this.db.transaction(async (m) => {
      const user = await reachableUser(m, p, id);
      const before = { name: user.name, email: user.email };
      if (dto.name !== undefined) user.name = dto.name.trim();
      if (dto.email !== undefined) user.email = dto.email.trim().toLowerCase();
      const after = { name: user.name, email: user.email };
      if (before.name === after.name && before.email === after.email) return userView(user);
      if (after.email !== before.email) {
        const [taken] = await m.query(`SELECT 1 FROM users WHERE lower(email) = $1 AND id <> $2`, [after.email, id]);
        if (taken) throw new ConflictException('a user with this email address already exists');
      }
      await m.save(user);
      await audit(m, actorOf(p), { action: 'user.updated', entityType: 'user', entityId: id, agencyId: user.agencyId, before, after });
      return userView(user);
    });
  }

  /** Reading a user: the caller's agency (any agency for partnership admins); reading is not acting. */
  async get(p: Principal, id: string) {
    const user = await this.db.getRepository(User).findOne({ where: { id } });
    if (!user || (user.agencyId !== p.agencyId && !hasRole(p, 'admin'))) throw new NotFoundException('user not found');
    return userView(user);
  }

  /** Sets a person's password; it ends every session they have. */
  async setPassword(p: Principal, id: string, password: string): Promise<void> {
    const hash = await hashPassword(password);
    await this.db.transaction(async (m) => {
      // Never one's own: a key limited to some roles (or expiring) would set its owner's password and
      // sign in with all of them. One's own password changes at /auth/password, with the current one.
      const user = await reachableUser(m, p, id, { selfRefused: 'set your own password at /api/v1/auth/password, with your current one' });
      if (user.kind !== 'person') throw new ConflictException('service accounts have no password: give them API keys');
      await writePassword(m, p, id, hash);
    });
  }

  /** Replaces a user's roles with a set the caller could grant. Keys keep their roles but never carry more than the owner has. */
  async setRoles(p: Principal, id: string, roles: Role[]): Promise<UserView> {
    return this.db.transaction(async (m) => {
      const user = await reachableUser(m, p, id, { selfRefused: 'you cannot change your own roles: ask another administrator' });
      if (!canGrant(p.roles, roles)) throw new ForbiddenException(ONLY_ADMINS_GRANT_ADMIN);
      if (user.kind === 'service' && roles.includes('admin')) throw new BadRequestException('a service account cannot be a partnership admin');
      const before = { roles: user.roles };
      user.roles = [...new Set(roles)];
      await m.save(user);
      await audit(m, actorOf(p), { action: 'user.roles_changed', entityType: 'user', entityId: id, agencyId: user.agencyId, before, after: { roles: user.roles } });
      return userView(user);
    });
  }

  /** Disabled: no sign-in, every session ends now, and every key answers 401 until the user is enabled again. */
  async disable(p: Principal, id: string, reason?: string): Promise<UserView> {
    return this.db.transaction(async (m) => {
      const user = await reachableUser(m, p, id, { selfRefused: 'you cannot disable your own account: ask another administrator' });
      if (user.disabledAt) throw new ConflictException('the user is already disabled');
      user.disabledAt = new Date();
      await m.save(user);
      const sessionsEnded = await endSessions(m, [id]);
      await audit(m, actorOf(p), { action: 'user.disabled', entityType: 'user', entityId: id, agencyId: user.agencyId, after: { reason: reason?.trim() ?? null, sessionsEnded } });
      return userView(user);
    });
  }

  async enable(p: Principal, id: string): Promise<UserView> {
    return this.db.transaction(async (m) => {
      const user = await reachableUser(m, p, id, { selfRefused: 'you cannot enable your own account' });
      if (!user.disabledAt) throw new ConflictException('the user is not disabled');
      const before = { disabledAt: user.disabledAt.toISOString() };
      user.disabledAt = null;
      await m.save(user);
      await audit(m, actorOf(p), { action: 'user.enabled', entityType: 'user', entityId: id, agencyId: user.agencyId, before });
      return userView(user);
    });
  }

  /** Signs a user out everywhere (their keys are unaffected: revoke those separately). */
  async endSessions(p: Principal, id: string): Promise<number> {
    return this.db.transaction(async (m) => {
      const user = await reachableUser(m, p, id);
      const count = await endSessions(m, [id]);
      await audit(m, actorOf(p), { action: 'user.sessions_ended', entityType: 'user', entityId: id, agencyId: user.agencyId, after: { sessionsEnded: count } });
      return count;
    });
  }
}

export type UserView = Pick<User, 'id' | 'agencyId' | 'email' | 'name' | 'roles' | 'kind' | 'createdAt' | 'disabledAt'>;

/** What the API says of a user: never the password hash or the lockout, whatever the entity holds after a save. */
export function userView(u: User): UserView {
  return { id: u.id, agencyId: u.agencyId, email: u.email, name: u.name, roles: u.roles, kind: u.kind, createdAt: u.createdAt, disabledAt: u.disabledAt };
}
