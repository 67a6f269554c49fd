/**
 * The client's address behind a reverse proxy: X-Forwarded-For names the client only when the
 * connection comes from a proxy listed in TRUSTED_PROXIES; from anyone else the header is ignored,
 * so a client cannot choose its own address to escape the sign-in locks and the per-IP limits.
 */
import { startStack, Stack } from '../support/stack';
import { apiClient, createAgency, TestAgency } from '../support/fixtures';
import { signInClients } from '../support/sign-in';

describe('trusted proxies', () => {
  const proxy = '127.0.0.5';
  let stack: Stack;
  let agency: TestAgency;
  let clients: ReturnType<typeof signInClients>;
  let email: string;

  beforeAll(async () => {
    stack = await startStack({ TRUSTED_PROXIES: `${proxy}/32`, RATE_LIMIT_LOGIN_PER_MINUTE: '8' });
    clients = signInClients(stack.url);
    agency = await createAgency(stack.db, { name: 'Proxied' });
    email = `author-${agency.name.split(' ').pop()}@agency.test`;
    const set = await apiClient(stack.url)('PUT', `/api/v1/users/${agency.userIds.author}/password`, { key: agency.keys.agency_admin, body: { password: 'a long enough passphrase' } });
    expect(set.status).toBe(204);
  });

  afterAll(async () => {
    await clients?.close();
    await stack?.close();
  });

  const failuresBy = async () =>
    Object.fromEntries(
      (await stack.db.query(`SELECT client, failures FROM sign_in_failures WHERE email = lower($1)`, [email])).map((r: { client: string; failures: number }) => [r.client, r.failures]),
    );

  it('takes the client from X-Forwarded-For only when a listed proxy sends it', async () => {
    expect((await clients.login(email, 'wrong', '127.0.0.1', { 'x-forwarded-for': '198.51.100.7' })).status).toBe(401);
    expect((await clients.login(email, 'wrong', proxy, { 'x-forwarded-for': '198.51.100.7' })).status).toBe(401);
    // A client that put its own header in front of the proxy's gets the address the proxy saw.
    expect((await clients.login(email, 'wrong', proxy, { 'x-forwarded-for': '203.0.113.1, 198.51.100.8' })).status).toBe(401);
    expect(await failuresBy()).toEqual({ '127.0.0.1': 1, '198.51.100.7': 1, '198.51.100.8': 1 });
    const [event] = await stack.db.query(`SELECT after->>'ip' AS ip FROM audit_events WHERE entity_id = $1 AND action = 'user.login_failed' ORDER BY id DESC LIMIT 1`, [
      agency.userIds.author,
    ]);
    expect(event.ip).toBe('198.51.100.8');
  });

  it('locks the client behind the proxy, not everyone behind it', async () => {
    for (let i = 0; i < 4; i++) expect((await clients.login(email, 'wrong', proxy, { 'x-forwarded-for': '198.51.100.7' })).status).toBe(401);
    expect((await clients.login(email, 'a long enough passphrase', proxy, { 'x-forwarded-for': '198.51.100.7' })).status).toBe(429);
    expect((await clients.login(email, 'a long enough passphrase', proxy, { 'x-forwarded-for': '198.51.100.9' })).status).toBe(200);
  });
});
