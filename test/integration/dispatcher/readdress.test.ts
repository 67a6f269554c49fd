import { DataSource } from 'typeorm';
import { createDataSource, readdressOutstanding, systemActor } from '@sne/core';
import { createAgency, TestAgency } from '../../support/fixtures';
import { createTestDatabase } from '../../support/test-database';

/**
 * A subscription's new address, against every state a delivery can be in (read from the table's
 * own CHECK constraint, so a state added later is covered): everything not yet delivered moves to
 * the new address, with one audit event each; what was delivered keeps the address it went to;
 * other subscriptions' deliveries are untouched.
 */

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let db: DataSource;
let agency: TestAgency;
let states: string[];

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDataSource(database.url, { poolSize: 3, applicationName: 'sne-readdress-test' });
  await db.initialize();
  agency = await createAgency(db, { name: 'Moving agency' });
  const [{ def }] = await db.query(
    `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'deliveries'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%status%'`,
  );
  states = [...def.matchAll(/'([a-z_]+)'/g)].map((m: RegExpMatchArray) => m[1]);
});

afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

async function subscription(channel: 'webhook' | 'email', name: string): Promise<string> {
  const [{ id }] = await db.query(
    `INSERT INTO subscriptions (agency_id, name, topic_patterns, min_severity, channel, email_addresses, webhook_url, signing_secret)
     VALUES ($1, $2, ARRAY['safe-sleep'], 'low', $3, $4, $5, 'whsec_dGVzdA==') RETURNING id`,
    [agency.id, name, channel, channel === 'email' ? ['old@desk.test'] : [], channel === 'webhook' ? 'https://old.test/hook' : null],
  );
  return id;
}

const FINISHED = ['delivered', 'skipped'];

/** One delivery of the subscription in each state; returns id by state. */
async function oneInEveryState(subscriptionId: string, channel: 'webhook' | 'email'): Promise<Record<string, string>> {
  const byState: Record<string, string> = {};
  for (const status of states) {
    const [{ id }] = await db.query(
      `INSERT INTO deliveries (subscription_id, agency_id, event_type, channel, recipients, target_url, status)
       VALUES ($1, $2, 'subscription.test', $3, $4, $5, $6) RETURNING id`,
      [subscriptionId, agency.id, channel, channel === 'email' ? ['old@desk.test'] : [], channel === 'webhook' ? 'https://old.test/hook' : null, status],
    );
    byState[status] = id;
  }
  return byState;
}

it.each(['webhook', 'email'] as const)('re-addresses every undelivered %s delivery, in every state, and nothing else', async (channel) => {
  expect(states).toEqual(expect.arrayContaining(['pending', 'sending', 'delivered', 'retrying', 'failed', 'held', 'skipped']));
  const sub = await subscription(channel, `${channel}-moving`);
  const other = await subscription(channel, `${channel}-staying`);
  const mine = await oneInEveryState(sub, channel);
  const theirs = await oneInEveryState(other, channel);
  const next = channel === 'webhook' ? { webhookUrl: 'https://new.test/hook', emailAddresses: [] } : { webhookUrl: null, emailAddresses: ['new@desk.test'] };

  const moved = await db.transaction((m) => readdressOutstanding(m, { id: sub, channel, ...next }, systemActor('test')));

  // Delivered, or skipped (a reminder no longer owed): nothing more goes, so nothing moves.
  const outstanding = states.filter((s) => !FINISHED.includes(s));
  expect(moved).toBe(outstanding.length);
  const rows: { id: string; status: string; target_url: string | null; recipients: string[] }[] = await db.query(
    `SELECT id, status, target_url, recipients FROM deliveries WHERE id = ANY($1::uuid[])`,
    [[...Object.values(mine), ...Object.values(theirs)]],
  );
  const addressOf = (r: (typeof rows)[number]) => (channel === 'webhook' ? r.target_url : r.recipients.join());
  for (const r of rows) {
    const shouldMove = r.id === mine[r.status] && !FINISHED.includes(r.status);
    expect([r.status, addressOf(r)]).toEqual([r.status, shouldMove ? (next.webhookUrl ?? next.emailAddresses.join()) : channel === 'webhook' ? 'https://old.test/hook' : 'old@desk.test']);
  }
  const audited = await db.query(`SELECT entity_id, after FROM audit_events WHERE action = 'delivery.readdressed' AND entity_id = ANY($1::text[])`, [Object.values(mine)]);
  expect(audited.map((a: { entity_id: string }) => a.entity_id).sort()).toEqual(outstanding.map((s) => mine[s]).sort());
  // The address is in the subscription's own audit event, not repeated in each delivery's trail.
  expect(JSON.stringify(audited)).not.toMatch(/new\.test|new@desk/);

  // Asking again with the same address moves nothing.
  expect(await db.transaction((m) => readdressOutstanding(m, { id: sub, channel, ...next }, systemActor('test')))).toBe(0);
});
