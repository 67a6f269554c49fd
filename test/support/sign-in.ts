import { Agent, request } from 'undici';

/**
 * Password sign-in from a client address of the test's choosing: any of 127.0.0.0/8 reaches an
 * api listening on 127.0.0.1, so each address is a client of its own to the rate limits and the
 * sign-in locks. `close()` ends the connections.
 */
export function signInClients(baseUrl: string) {
  const agents = new Map<string, Agent>();
  const agentAt = (address: string) => agents.get(address) ?? agents.set(address, new Agent({ localAddress: address })).get(address)!;
  return {
    async login(email: string, password: string, from = '127.0.0.1', headers: Record<string, string> = {}) {
      const res = await request(`${baseUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ email, password }),
        dispatcher: agentAt(from),
      });
      const header = (name: string) => [res.headers[name] ?? []].flat()[0] ?? null;
      return { status: res.statusCode, body: (await res.body.json()) as any, cookie: header('set-cookie'), headers: { get: header } };
    },
    close: () => Promise.all([...agents.values()].map((a) => a.close())),
  };
}
