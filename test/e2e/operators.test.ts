/**
 * What an operator does on day two, through the API and the console: disable a person (their
 * sessions end at once, their keys answer 401, they cannot sign in) and enable them again; change
 * their roles (at once, for every session and key, and a key never gains a role granted later);
 * sign them out everywhere; offboard an agency (its people and keys stop, it leaves the directory
 * and the reports' lists, its records stay) and reinstate it; edit and retire a topic; edit an
 * agency's contacts. Every change leaves its audit event. Unknown console addresses are pages.
 */
import { hashPassword } from '@sne/core';
import { apiClient, createAgency, createTopics, eventually, TestAgency } from '../support/fixtures';
import { startStack, Stack } from '../support/stack';

const PASSWORD = 'correct horse battery staple';

describe('operators: people, agencies, topics and contacts', () => {
  let stack: Stack;
  let call: ReturnType<typeof apiClient>;
  let P: TestAgency, issuer: TestAgency, member: TestAgency;

  beforeAll(async () => {
    stack = await startStack();
    call = apiClient(stack.url);
    await createTopics(stack.db, ['safe-sleep', 'intake.screening']);
    P = await createAgency(stack.db, { name: 'Partnership', type: 'federal', roles: ['admin', 'agency_admin'] });
    issuer = await createAgency(stack.db, { name: 'Issuer', type: 'state', code: '39', roles: ['author', 'approver', 'agency_admin', 'supervisor'] });
    member = await createAgency(stack.db, { name: 'Member', type: 'county', code: '39049', roles: ['agency_admin', 'supervisor', 'author'] });
    const hash = await hashPassword(PASSWORD);
    await stack.db.query(`UPDATE users SET password_hash = $1`, [hash]);
  });

  afterAll(async () => {
    await stack?.close();
  });

  const emailOf = async (userId: string) => (await stack.db.query(`SELECT email FROM users WHERE id = $1`, [userId]))[0].email;
  async function signIn(userId: string): Promise<{ status: number; cookie: string; csrf: string }> {
    const res = await call('POST', '/api/v1/auth/login', { body: { email: await emailOf(userId), password: PASSWORD } });
    return { status: res.status, cookie: String(res.headers.get('set-cookie') ?? '').split(';')[0], csrf: res.body?.csrfToken };
  }
  const whoAmI = (headers: Record<string, string>) => call('GET', '/api/v1/auth/session', { headers });
  const events = async (entityId: string) => (await stack.db.query(`SELECT action, agency_id, actor_id FROM audit_events WHERE entity_id = $1 ORDER BY id`, [entityId])) as { action: string; agency_id: string; actor_id: string }[];
  /** A console request with the API key (no CSRF needed), redirects not followed. */
  async function page(method: string, path: string, key: string | undefined, form?: Record<string, string>) {
    const headers: Record<string, string> = {};
    if (key) headers.authorization = `Bearer ${key}`;
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(`${stack.url}${path}`, { method, headers, body: form ? new URLSearchParams(form).toString() : undefined, redirect: 'manual' });
    return { status: res.status, location: res.headers.get('location'), type: res.headers.get('content-type') ?? '', text: await res.text() };
  }

  it("reproduces issue 9's takeover and is refused: an agency admin of the partnership's own agency cannot reach the partnership admin", async () => {
    // The partnership admin creates an agency admin in the partnership's own agency and gives it a key K.
    const created = await call('POST', '/api/v1/users', { key: P.keys.admin, body: { email: 'deputy@partnership.test', name: 'Deputy', roles: ['agency_admin'] } });
    expect(created.status).toBe(201);
    const k = (await call('POST', '/api/v1/api-keys', { key: P.keys.admin, body: { name: 'deputy', userId: created.body.id } })).body.key;
    const before = await stack.db.query(`SELECT count(*)::int AS keys FROM api_keys WHERE user_id = $1`, [P.userIds.admin]);
    // With K: a key for the admin, the admin's password, the admin's sessions, roles and sign-in: all as if the admin did not exist.
    expect((await call('POST', '/api/v1/api-keys', { key: k, body: { name: 'takeover', userId: P.userIds.admin } })).status).toBe(404);
    expect((await call('PUT', `/api/v1/users/${P.userIds.admin}/password`, { key: k, body: { password: 'taken over passphrase' } })).status).toBe(404);
    expect((await call('DELETE', `/api/v1/users/${P.userIds.admin}/sessions`, { key: k })).status).toBe(404);
    expect((await call('POST', `/api/v1/users/${P.userIds.admin}/disable`, { key: k, body: {} })).status).toBe(404);
    expect((await call('PUT', `/api/v1/users/${created.body.id}/roles`, { key: k, body: { roles: ['admin'] } })).status).toBe(403);
    expect((await call('POST', '/api/v1/auth/login', { body: { email: await emailOf(P.userIds.admin!), password: 'taken over passphrase' } })).status).toBe(401);
    expect(await stack.db.query(`SELECT count(*)::int AS keys FROM api_keys WHERE user_id = $1`, [P.userIds.admin])).toEqual(before);
    // Creating a user with role admin was already refused; it still is.
    expect((await call('POST', '/api/v1/users', { key: k, body: { email: 'second@partnership.test', name: 'Second', roles: ['admin'] } })).status).toBe(403);
  });

  it('disables a person: sessions end at once, keys answer 401, no sign-in; enabling restores sign-in and keys', async () => {
    const person = member.userIds.supervisor!;
    const session = await signIn(person);
    expect(session.status).toBe(200);
    expect((await whoAmI({ cookie: session.cookie })).status).toBe(200);
    expect((await whoAmI({ authorization: `Bearer ${member.keys.supervisor}` })).status).toBe(200);

    const disabled = await call('POST', `/api/v1/users/${person}/disable`, { key: member.keys.agency_admin, body: { reason: 'left the agency' } });
    expect(disabled.status).toBe(200);
    expect(disabled.body.disabledAt).toEqual(expect.any(String));
    expect((await whoAmI({ cookie: session.cookie })).status).toBe(401);
    expect((await whoAmI({ authorization: `Bearer ${member.keys.supervisor}` })).status).toBe(401);
    expect((await signIn(person)).status).toBe(401);
    expect((await call('POST', `/api/v1/users/${person}/disable`, { key: member.keys.agency_admin, body: {} })).status).toBe(409);

    const enabled = await call('POST', `/api/v1/users/${person}/enable`, { key: member.keys.agency_admin });
    expect(enabled.status).toBe(200);
    expect(enabled.body.disabledAt).toBeNull();
    expect((await whoAmI({ authorization: `Bearer ${member.keys.supervisor}` })).status).toBe(200);
    expect((await signIn(person)).status).toBe(200);
    // The session that ended stays ended.
    expect((await whoAmI({ cookie: session.cookie })).status).toBe(401);
    const log = await events(person);
    expect(log.map((e) => e.action).filter((a) => ['user.disabled', 'user.enabled'].includes(a))).toEqual(['user.disabled', 'user.enabled']);
    expect(log.find((e) => e.action === 'user.disabled')!.agency_id).toBe(member.id);
  });

  it('changes roles at once for every session and key, and a key never gains a role granted after it was issued', async () => {
    const person = member.userIds.author!;
    const session = await signIn(person);
    const headers = { cookie: session.cookie };
    expect((await call('GET', '/api/v1/reports/overdue', { headers })).status).toBe(403);
    // The agency admin adds supervisor: the session has it at once; the author's key, issued before, does not.
    const changed = await call('PUT', `/api/v1/users/${person}/roles`, { key: member.keys.agency_admin, body: { roles: ['author', 'supervisor'] } });
    expect(changed.status).toBe(200);
    expect(changed.body.roles).toEqual(['author', 'supervisor']);
    expect((await call('GET', '/api/v1/reports/overdue', { headers })).status).toBe(200);
    expect((await call('GET', '/api/v1/reports/overdue', { key: member.keys.author })).status).toBe(403);
    // A partnership admin makes them an agency admin: the old key still cannot manage the agency.
    expect((await call('PUT', `/api/v1/users/${person}/roles`, { key: P.keys.admin, body: { roles: ['author', 'agency_admin'] } })).status).toBe(200);
    expect((await call('GET', '/api/v1/subscriptions', { key: member.keys.author })).status).toBe(403);
    // Taking a role away takes it from every key at once.
    expect((await call('POST', '/api/v1/notices', { key: member.keys.author, body: {} })).status).toBe(400);
    expect((await call('PUT', `/api/v1/users/${person}/roles`, { key: member.keys.agency_admin, body: { roles: ['supervisor'] } })).status).toBe(200);
    expect((await call('POST', '/api/v1/notices', { key: member.keys.author, body: {} })).status).toBe(403);
    // Only a partnership admin grants admin; nobody changes their own roles.
    expect((await call('PUT', `/api/v1/users/${person}/roles`, { key: member.keys.agency_admin, body: { roles: ['admin'] } })).status).toBe(403);
    expect((await call('PUT', `/api/v1/users/${member.userIds.agency_admin}/roles`, { key: member.keys.agency_admin, body: { roles: ['supervisor'] } })).status).toBe(403);
    const log = (await events(person)).filter((e) => e.action === 'user.roles_changed');
    expect(log.map((e) => e.agency_id)).toEqual([member.id, member.id, member.id]);
  });

  it('signs a person out everywhere', async () => {
    const person = issuer.userIds.approver!;
    const a = await signIn(person);
    const b = await signIn(person);
    expect((await call('DELETE', `/api/v1/users/${person}/sessions`, { key: issuer.keys.agency_admin })).status).toBe(204);
    expect((await whoAmI({ cookie: a.cookie })).status).toBe(401);
    expect((await whoAmI({ cookie: b.cookie })).status).toBe(401);
    expect((await whoAmI({ authorization: `Bearer ${issuer.keys.approver}` })).status).toBe(200);
    expect((await events(person)).map((e) => e.action)).toContain('user.sessions_ended');
  });

  it('offboards an agency: people and keys stop, it leaves the directory and the reports, its records stay; reinstating restores it', async () => {
    const leaving = await createAgency(stack.db, { name: 'Leaving', type: 'county', code: '39061', roles: ['agency_admin', 'supervisor'] });
    await stack.db.query(`UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE id = $1) WHERE agency_id = $2`, [P.userIds.admin, leaving.id]);
    // A critical notice reaches it (mandatory email), and its record becomes overdue.
    const draft = await call('POST', '/api/v1/notices', {
      key: issuer.keys.author,
      body: { title: 'Offboarding check', summary: 'A summary.', body: 'Body.', category: 'advisory', severity: 'critical', topics: ['safe-sleep'] },
    });
    const submitted = await call('POST', `/api/v1/notices/${draft.body.id}/submit`, { key: issuer.keys.author });
    const published = await call('POST', `/api/v1/notices/${draft.body.id}/approve`, { key: issuer.keys.approver, body: { contentHash: submitted.body.contentHash } });
    expect(published.status).toBe(200);
    await eventually(async () => (await stack.db.query(`SELECT 1 FROM acknowledgments WHERE notice_id = $1 AND agency_id = $2`, [draft.body.id, leaving.id])).length > 0, 30000, 'the fan-out');
    await stack.db.query(`UPDATE acknowledgments SET due_at = now() - interval '2 hours' WHERE notice_id = $1`, [draft.body.id]);
    const session = await signIn(leaving.userIds.supervisor!);
    expect(session.status).toBe(200);
    const overdueAgencies = async (query = '') => (await call('GET', `/api/v1/reports/overdue${query}`, { key: P.keys.admin })).body.items.map((i: any) => i.agency.id);
    const range = `from=${new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)}&to=${new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)}`;
    const timedAgencies = async (query = '') => (await call('GET', `/api/v1/reports/response-times?${range}${query}`, { key: P.keys.admin })).body.items.map((i: any) => i.agency.id);
    const directory = async (key: string, query = '') => (await call('GET', `/api/v1/agencies${query}`, { key })).body.map((a: any) => a.id);
    expect(await overdueAgencies()).toContain(leaving.id);
    expect(await timedAgencies()).toContain(leaving.id);

    // Only partnership admins offboard, and never their own agency.
    expect((await call('POST', `/api/v1/agencies/${leaving.id}/offboard`, { key: leaving.keys.agency_admin, body: { reason: 'we are leaving' } })).status).toBe(403);
    expect((await call('POST', `/api/v1/agencies/${P.id}/offboard`, { key: P.keys.admin, body: { reason: 'leaving ourselves' } })).status).toBe(403);
    expect((await call('POST', `/api/v1/agencies/${leaving.id}/offboard`, { key: P.keys.admin, body: {} })).status).toBe(400);
    const off = await call('POST', `/api/v1/agencies/${leaving.id}/offboard`, { key: P.keys.admin, body: { reason: 'left the partnership' } });
    expect(off.status).toBe(200);
    expect(off.body.offboardedAt).toEqual(expect.any(String));
    expect((await call('POST', `/api/v1/agencies/${leaving.id}/offboard`, { key: P.keys.admin, body: { reason: 'again' } })).status).toBe(409);

    // Its people and keys stop at once.
    expect((await whoAmI({ cookie: session.cookie })).status).toBe(401);
    expect((await whoAmI({ authorization: `Bearer ${leaving.keys.supervisor}` })).status).toBe(401);
    expect((await signIn(leaving.userIds.supervisor!)).status).toBe(401);
    // It leaves the directory and the reports' lists, unless a partnership admin asks.
    expect(await directory(member.keys.supervisor!)).not.toContain(leaving.id);
    expect(await directory(P.keys.admin!)).not.toContain(leaving.id);
    expect(await directory(P.keys.admin!, '?includeOffboarded=true')).toContain(leaving.id);
    expect(await directory(member.keys.supervisor!, '?includeOffboarded=true')).not.toContain(leaving.id);
    expect(await overdueAgencies()).not.toContain(leaving.id);
    expect(await overdueAgencies('?includeOffboarded=true')).toContain(leaving.id);
    expect(await timedAgencies()).not.toContain(leaving.id);
    expect(await timedAgencies('&includeOffboarded=true')).toContain(leaving.id);
    const dashboard = await page('GET', '/console/dashboard', P.keys.admin);
    expect(dashboard.status).toBe(200);
    expect(dashboard.text).not.toContain(leaving.name);
    expect((await page('GET', '/console/dashboard?includeOffboarded=true', P.keys.admin)).text).toContain(leaving.name);
    // Its records stay.
    const history = await call('GET', `/api/v1/agencies/${leaving.id}/notices`, { key: P.keys.admin });
    expect(history.body.items.map((i: any) => i.noticeId)).toContain(draft.body.id);
    expect((await call('GET', `/api/v1/agencies/${leaving.id}`, { key: member.keys.supervisor })).body).toMatchObject({ id: leaving.id, offboardedAt: expect.any(String) });

    const back = await call('POST', `/api/v1/agencies/${leaving.id}/reinstate`, { key: P.keys.admin });
    expect(back.status).toBe(200);
    expect(back.body.offboardedAt).toBeNull();
    expect((await whoAmI({ authorization: `Bearer ${leaving.keys.supervisor}` })).status).toBe(200);
    expect(await directory(member.keys.supervisor!)).toContain(leaving.id);
    expect((await call('POST', `/api/v1/agencies/${leaving.id}/reinstate`, { key: P.keys.admin })).status).toBe(409);
    expect((await events(leaving.id)).map((e) => e.action).filter((a) => a !== 'agency.created')).toEqual(['agency.offboarded', 'agency.reinstated']);
  });

  it('edits a topic, never its key, and retires it: new notices cannot use it, notices that carry it keep it', async () => {
    const notice = { title: 'Screening gap', summary: 'A summary.', body: 'Body.', category: 'advisory', severity: 'low', topics: ['intake.screening'] };
    const kept = await call('POST', '/api/v1/notices', { key: issuer.keys.author, body: notice });
    expect(kept.status).toBe(201);
    expect((await call('PATCH', '/api/v1/topics/intake.screening', { key: P.keys.admin, body: { key: 'intake.other' } })).status).toBe(400);
    expect((await call('PATCH', '/api/v1/topics/intake.screening', { key: issuer.keys.agency_admin, body: { title: 'Mine' } })).status).toBe(403);
    expect((await call('PATCH', '/api/v1/topics/no.such-topic', { key: P.keys.admin, body: { title: 'Nothing' } })).status).toBe(404);
    const edited = await call('PATCH', '/api/v1/topics/intake.screening', { key: P.keys.admin, body: { title: 'Intake screening', description: 'Gaps in screening practice' } });
    expect(edited.body).toMatchObject({ key: 'intake.screening', title: 'Intake screening', description: 'Gaps in screening practice', retiredAt: null });
    const retired = await call('PATCH', '/api/v1/topics/intake.screening', { key: P.keys.admin, body: { retired: true } });
    expect(retired.body.retiredAt).toEqual(expect.any(String));
    // The console's editor no longer offers it.
    expect((await page('GET', '/console/notices/new', issuer.keys.author)).text).not.toContain('value="intake.screening"');
    const refused = await call('POST', '/api/v1/notices', { key: issuer.keys.author, body: notice });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('retired');
    expect((await call('PATCH', `/api/v1/notices/${kept.body.id}`, { key: issuer.keys.author, body: { summary: 'A better summary.' } })).status).toBe(200);
    expect((await call('PATCH', `/api/v1/notices/${kept.body.id}`, { key: issuer.keys.author, body: { topics: ['safe-sleep'] } })).status).toBe(200);
    expect((await call('PATCH', `/api/v1/notices/${kept.body.id}`, { key: issuer.keys.author, body: { topics: ['intake.screening'] } })).status).toBe(400);
    expect((await call('PATCH', '/api/v1/topics/intake.screening', { key: P.keys.admin, body: { retired: false } })).body.retiredAt).toBeNull();
    expect((await call('POST', '/api/v1/notices', { key: issuer.keys.author, body: notice })).status).toBe(201);
    expect((await page('GET', '/console/notices/new', issuer.keys.author)).text).toContain('value="intake.screening"');
    expect((await events('intake.screening')).map((e) => e.action)).toEqual(['topic.updated', 'topic.retired', 'topic.reinstated']);
  });

  it("edits an agency's contacts: agency admins their own agency's, in the API and the console, validated as the API validates", async () => {
    // The name and jurisdiction decide which notices an agency is sent: partnership admins only.
    expect((await call('PATCH', `/api/v1/agencies/${member.id}`, { key: member.keys.agency_admin, body: { jurisdictionCode: '39001' } })).status).toBe(403);
    expect((await call('PATCH', `/api/v1/agencies/${member.id}`, { key: P.keys.admin, body: { jurisdictionCode: '39049' } })).status).toBe(200);

    const bad = await page('POST', `/console/admin/agencies/${member.id}/contacts`, member.keys.agency_admin, {
      noticesContactEmail: 'not an address',
      escalationContacts: 'first@county.test\nnot-an-address',
      fallbackContacts: '',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Enter the email address that receives mandatory notices');
    expect(bad.text).toContain('not-an-address'); // what was typed stays in the form
    const before = (await call('GET', `/api/v1/agencies/${member.id}`, { key: member.keys.agency_admin })).body;
    expect(before.noticesContactEmail).not.toBe('not an address');

    const saved = await page('POST', `/console/admin/agencies/${member.id}/contacts`, member.keys.agency_admin, {
      noticesContactEmail: 'notices@county.test',
      escalationContacts: 'supervisor@county.test\r\ndirector@county.test',
      fallbackContacts: 'desk@county.test',
    });
    expect(saved).toMatchObject({ status: 303, location: `/console/admin/agencies/${member.id}?done=contacts_saved` });
    expect((await call('GET', `/api/v1/agencies/${member.id}`, { key: member.keys.agency_admin })).body).toMatchObject({
      noticesContactEmail: 'notices@county.test',
      escalationContacts: ['supervisor@county.test', 'director@county.test'],
      fallbackContacts: ['desk@county.test'],
    });
    // Another agency's page and form look like nothing is there; a partnership admin reaches any.
    expect((await page('GET', `/console/admin/agencies/${issuer.id}`, member.keys.agency_admin)).status).toBe(404);
    expect((await page('POST', `/console/admin/agencies/${issuer.id}/contacts`, member.keys.agency_admin, { noticesContactEmail: 'x@y.test' })).status).toBe(404);
    expect((await page('GET', `/console/admin/agencies/${issuer.id}`, P.keys.admin)).status).toBe(200);
    // One event, the contacts': the partnership admin's PATCH above sent the code it already had, which changes nothing.
    expect((await events(member.id)).filter((e) => e.action === 'agency.updated')).toHaveLength(1);
  });

  it('answers unknown console addresses and refusals with pages in plain words', async () => {
    for (const [path, key] of [['/console/no-such-page', undefined], ['/console/admin/users/not-a-uuid', member.keys.agency_admin], ['/console/notices/123', member.keys.author]] as const) {
      const res = await page('GET', path, key);
      expect([path, res.status, res.type]).toEqual([path, 404, expect.stringContaining('text/html')]);
      expect(res.text).toMatch(/<html lang="en">/);
      expect(res.text).toMatch(/<title>Page not found – Safety Notice Exchange<\/title>/);
      expect(res.text).toContain('There is no page at this address.');
      expect(res.text).not.toMatch(/Validation failed|Cannot GET|uuid is expected|"statusCode"/);
    }
    const refused = await page('GET', '/console/dashboard', member.keys.author);
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('This page is for supervisors or partnership admins.');
    expect(refused.text).not.toContain('this action needs one of the roles');
    // The API stays JSON.
    const api = await call('GET', '/api/v1/no-such-thing', { key: member.keys.author });
    expect(api.status).toBe(404);
    expect(api.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('documents every operation it added or changed in OpenAPI: the success body and each error with the error body', async () => {
    const doc = (await call('GET', '/docs/openapi.json')).body;
    const OPERATIONS: [string, string, number, number[]][] = [
      ['put', '/api/v1/users/{id}/roles', 200, [400, 401, 403, 404]],
      ['post', '/api/v1/users/{id}/disable', 200, [400, 401, 403, 404, 409]],
      ['post', '/api/v1/users/{id}/enable', 200, [400, 401, 403, 404, 409]],
      ['delete', '/api/v1/users/{id}/sessions', 204, [400, 401, 403, 404]],
      ['put', '/api/v1/users/{id}/password', 204, [400, 401, 403, 404, 409]],
      ['post', '/api/v1/users', 201, [400, 401, 403, 404, 409]],
      ['get', '/api/v1/users', 200, [400, 401, 403]],
      ['get', '/api/v1/users/{id}', 200, [400, 401, 403, 404]],
      ['post', '/api/v1/api-keys', 201, [400, 401, 403, 404]],
      ['get', '/api/v1/api-keys', 200, [401]],
      ['delete', '/api/v1/api-keys/{id}', 204, [400, 401, 404]],
      ['get', '/api/v1/agencies', 200, [400, 401]],
      ['get', '/api/v1/agencies/{id}', 200, [400, 401, 404]],
      ['post', '/api/v1/agencies', 201, [400, 401, 403, 409]],
      ['patch', '/api/v1/agencies/{id}', 200, [400, 401, 403, 404]],
      ['post', '/api/v1/agencies/{id}/offboard', 200, [400, 401, 403, 404, 409]],
      ['post', '/api/v1/agencies/{id}/reinstate', 200, [400, 401, 403, 404, 409]],
      ['get', '/api/v1/topics', 200, [401]],
      ['post', '/api/v1/topics', 201, [400, 401, 403, 409]],
      ['patch', '/api/v1/topics/{key}', 200, [400, 401, 403, 404]],
      ['get', '/api/v1/reports/overdue', 200, [400, 401, 403]],
      ['get', '/api/v1/reports/response-times', 200, [400, 401, 403]],
      ['get', '/api/v1/audit', 200, [400, 401, 403]],
    ];
    const problems: string[] = [];
    for (const [method, path, success, errors] of OPERATIONS) {
      const op = doc.paths[path]?.[method];
      if (!op) {
        problems.push(`${method} ${path}: not documented`);
        continue;
      }
      const ok = op.responses[String(success)];
      if (!ok) problems.push(`${method} ${path}: no ${success} response`);
      else if (success !== 204 && !ok.content?.['application/json']?.schema) problems.push(`${method} ${path}: ${success} has no body schema`);
      for (const status of errors) {
        const ref = op.responses[String(status)]?.content?.['application/json']?.schema?.$ref;
        if (ref !== '#/components/schemas/ErrorResponse') problems.push(`${method} ${path}: ${status} is not documented with the error body`);
      }
    }
    expect(problems).toEqual([]);
    expect(doc.components.schemas.ErrorResponse.required.sort()).toEqual(['error', 'message', 'statusCode']);
  });

  it('keeps events about a partnership admin out of the view of the agency admin beside them, and logs cross-agency acts with the agency concerned', async () => {
    await signIn(P.userIds.admin!);
    expect((await call('PUT', `/api/v1/users/${member.userIds.supervisor}/password`, { key: P.keys.admin, body: { password: 'another long passphrase' } })).status).toBe(204);
    const [set] = (await events(member.userIds.supervisor!)).filter((e) => e.action === 'user.password_set');
    expect(set.agency_id).toBe(member.id);
    const seen = await call('GET', '/api/v1/audit?limit=1000', { key: P.keys.agency_admin });
    expect(seen.status).toBe(200);
    const about = seen.body.items.filter((e: any) => e.entityId === P.userIds.admin || (e.entityType === 'session' && e.actorId === P.userIds.admin));
    expect(about).toEqual([]);
    const all = await call('GET', `/api/v1/audit?limit=1000`, { key: P.keys.admin });
    expect(all.body.items.some((e: any) => e.entityType === 'session' && e.actorId === P.userIds.admin)).toBe(true);
  });
});
