import { createDataSource, WARM_CONNECTIONS } from '@sne/core';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '../../support/test-database';

/**
 * A quiet spell does not leave the apps with only fresh server processes: the pool keeps its most
 * recently used WARM_CONNECTIONS connections (and what their server processes have cached), and
 * closes the others once idle.
 */
describe('warm connections', () => {
  let database: TestDatabase;
  let db: DataSource;
  let admin: Client;
  const app = 'sne-warm-connections-test';

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDataSource(database.runtimeUrl, { applicationName: app, poolSize: 6, idleTimeoutMs: 200 });
    await db.initialize();
    admin = new Client({ connectionString: database.url });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    await db?.destroy();
    await database?.drop();
  });

  const backends = async (): Promise<number[]> =>
    (await admin.query(`SELECT pid FROM pg_stat_activity WHERE application_name = $1 ORDER BY pid`, [app])).rows.map((r: { pid: number }) => r.pid);

  it(`keeps the ${WARM_CONNECTIONS} most recently used connections through a quiet spell, and only those`, async () => {
    // Six held at once: the pool opens six connections. (Each is held until all six are open; six
    // short queries at once let a loaded machine reuse the first before the sixth had connected.)
    const held = Array.from({ length: 6 }, () => db.createQueryRunner());
    await Promise.all(held.map((r) => r.connect()));
    expect(await backends()).toHaveLength(6);
    await Promise.all(held.map((r) => r.release()));
    // The last two used, one after the other (the pool hands out the most recently released).
    const used = new Set<number>();
    for (let i = 0; i < 4; i++) used.add((await db.query('SELECT pg_backend_pid() AS pid'))[0].pid);
    expect(used.size).toBe(1);

    await new Promise((r) => setTimeout(r, 1000));
    const kept = await backends();
    expect(kept).toHaveLength(WARM_CONNECTIONS);
    expect(kept).toEqual(expect.arrayContaining([...used]));
    // And the pool hands out a kept one, not a new one.
    expect(kept).toContain((await db.query('SELECT pg_backend_pid() AS pid'))[0].pid);
  });
});
