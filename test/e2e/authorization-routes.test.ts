/**
 * Authorization proven, not assumed: the inventory. The authorization table
 * (apps/api/src/common/authorization.table.ts) says, for every endpoint, which roles may call it
 * and how far it reaches. This test:
 *  1. lists every route the running app registered (Express's router) and fails on a route with
 *     no row, or a row with no route; Nest's own handler metadata must agree, and a handler marked
 *     @Public() must be a 'public' row (and the other way round); every row has a request factory
 *     for the matrix (test/e2e/authorization-matrix.test.ts), and every factory a row;
 *  2. shows that the guard refuses (403) a route that has no row: fail closed.
 */
import { ExecutionContext, ForbiddenException, Logger, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { SessionsService } from '../../apps/api/src/auth/sessions.service';
import { ApiKeyGuard } from '../../apps/api/src/common/api-key.guard';
import { AUTHORIZATION } from '../../apps/api/src/common/authorization.table';
import { PUBLIC_KEY } from '../../apps/api/src/common/principal';
import { useAuthorizationScene } from '../support/authorization-scene';
import { routeSpecs } from '../support/authorization-specs';
import { Stack } from '../support/stack';


/** Every (method, path) Express routes: Nest's controllers, plus what SwaggerModule mounted itself. */
function expressRoutes(stack: Stack): Set<string> {
  const app = stack.api.getHttpAdapter().getInstance();
  const router = app.router ?? app._router;
  const keys = new Set<string>();
  for (const layer of router.stack) {
    if (!layer.route) continue;
    for (const [method, on] of Object.entries(layer.route.methods as Record<string, boolean>)) {
      if (on && method !== '_all') keys.add(`${method.toUpperCase()} ${layer.route.path}`);
    }
  }
  return keys;
}

/** Every route Nest's controllers declare, from their metadata, with whether it carries @Public(). */
function nestRoutes(stack: Stack): Map<string, { handler: string; isPublic: boolean }> {
  const out = new Map<string, { handler: string; isPublic: boolean }>();
  const join = (...parts: string[]) => `/${parts.map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;
  for (const mod of stack.api.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const ctrl = wrapper.metatype as (new (...args: any[]) => unknown) | null;
      if (!ctrl) continue;
      const bases = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, ctrl) ?? '');
      const classPublic = Reflect.getMetadata(PUBLIC_KEY, ctrl) === true;
      for (const name of Object.getOwnPropertyNames(ctrl.prototype)) {
        const fn = ctrl.prototype[name];
        if (name === 'constructor' || typeof fn !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, fn);
        if (method === undefined) continue;
        const paths = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, fn) ?? '');
        for (const base of bases) {
          for (const path of paths) {
            out.set(`${RequestMethod[method]} ${join(base, path)}`, {
              handler: `${ctrl.name}.${name}`,
              isPublic: classPublic || Reflect.getMetadata(PUBLIC_KEY, fn) === true,
            });
          }
        }
      }
    }
  }
  return out;
}

describe('authorization: one table, every route, every role', () => {
  // Neither test calls a route: the stack alone, without the seeded agencies the matrix needs.
  const scene = useAuthorizationScene({ seed: false });
  const SPECS = routeSpecs(scene);

  it('has exactly one table row for every registered route, and no row without a route', () => {
    const registered = expressRoutes(scene.stack);
    const table = new Set(Object.keys(AUTHORIZATION));
    const missing = [...registered].filter((k) => !table.has(k)).sort();
    const stale = [...table].filter((k) => !registered.has(k)).sort();
    expect({ routesWithoutARow: missing, rowsWithoutARoute: stale }).toEqual({ routesWithoutARow: [], rowsWithoutARoute: [] });

    // Nest's own view of its controllers agrees with Express, and @Public() with the table.
    const nest = nestRoutes(scene.stack);
    const unknownToExpress = [...nest.keys()].filter((k) => !registered.has(k));
    const publicMismatch = [...nest.entries()]
      .filter(([k, r]) => table.has(k) && r.isPublic !== (AUTHORIZATION[k].roles === 'public'))
      .map(([k, r]) => `${k} (${r.handler}): @Public() ${r.isPublic ? 'present' : 'absent'}, table roles ${JSON.stringify(AUTHORIZATION[k].roles)}`);
    expect({ unknownToExpress, publicMismatch }).toEqual({ unknownToExpress: [], publicMismatch: [] });
    expect(nest.size).toBeGreaterThan(60);

    // Every row has a request factory below, and every factory a row.
    expect({ rowsWithoutAFactory: [...table].filter((k) => !SPECS[k]), factoriesWithoutARow: Object.keys(SPECS).filter((k) => !table.has(k)) }).toEqual({
      rowsWithoutAFactory: [],
      factoriesWithoutARow: [],
    });
  });

  it('keeps running survey waves the agency admin\'s: a supervisor may list waves and read results, nothing more', () => {
    const surveyRows = Object.entries(AUTHORIZATION).filter(([k]) => /^\S+ \/(api\/v1|console)\/surveys/.test(k));
    const supervisorMay = surveyRows.filter(([, r]) => Array.isArray(r.roles) && r.roles.includes('supervisor')).map(([k]) => k).sort();
    expect(supervisorMay).toEqual(['GET /api/v1/surveys/waves', 'GET /api/v1/surveys/waves/:id/results', 'GET /console/surveys', 'GET /console/surveys/:id/results']);
    // Every write (open, recipients, invitations, reminders, codes, close) stays exactly the agency admin's.
    const writes = surveyRows.filter(([k]) => !k.startsWith('GET '));
    expect(writes.length).toBeGreaterThanOrEqual(12);
    expect(writes.filter(([, r]) => JSON.stringify(r.roles) !== '["agency_admin"]').map(([k]) => k)).toEqual([]);
  });

  it('puts `othersNeed` only on routes whose `:id` is the user acted on', () => {
    // The guard compares `:id` with the caller: a row without one would let anyone through as "itself".
    const rows = Object.entries(AUTHORIZATION).filter(([, r]) => r.othersNeed);
    expect(rows.map(([k]) => k)).toContain('DELETE /api/v1/users/:id/sessions');
    for (const [k, r] of rows) expect([k, /\/users\/:id(\/|$)/.test(k), r.grantRule]).toEqual([k, true, 'self-allowed']);
  });

  it('refuses (403) and logs a route that has no row: fail closed', async () => {
    const guard = new ApiKeyGuard(scene.stack.db, scene.stack.api.get(SessionsService));
    const errors: string[] = [];
    const spy = jest.spyOn(Logger.prototype, 'error').mockImplementation((msg: unknown) => void errors.push(String(msg)));
    try {
      class UnlistedController {
        handler() {}
      }
      const ctx = {
        switchToHttp: () => ({ getRequest: () => ({ method: 'POST', route: { path: '/api/v1/unlisted/:id' }, headers: {} }) }),
        getClass: () => UnlistedController,
        getHandler: () => UnlistedController.prototype.handler,
      } as unknown as ExecutionContext;
      await expect(guard.canActivate(ctx)).rejects.toBeInstanceOf(ForbiddenException);
      // A listed route still passes: a public row, and HEAD looked up as GET.
      const listed = (method: string, path: string) =>
        ({ switchToHttp: () => ({ getRequest: () => ({ method, route: { path }, headers: {} }) }), getClass: () => UnlistedController, getHandler: () => UnlistedController.prototype.handler }) as unknown as ExecutionContext;
      await expect(guard.canActivate(listed('GET', '/health/live'))).resolves.toBe(true);
      await expect(guard.canActivate(listed('HEAD', '/health/live'))).resolves.toBe(true);
    } finally {
      spy.mockRestore();
    }
    expect(errors.join('\n')).toContain('POST /api/v1/unlisted/:id');
  });
});
