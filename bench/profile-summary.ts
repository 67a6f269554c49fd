/**
 * Summarises V8 .cpuprofile files (from `node --cpu-prof`): self time aggregated by function
 * (name + file + line) and by where the code lives (a node_modules package, the app's own code,
 * node internals, GC, program/idle). An optional window [fromUs, toUs] on the monotonic clock
 * (the one process.hrtime and V8's profiler share on Linux) keeps only samples taken during the
 * measured run, leaving start-up and warm-up out.
 *
 *   node dist/bench/profile-summary.js /tmp/sne-prof/courier.cpuprofile [--from <µs> --to <µs>] [--top 25]
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  file: string;
  windowMs: number;
  sampledMs: number;
  /** Busy = everything but (idle). */
  busyMs: number;
  byFunction: Array<{ name: string; where: string; ms: number; share: number }>;
  byArea: Array<{ area: string; ms: number; share: number }>;
  /** Self time of frames without a script (native calls such as writev, V8 builtins) by their nearest JS caller. */
  nativeByCaller: Array<{ native: string; caller: string; ms: number; share: number }>;
}

export function summarizeProfile(file: string, window?: { fromUs: number; toUs: number }, top = 25): ProfileSummary {
  const profile: CpuProfile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let t = profile.startTime;
  let sampled = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    if (window && (t < window.fromUs || t > window.toUs)) continue;
    // Each sample stands for the time until the next one.
    const dt = profile.timeDeltas[i + 1] ?? 0;
    if (dt <= 0) continue;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + dt);
    sampled += dt;
  }
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const callerOf = (id: number): string => {
    let p = parent.get(id);
    while (p !== undefined) {
      const cf = byId.get(p)!.callFrame;
      // Skip node's own stream/net plumbing: the interesting caller is the package or app that wrote.
      if (cf.url && !cf.url.startsWith('node:')) return `${cf.functionName || '(anonymous)'} ${shortUrl(cf.url)}:${cf.lineNumber + 1}`;
      p = parent.get(p);
    }
    return '(no JS caller)';
  };
  const native = new Map<string, { native: string; caller: string; us: number }>();
  const fn = new Map<string, { name: string; where: string; us: number }>();
  const area = new Map<string, number>();
  let idle = 0;
  for (const [id, us] of selfUs) {
    const cf = byId.get(id)!.callFrame;
    const name = cf.functionName || '(anonymous)';
    if (name === '(idle)') idle += us;
    const where = cf.url ? `${shortUrl(cf.url)}:${cf.lineNumber + 1}` : '';
    const key = `${name}@${where}`;
    const e = fn.get(key) ?? { name, where, us: 0 };
    e.us += us;
    fn.set(key, e);
    const a = areaOf(cf);
    area.set(a, (area.get(a) ?? 0) + us);
    if (!cf.url && !name.startsWith('(')) {
      const caller = callerOf(id);
      const k = `${name}<-${caller}`;
      const e2 = native.get(k) ?? { native: name, caller, us: 0 };
      e2.us += us;
      native.set(k, e2);
    }
  }
  const busy = sampled - idle;
  const share = (us: number) => (busy > 0 ? us / busy : 0);
  return {
    file,
    windowMs: window ? (window.toUs - window.fromUs) / 1000 : (profile.endTime - profile.startTime) / 1000,
    sampledMs: sampled / 1000,
    busyMs: busy / 1000,
    byFunction: [...fn.values()]
      .filter((e) => e.name !== '(idle)')
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((e) => ({ name: e.name, where: e.where, ms: e.us / 1000, share: share(e.us) })),
    byArea: [...area.entries()]
      .filter(([a]) => a !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .map(([a, us]) => ({ area: a, ms: us / 1000, share: share(us) })),
    nativeByCaller: [...native.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, 12)
      .map((e) => ({ native: e.native, caller: e.caller, ms: e.us / 1000, share: share(e.us) })),
  };
}

function shortUrl(url: string): string {
  const u = url.replace(/^file:\/\//, '');
  const nm = u.lastIndexOf('/node_modules/');
  if (nm >= 0) return u.slice(nm + '/node_modules/'.length);
  const dist = u.indexOf('/dist/');
  if (dist >= 0) return u.slice(dist + 1);
  return u;
}

/** Where a frame's code lives: a package, the app, node internals, or a V8 pseudo-frame. */
function areaOf(cf: CallFrame): string {
  const name = cf.functionName;
  if (!cf.url) {
    if (name.startsWith('(')) return name; // (garbage collector), (program), (idle), (root)
    return '(native/V8 builtins)';
  }
  const u = cf.url.replace(/^file:\/\//, '');
  const nm = u.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = u.slice(nm + '/node_modules/'.length).split('/');
    return `pkg ${rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  if (u.startsWith('node:')) return `node ${u.slice(5).split('/')[0]}`;
  const dist = u.indexOf('/dist/');
  if (dist >= 0) {
    const parts = u.slice(dist + 6).split('/');
    return `app ${parts.slice(0, 3).join('/')}`;
  }
  return u;
}

export function formatSummary(s: ProfileSummary, label = basename(s.file)): string {
  const lines = [
    `${label}: ${s.busyMs.toFixed(0)} ms on CPU in a ${s.windowMs.toFixed(0)} ms window (${((s.busyMs / Math.max(1, s.windowMs)) * 100).toFixed(0)} % of one core)`,
    '  by area (self time):',
    ...s.byArea.slice(0, 14).map((a) => `    ${(a.share * 100).toFixed(1).padStart(5)} %  ${a.ms.toFixed(0).padStart(6)} ms  ${a.area}`),
    '  top functions (self time):',
    ...s.byFunction.map((f) => `    ${(f.share * 100).toFixed(1).padStart(5)} %  ${f.ms.toFixed(0).padStart(6)} ms  ${f.name}  ${f.where}`),
    '  native / builtin self time by nearest caller outside node internals:',
    ...s.nativeByCaller.map((f) => `    ${(f.share * 100).toFixed(1).padStart(5)} %  ${f.ms.toFixed(0).padStart(6)} ms  ${f.native}  <- ${f.caller}`),
  ];
  return lines.join('\n');
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const files = args.filter((a, i) => !a.startsWith('--') && !['--from', '--to', '--top'].includes(args[i - 1]));
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : undefined;
  };
  const from = opt('--from');
  const to = opt('--to');
  const window = from !== undefined && to !== undefined ? { fromUs: from, toUs: to } : undefined;
  if (files.length === 0) {
    console.error('usage: node dist/bench/profile-summary.js <file.cpuprofile>… [--from µs --to µs] [--top N]');
    process.exit(2);
  }
  for (const f of files) console.log(formatSummary(summarizeProfile(f, window, opt('--top') ?? 25)) + '\n');
}
