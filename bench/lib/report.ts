/**
 * The bench's figures and how they are printed: the result types, a table per run (service, bare
 * loop, pg-boss side by side) and the summary against the targets of issue 13.
 */
import { cpus } from 'node:os';
import { formatSummary, ProfileSummary } from '../profile-summary';
import { fmtInt, fmtMs, fmtNum, fmtPct, Summary, table } from './stats';

export interface Scenario {
  key: string;
  label: string;
  n: number;
  emailShare: number;
  hangShare: number;
  profile: boolean;
}

export interface LatencyFigures {
  all: Summary;
  webhooks: Summary;
  emails?: Summary;
  healthy?: Summary;
}

export interface SideFigures {
  /** Deliveries counted for throughput (all, or the healthy ones when some hang). */
  counted: number;
  /** Approval (or loop start) to the last counted delivery, ms. */
  toLastMs: number;
  throughput: number;
  latency: LatencyFigures;
  cpu: Record<string, number>;
  rss: Record<string, { peakMb?: number; hwmMb?: number }>;
  machineBusy: number;
  /** CPU seconds used during the window by processes that are not part of this bench (someone else's load). */
  otherCpuSeconds: number;
}

export interface RunResult {
  scenario: Scenario;
  n: number;
  webhooks: number;
  emails: number;
  hanging: number;
  origins: number;
  timedOut: boolean;
  sne: SideFigures & {
    approveRequestMs: number;
    outboxRelayMs?: number;
    fanOutFirstPageMs?: number;
    fanOutLastPageMs?: number;
    fannedOutMs?: number;
    fanOutObservedMs?: number;
    firstAttemptMs?: number;
    /** The courier's own measure of a successful attempt (request sent → response read), mean and p99. */
    attemptAvgMs: number;
    attemptP99Ms: number;
    firstReceiptMs: number;
    lastReceiptMs: number;
    lastCommitMs: number;
    observedDoneMs: number;
    rows: { deliveries: number; delivered: number; failing: number; attempts: number; attemptsSucceeded: number; acknowledgments: number; auditDelivered: number; auditOther: Record<string, number> };
    receiver: { requests: number; distinct: number; sampled: number; verified: number; verifyFailures: string[] };
    smtp?: { messages: number; sampled: number; wellFormed: number; problems: string[]; sessions: number; firstSubject?: string; other: number };
    profiles?: Record<string, ProfileSummary>;
  };
  /** The bare undici loop. */
  reference?: ReferenceFigures;
  ratio?: number;
  /** The tuned pg-boss fan-out of the same deliveries. */
  pgboss?: ReferenceFigures;
  /** Service throughput / pg-boss throughput. */
  pgbossRatio?: number;
}

export type ReferenceFigures = SideFigures & {
  elapsedMs: number;
  ok: number;
  failed: number;
  errors: string[];
  verified: number;
  sampled: number;
  /** pg-boss only: loop start → all jobs inserted, and jobs left neither completed nor failed. */
  insertMs?: number;
  notCompleted?: number;
};

/** CPU seconds of everything the bench accounts for (apps, PostgreSQL, NATS, receiver, sink, reference). */
export function totalCpu(cpu: Record<string, number>): number {
  return Object.entries(cpu)
    .filter(([k]) => k !== 'pg-other-dbs')
    .reduce((a, [, v]) => a + v, 0);
}

/** The service's own processes, for the CPU per delivery target (not the receiver or the SMTP sink). */
export const SERVICE_CPU = ['api', 'dispatcher', 'courier', 'pg-backends', 'pg-aux', 'nats-server'];
export const GROUPS_SNE = ['api', 'dispatcher', 'courier', 'pg-backends', 'pg-aux', 'nats-server', 'receiver', 'smtp-sink'];

export function perThousand(cpu: Record<string, number>, n: number, groups: string[]): string {
  return groups
    .filter((g) => cpu[g] !== undefined)
    .map((g) => `${g} ${fmtNum((cpu[g] / n) * 1000, 3)}`)
    .join(' · ');
}

/**
 * What the pg-boss target asks against what the run allowed: the bare loop has no database and no
 * broker, so no durable pipeline sending with the same transport can pass it. When the bare loop
 * itself is under 1.5x pg-boss, the target is out of reach in that run, and the summary says so.
 */
function bareVsPgboss(r: RunResult): string {
  if (!r.reference || !r.pgboss) return '';
  const ceiling = r.reference.throughput / r.pgboss.throughput;
  return `; the bare loop itself (no database, no broker) reached ${fmtNum(ceiling, 2)}x pg-boss in this run${ceiling < 1.5 ? ', so 1.5x was out of reach of any pipeline in it' : ''}`;
}

export function printRun(r: RunResult): void {
  const s = r.sne;
  const ref = r.reference;
  const lat = (x?: Summary) => (x ? `${fmtMs(x.p50)} / ${fmtMs(x.p99)}` : '—');
  const pb = r.pgboss;
  const refs = [ref, pb];
  const cell = (f: (x: ReferenceFigures) => string) => refs.map((x) => (x ? f(x) : '—'));
  const refCpu = (x: ReferenceFigures, name: string) => perThousand(x.cpu, r.n, [name, 'pg-backends', 'pg-aux', 'receiver', 'smtp-sink']);
  const rssOf = (x: ReferenceFigures, name: string) => `${name} ${fmtNum(x.rss[name]?.peakMb ?? NaN, 0)}/${fmtNum(x.rss[name]?.hwmMb ?? NaN, 0)}`;
  const busy = (x: { machineBusy: number; otherCpuSeconds: number }) => `${fmtPct(x.machineBusy)} (not the bench's: ${fmtNum(x.otherCpuSeconds, 1)} CPU s)`;
  const rows: string[][] = [
    ['', 'service (api → dispatcher → courier)', 'bare undici loop', 'pg-boss fan-out'],
    ['deliveries per second', fmtInt(s.throughput), ...cell((x) => fmtInt(x.throughput))],
    ['service vs this reference', '', fmtPct(r.ratio ?? NaN), `${fmtNum(r.pgbossRatio ?? NaN, 2)}x`],
    ['approval → last delivery committed', fmtMs(s.toLastMs), ref ? `${fmtMs(ref.toLastMs)} (loop start → last response)` : '—', pb ? `${fmtMs(pb.toLastMs)} (start → last completion committed; inserted in ${fmtMs(pb.insertMs ?? NaN)})` : '—'],
    ['approval → last receipt', fmtMs(s.lastReceiptMs), ...cell((x) => fmtMs(x.latency.all.max))],
    [r.hanging ? 'latency p50 / p99 (healthy endpoints)' : 'latency p50 / p99 (approval → receipt)', lat(s.latency.all), ...cell((x) => lat(x.latency.all))],
  ];
  if (r.emails) {
    rows.push(['  webhooks p50 / p99', lat(s.latency.webhooks), ...cell((x) => lat(x.latency.webhooks))]);
    rows.push(['  emails p50 / p99', lat(s.latency.emails), ...cell((x) => lat(x.latency.emails))]);
  }
  rows.push(
    ['peak RSS MB (sampled / VmHWM)', ['api', 'dispatcher', 'courier'].map((a) => `${a} ${fmtNum(s.rss[a]?.peakMb ?? NaN, 0)}/${fmtNum(s.rss[a]?.hwmMb ?? NaN, 0)}`).join(' · '), ref ? rssOf(ref, 'reference') : '—', pb ? rssOf(pb, 'pgboss') : '—'],
    ['CPU s per 1,000 deliveries', perThousand(s.cpu, r.n, GROUPS_SNE), ref ? refCpu(ref, 'reference') : '—', pb ? refCpu(pb, 'pgboss') : '—'],
    ['  total (all listed)', fmtNum((totalCpu(s.cpu) / r.n) * 1000, 3), ...cell((x) => fmtNum((totalCpu(x.cpu) / r.n) * 1000, 3))],
    ['  CPU cost ratio reference/service', '(the throughput ratio a CPU-bound machine allows)', ...cell((x) => fmtPct(totalCpu(x.cpu) / totalCpu(s.cpu)))],
    ['machine CPU busy (2 cores)', busy(s), ...cell(busy)],
  );
  console.log(`\n=== ${r.scenario.label}${r.scenario.profile ? ' [PROFILED: --cpu-prof slows the apps]' : ''}${r.timedOut ? ' [TIMED OUT]' : ''} — ${fmtInt(r.webhooks)} webhooks over ${r.origins} origins${r.emails ? `, ${fmtInt(r.emails)} emails` : ''}${r.hanging ? `, ${r.hanging} hanging` : ''}`);
  console.log(table(rows, 99));
  console.log(
    `phases (from approval): approve request ${fmtMs(s.approveRequestMs)} · outbox relayed +${fmtMs(s.outboxRelayMs ?? NaN)} · fan-out's first page began +${fmtMs(s.fanOutFirstPageMs ?? NaN)}, its last +${fmtMs(s.fanOutLastPageMs ?? NaN)}, fanned out +${fmtMs(s.fannedOutMs ?? NaN)} (rows first seen by polling +${fmtMs(s.fanOutObservedMs ?? NaN)}) · first attempt started +${fmtMs(s.firstAttemptMs ?? NaN)} · first receipt +${fmtMs(s.firstReceiptMs)} · last receipt +${fmtMs(s.lastReceiptMs)} · last commit +${fmtMs(s.lastCommitMs)} · observed done +${fmtMs(s.observedDoneMs)}`,
  );
  console.log(`courier-measured attempt duration (webhook: request → response read; email: SMTP send): mean ${fmtMs(s.attemptAvgMs)}, p99 ${fmtMs(s.attemptP99Ms)}`);
  const rw = s.rows;
  console.log(
    `rows: deliveries ${rw.deliveries} (delivered ${rw.delivered}, retrying/failed ${rw.failing}) · attempts ${rw.attempts} (succeeded ${rw.attemptsSucceeded}) · acknowledgments ${rw.acknowledgments} · audit delivery.delivered ${rw.auditDelivered}${Object.keys(rw.auditOther).length ? ` · other audit ${JSON.stringify(rw.auditOther)}` : ''}`,
  );
  console.log(
    `receiver: ${s.receiver.requests} requests, ${s.receiver.distinct} distinct webhook-ids (duplicates ${s.receiver.requests - s.receiver.distinct}); signatures verified ${s.receiver.verified}/${s.receiver.sampled} sampled${s.receiver.verifyFailures.length ? ` FAILURES ${s.receiver.verifyFailures.join('; ')}` : ''}` +
      cell((x) => `${x === ref ? 'bare loop' : 'pg-boss'}: ${x.ok} ok, ${x.failed} failed${x.errors.length ? ` (${x.errors.join('; ')})` : ''}, signatures ${x.verified}/${x.sampled}${x.notCompleted ? `, ${x.notCompleted} jobs NOT COMPLETED in pg-boss` : ''}`)
        .filter((t) => t !== '—')
        .map((t) => ` · ${t}`)
        .join(''),
  );
  if (s.smtp) {
    console.log(`smtp sink: ${s.smtp.messages} messages over ${s.smtp.sessions} SMTP sessions; well-formed ${s.smtp.wellFormed}/${s.smtp.sampled} sampled; the reference sends "${s.smtp.firstSubject ?? '?'}"; other mail ${s.smtp.other}${s.smtp.problems.length ? ` PROBLEMS ${s.smtp.problems.join('; ')}` : ''}`);
  }
  const window = (s.observedDoneMs || 1) / 1000;
  if (s.otherCpuSeconds > 0.1 * window) {
    console.log(
      `note: processes outside the bench used ${fmtNum(s.otherCpuSeconds, 1)} CPU s during the ${fmtNum(window, 1)} s run (${fmtPct(s.otherCpuSeconds / window / cpus().length)} of the machine; other databases' backends ${fmtNum(s.cpu['pg-other-dbs'] ?? 0, 1)} s): the machine was shared, figures are pessimistic`,
    );
  }
  if (s.profiles) {
    console.log('\nCPU profile of the measured window (approval → done):');
    for (const [name, p] of Object.entries(s.profiles)) console.log(formatSummary(p, name) + '\n');
  }
}

export function printSummary(results: RunResult[], timeoutMs: number): void {
  const rows: string[][] = [
    ['run', 'N', 'deliv/s', 'bare/s', 'ratio', 'pg-boss/s', 'vs pg-boss', 'CPU ratio', 'appr→last', 'p50', 'p99', 'RSS api/disp/courier MB', 'CPU s/1k (courier, disp, pg, all)'],
  ];
  for (const r of results) {
    const s = r.sne;
    const all = totalCpu(s.cpu);
    const k = (v: number | undefined) => fmtNum(((v ?? NaN) / r.n) * 1000, 2);
    rows.push([
      r.scenario.key + (r.scenario.profile ? '*' : '') + (r.timedOut ? '!' : ''),
      fmtInt(r.n),
      fmtInt(s.throughput),
      r.reference ? fmtInt(r.reference.throughput) : '—',
      fmtPct(r.ratio ?? NaN),
      r.pgboss ? fmtInt(r.pgboss.throughput) : '—',
      `${fmtNum(r.pgbossRatio ?? NaN, 2)}x`,
      r.reference ? fmtPct(totalCpu(r.reference.cpu) / totalCpu(s.cpu)) : '—',
      fmtMs(s.toLastMs),
      fmtMs(s.latency.all.p50),
      fmtMs(s.latency.all.p99),
      ['api', 'dispatcher', 'courier'].map((a) => fmtNum(s.rss[a]?.peakMb ?? NaN, 0)).join('/'),
      `${k(s.cpu.courier)}, ${k(s.cpu.dispatcher)}, ${k((s.cpu['pg-backends'] ?? 0) + (s.cpu['pg-aux'] ?? 0))}, ${k(all)}`,
    ]);
  }
  console.log('\n=== Summary (* profiled, ! timed out; latency of healthy deliveries, approval → receipt; CPU ratio = bare loop CPU / service CPU per delivery)');
  console.log(table(rows, 1));

  console.log('\nTargets (reported, not asserted):');
  const by = (key: string) => results.find((r) => r.scenario.key === key && !r.scenario.profile);
  const t10k = by('10000');
  const t100 = by('100');
  const line = (ok: boolean | undefined, text: string) => console.log(`  ${ok === undefined ? '    n/a' : ok ? '    met' : 'not met'}  ${text}`);
  line(
    t10k?.ratio !== undefined ? t10k.ratio >= 0.5 && t10k.sne.rows.delivered === t10k.n && t10k.sne.rows.acknowledgments === t10k.n : undefined,
    `10,000 subs: throughput >= 50 % of the bare loop, every row committed — ${t10k ? `${fmtPct(t10k.ratio ?? NaN)} (${fmtInt(t10k.sne.throughput)}/s vs ${fmtInt(t10k.reference?.throughput ?? NaN)}/s); rows delivered ${t10k.sne.rows.delivered}, attempts ${t10k.sne.rows.attempts}, acks ${t10k.sne.rows.acknowledgments}` : 'not run'}`,
  );
  line(
    t10k?.pgbossRatio !== undefined ? t10k.pgbossRatio >= 1.5 : undefined,
    `10,000 subs: throughput >= 1.5x a tuned pg-boss fan-out of the same deliveries — ${t10k ? `${fmtNum(t10k.pgbossRatio ?? NaN, 2)}x (${fmtInt(t10k.sne.throughput)}/s vs pg-boss ${fmtInt(t10k.pgboss?.throughput ?? NaN)}/s)${bareVsPgboss(t10k)}` : 'not run'}`,
  );
  const mixed = by('mixed');
  line(
    mixed?.ratio !== undefined ? mixed.ratio >= 0.35 : undefined,
    `mixed 10,000 (20 % email): throughput >= 35 % of the bare loop — ${mixed ? `${fmtPct(mixed.ratio ?? NaN)} (${fmtInt(mixed.sne.throughput)}/s vs ${fmtInt(mixed.reference?.throughput ?? NaN)}/s)` : 'not run'}`,
  );
  line(
    t100 ? t100.sne.latency.all.p99 < 150 : undefined,
    `100 subs: approval → receipt p99 < 150 ms — ${t100 ? `${fmtMs(t100.sne.latency.all.p99)}${t100.reference ? `; the bare loop's own p99 (loop start → receipt): ${fmtMs(t100.reference.latency.all.p99)}` : ''}` : 'not run'}`,
  );
  line(
    t10k ? ['api', 'dispatcher', 'courier'].every((a) => (t10k.sne.rss[a]?.peakMb ?? Infinity) < 300) : undefined,
    `10,000 subs: peak RSS of each app < 300 MB — ${t10k ? ['api', 'dispatcher', 'courier'].map((a) => `${a} ${fmtNum(t10k.sne.rss[a]?.peakMb ?? NaN, 0)} MB`).join(', ') : 'not run'}`,
  );
  const cpuMs = t10k ? (SERVICE_CPU.reduce((a, g) => a + (t10k.sne.cpu[g] ?? 0), 0) / t10k.n) * 1000 : NaN;
  line(
    t10k ? cpuMs <= 0.5 : undefined,
    `10,000 subs: CPU per delivery (apps, PostgreSQL, NATS) <= 0.5 ms — ${t10k ? `${fmtNum(cpuMs, 3)} ms${t10k.reference?.cpu.reference !== undefined ? `; the bare loop's sending process alone: ${fmtNum((t10k.reference.cpu.reference / t10k.n) * 1000, 3)} ms` : ''}` : 'not run'}`,
  );
  const t100k = by('100000');
  line(
    t100k ? (t100k.ratio ?? 0) >= 0.4 && ['api', 'dispatcher', 'courier'].every((a) => (t100k.sne.rss[a]?.peakMb ?? Infinity) < 300) : undefined,
    `100,000 subs: throughput >= 40 % of the bare loop, peak RSS of each app < 300 MB — ${t100k ? `${fmtPct(t100k.ratio ?? NaN)}; ${['api', 'dispatcher', 'courier'].map((a) => `${a} ${fmtNum(t100k.sne.rss[a]?.peakMb ?? NaN, 0)} MB`).join(', ')}` : 'not run (--large)'}`,
  );
  const sizes = results.filter((r) => !r.scenario.profile && !r.emails && !r.hanging).sort((a, b) => a.n - b.n);
  if (sizes.length > 1) {
    console.log(
      `        RSS with N (courier/dispatcher/api MB): ${sizes.map((r) => `${fmtInt(r.n)}: ${['courier', 'dispatcher', 'api'].map((a) => fmtNum(r.sne.rss[a]?.peakMb ?? NaN, 0)).join('/')}`).join(' · ')}`,
    );
  }
  const hang = by('hanging');
  const base1k = by('1000');
  if (hang) {
    const ratio = base1k ? hang.sne.latency.all.p99 / base1k.sne.latency.all.p99 : NaN;
    line(
      base1k ? ratio <= 1.5 : undefined,
      `1 % hanging endpoints: healthy p99 within 1.5x of the run without them — ${fmtMs(hang.sne.latency.all.p99)} vs ${base1k ? fmtMs(base1k.sne.latency.all.p99) : 'n/a (run 1000 too)'} = ${fmtNum(ratio, 2)}x (WEBHOOK_TIMEOUT_MS=${timeoutMs})`,
    );
  }
}
