import { Role, ROLES } from '../database/entities/user.entity';
import { canGrant, grantableRoles, keyRolesAllowed, reachOf } from './grant-rule';

/**
 * The grant rule singles out two roles (admin, agency_admin) and treats every other role alike. Every
 * non-empty set of all eight roles would be 255 sets, and the key test below is cubic in them (16.6
 * million cases); so the sets enumerated are those of a basis of five roles (the two special ones and
 * three ordinary ones, old and new: 31 sets), and the last test proves every other ordinary role behaves
 * exactly as the basis's `author` does, which is what makes the basis enough.
 */
const BASIS: Role[] = ['admin', 'agency_admin', 'author', 'reviewer', 'analyst'];
const ROLE_SETS: Role[][] = Array.from({ length: 2 ** BASIS.length - 1 }, (_, i) => BASIS.filter((_, b) => ((i + 1) >> b) & 1));
const swap = (roles: Role[], from: Role, to: Role): Role[] => roles.map((r) => (r === from ? to : r));

describe('the grant rule: a caller acts only on users whose roles it could grant', () => {
  it('lets admins grant every role, agency admins every role but admin, and nobody else anything', () => {
    for (const roles of ROLE_SETS) {
      const want = roles.includes('admin') ? [...ROLES] : roles.includes('agency_admin') ? ROLES.filter((r) => r !== 'admin') : [];
      expect([roles, grantableRoles(roles)]).toEqual([roles, want]);
    }
  });

  it('reaches a user exactly when every role the user holds is grantable, within the agency unless admin', () => {
    let cases = 0;
    for (const callerRoles of ROLE_SETS) {
      for (const targetRoles of ROLE_SETS) {
        for (const sameAgency of [true, false]) {
          const caller = { userId: 'c', agencyId: 'A', roles: callerRoles };
          const target = { id: 't', agencyId: sameAgency ? 'A' : 'B', roles: targetRoles };
          // Stated the other way round: a target holding admin needs an admin; any other role needs an admin or an agency admin.
          const needsAdmin = targetRoles.includes('admin') || !sameAgency;
          const want = callerRoles.includes('admin') || (!needsAdmin && callerRoles.includes('agency_admin')) ? 'reachable' : 'out-of-reach';
          expect([callerRoles, targetRoles, sameAgency, reachOf(caller, target)]).toEqual([callerRoles, targetRoles, sameAgency, want]);
          cases++;
        }
      }
    }
    expect(cases).toBe(31 * 31 * 2);
  });

  it('treats the caller itself as self, whatever its roles', () => {
    for (const roles of ROLE_SETS) expect(reachOf({ userId: 'u', agencyId: 'A', roles }, { id: 'u', agencyId: 'A', roles })).toBe('self');
  });

  it('gives a key no role its issuer could not grant, and none its owner lacks', () => {
    for (const issuerRoles of ROLE_SETS) {
      for (const ownerRoles of ROLE_SETS) {
        for (const keyRoles of ROLE_SETS) {
          const issuer = { userId: 'i', agencyId: 'A', roles: issuerRoles };
          const owner = { id: 'o', agencyId: 'A', roles: ownerRoles };
          const want = keyRoles.every((r) => ownerRoles.includes(r)) && keyRoles.every((r) => issuerRoles.includes('admin') || (r !== 'admin' && issuerRoles.includes('agency_admin')));
          expect(keyRolesAllowed(issuer, owner, keyRoles)).toBe(want);
          // A key for oneself: within one's own roles and the asking credential's, whatever one could grant to others.
          const own = keyRoles.every((r) => ownerRoles.includes(r) && issuerRoles.includes(r));
          expect(keyRolesAllowed(issuer, { ...owner, id: 'i' }, keyRoles)).toBe(own);
        }
      }
    }
    expect(canGrant(['agency_admin'], ['admin'])).toBe(false);
  });

  it.each(ROLES.filter((r) => !BASIS.includes(r)))('treats %s exactly as author: the basis above covers it', (role) => {
    for (const a of ROLE_SETS) {
      for (const b of ROLE_SETS) {
        const [a2, b2] = [swap(a, 'author', role), swap(b, 'author', role)];
        expect(grantableRoles(a2).includes(role)).toBe(grantableRoles(a).includes('author'));
        expect(reachOf({ userId: 'c', agencyId: 'A', roles: a2 }, { id: 't', agencyId: 'A', roles: b2 })).toBe(reachOf({ userId: 'c', agencyId: 'A', roles: a }, { id: 't', agencyId: 'A', roles: b }));
        expect(keyRolesAllowed({ userId: 'i', agencyId: 'A', roles: a2 }, { id: 'o', agencyId: 'A', roles: b2 }, b2)).toBe(keyRolesAllowed({ userId: 'i', agencyId: 'A', roles: a }, { id: 'o', agencyId: 'A', roles: b }, b));
      }
    }
  });
});
