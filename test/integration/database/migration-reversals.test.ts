import { DataSource } from 'typeorm';
import { MIGRATIONS, runMigrations } from '@sne/core';
import { migrationDatabase } from '../../support/migration-database';

/**
 * Each migration since 1764470000000 on a brand-new database with every migration run: what it
 * adds, and the same schema again after its down and up; then the way all the way down, which
 * removes everything.
 */
const db = migrationDatabase({ migrated: true });
let ds: DataSource;
beforeAll(() => {
  ds = db.ds;
});
const { tables, functions, schemaFingerprint, schema, pgError, undoThrough } = db;

describe('delivery write cost (1764470000000)', () => {
  it('groups pending, sending and retrying as one open phase, so a claim changes no indexed value', async () => {
    const [{ id: agencyId }] = await ds.query(
      `INSERT INTO agencies (name, jurisdiction_type, jurisdiction_code, time_zone, notices_contact_email)
       VALUES ('Phase Test Agency', 'county', 'US-IL-LAKE', 'America/Chicago', 'notices@phase.test') RETURNING id`,
    );
    const phases: { status: string; phase: string }[] = await ds.query(
      `INSERT INTO deliveries (agency_id, event_type, channel, status)
       SELECT $1, 'subscription.disabled', 'email', s FROM unnest(ARRAY['pending','sending','retrying','delivered','failed','held']) s
       RETURNING status, phase`,
      [agencyId],
    );
    expect(phases).toEqual([
      { status: 'pending', phase: 'open' },
      { status: 'sending', phase: 'open' },
      { status: 'retrying', phase: 'open' },
      { status: 'delivered', phase: 'delivered' },
      { status: 'failed', phase: 'failed' },
      { status: 'held', phase: 'held' },
    ]);
    // Every status change follows: the sweeper's and the held and dead-letter lists' indexes depend on it.
    expect(
      await ds.query(`WITH u AS (UPDATE deliveries SET status = 'failed' WHERE agency_id = $1 AND status = 'held' RETURNING phase) SELECT * FROM u`, [
        agencyId,
      ]),
    ).toEqual([{ phase: 'failed' }]);
    const indexed: { indexname: string }[] = await ds.query(
      `SELECT indexname FROM pg_indexes WHERE tablename = 'deliveries' AND indexdef ~ '\\mstatus\\M' ORDER BY indexname`,
    );
    expect(indexed).toEqual([]);
  });

  it('keeps the matching functions NULL for a NULL argument', async () => {
    expect(
      await ds.query(
        `SELECT sne_topic_matches('>', NULL) AS a, sne_topic_matches(NULL, 'x.y') AS b, sne_topic_matches('x.*', 'x.y') AS c,
                sne_severity_rank(NULL) AS d, sne_severity_rank('high') AS e`,
      ),
    ).toEqual([{ a: null, b: null, c: true, d: null, e: 2 }]);
  });

  it('comes back to the same schema after down and up', async () => {
    const before = await schema();
    await undoThrough('DeliveryWriteCost1764470000000');
    const indexes: { indexname: string }[] = await ds.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'deliveries' ORDER BY indexname`);
    expect(indexes.map((i) => i.indexname)).toContain('deliveries_notice_idx');
    await runMigrations(ds);
    expect(await schema()).toEqual(before);
  });
});

describe('fan-out pages (1764480000000)', () => {
  it('adds fan_out_page_at to notices, and comes back to the same schema after down and up', async () => {
    const column = () =>
      ds.query(`SELECT data_type, is_nullable FROM information_schema.columns WHERE table_name = 'notices' AND column_name = 'fan_out_page_at'`);
    expect(await column()).toEqual([{ data_type: 'timestamp with time zone', is_nullable: 'YES' }]);
    const before = await schema();
    await undoThrough('FanOutPages1764480000000');
    expect(await column()).toEqual([]);
    await runMigrations(ds);
    expect(await schema()).toEqual(before);
  });
});

describe('fresh statistics (1764490000000) and the audit seal (1764500000000)', () => {
  it('add sne_refresh_statistics, running as its owner, and sne_audit_seal, running as its caller, and take them away again', async () => {
    const functions = () => ds.query(`SELECT proname, prosecdef FROM pg_proc WHERE proname IN ('sne_refresh_statistics', 'sne_audit_seal') ORDER BY proname`);
    const both = [
      { proname: 'sne_audit_seal', prosecdef: false },
      { proname: 'sne_refresh_statistics', prosecdef: true },
    ];
    expect(await functions()).toEqual(both);
    await undoThrough('ReviewAmendments1764510000000'); // it and the ones after it add no function
    expect(await functions()).toEqual(both);
    await undoThrough('AuditSealInDatabase1764500000000');
    expect(await functions()).toEqual([both[1]]);
    await undoThrough('FreshStatistics1764490000000');
    expect(await functions()).toEqual([]);
    await runMigrations(ds);
    expect(await functions()).toEqual(both);
  });
});


describe('review amendments (1764510000000)', () => {
  it('adds incident_reviews.amendment, and comes back to the same schema after down and up', async () => {
    const column = () => ds.query(`SELECT data_type, is_nullable FROM information_schema.columns WHERE table_name = 'incident_reviews' AND column_name = 'amendment'`);
    expect(await column()).toEqual([{ data_type: 'jsonb', is_nullable: 'YES' }]);
    const before = await schema();
    await undoThrough('ReviewAmendments1764510000000');
    expect(await column()).toEqual([]);
    await runMigrations(ds);
    expect(await schema()).toEqual(before);
  });
});

describe('retired signing secrets (1764520000000)', () => {
  const retiredTable = () => ds.query(`SELECT to_regclass('subscription_retired_secrets') IS NOT NULL AS present`);
  const oldColumns = () =>
    ds.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'subscriptions' AND column_name LIKE 'previous%' ORDER BY column_name`);

  it('moves a previous secret that still signs into its own row, and back (the newest one that still signs)', async () => {
    const [agency] = await ds.query(
      `INSERT INTO agencies (name, jurisdiction_type, jurisdiction_code, time_zone, notices_contact_email)
       VALUES ('Rotation Agency', 'county', 'R1', 'UTC', 'n@rotation.test') RETURNING id`,
    );
    const sub = async (name: string) =>
      (
        await ds.query(
          `INSERT INTO subscriptions (agency_id, name, topic_patterns, min_severity, channel, webhook_url, signing_secret)
           VALUES ($1, $2, '{safe-sleep}', 'low', 'webhook', 'https://receiver.example/hook', 'enc:current') RETURNING id`,
          [agency.id, name],
        )
      )[0].id as string;
    const [live, expired, none] = [await sub('live'), await sub('expired'), await sub('none')];
    const before = await schema();
    await undoThrough('RetiredSigningSecrets1764520000000');
    expect(await retiredTable()).toEqual([{ present: false }]);
    expect((await oldColumns()).map((c: { column_name: string }) => c.column_name)).toEqual(['previous_secret_expires_at', 'previous_signing_secret']);
    await ds.query(`UPDATE subscriptions SET previous_signing_secret = 'enc:live', previous_secret_expires_at = now() + interval '3 hours' WHERE id = $1`, [live]);
    await ds.query(`UPDATE subscriptions SET previous_signing_secret = 'enc:expired', previous_secret_expires_at = now() - interval '1 second' WHERE id = $1`, [expired]);

    await runMigrations(ds);
    expect(await schema()).toEqual(before);
    expect(await oldColumns()).toEqual([]);
    // Only the one that still signs comes along (an expired secret signs nothing, so it is not kept).
    const rows = await ds.query(
      `SELECT subscription_id, signing_secret, expires_at - retired_at = interval '24 hours' AS whole_day FROM subscription_retired_secrets WHERE subscription_id = ANY($1)`,
      [[live, expired, none]],
    );
    expect(rows).toEqual([{ subscription_id: live, signing_secret: 'enc:live', whole_day: true }]);

    // Down: the old schema has room for one; the newest that still signs is kept.
    await ds.query(
      `INSERT INTO subscription_retired_secrets (subscription_id, signing_secret, retired_at, expires_at)
       VALUES ($1, 'enc:newer', now() - interval '4 hours', now() + interval '20 hours'),
              ($2, 'enc:gone', now() - interval '25 hours', now() - interval '1 hour')`,
      [live, none],
    );
    await undoThrough('RetiredSigningSecrets1764520000000');
    const back = await ds.query(`SELECT id, previous_signing_secret FROM subscriptions WHERE id = ANY($1) ORDER BY name`, [[live, expired, none]]);
    expect(back).toEqual([
      { id: expired, previous_signing_secret: null },
      { id: live, previous_signing_secret: 'enc:newer' },
      { id: none, previous_signing_secret: null },
    ]);
    await runMigrations(ds);
    expect(await schema()).toEqual(before);
  });

  it('refuses a retired secret that expires before it was retired', async () => {
    const [s] = await ds.query(`SELECT id FROM subscriptions WHERE channel = 'webhook' LIMIT 1`);
    const err = await pgError(`INSERT INTO subscription_retired_secrets (subscription_id, signing_secret, expires_at) VALUES ($1, 'enc:x', now())`, [s.id]);
    expect(err).toEqual({ code: '23514', constraint: 'subscription_retired_secrets_expire_after_retiring' });
  });
});

describe('reminders while owed (1764530000000)', () => {
  it("adds skipped and for_ack_status; filling it for reminders still owed (a rung: pending, a person's: the record's status), and back", async () => {
    // A published notice and an acknowledged record of it, for the reminders to belong to.
    const [{ id: agencyId }] = await ds.query(
      `INSERT INTO agencies (name, jurisdiction_type, jurisdiction_code, time_zone, notices_contact_email)
       VALUES ('Reminder Agency', 'county', 'US-IL-KANE', 'America/Chicago', 'notices@reminder.test') RETURNING id`,
    );
    const [author, approver] = await ds.query(
      `INSERT INTO users (agency_id, email, name, roles) VALUES ($1, 'author@reminder.test', 'Author', ARRAY['author']), ($1, 'approver@reminder.test', 'Approver', ARRAY['approver']) RETURNING id`,
      [agencyId],
    );
    const [{ id: noticeId }] = await ds.query(
      `INSERT INTO notices (issuing_agency_id, author_id, status, reference, content_hash, title, summary, body_markdown, body_html, category, severity, topics,
                            approved_by, approved_content_hash, published_at)
       VALUES ($1, $2, 'published', 'SN-2025-0100', 'hash-1', 'Title', 'Summary', 'Body', '<p>Body</p>', 'alert', 'high', ARRAY['substance-exposure'], $3, 'hash-1', now())
       RETURNING id`,
      [agencyId, author.id, approver.id],
    );
    const [ack] = await ds.query(
      `INSERT INTO acknowledgments (notice_id, agency_id, status, acknowledged_at, channel) VALUES ($1, $2, 'acknowledged', now(), 'api') RETURNING id, notice_id, agency_id`,
      [noticeId, agencyId],
    );
    const reminder = async (sequence: number, status: string) =>
      (
        await ds.query(
          `INSERT INTO deliveries (notice_id, agency_id, acknowledgment_id, event_type, channel, recipients, sequence, status)
           VALUES ($1, $2, $3, 'notice.reminder', 'email', ARRAY['desk@agency.test'], $4, $5) RETURNING id`,
          [ack.notice_id, ack.agency_id, ack.id, sequence, status],
        )
      )[0].id as string;
    const skipped = await reminder(7, 'skipped');
    const before = await schema();
    await undoThrough('RemindersWhileOwed1764530000000');
    expect(await ds.query(`SELECT status FROM deliveries WHERE id = $1`, [skipped])).toEqual([{ status: 'failed' }]);
    expect(await pgError(`UPDATE deliveries SET status = 'skipped' WHERE id = $1`, [skipped])).toEqual({ code: '23514', constraint: 'deliveries_status_check' });
    const [rung, asked, sent] = [await reminder(8, 'retrying'), await reminder(-8, 'pending'), await reminder(9, 'delivered')];

    await runMigrations(ds);
    expect(await schema()).toEqual(before);
    const owed = await ds.query(`SELECT id, for_ack_status FROM deliveries WHERE id = ANY($1)`, [[rung, asked, sent]]);
    expect(Object.fromEntries(owed.map((r: { id: string; for_ack_status: string | null }) => [r.id, r.for_ack_status]))).toEqual({
      [rung]: 'pending',
      [asked]: 'acknowledged',
      [sent]: null,
    });
  });
});

describe('sign-in failures per client (1764540000000)', () => {
  it('adds sign_in_failures, keyed on the email in lower case and the client, and takes it away again', async () => {
    const table = () => ds.query(`SELECT to_regclass('sign_in_failures') IS NOT NULL AS present`);
    expect(await table()).toEqual([{ present: true }]);
    expect(await pgError(`INSERT INTO sign_in_failures (email, client, failures) VALUES ('Someone@Agency.test', '127.0.0.1', 1)`)).toEqual({
      code: '23514',
      constraint: 'sign_in_failures_email_check',
    });
    const before = await schema();
    await undoThrough('SignInFailuresPerClient1764540000000');
    expect(await table()).toEqual([{ present: false }]);
    await runMigrations(ds);
    expect(await schema()).toEqual(before);
  });
});

describe('undoing every migration', () => {
  it('drops every table and function, leaving only the migrations table, empty', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    expect(await tables()).toEqual(['migrations']);
    expect(await functions()).toEqual([]);
    expect(await ds.query(`SELECT count(*)::int AS n FROM migrations`)).toEqual([{ n: 0 }]);
    // No relation (table, index, sequence, view) survives but typeorm's own table and its index/sequence.
    const leftovers: unknown[] = await ds.query(
      `SELECT c.relname, c.relkind FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace AND c.relname NOT LIKE 'migrations%'
          AND c.oid NOT IN (SELECT indexrelid FROM pg_index WHERE indrelid = 'migrations'::regclass)`,
    );
    expect(leftovers).toEqual([]);
  });
});
