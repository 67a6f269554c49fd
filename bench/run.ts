/**
 * `npm run bench`: fan-out benchmark of the apps as separate processes over NATS JetStream and
 * PostgreSQL, against a webhook receiver on 128 ports (distinct origins) and an SMTP sink, each
 * in its own process. For each scenario it seeds N subscriptions, restarts the three apps,
 * warms them up with a small notice, then publishes one notice (create, submit, approve; t0 =
 * just before the approve request) and waits until every delivery is committed as delivered in
 * PostgreSQL and has arrived. Then the reference: a bare undici loop in its own process sends the
 * same signed bytes to the same URLs at the same concurrency.
 *
 *   npm run bench                      100, 1,000, 10,000, mixed 10,000 (20 % email), hanging 1,000
 *   npm run bench -- --large           … and 100,000
 *   npm run bench -- --only 100,hanging
 *   npm run bench -- --profile         one 10,000 run with --cpu-prof on the apps, and a summary
 *   options: --concurrency 256  --webhook-timeout-ms 15000  --keep (keep the database and logs)
 *
 * Prints a table per run and a summary against the targets; writes /tmp/sne-bench-latest.json.
 * Always cleans up (children, database, streams), also on error and Ctrl-C.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { provisionDatabase, urlFor } from '../libs/core/src/database/database-provisioning';
import { APP_NAMES, tail } from './lib/apps';
import { natsServerPid } from './lib/proc';
import { printRun, printSummary, RunResult } from './lib/report';
import { runScenario } from './lib/scenario';
import {
  adminUrl, chooseScenarios, cleanup, CODE_VERSION, CONCURRENCY, Ctx, DB_NAME, dbUrl, forkChild, log, natsUrl, opts, PROFILE_DIR, ROLES,
  RUN_ID, state, TIMEOUT_MS, TMP,
} from './lib/session';
import { CONNECTIONS_PER_ORIGIN, RECEIVER_PORTS } from './lib/settings';
import { fmtMs, fmtNum } from './lib/stats';

// ---------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  if (opts.help) {
    console.log(readHelp());
    return;
  }
  const scenarios = chooseScenarios();
  mkdirSync(TMP, { recursive: true });
  log(`code: ${CODE_VERSION} (dist built by npm run build)`);
  log(`bench ${RUN_ID}: database ${DB_NAME}, NATS ${natsUrl} (prefix bench${RUN_ID}s<k>), logs in ${TMP}`);
  log(
    `machine: ${cpus().length} cores (${cpus()[0]?.model}), ${fmtNum(totalmem() / 2 ** 30, 0)} GB, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; node ${process.version}; COURIER_CONCURRENCY=${CONCURRENCY}, WEBHOOK_TIMEOUT_MS=${TIMEOUT_MS}`,
  );
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  const pgSettings = (
    await admin.query(
      `SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) AS s FROM pg_settings
        WHERE name IN ('synchronous_commit','fsync','shared_buffers','max_connections','jit','commit_delay')`,
    )
  ).rows[0].s;
  await admin.end();
  log(`PostgreSQL: ${pgSettings}`);
  state.dbCreated = true;
  await provisionDatabase(adminUrl, { database: DB_NAME, ...ROLES });

  // Schema: the apps' own migrations (the same code the apps run at start), as the owner, then the runtime role's grants.
  const { createDataSource, runMigrations } = await import('../libs/core/src/database/data-source');
  const ds = createDataSource(urlFor(dbUrl, { role: ROLES.owner }), { poolSize: 2, applicationName: 'sne-bench-migrate' });
  await ds.initialize();
  await runMigrations(ds, { grantTo: ROLES.runtime.name });
  await ds.destroy();

  const receiver = forkChild('receiver.js', 'receiver', { RECEIVER_PORTS: String(RECEIVER_PORTS) });
  const smtp = forkChild('smtp-sink.js', 'smtp-sink');
  const ports = await receiver.call<number[]>('ports');
  const smtpPort = await smtp.call<number>('port');
  const db = new Client({ connectionString: dbUrl, application_name: 'sne-bench' });
  await db.connect();
  const natsPid = natsServerPid(Number(new URL(natsUrl).port || 4222));
  if (!natsPid) log('note: could not find the nats-server process (its CPU is not reported)');
  const ctx: Ctx = { natsPid, receiver, smtp, ports, smtpUrl: `smtp://127.0.0.1:${smtpPort}`, db };
  log(`receiver on ${ports.length} ports (${ports[0]}…), SMTP sink on ${smtpPort}`);

  const results: RunResult[] = [];
  const started = Date.now();
  try {
    for (const [i, scn] of scenarios.entries()) {
      try {
        const r = await runScenario(scn, i, ctx);
        results.push(r);
        printRun(r);
      } catch (err) {
        if (state.interrupted) break;
        // One broken run must not hide the others' figures.
        state.keepLogs = true;
        failures.push({ scenario: scn.key, error: (err as Error).message });
        log(`RUN FAILED: ${scn.label}: ${(err as Error).message}`);
        for (const name of APP_NAMES) console.log(`--- last lines of ${join(TMP, `${i}-${scn.key}-${name}.log`)}\n${tail(join(TMP, `${i}-${scn.key}-${name}.log`), 15)}`);
      }
      writeResults(results, started);
      if (state.interrupted) break;
    }
    if (state.interrupted) return;
    if (failures.length) log(`${failures.length} run(s) failed: ${failures.map((f) => f.scenario).join(', ')}`);
    printSummary(results, TIMEOUT_MS);
    log(`done in ${fmtMs(Date.now() - started)}; figures in /tmp/sne-bench-latest.json`);
    if (opts.profile) log(`CPU profiles kept in ${PROFILE_DIR}/${RUN_ID}-* (open in Chrome DevTools or: node dist/bench/profile-summary.js <file>)`);
  } finally {
    await db.end().catch(() => undefined);
    await receiver.call('close', {}, 3000).catch(() => undefined);
    await smtp.call('close', {}, 3000).catch(() => undefined);
  }
}

const failures: Array<{ scenario: string; error: string }> = [];

function writeResults(results: RunResult[], started: number): void {
  writeFileSync(
    '/tmp/sne-bench-latest.json',
    JSON.stringify(
      {
        runId: RUN_ID,
        code: CODE_VERSION,
        startedAt: new Date(started).toISOString(),
        node: process.version,
        cores: cpus().length,
        concurrency: CONCURRENCY,
        webhookTimeoutMs: TIMEOUT_MS,
        connectionsPerOrigin: CONNECTIONS_PER_ORIGIN,
        failures,
        results,
      },
      null,
      2,
    ),
  );
}

function readHelp(): string {
  return `npm run bench -- [--only 100,1000,10000,mixed,hanging,100000] [--large] [--profile]
                    [--concurrency 256] [--webhook-timeout-ms 15000] [--keep]
  --large     add the 100,000-subscription run
  --profile   run 10,000 (or --only …) with --cpu-prof on the apps and print where the time goes
  --keep      keep the database ${DB_NAME} and the logs in ${TMP}
  BENCH_DATABASE_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres), BENCH_NATS_URL (default nats://127.0.0.1:4222)`;
}

main()
  .then(() => cleanup())
  .then(() => process.exit(failures.length ? 1 : 0))
  .catch(async (err) => {
    console.error(`bench failed: ${err?.stack ?? err}`);
    await cleanup();
    process.exit(1);
  });

