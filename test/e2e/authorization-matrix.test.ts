/**
 * Authorization proven, not assumed: the matrix. The authorization table
 * (apps/api/src/common/authorization.table.ts) says, for every endpoint, which roles may call it
 * and how far it reaches. This test calls every route as every role (and with no credentials),
 * for an object of the caller's own agency, for another agency's private object (404 unless the
 * table lets a partnership admin cross agencies), and, where the scope makes another agency's
 * object readable, for that one too (routes acting on a user: on the caller itself as well), and
 * checks the exact status: allowed → its success code,
 * wrong role → 403, nobody → 401. (That every route has a row, and that a route without one is
 * refused: test/e2e/authorization-routes.test.ts.)
 */
import { Role } from '@sne/core';
import { AUTHORIZATION, AuthorizationRule } from '../../apps/api/src/common/authorization.table';
import { Call, Caller, CALLERS, isTwoHundred, request, RouteSpec, Target } from '../support/authorization-calls';
import { useAuthorizationScene } from '../support/authorization-scene';
import { routeSpecs } from '../support/authorization-specs';

describe('authorization: one table, every route, every role', () => {
  const scene = useAuthorizationScene();
  const SPECS = routeSpecs(scene);
  const { keyOf } = scene;

  /** The answers the table promises for this caller and object. */
  function expected(rule: AuthorizationRule, spec: RouteSpec, caller: Caller, target: Target): number[] {
    const ok = ([] as number[]).concat(spec.ok);
    if (rule.roles === 'public') return ok;
    if (caller === 'anonymous') return [spec.anonymous ?? 401];
    if (rule.roles !== 'any' && !rule.roles.includes(caller)) return [403];
    // Someone else than oneself, where the table asks more for that (`othersNeed`): refused before any lookup.
    if (rule.othersNeed && target !== 'self' && !rule.othersNeed.includes(caller as Role)) return [403];
    if (target !== 'other') return ok;
    const special = spec.other?.(caller);
    if (special !== undefined) return [special];
    return caller === 'admin' && rule.crossAgencyAdmin ? ok : [404];
  }

  it('answers every route, as every role, for own and other agencies, exactly as the table says', async () => {
    const failures: string[] = [];
    const coverage: { route: string; calls: number; byStatus: Record<number, number> }[] = [];
    let calls = 0;
    for (const [key, rule] of Object.entries(AUTHORIZATION)) {
      const spec = SPECS[key];
      if (!spec) {
        failures.push(`${key}: no request factory`);
        continue;
      }
      const [method] = key.split(' ');
      const row = { route: key, calls: 0, byStatus: {} as Record<number, number> };
      for (const caller of CALLERS) {
        for (const target of spec.targets ?? ['own']) {
          const want = expected(rule, spec, caller, target);
          // Refused (4xx, or the console's redirect of a signed-out visitor) or not: fresh objects only for calls that act.
          const refused = want.every((s) => s >= 400) || (caller === 'anonymous' && rule.roles !== 'public');
          const x: Call = { caller, target, home: caller === 'admin' ? scene.P : scene.A, other: scene.B, live: !refused };
          const r = await spec.req(x);
          const headers: Record<string, string> = {};
          const key_ = rule.roles === 'public' && caller === 'anonymous' ? undefined : keyOf(caller);
          if (key_) headers.authorization = `Bearer ${key_}`;
          let body: string | undefined;
          if (r.raw) {
            headers['content-type'] = r.raw.type;
            body = r.raw.text;
          } else if (r.form) {
            headers['content-type'] = 'application/x-www-form-urlencoded';
            body = new URLSearchParams(r.form).toString();
          } else if (r.body !== undefined) {
            headers['content-type'] = 'application/json';
            body = JSON.stringify(r.body);
          }
          const res = await request(scene.stack.url, method, r.path, { headers, body });
          calls++;
          row.calls++;
          row.byStatus[res.status] = (row.byStatus[res.status] ?? 0) + 1;
          const what = `${key} as ${caller}, ${target} object (${r.path})`;
          if (!want.includes(res.status)) {
            failures.push(`${what}: expected ${want.join(' or ')}, got ${res.status} ${res.text.replace(/\s+/g, ' ').slice(0, 200)}`);
            continue;
          }
          // Every answer, success or refusal, is one the OpenAPI document gives for this operation.
          const undocumented = scene.contract.responseProblem(key, { ...res, json: res.body });
          if (undocumented) failures.push(`${what}: OpenAPI: ${undocumented}`);
          if (res.status >= 400 && res.contentType.includes('json')) {
            if (!(res.body?.statusCode === res.status && typeof res.body.error === 'string' && res.body.message !== undefined)) {
              failures.push(`${what}: error without the {statusCode, error, message} shape: ${res.text.slice(0, 200)}`);
            }
          }
          if (isTwoHundred(res.status) && spec.check) {
            const problem = spec.check(x, res);
            if (problem) failures.push(`${what}: ${problem}`);
          }
        }
      }
      coverage.push(row);
    }
    const routes = coverage.length;
    const lines = coverage.map((c) => `${c.route.padEnd(52)} ${String(c.calls).padStart(3)} calls  ${Object.entries(c.byStatus).map(([s, n]) => `${s}×${n}`).join(' ')}`);
    const statuses = coverage.reduce<Record<string, number>>((acc, c) => {
      for (const [s, n] of Object.entries(c.byStatus)) acc[s] = (acc[s] ?? 0) + n;
      return acc;
    }, {});
    console.log(
      `authorization matrix: ${routes} routes × ${CALLERS.length} callers (${CALLERS.join(', ')}) × own/other/shared objects = ${calls} calls\n` +
        `by status: ${Object.entries(statuses).map(([s, n]) => `${s}×${n}`).join(' ')}\n${lines.join('\n')}`,
    );
    expect(failures).toEqual([]);
    expect(routes).toBe(Object.keys(AUTHORIZATION).length);
  }, 480_000);
});
