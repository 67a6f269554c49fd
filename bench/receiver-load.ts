/**
 * How the bench's receiver's CPU per request depends on the rate it is sent at
 * (`node dist/bench/receiver-load.js`, after `npm run build`). The same signed POSTs go to the
 * bench's receiver (its own process, 128 origins) through the bare loop's transport
 * (lib/senders.ts), first as fast as they can, then paced at fixed rates. Each row is the median of
 * `--repeat` rounds; CPU is utime + stime from /proc, so figures are ±10 ms of CPU per round.
 *
 * Why: in `npm run bench` the receiver costs more per request when the service sends (about 2,500/s
 * at 10,000) than when the bare loop does (5,000/s and more). This shows whether the rate alone
 * accounts for that. No database and no broker are used.
 *
 *   node dist/bench/receiver-load.js [--n 10000] [--rates max,5000,2500,1250] [--repeat 3]
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { IpcClient } from './lib/ipc';
import { cpuSeconds } from './lib/proc';
import { closeTransport, makeTransport, ReferenceJob, send } from './lib/senders';
import { CONNECTIONS_PER_ORIGIN, DEFAULT_CONCURRENCY as CONCURRENCY, DEFAULT_WEBHOOK_TIMEOUT_MS } from './lib/settings';
import { summarize } from './lib/stats';

const { values: opts } = parseArgs({
  options: {
    n: { type: 'string', default: '10000' },
    rates: { type: 'string', default: 'max,5000,2500,1250' },
    repeat: { type: 'string', default: '3' },
  },
});
const N = Number(opts.n);
const RATES = opts.rates.split(',').map((r) => (r === 'max' ? 0 : Number(r)));
const REPEAT = Number(opts.repeat);
const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
/** About the size of the service's notice.published body. */
const BODY = JSON.stringify({ type: 'notice.published', timestamp: new Date().toISOString(), data: { summary: 'x'.repeat(1200) } });

interface Round {
  rate: number;
  perSecond: number;
  receiverUs: number;
  senderUs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function round(receiver: IpcClient, ports: number[], rate: number, tag: string): Promise<Round> {
  await receiver.call('reset', { phase: tag, dropConnections: true, verifyEvery: 0 });
  const transport = makeTransport({ connectionsPerOrigin: CONNECTIONS_PER_ORIGIN, timeoutMs: DEFAULT_WEBHOOK_TIMEOUT_MS, body: BODY });
  const jobs: ReferenceJob[] = Array.from({ length: N }, (_, i) => ({
    id: `msg_${tag}_${i}`,
    kind: 'webhook',
    url: `http://127.0.0.1:${ports[i % ports.length]}/hook/${i % ports.length}`,
    secret: SECRET,
  }));
  const pid = receiver.child.pid!;
  const receiverCpu0 = cpuSeconds(pid)!;
  const senderCpu0 = process.cpuUsage();
  const start = performance.now();
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= N) return;
      if (rate > 0) {
        const wait = start + (i * 1000) / rate - performance.now();
        if (wait > 0) await sleep(wait);
      }
      if (!(await send(transport, jobs[i]))) throw new Error(`request ${i} was not accepted`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsedMs = performance.now() - start;
  const receiverCpu = cpuSeconds(pid)! - receiverCpu0;
  const senderCpu = process.cpuUsage(senderCpu0);
  await closeTransport(transport);
  const counted = await receiver.call<{ requests: number }>('count');
  if (counted.requests !== N) throw new Error(`the receiver counted ${counted.requests} of ${N}`);
  return {
    rate,
    perSecond: (N / elapsedMs) * 1000,
    receiverUs: (receiverCpu / N) * 1e6,
    senderUs: ((senderCpu.user + senderCpu.system) / N),
  };
}

async function main(): Promise<void> {
  const child = fork(join(__dirname, 'receiver.js'), [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const receiver = new IpcClient(child, 'receiver');
  try {
    const ports = await receiver.call<number[]>('ports');
    // Warm-up: the JIT and the receiver's first connections are not measured.
    await round(receiver, ports, 0, 'warm-up');
    const rounds: Round[] = [];
    for (let r = 1; r <= REPEAT; r++) {
      for (const rate of RATES) {
        const x = await round(receiver, ports, rate, `r${r}-${rate}`);
        rounds.push(x);
        console.log(`round ${r}, ${rate || 'max'}: ${Math.round(x.perSecond)}/s, receiver ${x.receiverUs.toFixed(0)} µs/request, sender ${x.senderUs.toFixed(0)} µs/request`);
      }
    }
    console.log(`\nmedians of ${REPEAT} rounds, ${N} POSTs each, over ${ports.length} origins:`);
    console.log('| paced at | reached | receiver CPU µs/request | sender CPU µs/request |');
    console.log('| --- | --- | --- | --- |');
    for (const rate of RATES) {
      const of = rounds.filter((x) => x.rate === rate);
      const cell = (f: (x: Round) => number) => Math.round(summarize(of.map(f)).p50);
      console.log(`| ${rate ? `${rate}/s` : 'as fast as it can'} | ${cell((x) => x.perSecond)}/s | ${cell((x) => x.receiverUs)} | ${cell((x) => x.senderUs)} |`);
    }
  } finally {
    await receiver.call('close').catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
