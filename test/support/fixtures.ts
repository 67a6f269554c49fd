import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Agency, JurisdictionType, Role, User } from '@sne/core';
import { issueApiKey } from '../../apps/api/src/api-keys/api-keys.controller';

export interface TestAgency {
  id: string;
  name: string;
  /** One API key per role asked for. */
  keys: Partial<Record<Role, string>>;
  userIds: Partial<Record<Role, string>>;
  contact: string;
}

// 48 bits: a suite makes thousands of agencies, and 24 bits collided (users_email_key) about once in a few hundred runs.
const suffix = () => randomBytes(6).toString('hex');

/** An agency with one user (and key) per role, written straight to the database. */
export async function createAgency(
  db: DataSource,
  opts: { name?: string; type?: JurisdictionType; code?: string; roles?: Role[]; timeZone?: string } = {},
): Promise<TestAgency> {
  const tag = suffix();
  const name = `${opts.name ?? 'Agency'} ${tag}`;
  const contact = `notices-${tag}@agency.test`;
  return db.transaction(async (m) => {
    const agency = await m.save(
      m.create(Agency, {
        name,
        jurisdictionType: opts.type ?? 'county',
        jurisdictionCode: opts.code ?? tag,
        timeZone: opts.timeZone ?? 'America/Chicago',
        noticesContactEmail: contact,
        escalationContacts: [],
        fallbackContacts: [],
      }),
    );
    const keys: TestAgency['keys'] = {};
    const userIds: TestAgency['userIds'] = {};
    for (const role of opts.roles ?? ['author', 'approver', 'supervisor', 'agency_admin']) {
      const user = await m.save(m.create(User, { agencyId: agency.id, email: `${role}-${tag}@agency.test`, name: `${role} ${tag}`, roles: [role] }));
      keys[role] = (await issueApiKey(m, user, 'test', null)).key;
      userIds[role] = user.id;
    }
    return { id: agency.id, name, keys, userIds, contact };
  });
}

export async function createTopics(db: DataSource, keys: string[]): Promise<void> {
  for (const key of keys) {
    await db.query(`INSERT INTO topics (key, title) VALUES ($1, $1) ON CONFLICT DO NOTHING`, [key]);
  }
}

/**
 * fetch, sent again once when a read met a kept-alive connection the server had just closed: a test
 * that computes for longer than the server's keep-alive (5 s) blocks the loop that would have seen
 * the close, and the next request goes out on the dead socket (ECONNRESET). Only GET and HEAD, which
 * change nothing, are sent again; a write's failure is the test's to see.
 */
async function fetchOnce(url: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    const code = ((err as { cause?: { code?: string } }).cause ?? {}).code;
    if (!['GET', 'HEAD'].includes(init.method) || !['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE'].includes(code ?? '')) throw err;
    return fetch(url, init);
  }
}

/** A small JSON-over-HTTP client for the API. */
export function apiClient(baseUrl: string) {
  return async function call(method: string, path: string, opts: { key?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.key) headers.authorization = `Bearer ${opts.key}`;
    let body: string | undefined;
    if (opts.raw !== undefined) {
      body = opts.raw;
      headers['content-type'] ??= 'application/json';
    } else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetchOnce(`${baseUrl}${path}`, { method, headers, body });
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, body: json, text, headers: res.headers };
  };
}

/** Polls until `check` returns a value (not undefined/false) or the time is up. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 15000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A user of the agency with its own API key, written straight to the database (e.g. one person holding two roles). */
export async function addUser(db: DataSource, agency: TestAgency, name: string, roles: Role[]): Promise<{ id: string; key: string }> {
  return db.transaction(async (m) => {
    const user = await m.save(m.create(User, { agencyId: agency.id, email: `${name.replace(/\W/g, '')}-${agency.id.slice(0, 6)}@agency.test`, name, roles }));
    return { id: user.id, key: (await issueApiKey(m, user, 'test', null)).key };
  });
}

/** A high-severity advisory on safe-sleep, drafted, submitted and approved through the API by the issuer's author and approver; its id. */
export async function publishAdvisory(call: ReturnType<typeof apiClient>, issuer: TestAgency, title: string): Promise<string> {
  const d = await call('POST', '/api/v1/notices', {
    key: issuer.keys.author,
    body: { title, summary: 'Summary', body: 'Body', category: 'advisory', severity: 'high', topics: ['safe-sleep'] },
  });
  await call('POST', `/api/v1/notices/${d.body.id}/submit`, { key: issuer.keys.author });
  await call('POST', `/api/v1/notices/${d.body.id}/approve`, { key: issuer.keys.approver, body: { contentHash: d.body.contentHash } });
  return d.body.id;
}
