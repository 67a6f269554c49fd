/**
 * Administration that lasts past day one (issue 10, item 7), on the real stack: every admin table
 * is searched and paged by the server with links that keep the query; a user's name and email
 * and an agency's name, jurisdiction and time zone are edited (API and console), and agencies,
 * topics, users and subscriptions are deactivated and reactivated in the console, each change
 * audited; the audit page shows partnership admins every event and an agency admin only their
 * agency's, searched by object, actor, event type and days, paged, linked to each object's page,
 * with the hash chain's state (and a tampered event shown as a break).
 */
import { hashPassword } from '@sne/core';
import { apiClient, createAgency, createTopics, eventually, TestAgency } from '../support/fixtures';
import { rewriteAuditEvent, startStack, Stack } from '../support/stack';

const PASSWORD = 'correct horse battery staple';

describe('administration: tables, editing, reactivation and the audit page', () => {
  let stack: Stack;
  let call: ReturnType<typeof apiClient>;
  let P: TestAgency, A: TestAgency, B: TestAgency;

  beforeAll(async () => {
    stack = await startStack();
    call = apiClient(stack.url);
    await createTopics(stack.db, ['safe-sleep', 'water-safety']);
    P = await createAgency(stack.db, { name: 'Partnership', type: 'federal', roles: ['admin', 'agency_admin'] });
    A = await createAgency(stack.db, { name: 'Alpha County', roles: ['agency_admin', 'supervisor', 'author'], timeZone: 'America/New_York' });
    B = await createAgency(stack.db, { name: 'Beta County', roles: ['agency_admin', 'supervisor', 'author'] });
    await stack.db.query(`UPDATE users SET password_hash = $1`, [await hashPassword(PASSWORD)]);
  });

  afterAll(async () => {
    await stack?.close();
  });

  /** A console request with an API key (no CSRF needed), redirects not followed. */
  async function page(method: string, path: string, key: string | undefined, form?: Record<string, string>) {
    const headers: Record<string, string> = {};
    if (key) headers.authorization = `Bearer ${key}`;
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(`${stack.url}${path}`, { method, headers, body: form ? new URLSearchParams(form).toString() : undefined, redirect: 'manual' });
    return { status: res.status, location: res.headers.get('location'), text: await res.text() };
  }
  const events = async (entityId: string) =>
    (await stack.db.query(`SELECT action, agency_id, actor_id, before, after FROM audit_events WHERE entity_id = $1 ORDER BY id`, [entityId])) as {
      action: string;
      agency_id: string;
      actor_id: string;
      before: any;
      after: any;
    }[];
  /** The links of a page, as a browser reads them (Handlebars escapes & and =). */
  const hrefs = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'));
  const rowsOf = (html: string, table: string) => {
    const body = html.split(`aria-label="Table of ${table}"`)[1]?.split('</tbody>')[0] ?? '';
    return body.split('<tr').slice(2);
  };

  it('searches and pages the users server-side, and every page link keeps the query', async () => {
    for (let i = 1; i <= 30; i++) {
      await stack.db.query(`INSERT INTO users (agency_id, email, name, roles, kind) VALUES ($1, $2, $3, '{supervisor}', 'person')`, [A.id, `pager-${i}@alpha.test`, `Pager Person ${String(i).padStart(2, '0')}`]);
    }
    // The agency admin's table: 25 a page, the search narrows it, the page links keep the search.
    const first = await page('GET', '/console/admin?q=pager', A.keys.agency_admin);
    expect(first.status).toBe(200);
    expect(rowsOf(first.text, 'users')).toHaveLength(25);
    expect(first.text).toContain('Showing 1 to 25 of 30');
    const next = hrefs(first.text).find((h) => h.includes('page=2'))!;
    expect(new URL(next, stack.url).searchParams.get('q')).toBe('pager');
    const second = await page('GET', next.replace(/#.*/, ''), A.keys.agency_admin);
    expect(second.text).toContain('Showing 26 to 30 of 30');
    const rows = rowsOf(second.text, 'users');
    expect(rows).toHaveLength(5);
    expect(rows.join('')).toContain('Pager Person 30');
    expect(rows.join('')).not.toContain('Pager Person 01');
    // A search that matches one person; one that matches nobody says so, with a way back.
    const one = await page('GET', '/console/admin?q=pager-17%40', A.keys.agency_admin);
    expect(rowsOf(one.text, 'users')).toHaveLength(1);
    expect(one.text).toContain('Pager Person 17');
    const none = await page('GET', '/console/admin?q=%25_nobody', A.keys.agency_admin);
    expect(none.text).toContain('No user matches');
    // A partnership admin looking at another agency: the page links keep the agency too.
    const admin = await page('GET', `/console/admin?agency=${A.id}&q=pager`, P.keys.admin);
    const link = new URL(hrefs(admin.text).find((h) => h.includes('page=2'))!, stack.url);
    expect([link.searchParams.get('agency'), link.searchParams.get('q')]).toEqual([A.id, 'pager']);
    // An agency admin cannot page through another agency's users by naming it.
    const other = await page('GET', `/console/admin?agency=${B.id}`, A.keys.agency_admin);
    expect(other.text).not.toContain(B.userIds.supervisor!);
  });

  it('searches and pages the agencies and the topics for partnership admins', async () => {
    const agencies = await page('GET', `/console/admin/agencies?q=${encodeURIComponent(B.name)}`, P.keys.admin);
    expect(agencies.status).toBe(200);
    expect(rowsOf(agencies.text, 'member agencies')).toHaveLength(1);
    expect(agencies.text).toContain(`/console/admin/agencies/${B.id}`);
    for (let i = 1; i <= 27; i++) await stack.db.query(`INSERT INTO topics (key, title) VALUES ($1, $2)`, [`paged.topic-${i}`, `Paged topic ${i}`]);
    const topics = await page('GET', '/console/admin/topics?q=paged&page=2', P.keys.admin);
    expect(topics.text).toContain('Showing 26 to 27 of 27');
    expect(rowsOf(topics.text, 'topics')).toHaveLength(2);
    expect(hrefs(topics.text)).toContain('/console/admin/topics?q=paged');
    // Partnership admins' pages only.
    expect((await page('GET', '/console/admin/agencies', A.keys.agency_admin)).status).toBe(403);
    expect((await page('GET', '/console/admin/topics', A.keys.agency_admin)).status).toBe(403);
  });

  it("searches and pages the API keys, on the administration page and on a person's page", async () => {
    const owner = A.userIds.author!;
    for (let i = 1; i <= 27; i++) {
      expect((await call('POST', '/api/v1/api-keys', { key: A.keys.agency_admin, body: { name: `intake ${i}`, userId: owner } })).status).toBe(201);
    }
    const mine = await page('GET', `/console/admin/users/${owner}`, A.keys.agency_admin);
    expect(mine.text).toContain('Showing 1 to 25 of 28');
    expect(rowsOf(mine.text, 'API keys')).toHaveLength(25);
    const found = await page('GET', `/console/admin/users/${owner}?q=intake+27`, A.keys.agency_admin);
    expect(rowsOf(found.text, 'API keys')).toHaveLength(1);
    // The agency's table: its own parameters (keysq, keyspage), beside the users' (q, page).
    const agency = await page('GET', '/console/admin?q=pager&keysq=intake&keyspage=2', A.keys.agency_admin);
    expect(agency.text).toContain('Showing 26 to 27 of 27');
    expect(agency.text).toContain('Showing 1 to 25 of 30');
  });

  it("searches and pages an agency's subscriptions", async () => {
    for (let i = 1; i <= 27; i++) {
      const res = await call('POST', '/api/v1/subscriptions', { key: B.keys.agency_admin, body: { name: `Desk ${i}`, topicPatterns: ['safe-sleep'], channel: 'email', emailAddresses: [`desk-${i}@beta.test`] } });
      expect(res.status).toBe(201);
    }
    const first = await page('GET', '/console/subscriptions', B.keys.agency_admin);
    expect(first.text).toContain('Showing 1 to 25 of 27');
    const second = await page('GET', '/console/subscriptions?q=desk&page=2', B.keys.agency_admin);
    expect(second.text).toContain('Showing 26 to 27 of 27');
    const one = await page('GET', '/console/subscriptions?q=desk-13%40', B.keys.agency_admin);
    expect(one.text).toContain('Showing 1 to 1 of 1');
    expect(one.text).toContain('Desk 13');
    // Another agency's admin sees none of them.
    expect((await page('GET', '/console/subscriptions?q=desk', A.keys.agency_admin)).text).toContain('No subscription matches');
  });

  it("edits a user's name and email in the API, audited; a taken or bad email changes nothing; another agency's user is not there", async () => {
    const id = A.userIds.supervisor!;
    const [before] = await stack.db.query(`SELECT email FROM users WHERE id = $1`, [id]);
    const saved = await call('PATCH', `/api/v1/users/${id}`, { key: A.keys.agency_admin, body: { name: 'Sam Renamed', email: 'Sam.Renamed@Alpha.test' } });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ id, name: 'Sam Renamed', email: 'sam.renamed@alpha.test' });
    const [event] = (await events(id)).filter((e) => e.action === 'user.updated');
    expect(event).toMatchObject({ agency_id: A.id, actor_id: A.userIds.agency_admin, before: { email: before.email }, after: { name: 'Sam Renamed', email: 'sam.renamed@alpha.test' } });
    // They sign in with the new address.
    expect((await call('POST', '/api/v1/auth/login', { body: { email: 'sam.renamed@alpha.test', password: PASSWORD } })).status).toBe(200);

    const count = (await events(id)).length;
    const taken = await call('PATCH', `/api/v1/users/${id}`, { key: A.keys.agency_admin, body: { email: (await stack.db.query(`SELECT email FROM users WHERE id = $1`, [A.userIds.author]))[0].email } });
    expect(taken.status).toBe(409);
    expect((await call('PATCH', `/api/v1/users/${id}`, { key: A.keys.agency_admin, body: { email: 'not an email' } })).status).toBe(400);
    expect((await call('PATCH', `/api/v1/users/${id}`, { key: A.keys.agency_admin, body: { name: '' } })).status).toBe(400);
    expect((await call('PATCH', `/api/v1/users/${B.userIds.supervisor}`, { key: A.keys.agency_admin, body: { name: 'Hijacked' } })).status).toBe(404);
    expect((await stack.db.query(`SELECT name, email FROM users WHERE id = $1`, [id]))[0]).toEqual({ name: 'Sam Renamed', email: 'sam.renamed@alpha.test' });
    expect((await stack.db.query(`SELECT name FROM users WHERE id = $1`, [B.userIds.supervisor]))[0].name).not.toBe('Hijacked');
    expect(await events(id)).toHaveLength(count);
  });

  it("edits a user's name and email in the console: post/redirect/get, errors beside the fields", async () => {
    const id = A.userIds.author!;
    const bad = await page('POST', `/console/admin/users/${id}/details`, A.keys.agency_admin, { name: 'Ann Author', email: 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('id="person-email-error"');
    expect(bad.text).toContain('value="nope"');
    const ok = await page('POST', `/console/admin/users/${id}/details`, A.keys.agency_admin, { name: 'Ann Author', email: 'ann@alpha.test' });
    expect(ok).toMatchObject({ status: 303, location: `/console/admin/users/${id}?done=user_saved` });
    expect((await events(id)).map((e) => e.action)).toContain('user.updated');
    const shown = await page('GET', ok.location!, A.keys.agency_admin);
    expect(shown.text).toContain('The name and email address were saved');
    expect(shown.text).toContain('ann@alpha.test');
    expect((await page('POST', `/console/admin/users/${B.userIds.author}/details`, A.keys.agency_admin, { name: 'X', email: 'x@beta.test' })).status).toBe(404);
  });

  it("edits an agency's name, jurisdiction and time zone (partnership admins), its time zone only (its own agency admins)", async () => {
    const bad = await page('POST', `/console/admin/agencies/${B.id}`, P.keys.admin, { name: 'B', jurisdictionType: 'county', jurisdictionCode: '39049', timeZone: 'Mars/Olympus' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('id="agency-tz-error"');
    expect(bad.text).toContain('id="agency-name-error"');
    const dup = await page('POST', `/console/admin/agencies/${B.id}`, P.keys.admin, { name: A.name, jurisdictionType: 'county', jurisdictionCode: '39049', timeZone: 'America/Denver' });
    expect(dup.status).toBe(400);
    expect(dup.text).toContain('Another agency has this name');
    const ok = await page('POST', `/console/admin/agencies/${B.id}`, P.keys.admin, { name: 'Beta County Children Services', jurisdictionType: 'county', jurisdictionCode: '39049', timeZone: 'America/Denver' });
    expect(ok).toMatchObject({ status: 303, location: `/console/admin/agencies/${B.id}?done=agency_saved` });
    B.name = 'Beta County Children Services';
    expect((await stack.db.query(`SELECT name, jurisdiction_code, time_zone FROM agencies WHERE id = $1`, [B.id]))[0]).toEqual({ name: B.name, jurisdiction_code: '39049', time_zone: 'America/Denver' });
    const updated = (await events(B.id)).filter((e) => e.action === 'agency.updated');
    expect(updated).toHaveLength(1);
    expect(updated[0].after).toMatchObject({ name: B.name, timeZone: 'America/Denver' });

    // Its own agency admin: the time zone, never the name (the field is not even read).
    const own = await page('POST', `/console/admin/agencies/${B.id}`, B.keys.agency_admin, { name: 'Renamed by B', timeZone: 'America/Chicago' });
    expect(own.status).toBe(303);
    expect((await stack.db.query(`SELECT name, time_zone FROM agencies WHERE id = $1`, [B.id]))[0]).toEqual({ name: B.name, time_zone: 'America/Chicago' });
    const form = await page('GET', `/console/admin/agencies/${B.id}`, B.keys.agency_admin);
    expect(form.text).not.toContain('id="agency-name"');
    // Saving the form again changes nothing, so it writes no event; an event holds only what changed.
    const eventsNow = (await events(B.id)).filter((e) => e.action === 'agency.updated').length;
    expect(eventsNow).toBe(2);
    expect((await page('POST', `/console/admin/agencies/${B.id}`, B.keys.agency_admin, { timeZone: 'America/Chicago' })).status).toBe(303);
    expect((await page('POST', `/console/admin/agencies/${B.id}`, P.keys.admin, { name: B.name, jurisdictionType: 'county', jurisdictionCode: '39049', timeZone: 'America/Chicago' })).status).toBe(303);
    expect((await events(B.id)).filter((e) => e.action === 'agency.updated')).toHaveLength(eventsNow);
    expect((await page('POST', `/console/admin/agencies/${B.id}`, P.keys.admin, { name: B.name, jurisdictionType: 'county', jurisdictionCode: '39049', timeZone: 'America/New_York' })).status).toBe(303);
    const last = (await events(B.id)).filter((e) => e.action === 'agency.updated');
    expect(last).toHaveLength(eventsNow + 1);
    expect(last.map((e) => e.after)).toContainEqual({ timeZone: 'America/New_York' });
    // Another agency's admin: no such agency.
    expect((await page('POST', `/console/admin/agencies/${B.id}`, A.keys.agency_admin, { timeZone: 'America/Chicago' })).status).toBe(404);
  });

  it('deactivates and reactivates a user, an agency, a topic and a subscription in the console, each change audited', async () => {
    const user = A.userIds.supervisor!;
    expect((await page('POST', `/console/admin/users/${user}/disable`, A.keys.agency_admin, { reason: 'on leave' })).status).toBe(303);
    expect((await page('POST', `/console/admin/users/${user}/enable`, A.keys.agency_admin, {})).status).toBe(303);
    expect((await events(user)).map((e) => e.action)).toEqual(expect.arrayContaining(['user.disabled', 'user.enabled']));

    expect((await page('POST', `/console/admin/agencies/${B.id}/offboard`, P.keys.admin, { reason: 'left for a while' })).status).toBe(303);
    const offboarded = await page('GET', `/console/admin/agencies?q=${encodeURIComponent(B.name)}`, P.keys.admin);
    expect(offboarded.text).toContain('Offboarded');
    expect((await page('POST', `/console/admin/agencies/${B.id}/reinstate`, P.keys.admin, {})).status).toBe(303);
    expect((await events(B.id)).map((e) => e.action)).toEqual(expect.arrayContaining(['agency.offboarded', 'agency.reinstated']));

    expect((await page('POST', '/console/admin/topics/water-safety', P.keys.admin, { title: 'Water safety', description: '', retired: 'true' })).status).toBe(303);
    expect((await page('GET', '/console/admin/topics?q=water', P.keys.admin)).text).toContain('Retired');
    expect((await page('POST', '/console/admin/topics/water-safety', P.keys.admin, { title: 'Water safety', description: '' })).status).toBe(303);
    expect((await events('water-safety')).map((e) => e.action)).toEqual(['topic.retired', 'topic.reinstated']);

    const sub = await call('POST', '/api/v1/subscriptions', { key: A.keys.agency_admin, body: { name: 'Intake desk', topicPatterns: ['safe-sleep'], channel: 'email', emailAddresses: ['intake@alpha.test'] } });
    expect(sub.status).toBe(201);
    expect((await page('POST', `/console/subscriptions/${sub.body.id}/pause`, A.keys.agency_admin, {})).status).toBe(303);
    expect((await page('POST', `/console/subscriptions/${sub.body.id}/resume`, A.keys.agency_admin, {})).status).toBe(303);
    const subEvents = await events(sub.body.id);
    expect(subEvents.map((e) => e.action)).toEqual(expect.arrayContaining(['subscription.created', 'subscription.paused', 'subscription.resumed']));
    expect(new Set(subEvents.map((e) => e.agency_id))).toEqual(new Set([A.id]));
  });

  it("shows an agency admin only their agency's events, whatever the filters; a partnership admin every agency's", async () => {
    // Each agency leaves events: a user created in each.
    for (const [agency, name] of [[A, 'Alpha Audit Person'], [B, 'Beta Audit Person']] as const) {
      const res = await call('POST', '/api/v1/users', { key: agency.keys.agency_admin, body: { email: `${name.split(' ')[0].toLowerCase()}-audit@agency.test`, name, roles: ['supervisor'] } });
      expect(res.status).toBe(201);
    }
    const betaIds: string[] = (await stack.db.query(`SELECT id::text FROM audit_events WHERE agency_id = $1`, [B.id])).map((r: { id: string }) => r.id);
    const alphaCount: number = (await stack.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE agency_id = $1`, [A.id]))[0].n;
    expect(betaIds.length).toBeGreaterThan(3);
    const betaUser = B.userIds.supervisor!;
    const betaAdmin = B.userIds.agency_admin!;
    const eventIds = (html: string) => [...html.matchAll(/<tr id="event-(\d+)"/g)].map((m) => m[1]);

    // Every filter an agency admin could try, and every page: never one of B's events.
    const probes = [
      '',
      `?entityType=user&entityId=${betaUser}`,
      `?entityType=agency&entityId=${B.id}`,
      `?actor=${betaAdmin}`,
      `?actor=${encodeURIComponent('Beta')}`,
      '?action=user.created',
      '?from=2000-01-01&to=2100-01-01',
    ];
    const seen = new Set<string>();
    for (const probe of probes) {
      for (let n = 1; ; n++) {
        const sep = probe ? '&' : '?';
        const res = await page('GET', `/console/admin/audit${probe}${n > 1 ? `${sep}page=${n}` : ''}`, A.keys.agency_admin);
        expect(res.status).toBe(200);
        const ids = eventIds(res.text);
        ids.forEach((id) => seen.add(id));
        expect(ids.filter((id) => betaIds.includes(id))).toEqual([]);
        expect(res.text).not.toContain('beta-audit@agency.test');
        if (!res.text.includes('rel="next"')) break;
      }
    }
    expect(seen.size).toBe(alphaCount);
    // The API says the same.
    for (const probe of probes) {
      const res = await call('GET', `/api/v1/audit${probe ? `${probe}&` : '?'}limit=1000`.replace('from=2000-01-01&to=2100-01-01', 'from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z'), { key: A.keys.agency_admin });
      expect(res.status).toBe(200);
      expect(res.body.items.filter((e: { agencyId: string }) => e.agencyId !== A.id)).toEqual([]);
    }
    // The partnership admin sees both agencies' events, and which agency each concerns.
    const all = await page('GET', '/console/admin/audit?action=user.created', P.keys.admin);
    expect(all.text).toContain('beta-audit@agency.test');
    expect(all.text).toContain(`<td data-label="Agency">${B.name}</td>`);
    const adminIds = eventIds(all.text);
    expect(adminIds.some((id) => betaIds.includes(id))).toBe(true);
  });

  it("matches an actor's name or address only among the caller's own agency's people (no letter-by-letter oracle for another agency's staff)", async () => {
    // An event of A's that another agency's person did (as a reminder about A's record is).
    const [beta] = await stack.db.query(`SELECT id::text, name, email FROM users WHERE id = $1`, [B.userIds.supervisor]);
    const [alpha] = await stack.db.query(`SELECT id::text, name, email FROM users WHERE id = $1`, [A.userIds.supervisor]);
    const [{ id: crossId }] = await stack.db.query(
      `INSERT INTO audit_events (actor_type, actor_id, agency_id, action, entity_type, entity_id) VALUES ('user', $1, $2, 'acknowledgment.reminded', 'acknowledgment', gen_random_uuid()::text) RETURNING id::text`,
      [beta.id, A.id],
    );
    const [{ id: ownId }] = await stack.db.query(
      `INSERT INTO audit_events (actor_type, actor_id, agency_id, action, entity_type, entity_id) VALUES ('user', $1, $2, 'acknowledgment.reminded', 'acknowledgment', gen_random_uuid()::text) RETURNING id::text`,
      [alpha.id, A.id],
    );
    const found = async (key: string, actor: string) =>
      ((await call('GET', `/api/v1/audit?action=acknowledgment.reminded&limit=1000&actor=${encodeURIComponent(actor)}`, { key })).body.items as { id: string }[]).map((e) => String(e.id));
    for (const part of [beta.email, beta.email.slice(0, 6), beta.name, beta.name.slice(0, 4)]) expect(await found(A.keys.agency_admin!, part)).not.toContain(crossId);
    // By the id an event shows, still found; the agency's own people by name and address, as before.
    expect(await found(A.keys.agency_admin!, beta.id)).toContain(crossId);
    expect(await found(A.keys.agency_admin!, alpha.email.slice(0, 6))).toContain(ownId);
    expect(await found(A.keys.agency_admin!, alpha.name)).toContain(ownId);
    // A partnership admin searches everyone.
    expect(await found(P.keys.admin!, beta.email)).toContain(crossId);
  });

  it("shows a confirmation only for the codes it knows: ?done=constructor or toString finds no message (Object's own properties)", async () => {
    for (const path of ['/console/admin', '/console/reviews', '/console/notices']) {
      for (const done of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
        const res = await page('GET', `${path}?done=${done}`, A.keys.agency_admin);
        expect(res.status).toBe(200);
        expect([path, done, res.text.includes('banner-success')]).toEqual([path, done, false]);
      }
    }
    // A known code still shows its message.
    expect((await page('GET', '/console/notices?done=wave_opened', A.keys.agency_admin)).text).toContain('The survey wave was opened.');
  });

  it('searches the audit log by object, actor, event type and days, pages it, and links each event to its object', async () => {
    const user = A.userIds.supervisor!;
    // By object: the supervisor's events, each linking to their page.
    const byObject = await page('GET', `/console/admin/audit?entityType=user&entityId=${user}`, A.keys.agency_admin);
    expect(byObject.status).toBe(200);
    const actions = [...byObject.text.matchAll(/<td data-label="Event"><code>([^<]+)<\/code>/g)].map((m) => m[1]);
    expect(actions).toEqual(['user.enabled', 'user.disabled', 'user.updated']);
    expect(hrefs(byObject.text)).toContain(`/console/admin/users/${user}`);
    // By actor (part of a name) and event type.
    await stack.db.query(`UPDATE users SET name = 'Olu Administrator' WHERE id = $1`, [A.userIds.agency_admin]);
    const byActor = await page('GET', '/console/admin/audit?actor=olu+admin&action=user.disabled', A.keys.agency_admin);
    expect([...byActor.text.matchAll(/<tr id="event-/g)]).toHaveLength(1);
    expect(byActor.text).toContain('Olu Administrator');
    // By days, in the viewer's time zone: today has them, yesterday none.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date());
    const yesterday = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date(Date.now() - 86_400_000 * 2));
    expect((await page('GET', `/console/admin/audit?from=${today}&to=${today}&entityId=${user}`, A.keys.agency_admin)).text).toContain('user.enabled');
    expect((await page('GET', `/console/admin/audit?to=${yesterday}&entityId=${user}`, A.keys.agency_admin)).text).toContain('No events match');
    // Bad input: a clear 400 with the error beside the field.
    const bad = await page('GET', '/console/admin/audit?from=yesterday&entityType=Robert%27);DROP', A.keys.agency_admin);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('id="audit-from-error"');
    expect(bad.text).toContain('id="audit-type-error"');
    expect((await page('GET', '/console/admin/audit?from=2026-03-02&to=2026-03-01', A.keys.agency_admin)).text).toContain('The end date must be on or after the start date');
    // Paging: 50 a page, the links keep the filters.
    for (let i = 1; i <= 55; i++) expect((await call('PATCH', '/api/v1/topics/safe-sleep', { key: P.keys.admin, body: { title: `Safe sleep ${i}` } })).status).toBe(200);
    const many = await page('GET', '/console/admin/audit?entityType=topic&entityId=safe-sleep', P.keys.admin);
    expect(many.text).toContain('Showing 1 to 50 of 55');
    const next = new URL(hrefs(many.text).find((h) => h.includes('page=2'))!, stack.url);
    expect([next.searchParams.get('entityType'), next.searchParams.get('entityId')]).toEqual(['topic', 'safe-sleep']);
    const last = await page('GET', `${next.pathname}${next.search}`, P.keys.admin);
    expect(last.text).toContain('Showing 51 to 55 of 55');
    expect([...last.text.matchAll(/<tr id="event-/g)]).toHaveLength(5);
    // A subscription's event links to its page; a topic's, for partnership admins, to the topic's.
    const subs = await page('GET', '/console/admin/audit?action=subscription.paused', A.keys.agency_admin);
    expect(hrefs(subs.text).some((h) => /^\/console\/subscriptions\/[0-9a-f-]{36}$/.test(h))).toBe(true);
    expect(hrefs((await page('GET', '/console/admin/audit?entityType=topic&entityId=water-safety', P.keys.admin)).text)).toContain('/console/admin/topics/water-safety');
    // Authors, approvers and supervisors have no audit page.
    expect((await page('GET', '/console/admin/audit', A.keys.supervisor)).status).toBe(403);
  });

  it("shows the chain's state: intact, then the break after an event is rewritten in the database", async () => {
    const intact = await eventually(async () => {
      const res = await page('GET', '/console/admin/audit?verify=now', P.keys.admin);
      return res.text.includes('The audit log is intact') && !res.text.includes('not sealed yet') ? res : undefined;
    }, 15_000, 'every event to be sealed');
    expect(intact.text).toContain('id="chain-status"');
    const [target] = await stack.db.query(`SELECT id FROM audit_events WHERE action = 'topic.retired' LIMIT 1`);
    await rewriteAuditEvent(stack, target.id, 'title', 'Something else');
    const broken = await page('GET', '/console/admin/audit?verify=now', P.keys.admin);
    expect(broken.text).toContain('The audit log’s chain is broken');
    expect(broken.text).toContain(`event ${target.id}`);
    expect(broken.text).toContain('content changed');
    // An agency admin is told it is broken, not which event (it may be another agency's).
    const forAgency = await page('GET', '/console/admin/audit?verify=now', A.keys.agency_admin);
    expect(forAgency.text).toContain('The audit log’s chain is broken');
    expect(forAgency.text).not.toContain(`event ${target.id}`);
  });
});
