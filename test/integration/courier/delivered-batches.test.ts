import { createDataSource } from '@sne/core';
import { DataSource } from 'typeorm';
import { ClaimedDelivery, DeliveryRepository, Outcome } from '../../../apps/courier/src/delivery.repository';
import { createTestDatabase, TestDatabase } from '../../support/test-database';

/**
 * Delivered emails and webhooks are recorded in batches (recordDeliveredEmails,
 * recordDeliveredWebhooks); what they write must be what the one-at-a-time record() writes for
 * the same outcome: the attempts, the delivery's state and recipients, the audit event, and
 * nothing once the lease is lost, each delivery by its own item.
 */
describe('the courier records delivered emails and webhooks in batches, as it records one', () => {
  let database: TestDatabase;
  let db: DataSource;
  let repo: DeliveryRepository;
  let agencyId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDataSource(database.runtimeUrl, { applicationName: 'delivered-batches-test' });
    await db.initialize();
    repo = new DeliveryRepository(db);
    [{ id: agencyId }] = await db.query(
      `INSERT INTO agencies (name, jurisdiction_type, jurisdiction_code, time_zone, notices_contact_email)
       VALUES ('Outcome County', 'county', 'OUTCOME', 'America/Chicago', 'notices@outcome.test') RETURNING id`,
    );
  });

  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  /** A delivery being sent (by default an email on attempt 2), as a courier holds it after its claim. */
  async function sending(channel: 'email' | 'webhook' = 'email', attempt = 2): Promise<ClaimedDelivery> {
    const [row] = await db.query(
      `INSERT INTO deliveries (agency_id, event_type, channel, recipients, delivered_recipients, target_url, status, attempt_count, lease_until, last_error, next_attempt_at)
       VALUES ($1, 'subscription.test', $2, ARRAY['a@outcome.test','b@outcome.test'], ARRAY['a@outcome.test'], 'https://hooks.outcome.test/in', 'sending', $3,
               '2030-01-01T00:00:00Z', 'b@outcome.test: 451 try later', '2026-12-01T00:00:00Z')
       RETURNING id, attempt_count`,
      [agencyId, channel, attempt],
    );
    return { ...row, channel, subscription_id: null, notice_id: null, event_type: 'subscription.test' } as ClaimedDelivery;
  }

  const outcome = (startedAt: Date): Outcome => ({
    status: 'delivered',
    lastError: null,
    deliveredRecipients: ['a@outcome.test', 'b@outcome.test'],
    attempts: [{ recipient: 'b@outcome.test', startedAt, durationMs: 12.4, succeeded: true, smtpResponse: '250 2.0.0 OK queued' }],
  });

  /** What a delivery's outcome left behind, without ids and times that differ by nature. */
  async function written(id: string) {
    const [d] = await db.query(
      `SELECT status, attempt_count, recipients, delivered_recipients, last_error, lease_until, delivered_at IS NOT NULL AS delivered, next_attempt_at FROM deliveries WHERE id = $1`,
      [id],
    );
    const attempts = await db.query(
      `SELECT attempt_number, recipient, started_at, duration_ms, succeeded, status_code, smtp_response, error FROM delivery_attempts WHERE delivery_id = $1 ORDER BY id`,
      [id],
    );
    const audit = await db.query(`SELECT actor_type, actor_id, agency_id, action, entity_type, before, after FROM audit_events WHERE entity_id = $1 ORDER BY id`, [id]);
    return { d, attempts, audit };
  }

  it('writes the same attempts, state and audit event as record()', async () => {
    const [one, batched, other] = [await sending(), await sending(), await sending()];
    const at = new Date('2026-12-03T12:00:00.000Z');
    await repo.record(one, outcome(at), { disableAfterDeadLetters: 5, disableAfterFailingMs: 86_400_000 }, 'courier');
    await repo.recordDeliveredEmails(
      [
        { d: batched, outcome: outcome(at) },
        { d: other, outcome: outcome(at) },
      ],
      'courier',
    );
    const expected = await written(one.id);
    expect(expected.d).toMatchObject({ status: 'delivered', delivered_recipients: ['a@outcome.test', 'b@outcome.test'], last_error: null, lease_until: null, delivered: true });
    expect(expected.attempts).toHaveLength(1);
    expect(expected.audit).toHaveLength(1);
    expect(await written(batched.id)).toEqual(expected);
    expect(await written(other.id)).toEqual(expected);
  });

  it('records the attempt but neither the state nor an audit event once the lease is lost, as record() does', async () => {
    const [one, batched] = [await sending(), await sending()];
    // Another courier took both over (its claim counted a third attempt).
    await db.query(`UPDATE deliveries SET attempt_count = 3 WHERE id = ANY($1::uuid[])`, [[one.id, batched.id]]);
    const at = new Date('2026-12-03T12:00:00.000Z');
    await repo.record(one, outcome(at), { disableAfterDeadLetters: 5, disableAfterFailingMs: 86_400_000 }, 'courier');
    await repo.recordDeliveredEmails([{ d: batched, outcome: outcome(at) }], 'courier');
    const expected = await written(one.id);
    expect(expected.d.status).toBe('sending');
    expect(expected.audit).toEqual([]);
    expect(expected.attempts).toHaveLength(1);
    expect(await written(batched.id)).toEqual(expected);
  });

  /**
   * A batch's statement matches each delivery with its own item (attempt number, recipients) by
   * its place in the arrays: every delivery here differs from its neighbours, and some were taken
   * over by another courier (one attempt more) after this one claimed them.
   */
  it.each(['email', 'webhook'] as const)('judges each %s of a batch by its own attempt number and keeps its own recipients', async (channel) => {
    const at = new Date('2026-12-03T12:00:00.000Z');
    const held = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => sending(channel, attempt)));
    const takenOver = new Set([held[1].id, held[4].id, held[7].id]);
    await db.query(`UPDATE deliveries SET attempt_count = attempt_count + 1 WHERE id = ANY($1::uuid[])`, [[...takenOver]]);
    const recipientsOf = (i: number) => [`a@outcome.test`, `n${i}@outcome.test`];
    if (channel === 'email') {
      await repo.recordDeliveredEmails(
        held.map((d, i) => ({
          d,
          outcome: { ...outcome(at), deliveredRecipients: recipientsOf(i), attempts: [{ recipient: `n${i}@outcome.test`, startedAt: at, durationMs: i, succeeded: true }] },
        })),
        'courier',
      );
    } else {
      await repo.recordDeliveredWebhooks(
        held.map((d, i) => ({ d, attempt: { recipient: `https://hooks.outcome.test/in?n=${i}`, startedAt: at, durationMs: i, succeeded: true, statusCode: 200 + i } })),
        'courier',
      );
    }
    for (const [i, d] of held.entries()) {
      const { d: row, attempts, audit } = await written(d.id);
      const recipient = channel === 'email' ? `n${i}@outcome.test` : `https://hooks.outcome.test/in?n=${i}`;
      expect(attempts).toEqual([expect.objectContaining({ attempt_number: i + 1, recipient, duration_ms: i })]);
      if (takenOver.has(d.id)) {
        expect(row).toMatchObject({ status: 'sending', attempt_count: i + 2, delivered_recipients: ['a@outcome.test'] });
        expect(audit).toEqual([]);
      } else {
        expect(row).toMatchObject({ status: 'delivered', attempt_count: i + 1 });
        expect(row.delivered_recipients).toEqual(channel === 'email' ? recipientsOf(i) : ['a@outcome.test']);
        expect(audit).toEqual([expect.objectContaining({ action: 'delivery.delivered', after: expect.objectContaining({ status: 'delivered', attempt: i + 1 }) })]);
      }
    }
  });
});
