/**
 * People and keys, and abuse limits: password sign-in with lockout and backoff, HttpOnly
 * SameSite=Strict session cookies with CSRF on every state change, keys carrying a subset of
 * their owner's roles, service accounts, rate limits with Retry-After, security headers, closed
 * CORS, and webhook secrets encrypted at rest.
 */
import { startStack, Stack } from '../support/stack';
import { apiClient, createAgency, createTopics, TestAgency } from '../support/fixtures';
import { signInClients } from '../support/sign-in';

describe('people, keys and abuse limits', () => {
  let stack: Stack;
  let call: ReturnType<typeof apiClient>;
  let agency: TestAgency;
  let clients: ReturnType<typeof signInClients>;
  const login: ReturnType<typeof signInClients>['login'] = (...args) => clients.login(...args);

  beforeAll(async () => {
    stack = await startStack({ RATE_LIMIT_LOGIN_PER_MINUTE: '8', RATE_LIMIT_WRITES_PER_MINUTE: '40' });
    call = apiClient(stack.url);
    clients = signInClients(stack.url);
    await createTopics(stack.db, ['safe-sleep']);
    agency = await createAgency(stack.db, { name: 'People' });
  });

  afterAll(async () => {
    await clients?.close();
    await stack?.close();
  });

  it('signs a person in with an HttpOnly, SameSite=Strict cookie; state changes need the CSRF token', async () => {
    const set = await call('PUT', `/api/v1/users/${agency.userIds.author}/password`, { key: agency.keys.agency_admin, body: { password: 'a long enough passphrase' } });
    expect(set.status).toBe(204);
    const [row] = await stack.db.query(`SELECT password_hash FROM users WHERE id = $1`, [agency.userIds.author]);
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain('passphrase');

    const ok = await login(`author-${agency.name.split(' ').pop()}@agency.test`, 'a long enough passphrase');
    expect(ok.status).toBe(200);
    expect(ok.cookie).toMatch(/^sne_session=[^;]+;/);
    expect(ok.cookie).toMatch(/HttpOnly/);
    expect(ok.cookie).toMatch(/SameSite=Strict/);
    const cookie = ok.cookie!.split(';')[0];
    const csrf = ok.body.csrfToken;

    const who = await call('GET', '/api/v1/auth/session', { headers: { cookie } });
    expect(who.body).toMatchObject({ via: 'session', user: { roles: ['author'] } });

    const draft = { title: 'Session draft', summary: 'Summary', body: 'Body', category: 'advisory', severity: 'low', topics: ['safe-sleep'] };
    const noCsrf = await call('POST', '/api/v1/notices', { headers: { cookie }, body: draft });
    expect(noCsrf.status).toBe(403);
    const wrongCsrf = await call('POST', '/api/v1/notices', { headers: { cookie, 'x-csrf-token': 'nope' }, body: draft });
    expect(wrongCsrf.status).toBe(403);
    const withCsrf = await call('POST', '/api/v1/notices', { headers: { cookie, 'x-csrf-token': csrf }, body: draft });
    expect(withCsrf.status).toBe(201);

    expect((await call('POST', '/api/v1/auth/logout', { headers: { cookie, 'x-csrf-token': csrf } })).status).toBe(204);
    expect((await call('GET', '/api/v1/auth/session', { headers: { cookie } })).status).toBe(401);
  });

  it('locks an email out from the address that failed, with growing delays, and says when to retry; other addresses still sign in', async () => {
    const email = `approver-${agency.name.split(' ').pop()}@agency.test`;
    await call('PUT', `/api/v1/users/${agency.userIds.approver}/password`, { key: agency.keys.agency_admin, body: { password: 'the right passphrase' } });
    const attacker = '127.0.0.7';
    for (let i = 0; i < 5; i++) expect((await login(email.toUpperCase(), 'wrong guess', attacker)).status).toBe(401);
    const locked = await login(email, 'the right passphrase', attacker);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    const [pair] = await stack.db.query(`SELECT failures, locked_until > now() + interval '50 s' AS for_a_minute FROM sign_in_failures WHERE email = lower($1) AND client = $2`, [email, attacker]);
    expect(pair).toEqual({ failures: 5, for_a_minute: true });
    const events = await stack.db.query(`SELECT action, after FROM audit_events WHERE entity_id = $1 AND action LIKE 'user.%' ORDER BY id`, [agency.userIds.approver]);
    expect(events.map((e: any) => e.action)).toEqual(['user.password_set', ...Array(4).fill('user.login_failed'), 'user.locked_out']);
    expect(events[5].after).toMatchObject({ failures: 5, ip: attacker, lockedForSeconds: 60, accountLockedForSeconds: 0 });

    // The person, from their own address, is not locked out by a stranger's guesses.
    const person = await login(email, 'the right passphrase', '127.0.0.8');
    expect(person.status).toBe(200);
    // Their success does not lift the stranger's lock, and ends only their own address's count.
    expect((await login(email, 'the right passphrase', attacker)).status).toBe(429);
    expect(await stack.db.query(`SELECT client FROM sign_in_failures WHERE email = lower($1)`, [email])).toEqual([{ client: attacker }]);
    // A new password set by an admin ends every lock on the account.
    await call('PUT', `/api/v1/users/${agency.userIds.approver}/password`, { key: agency.keys.agency_admin, body: { password: 'the right passphrase' } });
    expect((await login(email, 'the right passphrase', attacker)).status).toBe(200);
  });

  it('locks an unknown email like a known one, so the lock tells nothing about who has an account', async () => {
    const from = '127.0.0.9';
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await login('no-such-person@agency.test', 'guess', from)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('locks the account itself after 50 failures in a row spread over many addresses, until a new password', async () => {
    const email = `supervisor-${agency.name.split(' ').pop()}@agency.test`;
    await call('PUT', `/api/v1/users/${agency.userIds.supervisor}/password`, { key: agency.keys.agency_admin, body: { password: 'the right passphrase' } });
    // Four failures from each address (below its own lock and the per-IP rate limit of 8 a minute).
    for (let i = 0; i < 50; i++) expect((await login(email, 'wrong guess', `127.0.1.${1 + Math.floor(i / 4)}`)).status).toBe(401);
    const fresh = await login(email, 'the right passphrase', '127.0.2.1');
    expect(fresh.status).toBe(429);
    const [row] = await stack.db.query(`SELECT failed_logins, locked_until > now() AS locked FROM users WHERE id = $1`, [agency.userIds.supervisor]);
    expect(row).toEqual({ failed_logins: 50, locked: true });
    const [last] = await stack.db.query(`SELECT action, after FROM audit_events WHERE entity_id = $1 AND action LIKE 'user.%' ORDER BY id DESC LIMIT 1`, [agency.userIds.supervisor]);
    expect(last).toMatchObject({ action: 'user.locked_out', after: { accountFailures: 50, accountLockedForSeconds: 60 } });
    await call('PUT', `/api/v1/users/${agency.userIds.supervisor}/password`, { key: agency.keys.agency_admin, body: { password: 'the right passphrase' } });
    expect((await login(email, 'the right passphrase', '127.0.2.1')).status).toBe(200);
    expect(await stack.db.query(`SELECT count(*)::int AS n FROM sign_in_failures WHERE email = lower($1)`, [email])).toEqual([{ n: 0 }]);
  });

  it('takes a sign-in only as JSON, so that another site cannot sign a browser in with a form (login CSRF)', async () => {
    await call('PUT', `/api/v1/users/${agency.userIds.author}/password`, { key: agency.keys.agency_admin, body: { password: 'a long enough passphrase' } });
    const email = `author-${agency.name.split(' ').pop()}@agency.test`;
    for (const [type, body] of [
      ['application/x-www-form-urlencoded', `email=${encodeURIComponent(email)}&password=a+long+enough+passphrase`],
      ['text/plain', JSON.stringify({ email, password: 'a long enough passphrase' })],
      ['multipart/form-data; boundary=x', `--x\r\nContent-Disposition: form-data; name="email"\r\n\r\n${email}\r\n--x\r\nContent-Disposition: form-data; name="password"\r\n\r\na long enough passphrase\r\n--x--\r\n`],
    ]) {
      const res = await fetch(`${stack.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': type, 'sec-fetch-site': 'cross-site' }, body });
      expect([type, res.status, res.headers.get('set-cookie')]).toEqual([type, 415, null]);
    }
  });

  it('limits sign-in attempts per IP', async () => {
    const statuses: number[] = [];
    // A new email each time, so that no email's own lock answers (that takes five failures).
    for (let i = 0; i < 10; i++) statuses.push((await login(`nobody-${i}@nowhere.test`, 'x')).status);
    expect(statuses).toContain(429);
    const limited = await login('nobody-10@nowhere.test', 'x');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('gives keys a subset of their owner\'s roles, and service accounts keys but no password', async () => {
    const narrow = await call('POST', '/api/v1/api-keys', { key: agency.keys.agency_admin, body: { name: 'read only', roles: ['supervisor'] } });
    expect(narrow.status).toBe(400); // the owner is an agency_admin, not a supervisor
    const service = await call('POST', '/api/v1/users', {
      key: agency.keys.agency_admin,
      body: { email: 'intake-system@agency.test', name: 'Intake system', roles: ['supervisor', 'agency_admin'], kind: 'service' },
    });
    expect(service.status).toBe(201);
    const key = await call('POST', '/api/v1/api-keys', { key: agency.keys.agency_admin, body: { name: 'intake', userId: service.body.id, roles: ['supervisor'] } });
    expect(key.status).toBe(201);
    expect(key.body.roles).toEqual(['supervisor']);
    // The key reads, but cannot act as the agency admin its owner also is.
    expect((await call('GET', '/api/v1/notices', { key: key.body.key })).status).toBe(200);
    expect((await call('GET', '/api/v1/subscriptions', { key: key.body.key })).status).toBe(403);
    expect((await call('PUT', `/api/v1/users/${service.body.id}/password`, { key: agency.keys.agency_admin, body: { password: 'a long enough passphrase' } })).status).toBe(409);
    // Revoked keys stop working at once.
    expect((await call('DELETE', `/api/v1/api-keys/${key.body.id}`, { key: agency.keys.agency_admin })).status).toBe(204);
    expect((await call('GET', '/api/v1/notices', { key: key.body.key })).status).toBe(401);
    // Expired keys too.
    const expiring = await call('POST', '/api/v1/api-keys', { key: agency.keys.agency_admin, body: { name: 'short', expiresAt: new Date(Date.now() + 60_000).toISOString() } });
    await stack.db.query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [expiring.body.id]);
    expect((await call('GET', '/api/v1/notices', { key: expiring.body.key })).status).toBe(401);
  });

  it('lets a key make keys only within its own roles and its own lifetime', async () => {
    const admin = agency.keys.agency_admin;
    const me = (await call('GET', '/api/v1/auth/session', { key: admin })).body;
    const ownerRoles: string[] = me.roles ?? me.user?.roles;
    expect(ownerRoles).toEqual(expect.arrayContaining(['agency_admin']));
    // The owner's roles beside agency_admin, so a key limited to some of them exists (a service account holds two).
    const svc = await call('POST', '/api/v1/users', {
      key: admin,
      body: { email: 'limited-keys@agency.test', name: 'Limited keys', roles: ['supervisor', 'agency_admin'], kind: 'service' },
    });
    expect(svc.status).toBe(201);
    const limited = await call('POST', '/api/v1/api-keys', { key: admin, body: { name: 'supervisor only', userId: svc.body.id, roles: ['supervisor'] } });
    expect(limited.body.roles).toEqual(['supervisor']);
    const count = async () => (await stack.db.query(`SELECT count(*)::int AS n FROM api_keys WHERE user_id = $1`, [svc.body.id]))[0].n;
    const before = await count();
    // Asking for more than the key carries is refused and makes nothing…
    const wider = await call('POST', '/api/v1/api-keys', { key: limited.body.key, body: { name: 'escalate', roles: ['supervisor', 'agency_admin'] } });
    expect(wider.status).toBe(403);
    expect(await count()).toBe(before);
    // …and asking for nothing gives the asking key's roles, not all of the owner's.
    const plain = await call('POST', '/api/v1/api-keys', { key: limited.body.key, body: { name: 'same again' } });
    expect(plain.status).toBe(201);
    expect(plain.body.roles).toEqual(['supervisor']);
    expect((await call('GET', '/api/v1/subscriptions', { key: plain.body.key })).status).toBe(403);

    // An expiring key cannot make a lasting one, nor one that outlives it; by default the new key expires with it.
    const until = new Date(Date.now() + 3600_000);
    const expiring = await call('POST', '/api/v1/api-keys', { key: admin, body: { name: 'an hour', userId: svc.body.id, expiresAt: until.toISOString() } });
    expect(expiring.status).toBe(201);
    const inherited = await call('POST', '/api/v1/api-keys', { key: expiring.body.key, body: { name: 'child' } });
    expect(inherited.status).toBe(201);
    expect(new Date(inherited.body.expiresAt).getTime()).toBe(new Date(expiring.body.expiresAt).getTime());
    const longer = await call('POST', '/api/v1/api-keys', { key: expiring.body.key, body: { name: 'longer', expiresAt: new Date(until.getTime() + 60_000).toISOString() } });
    expect(longer.status).toBe(403);
    const shorter = await call('POST', '/api/v1/api-keys', { key: expiring.body.key, body: { name: 'shorter', expiresAt: new Date(until.getTime() - 60_000).toISOString() } });
    expect(shorter.status).toBe(201);
    // Nor around it: a key cannot set its owner's password (to sign in with all the owner's roles); one's own password changes at /auth/password.
    const fran = await call('POST', '/api/v1/users', { key: admin, body: { email: 'limited-fran@agency.test', name: 'Limited Fran', roles: ['agency_admin', 'supervisor'] } });
    const franLimited = await call('POST', '/api/v1/api-keys', { key: admin, body: { name: 'admin only', userId: fran.body.id, roles: ['agency_admin'] } });
    const hashBefore = (await stack.db.query(`SELECT password_hash FROM users WHERE id = $1`, [fran.body.id]))[0].password_hash;
    const ownPassword = await call('PUT', `/api/v1/users/${fran.body.id}/password`, { key: franLimited.body.key, body: { password: 'a password of my own choosing' } });
    expect(ownPassword.status).toBe(403);
    expect(ownPassword.body.message).toMatch(/auth\/password/);
    expect((await stack.db.query(`SELECT password_hash FROM users WHERE id = $1`, [fran.body.id]))[0].password_hash).toBe(hashBefore);
    // A key with no expiry still makes keys with none.
    expect((await call('POST', '/api/v1/api-keys', { key: admin, body: { name: 'lasting' } })).body.expiresAt).toBeNull();
  });

  it('stores webhook signing secrets encrypted, returns them only at creation and rotation', async () => {
    const sub = await call('POST', '/api/v1/subscriptions', {
      key: agency.keys.agency_admin,
      body: { name: 'hook', topicPatterns: ['safe-sleep'], channel: 'webhook', webhookUrl: 'http://127.0.0.1:9/hook' },
    });
    expect(sub.body.signingSecret).toMatch(/^whsec_/);
    const [row] = await stack.db.query(`SELECT signing_secret FROM subscriptions WHERE id = $1`, [sub.body.id]);
    expect(row.signing_secret).toMatch(/^enc:v1:/);
    expect(row.signing_secret).not.toContain(sub.body.signingSecret.slice(6));
    const rotated = await call('POST', `/api/v1/subscriptions/${sub.body.id}/rotate-secret`, { key: agency.keys.agency_admin });
    expect(rotated.body.signingSecret).toMatch(/^whsec_/);
    expect(rotated.body.signingSecret).not.toBe(sub.body.signingSecret);
    const list = await call('GET', '/api/v1/subscriptions', { key: agency.keys.agency_admin });
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
  });

  it('sends security headers, keeps CORS closed, and limits writes per caller with Retry-After', async () => {
    const res = await fetch(`${stack.url}/api/v1/notices`, { headers: { authorization: `Bearer ${agency.keys.author}`, origin: 'https://evil.example' } });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('x-powered-by')).toBeNull();

    let limited: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < 45 && !limited; i++) {
      const r = await call('POST', '/api/v1/notices', { key: agency.keys.supervisor, body: {} });
      if (r.status === 429) limited = r;
    }
    expect(limited?.status).toBe(429);
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited!.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
  });
});
