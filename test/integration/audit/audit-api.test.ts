import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { AuditChainReport } from '@sne/core/audit/audit-chain';
import { verifyAuditExport } from '@sne/core/audit/audit-export';
import { apiClient, createAgency, eventually, TestAgency } from '../../support/fixtures';
import { rewriteAuditEvent, startStack, Stack } from '../../support/stack';

/**
 * The chain in the running stack: the dispatcher seals what the API writes, within about a
 * second; `GET /api/v1/audit/verify` and `/export` are for partnership admins; an export verifies
 * offline, and so does the database, with `npm run audit:verify` (the built script, when built).
 */

const SCRIPT = resolve(__dirname, '../../../dist/scripts/audit-verify.js');
const run = promisify(execFile);

let stack: Stack;
let call: ReturnType<typeof apiClient>;
let admin: TestAgency;
let county: TestAgency;
let dir: string;

beforeAll(async () => {
  stack = await startStack();
  call = apiClient(stack.url);
  admin = await createAgency(stack.db, { name: 'Partnership', roles: ['admin'] });
  county = await createAgency(stack.db, { name: 'County', roles: ['agency_admin', 'supervisor', 'author'] });
  for (const key of ['safe-sleep', 'water-safety', 'car-seats']) {
    const res = await call('POST', '/api/v1/topics', { key: admin.keys.admin, body: { key, title: `Topic ${key}` } });
    expect(res.status).toBe(201);
  }
  dir = mkdtempSync(join(tmpdir(), 'sne-audit-api-'));
});

afterAll(async () => {
  await stack?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function sealedReport(): Promise<AuditChainReport> {
  return eventually(async () => {
    const res = await call('GET', '/api/v1/audit/verify', { key: admin.keys.admin });
    expect(res.status).toBe(200);
    return res.body.unsealed.count === 0 && res.body.checked > 0 ? (res.body as AuditChainReport) : undefined;
  }, 10_000, 'the dispatcher to seal the events');
}

async function exportTo(name: string): Promise<string> {
  const res = await call('GET', '/api/v1/audit/export', { key: admin.keys.admin });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
  const path = join(dir, name);
  writeFileSync(path, res.text);
  return path;
}

it('the dispatcher seals what the API writes, and an admin verifies the chain', async () => {
  const report = await sealedReport();
  expect(report).toMatchObject({ ok: true, source: 'database', unsealed: { count: 0, lagging: false } });
  const [{ n }] = await stack.db.query(`SELECT count(*)::int AS n FROM audit_events`);
  expect(report.checked).toBe(n);
  const [{ actions }] = await stack.db.query(`SELECT array_agg(e.action ORDER BY c.seq) AS actions FROM audit_chain c JOIN audit_events e ON e.id = c.event_id`);
  expect(actions.filter((a: string) => a === 'topic.created')).toHaveLength(3);
});

it('verify and export are for partnership admins only', async () => {
  for (const key of [county.keys.agency_admin, county.keys.supervisor, county.keys.author]) {
    expect((await call('GET', '/api/v1/audit/verify', { key })).status).toBe(403);
    expect((await call('GET', '/api/v1/audit/export', { key })).status).toBe(403);
  }
  expect((await call('GET', '/api/v1/audit/verify')).status).toBe(401);
  expect((await call('GET', '/api/v1/audit/export')).status).toBe(401);
});

it('the export verifies offline and ends at the same head', async () => {
  const report = await sealedReport();
  const path = await exportTo('intact.jsonl');
  const offline = await verifyAuditExport(path);
  expect(offline).toEqual({ ok: true, source: 'file', checked: report.checked, head: report.head });
});

it('npm run audit:verify checks the database and a file, exit status 0 when intact', async () => {
  if (!existsSync(SCRIPT)) return console.warn(`${SCRIPT} is not built: run without SNE_TEST_SKIP_BUILD to test the script`);
  const path = await exportTo('for-cli.jsonl');
  const db = await run(process.execPath, [SCRIPT], { env: { ...process.env, DATABASE_URL: stack.config.databaseUrl } });
  expect(db.stdout).toMatch(/^audit chain OK: \d+ event\(s\) checked, head seq \d+/);
  const file = await run(process.execPath, [SCRIPT, '--file', path, '--json']);
  expect(JSON.parse(file.stdout)).toMatchObject({ ok: true, source: 'file' });
});

it('tampering with superuser rights is named by the API, by the export and by the script (exit status 1)', async () => {
  const before = await sealedReport();
  const [target] = await stack.db.query(
    `SELECT c.seq::int AS seq, e.id::text AS id, e.action, e.entity_id FROM audit_chain c JOIN audit_events e ON e.id = c.event_id
      WHERE e.action = 'topic.created' ORDER BY c.seq LIMIT 1 OFFSET 1`,
  );
  await rewriteAuditEvent(stack, target.id, 'title', 'Something else');
  const named = { seq: target.seq, id: target.id, action: 'topic.created', entityType: 'topic', entityId: target.entity_id, problem: 'content changed' };

  const res = await call('GET', '/api/v1/audit/verify', { key: admin.keys.admin });
  expect(res.body).toMatchObject({ ok: false, checked: target.seq - 1, firstBroken: named });
  expect(before.ok).toBe(true);

  const path = await exportTo('tampered.jsonl');
  expect(await verifyAuditExport(path)).toMatchObject({ ok: false, firstBroken: named });

  if (!existsSync(SCRIPT)) return;
  for (const args of [[], ['--file', path]]) {
    const failed = await run(process.execPath, [SCRIPT, ...args], { env: { ...process.env, DATABASE_URL: stack.config.databaseUrl } }).then(
      () => {
        throw new Error('audit:verify exited 0 on a tampered chain');
      },
      (err: { code: number; stdout: string }) => err,
    );
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain(`audit chain BROKEN at seq ${target.seq}, event ${target.id} (topic.created on topic ${target.entity_id}): content changed`);
  }
});
