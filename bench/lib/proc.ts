/**
 * Per-process figures from /proc (Linux): CPU time (utime + stime, clock ticks) and memory
 * (VmRSS now, VmHWM = peak over the process lifetime). A sampler reads them every 100 ms for
 * named processes, plus PostgreSQL backends of the bench database (found by their process
 * title), PostgreSQL's auxiliary processes and nats-server, which the bench did not start.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

let ticksPerSecond = 100;
try {
  ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
} catch {
  // keep 100
}
export const CLK_TCK = ticksPerSecond;

/** CPU seconds (user + system) of a live process, or undefined once it is gone. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces or parentheses: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After ')': state(0) ppid(1) … utime is field 14 of the whole line → index 11, stime → 12.
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return undefined;
  }
}

/** VmRSS and VmHWM in MB. */
export function memoryMb(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** Whole-machine busy and total jiffies, from /proc/stat. */
export function machineJiffies(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal guest guest_nice; guest is counted in user already.
  const idle = v[3] + (v[4] ?? 0);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
}

/** Inodes of sockets listening on a TCP port (IPv4 and IPv6), from /proc/net/tcp*. */
function listeningInodes(port: number): Set<string> {
  const out = new Set<string>();
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // local_address is ip:port in hex; state 0A is LISTEN; inode is field 9.
      if (f.length > 9 && f[1].endsWith(`:${hex}`) && f[3] === '0A') out.add(f[9]);
    }
  }
  return out;
}

/** The pid of the nats-server listening on `port` (other nats-servers on the machine belong to other people's tests). */
export function natsServerPid(port: number): number | undefined {
  const inodes = listeningInodes(port);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'nats-server') continue;
      for (const fd of readdirSync(`/proc/${entry}/fd`)) {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${entry}/fd/${fd}`));
        if (m && inodes.has(m[1])) return Number(entry);
      }
    } catch {
      // gone, or not ours to read
    }
  }
  return undefined;
}

/** Groups of external processes: our database's backends, PostgreSQL auxiliaries, other databases' backends. */
export function externalProcesses(dbName: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    let comm: string;
    try {
      comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    if (comm === 'postgres') {
      const cmd = cmdline(pid);
      if (!cmd.startsWith('postgres:')) out.set(pid, 'pg-aux'); // the postmaster
      else if (cmd.includes(` ${dbName} `)) out.set(pid, 'pg-backends');
      else if (/: (checkpointer|background writer|walwriter|autovacuum|logical replication|archiver|stats)/.test(cmd)) out.set(pid, 'pg-aux');
      else out.set(pid, 'pg-other-dbs');
    }
  }
  return out;
}

export interface GroupFigures {
  cpuSeconds: number;
  /** Max VmRSS sampled during the window (MB), for single processes. */
  peakRssMb?: number;
  /** VmHWM at the end of the window (lifetime peak, MB), for single processes. */
  hwmMb?: number;
}

/**
 * Samples CPU and memory every `intervalMs` between start() and stop(). Named processes (the
 * apps, the receiver…) are tracked individually; external ones by group. A process first seen
 * after start() counts its CPU from zero (it was born during the window).
 */
export class ProcSampler {
  private readonly named = new Map<string, number>();
  private readonly baseline = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private readonly groupOf = new Map<number, string>();
  private readonly peakRss = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private scanTimer?: NodeJS.Timeout;
  private machineStart = machineJiffies();
  private machineEnd = this.machineStart;
  private started = false;

  constructor(private readonly dbName: string) {}

  track(name: string, pid: number | undefined): void {
    if (pid) this.named.set(name, pid);
  }

  start(intervalMs = 100): void {
    this.started = false;
    this.scan();
    this.machineStart = machineJiffies();
    for (const [name, pid] of this.named) {
      this.groupOf.set(pid, name);
      this.peakRss.set(name, 0);
    }
    for (const pid of this.groupOf.keys()) {
      const c = cpuSeconds(pid);
      if (c !== undefined) {
        this.baseline.set(pid, c);
        this.last.set(pid, c);
      }
    }
    this.started = true;
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    // New PostgreSQL backends (pool growth) appear during the run.
    this.scanTimer = setInterval(() => this.scan(), 500);
  }

  stop(): Map<string, GroupFigures> {
    clearInterval(this.timer);
    clearInterval(this.scanTimer);
    this.sample();
    this.machineEnd = machineJiffies();
    const groups = new Map<string, GroupFigures>();
    for (const [pid, group] of this.groupOf) {
      const end = this.last.get(pid);
      if (end === undefined) continue;
      const base = this.baseline.get(pid) ?? 0;
      const g = groups.get(group) ?? { cpuSeconds: 0 };
      g.cpuSeconds += end - base;
      groups.set(group, g);
    }
    for (const [name, pid] of this.named) {
      const g = groups.get(name) ?? { cpuSeconds: 0 };
      g.peakRssMb = this.peakRss.get(name);
      g.hwmMb = memoryMb(pid)?.hwm;
      groups.set(name, g);
    }
    return groups;
  }

  /** CPU seconds the whole machine was busy during the window (all cores, everyone's processes). */
  machineBusySeconds(): number {
    return (this.machineEnd.busy - this.machineStart.busy) / CLK_TCK;
  }

  /** Share of the machine's CPU capacity that was busy during the window (all cores). */
  machineBusy(): number {
    const busy = this.machineEnd.busy - this.machineStart.busy;
    const total = this.machineEnd.total - this.machineStart.total;
    return total > 0 ? busy / total : NaN;
  }

  private scan(): void {
    for (const [pid, group] of externalProcesses(this.dbName)) {
      if (this.groupOf.has(pid)) continue;
      this.groupOf.set(pid, group);
      // Born during the window: all of its CPU is ours to count.
      if (this.started) this.baseline.set(pid, 0);
      else {
        const c = cpuSeconds(pid);
        if (c !== undefined) this.baseline.set(pid, c);
      }
    }
  }

  private sample(): void {
    for (const pid of this.groupOf.keys()) {
      const c = cpuSeconds(pid);
      if (c !== undefined) this.last.set(pid, c);
    }
    for (const [name, pid] of this.named) {
      const m = memoryMb(pid);
      if (m && m.rss > (this.peakRss.get(name) ?? 0)) this.peakRss.set(name, m.rss);
    }
  }
}
