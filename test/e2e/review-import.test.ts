/**
 * Bulk import of historical reviews from CSV (issue 11), on the real stack: a good file becomes
 * approved, imported reviews with their ratings, findings, recommendations and audit events; bad
 * rows are named by line and external id with every reason and nothing is written (all or nothing);
 * importing again creates nothing; a changed row is a conflict; a dry run writes nothing; two
 * imports of one file at once create each review once; hostile files are refused in plain words;
 * 413 and 415; another agency's import never meets this agency's reviews. And 2,000 rows, timed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { insertReviewRecords } from '@sne/core';
import { readRow } from '../../apps/api/src/review-import/import-format';
import { apiClient, createAgency, TestAgency } from '../support/fixtures';
import { Cells, goodRow, reviewCsv } from '../support/review-csv';
import { startStack, Stack } from '../support/stack';

const SAMPLE = readFileSync(join(__dirname, '../fixtures/reviews/sample-import.csv'));

describe('importing historical reviews from CSV', () => {
  let stack: Stack;
  let call: ReturnType<typeof apiClient>;
  let A: TestAgency, B: TestAgency;

  async function send(key: string, body: string | Buffer, opts: { dryRun?: boolean; type?: string } = {}) {
    const res = await fetch(`${stack.url}/api/v1/reviews/import${opts.dryRun ? '?dryRun=true' : ''}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': opts.type ?? 'text/csv' },
      body,
    });
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, body: json, text };
  }

  /** Everything an import writes, for "nothing changed". */
  async function counts(agencyId: string) {
    const [r] = await stack.db.query(
      `SELECT (SELECT count(*)::int FROM incident_reviews WHERE agency_id = $1) AS reviews,
              (SELECT count(*)::int FROM critical_incidents WHERE agency_id = $1) AS incidents,
              (SELECT count(*)::int FROM review_recommendations rr JOIN incident_reviews r ON r.id = rr.review_id WHERE r.agency_id = $1) AS recs,
              (SELECT count(*)::int FROM audit_events WHERE agency_id = $1 AND entity_type IN ('review', 'review_import')) AS events`,
      [agencyId],
    );
    return r;
  }

  const row = (res: { body: any }, line: number) => res.body.rows.find((r: any) => r.line === line);
  const reasons = (r: any) => r.problems.map((p: any) => `${p.field}: ${p.message}`);

  beforeAll(async () => {
    stack = await startStack();
    call = apiClient(stack.url);
    A = await createAgency(stack.db, { name: 'Importing county', type: 'county', roles: ['review_lead', 'reviewer'] });
    B = await createAgency(stack.db, { name: 'Other county', type: 'county', roles: ['review_lead'] });
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('imports a good file (BOM, CRLF, a quoted field with a line break) as approved historical reviews, audited', async () => {
    const res = await send(A.keys.review_lead!, SAMPLE);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'imported', dryRun: false, counts: { rows: 5, created: 5, alreadyImported: 0, conflicts: 0, invalid: 0 } });
    expect(res.body.rows.map((r: any) => [r.line, r.externalId, r.status])).toEqual([
      [2, 'CIR-2021-003', 'created'],
      [4, 'CIR-2021-011', 'created'], // line 2's summary runs over two lines
      [5, 'CIR-2022-001', 'created'],
      [6, 'CIR-2022-007', 'created'],
      [7, 'CIR-2023-002', 'created'],
    ]);
    const reviews = await stack.db.query(
      `SELECT r.id, r.external_id, r.status, r.imported, r.version, r.approved_version, r.instrument_version, r.summary, r.approved_by, r.lead_id,
              (SELECT count(*)::int FROM review_ratings t WHERE t.review_id = r.id AND t.version = 1) AS ratings,
              (SELECT count(*)::int FROM review_findings f WHERE f.review_id = r.id) AS findings,
              (SELECT count(*)::int FROM review_recommendations c WHERE c.review_id = r.id) AS recs,
              (SELECT event FROM review_versions v WHERE v.review_id = r.id) AS snapshot
         FROM incident_reviews r WHERE r.agency_id = $1 ORDER BY r.external_id`,
      [A.id],
    );
    expect(reviews.map((r: any) => [r.external_id, r.status, r.imported, r.version, r.approved_version, r.instrument_version, r.ratings, r.findings, r.recs, r.snapshot])).toEqual([
      ['CIR-2021-003', 'approved', true, 1, 1, '2', 31, 2, 1, 'imported'],
      ['CIR-2021-011', 'approved', true, 1, 1, '1', 30, 2, 1, 'imported'],
      ['CIR-2022-001', 'approved', true, 1, 1, '2', 31, 2, 2, 'imported'],
      ['CIR-2022-007', 'approved', true, 1, 1, '2', 31, 2, 1, 'imported'],
      ['CIR-2023-002', 'approved', true, 1, 1, '1', 30, 3, 1, 'imported'],
    ]);
    expect(reviews[0].summary).toBe('A review with a summary\nthat runs over two lines, and a "quoted" word.');
    const [rec] = await stack.db.query(
      `SELECT c.status, c.status_reason, c.finding_position, c.owner FROM review_recommendations c JOIN incident_reviews r ON r.id = c.review_id WHERE r.external_id = 'CIR-2022-001' AND c.position = 2`,
    );
    expect(rec).toEqual({ status: 'not_adopted', status_reason: 'Covered by the state practice model revision.', finding_position: 2, owner: 'partnership' });
    const events = await stack.db.query(`SELECT action, entity_id, after FROM audit_events WHERE agency_id = $1 AND entity_type IN ('review', 'review_import') ORDER BY id`, [A.id]);
    expect(events.filter((e: any) => e.action === 'review.imported').map((e: any) => e.entity_id).sort()).toEqual(reviews.map((r: any) => r.id).sort());
    const done = events.filter((e: any) => e.action === 'review_import.completed');
    expect(done).toHaveLength(1);
    expect(done[0].entity_id).toBe(res.body.importId);
    expect(done[0].after).toMatchObject({ rows: 5, created: 5, alreadyImported: 0, conflicts: 0, invalid: 0, sha256: res.body.sha256 });
  });

  it('is idempotent: the same file again creates nothing and reports every row as already imported', async () => {
    const before = await counts(A.id);
    const res = await send(A.keys.review_lead!, SAMPLE);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'imported', counts: { rows: 5, created: 0, alreadyImported: 5 } });
    expect(res.body.rows.every((r: any) => r.status === 'already_imported' && /^R-\d{4}-\d{4}$/.test(r.reference))).toBe(true);
    const after = await counts(A.id);
    expect({ ...after, events: after.events - 1 }).toEqual(before); // the one review_import.completed event
  });

  it('reports a row whose external id exists with different content as a conflict, and writes nothing', async () => {
    const before = await counts(A.id);
    const text = SAMPLE.toString('utf8').replace('Covered by the state practice model revision.', 'Covered by another plan.');
    const file = text.replace(/\r\n$/, '') + '\r\n' + reviewCsv([goodRow(77)], { columns: text.split('\r\n')[0].replace('\ufeff', '').split(',') }).split('\r\n')[1] + '\r\n';
    const res = await send(A.keys.review_lead!, file);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'refused', importId: null, counts: { rows: 6, created: 0, ready: 1, alreadyImported: 4, conflicts: 1 } });
    const conflict = row(res, 5);
    expect(conflict).toMatchObject({ externalId: 'CIR-2022-001', status: 'conflict' });
    expect(reasons(conflict).join()).toMatch(/external_id: was imported before as review R-\d{4}-\d{4} with different content: it is left as it is/);
    expect(row(res, 8)).toMatchObject({ externalId: 'HIST-00077', status: 'ready' });
    expect(await counts(A.id)).toEqual(before);
    const [kept] = await stack.db.query(`SELECT c.status_reason FROM review_recommendations c JOIN incident_reviews r ON r.id = c.review_id WHERE r.external_id = 'CIR-2022-001' AND c.position = 2`);
    expect(kept.status_reason).toBe('Covered by the state practice model revision.');
  });

  it('names each bad row by line and external id with every reason, and imports nothing (all or nothing)', async () => {
    const before = await counts(A.id);
    const rows: Cells[] = [
      goodRow(101), // line 2: fine
      goodRow(102, '2', { incident_type: 'drowning', age_band: 'teen', 'cp.workload': '7' }), // 3
      goodRow(103, '2', { finding_1: "Questions: the on-call worker's cell at 555-201-3344." }), // 4
      goodRow(104, '2', { incident_year: '2099', prior_involvement: 'none', prior_recency: 'current' }), // 5
      goodRow(105, '2', { rec_1_owner: 'member', rec_1_owner_agency: 'Nowhere County', rec_1_status: 'not_adopted', rec_1_implemented_on: '' }), // 6
      goodRow(106, '2', { external_id: 'HIST-00101' }), // 7: the same external id as line 2
      goodRow(107, '2', { external_id: '', circumstances: 'unsafe_sleep;fireworks' }), // 8
      goodRow(108, '1', { 'cp.vacancies': '2', finding_3: 'A third finding after a gap.', finding_2: '' }), // 9
      goodRow(109, '2', { rec_1_owner: 'member', rec_1_owner_agency: A.name }), // 10: its own agency as "another member"
    ];
    const res = await send(A.keys.review_lead!, reviewCsv(rows));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'refused', importId: null, counts: { rows: 9, created: 0, ready: 1, invalid: 8 } });
    expect(row(res, 2)).toMatchObject({ externalId: 'HIST-00101', status: 'ready', problems: [] });
    expect(row(res, 3)).toMatchObject({ externalId: 'HIST-00102', status: 'invalid' });
    expect(reasons(row(res, 3))).toEqual(
      expect.arrayContaining([
        'incident_type: must be one of fatality, near_fatality, serious_injury',
        'age_band: must be one of under_1, 1_3, 4_6, 7_12, 13_17',
        'ratings: cp.workload: a rating is a whole number from 0 to 3',
      ]),
    );
    expect(reasons(row(res, 4)).join()).toMatch(/finding_1: may identify a child or family \(phone\): "555-201-3344"/);
    expect(reasons(row(res, 5))).toEqual(expect.arrayContaining(['incident_year: must be a year from 1990 to ' + new Date().getUTCFullYear(), "prior_recency: must be empty when prior involvement is 'none'"]));
    expect(reasons(row(res, 6))).toEqual(
      expect.arrayContaining(['rec_1_owner_agency: "Nowhere County" is not a member agency (give its name or jurisdiction code)', 'rec_1_status_reason: a recommendation not adopted needs the reason']),
    );
    expect(row(res, 7)).toMatchObject({ externalId: 'HIST-00101', status: 'invalid', problems: [{ field: 'external_id', message: 'appears again: line 2 has the same external id' }] });
    expect(row(res, 8)).toMatchObject({ externalId: '', status: 'invalid' });
    expect(reasons(row(res, 8))).toEqual(expect.arrayContaining(['external_id: is required: the identifier your agency gave the review', expect.stringMatching(/^circumstances: one or more of unsafe_sleep/)]));
    expect(reasons(row(res, 9))).toEqual(expect.arrayContaining(['ratings: "cp.vacancies" is not an item of instrument version 1', 'finding_3: is filled, but finding_2 is empty: number the findings from 1 without gaps']));
    expect(reasons(row(res, 10))).toEqual([`rec_1_owner_agency: "${A.name}" is your own agency: its owner is 'agency'`]);
    expect(await counts(A.id)).toEqual(before);
  });

  it('names a row with too many or too few fields, and a text longer than its column allows', async () => {
    const file = reviewCsv([goodRow(201), goodRow(202, '2', { summary: 'x'.repeat(50_001) })]) + 'HIST-00203,fatality,2020\r\n';
    const res = await send(A.keys.review_lead!, file);
    expect(res.status).toBe(200);
    expect(res.body.outcome).toBe('refused');
    expect(reasons(row(res, 3))).toEqual(['summary: is 50001 characters long; the most is 50000']);
    const short = row(res, 4);
    expect(short.externalId).toBe('HIST-00203');
    expect(reasons(short)[0]).toMatch(/^row: has 3 fields, the header has \d+: a comma too many or too few, or a quote not closed$/);
  });

  it('a dry run checks and reports, and writes nothing', async () => {
    const before = await counts(A.id);
    const res = await send(A.keys.review_lead!, reviewCsv([goodRow(301), goodRow(302, '1')]), { dryRun: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'checked', dryRun: true, importId: null, counts: { rows: 2, ready: 2, created: 0 } });
    expect(await counts(A.id)).toEqual(before);
    const again = await send(A.keys.review_lead!, SAMPLE, { dryRun: true });
    expect(again.body).toMatchObject({ outcome: 'checked', counts: { alreadyImported: 5, ready: 0 } });
    expect(await counts(A.id)).toEqual(before);
  });

  it('two imports of the same file at once create each review once (the unique external id, in one transaction each)', async () => {
    const file = reviewCsv(Array.from({ length: 40 }, (_, i) => goodRow(400 + i)));
    const before = await counts(A.id);
    const results = await Promise.all([1, 2, 3].map(() => send(A.keys.review_lead!, file)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    // Each import is all or nothing: one wrote the 40, the others found them all imported.
    expect(results.map((r) => r.body.counts.created).sort()).toEqual([0, 0, 40]);
    expect(results.map((r) => r.body.counts.alreadyImported).sort()).toEqual([0, 40, 40]);
    const after = await counts(A.id);
    expect(after.reviews - before.reviews).toBe(40);
    expect(after.incidents - before.incidents).toBe(40);
    const [dupes] = await stack.db.query(`SELECT count(*)::int AS n FROM (SELECT external_id FROM incident_reviews WHERE agency_id = $1 GROUP BY external_id HAVING count(*) > 1) d`, [A.id]);
    expect(dupes.n).toBe(0);
  });

  it('an import that meets the same external id committed by another transaction meanwhile fails on the unique constraint, rolls back, and is judged again', async () => {
    const cells = goodRow(450);
    const { input } = readRow(cells, []);
    // Another writer holds the same review, not yet committed: the import cannot see it when it looks.
    const other = stack.db.createQueryRunner();
    await other.connect();
    await other.startTransaction();
    await insertReviewRecords(other.manager, A.id, A.userIds.review_lead!, [{ input, opts: { status: 'approved', imported: true, externalId: cells.external_id } }]);
    const pending = send(A.keys.review_lead!, reviewCsv([cells, goodRow(451)]));
    const early = await Promise.race([pending.then(() => 'answered'), new Promise((r) => setTimeout(() => r('waiting'), 1500))]);
    await other.commitTransaction();
    await other.release();
    const res = await pending;
    expect(early).toBe('waiting'); // blocked on the other writer's row, not answered from a stale look
    expect(res.body).toMatchObject({ outcome: 'imported', counts: { created: 1, alreadyImported: 1 } });
    expect(res.body.rows.map((r: any) => [r.externalId, r.status])).toEqual([
      ['HIST-00450', 'already_imported'],
      ['HIST-00451', 'created'],
    ]);
    const [n] = await stack.db.query(`SELECT count(*)::int AS n FROM incident_reviews WHERE agency_id = $1 AND external_id IN ('HIST-00450', 'HIST-00451')`, [A.id]);
    expect(n.n).toBe(2);
  });

  it('stores formula-like cells as text, never evaluated', async () => {
    const formulas = ['=HYPERLINK("http://evil.example","click")', '+1+2', '-2+3', '@(1+2)', '=cmd|\' /C calc\'!A0'];
    const res = await send(A.keys.review_lead!, reviewCsv([goodRow(501, '2', { finding_1: formulas[0], finding_2: formulas[1], summary: formulas[2], rec_1_text: formulas[3], incident_summary: formulas[4] })]));
    expect(res.status).toBe(200);
    expect(res.body.rows[0].problems).toEqual([]);
    expect(res.body.outcome).toBe('imported');
    const [r] = await stack.db.query(
      `SELECT r.summary, i.summary AS incident_summary, (SELECT array_agg(text ORDER BY position) FROM review_findings f WHERE f.review_id = r.id) AS findings,
              (SELECT text FROM review_recommendations c WHERE c.review_id = r.id) AS rec
         FROM incident_reviews r JOIN critical_incidents i ON i.id = r.incident_id WHERE r.agency_id = $1 AND r.external_id = 'HIST-00501'`,
      [A.id],
    );
    expect(r).toEqual({ summary: formulas[2], incident_summary: formulas[4], findings: [formulas[0], formulas[1]], rec: formulas[3] });
  });

  it('refuses files it cannot read, in plain words, and writes nothing', async () => {
    const before = await counts(A.id);
    const header = reviewCsv([goodRow(1)]).split('\r\n')[0];
    const cases: [string | Buffer, RegExp][] = [
      ['', /the file is empty/],
      [`${header}\r\n`, /the file has a header but no reviews/],
      [`${header}\r\nHIST-1,"fatality,2020\r\n`, /^line \d+: a quoted field is never closed/],
      [`${header}\r\nHIST-1,fat"ality,2020\r\n`, /a quote \(\"\) inside a field that is not quoted/],
      [Buffer.concat([Buffer.from(`${header}\r\nHIST-1,`), Buffer.from([0xff, 0xfe]), Buffer.from('\r\n')]), /not UTF-8 text/],
      [`${header}\r\nHIST-1,a\u0000b\r\n`, /holds a NUL character/],
      [`${header},favourite_colour\r\n`, /the column "favourite_colour" is not part of the format/],
      [header.replace('age_band,', '').replace(',age_band', '') + '\r\nx\r\n', /required column missing: age_band/],
      [`${header},summary\r\n`, /the column "summary" appears twice/],
      [`${header}\r\n"${'x'.repeat(600 * 1024)}"\r\n`, /a row is longer than 512 KB/],
    ];
    for (const [body, message] of cases) {
      const res = await send(A.keys.review_lead!, body);
      expect({ status: res.status, body: res.body }).toMatchObject({ status: 400, body: { statusCode: 400, error: 'Bad Request' } });
      expect(([] as string[]).concat(res.body.message).join(' | ')).toMatch(message);
    }
    expect(await counts(A.id)).toEqual(before);
  });

  it('answers 413 for a file over the limit and 415 for a body that is not text/csv', async () => {
    const before = await counts(A.id);
    const big = await send(A.keys.review_lead!, Buffer.alloc(8 * 1024 * 1024 + 1, 'a'));
    expect(big.status).toBe(413);
    expect(big.body.message).toMatch(/larger than the limit of 8/);
    for (const type of ['application/json', 'text/plain', 'application/octet-stream', 'text/csv; charset=latin1', 'application/x-www-form-urlencoded']) {
      const res = await send(A.keys.review_lead!, type === 'application/json' ? '{"a":1}' : SAMPLE, { type });
      expect([type, res.status, res.body?.error]).toEqual([type, 415, 'Unsupported Media Type']);
    }
    // The file itself sent as JSON is told its type is wrong, not that it is bad JSON.
    const csvAsJson = await send(A.keys.review_lead!, SAMPLE, { type: 'application/json' });
    expect([csvAsJson.status, csvAsJson.body?.error]).toEqual([415, 'Unsupported Media Type']);
    // However the path is spelled that reaches the route (Express ignores its case).
    const shouted = await fetch(`${stack.url}/API/V1/Reviews/Import/`, { method: 'POST', headers: { authorization: `Bearer ${A.keys.review_lead}`, 'content-type': 'application/json' }, body: '{bad' });
    expect(shouted.status).toBe(415);
    const csvUtf8 = await send(A.keys.review_lead!, SAMPLE, { type: 'text/csv; charset=utf-8', dryRun: true });
    expect(csvUtf8.status).toBe(200);
    expect(await counts(A.id)).toEqual(before);
  });

  it('only a review lead imports; a reviewer is refused (403) and the file is not read', async () => {
    const res = await send(A.keys.reviewer!, SAMPLE);
    expect(res.status).toBe(403);
  });

  it("keeps agencies apart: another agency's same file creates its own reviews and never meets this agency's", async () => {
    const dry = await send(B.keys.review_lead!, SAMPLE, { dryRun: true });
    expect(dry.body).toMatchObject({ outcome: 'checked', counts: { ready: 5, alreadyImported: 0, conflicts: 0 } });
    expect(dry.body.rows.every((r: any) => r.reviewId === undefined && r.reference === undefined)).toBe(true);
    const res = await send(B.keys.review_lead!, SAMPLE);
    expect(res.body).toMatchObject({ outcome: 'imported', counts: { created: 5 } });
    const aIds = new Set((await stack.db.query(`SELECT id FROM incident_reviews WHERE agency_id = $1`, [A.id])).map((r: any) => r.id));
    expect(res.body.rows.some((r: any) => aIds.has(r.reviewId))).toBe(false);
    const bRows = await stack.db.query(`SELECT agency_id FROM incident_reviews WHERE id = ANY($1)`, [res.body.rows.map((r: any) => r.reviewId)]);
    expect(bRows.every((r: any) => r.agency_id === B.id)).toBe(true);
  });

  it("counts imported recommendations in the implementation rate but not in the time to implement (when they were made is not known)", async () => {
    const C = await createAgency(stack.db, { name: 'Historical county', type: 'county', roles: ['review_lead'] });
    // Rows 0, 3 and 6 were implemented on 2024-05-02, row 1 only accepted; all of 2024, imported today.
    const res = await send(C.keys.review_lead!, reviewCsv([0, 1, 3, 6].map((n) => goodRow(n, '2', { incident_year: '2024', external_id: `TIME-${n}` }))));
    expect(res.body).toMatchObject({ outcome: 'imported', counts: { created: 4 } });
    const own = await call('GET', '/api/v1/reporting/agency?from=2024-Q1&to=2024-Q4', { key: C.keys.review_lead });
    expect(own.status).toBe(200);
    expect(own.body.recommendations.own).toEqual({ recommendations: 4, implemented: 3, rate: 0.75, medianDaysToImplement: null });
  });

  it('serves the template, which is itself a valid file', async () => {
    const res = await call('GET', '/api/v1/reviews/import/template', { key: B.keys.review_lead });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.text.split('\r\n')[0]).toMatch(/^external_id,incident_type,incident_year,incident_month,age_band,prior_involvement,prior_recency,circumstances,instrument_version,/);
    const checked = await send(B.keys.review_lead!, res.text, { dryRun: true });
    expect(checked.body).toMatchObject({ outcome: 'checked', counts: { rows: 1, ready: 1, invalid: 0 } });
  });

  it('imports 2,000 rows in one file (timed)', async () => {
    const file = reviewCsv(Array.from({ length: 2000 }, (_, i) => goodRow(10_000 + i, i % 2 ? '1' : '2')));
    const dryStart = Date.now();
    const dry = await send(A.keys.review_lead!, file, { dryRun: true });
    const dryMs = Date.now() - dryStart;
    expect(dry.body.counts).toMatchObject({ rows: 2000, ready: 2000 });
    const start = Date.now();
    const res = await send(A.keys.review_lead!, file);
    const ms = Date.now() - start;
    expect(res.body).toMatchObject({ outcome: 'imported', counts: { rows: 2000, created: 2000 } });
    const again = Date.now();
    const re = await send(A.keys.review_lead!, file);
    const reMs = Date.now() - again;
    expect(re.body.counts).toMatchObject({ alreadyImported: 2000, created: 0 });
    console.log(`review import, 2,000 rows (${(Buffer.byteLength(file) / 1024).toFixed(0)} KB): dry run ${dryMs} ms, import ${ms} ms, re-import (all already imported) ${reMs} ms`);
    expect(ms).toBeLessThan(120_000);
  }, 300_000);
});
