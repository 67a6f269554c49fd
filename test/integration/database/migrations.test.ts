import { DataSource } from 'typeorm';
import { MIGRATIONS, runMigrations } from '@sne/core';
import { migrationDatabase } from '../../support/migration-database';

/**
 * The migrations, run against a brand-new EMPTY database: the schema comes up, a second run
 * changes nothing, and the invariants the code relies on are enforced by constraints. Each
 * migration's way down and back up: migration-reversals.test.ts.
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

const db = migrationDatabase();
let ds: DataSource;
beforeAll(() => {
  ds = db.ds;
});
const { tables, functions, schemaFingerprint, schema, pgError, undoThrough } = db;

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
