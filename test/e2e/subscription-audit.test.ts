/**
 * A webhook URL's path and query often carry the receiver's credentials (chat hooks, `?token=`),
 * and the audit trail is read by partnership admins and exported. So no audit event, whatever
 * route made it (every subscription route of the API and of the console), holds any part of a
 * webhook URL but its origin: a subscription's events record the origin and a SHA-256 of the
 * whole URL, which still shows that the URL changed and to which origin.
 * Real stack: PostgreSQL, NATS, HTTP.
 */
import { createHash } from 'node:crypto';
import { apiClient, createAgency, createTopics, TestAgency } from '../support/fixtures';
import { startStack, Stack } from '../support/stack';

jest.setTimeout(60_000);

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
/** A URL whose path and query are secrets of their own, each a distinct marker to look for. */
const secretUrl = (origin: string, marker: string) => `${origin}/services/T0/path-${marker}?token=query-${marker}`;

describe('audit events never hold a webhook URL beyond its origin', () => {
  let stack: Stack;
  let call: ReturnType<typeof apiClient>;
  let agency: TestAgency;
  let operators: TestAgency;
  const markers: string[] = [];

  beforeAll(async () => {
    stack = await startStack();
    call = apiClient(stack.url);
    await createTopics(stack.db, ['safe-sleep']);
    agency = await createAgency(stack.db, { roles: ['agency_admin'] });
    operators = await createAgency(stack.db, { roles: ['admin'] });
  });

  afterAll(async () => {
    await stack?.close();
  });

  function url(origin: string, marker: string): string {
    markers.push(marker);
    return secretUrl(origin, marker);
  }

  async function api(method: string, path: string, body?: unknown, expected = [200, 201, 202, 204]) {
    const res = await call(method, path, { key: agency.keys.agency_admin, body });
    expect({ path, status: res.status, ok: expected.includes(res.status) }).toMatchObject({ ok: true });
    return res.body;
  }

  /** A console form as the agency admin (an API key: no CSRF token), never following redirects; the redirect's location. */
  async function form(path: string, fields: Record<string, string> = {}): Promise<string> {
    const res = await fetch(`${stack.url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { authorization: `Bearer ${agency.keys.agency_admin}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    expect({ path, status: res.status }).toEqual({ path, status: 303 });
    return res.headers.get('location') ?? '';
  }

  const eventsOf = async (id: string) =>
    stack.db.query(`SELECT action, before, after FROM audit_events WHERE entity_type = 'subscription' AND entity_id = $1 ORDER BY id`, [id]);

  it('through every subscription route of the API: events keep the origin and a digest, never the path or query', async () => {
    const first = url('https://hooks.example.org', 'api-created');
    const created = await api('POST', '/api/v1/subscriptions', { name: 'Case system', channel: 'webhook', topicPatterns: ['safe-sleep'], webhookUrl: first });
    const id = created.id as string;
    const second = url('https://intake.example.net:8443', 'api-patched');
    await api('PATCH', `/api/v1/subscriptions/${id}`, { webhookUrl: second });
    await api('PATCH', `/api/v1/subscriptions/${id}`, { name: 'Case system, renamed' });
    for (const action of ['pause', 'resume', 'rotate-secret', 'retry-failed', 'test']) await api('POST', `/api/v1/subscriptions/${id}/${action}`);
    await api('DELETE', `/api/v1/subscriptions/${id}`);

    const events = await eventsOf(id);
    expect(events.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['subscription.created', 'subscription.updated', 'subscription.paused', 'subscription.resumed', 'subscription.secret_rotated', 'subscription.deleted']),
    );
    const [createdEvent] = events.filter((e: { action: string }) => e.action === 'subscription.created');
    expect(createdEvent.after).toMatchObject({ webhookOrigin: 'https://hooks.example.org', webhookUrlSha256: sha256(first) });
    expect(createdEvent.after).not.toHaveProperty('webhookUrl');
    const [moved] = events.filter((e: { action: string; after: { webhookUrlSha256?: string } }) => e.action === 'subscription.updated' && e.after.webhookUrlSha256 === sha256(second));
    expect(moved.before).toMatchObject({ webhookOrigin: 'https://hooks.example.org', webhookUrlSha256: sha256(first) });
    expect(moved.after).toMatchObject({ webhookOrigin: 'https://intake.example.net:8443' });
  });

  it('refuses, on the console forms, topic patterns that match no topic of the catalogue, beside the topics and not the URL, and saves nothing', async () => {
    const before = await stack.db.query(`SELECT count(*)::int AS n FROM subscriptions`);
    const post = (path: string, fields: Record<string, string>) =>
      fetch(`${stack.url}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { authorization: `Bearer ${agency.keys.agency_admin}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
    for (const channel of ['webhook', 'email']) {
      const fields: Record<string, string> = channel === 'webhook' ? { webhookUrl: 'https://hooks.example.org/typo' } : { emailAddresses: 'desk@agency.test' };
      const res = await post('/console/subscriptions', { name: `Typo ${channel}`, channel, patterns: 'safe-slep', ...fields });
      expect({ channel, status: res.status }).toEqual({ channel, status: 400 });
      const page = await res.text();
      expect(page).toMatch(/<p class="error-message" id="sub-topics-error"><span class="visually-hidden">Error:<\/span> No topic of the catalogue matches safe-slep/);
    }
    expect(await stack.db.query(`SELECT count(*)::int AS n FROM subscriptions`)).toEqual(before);
    const made = await api('POST', '/api/v1/subscriptions', { name: 'Kept', channel: 'webhook', topicPatterns: ['safe-sleep'], webhookUrl: 'https://hooks.example.org/kept' });
    const changed = await post(`/console/subscriptions/${made.id}`, { name: 'Kept', patterns: 'intake.*', minSeverity: 'low', webhookUrl: 'https://hooks.example.org/kept' });
    expect(changed.status).toBe(400);
    expect(await changed.text()).toMatch(/id="sub-topics-error">.*No topic of the catalogue matches intake\.\*/);
    expect((await api('GET', `/api/v1/subscriptions/${made.id}`)).topicPatterns).toEqual(['safe-sleep']);
  });

  it('through every subscription form of the console the same', async () => {
    const first = url('https://console.example.org', 'console-created');
    const location = await form('/console/subscriptions', { name: 'Console system', channel: 'webhook', topics: 'safe-sleep', webhookUrl: first });
    const id = location.split('/')[3];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const second = url('https://console.example.net', 'console-updated');
    await form(`/console/subscriptions/${id}`, { name: 'Console system', topics: 'safe-sleep', minSeverity: 'low', webhookUrl: second });
    for (const action of ['pause', 'resume', 'rotate-secret', 'retry-failed', 'test', 'delete']) await form(`/console/subscriptions/${id}/${action}`);

    const events = await eventsOf(id);
    const [moved] = events.filter((e: { action: string; after: { webhookUrlSha256?: string } }) => e.action === 'subscription.updated' && e.after.webhookUrlSha256 === sha256(second));
    expect(moved.after).toMatchObject({ webhookOrigin: 'https://console.example.net' });
    expect(events.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['subscription.created', 'subscription.deleted']));
  });

  it('no audit event of any kind, nor the audit routes a partnership admin reads, holds a path or query used above', async () => {
    expect(markers.length).toBe(4);
    // The searches below do look at events: the two subscriptions' own (seven and six) and their deliveries'.
    const [{ n }] = await stack.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE entity_type IN ('subscription', 'delivery')`);
    expect(n).toBeGreaterThanOrEqual(15);
    for (const marker of markers) {
      const leaks = await stack.db.query(
        `SELECT action FROM audit_events WHERE concat_ws(' ', before::text, after::text, entity_id, action) LIKE '%' || $1 || '%'`,
        [marker],
      );
      expect({ marker, leaks }).toEqual({ marker, leaks: [] });
    }
    const search = await call('GET', '/api/v1/audit?entityType=subscription', { key: operators.keys.admin });
    expect(search.status).toBe(200);
    expect(search.text).toContain('webhookOrigin');
    const page = await fetch(`${stack.url}/console/admin/audit?entityType=subscription`, { headers: { authorization: `Bearer ${operators.keys.admin}` } });
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const marker of markers) {
      expect(search.text).not.toContain(marker);
      expect(html).not.toContain(marker);
    }
  });
});
