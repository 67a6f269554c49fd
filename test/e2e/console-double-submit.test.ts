/**
 * A console form sent twice, one after the other (a double click, a reload) or at the same moment
 * (two people): a unique key refuses the second row. The form says what already exists, beside the
 * field, with 400, as the API answers 409; never a server error, and one row and one audit event.
 * Found by an outside audit of every write route: users, agencies and topics answered 500, and
 * so did two people giving two users the same new address at once.
 */
import { randomBytes } from 'node:crypto';
import { createAgency, TestAgency } from '../support/fixtures';
import { startStack, Stack } from '../support/stack';

describe('console forms sent twice', () => {
  let stack: Stack;
  let P: TestAgency, A: TestAgency;

  beforeAll(async () => {
    stack = await startStack();
    P = await createAgency(stack.db, { name: 'Partnership', type: 'federal', roles: ['admin', 'agency_admin'] });
    A = await createAgency(stack.db, { name: 'Alpha County', roles: ['agency_admin', 'supervisor', 'author'] });
  });

  afterAll(async () => {
    await stack?.close();
  });

  /** A console form posted with an API key (no CSRF needed), redirects not followed. */
  const post = async (path: string, key: string, form: Record<string, string>) => {
    const res = await fetch(`${stack.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
      redirect: 'manual',
    });
    return { status: res.status, text: await res.text() };
  };
  const count = async (sql: string, params: unknown[]) => (await stack.db.query(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n as number;

  interface Form {
    what: string;
    path: string;
    key: string;
    form: Record<string, string>;
    says: string;
    rows: () => Promise<number>;
    events: () => Promise<number>;
  }
  const forms = (): Form[] => {
    const tag = randomBytes(4).toString('hex');
    return [
      {
        what: 'a user',
        path: '/console/admin/users',
        key: A.keys.agency_admin!,
        form: { name: 'Dana Desk', email: `dana-${tag}@alpha.test`, roles: 'supervisor', kind: 'person' },
        says: 'A user with this email address already exists',
        rows: () => count(`users WHERE lower(email) = $1`, [`dana-${tag}@alpha.test`]),
        events: () => count(`audit_events WHERE action = 'user.created' AND after->>'email' = $1`, [`dana-${tag}@alpha.test`]),
      },
      {
        what: 'an agency',
        path: '/console/admin/agencies',
        key: P.keys.admin!,
        form: { name: `Gamma ${tag}`, jurisdictionType: 'county', jurisdictionCode: `US-G-${tag}`, timeZone: 'America/Chicago', noticesContactEmail: `n-${tag}@gamma.test`, escalationContacts: '', fallbackContacts: '' },
        says: 'An agency with this name already exists',
        rows: () => count(`agencies WHERE name = $1`, [`Gamma ${tag}`]),
        events: () => count(`audit_events WHERE action = 'agency.created' AND entity_id IN (SELECT id::text FROM agencies WHERE name = $1)`, [`Gamma ${tag}`]),
      },
      {
        what: 'a topic',
        path: '/console/admin/topics',
        key: P.keys.admin!,
        form: { key: `twice-${tag}`, title: 'Twice', description: '' },
        says: 'This topic is already in the catalogue',
        rows: () => count(`topics WHERE key = $1`, [`twice-${tag}`]),
        events: () => count(`audit_events WHERE action = 'topic.created' AND entity_id = $1`, [`twice-${tag}`]),
      },
    ];
  };

  for (const when of ['one after the other', 'at the same moment'] as const) {
    it(`creating a user, an agency or a topic twice, ${when}: one is made, the other form says it exists (400)`, async () => {
      for (const f of forms()) {
        const send = () => post(f.path, f.key, f.form);
        const answers = when === 'at the same moment' ? await Promise.all([send(), send()]) : [await send(), await send()];
        const statuses = answers.map((a) => a.status).sort();
        expect({ what: f.what, statuses }).toEqual({ what: f.what, statuses: [303, 400] });
        expect(answers.find((a) => a.status === 400)!.text).toContain(f.says);
        expect({ what: f.what, rows: await f.rows(), events: await f.events() }).toEqual({ what: f.what, rows: 1, events: 1 });
      }
    });
  }

  it('two people give two users the same new address at the same moment: one is saved, the other form says it is taken', async () => {
    const address = `shared-${randomBytes(4).toString('hex')}@alpha.test`;
    const [first, second] = [A.userIds.supervisor!, A.userIds.author!];
    const answers = await Promise.all(
      [first, second].map((id) => post(`/console/admin/users/${id}/details`, A.keys.agency_admin!, { name: 'Same Address', email: address })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([303, 400]);
    expect(answers.find((a) => a.status === 400)!.text).toContain('A user with this email address already exists');
    expect(await count(`users WHERE lower(email) = $1`, [address])).toBe(1);
  });
});
