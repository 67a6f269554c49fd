/**
 * The grant rule as the brief states it (not the app's code, not a table of results), and how each
 * route that acts on a user is driven and checked: test/e2e/grant-rule.test.ts enumerates them.
 */
import { randomBytes } from 'node:crypto';
import { Role } from '@sne/core';
import { AUTHORIZATION, AuthorizationRule } from '../../apps/api/src/common/authorization.table';
import { Stack } from './stack';

// ── the rule, as the brief states it ────────────────────────────────────────────────────────
export const ALL: Role[] = ['admin', 'agency_admin', 'author', 'approver', 'supervisor', 'reviewer', 'review_lead', 'analyst'];
/** The roles enumerated in every combination; the issue-11 roles are added alone and beside each admin role (see the header). */
export const CORE: Role[] = ['admin', 'agency_admin', 'author', 'approver', 'supervisor'];
export const ADDED: Role[] = ['reviewer', 'review_lead', 'analyst'];
/** An agency admin can grant every role except admin; only a partnership admin grants admin. */
export const grants = (roles: Role[]): Role[] => (roles.includes('admin') ? ALL : roles.includes('agency_admin') ? ALL.filter((r) => r !== 'admin') : []);

export type Outcome = 'ok' | 'role' | 'absent' | 'self' | 'grant';

export interface Who {
  id: string;
  agencyId: string;
  roles: Role[];
}

/** What a route must answer, from the authorization table's row and the rule above. */
export function expectedOutcome(rule: AuthorizationRule, caller: Who, target: Who, asksToGrant?: Role[]): Outcome {
  if (rule.roles !== 'any' && rule.roles !== 'public' && !caller.roles.some((r) => (rule.roles as Role[]).includes(r))) return 'role';
  // Acting on someone else where that takes more roles than acting on oneself (the table's `othersNeed`).
  if (rule.othersNeed && caller.id !== target.id && !caller.roles.some((r) => rule.othersNeed!.includes(r))) return 'role';
  if (rule.grantRule === 'self-only') return 'ok';
  if (caller.id === target.id) {
    if (rule.grantRule === 'self-refused') return 'self';
  } else {
    const crossAgency = target.agencyId !== caller.agencyId;
    if (crossAgency && !(caller.roles.includes('admin') && rule.crossAgencyAdmin)) return 'absent';
    if (rule.grantRule && !target.roles.every((r) => grants(caller.roles).includes(r))) return 'absent';
  }
  if (asksToGrant && !asksToGrant.every((r) => grants(caller.roles).includes(r))) return 'grant';
  return 'ok';
}

/** Every non-empty set of the core roles (31), and each added role alone, with admin and with agency_admin (9): 40. */
export const ROLE_SETS: Role[][] = [
  ...Array.from({ length: 2 ** CORE.length - 1 }, (_, i) => CORE.filter((_, b) => ((i + 1) >> b) & 1)),
  ...ADDED.flatMap((r): Role[][] => [[r], ['admin', r], ['agency_admin', r]]),
];

export const API = { role: 403, absent: 404, self: 403, grant: 403 };
export const PAGE = { role: 403, absent: 404, self: 403, grant: 400 };

export interface Ctx {
  stack: Stack;
  caller: Who & { key: string };
  target: Who;
  /** A key of the target, made for this case (the one to list or revoke), and its secret. */
  targetKeyId: string;
  targetKey: string;
}

export interface Driver {
  /** The answer for each outcome. */
  status: Record<Outcome, number>;
  /** The roles the request asks to give (the roles route). */
  asksToGrant?: Role[];
  /** The target starts disabled (the routes that enable); never the caller itself. */
  targetDisabled?: true;
  request: (c: Ctx) => { method: string; path: string; json?: unknown; form?: Record<string, string> };
  /** On success: what must have changed (a problem, or undefined). */
  effect?: (c: Ctx, body: string) => Promise<string | undefined>;
  /** A read: must change nothing whatever the outcome, and show the target exactly when allowed. */
  read?: (c: Ctx, body: string, allowed: boolean) => string | undefined;
  /** The audit action an allowed call writes. */
  audited?: string;
}

export const one = async (c: Ctx, sql: string, params: unknown[]) => (await c.stack.db.query(sql, params))[0];
export const sessionsOpen = async (c: Ctx, userId: string) => (await one(c, `SELECT count(*)::int AS n FROM sessions WHERE user_id = $1 AND revoked_at IS NULL`, [userId])).n;
export const newKeyOf = async (c: Ctx, userId: string) =>
  one(c, `SELECT id, user_id, roles FROM api_keys WHERE user_id = $1 AND name LIKE 'grant-rule %' ORDER BY created_at DESC LIMIT 1`, [userId]);

/** A key issued here: for its owner, and with no role the issuer could not grant (own roles for oneself). */
export async function keyIssued(c: Ctx, ownerId: string): Promise<string | undefined> {
  const key = await newKeyOf(c, ownerId);
  if (!key) return 'no key was created';
  const owner: Who = ownerId === c.caller.id ? c.caller : c.target;
  const allowed = ownerId === c.caller.id ? c.caller.roles : grants(c.caller.roles);
  if (!key.roles.every((r: Role) => allowed.includes(r) && owner.roles.includes(r))) return `the key carries ${key.roles}, beyond what ${c.caller.roles} could grant`;
  return undefined;
}

export const sessionsEnded = async (c: Ctx) => ((await sessionsOpen(c, c.target.id)) === 0 ? undefined : 'a session is still open');
export const userRow = (c: Ctx) => one(c, `SELECT password_hash, roles, disabled_at FROM users WHERE id = $1`, [c.target.id]);

/** What an allowed call must have done, the same through the API and the console. */
export const EFFECTS = {
  passwordSet: async (c: Ctx) => ((await userRow(c)).password_hash ? sessionsEnded(c) : 'no password set'),
  rolesAre: (want: Role[]) => async (c: Ctx) => ((await userRow(c)).roles.join() === want.join() ? undefined : 'roles unchanged'),
  disabled: async (c: Ctx) => {
    if (!(await userRow(c)).disabled_at) return 'not disabled';
    const withKey = await fetch(`${c.stack.url}/api/v1/auth/session`, { headers: { authorization: `Bearer ${c.targetKey}` } });
    return withKey.status === 401 ? sessionsEnded(c) : `the disabled user's key still answers ${withKey.status}`;
  },
  enabled: async (c: Ctx) => ((await userRow(c)).disabled_at ? 'still disabled' : undefined),
  renamed: async (c: Ctx) => ((await one(c, `SELECT name FROM users WHERE id = $1`, [c.target.id])).name.startsWith('Renamed grant-rule') ? undefined : 'name unchanged'),
  keyRevoked: async (c: Ctx) => ((await one(c, `SELECT revoked_at FROM api_keys WHERE id = $1`, [c.targetKeyId])).revoked_at ? undefined : 'not revoked'),
};

export const DRIVERS: Record<string, Driver> = {
  'PUT /api/v1/users/:id/password': {
    status: { ok: 204, ...API },
    request: (c) => ({ method: 'PUT', path: `/api/v1/users/${c.target.id}/password`, json: { password: 'a brand new passphrase' } }),
    effect: EFFECTS.passwordSet,
    audited: 'user.password_set',
  },
  'PUT /api/v1/users/:id/roles': {
    status: { ok: 200, ...API },
    asksToGrant: ['supervisor'],
    request: (c) => ({ method: 'PUT', path: `/api/v1/users/${c.target.id}/roles`, json: { roles: ['supervisor'] } }),
    effect: EFFECTS.rolesAre(['supervisor']),
    audited: 'user.roles_changed',
  },
  'PUT /api/v1/users/:id/roles (to admin)': {
    status: { ok: 200, ...API },
    asksToGrant: ['admin'],
    request: (c) => ({ method: 'PUT', path: `/api/v1/users/${c.target.id}/roles`, json: { roles: ['admin'] } }),
    effect: EFFECTS.rolesAre(['admin']),
    audited: 'user.roles_changed',
  },
  'POST /api/v1/users/:id/disable': {
    status: { ok: 200, ...API },
    request: (c) => ({ method: 'POST', path: `/api/v1/users/${c.target.id}/disable`, json: { reason: 'left the agency' } }),
    effect: EFFECTS.disabled,
    audited: 'user.disabled',
  },
  'POST /api/v1/users/:id/enable': {
    status: { ok: 200, ...API },
    targetDisabled: true,
    request: (c) => ({ method: 'POST', path: `/api/v1/users/${c.target.id}/enable` }),
    effect: EFFECTS.enabled,
    audited: 'user.enabled',
  },
  'DELETE /api/v1/users/:id/sessions': {
    status: { ok: 204, ...API },
    request: (c) => ({ method: 'DELETE', path: `/api/v1/users/${c.target.id}/sessions` }),
    effect: sessionsEnded,
    audited: 'user.sessions_ended',
  },
  'PATCH /api/v1/users/:id': {
    status: { ok: 200, ...API },
    request: (c) => ({ method: 'PATCH', path: `/api/v1/users/${c.target.id}`, json: { name: `Renamed grant-rule ${randomBytes(3).toString('hex')}` } }),
    effect: EFFECTS.renamed,
    audited: 'user.updated',
  },
  'POST /console/admin/users/:id/details': {
    status: { ok: 303, ...PAGE },
    request: (c) => {
      const tag = randomBytes(4).toString('hex');
      return { method: 'POST', path: `/console/admin/users/${c.target.id}/details`, form: { name: `Renamed grant-rule ${tag}`, email: `renamed-${tag}@agency.test` } };
    },
    effect: EFFECTS.renamed,
    audited: 'user.updated',
  },
  'GET /api/v1/users/:id': {
    status: { ok: 200, ...API },
    request: (c) => ({ method: 'GET', path: `/api/v1/users/${c.target.id}` }),
    read: (c, body, allowed) => (allowed && !body.includes(c.target.id) ? 'the user is not shown' : undefined),
  },
  'POST /api/v1/api-keys': {
    status: { ok: 201, ...API },
    request: (c) => ({ method: 'POST', path: '/api/v1/api-keys', json: { name: `grant-rule ${randomBytes(3).toString('hex')}`, userId: c.target.id } }),
    effect: (c) => keyIssued(c, c.target.id),
    audited: 'api_key.created',
  },
  'GET /api/v1/api-keys': {
    // Every caller may list; the target's key is in the list exactly when the caller reaches the target.
    status: { ok: 200, role: 403, absent: 200, self: 403, grant: 403 },
    request: () => ({ method: 'GET', path: '/api/v1/api-keys' }),
    read: (c, body, allowed) => (body.includes(c.targetKeyId) === allowed ? undefined : allowed ? 'a reachable key is missing' : 'an out-of-reach key is listed'),
  },
  'DELETE /api/v1/api-keys/:id': {
    status: { ok: 204, ...API },
    request: (c) => ({ method: 'DELETE', path: `/api/v1/api-keys/${c.targetKeyId}` }),
    effect: EFFECTS.keyRevoked,
    audited: 'api_key.revoked',
  },
  'GET /console/admin/users/:id': {
    status: { ok: 200, ...PAGE },
    request: (c) => ({ method: 'GET', path: `/console/admin/users/${c.target.id}` }),
    // The page shows the user to anyone of the agency's admins; its forms only when the grant rule lets the caller act.
    read: (c, body, allowed) => {
      if (!allowed) return undefined;
      const forms = body.includes(`action="/console/admin/users/${c.target.id}/roles"`);
      const shouldHave = expectedOutcome(AUTHORIZATION['PUT /api/v1/users/:id/roles'], c.caller, c.target) === 'ok';
      return forms === shouldHave ? undefined : `the action forms are ${forms ? 'shown' : 'missing'}`;
    },
  },
  'POST /console/admin/users/:id/password': {
    status: { ok: 303, ...PAGE },
    request: (c) => ({ method: 'POST', path: `/console/admin/users/${c.target.id}/password`, form: { password: 'a brand new passphrase' } }),
    effect: EFFECTS.passwordSet,
    audited: 'user.password_set',
  },
  'POST /console/admin/users/:id/roles': {
    status: { ok: 303, ...PAGE },
    asksToGrant: ['supervisor'],
    request: (c) => ({ method: 'POST', path: `/console/admin/users/${c.target.id}/roles`, form: { roles: 'supervisor' } }),
    effect: EFFECTS.rolesAre(['supervisor']),
    audited: 'user.roles_changed',
  },
  'POST /console/admin/users/:id/roles (to admin)': {
    status: { ok: 303, ...PAGE },
    asksToGrant: ['admin'],
    request: (c) => ({ method: 'POST', path: `/console/admin/users/${c.target.id}/roles`, form: { roles: 'admin' } }),
    effect: EFFECTS.rolesAre(['admin']),
    audited: 'user.roles_changed',
  },
  'POST /console/admin/users/:id/disable': {
    status: { ok: 303, ...PAGE },
    request: (c) => ({ method: 'POST', path: `/console/admin/users/${c.target.id}/disable`, form: { reason: 'left the agency' } }),
    effect: EFFECTS.disabled,
    audited: 'user.disabled',
  },
  'POST /console/admin/users/:id/enable': {
    status: { ok: 303, ...PAGE },
    targetDisabled: true,
    request: (c) => ({ method: 'POST', path: `/console/admin/users/${c.target.id}/enable`, form: {} }),
    effect: EFFECTS.enabled,
    audited: 'user.enabled',
  },
  'POST /console/admin/users/:id/sessions/end': {
    status: { ok: 303, ...PAGE },
    request: (c) => ({ method: 'POST', path: `/console/admin/users/${c.target.id}/sessions/end`, form: {} }),
    effect: sessionsEnded,
    audited: 'user.sessions_ended',
  },
  'POST /console/admin/keys': {
    // An owner out of reach is sent back with the form, like an owner that is not in the list.
    status: { ok: 303, ...PAGE, absent: 400 },
    request: (c) => ({ method: 'POST', path: '/console/admin/keys', form: { name: `grant-rule ${randomBytes(3).toString('hex')}`, userId: c.target.id } }),
    effect: (c) => keyIssued(c, c.target.id),
    audited: 'api_key.created',
  },
  'POST /console/admin/keys/:id/revoke': {
    status: { ok: 303, ...PAGE },
    request: (c) => ({ method: 'POST', path: `/console/admin/keys/${c.targetKeyId}/revoke`, form: { back: 'admin' } }),
    effect: EFFECTS.keyRevoked,
    audited: 'api_key.revoked',
  },
  'POST /console/account/sessions/end': {
    // Whatever it is sent, the caller signs itself out: someone else's sessions stay.
    status: { ok: 303, ...PAGE },
    request: () => ({ method: 'POST', path: '/console/account/sessions/end', form: {} }),
    effect: async (c) =>
      (await sessionsOpen(c, c.caller.id)) > 0 ? "a session of the caller's is still open" : c.target.id !== c.caller.id && (await sessionsOpen(c, c.target.id)) === 0 ? "someone else's sessions ended" : undefined,
    audited: 'user.sessions_ended',
  },
  'POST /console/account/keys': {
    // Whatever owner it is sent, the key is the caller's own.
    status: { ok: 303, ...PAGE },
    request: (c) => ({ method: 'POST', path: '/console/account/keys', form: { name: `grant-rule ${randomBytes(3).toString('hex')}`, userId: c.target.id } }),
    effect: async (c) => ((await keyIssued(c, c.caller.id)) ?? (c.target.id !== c.caller.id && (await newKeyOf(c, c.target.id)) ? 'a key was issued to someone else' : undefined)),
    audited: 'api_key.created',
  },
};
export const routeOf = (driver: string) => driver.replace(/ \(.*\)$/, '');

/** Routes that act on a user, by their address: each must be in the table with grantRule, or be a read. */
export const LOOKS_USER_ACTING = /\/users\/:id|api-keys|\/keys(\/|$)/;
