/**
 * A PostgreSQL cluster owned by one test (Debian's PostgreSQL 15 binaries): its own data
 * directory and port, so it can be stopped and started without touching the shared server.
 * When the test runs as root, every PostgreSQL binary runs as the `postgres` OS user.
 */
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { provisionDatabase, urlFor } from '../../../libs/core/src/database/database-provisioning';
import { freePort, waitUntil } from './processes';

const run = promisify(execFile);

export const PG_BIN = process.env.TEST_PG_BIN || '/usr/lib/postgresql/15/bin';
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

export const ownPostgresAvailable = existsSync(join(PG_BIN, 'initdb')) && existsSync(join(PG_BIN, 'pg_ctl')) && (!isRoot || existsSync('/usr/sbin/runuser') || existsSync('/sbin/runuser'));

async function pgCommand(tool: string, args: string[], timeoutMs = 60_000): Promise<string> {
  const bin = join(PG_BIN, tool);
  const [cmd, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  try {
    const { stdout, stderr } = await run(cmd, argv, { timeout: timeoutMs, cwd: '/' });
    return stdout + stderr;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${tool} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

async function postgresUid(): Promise<{ uid: number; gid: number }> {
  const { stdout: uid } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

export class OwnPostgres {
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  get dataDir(): string {
    return join(this.dir, 'data');
  }

  get logFile(): string {
    return join(this.dir, 'postgres.log');
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** initdb (trust auth, no fsync) and start. */
  static async create(): Promise<OwnPostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'sne-res-pg-'));
    if (isRoot) {
      const { uid, gid } = await postgresUid();
      chownSync(dir, uid, gid);
    }
    chmodSync(dir, 0o700);
    const pg = new OwnPostgres(dir, await freePort());
    await pgCommand('initdb', ['-D', pg.dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
    await pg.start();
    return pg;
  }

  async start(): Promise<void> {
    const options = [
      `-p ${this.port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${this.dir}`,
      '-c max_connections=300',
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
    ].join(' ');
    await pgCommand('pg_ctl', ['-D', this.dataDir, '-l', this.logFile, '-o', options, '-w', '-t', '30', 'start']);
    await waitUntil(
      async () => {
        const c = new Client({ connectionString: this.url(), connectionTimeoutMillis: 2000 });
        await c.connect();
        await c.end();
        return true;
      },
      20_000,
      'the test PostgreSQL to accept connections',
    );
  }

  /** `pg_ctl stop -m fast` (rolls back open transactions, disconnects every client). */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await pgCommand('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', '-t', '30', 'stop']);
  }

  async createDatabase(name: string): Promise<string> {
    const c = new Client({ connectionString: this.url() });
    await c.connect();
    try {
      await c.query(`CREATE DATABASE ${name}`);
    } finally {
      await c.end();
    }
    return this.url(name);
  }

  /**
   * A database with the two roles the apps use (schema owner, runtime role), as in production;
   * roles of this cluster only, so they go with it.
   */
  async createAppDatabase(name: string): Promise<{ url: string; ownerUrl: string; runtimeUrl: string }> {
    const owner = { name: 'sne_owner' };
    const runtime = { name: 'sne_app' };
    await provisionDatabase(this.url(), { database: name, owner, runtime });
    return { url: this.url(name), ownerUrl: urlFor(this.url(name), { role: owner }), runtimeUrl: urlFor(this.url(name), { role: runtime }) };
  }

  /** Stops the server (if running) and removes its directory. */
  async destroy(): Promise<void> {
    if (existsSync(join(this.dataDir, 'postmaster.pid'))) {
      await pgCommand('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', '-t', '30', 'stop']).catch(() => undefined);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  async log(): Promise<string> {
    try {
      const { stdout } = await run('tail', ['-c', '4000', this.logFile]);
      return stdout;
    } catch {
      return '';
    }
  }
}
