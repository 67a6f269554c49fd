import { DataSource } from 'typeorm';
import { loadConfig } from '@sne/core';
import { ClosableWorkPublisher } from '@sne/messaging';
import { DeliverySweeper } from '../../../apps/dispatcher/src/delivery-sweeper.service';
import { FanOutService } from '../../../apps/dispatcher/src/fan-out.service';
import { createTopics } from '../../support/fixtures';
import { countingStatements, FanOutTestScene } from './fan-out-scene';

/**
 * A notice's first fan-out goes page by page of targeted agencies, against the real PostgreSQL and
 * JetStream: each page commits and queues its jobs before the next is written, paging makes exactly
 * the rows one page would, and a crash between pages leaves whole pages that the repeat completes.
 */

let scene: FanOutTestScene;
let db: DataSource;
let publisher: ClosableWorkPublisher;

beforeAll(async () => {
  scene = await FanOutTestScene.start('sne-fan-out-pages-test');
  ({ db, publisher } = scene);
  await createTopics(db, ['placement', 'placement.kinship']);
});

afterAll(() => scene?.close());

function publishedNotice(opts: Parameters<FanOutTestScene['publishedNotice']>[0]): Promise<string> {
  return scene.publishedNotice(opts);
}

describe('a first fan-out goes page by page', () => {
  const AGENCIES = 60;
  const PAGE = 14;
  /** Jobs of one delivery are full as soon as their page commits, so each page publishes its own. */
  const ONE_PER_JOB = { FAN_OUT_JOB_DELIVERIES: '1' };
  /** Every page the same size, its jobs gathered like the others' (the quick first page has a test of its own). */
  const NO_QUICK_PAGE = { FAN_OUT_FIRST_PAGE_AGENCIES: '0' };

  /**
   * AGENCIES agencies under `code`, every one of the states a page must judge per agency: an active
   * webhook plus a paused email (no fallback: another subscription carries it), a paused email alone
   * (fallback), a disabled webhook alone (fallback, always), nothing matching (critical: the mandatory email).
   */
  async function agenciesOf(code: string): Promise<void> {
    await db.query(
      `WITH g AS (
         INSERT INTO agencies (name, jurisdiction_type, jurisdiction_code, time_zone, notices_contact_email)
         SELECT $1 || ' #' || i, 'county', $1, 'America/Chicago', 'contact-' || i || '@' || lower($1) || '.test' FROM generate_series(1, $2::int) i
         RETURNING id, split_part(name, ' #', 2)::int AS i)
       INSERT INTO subscriptions (agency_id, name, topic_patterns, min_severity, channel, email_addresses, webhook_url, signing_secret, status)
       SELECT g.id, $1 || '-' || g.i || '-' || k, ARRAY['placement.>'], 'low', k, CASE WHEN k = 'email' THEN ARRAY['x' || g.i || '@inbox.test'] ELSE '{}' END,
              CASE WHEN k = 'webhook' THEN 'https://hooks' || (g.i % 7) || '.test/' || g.i END,
              CASE WHEN k = 'webhook' THEN 'whsec_dGVzdC1zZWNyZXQtZm9yLWZhbi1vdXQ=' END,
              CASE WHEN g.i % 4 = 1 THEN (CASE WHEN k = 'webhook' THEN 'active' ELSE 'paused' END)
                   WHEN g.i % 4 = 2 THEN 'paused' ELSE 'disabled' END
         FROM g, unnest(CASE WHEN g.i % 4 = 1 THEN ARRAY['webhook','email'] WHEN g.i % 4 = 2 THEN ARRAY['email']
                             WHEN g.i % 4 = 3 THEN ARRAY['webhook'] ELSE ARRAY[]::text[] END) k`,
      [code, AGENCIES],
    );
  }

  /** What a fan-out made, without ids: per agency number, its subscriptions' deliveries, fallbacks and mandatory emails. */
  async function outcome(noticeId: string) {
    const rows: { line: string }[] = await db.query(
      `SELECT concat_ws(' ', split_part(g.name, ' #', 2), coalesce(s.channel, '-'), d.channel, d.status, d.mandatory, coalesce(d.fallback_reason, '-'),
                        a.status, (SELECT count(*) FROM audit_events e WHERE e.entity_id = d.id::text AND e.action = 'delivery.created')) AS line
         FROM deliveries d JOIN agencies g ON g.id = d.agency_id LEFT JOIN subscriptions s ON s.id = d.subscription_id
         JOIN acknowledgments a ON a.id = d.acknowledgment_id
        WHERE d.notice_id = $1 ORDER BY 1`,
      [noticeId],
    );
    const [acks] = await db.query(`SELECT count(*)::int AS n, count(DISTINCT agency_id)::int AS agencies FROM acknowledgments WHERE notice_id = $1`, [noticeId]);
    return { lines: rows.map((r) => r.line), acks };
  }

  /** A publisher that logs each batch into `log`; when told, it fails the nth one (a crash between pages) or runs something after it. */
  function loggingPublisher(log: string[], failOnCall?: number, afterCall?: { call: number; run: () => Promise<void> }) {
    let calls = 0;
    return {
      publish: (m: Parameters<typeof publisher.publish>[0]) => publisher.publish(m),
      isReady: () => publisher.isReady(),
      publishMany: async (messages: Parameters<typeof publisher.publishMany>[0]) => {
        calls += 1;
        if (calls === failOnCall) throw new Error('broker lost');
        log.push(`publish ${messages.length}`);
        await publisher.publishMany(messages);
        if (calls === afterCall?.call) await afterCall.run();
      },
    };
  }

  it('commits and queues each page before writing the next, and makes exactly what one page would', async () => {
    await agenciesOf('PAGED-ONE');
    await agenciesOf('PAGED-MANY');
    const whole = await publishedNotice({ severity: 'critical', topics: ['placement.kinship'], targets: ['PAGED-ONE'] });
    const paged = await publishedNotice({ severity: 'critical', topics: ['placement.kinship'], targets: ['PAGED-MANY'] });
    await new FanOutService(db, publisher, loadConfig({ FAN_OUT_PAGE_AGENCIES: '100000' })).noticePublished(whole);

    // The publisher logs into the same list as the statements, so the list is the order things happened in.
    const log: string[] = [];
    const service = new FanOutService(db, loggingPublisher(log) as unknown as ClosableWorkPublisher, loadConfig({ FAN_OUT_PAGE_AGENCIES: String(PAGE), ...ONE_PER_JOB }));
    const { result } = await countingStatements(db, () => service.noticePublished(paged), log);
    expect(result.acknowledgmentsCreated).toBe(AGENCIES);
    // Every page commits, then its (full) jobs are published, before the next page's transaction starts.
    const sequence = log.filter((s) => /^(START TRANSACTION|COMMIT|publish)/.test(s)).map((s) => s.split(' ')[0]);
    expect(sequence).toEqual(Array.from({ length: Math.ceil(AGENCIES / PAGE) }, () => ['START', 'COMMIT', 'publish']).flat());

    const a = await outcome(whole);
    const b = await outcome(paged);
    expect(b.acks).toEqual({ n: AGENCIES, agencies: AGENCIES });
    expect(b.lines).toEqual(a.lines);
    // Every kind of line is there: webhook, paused email held, fallbacks for paused and disabled, mandatory email.
    expect(new Set(b.lines.map((l) => l.split(' ').slice(1).join(' ')))).toEqual(
      new Set([
        'webhook webhook pending f - pending 1',
        'email email held f - pending 1',
        '- email pending f subscription_paused pending 1',
        'webhook webhook held f - pending 1',
        '- email pending f subscription_disabled pending 1',
        '- email pending t - pending 1',
      ]),
    );
  });

  it.each([
    ['pages that do not divide the agencies: the short last page ends it', PAGE, Math.ceil(AGENCIES / PAGE)],
    ['pages that divide them: one more look finds nobody left', AGENCIES / 4, 5],
    ['one page for all: a single look', AGENCIES * 2, 1],
  ])('looks for the next page only while the last one was full (%s)', async (_what, size, looks) => {
    const targets = `PAGED-LOOK-${size}`;
    await agenciesOf(targets);
    const notice = await publishedNotice({ severity: 'critical', topics: ['placement.kinship'], targets: [targets] });
    const log: string[] = [];
    const service = new FanOutService(db, loggingPublisher(log) as unknown as ClosableWorkPublisher, loadConfig({ FAN_OUT_PAGE_AGENCIES: String(size), ...NO_QUICK_PAGE }));
    const { result } = await countingStatements(db, () => service.noticePublished(notice), log);
    expect(result.acknowledgmentsCreated).toBe(AGENCIES);
    expect(log.filter((s) => s.startsWith('WITH n AS (SELECT * FROM notices WHERE id = $1) SELECT id::'))).toHaveLength(looks);
    expect(log.filter((s) => s.startsWith('START TRANSACTION'))).toHaveLength(Math.ceil(AGENCIES / size));
  });

  it('sends the quick first page at once: its jobs, full or not, go out when it commits, before the next page begins', async () => {
    await agenciesOf('PAGED-QUICK');
    const notice = await publishedNotice({ severity: 'critical', topics: ['placement.kinship'], targets: ['PAGED-QUICK'] });
    const log: string[] = [];
    const batches: string[][] = [];
    const capturing = loggingPublisher(log);
    const publishMany = capturing.publishMany;
    capturing.publishMany = async (messages) => {
      batches.push(messages.flatMap((m) => (m.payload as { deliveryIds?: string[]; deliveryId?: string }).deliveryIds ?? [(m.payload as { deliveryId: string }).deliveryId]));
      await publishMany(messages);
    };
    const FIRST = 8;
    const service = new FanOutService(db, capturing as unknown as ClosableWorkPublisher, loadConfig({ FAN_OUT_PAGE_AGENCIES: '100', FAN_OUT_FIRST_PAGE_AGENCIES: String(FIRST), FAN_OUT_JOB_DELIVERIES: '64' }));
    const { result } = await countingStatements(db, () => service.noticePublished(notice), log);
    expect(result.acknowledgmentsCreated).toBe(AGENCIES);

    // Two pages: the first of FIRST agencies, then the rest (fewer than 100) in one.
    const sequence = log.filter((s) => /^(START TRANSACTION|COMMIT|publish)/.test(s)).map((s) => s.split(' ')[0]);
    expect(sequence).toEqual(['START', 'COMMIT', 'publish', 'START', 'COMMIT', 'publish']);
    // The first batch is every pending delivery of the first FIRST agencies (in id order), though no job was full.
    const firstAgencies: { id: string }[] = await db.query(`SELECT id FROM agencies WHERE jurisdiction_code = 'PAGED-QUICK' ORDER BY id LIMIT $1`, [FIRST]);
    const firstPending: { id: string }[] = await db.query(
      `SELECT id FROM deliveries WHERE notice_id = $1 AND status = 'pending' AND agency_id = ANY($2::uuid[])`,
      [notice, firstAgencies.map((a) => a.id)],
    );
    expect(firstPending.length).toBeGreaterThan(0);
    expect(firstPending.length).toBeLessThan(64);
    expect([...batches[0]].sort()).toEqual(firstPending.map((d) => d.id).sort());
    // Every pending delivery is named once in all.
    const pending: { id: string }[] = await db.query(`SELECT id FROM deliveries WHERE notice_id = $1 AND status = 'pending'`, [notice]);
    expect(batches.flat().sort()).toEqual(pending.map((d) => d.id).sort());
  });

  it('gathers jobs across pages: a job goes out only once full or at the end, never inside a transaction, and names each pending delivery once', async () => {
    await agenciesOf('PAGED-GATHER');
    const notice = await publishedNotice({ severity: 'critical', topics: ['placement.kinship'], targets: ['PAGED-GATHER'] });
    const log: string[] = [];
    type Job = { deliveryId?: string; deliveryIds?: string[]; endpoint?: string; endpoints?: (string | null)[] };
    const batches: Job[][] = [];
    const capturing = loggingPublisher(log);
    const publishMany = capturing.publishMany;
    capturing.publishMany = async (messages) => {
      batches.push(messages.map((m) => m.payload as Job));
      await publishMany(messages);
    };
    const JOB = 3;
    const service = new FanOutService(db, capturing as unknown as ClosableWorkPublisher, loadConfig({ FAN_OUT_PAGE_AGENCIES: String(PAGE), FAN_OUT_JOB_DELIVERIES: String(JOB), ...NO_QUICK_PAGE }));
    const { result } = await countingStatements(db, () => service.noticePublished(notice), log);

    // Publishing happens only after a COMMIT and before the next START: committed rows only.
    const sequence = log.filter((s) => /^(START TRANSACTION|COMMIT|publish)/.test(s)).map((s) => s.split(' ')[0]);
    sequence.forEach((s, i) => s === 'publish' && expect(sequence.slice(0, i).filter((x) => x !== 'publish').pop()).toBe('COMMIT'));
    expect(sequence.filter((s) => s === 'START')).toHaveLength(Math.ceil(AGENCIES / PAGE));
    // Some jobs filled up before the last page, and the rest went at the end.
    expect(sequence.indexOf('publish')).toBeLessThan(sequence.lastIndexOf('START'));
    expect(sequence[sequence.length - 1]).toBe('publish');

    const payloads = batches.flat();
    const pending: { id: string; target_url: string | null }[] = await db.query(`SELECT id, target_url FROM deliveries WHERE notice_id = $1 AND status = 'pending'`, [notice]);
    const originOf = (url: string | null) => (url ? new URL(url).origin : null);
    // Every pending delivery is named once, with its own endpoint.
    const named = payloads.flatMap((p) => (p.deliveryIds ?? [p.deliveryId!]).map((d, i) => [d, p.endpoints ? p.endpoints[i] : (p.endpoint ?? null)]));
    expect(named.map(([d]) => d).sort()).toEqual(pending.map((p) => p.id).sort());
    for (const [d, endpoint] of named) expect(endpoint).toBe(originOf(pending.find((p) => p.id === d)!.target_url));
    expect(result.jobsPublished).toBe(payloads.length);
    // Before the end, only full jobs of one endpoint; at the end, what is left of every endpoint, packed.
    for (const p of batches.slice(0, -1).flat()) expect([p.endpoints, p.deliveryIds?.length]).toEqual([undefined, JOB]);
    const perEndpoint = new Map<string | null, number>();
    for (const p of pending) perEndpoint.set(originOf(p.target_url), (perEndpoint.get(originOf(p.target_url)) ?? 0) + 1);
    const full = [...perEndpoint.values()].reduce((n, k) => n + Math.floor(k / JOB), 0);
    const left = [...perEndpoint.values()].reduce((n, k) => n + (k % JOB), 0);
    expect(payloads.length).toBe(full + Math.ceil(left / JOB));
  });

  it('puts the last page out as it commits, looks up each next page before writing the current one, and refreshes statistics after', async () => {
    await agenciesOf('PAGED-PATH');
    const notice = await publishedNotice({ severity: 'critical', topics: ['placement.kinship'], targets: ['PAGED-PATH'] });
    const log: string[] = [];
    // Jobs of 64 never fill here: every job waits for the last page.
    const service = new FanOutService(db, loggingPublisher(log) as unknown as ClosableWorkPublisher, loadConfig({ FAN_OUT_PAGE_AGENCIES: String(PAGE), ...NO_QUICK_PAGE }));
    const { result } = await countingStatements(db, () => service.noticePublished(notice), log);
    expect(result.acknowledgmentsCreated).toBe(AGENCIES);
    const kinds: [RegExp, string][] = [
      [/^START TRANSACTION/, 'START'],
      [/^COMMIT/, 'COMMIT'],
      [/^publish/, 'publish'],
      [/^SELECT sne_refresh_statistics/, 'refresh'],
      [/^WITH n AS \(SELECT \* FROM notices WHERE id = \$1\) SELECT id::/, 'look'],
    ];
    const sequence = log.map((s) => kinds.find(([re]) => re.test(s))?.[1]).filter((k): k is string => !!k);
    const pages = Math.ceil(AGENCIES / PAGE);
    // The first page's look, then each page's START preceded by the look for the page after it (the last page has none after it).
    const starts = sequence.flatMap((k, i) => (k === 'START' ? [i] : []));
    expect(starts).toHaveLength(pages);
    starts.forEach((at, page) => expect(sequence.slice(0, at).filter((k) => k === 'look')).toHaveLength(Math.min(page + 2, pages)));
    // The last page's jobs go out straight after its COMMIT, before anything else is asked of the database.
    const lastCommit = sequence.lastIndexOf('COMMIT');
    expect(sequence[lastCommit + 1]).toBe('publish');
    expect(sequence.filter((k) => k === 'publish')).toHaveLength(1);
    // Statistics are refreshed after each page's commit (one refresh per page).
    expect(sequence.filter((k) => k === 'refresh')).toHaveLength(pages);
    starts.forEach((at) => expect(sequence.slice(0, at).filter((k) => k === 'refresh')).toHaveLength(sequence.slice(0, at).filter((k) => k === 'COMMIT').length));
  });

  it('a crash between pages leaves whole pages, and the redelivered event finishes the rest once', async () => {
    await agenciesOf('PAGED-CRASH');
    await agenciesOf('PAGED-TWIN');
    const twin = await publishedNotice({ severity: 'critical', topics: ['placement.kinship'], targets: ['PAGED-TWIN'] });
    const notice = await publishedNotice({ severity: 'critical', topics: ['placement.kinship'], targets: ['PAGED-CRASH'] });
    await new FanOutService(db, publisher, loadConfig({ FAN_OUT_PAGE_AGENCIES: String(PAGE) })).noticePublished(twin);

    const log: string[] = [];
    const crashing = new FanOutService(db, loggingPublisher(log, 2) as unknown as ClosableWorkPublisher, loadConfig({ FAN_OUT_PAGE_AGENCIES: String(PAGE), ...ONE_PER_JOB }));
    await expect(crashing.noticePublished(notice)).rejects.toThrow('broker lost');
    // Two pages committed (the second's jobs were lost with the broker), nothing of the third.
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM acknowledgments WHERE notice_id = $1`, [notice]);
    expect(n).toBe(2 * PAGE);
    const [{ fanned }] = await db.query(`SELECT fanned_out_at IS NOT NULL AS fanned FROM notices WHERE id = $1`, [notice]);
    expect(fanned).toBe(false);

    const again = await new FanOutService(db, publisher, loadConfig({ FAN_OUT_PAGE_AGENCIES: String(PAGE) })).noticePublished(notice);
    expect(again.acknowledgmentsCreated).toBe(AGENCIES - 2 * PAGE);
    expect((await outcome(notice)).lines).toEqual((await outcome(twin)).lines);
    // The repeat queues every pending delivery of the notice, so the lost page's jobs go out too.
    const [{ pending }] = await db.query(`SELECT count(*)::int AS pending FROM deliveries WHERE notice_id = $1 AND status = 'pending'`, [notice]);
    expect(again.deliveriesQueued).toBe(pending);
  });

  it('a notice cancelled between pages reaches nobody more: the pages already written are the ones its cancellation tells', async () => {
    await agenciesOf('PAGED-CANCEL');
    const notice = await publishedNotice({ severity: 'critical', topics: ['placement.kinship'], targets: ['PAGED-CANCEL'] });
    // What the api's cancellation does to the notice row, once the first page is out.
    const cancel = async () => {
      await db.query(`UPDATE notices SET status = 'cancelled', cancelled_at = now(), cancel_reason = 'withdrawn' WHERE id = $1`, [notice]);
    };
    const service = new FanOutService(
      db,
      loggingPublisher([], undefined, { call: 1, run: cancel }) as unknown as ClosableWorkPublisher,
      loadConfig({ FAN_OUT_PAGE_AGENCIES: String(PAGE), ...ONE_PER_JOB }),
    );
    const result = await service.noticePublished(notice);
    expect(result.acknowledgmentsCreated).toBe(PAGE);
    const [row] = await db.query(
      `SELECT (SELECT count(*)::int FROM acknowledgments WHERE notice_id = $1) AS acks, fanned_out_at IS NOT NULL AS fanned FROM notices WHERE id = $1`,
      [notice],
    );
    expect(row).toEqual({ acks: PAGE, fanned: true });
    // A repeat of the event (the sweeper's, say) adds nobody either.
    expect((await service.noticePublished(notice)).acknowledgmentsCreated).toBe(0);
  });

  it('the sweeper asks again for a fan-out left unfinished, but not while it is still writing pages', async () => {
    const notice = await publishedNotice({ severity: 'high', topics: ['placement.kinship'], targets: ['NOBODY'] });
    // Published a minute ago and never finished: its event was lost, or it is a large fan-out still going.
    await db.query(`UPDATE notices SET published_at = now() - interval '1 minute', fan_out_page_at = now() WHERE id = $1`, [notice]);
    const published: string[] = [];
    const watching = {
      publish: (m: Parameters<typeof publisher.publish>[0]) => publisher.publish(m),
      isReady: () => publisher.isReady(),
      publishMany: async (messages: Parameters<typeof publisher.publishMany>[0]) => {
        published.push(...messages.map((m) => JSON.stringify(m.payload)));
        await publisher.publishMany(messages);
      },
    };
    const sweeper = new DeliverySweeper(db, watching as unknown as ClosableWorkPublisher, loadConfig({}));
    const redone = () => published.filter((p) => p.includes(notice) && p.includes('notice.published'));
    await sweeper.sweep();
    expect(redone()).toEqual([]); // a page was written just now: it is alive
    await db.query(`UPDATE notices SET fan_out_page_at = now() - interval '1 minute' WHERE id = $1`, [notice]);
    await sweeper.sweep();
    expect(redone()).toHaveLength(1); // no page for a minute: asked again
  });
});
