/**
 * The world test/e2e/fuzz.test.ts fuzzes: agencies A (the caller's), B (another) and P (the
 * partnership), and the objects, keys, sessions and tokens the generated requests aim at (`w`):
 * each in a state that refuses what the requests do to it. And the context the generators share
 * (support/fuzz-dtos.ts, support/fuzz-targets.ts, support/fuzz-requests.ts): a seeded random
 * source, every role's key, and a few encoders.
 */
import { currentInstrument, hashPassword, insertReviewRecord, itemsOf, signAckToken, User } from '@sne/core';
import { issueApiKey } from '../../apps/api/src/api-keys/api-keys.controller';
import { createAgency, createTopics, eventually, TestAgency } from './fixtures';
import { HOSTILE_STRINGS, prng } from './hostile-input';
import { RawRequest, sendRaw } from './raw-http';
import { Stack, startStack } from './stack';

const PASSWORD = 'correct horse battery staple';

export interface FuzzRequest extends RawRequest {
  route: string;
  kind: string;
  headers: Record<string, string>;
}

export interface FuzzScene {
  stack: Stack;
  A: TestAgency;
  B: TestAgency;
  P: TestAgency;
  w: Record<string, any>;
}

/** Issue 11: a review record, valid as it is. */
export const REVIEW = {
  incident: { incidentType: 'fatality', incidentYear: 2025, incidentMonth: 2, ageBand: '4_6', priorInvolvement: 'in_care', priorRecency: 'current', circumstances: ['vehicle'] },
  summary: 'Transport between placements had no safety check.',
  ratings: { [[...itemsOf(currentInstrument().version).keys()][0]]: 2 },
  findings: [{ text: 'Transport requests had no safety check.' }],
  recommendations: [{ text: 'Add a safety check to transport requests.', owner: 'agency' }],
};

/** The agencies and `w`, seeded through the API (and, where the API has no way, the tables). */
export async function seedFuzzScene(stack: Stack): Promise<FuzzScene> {
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

  await createTopics(stack.db, ['safe-sleep', 'substance-exposure.fentanyl']);
  const roles = ['agency_admin', 'author', 'approver', 'supervisor', 'reviewer', 'review_lead', 'analyst'] as const;
  const A = await createAgency(stack.db, { name: 'Mine', roles: [...roles] });
  const B = await createAgency(stack.db, { name: 'Theirs', roles: [...roles] });
  const P = await createAgency(stack.db, { name: 'Partnership', type: 'federal', roles: ['admin', 'analyst'] });
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
  return { stack, A, B, P, w };
}

export interface FuzzContext extends FuzzScene {
  rnd: ReturnType<typeof prng>;
  roleKeys: Record<string, string>;
  hostile: () => string;
  json: (v: unknown) => string;
  enc: (v: string) => string;
}

export function fuzzContext(scene: FuzzScene, rnd: ReturnType<typeof prng>): FuzzContext {
  const { A, P } = scene;
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
  return { ...scene, rnd, roleKeys, hostile, json, enc };
}

/** In the calling describe block: a stack of its own seeded with the fuzz scene, closed after the block. Read `.scene` in its tests. */
export function fuzzSceneOfBlock(): { stack?: Stack; scene: FuzzScene } {
  const block = {} as { stack?: Stack; scene: FuzzScene };
  beforeAll(async () => {
    block.stack = await startStack();
    block.scene = await seedFuzzScene(block.stack);
  });
  afterAll(async () => {
    await block.stack?.close();
  });
  return block;
}
