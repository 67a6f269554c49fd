/**
 * Fuzzing every route of the authorization table with generated hostile requests (a seeded PRNG,
 * so every run sends the same ones): malformed JSON, wrong types for every DTO field, huge and
 * deeply nested values, null bytes, RTL and lone surrogates, SQL and template injection,
 * prototype keys, bad and foreign ids, path traversal, missing / forged / expired / revoked
 * credentials, sessions without their CSRF token, wrong content types, oversized bodies and huge
 * query strings. And text that is not text, on every route, signed in and anonymous
 * (support/malformed-requests.ts): lone surrogates (high, low, reversed) in every field of every
 * JSON body, bytes that are not UTF-8 (stray, truncated, overlong, CESU-8, Latin-1 and
 * Windows-1252 mixed in), NULs, UTF-8 and UTF-16 BOMs, bodies in one encoding labelled as another,
 * absurd nesting, out-of-range numbers and repeated keys; the same in form bodies, multipart
 * parts, path parameters and query values.
 *
 * Asserted: no answer is a 5xx; every API error is `{ statusCode, error, message }` (the HTML
 * pages, /ack and /console, may answer with pages); every answer of a REST route is one the
 * OpenAPI document gives for it (status, and body against its schema); and no row of any table
 * changed (every table is fingerprinted before and after, minus the columns a read moves).
 *
 * Every request is built to be refused somewhere: a write with valid credentials on the caller's
 * own object always carries something the validation or the service rejects (a wrong type, an
 * unknown field, an unknown topic, an id of another agency, malformed text…). A request that
 * slipped through would change a row, and the fingerprint would show it.
 */
import { currentInstrument, hashPassword, insertReviewRecord, itemsOf, signAckToken, User } from '@sne/core';
import { issueApiKey } from '../../apps/api/src/api-keys/api-keys.controller';
import { RequestMethod } from '@nestjs/common';
import { AUTHORIZATION } from '../../apps/api/src/common/authorization.table';
import { EDITOR_ROUTES } from '../../apps/api/src/console/console-body.module';
import { changedTables, fingerprint, settledFingerprint } from '../support/fingerprint';
import { createAgency, createTopics, eventually, TestAgency } from '../support/fixtures';
import { BAD_IDS, DEEP, DEEP_ARRAY_RAW, HOSTILE_STRINGS, Kind, prng, WRONG } from '../support/hostile-input';
import { malformedRequests, rotations } from '../support/malformed-requests';
import { OpenApiContract } from '../support/openapi-contract';
import { RawRequest, RawResponse, sendRaw } from '../support/raw-http';
import { startStack, Stack } from '../support/stack';
import { goodRow, reviewCsv } from '../support/review-csv';

const SEED = 0x5eed_2026;
const PER_ROUTE = 10;
const PASSWORD = 'correct horse battery staple';

interface FuzzRequest extends RawRequest {
  route: string;
  kind: string;
  headers: Record<string, string>;
}

describe('fuzz: ≥ 2,000 hostile requests across every route', () => {
  let stack: Stack;
  let A: TestAgency, B: TestAgency, P: TestAgency;
  const w: Record<string, any> = {};

  async function api(method: string, path: string, key: string | undefined, body?: unknown): Promise<any> {
    const r: FuzzRequest = { route: '', kind: 'setup', method, path, headers: {} };
    if (key) r.headers.authorization = `Bearer ${key}`;
    if (body !== undefined) {
      r.headers['content-type'] = 'application/json';
      r.body = JSON.stringify(body);
    }
    const res = await sendRaw(stack.url, r);
    if (res.status >= 300) throw new Error(`setup: ${method} ${path} → ${res.status} ${res.text}`);
    return res.json;
  }

  /** Issue 11: a review record, valid as it is. */
  const REVIEW = {
    incident: { incidentType: 'fatality', incidentYear: 2025, incidentMonth: 2, ageBand: '4_6', priorInvolvement: 'in_care', priorRecency: 'current', circumstances: ['vehicle'] },
    summary: 'Transport between placements had no safety check.',
    ratings: { [[...itemsOf(currentInstrument().version).keys()][0]]: 2 },
    findings: [{ text: 'Transport requests had no safety check.' }],
    recommendations: [{ text: 'Add a safety check to transport requests.', owner: 'agency' }],
  };

  beforeAll(async () => {
    stack = await startStack();
    await createTopics(stack.db, ['safe-sleep', 'substance-exposure.fentanyl']);
    const roles = ['agency_admin', 'author', 'approver', 'supervisor', 'reviewer', 'review_lead', 'analyst'] as const;
    A = await createAgency(stack.db, { name: 'Mine', roles: [...roles] });
    B = await createAgency(stack.db, { name: 'Theirs', roles: [...roles] });
    P = await createAgency(stack.db, { name: 'Partnership', type: 'federal', roles: ['admin', 'analyst'] });
    const notice = {
      title: 'Inclined infant sleepers',
      summary: 'Remove inclined sleepers from homes under supervision.',
      body: 'Check every home with an infant.',
      category: 'alert',
      severity: 'high',
      topics: ['safe-sleep'],
      requiredActions: ['Check every home with an infant under one year'],
    };
    // Subscriptions first, so both agencies receive both published notices.
    for (const [name, ag] of [['A', A], ['B', B]] as const) {
      w[`${name}sub`] = await api('POST', '/api/v1/subscriptions', ag.keys.agency_admin, { name: 'all', topicPatterns: ['safe-sleep'], channel: 'email', emailAddresses: [`intake-${ag.id.slice(0, 8)}@agency.test`] });
      w[`${name}hook`] = await api('POST', '/api/v1/subscriptions', ag.keys.agency_admin, { name: 'hook', topicPatterns: ['substance-exposure.>'], channel: 'webhook', webhookUrl: 'https://intake.example.org/hooks' });
    }
    for (const [name, ag] of [['A', A], ['B', B]] as const) {
      w[`${name}draft`] = await api('POST', '/api/v1/notices', ag.keys.author, notice);
      const review = await api('POST', '/api/v1/notices', ag.keys.author, notice);
      w[`${name}review`] = await api('POST', `/api/v1/notices/${review.id}/submit`, ag.keys.author);
      const pub = await api('POST', '/api/v1/notices', ag.keys.author, notice);
      await api('POST', `/api/v1/notices/${pub.id}/submit`, ag.keys.author);
      w[`${name}published`] = await api('POST', `/api/v1/notices/${pub.id}/approve`, ag.keys.approver, { contentHash: pub.contentHash });
    }
    // Issue 11: each agency's review draft (one item rated: submitting it is refused), and A's submitted review (editing it is refused).
    for (const [name, ag] of [['A', A], ['B', B]] as const) w[`${name}reviewDraft`] = await api('POST', '/api/v1/reviews', ag.keys.reviewer, REVIEW);
    {
      const full = await api('POST', '/api/v1/reviews', A.keys.reviewer, { ...REVIEW, ratings: Object.fromEntries([...itemsOf(currentInstrument().version).keys()].map((id) => [id, 0])) });
      w.AreviewSubmitted = await api('POST', `/api/v1/reviews/${full.id}/submit`, A.keys.review_lead);
    }
    // ── issue 11, review to notice: each agency's review draft (drafting a notice from it is refused: 409) and A's approved one.
    const reviewRecord = {
      incident: { incidentType: 'fatality' as const, incidentYear: 2025, incidentMonth: 2, ageBand: 'under_1' as const, priorInvolvement: 'none' as const, circumstances: ['unsafe_sleep' as const] },
      ratings: {},
      findings: [{ text: 'Home visit checklists had no item on where the infant sleeps.' }],
      recommendations: [{ text: 'Add a safe sleep item to the home visit checklist', owner: 'partnership' as const }],
    };
    const insertReview = (ag: TestAgency, status: 'draft' | 'approved') =>
      stack.db.transaction(async (m) => ({ id: (await insertReviewRecord(m, ag.id, null, reviewRecord, { status })).reviewId }));
    w.AreviewDraft ??= await insertReview(A, 'draft');
    w.BreviewDraft ??= await insertReview(B, 'draft');
    w.AreviewApproved = await insertReview(A, 'approved');
    await eventually(async () => {
      const [r] = await stack.db.query(
        `SELECT (SELECT count(*)::int FROM acknowledgments) AS acks, (SELECT count(*)::int FROM deliveries WHERE status <> 'delivered') AS open`,
      );
      return r.acks === 2 && r.open === 0; // each agency receives the other's notice (an issuer owes none for its own)
    }, 30000, 'the fan-out');
    const q1 = async (sql: string, params: unknown[]) => (await stack.db.query(sql, params))[0];
    // A's record and delivery are of B's notice, and B's of A's.
    w.Aack = (await q1(`SELECT id FROM acknowledgments WHERE agency_id = $1 AND notice_id = $2`, [A.id, w.Bpublished.id])).id;
    w.Back = (await q1(`SELECT id FROM acknowledgments WHERE agency_id = $1 AND notice_id = $2`, [B.id, w.Apublished.id])).id;
    w.Adelivery = (await q1(`SELECT id FROM deliveries WHERE agency_id = $1 AND notice_id = $2`, [A.id, w.Bpublished.id])).id;
    w.Bdelivery = (await q1(`SELECT id FROM deliveries WHERE agency_id = $1 AND notice_id = $2`, [B.id, w.Apublished.id])).id;
    w.Akey = (await q1(`SELECT id FROM api_keys WHERE user_id = $1`, [A.userIds.supervisor])).id;
    w.Bkey = (await q1(`SELECT id FROM api_keys WHERE user_id = $1`, [B.userIds.supervisor])).id;
    w.mailId = String((await q1(`SELECT id FROM dev_mail ORDER BY id LIMIT 1`, [])).id);
    // Credentials that must not work: an expired key, a revoked key.
    const extra = async (userId: string) => stack.db.transaction(async (m) => issueApiKey(m, await m.findOneByOrFail(User, { id: userId }), 'extra', null));
    const expired = await extra(A.userIds.author!);
    await stack.db.query(`UPDATE api_keys SET expires_at = now() - interval '1 day' WHERE id = $1`, [expired.id]);
    const revoked = await extra(A.userIds.author!);
    await stack.db.query(`UPDATE api_keys SET revoked_at = now() WHERE id = $1`, [revoked.id]);
    // An offboarded agency (offboarding it again is refused).
    w.offboarded = (await createAgency(stack.db, { name: 'Left', roles: [] })).id;
    await stack.db.query(`UPDATE agencies SET offboarded_at = now(), offboard_reason = 'left' WHERE id = $1`, [w.offboarded]);
    w.expiredKey = expired.key;
    w.revokedKey = revoked.key;
    // issue 12 (i12-results): a closed survey wave of each agency, with a team and a few responses, for the results routes.
    for (const [name, ag] of [['A', A], ['B', B]] as const) {
      w[`${name}resultsWave`] = (await q1(`INSERT INTO survey_waves (agency_id, title, instrument_version, opens_on, closes_on, status) VALUES ($1, 'Wave', '1', '2026-11-01', '2026-11-30', 'closed') RETURNING id`, [ag.id])).id;
      const team = await q1(`INSERT INTO survey_teams (wave_id, name, expected_headcount) VALUES ($1, 'Intake', 9) RETURNING id`, [w[`${name}resultsWave`]]);
      await stack.db.query(`INSERT INTO survey_responses (wave_id, team_id, submitted_on, answers) SELECT $1, $2, '2026-11-20', '{"ps.speak-up": 4}' FROM generate_series(1, 6)`, [w[`${name}resultsWave`], team.id]);
    }
    // Console sessions: one of A's author, one of B's (its CSRF token must not work for A's).
    const hash = await hashPassword(PASSWORD);
    await stack.db.query(`UPDATE users SET password_hash = $1 WHERE id = ANY($2)`, [hash, [A.userIds.author, B.userIds.author]]);
    for (const [name, ag] of [['A', A], ['B', B]] as const) {
      const body = JSON.stringify({ email: `author-${ag.name.split(' ').pop()}@agency.test`, password: PASSWORD });
      const res = await sendRaw(stack.url, { method: 'POST', path: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, body });
      w[`${name}csrf`] = res.json.csrfToken;
      const cookie = String(res.headers['set-cookie']?.[0] ?? '').split(';')[0];
      w[`${name}cookie`] = cookie;
    }
    const exp = Math.floor(Date.now() / 1000) + 3600;
    w.validToken = signAckToken({ ackId: w.Aack, email: 'ack@mine.test', exp }, stack.config.ackTokenSecret);
    w.expiredToken = signAckToken({ ackId: w.Aack, email: 'ack@mine.test', exp: exp - 7200 }, stack.config.ackTokenSecret);
    w.foreignToken = signAckToken({ ackId: w.Aack, email: 'ack@mine.test', exp }, 'another secret, long enough to be accepted'.repeat(2));
    // issue 12, survey collection: a wave of each agency (A's with no address on its list, so
    // invitations and reminders are refused), and a team code of A's wave that stays unused.
    const wave = { title: 'Team survey', opensOn: '2020-01-01', closesOn: '2099-12-31', teams: [{ name: 'Intake unit', expectedHeadcount: 8 }] };
    w.Awave = await api('POST', '/api/v1/surveys/waves', A.keys.agency_admin, wave);
    w.Bwave = await api('POST', '/api/v1/surveys/waves', B.keys.agency_admin, wave);
    w.Acode = (await api('POST', `/api/v1/surveys/waves/${w.Awave.id}/teams/${w.Awave.teams[0].id}/codes`, A.keys.agency_admin, { count: 1 })).codes[0];
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('answers every generated request with a 4xx (or a success that changes nothing), never a 5xx, and changes no row', async () => {
    const rnd = prng(SEED);
    const roleKeys: Record<string, string> = {
      admin: P.keys.admin!,
      agency_admin: A.keys.agency_admin!,
      author: A.keys.author!,
      approver: A.keys.approver!,
      supervisor: A.keys.supervisor!,
      reviewer: A.keys.reviewer!,
      review_lead: A.keys.review_lead!,
      analyst: A.keys.analyst!,
    };
    const hostile = () => rnd.pick(HOSTILE_STRINGS);
    const json = (v: unknown) => JSON.stringify(v);
    /** encodeURIComponent, except that a lone surrogate becomes its (invalid) UTF-8 bytes instead of throwing. */
    const enc = (v: string) => {
      try {
        return encodeURIComponent(v);
      } catch {
        return '%ED%A0%80';
      }
    };

    // ── what each DTO takes: its fields' kinds, a valid body, and refusals past validation ──
    interface Dto {
      fields: Record<string, Kind>;
      valid: () => Record<string, unknown>;
      /** No required field: an empty or unparsed body would pass validation. */
      allOptional?: boolean;
      /** Valid-looking requests the service refuses (body, and the path parameter / key it needs). */
      poisons?: (() => { body: Record<string, unknown>; id?: string; key?: string })[];
      /** A valid request but for a NUL character in a stored text: it reaches the database, which refuses it. */
      nul?: () => { body: Record<string, unknown>; id?: string; key?: string };
    }
    const noticeFields: Record<string, Kind> = {
      title: 'str', summary: 'str', body: 'str', category: 'enum', severity: 'enum', topics: 'strs', targetJurisdictions: 'strs', requiredActions: 'strs',
      acknowledgeBy: 'date', actionsDueBy: 'date', effectiveAt: 'date', expiresAt: 'date', referenceIds: 'uuids', incidentReference: 'str',
    };
    const validNotice = () => ({ title: `T ${hostile()}`.slice(0, 200), summary: `S ${hostile()}`.slice(0, 1000), body: hostile() + ' body', category: 'advisory', severity: 'low', topics: ['safe-sleep'], incidentReference: hostile().slice(0, 100) });
    const unknownTopic = () => ({ ...validNotice(), topics: ['no-such-topic'] });
    const DTOS: Record<string, Dto> = {
      'POST /api/v1/notices': { nul: () => ({ body: { ...validNotice(), incidentReference: 'case\u0000ref' } }),  fields: noticeFields, valid: validNotice, poisons: [() => ({ body: unknownTopic() }), () => ({ body: { ...validNotice(), referenceIds: [rnd.uuid()] } })] },
      'PATCH /api/v1/notices/:id': { nul: () => ({ body: { title: 'A title\u0000' }, id: w.Adraft.id }),  fields: noticeFields, valid: validNotice, allOptional: true, poisons: [() => ({ body: unknownTopic(), id: w.Adraft.id })] },
      'POST /api/v1/notices/:id/updates': { nul: () => ({ body: { title: 'A title\u0000', material: false }, id: w.Apublished.id }), 
        fields: { ...noticeFields, material: 'bool' },
        valid: () => ({ ...validNotice(), material: true }),
        poisons: [() => ({ body: { ...unknownTopic(), material: true }, id: w.Apublished.id })],
      },
      'POST /api/v1/notices/:id/approve': { fields: { contentHash: 'str' }, valid: () => ({ contentHash: 'f'.repeat(64) }), poisons: [() => ({ body: { contentHash: 'f'.repeat(64) }, id: w.Areview.id })] },
      'POST /api/v1/notices/:id/reject': { nul: () => ({ body: { reasons: ['a\u0000b'] }, id: w.Areview.id }),  fields: { reasons: 'strs' }, valid: () => ({ reasons: [hostile() || 'x'] }), poisons: [() => ({ body: { reasons: [hostile() + 'x'] }, id: w.Adraft.id })] },
      'POST /api/v1/notices/:id/cancel': { nul: () => ({ body: { reason: 'a reason\u0000' }, id: w.Apublished.id }),  fields: { reason: 'str' }, valid: () => ({ reason: `r ${hostile()}` }), poisons: [() => ({ body: { reason: `reason ${hostile()}` }, id: w.Adraft.id })] },
      'POST /api/v1/notices/:id/deid-overrides': {
        fields: { overrides: 'strs' },
        valid: () => ({ overrides: [{ field: 'body', kind: 'phone', text: hostile().slice(0, 1000), justification: `because ${hostile()}`.slice(0, 2000) }] }),
        // No finding matches (422), the author may not override (403), or another agency's draft (404).
        poisons: [
          () => ({ body: { overrides: [{ field: 'body', kind: 'phone', text: hostile().slice(0, 1000), justification: `because ${hostile()}`.slice(0, 2000) }] }, id: w.Adraft.id }),
          () => ({ body: { overrides: [{ field: 'body', kind: 'phone', text: '555', justification: 'long enough reason' }] }, id: w.Adraft.id, key: A.keys.author }),
          () => ({ body: { overrides: [{ field: 'body', kind: 'phone', text: '555', justification: 'long enough reason' }] }, id: w.Bdraft.id }),
        ],
      },
      'POST /api/v1/subscriptions': { nul: () => ({ body: { name: 'n\u0000', topicPatterns: ['safe-sleep'], channel: 'email', emailAddresses: ['x@y.test'] } }), 
        fields: { name: 'str', topicPatterns: 'strs', minSeverity: 'enum', channel: 'enum', emailAddresses: 'emails', webhookUrl: 'str' },
        valid: () => ({ name: `n ${hostile()}`.slice(0, 200), topicPatterns: ['safe-sleep'], channel: 'email', emailAddresses: ['x@y.test'] }),
        poisons: [() => ({ body: { name: `n ${hostile()}`.slice(0, 200), topicPatterns: ['safe-sleep'], channel: 'email', emailAddresses: ['x@y.test'], webhookUrl: 'https://intake.example.org/x' } })],
      },
      'PATCH /api/v1/subscriptions/:id': { nul: () => ({ body: { name: 'n\u0000' }, id: w.Asub.id }), 
        fields: { name: 'str', topicPatterns: 'strs', minSeverity: 'enum', emailAddresses: 'emails', webhookUrl: 'str' },
        valid: () => ({ name: `n ${hostile()}`.slice(0, 200) }),
        allOptional: true,
        poisons: [() => ({ body: { name: `n ${hostile()}`.slice(0, 200), webhookUrl: 'https://intake.example.org/x' }, id: w.Asub.id })],
      },
      'POST /api/v1/users': { nul: () => ({ body: { email: 'nul@agency.test', name: 'N\u0000', roles: ['supervisor'] }, key: A.keys.agency_admin }), 
        fields: { agencyId: 'uuid', email: 'email', name: 'str', roles: 'strs', kind: 'enum' },
        valid: () => ({ email: 'new@agency.test', name: `n ${hostile()}`.slice(0, 200), roles: ['supervisor'] }),
        poisons: [() => ({ body: { email: 'new@agency.test', name: `n ${hostile()}`.slice(0, 200), roles: ['supervisor'], agencyId: B.id }, key: A.keys.agency_admin })],
      },
      'PATCH /api/v1/agencies/:id': { nul: () => ({ body: { name: 'Name\u0000' }, id: A.id, key: A.keys.agency_admin }), 
        fields: { name: 'str', jurisdictionType: 'enum', jurisdictionCode: 'str', timeZone: 'str', noticesContactEmail: 'email', escalationContacts: 'emails', fallbackContacts: 'emails' },
        valid: () => ({ name: `n ${hostile()}`.slice(0, 200) }),
        allOptional: true,
        poisons: [() => ({ body: { name: `n ${hostile()}`.slice(0, 200) }, id: B.id, key: A.keys.agency_admin }), () => ({ body: { jurisdictionCode: hostile() || 'x' }, id: rnd.uuid(), key: P.keys.admin })],
      },
      'POST /api/v1/agencies': { nul: () => ({ body: { name: 'Name\u0000', jurisdictionType: 'county', jurisdictionCode: 'x', timeZone: 'UTC', noticesContactEmail: 'a@b.test' } }), 
        fields: { name: 'str', jurisdictionType: 'enum', jurisdictionCode: 'str', timeZone: 'str', noticesContactEmail: 'email', escalationContacts: 'emails', fallbackContacts: 'emails' },
        valid: () => ({ name: `n ${hostile()}`.slice(0, 200), jurisdictionType: 'county', jurisdictionCode: 'x', timeZone: 'UTC', noticesContactEmail: 'a@b.test' }),
      },
      'POST /api/v1/topics': { nul: () => ({ body: { key: 'nul-topic', title: 'T\u0000' } }), 
        fields: { key: 'str', title: 'str', description: 'str' },
        valid: () => ({ key: 'safe-sleep', title: `t ${hostile()}`.slice(0, 200) }),
        poisons: [() => ({ body: { key: 'safe-sleep', title: `t ${hostile()}`.slice(0, 200), description: hostile() } })],
      },
      'POST /api/v1/api-keys': { nul: () => ({ body: { name: 'k\u0000' } }), 
        fields: { name: 'str', userId: 'uuid', expiresAt: 'date', roles: 'strs' },
        valid: () => ({ name: `k ${hostile()}`.slice(0, 200) }),
        poisons: [() => ({ body: { name: `k ${hostile()}`.slice(0, 200), expiresAt: '2001-01-01T00:00:00Z' } }), () => ({ body: { name: `k ${hostile()}`.slice(0, 200), userId: B.userIds.author }, key: A.keys.agency_admin })],
      },
      'POST /api/v1/auth/login': {
        fields: { email: 'email', password: 'str' },
        valid: () => ({ email: `nobody-${rnd.int(1e6)}@nowhere.test`, password: hostile() || 'x' }),
        poisons: [() => ({ body: { email: `nobody-${rnd.int(1e6)}@nowhere.test`, password: (hostile() || 'x').slice(0, 200) } })],
      },
      'POST /api/v1/auth/password': {
        fields: { currentPassword: 'str', newPassword: 'str' },
        valid: () => ({ currentPassword: 'wrong password', newPassword: 'a long enough new password' }),
        poisons: [() => ({ body: { currentPassword: (hostile() || 'x').slice(0, 200), newPassword: `${hostile()} long enough`.slice(0, 200) } })],
      },
      'PATCH /api/v1/users/:id': {
        fields: { name: 'str', email: 'email' },
        valid: () => ({ name: `n ${hostile()}`.slice(0, 200) }),
        allOptional: true,
        // A user of another agency (404), an email address already taken (409).
        poisons: [
          () => ({ body: { name: `n ${hostile()}`.slice(0, 200) }, id: B.userIds.supervisor, key: A.keys.agency_admin }),
          () => ({ body: { email: `author-${A.name.split(' ').pop()}@agency.test` }, id: A.userIds.supervisor, key: A.keys.agency_admin }),
        ],
        nul: () => ({ body: { name: 'N\u0000' }, id: A.userIds.supervisor, key: A.keys.agency_admin }),
      },
      'PUT /api/v1/users/:id/roles': {
        fields: { roles: 'strs' },
        valid: () => ({ roles: ['supervisor'] }),
        // A role the agency admin cannot grant (403), the agency admin itself (403), a user out of reach (404: another agency).
        poisons: [
          () => ({ body: { roles: ['admin'] }, id: A.userIds.supervisor, key: A.keys.agency_admin }),
          () => ({ body: { roles: ['supervisor'] }, id: A.userIds.agency_admin, key: A.keys.agency_admin }),
          () => ({ body: { roles: ['supervisor'] }, id: B.userIds.supervisor, key: A.keys.agency_admin }),
        ],
      },
      'POST /api/v1/users/:id/disable': {
        fields: { reason: 'str' },
        valid: () => ({ reason: `r ${hostile()}`.slice(0, 500) }),
        allOptional: true,
        poisons: [
          () => ({ body: { reason: 'left' }, id: A.userIds.agency_admin, key: A.keys.agency_admin }),
          () => ({ body: { reason: 'left' }, id: B.userIds.supervisor, key: A.keys.agency_admin }),
          () => ({ body: { reason: 'left' }, id: P.userIds.admin, key: P.keys.admin }),
        ],
        // A NUL only the audit log's jsonb would refuse: the disabling must roll back with it.
        nul: () => ({ body: { reason: 'left\u0000' }, key: A.keys.agency_admin }),
      },
      'POST /api/v1/agencies/:id/offboard': {
        fields: { reason: 'str' },
        valid: () => ({ reason: `r ${hostile()}`.slice(0, 500) }),
        // Its own agency (403), an agency already offboarded (409), no such agency (404).
        poisons: [
          () => ({ body: { reason: 'leaving the partnership' }, id: P.id, key: P.keys.admin }),
          () => ({ body: { reason: 'leaving the partnership' }, id: w.offboarded, key: P.keys.admin }),
          () => ({ body: { reason: 'leaving the partnership' }, id: rnd.uuid(), key: P.keys.admin }),
        ],
        nul: () => ({ body: { reason: 'left\u0000' }, key: P.keys.admin }),
      },
      'PATCH /api/v1/topics/:key': {
        fields: { title: 'str', description: 'str', retired: 'bool' },
        valid: () => ({ title: `t ${hostile()}`.slice(0, 200) }),
        allOptional: true,
        poisons: [() => ({ body: { title: 'A title' }, id: 'no-such-topic', key: P.keys.admin }), () => ({ body: { title: 'A title' }, key: A.keys.agency_admin })],
        nul: () => ({ body: { title: 'T\u0000' }, key: P.keys.admin }),
      },
      'PUT /api/v1/users/:id/password': {
        fields: { password: 'str' },
        valid: () => ({ password: 'a long enough new password' }),
        poisons: [() => ({ body: { password: `${hostile()} long enough`.slice(0, 200) }, id: rnd.uuid() }), () => ({ body: { password: 'a long enough password' }, id: B.userIds.supervisor, key: A.keys.agency_admin })],
      },
      'POST /api/v1/notices/:id/acknowledgments': { nul: () => ({ body: { name: 'N\u0000' }, id: w.Bpublished.id }),  fields: { name: 'str' }, valid: () => ({ name: `n ${hostile()}`.slice(0, 200) }), allOptional: true, poisons: [() => ({ body: { name: `n ${hostile()}`.slice(0, 200) }, id: w.Adraft.id })] },
      'POST /api/v1/notices/:id/acknowledgments/actions': {
        fields: { name: 'str', answers: 'answers' },
        valid: () => ({ answers: [{ action: 0, response: 'done', note: hostile() }] }),
        poisons: [() => ({ body: { name: `n ${hostile()}`.slice(0, 200), answers: [{ action: 0, response: 'not_applicable', note: hostile() + 'x' }] }, id: w.Adraft.id })],
      },
      'POST /api/v1/acknowledgments/:token': { nul: () => ({ body: { name: 'N\u0000' }, id: w.validToken }), 
        fields: { name: 'str' },
        valid: () => ({ name: `n ${hostile()}`.slice(0, 200) }),
        poisons: [() => ({ body: { name: `n ${hostile()}`.slice(0, 200) }, id: rnd.pick([w.expiredToken, w.foreignToken, 'eyJhY2tJZCI6IngifQ.Zm9yZ2Vk']) })],
      },
      // issue 12, survey collection
      'POST /api/v1/surveys/waves': {
        fields: { title: 'str', opensOn: 'date', closesOn: 'date', instrumentVersion: 'str', teams: 'strs' },
        valid: () => ({ title: `T ${hostile()}`.slice(0, 200), opensOn: '2027-01-01', closesOn: '2027-01-31', teams: [{ name: 'North unit', expectedHeadcount: 5 }] }),
        poisons: [
          () => ({ body: { title: 'Backwards', opensOn: '2027-02-01', closesOn: '2027-01-01', teams: [{ name: 'North unit', expectedHeadcount: 5 }] } }),
          () => ({ body: { title: 'Unknown version', opensOn: '2027-01-01', closesOn: '2027-01-31', instrumentVersion: '99', teams: [{ name: 'North unit', expectedHeadcount: 5 }] } }),
          () => ({ body: { title: 'Twice the same team', opensOn: '2027-01-01', closesOn: '2027-01-31', teams: [{ name: 'North unit', expectedHeadcount: 5 }, { name: 'north UNIT', expectedHeadcount: 3 }] } }),
        ],
      },
      'POST /api/v1/surveys/waves/:id/teams/:teamId/recipients': {
        fields: { emails: 'emails' },
        valid: () => ({ emails: ['member@agency.test'] }),
        poisons: [() => ({ body: { emails: ['member@agency.test', rnd.pick(['not an address', 'a@', hostile() || 'x'])] } }), () => ({ body: { emails: ['member@agency.test'] }, id: w.Bwave.id })],
      },
      'POST /api/v1/surveys/waves/:id/teams/:teamId/codes': {
        fields: { count: 'int' },
        valid: () => ({ count: 3 }),
        poisons: [() => ({ body: { count: 3 }, id: w.Bwave.id })],
      },
      // issue 11, reporting (i11-report): an agreement in the future (400), another agency's (404), no such agency (404)
      'POST /api/v1/agencies/:id/data-sharing': {
        fields: { covers: 'strs', signedOn: 'date', note: 'str' },
        valid: () => ({ covers: ['incidents'], signedOn: '2025-01-01', note: `n ${hostile()}`.slice(0, 2000) }),
        poisons: [
          () => ({ body: { covers: ['incidents'], signedOn: '2999-01-01' }, id: A.id, key: A.keys.agency_admin }),
          () => ({ body: { covers: ['incidents'], signedOn: '2025-01-01' }, id: B.id, key: A.keys.agency_admin }),
          () => ({ body: { covers: [], signedOn: '2025-01-01', note: hostile() }, id: rnd.uuid(), key: P.keys.admin }),
        ],
        nul: () => ({ body: { covers: ['incidents'], signedOn: '2025-01-01', note: 'signed\u0000' }, id: A.id, key: A.keys.agency_admin }),
      },
      'POST /api/v1/acknowledgments/:token/actions': {
        fields: { name: 'str', answers: 'answers' },
        valid: () => ({ name: 'Pat', answers: [{ action: 0, response: 'done' }] }),
        poisons: [() => ({ body: { name: `n ${hostile()}`.slice(0, 200), answers: [{ action: 0, response: 'done', note: hostile() }] }, id: rnd.pick([w.expiredToken, w.foreignToken]) })],
      },
      // ── issue 11, reviews: the own object of every write is one whose state refuses it (a draft to approve, return, share,
      // amend or change a recommendation of; a submitted review to edit), so only validation and the service answer.
      'POST /api/v1/reviews': {
        fields: { summary: 'str', instrumentVersion: 'str', leadId: 'uuid' },
        valid: () => ({ ...REVIEW, summary: `S ${hostile()}`.slice(0, 1000) }),
        // The guard (422), a code not in the lists (400), a lead who is not a review lead (400).
        poisons: [
          () => ({ body: { ...REVIEW, summary: 'Call the mother at 555-201-3344.' } }),
          () => ({ body: { ...REVIEW, incident: { ...REVIEW.incident, ageBand: hostile() || 'x' } } }),
          () => ({ body: { ...REVIEW, leadId: A.userIds.author } }),
        ],
        nul: () => ({ body: { ...REVIEW, summary: 'A summary\u0000' } }),
      },
      'PATCH /api/v1/reviews/:id': {
        fields: { summary: 'str', leadId: 'uuid' },
        valid: () => ({ summary: `S ${hostile()}`.slice(0, 1000) }),
        allOptional: true,
        poisons: [() => ({ body: { summary: 'Call the mother at 555-201-3344.' }, id: w.AreviewDraft.id }), () => ({ body: { summary: 'x' }, id: w.BreviewDraft.id })],
      },
      'POST /api/v1/reviews/:id/approve': { fields: { version: 'int', contentHash: 'str' }, valid: () => ({ version: 1, contentHash: 'f'.repeat(64) }) },
      'POST /api/v1/reviews/:id/return': { fields: { reason: 'str' }, valid: () => ({ reason: `r ${hostile()}`.slice(0, 2000).padEnd(3, 'x') }) },
      'POST /api/v1/reviews/:id/share': { fields: { sharedSummary: 'str' }, valid: () => ({ sharedSummary: `A summary ${hostile()}`.slice(0, 20000) }) },
      'PATCH /api/v1/reviews/:id/recommendations/:recId': {
        fields: { status: 'enum', reason: 'str', implementedOn: 'str' },
        valid: () => ({ status: 'accepted' }),
        poisons: [() => ({ body: { status: 'not_adopted' }, id: w.AreviewDraft.id })],
      },
      // ── issue 11, review to notice: the own object is a review draft (409); the approved one only with a body the service refuses.
      'POST /api/v1/reviews/:id/notice-draft': {
        fields: { topics: 'strs', severity: 'enum', recommendationIds: 'uuids' },
        valid: () => ({ severity: 'low' }),
        allOptional: true,
        // An unknown topic (400), a recommendation of another review (400), another agency's review (404), an author's draft review (409).
        poisons: [
          () => ({ body: { topics: ['no-such-topic'] }, id: w.AreviewApproved.id, key: A.keys.author }),
          () => ({ body: { recommendationIds: [rnd.uuid()] }, id: w.AreviewApproved.id, key: A.keys.author }),
          () => ({ body: {}, id: w.BreviewDraft.id, key: A.keys.author }),
          () => ({ body: { severity: 'critical' }, id: w.AreviewDraft.id, key: A.keys.author }),
        ],
      },
    };

    // ── path parameters: the caller's own object, another agency's, and hostile ids ───────────
    function ownId(route: string, param: string): string {
      if (param === 'key') return 'safe-sleep';
      if (param === 'token') return route.startsWith('/survey/') ? w.Acode : w.validToken;
      if (route.endsWith('/results')) return w.AresultsWave;
      if (route.includes('/surveys/')) return param === 'teamId' ? w.Awave.teams[0].id : w.Awave.id;
      if (param === 'file') return 'console.css';
      if (param === 'ackId') return w.Aack;
      if (route.includes('/dev/mailbox')) return w.mailId;
      if (route.includes('/subscriptions/')) return route.includes('rotate-secret') ? w.Ahook.id : w.Asub.id;
      if (route.includes('/users/')) return A.userIds.supervisor!;
      if (route.includes('/keys/') || route.includes('/api-keys/')) return w.Akey;
      if (route.includes('/deliveries/')) return w.Adelivery;
      if (route.includes('/agencies/')) return A.id;
      if (route.includes('reviews/')) {
        if (param === 'recId') return w.AreviewDraft.recommendations[0].id;
        return /\/reviews\/:id(\/edit)?$/.test(route) && !route.includes('shared-') ? w.AreviewSubmitted.id : w.AreviewDraft.id;
      }
      if (route.includes('reviews/:id/notice')) return w.AreviewDraft.id;
      if (/\/notices\/:id\/(approve|reject)/.test(route)) return w.Areview.id;
      if (/\/notices\/:id\/(acknowledg|actions)/.test(route)) return w.Bpublished.id; // the notice A received
      if (/\/notices\/:id\/(updates|update|cancel|report|events|deliveries|recipients)/.test(route)) return w.Apublished.id;
      return w.Adraft.id;
    }
    /** Another agency's object the caller's agency may not touch (read-only visibility aside). */
    function otherId(route: string, param: string): string | undefined {
      if (param === 'token' || param === 'file' || param === 'key' || route.includes('/dev/mailbox')) return undefined;
      if (param === 'ackId') return w.Back;
      if (route.endsWith('/results')) return w.BresultsWave;
      if (route.includes('/surveys/')) return param === 'teamId' ? w.Bwave.teams[0].id : w.Bwave.id;
      if (route.includes('/subscriptions/')) return route.includes('rotate-secret') ? w.Bhook.id : w.Bsub.id;
      if (route.includes('/users/')) return B.userIds.supervisor!;
      if (route.includes('/keys/') || route.includes('/api-keys/')) return w.Bkey;
      if (route.includes('/deliveries/')) return w.Bdelivery;
      if (route.includes('/agencies/')) return B.id;
      if (route.includes('reviews/')) return param === 'recId' ? w.BreviewDraft.recommendations[0].id : w.BreviewDraft.id;
      if (route.includes('reviews/:id/notice')) return w.BreviewDraft.id;
      if (/\/notices\/:id\/(approve|reject)/.test(route)) return w.Breview.id;
      if (/\/notices\/:id\/(updates|update|cancel)$/.test(route)) return w.Bpublished.id;
      return w.Bdraft.id;
    }
    const badId = () => {
      const v = rnd.pick(BAD_IDS);
      return v === 'RANDOM_UUID' ? rnd.uuid() : v;
    };
    const fill = (template: string, ids: (param: string) => string) => template.replace(/:(\w+)/g, (_, p) => ids(p));

    // ── credentials ────────────────────────────────────────────────────────────────────────
    function allowedKey(roles: (typeof AUTHORIZATION)[string]['roles']): string | undefined {
      if (roles === 'public') return undefined;
      if (roles === 'any') return rnd.pick([A.keys.author!, A.keys.supervisor!, A.keys.approver!, A.keys.agency_admin!]);
      const mine = roles.filter((r) => r !== 'admin' && roleKeys[r]);
      return mine.length ? roleKeys[rnd.pick(mine)] : P.keys.admin!;
    }
    function wrongRoleKey(roles: (typeof AUTHORIZATION)[string]['roles']): string | undefined {
      if (roles === 'public' || roles === 'any') return undefined;
      const others = Object.keys(roleKeys).filter((r) => !(roles as string[]).includes(r));
      return others.length ? roleKeys[rnd.pick(others)] : undefined;
    }
    /** Credentials that must be refused whatever the request. */
    function badAuth(unsafe: boolean): Record<string, string> {
      const options: (() => Record<string, string>)[] = [
        () => ({}),
        () => ({ authorization: 'Bearer' }),
        () => ({ authorization: 'Bearer ' }),
        () => ({ authorization: `Bearer sne_${'A'.repeat(8)}_${'B'.repeat(43)}` }),
        () => ({ authorization: `Bearer ${w.expiredKey}` }),
        () => ({ authorization: `Bearer ${w.revokedKey}` }),
        () => ({ authorization: `Bearer ${A.keys.author!.slice(0, -1)}${A.keys.author!.endsWith('A') ? 'B' : 'A'}` }),
        () => ({ authorization: 'Basic YWRtaW46YWRtaW4=' }),
        () => ({ authorization: `Bearer ${'x'.repeat(8000)}` }),
        () => ({ authorization: `bearer ${A.keys.author}` }),
        () => ({ authorization: `Token ${A.keys.author}` }),
        () => ({ authorization: `Bearer ${hostile().replace(/[^\x20-\x7e]/g, '?')}` }),
        () => ({ cookie: 'sne_session=forged-session-token' }),
        () => ({ cookie: `sne_session=${'x'.repeat(4000)}` }),
        () => ({ cookie: 'sne_session=' }),
      ];
      if (unsafe) {
        // A real session, but without its CSRF token, with a wrong one, or with another session's.
        options.push(
          () => ({ cookie: w.Acookie }),
          () => ({ cookie: w.Acookie, 'x-csrf-token': 'wrong' }),
          () => ({ cookie: w.Acookie, 'x-csrf-token': w.Bcsrf }),
          () => ({ cookie: w.Acookie, 'x-csrf-token': '' }),
          () => ({ cookie: w.Acookie, 'x-csrf-token': w.Acsrf.slice(0, -1) }),
        );
      }
      return rnd.pick(options)();
    }

    /** The query parameters each read takes. */
    const QUERY_PARAMS: Record<string, string[]> = {
      '/api/v1/notices': ['status', 'severity', 'category', 'topic', 'agencyId', 'q', 'limit', 'offset'],
      '/api/v1/users': ['agencyId', 'q', 'limit', 'offset'],
      '/api/v1/agencies': ['includeOffboarded', 'q', 'limit', 'offset'],
      '/api/v1/topics': ['q', 'limit', 'offset'],
      '/console/admin': ['agency', 'q', 'page', 'keysq', 'keyspage'],
      '/console/admin/agencies': ['q', 'page'],
      '/console/admin/topics': ['q', 'page'],
      '/console/admin/audit': ['entityType', 'entityId', 'action', 'actor', 'from', 'to', 'page', 'verify'],
      '/api/v1/notices/:id/deliveries': ['status', 'limit', 'offset'],
      '/api/v1/deliveries': ['status', 'limit', 'offset', 'subscriptionId', 'noticeId', 'agencyId'],
      '/api/v1/audit': ['entityType', 'entityId', 'action', 'actor', 'from', 'to', 'before', 'limit'],
      '/api/v1/feed': ['lastEventId', 'access_token'],
      '/api/v1/notices/:id/events': ['lastEventId', 'access_token'],
      '/api/v1/notices/:id/report': ['format'],
      '/api/v1/agencies/:id/notices': ['format', 'status'],
      '/api/v1/reports/overdue': ['format', 'includeOffboarded'],
      '/api/v1/reports/response-times': ['from', 'to', 'groupBy', 'format', 'includeOffboarded'],
      '/console/notices': ['q', 'status', 'topic', 'severity', 'category', 'agencyId', 'from', 'to', 'page'],
      '/console/dashboard': ['from', 'to', 'includeOffboarded'],
      '/console/sign-in': ['next', 'done'],
      // issue 12 (i12-results)
      '/api/v1/surveys/waves/:id/results': ['format'],
      '/api/v1/culture/benchmark': ['format', 'table'],
      '/api/v1/culture/comparison': ['format', 'table'],
      '/api/v1/culture/agency': ['format'],
      '/api/v1/reviews': ['status', 'q', 'limit', 'offset'],
      '/api/v1/shared-reviews': ['q', 'limit', 'offset'],
      '/console/reviews': ['status', 'q', 'page'],
      '/console/shared-reviews': ['q', 'page'],
      '/api/v1/reporting/recommendation-follow-through': ['format'],
      // issue 11, reporting (i11-report)
      '/api/v1/reporting/partnership': ['from', 'to'],
      '/api/v1/reporting/partnership/export': ['table', 'format', 'from', 'to'],
      '/api/v1/reporting/agency': ['from', 'to'],
      '/api/v1/reporting/agency/export': ['table', 'format', 'from', 'to'],
      '/console/reporting': ['from', 'to', 'done'],
      '/console/reporting/agency': ['from', 'to', 'done'],
    };

    // ── generation ─────────────────────────────────────────────────────────────────────────
    const requests: FuzzRequest[] = [];
    const apiOf = (path: string) => !(path === '/' || path.startsWith('/console') || path.startsWith('/ack/') || path === '/survey' || path.startsWith('/survey/'));
    const turn = rotations();
    const keys = Object.keys(AUTHORIZATION);
    const registered = new Set(keys);
    for (const key of keys) {
      const rule = AUTHORIZATION[key];
      const [method, template] = key.split(' ');
      const unsafe = !['GET', 'HEAD'].includes(method);
      const params = [...template.matchAll(/:(\w+)/g)].map((m) => m[1]);
      const dto = DTOS[key];
      const isPublic = rule.roles === 'public';
      const add = (kind: string, r: Omit<FuzzRequest, 'route' | 'kind' | 'method'> & { method?: string }) =>
        requests.push({ route: key, kind, method: r.method ?? method, path: r.path, headers: r.headers, body: r.body });
      const withKey = (k: string | undefined, h: Record<string, string> = {}) => (k ? { ...h, authorization: `Bearer ${k}` } : h);
      const jsonHeaders = (k: string | undefined) => withKey(k, { 'content-type': 'application/json' });
      const ownPath = () => fill(template, (p) => encodeURIComponent(ownId(template, p)));

      /** A body for this route whose refusal is certain (for a write on the caller's own object). */
      const refusedBody = (force?: number, field?: string): { body: string; kind: string } => {
        if (!dto) {
          const raw = rnd.pick(['{"a":', '[1,2', '{"x":1,}', "{'a':1}", '{"a":"\\u00"}', '\u0000', '"a string"', '123', 'null', 'true', `{"__proto__":{"admin":true}}`, `{"constructor":{"prototype":{"x":1}}}`, `{"a":{"prototype":1}}`]);
          return { body: raw, kind: 'malformed-or-primitive-json' };
        }
        const names = Object.keys(dto.fields);
        const body = dto.valid();
        for (const n of names) if (dto.fields[n] === 'str' && rnd.chance(0.4)) body[n] = hostile();
        switch (force ?? rnd.int(5)) {
          case 0: {
            const f = field ?? rnd.pick(names);
            body[f] = rnd.pick(WRONG[dto.fields[f]]);
            return { body: json(body), kind: `wrong-type:${f}` };
          }
          case 1: {
            const strs = names.filter((n) => dto.fields[n] === 'str');
            const f = strs.length ? rnd.pick(strs) : rnd.pick(names);
            body[f] = strs.length ? 'x'.repeat(rnd.pick([60_000, 120_000])) : rnd.pick(WRONG[dto.fields[f]]);
            return { body: json(body), kind: `overlong:${f}` };
          }
          case 2: {
            const extra = rnd.pick(['status', 'isAdmin', '$where', 'role', 'issuingAgencyId', 'approvedBy', 'id', 'version', 'contentHash_', 'zz'].filter((n) => !names.includes(n)));
            body[extra] = rnd.pick([true, 'published', { $gt: '' }, 1]);
            return { body: json(body), kind: `unknown-field:${extra}` };
          }
          case 3: {
            const f = rnd.pick(names);
            const raw = json(body).replace(/}$/, `,"${f}":${json(DEEP(rnd.pick([200, 2000])))}}`);
            return { body: raw, kind: `deep-object:${f}` };
          }
          default: {
            const raw = json(body).replace(/}$/, rnd.pick([',"__proto__":{"status":"published"}}', ',"constructor":{"prototype":{"isAdmin":true}}}', ',"nested":{"__proto__":{"x":1}}}']));
            return { body: raw, kind: 'prototype-key' };
          }
        }
      };

      const generators: (() => void)[] = [];
      // 1. Credentials that must be refused (the route's own object, an otherwise valid request).
      if (!isPublic) {
        generators.push(() => {
          const body = dto ? json(dto.valid()) : undefined;
          add('bad-auth', { path: ownPath(), headers: { ...badAuth(unsafe), ...(body ? { 'content-type': 'application/json' } : {}) }, body });
        });
        const wrong = wrongRoleKey(rule.roles);
        if (wrong) generators.push(() => add('wrong-role', { path: ownPath(), headers: jsonHeaders(wrong), body: dto ? json(dto.valid()) : unsafe ? '{}' : undefined }));
      }
      // 2. Hostile ids in the path, with credentials that are allowed.
      if (params.length) {
        generators.push(() => add('bad-id', { path: fill(template, () => badId()), headers: jsonHeaders(allowedKey(rule.roles)), body: unsafe ? (dto ? json(dto.valid()) : '{}') : undefined }));
        const others = params.map((p) => otherId(template, p));
        if (!isPublic && others.every((o) => o !== undefined)) {
          generators.push(() => {
            const k = allowedKey(rule.roles);
            if (k === P.keys.admin) return; // a partnership admin may reach other agencies: nothing to refuse
            const path = fill(template, (p) => encodeURIComponent(otherId(template, p)!));
            add('other-agency-id', { path, headers: jsonHeaders(k), body: unsafe ? (dto ? json(dto.valid()) : '{}') : undefined });
          });
        }
      }
      if (unsafe) {
        // 3. Bodies the parser refuses, whatever the route: malformed, primitive, prototype keys, too large.
        generators.push(() => {
          const raw = rnd.pick(['{', '{"a":', '[1,2', '{"a":1,}', "{'a':1}", '{"a":"\\x41"}', '"just a string"', '42', 'null', 'true', `{"__proto__":{"admin":true}}`, `{"a":{"constructor":{"prototype":{"x":1}}}}`, `{"prototype":1}`, DEEP_ARRAY_RAW(200_000)]);
          add('parser-refusal', { path: ownPath(), headers: jsonHeaders(allowedKey(rule.roles)), body: raw });
        });
        generators.push(() => {
          const big = rnd.chance(0.5)
            ? { headers: jsonHeaders(allowedKey(rule.roles)), body: json({ title: 'x'.repeat(300_000) }) }
            : { headers: withKey(allowedKey(rule.roles), { 'content-type': 'application/x-www-form-urlencoded' }), body: `name=${'x'.repeat(20_000)}` };
          add('oversized-body', { path: ownPath(), ...big });
        });
        // 4. DTO routes: a write on the caller's own object whose body is certain to be refused.
        if (dto) {
          generators.push(() => {
            const b = refusedBody();
            add(`dto:${b.kind}`, { path: ownPath(), headers: jsonHeaders(allowedKey(rule.roles)), body: b.body });
          });
          generators.push(() => {
            const b = refusedBody();
            add(`dto:${b.kind}`, { path: ownPath(), headers: jsonHeaders(allowedKey(rule.roles)), body: b.body });
          });
          if (dto.poisons?.length) {
            generators.push(() => {
              const p = rnd.pick(dto.poisons!)();
              const path = fill(template, (name) => encodeURIComponent(p.id ?? ownId(template, name)));
              add('service-refusal', { path, headers: jsonHeaders(p.key ?? allowedKey(rule.roles)), body: json(p.body) });
            });
          }
          // Wrong content types: never parsed as JSON, so a DTO with required fields refuses them.
          generators.push(() => {
            const ct = dto.allOptional
              ? rnd.pick(['application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'application/json; charset=latin9'])
              : rnd.pick(['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'application/octet-stream', '']);
            const body = ct.startsWith('application/xml') ? '<notice><title>x</title></notice>' : json(dto.valid());
            add(`content-type:${ct || 'none'}`, { path: ownPath(), headers: withKey(allowedKey(rule.roles), ct ? { 'content-type': ct } : {}), body });
          });
        }
        // 5. Public forms and tokens: forged or expired tokens, and valid ones with refused input.
        if (template.includes(':token')) {
          generators.push(() => {
            const valid: string = w.validToken;
            const token = rnd.pick([
              w.expiredToken,
              w.foreignToken,
              `${valid}x`,
              valid.split('.')[0],
              `${valid.split('.')[1]}.${valid.split('.')[0]}`,
              (valid[0] === 'A' ? 'B' : 'A') + valid.slice(1),
              'eyJhY2tJZCI6IngifQ.Zm9yZ2Vk',
              '..%2F..%2Fetc%2Fpasswd',
              'a'.repeat(4000),
              '%00',
            ]);
            const form = template.startsWith('/ack/');
            const body = form
              ? `name=${enc(hostile())}&action_0=done`
              : json(template.endsWith('actions') ? { name: 'Pat', answers: [{ action: 0, response: 'done' }] } : { name: 'Pat' });
            add('forged-token', { path: fill(template, () => token), headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' }, body });
          });
          if (template.startsWith('/ack/')) {
            // A valid link, but a name the page refuses (missing, blank, too long, not a string).
            generators.push(() => {
              const name = rnd.pick(['', 'name=', 'name=%20%20%20', `name=${'x'.repeat(201)}`, 'name[]=a&name[]=b', 'name[a]=b']);
              const answers = template.endsWith('actions') ? rnd.pick(['&action_0=done', '&action_0=maybe', '&action_99=done', '']) : '';
              add('page-refused-name', { path: ownPath(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: name + answers });
            });
          }
        }
        if (template === '/console/sign-in') {
          generators.push(() => {
            const body = rnd.pick([`email=nobody-${rnd.int(1e6)}%40nowhere.test&password=${enc(hostile())}`, `email=${enc(hostile())}&password=x`, 'email=&password=', 'email[]=a&password[]=b', `email=x&next=${encodeURIComponent('//evil.example/')}`]);
            add('sign-in-refused', { path: template, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
          });
        }
      } else {
        // 6. Reads: hostile query strings (reads change nothing, so any credentials will do).
        const names = QUERY_PARAMS[template] ?? ['q', 'limit', 'x'];
        const value = () =>
          rnd.pick([
            enc(hostile()),
            '%00',
            'a%00b',
            '%C0%AF',
            '%FF%FE',
            '%ED%A0%80',
            encodeURIComponent('x'.repeat(rnd.pick([201, 5000]))),
            '-1',
            '1e309',
            '99999999999999999999999',
            '1.5',
            encodeURIComponent("' OR 1=1 --"),
            enc(`//evil.example/${hostile()}`),
            'true',
            '',
          ]);
        const query = () => {
          const parts: string[] = [];
          for (let i = 0, n = 1 + rnd.int(3); i < n; i++) {
            const name = rnd.pick(names);
            parts.push(rnd.chance(0.15) ? `${name}[]=${value()}&${name}[]=${value()}` : rnd.chance(0.1) ? `${name}[a]=${value()}` : `${name}=${value()}`);
          }
          return parts.join('&');
        };
        const readKey = () => (isPublic ? (rnd.chance(0.5) ? A.keys.author : undefined) : allowedKey(rule.roles));
        generators.push(() => add('hostile-query', { path: `${ownPath()}?${query()}`, headers: withKey(readKey()), body: undefined }));
        generators.push(() => add('hostile-query', { path: `${ownPath()}?${query()}`, headers: rnd.chance(0.5) ? withKey(readKey()) : { cookie: w.Acookie }, body: undefined }));
        generators.push(() => add('huge-query', { path: `${ownPath()}?${rnd.pick(names)}=${'9'.repeat(7000)}&${'k'.repeat(500)}=${'v'.repeat(500)}`, headers: withKey(readKey()), body: undefined }));
        generators.push(() => add('unknown-query', { path: `${ownPath()}?__proto__[admin]=1&constructor[prototype][x]=1&${encodeURIComponent('$where')}=1`, headers: withKey(readKey()), body: undefined }));
        generators.push(() => add('last-event-id', { path: ownPath(), headers: { ...withKey(readKey()), 'last-event-id': rnd.pick(['-1', 'abc', '9'.repeat(30), '1e3', ' ', '0x1']) }, body: undefined }));
      }
      // 7. A method the route does not have.
      const wrongMethod = () => {
        const m = rnd.pick(['PUT', 'DELETE', 'PATCH', 'POST', 'GET'].filter((x) => !registered.has(`${x} ${template}`)));
        if (!m) return;
        const mutating = m !== 'GET';
        add('wrong-method', { method: m, path: ownPath(), headers: jsonHeaders(allowedKey(rule.roles)), body: mutating ? '{"x":1}' : undefined });
      };

      // Systematic first: every DTO field with a wrong type, every refusal the service makes, every
      // query parameter with a NUL and with another hostile value, one wrong method.
      const before = requests.length;
      if (unsafe && dto) {
        for (const f of Object.keys(dto.fields)) {
          const b = refusedBody(0, f);
          add(`dto:${b.kind}`, { path: ownPath(), headers: jsonHeaders(allowedKey(rule.roles)), body: b.body });
        }
        for (const mutation of [1, 2, 3, 4]) {
          const b = refusedBody(mutation);
          add(`dto:${b.kind}`, { path: ownPath(), headers: jsonHeaders(allowedKey(rule.roles)), body: b.body });
        }
        {
          const ct = dto.allOptional ? rnd.pick(['application/x-www-form-urlencoded', 'application/json; charset=utf-16']) : rnd.pick(['text/plain', 'application/xml', 'multipart/form-data; boundary=x', '']);
          add(`content-type:${ct || 'none'}`, { path: ownPath(), headers: withKey(allowedKey(rule.roles), ct ? { 'content-type': ct } : {}), body: json(dto.valid()) });
        }
        for (const poison of [...(dto.poisons ?? []), ...(dto.nul ? [dto.nul] : [])]) {
          const p = poison();
          const path = fill(template, (name) => encodeURIComponent(p.id ?? ownId(template, name)));
          add(poison === dto.nul ? 'nul-in-stored-text' : 'service-refusal', { path, headers: jsonHeaders(p.key ?? allowedKey(rule.roles)), body: json(p.body) });
        }
      }
      if (!unsafe) {
        const names = QUERY_PARAMS[template] ?? [];
        const k = rule.roles === 'public' ? undefined : allowedKey(rule.roles);
        for (const name of names) {
          add('query-nul', { path: `${ownPath()}?${name}=${rnd.pick(['%00', 'a%00b', '%00%00%00'])}`, headers: withKey(k) });
          add('query-hostile', { path: `${ownPath()}?${name}=${enc(hostile())}`, headers: withKey(k) });
        }
      }
      if (params.length) {
        // Names of Object.prototype's members, and traversal, as every id.
        const body = unsafe ? (dto ? json(dto.valid()) : '{}') : undefined;
        const k = allowedKey(rule.roles);
        for (const name of ['constructor', '__proto__', rnd.pick(['toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'])]) {
          add('bad-id:prototype-name', { path: fill(template, () => name), headers: jsonHeaders(k), body });
        }
        add('bad-id:traversal', { path: fill(template, () => rnd.pick(['..%2F..%2F..%2Fetc%2Fpasswd', '..%2F..%2Fpackage.json', '%2e%2e%2f%2e%2e%2fpackage.json', '..%5C..%5Cpackage.json', '....%2F%2F', '%00..%2F'])), headers: jsonHeaders(k), body });
      }
      wrongMethod();
      // Then random picks from what applies, in a shuffled but seeded order, up to PER_ROUTE.
      const order = generators.map((g) => ({ g, k: rnd.next() })).sort((a, b) => a.k - b.k);
      for (let i = 0, start = requests.length; requests.length - start < Math.max(PER_ROUTE - (start - before), 4) && i < PER_ROUTE * 4; i++) order[i % order.length].g();
      // 8. Text that is not text, on every route, signed in and not (support/malformed-requests.ts).
      const editor = method === 'POST' && EDITOR_ROUTES.some((e) => e.method === RequestMethod.POST && `/${e.path}` === template);
      const route = { method, template, ownPath, pathWith: (c: string) => fill(template, () => c), allowedKey: () => allowedKey(rule.roles), anyKey: A.keys.author!, queryNames: QUERY_PARAMS[template] ?? [], dto, form: unsafe && !apiOf(template), multipart: editor };
      for (const m of malformedRequests(route, turn)) add(m.kind, m);
    }
    // ── issue 11, import ── CSV files that must change nothing: a dry run, a file with a bad row
    // (all or nothing), hostile text in every cell, files that are not CSV, other charsets.
    {
      const route = 'POST /api/v1/reviews/import';
      const csvHeaders = (type = 'text/csv') => ({ authorization: `Bearer ${A.keys.review_lead}`, 'content-type': type });
      const add = (kind: string, path: string, body: string | Buffer, type?: string) => requests.push({ route, kind: `csv:${kind}`, method: 'POST', path, headers: csvHeaders(type), body });
      const base = '/api/v1/reviews/import';
      const hostileRow = (n: number) => {
        const row = goodRow(n, '2', { incident_type: rnd.pick(['', 'fatality\u0000', 'FATALITY', "' OR 1=1 --", hostile()]) });
        for (const c of ['external_id', 'summary', 'incident_summary', 'finding_1', 'rec_1_text', 'circumstances', 'instrument_version', 'rec_1_owner_agency']) if (rnd.chance(0.6)) row[c] = hostile().replace(/\u0000/g, '');
        return row;
      };
      add('dry-run', `${base}?dryRun=true`, reviewCsv([goodRow(1), goodRow(2, '1')], { bom: true }));
      for (let i = 0; i < 6; i++) add('hostile-cells', `${base}${rnd.chance(0.5) ? '?dryRun=true' : ''}`, reviewCsv([goodRow(10 + i), hostileRow(20 + i)], { eol: rnd.pick(['\r\n', '\n']) }));
      add('formula-row-refused', base, reviewCsv([goodRow(30, '2', { finding_1: '=HYPERLINK("http://evil.example")', incident_month: '13' })]));
      add('bad-dry-run-value', `${base}?dryRun=maybe`, reviewCsv([goodRow(31)]));
      add('unclosed-quote', base, `${reviewCsv([goodRow(32)])}"HIST-9,fatality\r\n`);
      add('wrong-field-count', base, `${reviewCsv([goodRow(33)])}a,b,c\r\n`);
      add('bom-only', base, '\ufeff');
      add('not-utf-8', base, Buffer.concat([Buffer.from(reviewCsv([goodRow(34)]).slice(0, 200)), Buffer.from([0xc0, 0xaf, 0xff])]));
      add('nul', base, reviewCsv([goodRow(35, '2', { summary: 'a\u0000b' })]));
      add('huge-field', base, reviewCsv([goodRow(36, '2', { summary: 'x'.repeat(600_000) })]));
      add('unknown-column', base, reviewCsv([{ ...goodRow(37), __proto__x: '1' }]));
      add('utf-16', base, reviewCsv([goodRow(38)]), 'text/csv; charset=utf-16');
      add('not-csv', base, reviewCsv([goodRow(39)]), 'text/plain');
    }

    // A few across routes: traversal in a whole path, and paths nobody registered.
    for (const path of ['/api/v1/notices/../users', '/api/v1/../../etc/passwd', '/console/assets/..%2F..%2Fpackage.json', '/console/assets/..%5C..%5Cpackage.json', '/dev/mailbox/..%2F..%2F', '/ack/..%2F..%2Fhealth', '/api/v1/%2e%2e/audit', '//api/v1/notices', '/api/v1/notices/%2F', '/docs/..%2F..%2Fpackage.json']) {
      requests.push({ route: '(traversal)', kind: 'traversal', method: 'GET', path, headers: { authorization: `Bearer ${A.keys.author}` } });
    }

    // ── send, with a little concurrency ───────────────────────────────────────────────────
    const contract = await OpenApiContract.load(stack.url);
    // Wait until the background work (sealing the audit chain, the relay) has settled.
    const before = await settledFingerprint(stack.db);

    const problems: string[] = [];
    const byStatus: Record<string, number> = {};
    const byKind: Record<string, number> = {};
    let reachedHandlers = 0;
    let sent = 0;
    const queue = [...requests];
    async function worker() {
      for (;;) {
        const r = queue.shift();
        if (!r) return;
        let res: RawResponse;
        try {
          res = await sendRaw(stack.url, r);
        } catch (err) {
          // A refused oversized body can reset the connection before the answer is read.
          if (r.kind === 'oversized-body' || (r.body && Buffer.byteLength(r.body) > 200_000)) {
            byStatus['reset'] = (byStatus['reset'] ?? 0) + 1;
            sent++;
            continue;
          }
          problems.push(`${r.method} ${r.path.slice(0, 120)} [${r.kind}]: ${(err as Error).message}`);
          continue;
        }
        sent++;
        byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
        const family = r.kind.split(':')[0];
        byKind[family] = (byKind[family] ?? 0) + 1;
        if (![401, 403, 429].includes(res.status) && !(res.status === 303 && r.kind === 'bad-auth')) reachedHandlers++;
        const what = `${r.method} ${r.path.slice(0, 140)} [${r.route} · ${r.kind}]`;
        if (res.status >= 500) problems.push(`${what}: ${res.status} ${res.text.slice(0, 300)}`);
        if (res.status >= 400) {
          const shaped = (() => {
            try {
              const b = JSON.parse(res.text);
              return b.statusCode === res.status && typeof b.error === 'string' && (typeof b.message === 'string' || Array.isArray(b.message));
            } catch {
              return false;
            }
          })();
          const page = !apiOf(r.path.split('?')[0]) && /^text\/(html|plain)/.test(res.contentType);
          if (!shaped && !page) problems.push(`${what}: error without the {statusCode, error, message} shape (${res.contentType}): ${res.text.slice(0, 200)}`);
        }
        // And the answer is one the OpenAPI document gives for the operation (a wrong method or a traversal reaches another, or none).
        if (r.kind !== 'wrong-method' && r.route !== '(traversal)') {
          const undocumented = contract.responseProblem(r.route, res);
          if (undocumented) problems.push(`${what}: OpenAPI: ${undocumented}`);
        }
      }
    }
    await Promise.all(Array.from({ length: 8 }, worker));
    // Let anything a request might have started (an outbox row, a job) land before comparing.
    await new Promise((r) => setTimeout(r, 2000));
    const changed = changedTables(before, await fingerprint(stack.db));

    console.log(
      `fuzz: ${sent} requests sent (seed ${SEED.toString(16)}), ${requests.length} generated over ${Object.keys(AUTHORIZATION).length} routes; ` +
        `${reachedHandlers} got past authentication and authorization\n` +
        `by status: ${Object.entries(byStatus).map(([s, n]) => `${s}×${n}`).join(' ')}\n` +
        `by kind: ${Object.entries(byKind).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}×${n}`).join(' ')}`,
    );
    expect(sent).toBeGreaterThanOrEqual(2000);
    expect({ problems, changedTables: changed }).toEqual({ problems: [], changedTables: [] });
  }, 300_000);
});
