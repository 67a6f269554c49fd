/**
 * "You may act on yourself for your keys, password and sessions" (README, the grant rule): anyone
 * signed in, with a key or a console session, signs themselves out everywhere through
 * `DELETE /api/v1/users/{own id}/sessions` or the account page's "Sign out everywhere". Someone
 * else's sessions stay as they were: a caller who is neither an agency admin nor a partnership
 * admin gets 403 whoever the id names (a colleague, another agency's person, nobody at all), as
 * before; agency admins still sign out their agency's people under the grant rule, and another
 * agency's person answers them 404. Every sign-out writes its `user.sessions_ended` event.
 */
import { randomUUID } from 'node:crypto';
import { hashPassword } from '@sne/core';
import { apiClient, createAgency, TestAgency } from '../support/fixtures';
import { startStack, Stack } from '../support/stack';

const PASSWORD = 'correct horse battery staple';

describe('ending your own sessions', () => {
  let stack: Stack;
  let call: ReturnType<typeof apiClient>;
  let A: TestAgency;
  let B: TestAgency;

  beforeAll(async () => {
    stack = await startStack();
    call = apiClient(stack.url);
    A = await createAgency(stack.db, { name: 'Home', roles: ['agency_admin', 'author', 'supervisor'] });
    B = await createAgency(stack.db, { name: 'Other', roles: ['agency_admin', 'supervisor'] });
    await stack.db.query(`UPDATE users SET password_hash = $1 WHERE agency_id = ANY($2)`, [await hashPassword(PASSWORD), [A.id, B.id]]);
  });

  afterAll(async () => {
    await stack?.close();
  });

  const emailOf = async (userId: string): Promise<string> => (await stack.db.query(`SELECT email FROM users WHERE id = $1`, [userId]))[0].email;
  /** A fresh console session of that user: its cookie and CSRF token. */
  const signIn = async (userId: string) => {
    const res = await call('POST', '/api/v1/auth/login', { body: { email: await emailOf(userId), password: PASSWORD } });
    expect(res.status).toBe(200);
    return { cookie: res.headers.get('set-cookie')!.split(';')[0], csrf: res.body.csrfToken as string };
  };
  const alive = async (s: { cookie: string }) => (await call('GET', '/api/v1/auth/session', { headers: { cookie: s.cookie } })).status === 200;
  const endedEvents = async (entityId: string) =>
    (await stack.db.query(`SELECT actor_id, agency_id, after FROM audit_events WHERE action = 'user.sessions_ended' AND lower(entity_id) = $1 ORDER BY id`, [entityId])) as {
      actor_id: string;
      agency_id: string;
      after: { sessionsEnded: number };
    }[];

  it('lets an author sign themselves out everywhere with a key, and with a session (CSRF still needed)', async () => {
    const author = A.userIds.author!;
    const [laptop, phone] = [await signIn(author), await signIn(author)];
    const res = await call('DELETE', `/api/v1/users/${author}/sessions`, { key: A.keys.author });
    expect([res.status, res.text]).toEqual([204, '']);
    expect([await alive(laptop), await alive(phone)]).toEqual([false, false]);
    expect(await endedEvents(author)).toEqual([{ actor_id: author, agency_id: A.id, after: { sessionsEnded: 2 } }]);

    // From a console session: the cookie alone is not enough, as for every change.
    const session = await signIn(author);
    expect((await call('DELETE', `/api/v1/users/${author}/sessions`, { headers: { cookie: session.cookie } })).status).toBe(403);
    expect(await alive(session)).toBe(true);
    expect((await call('DELETE', `/api/v1/users/${author.toUpperCase()}/sessions`, { headers: { cookie: session.cookie, 'x-csrf-token': session.csrf } })).status).toBe(204);
    expect(await alive(session)).toBe(false);
    expect((await endedEvents(author)).map((e) => e.after.sessionsEnded)).toEqual([2, 1]);
  });

  it("refuses anyone else's sessions to a caller who is not an admin: 403 whoever the id names, nothing ended, nothing audited", async () => {
    const colleague = A.userIds.supervisor!;
    const elsewhere = B.userIds.supervisor!;
    const [colleagueSession, elsewhereSession] = [await signIn(colleague), await signIn(elsewhere)];
    for (const target of [colleague, elsewhere, A.userIds.agency_admin!, randomUUID()]) {
      const res = await call('DELETE', `/api/v1/users/${target}/sessions`, { key: A.keys.author });
      expect([target, res.status, res.body?.message]).toEqual([target, 403, 'this action needs one of the roles: admin, agency_admin']);
    }
    // A supervisor of the other agency, on the home agency's people, the same.
    expect((await call('DELETE', `/api/v1/users/${colleague}/sessions`, { key: B.keys.supervisor })).status).toBe(403);
    expect([await alive(colleagueSession), await alive(elsewhereSession)]).toEqual([true, true]);
    expect([...(await endedEvents(colleague)), ...(await endedEvents(elsewhere))]).toEqual([]);
  });

  it("keeps agency admins acting on their agency's people under the grant rule; another agency's person answers 404", async () => {
    const colleague = A.userIds.supervisor!;
    const elsewhere = B.userIds.supervisor!;
    const [colleagueSession, elsewhereSession] = [await signIn(colleague), await signIn(elsewhere)];
    expect((await call('DELETE', `/api/v1/users/${elsewhere}/sessions`, { key: A.keys.agency_admin })).status).toBe(404);
    expect(await alive(elsewhereSession)).toBe(true);
    expect((await call('DELETE', `/api/v1/users/${colleague}/sessions`, { key: A.keys.agency_admin })).status).toBe(204);
    expect(await alive(colleagueSession)).toBe(false);
    expect((await endedEvents(colleague)).map((e) => [e.actor_id, e.agency_id])).toEqual([[A.userIds.agency_admin, A.id]]);
  });

  it('offers "Sign out everywhere" on the account page: every session of the caller ends, this one too', async () => {
    const supervisor = B.userIds.supervisor!;
    await stack.db.query(`UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [supervisor]);
    const [here, there] = [await signIn(supervisor), await signIn(supervisor)];
    const otherPerson = await signIn(B.userIds.agency_admin!);
    const account = await fetch(`${stack.url}/console/account`, { headers: { cookie: here.cookie } });
    const html = await account.text();
    expect(account.status).toBe(200);
    expect(html).toContain('action="/console/account/sessions/end"');
    expect(html).toContain('>Sign out everywhere</button>');

    const before = (await endedEvents(supervisor)).length;
    const res = await fetch(`${stack.url}/console/account/sessions/end`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: here.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: here.csrf }).toString(),
    });
    expect([res.status, res.headers.get('location')]).toEqual([303, '/console/sign-in?done=signed_out_everywhere']);
    expect(res.headers.get('set-cookie')).toMatch(/^sne_session=;/);
    expect([await alive(here), await alive(there), await alive(otherPerson)]).toEqual([false, false, true]);
    const events = await endedEvents(supervisor);
    expect(events.slice(before)).toEqual([{ actor_id: supervisor, agency_id: B.id, after: { sessionsEnded: 2 } }]);
    const signInPage = await (await fetch(`${stack.url}/console/sign-in?done=signed_out_everywhere`)).text();
    expect(signInPage).toContain('You have signed out everywhere');
  });
});
