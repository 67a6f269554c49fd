/**
 * The per-IP limits (sign-in, acknowledgments, survey answers) count a route however its path is
 * spelled: Express routes ignore case and a trailing slash, so "/API/v1/auth/login/" reaches the
 * sign-in and must spend the same budget. And the per-key write limit counts a key however the
 * Authorization header spaces it. Each route is tried from a client address of its own.
 */
import { Agent, request } from 'undici';
import { createAgency, TestAgency } from '../support/fixtures';
import { startStack, Stack } from '../support/stack';

const LIMIT = 3;
/** Above the four tries of a spelling test, which the per-caller write limit also counts (by IP when no key is sent). */
const WRITES = 6;
const spellings = (path: string) => [path, path.toUpperCase(), `${path}/`, `${path.toUpperCase()}/`];

describe('rate limits, however the path is spelled', () => {
  let stack: Stack;
  let agency: TestAgency;
  const agents: Agent[] = [];
  let next = 20;

  beforeAll(async () => {
    stack = await startStack({ RATE_LIMIT_LOGIN_PER_MINUTE: String(LIMIT), RATE_LIMIT_ACK_PER_MINUTE: String(LIMIT), RATE_LIMIT_WRITES_PER_MINUTE: String(WRITES) });
    agency = await createAgency(stack.db, { name: 'Spelling' });
  });

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.close()));
    await stack?.close();
  });

  /** A new client address (its own per-IP budgets). */
  function freshClient() {
    const agent = new Agent({ localAddress: `127.0.3.${next++}` });
    agents.push(agent);
    return async (path: string, type: string, body: string, headers: Record<string, string> = {}) => {
      const res = await request(`${stack.url}${path}`, { method: 'POST', headers: { 'content-type': type, ...headers }, body, dispatcher: agent });
      await res.body.text();
      return res.statusCode;
    };
  }

  const json = 'application/json';
  const form = 'application/x-www-form-urlencoded';
  const token = 'x'.repeat(40);
  const LIMITED: [string, string, string][] = [
    ['/api/v1/auth/login', json, JSON.stringify({ email: 'nobody@agency.test', password: 'wrong password' })],
    ['/console/sign-in', form, 'email=nobody%40agency.test&password=wrong'],
    [`/ack/${token}`, form, 'name=A+Person'],
    [`/ack/${token}/actions`, form, 'status=underway'],
    [`/api/v1/acknowledgments/${token}`, json, JSON.stringify({ name: 'A Person' })],
    [`/api/v1/acknowledgments/${token}/actions`, json, JSON.stringify({ status: 'underway' })],
    ['/survey', form, 'code=ABCD-EFGH-JKMN'],
    [`/survey/${'A'.repeat(43)}`, form, 'x=1'],
  ];

  it.each(LIMITED)('POST %s: every spelling spends one per-IP budget', async (path, type, body) => {
    const send = freshClient();
    const statuses: number[] = [];
    // Within the budget, each spelling reaches the route (whatever it answers); the next is refused.
    for (const spelled of spellings(path)) statuses.push(await send(spelled, type, body));
    expect(statuses.slice(0, LIMIT).every((s) => s !== 429 && s !== 404)).toBe(true);
    expect(statuses[LIMIT]).toBe(429);
  });

  it("counts a key's writes however the Authorization header spaces it", async () => {
    const send = freshClient();
    const key = agency.keys.author!;
    const draft = JSON.stringify({ title: 'x', summary: 'x', body: 'x', category: 'advisory', severity: 'low', topics: ['none-such'] });
    const statuses: number[] = [];
    const spaced = [`Bearer ${key}`, `Bearer  ${key}`, `Bearer \t${key}`, `Bearer ${key} `, `Bearer   ${key}`, `Bearer ${key}\t`, `Bearer \t ${key}`];
    for (const auth of spaced) statuses.push(await send('/api/v1/notices', json, draft, { authorization: auth }));
    expect(statuses.slice(0, WRITES).every((s) => s !== 429)).toBe(true);
    expect(statuses[WRITES]).toBe(429);
  });
});
