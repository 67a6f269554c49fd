import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createDataSource, MIGRATIONS, runMigrations } from '@sne/core';
import { adminUrl, databaseUrl, testRun } from '../../support/test-database';

/**
 * The migrations, run against a brand-new EMPTY database (not the run's template, which the
 * migrations built already): the schema comes up, a second run changes nothing, the invariants
 * the code relies on are enforced by constraints, and the down migration removes everything.
 */

const EXPECTED_TABLES = [
  'acknowledgments',
  'action_responses',
  'agencies',
  'api_keys',
  'attachment_blobs',
  'audit_chain',
  'audit_events',
  'deliveries',
  'deid_overrides',
  'delivery_attempts',
  'dev_mail',
  'notice_attachments',
  'notice_versions',
  'notices',
  'one_time_slots',
  'outbox',
  'reference_counters',
  'sessions',
  'sign_in_failures',
  'subscriptions',
  'subscription_retired_secrets',
  'topics',
  'users',
  'critical_incidents',
  'data_sharing_agreements',
  'incident_reviews',
  'recommendation_status_history',
  'review_findings',
  'review_notice_actions',
  'review_ratings',
  'review_recommendations',
  'review_reference_counters',
  'review_versions',
  'survey_free_text',
  'survey_recipients',
  'survey_reminders',
  'survey_responses',
  'survey_teams',
  'survey_tokens',
  'survey_waves',
].sort();
const EXPECTED_FUNCTIONS = ['sne_audit_append_only', 'sne_audit_assign_xid', 'sne_audit_notify', 'sne_audit_seal', 'sne_refresh_statistics', 'sne_severity_rank', 'sne_topic_matches'];

// The name carries the run id, so the global teardown drops it even if this file crashes.
const dbName = `sne_mig_${testRun()}_${randomBytes(3).toString('hex')}`;
let ds: DataSource;

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function tables(): Promise<string[]> {
  const rows: { table_name: string }[] = await ds.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  return rows.map((r) => r.table_name);
}

async function functions(): Promise<string[]> {
  const rows: { proname: string }[] = await ds.query(
    `SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'public' AND p.proname LIKE 'sne\\_%' ORDER BY p.proname`,
  );
  return rows.map((r) => r.proname);
}

/** Everything that describes the schema: columns, constraints, indexes, migration rows. */
async function schemaFingerprint(): Promise<unknown> {
  const [columns, constraints, indexes, migrations] = await Promise.all([
    ds.query(
      `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
        WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
    ),
    ds.query(
      `SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
        WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`,
    ),
    ds.query(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`),
    ds.query(`SELECT id, timestamp, name FROM migrations ORDER BY id`),
  ]);
  return { columns, constraints, indexes, migrations };
}

/** Runs a statement expected to fail and returns the PostgreSQL error (code, constraint). */
async function pgError(sql: string, params: unknown[] = []): Promise<{ code?: string; constraint?: string }> {
  try {
    await ds.query(sql, params);
  } catch (err) {
    const e = err as { driverError?: { code?: string; constraint?: string }; code?: string; constraint?: string };
    const driver = e.driverError ?? e;
    return { code: driver.code, constraint: driver.constraint };
  }
  throw new Error(`expected the statement to fail, but it succeeded: ${sql}`);
}

beforeAll(async () => {
  await admin((c) => c.query(`CREATE DATABASE ${dbName}`));
  ds = createDataSource(databaseUrl(dbName), { poolSize: 4, applicationName: 'sne-migrations-test' });
  await ds.initialize();
});

afterAll(async () => {
  if (ds?.isInitialized) await ds.destroy();
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
});

describe('migrations on an empty database', () => {
  it('starts empty', async () => {
    expect(await tables()).toEqual([]);
    expect(await functions()).toEqual([]);
  });

  it('runMigrations creates every table and function and records each migration', async () => {
    await runMigrations(ds);

    expect(await tables()).toEqual([...EXPECTED_TABLES, 'migrations'].sort());
    expect(await functions()).toEqual(EXPECTED_FUNCTIONS);
    // Every entity the apps map has its table.
    const entityTables = ds.entityMetadatas.map((m) => m.tableName);
    expect(entityTables.length).toBeGreaterThan(0);
    for (const t of entityTables) expect(EXPECTED_TABLES).toContain(t);

    const recorded: { name: string }[] = await ds.query(`SELECT name FROM migrations ORDER BY id`);
    expect(recorded.map((r) => r.name)).toEqual(MIGRATIONS.map((M) => new M().name ?? M.name));
    expect(await ds.showMigrations()).toBe(false);
  });

  it('running the migrations a second time is a no-op', async () => {
    const before = await schemaFingerprint();
    await runMigrations(ds);
    expect(await ds.runMigrations({ transaction: 'each' })).toEqual([]);
    expect(await schemaFingerprint()).toEqual(before);
    expect(await ds.showMigrations()).toBe(false);
  });
});

describe('constraints carry the invariants', () => {
  let agencyId: string;
  let authorId: string;
  let approverId: string;
  let noticeId: string;
  let subscriptionId: string;

  const NOTICE_COLUMNS = `issuing_agency_id, author_id, status, reference, content_hash, title, summary, body_markdown, body_html,
    category, severity, topics, approved_by, approved_content_hash, published_at`;

  function insertNotice(opts: { status: string; reference: string | null; approvedBy: string | null }) {
    return ds.query(
      `INSERT INTO notices (${NOTICE_COLUMNS})
       VALUES ($1, $2, $3, $4, 'hash-1', 'Title', 'Summary', 'Body', '<p>Body</p>', 'alert', 'high', ARRAY['substance-exposure'],
               $5, CASE WHEN $5::uuid IS NULL THEN NULL ELSE 'hash-1' END, CASE WHEN $3 = 'published' THEN now() END)
       RETURNING id`,
      [agencyId, authorId, opts.status, opts.reference, opts.approvedBy],
    );
  }

  beforeAll(async () => {
    [{ id: agencyId }] = await ds.query(
      `INSERT INTO agencies (name, jurisdiction_type, jurisdiction_code, time_zone, notices_contact_email)
       VALUES ('Migration Test Agency', 'county', 'US-IL-COOK', 'America/Chicago', 'notices@agency.test') RETURNING id`,
    );
    [{ id: authorId }] = await ds.query(
      `INSERT INTO users (agency_id, email, name, roles) VALUES ($1, 'author@agency.test', 'Author', ARRAY['author']) RETURNING id`,
      [agencyId],
    );
    [{ id: approverId }] = await ds.query(
      `INSERT INTO users (agency_id, email, name, roles) VALUES ($1, 'approver@agency.test', 'Approver', ARRAY['approver']) RETURNING id`,
      [agencyId],
    );
    // The valid rows the negative cases collide with (also: the schema accepts what it should).
    [{ id: noticeId }] = await insertNotice({ status: 'published', reference: 'SN-2025-0001', approvedBy: approverId });
    [{ id: subscriptionId }] = await ds.query(
      `INSERT INTO subscriptions (agency_id, name, topic_patterns, min_severity, channel, email_addresses)
       VALUES ($1, 'Email', ARRAY['substance-exposure.>'], 'low', 'email', ARRAY['inbox@agency.test']) RETURNING id`,
      [agencyId],
    );
    await ds.query(`INSERT INTO acknowledgments (notice_id, agency_id) VALUES ($1, $2)`, [noticeId, agencyId]);
    await ds.query(
      `INSERT INTO deliveries (notice_id, subscription_id, agency_id, event_type, channel) VALUES ($1, $2, $3, 'notice.published', 'email')`,
      [noticeId, subscriptionId, agencyId],
    );
  });

  it('refuses a notice approved by its own author (two-person rule)', async () => {
    // approved_content_hash equals content_hash, so only the two-person rule can refuse it.
    const err = await pgError(
      `INSERT INTO notices (${NOTICE_COLUMNS})
       VALUES ($1, $2, 'published', 'SN-2025-0002', 'hash-2', 'T', 'S', 'B', '<p>B</p>', 'alert', 'high', ARRAY['substance-exposure'],
               $2, 'hash-2', now())`,
      [agencyId, authorId],
    );
    expect(err).toEqual({ code: '23514', constraint: 'notices_two_person_rule' });
    // The same on an existing notice: the author cannot become its approver.
    expect(await pgError(`UPDATE notices SET approved_by = author_id WHERE id = $1`, [noticeId])).toEqual({
      code: '23514',
      constraint: 'notices_two_person_rule',
    });
    expect(await ds.query(`SELECT count(*)::int AS n FROM notices WHERE approved_by = author_id OR reference = 'SN-2025-0002'`)).toEqual([{ n: 0 }]);
  });

  it('refuses a second acknowledgment for the same notice and agency', async () => {
    expect(await pgError(`INSERT INTO acknowledgments (notice_id, agency_id) VALUES ($1, $2)`, [noticeId, agencyId])).toEqual({
      code: '23505',
      constraint: 'acknowledgments_one_per_agency',
    });
    expect(await ds.query(`SELECT count(*)::int AS n FROM acknowledgments`)).toEqual([{ n: 1 }]);
  });

  it('refuses a second delivery for the same notice, subscription and event', async () => {
    expect(
      await pgError(
        `INSERT INTO deliveries (notice_id, subscription_id, agency_id, event_type, channel) VALUES ($1, $2, $3, 'notice.published', 'email')`,
        [noticeId, subscriptionId, agencyId],
      ),
    ).toEqual({ code: '23505', constraint: 'deliveries_notice_subscription_key' });
    // Another event type for the same pair is a different delivery.
    await ds.query(
      `INSERT INTO deliveries (notice_id, subscription_id, agency_id, event_type, channel) VALUES ($1, $2, $3, 'notice.updated', 'email')`,
      [noticeId, subscriptionId, agencyId],
    );
    expect(await ds.query(`SELECT count(*)::int AS n FROM deliveries`)).toEqual([{ n: 2 }]);
  });

  it('refuses a published notice without a reference', async () => {
    const [draft] = await insertNotice({ status: 'draft', reference: null, approvedBy: null });
    expect(draft.id).toBeDefined();
    expect(await pgError(`UPDATE notices SET status = 'published', published_at = now() WHERE id = $1`, [draft.id])).toEqual({
      code: '23514',
      constraint: 'notices_published_has_reference',
    });
    try {
      await insertNotice({ status: 'published', reference: null, approvedBy: approverId });
      throw new Error('a published notice without a reference was accepted');
    } catch (err) {
      expect((err as { driverError?: { constraint?: string } }).driverError?.constraint).toBe('notices_published_has_reference');
    }
  });
});

describe('operator controls (1764220000000)', () => {
  it("gives every key issued with \"all of the owner's roles\" those roles, so a role granted later never widens it", async () => {
    const [agency] = await ds.query(
      `INSERT INTO agencies (name, jurisdiction_type, jurisdiction_code, time_zone, notices_contact_email)
       VALUES ('Keys Agency', 'county', 'K1', 'UTC', 'n@agency.test') RETURNING id`,
    );
    const [user] = await ds.query(`INSERT INTO users (agency_id, email, name, roles) VALUES ($1, 'keys@agency.test', 'Keys', ARRAY['supervisor','author']) RETURNING id`, [agency.id]);
    // Back to before this migration (and any later one), where a key's roles could be NULL.
    await undoThrough('OperatorControls1764220000000');
    const [key] = await ds.query(
      `INSERT INTO api_keys (user_id, agency_id, name, prefix, key_hash, roles) VALUES ($1, $2, 'old', 'abcdefgh', 'hash', NULL) RETURNING id`,
      [user.id, agency.id],
    );
    await runMigrations(ds);
    expect(await ds.query(`SELECT roles FROM api_keys WHERE id = $1`, [key.id])).toEqual([{ roles: ['supervisor', 'author'] }]);
    expect((await pgError(`UPDATE api_keys SET roles = NULL WHERE id = $1`, [key.id])).code).toBe('23502');
    // An offboarding always says why.
    expect(await pgError(`UPDATE agencies SET offboarded_at = now() WHERE id = $1`, [agency.id])).toEqual({ code: '23514', constraint: 'agencies_offboarding_is_whole' });
  });
});

describe('survey invitations (1764460000000)', () => {
  it('keeps whether an address was sent its link as a yes/no only, no by default', async () => {
    const columns: { column_name: string; data_type: string; is_nullable: string; column_default: string | null }[] = await ds.query(
      `SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_name = 'survey_recipients' ORDER BY ordinal_position`,
    );
    expect(columns.map((c) => `${c.column_name}:${c.data_type}`)).toEqual(['wave_id:uuid', 'team_id:uuid', 'email:text', 'invited:boolean']);
    expect(columns[3]).toMatchObject({ is_nullable: 'NO', column_default: 'false' });
  });
});

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

/**
 * Undoes the migrations applied after `name`, then `name` itself: a test names the migration it is
 * about, and does not change when another is added after it.
 */
async function undoThrough(name: string): Promise<void> {
  expect(MIGRATIONS.map((M) => new M().name ?? M.name)).toContain(name);
  for (;;) {
    const [last] = await ds.query(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`);
    await ds.undoLastMigration({ transaction: 'each' });
    if (!last || last.name === name) return;
  }
}

/** The schema itself (the migrations table's row ids move on). */
async function schema() {
  const { columns, constraints, indexes } = (await schemaFingerprint()) as Record<string, unknown>;
  return { columns, constraints, indexes };
}

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
    const [ack] = await ds.query(`SELECT a.id, a.notice_id, a.agency_id FROM acknowledgments a JOIN notices n ON n.id = a.notice_id WHERE n.status = 'published' LIMIT 1`);
    await ds.query(`UPDATE acknowledgments SET status = 'acknowledged', acknowledged_at = now(), channel = 'api' WHERE id = $1`, [ack.id]);
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
