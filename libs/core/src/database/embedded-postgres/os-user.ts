/**
 * Running as root. PostgreSQL refuses to, so the cluster belongs to the system user `postgres`
 * (created if missing) and every PostgreSQL process runs as that user, with no supplementary
 * groups (hard-coded in the package).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The package runs PostgreSQL as this OS user when node runs as root. */
export const OS_USER = 'postgres';

export interface OsUser {
  uid: number;
  gid: number;
}

export function isRoot(): boolean {
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
export function ensureOsUser(log: (line: string) => void): OsUser {
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

/** Whether `user` can enter and list `dir`, asked exactly as PostgreSQL will run: same uid/gid, no supplementary groups. */
export function canReach(user: OsUser, dir: string): boolean {
  return spawnSync('test', ['-x', dir, '-a', '-r', dir], { uid: user.uid, gid: user.gid, stdio: 'ignore' }).status === 0;
}

/** A data directory copied, restored or made by another uid: PostgreSQL insists on owning it. */
export function ensureOwnedBy(dir: string, user: OsUser, log: (line: string) => void): void {
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
export async function withPrivateTmpdir<T>(dir: string, user: OsUser | undefined, fn: () => Promise<T>): Promise<T> {
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
