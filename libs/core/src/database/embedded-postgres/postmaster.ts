/**
 * The postmaster process: stopping the one this launcher started, and finding one a killed node
 * process left behind (through `postmaster.pid`) so a new start can clear it.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PackageInstance } from './package';

const STOP_TIMEOUT_MS = 30_000;

export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** The package's stop() waits for 'exit' forever, even when the process has already gone. */
export async function stopChild(server: PackageInstance): Promise<void> {
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
export async function clearStalePostmaster(
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

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
