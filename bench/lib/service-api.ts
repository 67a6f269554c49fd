/** The service's HTTP API as the bench drives it: publish a notice the way an author and an approver do, wait for health. */
import { request } from 'undici';
import { RunningApp, tail } from './apps';
import { nowMs } from './ipc';
import { Seeded } from './setup';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function api<T = any>(base: string, method: 'GET' | 'POST', path: string, key?: string, body?: unknown): Promise<T> {
  const res = await request(`${base}${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`${method} ${path} → ${res.statusCode}: ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : (undefined as T);
}

export const NOTICE_BODY = `## What happened
Three infant deaths reviewed by the state child fatality review board in the last quarter involved
inclined infant sleepers (incline greater than 10 degrees). In each case the infant was placed on
their back and was later found with the airway obstructed.

## Why it matters
Inclined sleepers remain in homes and are still sold second-hand. Caseworkers visiting homes with
an infant under 1 year are the people most likely to see one.

## What to do
1. At every home visit with an infant under 1 year, check the sleep space.
2. If an inclined sleeper is present, explain the risk and offer a safe alternative (crib, bassinet
   or play yard with a firm, flat surface).
3. Record the check in the case notes, using the code **SS-INCL**.

| item | detail |
| --- | --- |
| products | inclined sleepers, rockers used for sleep, car seats used outside the car |
| age group | 0-12 months |
| references | CPSC safe sleep rule (16 CFR 1236) |
`;

export function noticeDraft(topic: string, title: string) {
  return {
    title,
    summary: 'Remove inclined infant sleepers from every home under supervision; check at each visit.',
    body: NOTICE_BODY,
    category: 'alert',
    severity: 'high',
    topics: [topic],
    requiredActions: ['Check every home with an infant under 1 year', 'Record the check with code SS-INCL'],
  };
}

export async function publishNotice(base: string, s: Seeded, topic: string, title: string, beforeApprove?: () => void) {
  const draft = await api<{ id: string; contentHash: string }>(base, 'POST', '/api/v1/notices', s.authorKey, noticeDraft(topic, title));
  await api(base, 'POST', `/api/v1/notices/${draft.id}/submit`, s.authorKey);
  beforeApprove?.();
  const t0 = nowMs();
  const hr0 = process.hrtime.bigint();
  await api(base, 'POST', `/api/v1/notices/${draft.id}/approve`, s.approverKey, { contentHash: draft.contentHash });
  const approvedMs = nowMs() - t0;
  return { id: draft.id, t0, hr0, approvedMs };
}

export function assertAppsAlive(apps: RunningApp[]): void {
  for (const app of apps) {
    if (app.exitInfo !== undefined) throw new Error(`${app.name} exited (${app.exitInfo}); log ${app.log}:\n${tail(app.log)}`);
  }
}

export async function waitForHealth(base: string, apps: RunningApp[]): Promise<void> {
  await waitUntil(async () => {
    assertAppsAlive(apps);
    try {
      const res = await request(`${base}/health`);
      await res.body.dump();
      return res.statusCode === 200;
    } catch {
      return false;
    }
  }, 90_000, 'api /health answers 200');
}

export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out waiting for: ${what}`);
    await sleep(100);
  }
}
