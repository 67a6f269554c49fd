/**
 * The API's list routes (GET /api/v1/users, /api/v1/agencies, /api/v1/topics) take the console
 * tables' search and paging: `q` (a case-insensitive substring, taken literally), `limit` and
 * `offset`. The body stays a JSON array (what these routes answered before, so existing clients
 * keep working), the count of every match is the `X-Total-Count` header, and without `limit`
 * every match is listed as before. Bad values get 400 and change nothing. Documented in OpenAPI.
 * Real stack: PostgreSQL, NATS, HTTP.
 */
import { Role } from '@sne/core';
import { apiClient, createAgency, createTopics, TestAgency } from '../support/fixtures';
import { startStack, Stack } from '../support/stack';

jest.setTimeout(60_000);

describe('API list routes: q, limit, offset and X-Total-Count', () => {
  let stack: Stack;
  let call: ReturnType<typeof apiClient>;
  let A: TestAgency, B: TestAgency, P: TestAgency;

  beforeAll(async () => {
    stack = await startStack();
    call = apiClient(stack.url);
    A = await createAgency(stack.db, { name: 'Paging county' });
    B = await createAgency(stack.db, { name: 'Other county' });
    P = await createAgency(stack.db, { name: 'Partnership', type: 'state', roles: ['admin'] as Role[] });
    await createTopics(stack.db, ['paging-alpha', 'paging-beta', 'paging-gamma', 'unrelated']);
  });

  afterAll(async () => {
    await stack?.close();
  });

  async function list(path: string, key: string) {
    const res = await call('GET', path, { key });
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body)).toBe(true);
    return { items: res.body as any[], total: Number(res.headers.get('x-total-count')) };
  }

  it('GET /api/v1/users: search by name or email (literally, any case), pages that add up to the whole list, total in the header', async () => {
    const key = A.keys.agency_admin!;
    const all = await list('/api/v1/users', key);
    expect(all.items).toHaveLength(4);
    expect(all.total).toBe(4);

    const approver = await list('/api/v1/users?q=APPROVER', key);
    expect(approver.items.map((u) => u.id)).toEqual([A.userIds.approver]);
    expect(approver.total).toBe(1);
    // The email matches too, and `_` is a character, not a wildcard.
    expect((await list(`/api/v1/users?q=${encodeURIComponent('supervisor-')}`, key)).items.map((u) => u.id)).toEqual([A.userIds.supervisor]);
    expect((await list('/api/v1/users?q=_', key)).items.map((u) => u.id)).toEqual([A.userIds.agency_admin]);
    expect(await list('/api/v1/users?q=%25', key)).toEqual({ items: [], total: 0 });

    const first = await list('/api/v1/users?limit=3', key);
    const rest = await list('/api/v1/users?limit=3&offset=3', key);
    expect(first.total).toBe(4);
    expect(rest.total).toBe(4);
    expect([...first.items, ...rest.items]).toEqual(all.items);
    expect(await list('/api/v1/users?offset=10', key)).toEqual({ items: [], total: 4 });

    // Another agency's people are never found by an agency admin, whatever the search.
    const tagOfB = B.name.split(' ').pop()!;
    expect(await list(`/api/v1/users?q=${tagOfB}`, key)).toEqual({ items: [], total: 0 });
    // A partnership admin searches another agency's people with ?agencyId.
    const found = await list(`/api/v1/users?agencyId=${B.id}&q=author&limit=1`, P.keys.admin!);
    expect(found.items.map((u) => u.id)).toEqual([B.userIds.author]);
    expect(found.total).toBe(1);
  });

  it('GET /api/v1/agencies: search by name or jurisdiction code; another agency’s contact address is not searchable', async () => {
    const key = A.keys.author!;
    const all = await list('/api/v1/agencies', key);
    expect(all.total).toBe(all.items.length);
    expect(all.items.map((a) => a.name)).toEqual([...all.items.map((a) => a.name)].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));

    const byName = await list(`/api/v1/agencies?q=${encodeURIComponent(A.name.toLowerCase())}`, key);
    expect(byName.items.map((a) => a.id)).toEqual([A.id]);
    expect(byName.total).toBe(1);
    const tagOfB = B.name.split(' ').pop()!;
    expect((await list(`/api/v1/agencies?q=${tagOfB}`, key)).items.map((a) => a.id)).toEqual([B.id]); // its jurisdiction code
    expect(await list(`/api/v1/agencies?q=${encodeURIComponent(`notices-${tagOfB}@`)}`, key)).toEqual({ items: [], total: 0 });

    const pages = [];
    for (let offset = 0; offset < all.total; offset += 2) {
      const page = await list(`/api/v1/agencies?limit=2&offset=${offset}`, key);
      expect(page.total).toBe(all.total);
      pages.push(...page.items);
    }
    expect(pages).toEqual(all.items);
  });

  it('GET /api/v1/topics: search by key, title or description, paged by key', async () => {
    const key = A.keys.author!;
    const found = await list('/api/v1/topics?q=PAGING-', key);
    expect(found.items.map((t) => t.key)).toEqual(['paging-alpha', 'paging-beta', 'paging-gamma']);
    expect(found.total).toBe(3);
    const second = await list('/api/v1/topics?q=paging-&limit=1&offset=1', key);
    expect(second.items.map((t) => t.key)).toEqual(['paging-beta']);
    expect(second.total).toBe(3);
    const all = await list('/api/v1/topics', key);
    expect(all.items.map((t) => t.key)).toEqual(expect.arrayContaining(['paging-alpha', 'unrelated']));
    expect(all.total).toBe(all.items.length);
  });

  it.each(['/api/v1/users', '/api/v1/agencies', '/api/v1/topics'])('%s: bad q, limit or offset get 400 with the reason', async (path) => {
    const BAD: [string, RegExp][] = [
      ['limit=0', /limit must not be less than 1/],
      ['limit=1001', /limit must not be greater than 1000/],
      ['limit=ten', /limit must be an integer number/],
      ['limit=1.5', /limit must be an integer number/],
      ['offset=-1', /offset must not be less than 0/],
      ['offset=1000001', /offset must not be greater than 1000000/],
      ['offset=1e3', /offset must be an integer number/],
      ['offset=', /offset must be an integer number/],
      [`q=${'x'.repeat(201)}`, /q must be shorter than or equal to 200 characters/],
      ['q=a&q=b', /q must be a string/],
      ['page=2', /property page should not exist/],
    ];
    for (const [query, reason] of BAD) {
      const res = await call('GET', `${path}?${query}`, { key: A.keys.agency_admin! });
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(JSON.stringify(res.body.message)).toMatch(reason);
    }
  });

  it('documents q, limit, offset and the X-Total-Count header in OpenAPI', async () => {
    const doc = (await call('GET', '/docs/openapi.json')).body;
    for (const path of ['/api/v1/users', '/api/v1/agencies', '/api/v1/topics']) {
      const op = doc.paths[path].get;
      const params = Object.fromEntries(op.parameters.filter((x: any) => x.in === 'query').map((x: any) => [x.name, x.schema]));
      expect({ path, q: params.q, limit: params.limit, offset: params.offset }).toEqual({
        path,
        q: expect.objectContaining({ type: 'string', maxLength: 200 }),
        limit: expect.objectContaining({ minimum: 1, maximum: 1000 }),
        offset: expect.objectContaining({ minimum: 0, maximum: 1_000_000 }),
      });
      expect(op.responses['200'].headers['X-Total-Count'].schema).toEqual({ type: 'integer', minimum: 0 });
      expect(op.responses['200'].content['application/json'].schema.type).toBe('array');
      expect(op.responses['400']).toBeDefined();
    }
  });
});
