import { Client, ClientConfig } from 'pg';

/** One connection for one piece of work, always closed (a connection error after the work is ignored). */
export async function withClient<T>(config: string | ClientConfig, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client(typeof config === 'string' ? { connectionString: config } : config);
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
