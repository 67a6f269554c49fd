import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createDataSource, loadConfig, reconcileHeld, SecretBox, systemActor } from '@sne/core';
import { ClosableWorkPublisher, createWorkPublisher, deleteWorkStream } from '@sne/messaging';
import { FanOutService } from '../../../apps/dispatcher/src/fan-out.service';
import { DeliveryRepository } from '../../../apps/courier/src/delivery.repository';
import { SubscriptionsService } from '../../../apps/api/src/subscriptions/subscriptions.service';
import type { Principal } from '../../../apps/api/src/common/principal';
import { createAgency, createTopics, TestAgency } from '../../support/fixtures';
import { createTestDatabase, testPrefix } from '../../support/test-database';

/**
 * The product's invariant, for every state a subscription can be in and every way it can change:
 * every targeted agency whose subscriptions match a notice gets an acknowledgment record, and a
 * channel that reaches a person (a delivery being sent or sent, through an active subscription,
 * or an email to the agency's contacts); a paused or disabled subscription's message is held,
 * never dropped, and goes out when it is resumed.
 *
 * Every combination is its own agency: subscription state × channel × whether the agency has
 * another active subscription on the topic × severity (critical notices are mandatory).
 */

const NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const STATES = ['active', 'paused', 'disabled', 'deleted'] as const;
const CHANNELS = ['email', 'webhook'] as const;
const OTHERS = ['none', 'active-email'] as const;
const SEVERITIES = ['critical', 'high'] as const;
type State = (typeof STATES)[number];

const prefix = testPrefix();
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let db: DataSource;
let publisher: ClosableWorkPublisher;
let fanOut: FanOutService;
let subscriptions: SubscriptionsService;
let issuer: TestAgency;
let seq = 0;

interface Case {
  state: State;
  channel: (typeof CHANNELS)[number];
  other: (typeof OTHERS)[number];
  agency: TestAgency;
  code: string;
  subscriptionId: string;
}

async function subscribe(agencyId: string, name: string, channel: 'email' | 'webhook', state: State): Promise<string> {
  const [{ id }] = await db.query(
    `INSERT INTO subscriptions (agency_id, name, topic_patterns, min_severity, channel, email_addresses, webhook_url, signing_secret, status, deleted_at)
     VALUES ($1, $2, ARRAY['safe-sleep'], 'low', $3, $4, $5, $6, $7, CASE WHEN $7 = 'deleted' THEN now() END) RETURNING id`,
    [
      agencyId,
      name,
      channel,
      channel === 'email' ? [`${name}@inbox.test`] : [],
      channel === 'webhook' ? `https://hooks.test/${name}` : null,
      channel === 'webhook' && state !== 'deleted' ? 'whsec_dGVzdC1zZWNyZXQtZm9yLXN0YXRlcw==' : null,
      state,
    ],
  );
  return id;
}

async function publish(severity: string, targets: string[]): Promise<string> {
  seq += 1;
  const [{ id }] = await db.query(
    `INSERT INTO notices (reference, issuing_agency_id, author_id, status, content_hash, title, summary, body_markdown, body_html,
                          category, severity, topics, target_jurisdictions, approved_by, approved_content_hash, published_at)
     VALUES ($1, $2, $3, 'published', 'h', 'T', 'S', 'B', '<p>B</p>', 'advisory', $4, ARRAY['safe-sleep'], $5, $6, 'h', now()) RETURNING id`,
    [`SS-2026-${String(seq).padStart(4, '0')}`, issuer.id, issuer.userIds.author, severity, targets, issuer.userIds.approver],
  );
  return id;
}

interface Delivery {
  id: string;
  subscription_id: string | null;
  status: string;
  mandatory: boolean;
  fallback: boolean;
  sub_status: string | null;
}

async function recordAndDeliveries(noticeId: string, agencyId: string) {
  const records = await db.query(`SELECT id FROM acknowledgments WHERE notice_id = $1 AND agency_id = $2`, [noticeId, agencyId]);
  const deliveries: Delivery[] = await db.query(
    `SELECT d.id, d.subscription_id, d.status, d.mandatory, d.fallback, s.status AS sub_status
       FROM deliveries d LEFT JOIN subscriptions s ON s.id = d.subscription_id
      WHERE d.notice_id = $1 AND d.agency_id = $2 AND d.sequence = 0`,
    [noticeId, agencyId],
  );
  return { records: records.length, deliveries };
}

/** A delivery that is on its way or arrived, through a channel that works now. */
const reachesAPerson = (d: Delivery) =>
  ['pending', 'sending', 'retrying', 'delivered'].includes(d.status) && (d.subscription_id === null || d.sub_status === 'active');

/** What must hold for an agency and a notice, whatever the subscription's state. */
function expectInvariant(c: Case, severity: string, seen: Awaited<ReturnType<typeof recordAndDeliveries>>, label: string) {
  const expectedRecipient = c.state !== 'deleted' || c.other === 'active-email' || severity === 'critical';
  const where = `${label}: ${c.state} ${c.channel}, other ${c.other}, ${severity}`;
  expect({ where, records: seen.records }).toEqual({ where, records: expectedRecipient ? 1 : 0 });
  if (!expectedRecipient) return expect({ where, deliveries: seen.deliveries }).toEqual({ where, deliveries: [] });
  expect({ where, reached: seen.deliveries.some(reachesAPerson) }).toEqual({ where, reached: true });
  // The subscription's own message follows its state: held while paused or disabled, never dropped.
  const own = seen.deliveries.filter((d) => d.subscription_id === c.subscriptionId).map((d) => d.status);
  const expectedOwn = { active: ['pending'], paused: ['held'], disabled: ['held'], deleted: [] }[c.state];
  expect({ where, own }).toEqual({ where, own: expectedOwn });
  // Nothing is sent twice to the agency's contacts.
  expect({ where, byEmail: seen.deliveries.filter((d) => d.subscription_id === null).length <= 1 }).toEqual({ where, byEmail: true });
}

beforeAll(async () => {
  Logger.overrideLogger(['error']);
  database = await createTestDatabase();
  db = createDataSource(database.url, { poolSize: 5, applicationName: 'sne-states-test' });
  await db.initialize();
  publisher = createWorkPublisher({ natsUrl: NATS_URL, prefix });
  await publisher.isReady();
  const config = loadConfig({});
  fanOut = new FanOutService(db, publisher, config);
  subscriptions = new SubscriptionsService(db, config, new SecretBox(config.secretsKey, config.secretsKeyPrevious));
  await createTopics(db, ['safe-sleep']);
  issuer = await createAgency(db, { name: 'Issuer', type: 'state', code: 'ISSUER', roles: ['author', 'approver'] });
});

afterAll(async () => {
  await publisher?.close();
  await deleteWorkStream(NATS_URL, prefix);
  await db?.destroy();
  await database?.drop();
});

async function makeCases(tag: string): Promise<Case[]> {
  const cases: Case[] = [];
  for (const state of STATES)
    for (const channel of CHANNELS)
      for (const other of OTHERS) {
        const code = `${tag}-${state}-${channel}-${other}`;
        const agency = await createAgency(db, { name: code, code, roles: ['agency_admin'] });
        const subscriptionId = await subscribe(agency.id, `${code}-sub`, channel, state);
        if (other === 'active-email') await subscribe(agency.id, `${code}-other`, 'email', 'active');
        cases.push({ state, channel, other, agency, code, subscriptionId });
      }
  return cases;
}

const admin = (c: Case): Principal => ({
  userId: c.agency.userIds.agency_admin!,
  agencyId: c.agency.id,
  roles: ['agency_admin'],
  name: 'admin',
  email: 'admin@agency.test',
  apiKeyId: null,
});

describe.each(SEVERITIES)('a %s notice', (severity) => {
  let cases: Case[];
  let noticeId: string;

  beforeAll(async () => {
    cases = await makeCases(`S${severity}`);
    noticeId = await publish(severity, cases.map((c) => c.code));
    await fanOut.noticePublished(noticeId);
  });

  it(`reaches every matching agency in every subscription state (${STATES.length * CHANNELS.length * OTHERS.length} agencies)`, async () => {
    for (const c of cases) expectInvariant(c, severity, await recordAndDeliveries(noticeId, c.agency.id), 'after fan-out');
  });

  it('tells the disabled subscription’s agency by email always, and the paused one’s only when nothing else carries the notice', async () => {
    for (const c of cases) {
      const { deliveries } = await recordAndDeliveries(noticeId, c.agency.id);
      const fallback = deliveries.some((d) => d.fallback);
      const expected = c.state === 'disabled' || (c.state === 'paused' && c.other === 'none');
      expect({ case: c.code, fallback }).toEqual({ case: c.code, fallback: expected });
    }
  });

  it('keeps the invariant through every change of state an agency or the courier can make, and sends the held message on resume', async () => {
    const transitions: { from: State; to: State; only?: 'webhook'; run: (c: Case) => Promise<unknown> }[] = [
      { from: 'active', to: 'paused', run: (c) => subscriptions.pause(admin(c), c.subscriptionId) },
      { from: 'active', to: 'disabled', only: 'webhook', run: (c) => endpointGone(c, severity) },
      { from: 'paused', to: 'active', run: (c) => subscriptions.resume(admin(c), c.subscriptionId) },
      { from: 'disabled', to: 'active', run: (c) => subscriptions.resume(admin(c), c.subscriptionId) },
      ...(['active', 'paused', 'disabled'] as const).map((from) => ({
        from,
        to: 'deleted' as State,
        run: (c: Case) => subscriptions.remove(admin(c), c.subscriptionId),
      })),
    ];
    for (const t of transitions) {
      // A fresh set of agencies per transition, each with a notice already fanned out to it.
      const fresh = (await makeCases(`T${severity}-${t.from}-${t.to}`)).filter((c) => c.state === t.from && (!t.only || c.channel === t.only));
      const notice = await publish(severity, fresh.map((c) => c.code));
      await fanOut.noticePublished(notice);
      for (const c of fresh) {
        const before = await recordAndDeliveries(notice, c.agency.id);
        await t.run(c);
        const moved = { ...c, state: t.to };
        const after = await recordAndDeliveries(notice, c.agency.id);
        expect(after.records).toBe(before.records);
        const own = after.deliveries.filter((d) => d.subscription_id === c.subscriptionId).map((d) => d.status);
        const expectedOwn = { active: ['pending'], paused: ['held'], disabled: ['held'], deleted: ['failed'] }[t.to];
        const where = `${t.from} → ${t.to}: ${c.channel}, other ${c.other}, ${severity}`;
        expect({ where, own }).toEqual({ where, own: expectedOwn });
        expect({ where, reached: after.deliveries.some(reachesAPerson) }).toEqual({ where, reached: true });
        // Each state change leaves audit events: the subscription's, and one per delivery it moved.
        const moves: { action: string }[] = await db.query(
          `SELECT action FROM audit_events WHERE entity_type = 'delivery' AND entity_id = ANY($1::text[])
              AND action IN ('delivery.held','delivery.released','delivery.failed') ORDER BY id`,
          [before.deliveries.filter((d) => d.subscription_id === c.subscriptionId).map((d) => d.id)],
        );
        const expectedMove = { paused: 'delivery.held', active: 'delivery.released', deleted: 'delivery.failed', disabled: 'delivery.held' }[t.to];
        expect({ where, moves: moves.map((m) => m.action) }).toEqual({ where, moves: [expectedMove] });
        if (t.to === 'deleted') {
          const [sub] = await db.query(
            `SELECT signing_secret, (SELECT count(*)::int FROM subscription_retired_secrets WHERE subscription_id = s.id) AS previous, deleted_at FROM subscriptions s WHERE id = $1`,
            [c.subscriptionId],
          );
          expect({ where, secret: sub.signing_secret, previous: sub.previous, deleted: !!sub.deleted_at }).toEqual({ where, secret: null, previous: 0, deleted: true });
        }
        // The next notice meets the new state and keeps the invariant.
        const next = await publish(severity, [c.code]);
        await fanOut.noticePublished(next);
        const seen = await recordAndDeliveries(next, c.agency.id);
        if (moved.state !== 'deleted') expectInvariant(moved, severity, seen, `${where}, next notice`);
        else expect(seen.deliveries.some((d) => d.subscription_id === c.subscriptionId)).toBe(false);
      }
    }
  });
});

/**
 * The courier's own path to `disabled`: another notice's webhook answers 410. That delivery is a
 * dead letter (emailed to the fallback contacts); the subscription's other messages are held.
 */
async function endpointGone(c: Case, severity: string): Promise<void> {
  const trigger = await publish(severity, [c.code]);
  await fanOut.noticePublished(trigger);
  const [{ id }] = await db.query(`SELECT id FROM deliveries WHERE notice_id = $1 AND subscription_id = $2`, [trigger, c.subscriptionId]);
  const repo = new DeliveryRepository(db);
  const claimed = (await repo.claimMany([id], 60_000)).get(id)!;
  const attempt = { recipient: claimed.target_url, startedAt: new Date(), durationMs: 5, succeeded: false, statusCode: 410, error: 'HTTP 410' };
  await repo.record(
    claimed,
    { status: 'failed', lastError: 'HTTP 410', deliveredRecipients: [], attempts: [attempt], gone: true },
    { disableAfterDeadLetters: 5, disableAfterFailingMs: 86_400_000 },
    'courier',
  );
  const [sub] = await db.query(`SELECT status FROM subscriptions WHERE id = $1`, [c.subscriptionId]);
  expect(sub.status).toBe('disabled');
  const [dead] = await db.query(`SELECT status FROM deliveries WHERE id = $1`, [id]);
  expect(dead.status).toBe('failed');
}

it('a retry recorded just after a pause is put right by the sweeper: held, then sent on resume', async () => {
  const [c] = (await makeCases('RACE')).filter((x) => x.state === 'paused' && x.channel === 'webhook' && x.other === 'none');
  const notice = await publish('high', [c.code]);
  await fanOut.noticePublished(notice);
  // What a courier that lost the race leaves behind: its attempt recorded as retrying on a paused subscription.
  await db.query(`UPDATE deliveries SET status = 'retrying' WHERE subscription_id = $1`, [c.subscriptionId]);
  const { moved } = await db.transaction((m) => reconcileHeld(m, systemActor('sweeper')));
  expect(moved).toBeGreaterThanOrEqual(1);
  const [row] = await db.query(`SELECT status FROM deliveries WHERE subscription_id = $1`, [c.subscriptionId]);
  expect(row.status).toBe('held');
  await subscriptions.resume(admin(c), c.subscriptionId);
  const [after] = await db.query(`SELECT status FROM deliveries WHERE subscription_id = $1`, [c.subscriptionId]);
  expect(after.status).toBe('pending');
  // The other way round: a message held although its subscription is active again, or deleted.
  await db.query(`UPDATE deliveries SET status = 'held' WHERE subscription_id = $1`, [c.subscriptionId]);
  expect((await db.transaction((m) => reconcileHeld(m, systemActor('sweeper')))).moved).toBe(1);
  expect((await db.query(`SELECT status FROM deliveries WHERE subscription_id = $1`, [c.subscriptionId]))[0].status).toBe('pending');
  const [d] = (await makeCases('RACE2')).filter((x) => x.state === 'paused' && x.channel === 'email' && x.other === 'active-email');
  const owed = await publish('high', [d.code]);
  await fanOut.noticePublished(owed);
  await db.query(`UPDATE subscriptions SET status = 'deleted', deleted_at = now() WHERE id = $1`, [d.subscriptionId]);
  expect((await db.transaction((m) => reconcileHeld(m, systemActor('sweeper')))).moved).toBe(1);
  expect((await db.query(`SELECT status FROM deliveries WHERE subscription_id = $1`, [d.subscriptionId]))[0].status).toBe('failed');
  // And the job that sends it is in the outbox, committed with the resume.
  const [job] = await db.query(
    `SELECT count(*)::int AS n FROM outbox o JOIN deliveries d ON d.id = (o.payload->>'deliveryId')::uuid WHERE d.subscription_id = $1`,
    [c.subscriptionId],
  );
  expect(job.n).toBe(2); // the resume's, and the sweeper's after the second put-right
});

/**
 * The courier's claim is the last gate: a notice's message is taken for sending only while its
 * subscription is active, whatever claimable state the delivery is in (due, due again, or sending
 * under a lapsed lease); a message without a subscription (the agency's contacts) always is.
 */
it('the courier claims a notice’s message only through an active subscription, in every claimable state', async () => {
  const cases = (await makeCases('CLAIM')).filter((x) => x.other === 'none');
  const notice = await publish('critical', cases.map((c) => c.code));
  await fanOut.noticePublished(notice);
  // A subscription deleted after its message was created (the active email one; the active webhook stays).
  const gone = cases.find((c) => c.state === 'active' && c.channel === 'email')!;
  await db.query(`UPDATE subscriptions SET status = 'deleted', deleted_at = now() WHERE id = $1`, [gone.subscriptionId]);
  const repo = new DeliveryRepository(db);
  const claimable = {
    pending: `status = 'pending', next_attempt_at = now() - interval '1 second'`,
    retrying: `status = 'retrying', next_attempt_at = now() - interval '1 second'`,
    'sending, lease lapsed': `status = 'sending', lease_until = now() - interval '1 second'`,
  };
  for (const [label, set] of Object.entries(claimable)) {
    const rows: { id: string; sub_status: string | null }[] = await db.query(
      `WITH u AS (
         UPDATE deliveries d SET ${set} FROM agencies g
          WHERE d.notice_id = $1 AND d.agency_id = g.id AND g.jurisdiction_code = ANY($2::text[])
         RETURNING d.id, d.subscription_id)
       SELECT u.id, s.status AS sub_status FROM u LEFT JOIN subscriptions s ON s.id = u.subscription_id`,
      [notice, cases.map((c) => c.code)],
    );
    // Every state is met, and the contacts' emails (a critical notice's, and a held subscription's fallback).
    expect(new Set(rows.map((r) => r.sub_status))).toEqual(new Set([...STATES, null]));
    const claimed = await repo.claimMany(rows.map((r) => r.id), 60_000);
    for (const r of rows) expect({ label, sub: r.sub_status, claimed: claimed.has(r.id) }).toEqual({ label, sub: r.sub_status, claimed: r.sub_status === null || r.sub_status === 'active' });
  }
});
