import { JetStreamManager } from 'nats';
import { DataSource } from 'typeorm';
import { JurisdictionType, loadConfig } from '@sne/core';
import { ClosableWorkPublisher, endpointOf, MAX_DELIVERIES_PER_JOB, Subjects, workSubject } from '@sne/messaging';
import { FanOutService } from '../../../apps/dispatcher/src/fan-out.service';
import { ReminderScheduler } from '../../../apps/dispatcher/src/reminder-scheduler.service';
import { createAgency, createTopics } from '../../support/fixtures';
import { countingStatements, FanOutTestScene } from './fan-out-scene';

/**
 * Fan-out of a published notice against the real PostgreSQL and the real JetStream: who gets a
 * delivery and an acknowledgment, the mandatory email of critical notices, idempotence (rows and
 * jobs), a constant number of SQL statements whatever the number of subscriptions, and the audit trail.
 * The fan-out's pages have their own file (fan-out-pages.test.ts).
 */

let scene: FanOutTestScene;
let db: DataSource;
let publisher: ClosableWorkPublisher;
let fanOut: FanOutService;
let jsm: JetStreamManager;
let stream: string;
let prefix: string;
let authorId: string;
let approverId: string;
let issuerId: string;

interface SubscriptionSpec {
  name: string;
  patterns: string[];
  minSeverity: 'critical' | 'high' | 'moderate' | 'low';
  channel?: 'email' | 'webhook';
  status?: 'active' | 'paused' | 'disabled';
}

async function agency(name: string, type: JurisdictionType, code: string) {
  return createAgency(db, { name, type, code, roles: [] });
}

/** Inserts a subscription; returns its id. Names are unique within this file. */
async function subscribe(agencyId: string, s: SubscriptionSpec): Promise<string> {
  const channel = s.channel ?? 'email';
  const [{ id }] = await db.query(
    `INSERT INTO subscriptions (agency_id, name, topic_patterns, min_severity, channel, email_addresses, webhook_url, signing_secret, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      agencyId,
      s.name,
      s.patterns,
      s.minSeverity,
      channel,
      channel === 'email' ? [`${s.name}@inbox.test`] : [],
      channel === 'webhook' ? `https://hooks.test/${s.name}` : null,
      channel === 'webhook' ? 'whsec_dGVzdC1zZWNyZXQtZm9yLWZhbi1vdXQ=' : null,
      s.status ?? 'active',
    ],
  );
  return id;
}

function publishedNotice(opts: Parameters<FanOutTestScene['publishedNotice']>[0]): Promise<string> {
  return scene.publishedNotice(opts);
}

interface DeliveryRow {
  id: string;
  subscription: string | null;
  agency_id: string;
  acknowledgment_id: string;
  ack_agency_id: string;
  channel: string;
  mandatory: boolean;
  recipients: string[];
  target_url: string | null;
  status: string;
  attempt_count: number;
  fallback: boolean;
  fallback_reason: string | null;
}

async function deliveriesOf(noticeId: string): Promise<DeliveryRow[]> {
  return db.query(
    `SELECT d.id, s.name AS subscription, d.agency_id, d.acknowledgment_id, a.agency_id AS ack_agency_id, d.channel, d.mandatory,
            d.recipients, d.target_url, d.status, d.attempt_count, d.fallback, d.fallback_reason
       FROM deliveries d LEFT JOIN subscriptions s ON s.id = d.subscription_id LEFT JOIN acknowledgments a ON a.id = d.acknowledgment_id
      WHERE d.notice_id = $1 AND d.event_type = 'notice.published'
      ORDER BY s.name NULLS LAST, d.agency_id`,
    [noticeId],
  );
}

async function acknowledgedAgencies(noticeId: string): Promise<string[]> {
  const rows: { agency_id: string }[] = await db.query(
    `SELECT agency_id FROM acknowledgments WHERE notice_id = $1 AND status = 'pending' ORDER BY agency_id`,
    [noticeId],
  );
  return rows.map((r) => r.agency_id);
}

async function rowCounts() {
  const [row] = await db.query(
    `SELECT (SELECT count(*)::int FROM deliveries) AS deliveries, (SELECT count(*)::int FROM acknowledgments) AS acknowledgments,
            (SELECT count(*)::int FROM audit_events) AS audit_events`,
  );
  return row as { deliveries: number; acknowledgments: number; audit_events: number };
}

beforeAll(async () => {
  scene = await FanOutTestScene.start('sne-fan-out-test');
  ({ db, publisher, jsm, stream, prefix } = scene);
  ({ id: issuerId, authorId, approverId } = scene.issuer);
  fanOut = new FanOutService(db, publisher, loadConfig({}));
  await createTopics(db, ['substance-exposure', 'substance-exposure.fentanyl', 'missing-child', 'placement', 'placement.kinship']);
});

afterAll(() => scene?.close());

describe('one scenario, two notices', () => {
  // Targeted: COOK, LAKE and WILL by code, every tribal agency by type. DANE and the issuer are not targeted.
  const TARGETS = ['US-IL-COOK', 'US-IL-LAKE', 'US-IL-WILL', 'tribal'];
  const a: Record<string, string> = {};
  const contact: Record<string, string> = {};
  let moderate: string;
  let critical: string;
  const acknowledgeBy = new Date(Date.now() + 6 * 3600_000);
  const firstRun: Record<string, unknown> = {};
  let afterFirstRuns: Awaited<ReturnType<typeof rowCounts>>;

  beforeAll(async () => {
    for (const [key, name, type, code] of [
      ['cook', 'Cook County', 'county', 'US-IL-COOK'],
      ['nation', 'First Nation', 'tribal', 'TN-1'],
      ['dane', 'Dane County', 'county', 'US-WI-DANE'],
      ['lake', 'Lake County', 'county', 'US-IL-LAKE'],
      ['band', 'River Band', 'tribal', 'TN-2'],
      ['will', 'Will County', 'county', 'US-IL-WILL'],
    ] as const) {
      const created = await agency(name, type, code);
      a[key] = created.id;
      contact[key] = created.contact;
    }
    // Cook: two matching subscriptions (one agency, one acknowledgment, two deliveries) and four that must not match.
    await subscribe(a.cook, { name: 'cook-email-star', patterns: ['substance-exposure.*'], minSeverity: 'low' });
    await subscribe(a.cook, { name: 'cook-hook-all', patterns: ['substance-exposure.>'], minSeverity: 'moderate', channel: 'webhook' });
    await subscribe(a.cook, { name: 'cook-other-topic', patterns: ['missing-child.>'], minSeverity: 'low' });
    await subscribe(a.cook, { name: 'cook-paused', patterns: ['substance-exposure.*'], minSeverity: 'low', status: 'paused' });
    await subscribe(a.cook, { name: 'cook-disabled', patterns: ['>'], minSeverity: 'low', status: 'disabled', channel: 'webhook' });
    await subscribe(a.cook, { name: 'cook-high-only', patterns: ['substance-exposure.*'], minSeverity: 'high' });
    // First Nation, targeted by type.
    await subscribe(a.nation, { name: 'nation-everything', patterns: ['>'], minSeverity: 'low', channel: 'webhook' });
    await subscribe(a.nation, { name: 'nation-parent-only', patterns: ['substance-exposure'], minSeverity: 'low' });
    // Dane: would match, but is not targeted.
    await subscribe(a.dane, { name: 'dane-email', patterns: ['substance-exposure.*'], minSeverity: 'low' });
    // Lake: targeted, but nothing active matches.
    await subscribe(a.lake, { name: 'lake-paused', patterns: ['substance-exposure.fentanyl'], minSeverity: 'low', status: 'paused' });
    await subscribe(a.lake, { name: 'lake-other-topic', patterns: ['missing-child'], minSeverity: 'low' });
    // River Band (tribal): only high and above.
    await subscribe(a.band, { name: 'band-high', patterns: ['substance-exposure.fentanyl'], minSeverity: 'high' });
    // Will: matches through the notice's second topic only.
    await subscribe(a.will, { name: 'will-placement', patterns: ['placement.*'], minSeverity: 'low' });

    moderate = await publishedNotice({ severity: 'moderate', topics: ['substance-exposure.fentanyl', 'placement.kinship'], targets: TARGETS });
    critical = await publishedNotice({ severity: 'critical', topics: ['substance-exposure.fentanyl'], targets: TARGETS, acknowledgeBy });
  });

  it('moderate notice: a delivery for every matching subscription of targeted agencies (held when paused or disabled), one acknowledgment per agency', async () => {
    const result = await fanOut.noticePublished(moderate);
    firstRun.moderate = result;
    // 7 subscription deliveries (3 held) and 2 fallback emails: Cook's disabled subscription, and Lake, whose only match is paused.
    // The 6 queued go in 1 job: neither the emails nor the webhooks to the one receiver fill a job, so they are packed together.
    expect(result).toEqual({ acknowledgmentsCreated: 4, deliveriesCreated: 9, deliveriesQueued: 6, jobsPublished: 1 });

    const deliveries = await deliveriesOf(moderate);
    expect(deliveries.filter((d) => d.subscription).map((d) => [d.subscription, d.status])).toEqual([
      ['cook-disabled', 'held'],
      ['cook-email-star', 'pending'],
      ['cook-hook-all', 'pending'],
      ['cook-paused', 'held'],
      ['lake-paused', 'held'],
      ['nation-everything', 'pending'],
      ['will-placement', 'pending'],
    ]);
    const fallbacks = deliveries.filter((d) => !d.subscription);
    expect(fallbacks.map((d) => [d.agency_id, d.fallback, d.fallback_reason, d.recipients, d.status]).sort()).toEqual(
      [
        [a.cook, true, 'subscription_disabled', [contact.cook], 'pending'],
        [a.lake, true, 'subscription_paused', [contact.lake], 'pending'],
      ].sort(),
    );
    expect(deliveries.every((d) => !d.mandatory && d.attempt_count === 0)).toBe(true);
    // Each delivery hangs off its agency's acknowledgment.
    for (const d of deliveries) expect(d.ack_agency_id).toBe(d.agency_id);
    const byName = new Map(deliveries.map((d) => [d.subscription, d]));
    expect(byName.get('cook-email-star')).toMatchObject({ agency_id: a.cook, channel: 'email', recipients: ['cook-email-star@inbox.test'], target_url: null });
    expect(byName.get('cook-hook-all')).toMatchObject({ agency_id: a.cook, channel: 'webhook', recipients: [], target_url: 'https://hooks.test/cook-hook-all' });
    expect(byName.get('nation-everything')).toMatchObject({ agency_id: a.nation, channel: 'webhook' });
    expect(byName.get('will-placement')).toMatchObject({ agency_id: a.will, channel: 'email' });
    // Cook has two deliveries and one acknowledgment.
    expect(byName.get('cook-email-star')!.acknowledgment_id).toBe(byName.get('cook-hook-all')!.acknowledgment_id);

    expect(await acknowledgedAgencies(moderate)).toEqual([a.cook, a.nation, a.lake, a.will].sort());
    // Without acknowledge_by, the due date is the severity's default window (moderate: 7 days), computed
    // from published_at as read into a JS Date (millisecond precision, so compare at milliseconds).
    const due = await db.query(
      `SELECT bool_and(date_trunc('milliseconds', a.due_at) = date_trunc('milliseconds', n.published_at) + interval '168 hours') AS ok
         FROM acknowledgments a JOIN notices n ON n.id = a.notice_id WHERE n.id = $1`,
      [moderate],
    );
    expect(due).toEqual([{ ok: true }]);
  });

  it('critical notice: every targeted agency is reached; one with no matching active subscription by email all the same', async () => {
    const result = await fanOut.noticePublished(critical);
    firstRun.critical = result;
    // Cook (5 subscriptions now: critical passes the 'high' threshold; 2 held), Nation, Band and Lake (held) by subscription;
    // fallback emails for Cook (disabled) and Lake (paused, nothing else); Will by mandatory email.
    expect(result).toEqual({ acknowledgmentsCreated: 5, deliveriesCreated: 11, deliveriesQueued: 8, jobsPublished: 1 });

    const deliveries = await deliveriesOf(critical);
    expect(deliveries.filter((d) => d.subscription).map((d) => [d.subscription, d.status])).toEqual([
      ['band-high', 'pending'],
      ['cook-disabled', 'held'],
      ['cook-email-star', 'pending'],
      ['cook-high-only', 'pending'],
      ['cook-hook-all', 'pending'],
      ['cook-paused', 'held'],
      ['lake-paused', 'held'],
      ['nation-everything', 'pending'],
    ]);
    const byEmail = deliveries.filter((d) => !d.subscription);
    expect(byEmail.map((d) => [d.agency_id, d.mandatory, d.fallback]).sort()).toEqual(
      [
        [a.cook, false, true],
        [a.lake, false, true],
        [a.will, true, false],
      ].sort(),
    );
    for (const d of byEmail) {
      const key = d.agency_id === a.lake ? 'lake' : d.agency_id === a.cook ? 'cook' : 'will';
      expect(d).toMatchObject({ subscription: null, channel: 'email', recipients: [contact[key]], target_url: null, status: 'pending' });
      expect(d.ack_agency_id).toBe(d.agency_id);
    }
    // No one outside the targeting: not Dane (matching subscription, not targeted), not the issuer.
    expect(deliveries.some((d) => d.agency_id === a.dane || d.agency_id === issuerId)).toBe(false);
    expect(await acknowledgedAgencies(critical)).toEqual([a.cook, a.nation, a.lake, a.band, a.will].sort());
    // An explicit acknowledge_by is the due date.
    const dues: { due_at: Date }[] = await db.query(`SELECT due_at FROM acknowledgments WHERE notice_id = $1`, [critical]);
    expect(dues.every((r) => r.due_at.getTime() === acknowledgeBy.getTime())).toBe(true);
  });

  it('a second fan-out creates nothing, and the re-published jobs are de-duplicated by the stream', async () => {
    afterFirstRuns = await rowCounts();
    const again = {
      moderate: await fanOut.noticePublished(moderate),
      critical: await fanOut.noticePublished(critical),
    };
    // The jobs of still-pending deliveries are published again (a redelivered notice event must not lose them) ...
    expect(again).toEqual({
      moderate: { acknowledgmentsCreated: 0, deliveriesCreated: 0, deliveriesQueued: 6, jobsPublished: 1 },
      critical: { acknowledgmentsCreated: 0, deliveriesCreated: 0, deliveriesQueued: 8, jobsPublished: 1 },
    });
    expect(await rowCounts()).toEqual(afterFirstRuns);
    expect(firstRun).toEqual({
      moderate: { acknowledgmentsCreated: 4, deliveriesCreated: 9, deliveriesQueued: 6, jobsPublished: 1 },
      critical: { acknowledgmentsCreated: 5, deliveriesCreated: 11, deliveriesQueued: 8, jobsPublished: 1 },
    });

    // ... but with the same msgIds, so the stream holds each job once, and every queued delivery is in exactly one job.
    // Held deliveries get no job: they go when their subscription is resumed.
    const deliveries: { id: string; attempt_count: number; target_url: string | null }[] = await db.query(
      `SELECT id, attempt_count, target_url FROM deliveries WHERE notice_id = ANY($1::uuid[]) AND status <> 'held'`,
      [[moderate, critical]],
    );
    expect(deliveries).toHaveLength(14);
    const info = await jsm.streams.info(stream);
    expect(info.state.messages).toBe(2);
    const named: string[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const m = await jsm.streams.getMessage(stream, { seq });
      const job: { deliveryIds?: string[]; deliveryId?: string; endpoint?: string; endpoints?: (string | null)[] } = m.json();
      expect(m.subject).toBe(workSubject(prefix, Subjects.deliveryJobs));
      const ids = job.deliveryIds ?? [job.deliveryId!];
      expect(m.header?.get('Nats-Msg-Id')).toMatch(ids.length === 1 ? `delivery:${ids[0]}:0` : `deliveries:${ids[0]}:${ids[ids.length - 1]}:${ids.length}:0`);
      // Every delivery a job names goes to the endpoint the job gives it: the job's own, or its entry in endpoints (email: none).
      ids.forEach((id, i) => expect(endpointOf(deliveries.find((d) => d.id === id)!.target_url) ?? null).toBe(job.endpoints ? job.endpoints[i] : (job.endpoint ?? null)));
      named.push(...ids);
    }
    expect(named.sort()).toEqual(deliveries.map((d) => d.id).sort());
  });

  it('writes one audit event per created delivery and acknowledgment (and none on the repeat)', async () => {
    const deliveries: { id: string; agency_id: string; channel: string; subscription_id: string | null; status: string; fallback_reason: string | null }[] =
      await db.query(`SELECT id, agency_id, channel, subscription_id, status, fallback_reason FROM deliveries WHERE notice_id = ANY($1::uuid[])`, [
        [moderate, critical],
      ]);
    const acks: { id: string; agency_id: string; notice_id: string }[] = await db.query(
      `SELECT id, agency_id, notice_id FROM acknowledgments WHERE notice_id = ANY($1::uuid[])`,
      [[moderate, critical]],
    );
    expect(deliveries).toHaveLength(20);
    expect(acks).toHaveLength(9);
    const events: { action: string; entity_type: string; entity_id: string; agency_id: string; actor_type: string; after: any }[] =
      await db.query(
        `SELECT action, entity_type, entity_id, agency_id, actor_type, after FROM audit_events
          WHERE entity_type IN ('delivery', 'acknowledgment')`,
      );
    const deliveryEvents = events.filter((e) => e.entity_type === 'delivery');
    const ackEvents = events.filter((e) => e.entity_type === 'acknowledgment');
    expect(deliveryEvents.map((e) => e.entity_id).sort()).toEqual(deliveries.map((d) => d.id).sort());
    expect(ackEvents.map((e) => e.entity_id).sort()).toEqual(acks.map((x) => x.id).sort());
    for (const d of deliveries) {
      expect(deliveryEvents.find((e) => e.entity_id === d.id)).toMatchObject({
        action: 'delivery.created',
        actor_type: 'system',
        agency_id: d.agency_id,
        after: d.fallback_reason
          ? { status: 'pending', fallback: true, reason: d.fallback_reason }
          : { status: d.status, channel: d.channel, subscriptionId: d.subscription_id },
      });
    }
    for (const x of acks) {
      expect(ackEvents.find((e) => e.entity_id === x.id)).toMatchObject({
        action: 'acknowledgment.opened',
        actor_type: 'system',
        agency_id: x.agency_id,
        after: { status: 'pending', noticeId: x.notice_id },
      });
    }
  });

  it('refuses a notice that is not published, creating nothing', async () => {
    const [{ id: draft }] = await db.query(
      `INSERT INTO notices (issuing_agency_id, author_id, status, content_hash, title, summary, body_markdown, body_html, category, severity, topics)
       VALUES ($1, $2, 'in_review', 'h', 'T', 'S', 'B', '<p>B</p>', 'alert', 'critical', ARRAY['substance-exposure.fentanyl']) RETURNING id`,
      [issuerId, authorId],
    );
    const before = await rowCounts();
    await expect(fanOut.noticePublished(draft)).rejects.toMatchObject({ name: 'PermanentFailure' });
    expect(await rowCounts()).toEqual(before);
  });
});

it('an offboarded agency is sent nothing, not even a critical notice, and gets no reminder for what it had', async () => {
  const gone = await agency('Offboarded County', 'county', 'OFFBOARDED');
  const still = await agency('Member County', 'county', 'OFFBOARDED');
  for (const g of [gone, still]) await subscribe(g.id, { name: `offboard-${g.id.slice(0, 6)}`, patterns: ['>'], minSeverity: 'low', channel: 'webhook' });
  const before = await publishedNotice({ severity: 'high', topics: ['missing-child'], targets: ['OFFBOARDED'] });
  await fanOut.noticePublished(before);
  await db.query(`UPDATE acknowledgments SET next_reminder_at = now() - interval '1 minute' WHERE notice_id = $1`, [before]);
  await db.query(`UPDATE agencies SET offboarded_at = now(), offboard_reason = 'left the partnership', offboarded_by = $2 WHERE id = $1`, [gone.id, approverId]);

  const critical = await publishedNotice({ severity: 'critical', topics: ['missing-child'], targets: ['OFFBOARDED'] });
  await fanOut.noticePublished(critical);
  const rows = await db.query(`SELECT agency_id FROM deliveries WHERE notice_id = $1 UNION SELECT agency_id FROM acknowledgments WHERE notice_id = $1`, [critical]);
  expect(rows.map((r: { agency_id: string }) => r.agency_id)).toEqual([still.id]);

  const scheduler = new ReminderScheduler(db, publisher, loadConfig({}), { now: () => new Date() });
  await scheduler.tick(new Date());
  const reminded = await db.query(`SELECT DISTINCT agency_id FROM deliveries WHERE notice_id = $1 AND event_type = 'notice.reminder'`, [before]);
  expect(reminded.map((r: { agency_id: string }) => r.agency_id)).toEqual([still.id]);
});

it('a pattern does not match a topic that merely shares characters across a "." (e.g. substance.* vs substance-exposure)', async () => {
  const county = await agency('Near Miss County', 'county', 'NEAR-MISS');
  await subscribe(county.id, { name: 'near-miss-dot', patterns: ['substance.*'], minSeverity: 'low' });
  await subscribe(county.id, { name: 'near-miss-gt', patterns: ['substance.>'], minSeverity: 'low' });
  await subscribe(county.id, { name: 'near-miss-exact', patterns: ['substance-exposure'], minSeverity: 'low' });
  const notice = await publishedNotice({ severity: 'high', topics: ['substance-exposure'], targets: ['NEAR-MISS'] });
  await fanOut.noticePublished(notice);
  expect((await deliveriesOf(notice)).map((d) => d.subscription)).toEqual(['near-miss-exact']);
});

it('fans out 10 or 2,000 subscriptions in the same, constant number of SQL statements', async () => {
  async function scenario(code: string, agencies: number, perAgency: number) {
    await db.query(
      `WITH g AS (
         INSERT INTO agencies (name, jurisdiction_type, jurisdiction_code, time_zone, notices_contact_email)
         SELECT $1 || '-' || i, 'county', $1, 'America/Chicago', 'contact-' || i || '@' || lower($1) || '.test' FROM generate_series(1, $2::int) i
         RETURNING id)
       INSERT INTO subscriptions (agency_id, name, topic_patterns, min_severity, channel, email_addresses)
       SELECT g.id, 'bulk-' || j, ARRAY['substance-exposure.>'], 'low', 'email', ARRAY['bulk-' || j || '@inbox.test']
         FROM g, generate_series(1, $3::int) j`,
      [code, agencies, perAgency],
    );
    const notice = await publishedNotice({ severity: 'high', topics: ['substance-exposure.fentanyl'], targets: [code] });
    return countingStatements(db, () => onePage.noticePublished(notice));
  }
  const onePage = new FanOutService(db, publisher, loadConfig({ FAN_OUT_FIRST_PAGE_AGENCIES: '0' })); // one page for either: the count is per page

  const small = await scenario('SCALE-SMALL', 5, 2);
  const large = await scenario('SCALE-LARGE', 200, 10);

  // Email deliveries have no endpoint: they go in jobs of up to MAX_DELIVERIES_PER_JOB.
  expect(small.result).toEqual({ acknowledgmentsCreated: 5, deliveriesCreated: 10, deliveriesQueued: 10, jobsPublished: 1 });
  expect(large.result).toEqual({ acknowledgmentsCreated: 200, deliveriesCreated: 2000, deliveriesQueued: 2000, jobsPublished: Math.ceil(2000 / MAX_DELIVERIES_PER_JOB) });
  expect(small.statements.length).toBeGreaterThan(0);
  expect(large.statements).toEqual(small.statements);
  // Set-based: a handful of statements, not one per row.
  expect(large.statements.length).toBeLessThanOrEqual(10);
});
