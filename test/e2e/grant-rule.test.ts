/**
 * The grant rule, enumerated: a caller may act only on users whose roles it could itself grant (an
 * agency admin grants every role but `admin`; only a partnership admin grants `admin`; acting on
 * oneself where the route allows it). Issue 9 found an agency admin of the partnership's own
 * agency issuing itself a key for the partnership admin and setting that admin's password.
 *
 * Every route (API and console) that takes a user id or creates, lists or revokes a key (the route
 * list comes from the app's registered routes: one that looks like it acts on a user and is not
 * covered here fails the test) is called
 *   × as every caller (single roles, and the combinations that occur, in the partnership's own
 *     agency and in another one)
 *   × on a target user holding each of the sets of roles below (ROLE_SETS), in the partnership's
 *     own agency and in another agency (a fresh one for every call the rule allows; calls it refuses must change
 *     nothing, so they share one per kind), and on the caller itself,
 * and the answer must be exactly what the rule says, stated on its own (not the app's code, not a
 * table of results) in test/support/grant-rule-drivers.ts, which also drives each route. When
 * refused, no row of users, api_keys or sessions changed and no audit event was written; when allowed, the change happened, was audited with the target's
 * agency, and a key issued carries no role its issuer could not grant.
 *
 * The sets of roles (issue 11 added `reviewer`, `review_lead` and `analyst`: eight roles, 255
 * non-empty sets, which would make this file of ~5 minutes take over 40). The rule treats every
 * role other than `admin` and `agency_admin` alike: each is granted by exactly the agency admins
 * and the partnership admins, and grants nothing itself. So a target's answer depends only on
 * whether its set holds `admin`, holds `agency_admin`, and holds any other role, and that is
 * covered by every subset of {admin, agency_admin, author, approver, supervisor} (31, as before)
 * plus each new role alone, with `admin` and with `agency_admin` (9): 40 sets, and each new role
 * is still checked on its own against every caller and route. A caller holding a new role is in
 * the callers too.
 */
import { randomBytes } from 'node:crypto';
import { generateApiKey, Role, User } from '@sne/core';
import { issueApiKey } from '../../apps/api/src/api-keys/api-keys.controller';
import { AUTHORIZATION } from '../../apps/api/src/common/authorization.table';
import { startStack, Stack } from '../support/stack';
import { createAgency } from '../support/fixtures';
import { Ctx, DRIVERS, expectedOutcome, LOOKS_USER_ACTING, ROLE_SETS, routeOf, Who } from '../support/grant-rule-drivers';

jest.setTimeout(900_000);


describe('the grant rule, enumerated over routes × callers × targets', () => {
  let stack: Stack;
  let P: { id: string }, A: { id: string };
  const callers: (Who & { key: string; label: string })[] = [];

  beforeAll(async () => {
    // Thousands of small commits: do not wait for each WAL flush (this test's own database only).
    stack = await startStack({}, { asyncCommit: true });
    P = await createAgency(stack.db, { name: 'Partnership', type: 'federal', roles: [] });
    A = await createAgency(stack.db, { name: 'Member', roles: [] });
    const add = async (label: string, agencyId: string, roles: Role[]) => {
      const key = await stack.db.transaction(async (m) => {
        const user = await m.save(m.create(User, { agencyId, email: `caller-${label}-${randomBytes(6).toString('hex')}@agency.test`, name: `Caller ${label}`, roles }));
        return { id: user.id, key: (await issueApiKey(m, user, 'caller', null)).key };
      });
      callers.push({ ...key, agencyId, roles, label });
    };
    await add('admin@partnership', P.id, ['admin']);
    await add('admin+agency_admin@partnership', P.id, ['admin', 'agency_admin']);
    await add('agency_admin@partnership', P.id, ['agency_admin']);
    await add('admin@member', A.id, ['admin']);
    await add('agency_admin+supervisor@member', A.id, ['agency_admin', 'supervisor']);
    await add('author@partnership', P.id, ['author']);
    await add('supervisor@member', A.id, ['supervisor']);
    await add('review_lead@member', A.id, ['review_lead']);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('covers every route that acts on a user, from the routes the app registered', () => {
    const app = stack.api.getHttpAdapter().getInstance();
    const registered: string[] = [];
    for (const layer of (app.router ?? app._router).stack) {
      if (!layer.route) continue;
      for (const [method, on] of Object.entries(layer.route.methods as Record<string, boolean>)) if (on && method !== '_all') registered.push(`${method.toUpperCase()} ${layer.route.path}`);
    }
    const covered = new Set(Object.keys(DRIVERS).map(routeOf));
    const userActing = registered.filter((k) => LOOKS_USER_ACTING.test(k) || AUTHORIZATION[k]?.grantRule);
    expect(userActing.filter((k) => !covered.has(k))).toEqual([]);
    // Every route of the table that states the rule is driven here, and every driven write states it.
    expect(Object.keys(AUTHORIZATION).filter((k) => AUTHORIZATION[k].grantRule && !covered.has(k))).toEqual([]);
    const unstated = Object.entries(DRIVERS).filter(([k, d]) => !d.read && !AUTHORIZATION[routeOf(k)]?.grantRule).map(([k]) => k);
    expect(unstated).toEqual([]);
    expect(userActing.length).toBeGreaterThanOrEqual(18);
  });

  it('answers every route, as every caller, on every kind of user, exactly as the rule says, and changes nothing when it refuses', async () => {
    const failures: string[] = [];
    const byOutcome: Record<string, number> = {};
    let cases = 0;
    const started = Date.now();

    /**
     * People with an open session and a key of their own, one per kind (`disabled` for the enable
     * routes), in three set-based statements: a call the rule allows gets a fresh one, so each
     * (route, caller) makes its targets at once rather than one transaction per case.
     */
    const people = async (kinds: { agencyId: string; roles: Role[] }[], disabled: boolean): Promise<{ user: Who; keyId: string; key: string }[]> => {
      if (!kinds.length) return [];
      const emails = kinds.map(() => `target-${randomBytes(5).toString('hex')}@agency.test`);
      const users: { id: string; email: string }[] = await stack.db.query(
        `INSERT INTO users (agency_id, email, name, roles, password_hash, disabled_at)
         SELECT a, e, 'Target', string_to_array(r, '+'), 'scrypt$placeholder', CASE WHEN $4 THEN now() END
           FROM unnest($1::uuid[], $2::text[], $3::text[]) AS t(a, e, r) RETURNING id, email`,
        [kinds.map((k) => k.agencyId), emails, kinds.map((k) => k.roles.join('+')), disabled],
      );
      const ids = emails.map((e) => users.find((u) => u.email === e)!.id);
      await stack.db.query(
        `INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) SELECT replace(gen_random_uuid()::text, '-', ''), u, 'x', now() + interval '1 hour' FROM unnest($1::uuid[]) AS u`,
        [ids],
      );
      const keys = kinds.map(() => generateApiKey());
      const issued: { id: string; user_id: string }[] = await stack.db.query(
        `INSERT INTO api_keys (user_id, agency_id, name, prefix, key_hash, roles)
         SELECT u, a, 'target key', p, h, string_to_array(r, '+') FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[]) AS t(u, a, p, h, r)
         RETURNING id, user_id`,
        [ids, kinds.map((k) => k.agencyId), keys.map((k) => k.prefix), keys.map((k) => k.hash), kinds.map((k) => k.roles.join('+'))],
      );
      return kinds.map((k, i) => ({ user: { id: ids[i], agencyId: k.agencyId, roles: k.roles }, keyId: issued.find((r) => r.user_id === ids[i])!.id, key: keys[i].key }));
    };
    // Refused calls change nothing, so they share one target per (roles, agency, disabled); an allowed call gets a fresh one.
    const pool = new Map<string, Awaited<ReturnType<typeof people>>[number]>();
    const shared = async (agencyId: string, roles: Role[], disabled: boolean) => {
      const k = `${agencyId}/${roles.join('+')}/${disabled}`;
      if (!pool.has(k)) pool.set(k, (await people([{ agencyId, roles }], disabled))[0]);
      return pool.get(k)!;
    };

    /** Rows of users, api_keys or sessions written after `xid` (but the caller's key, whose last use moves), and audit events after `auditId`. */
    const changes = async (xid: string, auditId: string, callerKeyId: string): Promise<number> => {
      const [r] = await stack.db.query(
        `SELECT (SELECT count(*) FROM users WHERE xmin::text::bigint >= $1)
              + (SELECT count(*) FROM api_keys WHERE xmin::text::bigint >= $1 AND id <> $3)
              + (SELECT count(*) FROM sessions WHERE xmin::text::bigint >= $1)
              + (SELECT count(*) FROM audit_events WHERE id > $2) AS n`,
        [xid, auditId, callerKeyId],
      );
      return Number(r.n);
    };

    /** The fresh targets, and the keys and sessions a case made for the caller (`spareKeyId`: the spare key of the self case). */
    const forget = async (targetIds: string[], callerId: string, spareKeyId: string | null) => {
      await stack.db.query(`DELETE FROM api_keys WHERE user_id = ANY($1) OR id = $2 OR (user_id = $3 AND name LIKE 'grant-rule %')`, [targetIds, spareKeyId, callerId]);
      await stack.db.query(`DELETE FROM sessions WHERE user_id = ANY($1) OR user_id = $2`, [targetIds, callerId]);
      if (targetIds.length) await stack.db.query(`DELETE FROM users WHERE id = ANY($1)`, [targetIds]);
    };
    const mark = async () =>
      // The first transaction id not yet handed out (taking it assigns none), and the last audit event.
      (await stack.db.query(`SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint % 4294967296 AS xid, coalesce(max(id), 0)::text AS audit FROM audit_events`))[0];
    // The detector sees a change: one write to a user after the mark.
    {
      const before = await mark();
      const [{ user }] = await people([{ agencyId: P.id, roles: ['author'] }], false);
      await stack.db.query(`UPDATE users SET name = 'Changed' WHERE id = $1`, [user.id]);
      expect(await changes(before.xid, before.audit, '00000000-0000-0000-0000-000000000000')).toBeGreaterThan(0);
      const after = await mark();
      expect(await changes(after.xid, after.audit, '00000000-0000-0000-0000-000000000000')).toBe(0);
    }

    for (const [name, driver] of Object.entries(DRIVERS)) {
      const rule = AUTHORIZATION[routeOf(name)];
      const disabled = driver.targetDisabled === true;
      for (const caller of callers) {
        const [{ id: callerKeyId }] = await stack.db.query(`SELECT id FROM api_keys WHERE user_id = $1 AND name = 'caller'`, [caller.id]);
        const kinds: { agencyId: string; roles: Role[]; label: string }[] = [{ agencyId: caller.agencyId, roles: caller.roles, label: 'itself' }];
        for (const agency of [P, A]) for (const roles of ROLE_SETS) kinds.push({ agencyId: agency.id, roles, label: `${roles.join('+')}@${agency === P ? 'partnership' : 'member'}` });
        const outcomes = kinds.map((kind) => {
          const probe: Who = kind.label === 'itself' ? caller : { id: 'a new user', agencyId: kind.agencyId, roles: kind.roles };
          return expectedOutcome(rule, caller, probe, driver.asksToGrant);
        });
        const freshKinds = kinds.filter((kind, i) => kind.label !== 'itself' && outcomes[i] === 'ok');
        const fresh = new Map((await people(freshKinds, disabled)).map((t, i) => [freshKinds[i], t]));
        for (const [i, kind] of kinds.entries()) {
          const self = kind.label === 'itself';
          const outcome = outcomes[i];
          let c: Ctx;
          if (self) {
            // The caller itself, with a spare key and a session (never its own key or state).
            await stack.db.query(`INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, 'x', now() + interval '1 hour')`, [randomBytes(16).toString('hex'), caller.id]);
            const issued = await stack.db.transaction(async (m) => issueApiKey(m, await m.findOneByOrFail(User, { id: caller.id }), 'spare key', null));
            c = { stack, caller, target: caller, targetKeyId: issued.id, targetKey: issued.key };
          } else {
            const t = fresh.get(kind) ?? (await shared(kind.agencyId, kind.roles, disabled));
            c = { stack, caller, target: t.user, targetKeyId: t.keyId, targetKey: t.key };
          }
          const want = driver.status[outcome];
          const r = driver.request(c);
          const before = await mark();
          const headers: Record<string, string> = { authorization: `Bearer ${caller.key}` };
          let body: string | undefined;
          if (r.json !== undefined) {
            headers['content-type'] = 'application/json';
            body = JSON.stringify(r.json);
          } else if (r.form) {
            headers['content-type'] = 'application/x-www-form-urlencoded';
            body = new URLSearchParams(r.form).toString();
          }
          const res = await fetch(`${stack.url}${r.path}`, { method: r.method, headers, body, redirect: 'manual' });
          const text = await res.text();
          cases++;
          byOutcome[outcome] = (byOutcome[outcome] ?? 0) + 1;
          const what = `${name} by ${caller.label} on ${kind.label} (expected ${outcome})`;
          if (res.status !== want) {
            failures.push(`${what}: ${res.status}, want ${want}: ${text.replace(/\s+/g, ' ').slice(0, 160)}`);
            continue;
          }
          if (driver.read) {
            const problem = driver.read(c, text, outcome === 'ok');
            if (problem) failures.push(`${what}: ${problem}`);
            if ((await changes(before.xid, before.audit, callerKeyId)) > 0) failures.push(`${what}: a read changed rows`);
          } else if (outcome === 'ok') {
            const problem = await driver.effect!(c, text);
            if (problem) failures.push(`${what}: ${problem}`);
            const events = await stack.db.query(`SELECT action, agency_id FROM audit_events WHERE id > $1`, [before.audit]);
            const owner = rule.grantRule === 'self-only' ? caller : c.target;
            if (!events.some((e: any) => e.action === driver.audited && e.agency_id === owner.agencyId)) failures.push(`${what}: no ${driver.audited} event in the target's agency`);
          } else if ((await changes(before.xid, before.audit, callerKeyId)) > 0) {
            failures.push(`${what}: refused, but rows changed`);
          }
          // The self case's spare key and session go at once (the next self case looks for the caller's newest key).
          if (self) await forget([], caller.id, c.targetKeyId);
        }
        // Keep the agencies small, so every case costs the same: this (route, caller)'s fresh targets, and keys made for the caller.
        await forget([...fresh.values()].map((t) => t.user.id), caller.id, null);
      }
    }
    console.log(
      `grant rule: ${Object.keys(DRIVERS).length} route variants × ${callers.length} callers × ${1 + ROLE_SETS.length * 2} targets = ${cases} cases ` +
        `in ${Math.round((Date.now() - started) / 1000)} s; by expected outcome: ${Object.entries(byOutcome).map(([k, n]) => `${k}×${n}`).join(' ')}`,
    );
    expect({ failures: failures.length, first: failures.slice(0, 40) }).toEqual({ failures: 0, first: [] });
    expect(cases).toBe(Object.keys(DRIVERS).length * callers.length * (1 + ROLE_SETS.length * 2));
  });
});
