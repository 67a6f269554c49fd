/**
 * A live feed is authorized when it opens, but it stays open for hours: it must end, within
 * its recheck interval (LIVE_FEED_RECHECK_SECONDS, 1 s here) and a little slack, once the credentials it was opened with stop being valid (the
 * key revoked or expired, the user disabled or losing a role, the agency offboarded, the console
 * session signed out), and carry nothing after that. A control feed, whose credentials stay good,
 * shows that the later events were there to be sent.
 */
import { apiClient, createAgency, createTopics, eventually, TestAgency } from '../support/fixtures';
import { SseStream } from '../support/sse-stream';
import { startStack, Stack } from '../support/stack';

/** The feeds' recheck interval in this test (LIVE_FEED_RECHECK_SECONDS), short so the test waits less. */
const RECHECK_MS = 1000;
/** How long a feed may outlive its credentials: the check's interval, plus time for the check and the socket. */
const CUT_OFF_MS = RECHECK_MS + 3000;

describe('live feeds end when their credentials stop being valid', () => {
  let stack: Stack;
  let call: ReturnType<typeof apiClient>;
  let issuer: TestAgency, county: TestAgency, leaving: TestAgency, partnership: TestAgency;
  let noticeId: string;
  /** Each recipient county's acknowledgment of the notice, which the feed events below are about. */
  const ackOf: Record<string, string> = {};
  const streams: SseStream[] = [];

  const open = async (path: string, headers: Record<string, string>) => {
    const s = await SseStream.open(`${stack.url}${path}`, headers);
    streams.push(s);
    expect(s.status).toBe(200);
    return s;
  };
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

  /** A new audit event about an agency's acknowledgment: it belongs on that agency's feeds and on the issuer's. */
  const poke = async (agency: TestAgency): Promise<string> => {
    const [{ id }] = await stack.db.query(
      `INSERT INTO audit_events (actor_type, actor_id, agency_id, action, entity_type, entity_id, after)
       VALUES ('system', 'test', $1, 'acknowledgment.reminded', 'acknowledgment', $2, '{"stage":1}') RETURNING id::text AS id`,
      [agency.id, ackOf[agency.id]],
    );
    return id;
  };

  /** A person of the county with a key of their own (created through the API, as an agency admin would). */
  const newPerson = async (tag: string, roles = ['supervisor']) => {
    const user = await call('POST', '/api/v1/users', {
      key: county.keys.agency_admin,
      body: { email: `${tag}-${Date.now()}@county.test`, name: `Watcher ${tag}`, roles },
    });
    expect(user.status).toBe(201);
    const key = await call('POST', '/api/v1/api-keys', { key: county.keys.agency_admin, body: { name: `feed ${tag}`, userId: user.body.id } });
    expect(key.status).toBe(201);
    return { userId: user.body.id as string, email: user.body.email as string, keyId: key.body.id as string, key: key.body.key as string };
  };

  /** The person signs in to the console: the session cookie, and its CSRF token. */
  const signIn = async (userId: string, email: string) => {
    const password = 'a long enough passphrase';
    expect((await call('PUT', `/api/v1/users/${userId}/password`, { key: county.keys.agency_admin, body: { password } })).status).toBe(204);
    const res = await fetch(`${stack.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    expect(res.status).toBe(200);
    return { cookie: res.headers.get('set-cookie')!.split(';')[0], csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
  };

  /**
   * The feeds carry the agency's events; after `revoke` each ends within CUT_OFF_MS with the
   * closing comment, and an event written after that reaches the control feed but none of them.
   */
  async function expectCutOff(agency: TestAgency, feeds: SseStream[], control: SseStream, revoke: () => Promise<void>) {
    const before = await poke(agency);
    for (const f of feeds) await f.waitFor('an event while the credentials are good', (m) => m.id === before);
    await revoke();
    const revokedAt = Date.now();
    for (const f of feeds) await eventually(async () => f.ended, CUT_OFF_MS, 'the feed to end after its credentials stopped being valid');
    expect(Date.now() - revokedAt).toBeLessThanOrEqual(CUT_OFF_MS);
    for (const f of feeds) expect(f.comments).toContain('credentials no longer valid');
    const counts = feeds.map((f) => f.messages.length);

    const after = await poke(agency);
    await control.waitFor('the control feed to carry the later event', (m) => m.id === after);
    expect(feeds.map((f) => f.messages.length)).toEqual(counts);
    for (const f of feeds) expect(f.ids).not.toContain(after);
  }

  beforeAll(async () => {
    stack = await startStack({ LIVE_FEED_RECHECK_SECONDS: String(RECHECK_MS / 1000) });
    call = apiClient(stack.url);
    await createTopics(stack.db, ['safe-sleep']);
    issuer = await createAgency(stack.db, { name: 'Issuing state', type: 'state', roles: ['author', 'approver', 'supervisor'] });
    county = await createAgency(stack.db, { name: 'County', type: 'county', roles: ['supervisor', 'agency_admin'] });
    leaving = await createAgency(stack.db, { name: 'Leaving county', type: 'county', roles: ['supervisor'] });
    partnership = await createAgency(stack.db, { name: 'Partnership office', type: 'state', roles: ['admin'] });

    const draft = await call('POST', '/api/v1/notices', {
      key: issuer.keys.author,
      body: { title: 'Alert', summary: 'Summary.', body: 'Body.', category: 'alert', severity: 'critical', topics: ['safe-sleep'], targetJurisdictions: ['county'] },
    });
    expect(draft.status).toBe(201);
    noticeId = draft.body.id;
    await call('POST', `/api/v1/notices/${noticeId}/submit`, { key: issuer.keys.author });
    const approved = await call('POST', `/api/v1/notices/${noticeId}/approve`, { key: issuer.keys.approver, body: { contentHash: draft.body.contentHash } });
    expect(approved.status).toBe(200);
    for (const a of [county, leaving]) {
      const [ack] = await eventually(async () => {
        const rows = await stack.db.query(`SELECT id FROM acknowledgments WHERE notice_id = $1 AND agency_id = $2`, [noticeId, a.id]);
        return rows.length > 0 && rows;
      }, 20000, `the acknowledgment record of ${a.name}`);
      ackOf[a.id] = ack.id;
    }
  });

  afterEach(() => {
    for (const s of streams.splice(0)) s.close();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('a revoked API key: both feeds end, and the key opens no new one', async () => {
    const watcher = await newPerson('revoked');
    const control = await open('/api/v1/feed', bearer(issuer.keys.supervisor!));
    const feed = await open('/api/v1/feed', bearer(watcher.key));
    // Through ?access_token= too, as a browser's EventSource connects.
    const events = await open(`/api/v1/notices/${noticeId}/events?access_token=${encodeURIComponent(watcher.key)}`, {});
    await expectCutOff(county, [feed, events], control, async () => {
      expect((await call('DELETE', `/api/v1/api-keys/${watcher.keyId}`, { key: county.keys.agency_admin })).status).toBe(204);
    });
    expect((await SseStream.open(`${stack.url}/api/v1/feed`, bearer(watcher.key))).status).toBe(401);
  });

  it('an API key that expires while the feed is open', async () => {
    const watcher = await newPerson('expiring');
    const control = await open('/api/v1/feed', bearer(issuer.keys.supervisor!));
    const feed = await open('/api/v1/feed', bearer(watcher.key));
    await expectCutOff(county, [feed], control, async () => {
      await stack.db.query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [watcher.keyId]);
    });
  });

  it("a disabled user: the feeds of their key and of their console session end", async () => {
    const watcher = await newPerson('disabled');
    const { cookie } = await signIn(watcher.userId, watcher.email);
    const control = await open('/api/v1/feed', bearer(issuer.keys.supervisor!));
    const byKey = await open('/api/v1/feed', bearer(watcher.key));
    const bySession = await open(`/api/v1/notices/${noticeId}/events`, { cookie });
    await expectCutOff(county, [byKey, bySession], control, async () => {
      const res = await call('POST', `/api/v1/users/${watcher.userId}/disable`, { key: county.keys.agency_admin, body: { reason: 'left the agency' } });
      expect(res.status).toBe(200);
    });
  });

  it('a console session that signs out', async () => {
    const watcher = await newPerson('signing-out');
    const { cookie, csrf } = await signIn(watcher.userId, watcher.email);
    const control = await open('/api/v1/feed', bearer(issuer.keys.supervisor!));
    const feed = await open('/api/v1/feed', { cookie });
    await expectCutOff(county, [feed], control, async () => {
      const res = await call('POST', '/api/v1/auth/logout', { headers: { cookie, 'x-csrf-token': csrf } });
      expect(res.status).toBe(204);
    });
    expect((await SseStream.open(`${stack.url}/api/v1/feed`, { cookie })).status).toBe(401);
  });

  it('a user who loses the role the feed was opened with', async () => {
    const watcher = await newPerson('demoted');
    const control = await open('/api/v1/feed', bearer(issuer.keys.supervisor!));
    const feed = await open('/api/v1/feed', bearer(watcher.key));
    await expectCutOff(county, [feed], control, async () => {
      const res = await call('PUT', `/api/v1/users/${watcher.userId}/roles`, { key: county.keys.agency_admin, body: { roles: ['author'] } });
      expect(res.status).toBe(200);
    });
  });

  it('an offboarded agency', async () => {
    const control = await open('/api/v1/feed', bearer(issuer.keys.supervisor!));
    const feed = await open('/api/v1/feed', bearer(leaving.keys.supervisor!));
    await expectCutOff(leaving, [feed], control, async () => {
      const res = await call('POST', `/api/v1/agencies/${leaving.id}/offboard`, { key: partnership.keys.admin, body: { reason: 'left the partnership' } });
      expect(res.status).toBe(200);
    });
  });

  it('a feed whose credentials stay good stays open past several checks', async () => {
    const feed = await open('/api/v1/feed', bearer(county.keys.supervisor!));
    await new Promise((r) => setTimeout(r, 2 * RECHECK_MS + 500));
    expect(feed.ended).toBe(false);
    const id = await poke(county);
    await feed.waitFor('an event after several checks', (m) => m.id === id);
  });
});
