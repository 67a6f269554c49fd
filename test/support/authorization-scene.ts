/**
 * The scene of the authorization matrix (test/e2e/authorization-*.test.ts): a stack with three
 * seeded agencies (home, other, partnership) whose objects the per-route request factories use:
 * kept ones for calls that are refused, fresh ones (made here) for calls that act.
 */
import { createHash } from 'node:crypto';
import { hashPassword, insertReviewRecord, Role, signAckToken, signAttachmentLink, User } from '@sne/core';
import { issueApiKey } from '../../apps/api/src/api-keys/api-keys.controller';
import { Call, Caller, NOTICE, PASSWORD, PDF_TEXT, request, Res, REVIEW, Seeded, SURVEY_WAVE } from './authorization-calls';
import { createAgency, createTopics, eventually, TestAgency } from './fixtures';
import { OpenApiContract } from './openapi-contract';
import { startStack, Stack } from './stack';

/** The scene, not started yet: its agencies and objects exist once `start()` has run. */
export function createAuthorizationScene() {
  let stack: Stack;
  let contract: OpenApiContract;
  let A: Seeded, B: Seeded, P: Seeded;
  let loginEmail: string;
  let mailId: string;
  let serial = 0;
  const next = () => ++serial;

  const keyOf = (caller: Caller) => (caller === 'anonymous' ? undefined : caller === 'admin' ? P.a.keys.admin! : A.a.keys[caller]!);
  const userOf = (caller: Caller) => (caller === 'admin' ? P.a.userIds.admin! : A.a.userIds[caller as Role]!);

  async function api(method: string, path: string, key: string | undefined, body?: unknown): Promise<Res> {
    const headers: Record<string, string> = {};
    if (key) headers.authorization = `Bearer ${key}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return request(stack.url, method, path, { headers, body: body === undefined ? undefined : JSON.stringify(body) });
  }

  async function must(method: string, path: string, key: string | undefined, body?: unknown): Promise<any> {
    const res = await api(method, path, key, body);
    if (res.status >= 300) throw new Error(`setup: ${method} ${path} → ${res.status} ${res.text}`);
    return res.body;
  }

  const freshDraft = (s: Seeded) => must('POST', '/api/v1/notices', s.a.keys.author, NOTICE);
  async function freshInReview(s: Seeded) {
    const n = await freshDraft(s);
    return must('POST', `/api/v1/notices/${n.id}/submit`, s.a.keys.author);
  }
  async function freshPublished(s: Seeded) {
    const n = await freshInReview(s);
    return must('POST', `/api/v1/notices/${n.id}/approve`, s.a.keys.approver, { contentHash: n.contentHash });
  }
  /** A fresh published notice whose recipient records exist (the fan-out is asynchronous): to remind or resend to. */
  async function freshWithRecords(s: Seeded) {
    const n = await freshPublished(s);
    await eventually(async () => (await stack.db.query(`SELECT 1 FROM acknowledgments WHERE notice_id = $1`, [n.id])).length === 2, 15000, 'the fan-out');
    return n;
  }
  /** The issuer's notice (fresh when the call is to succeed) and one agency that received it. */
  async function toRemind(x: Call) {
    const s = x.target === 'own' ? x.home : x.other;
    const n = x.live ? await freshWithRecords(s) : s.published;
    return { n, recipient: s === x.home ? x.other.id : x.home.id };
  }
  /** A notice the caller's agency received, acknowledged (when the call is to succeed): its action 0 can be assigned. */
  async function toAssign(x: Call): Promise<string> {
    if (x.target === 'other') return x.other.draft.id;
    if (!x.live) return third(x).published.id;
    const n = await freshWithRecords(third(x));
    await must('POST', `/api/v1/notices/${n.id}/acknowledgments`, keyOf(x.caller), {});
    return n.id;
  }
  /** A draft with something the de-identification guard flags (a phone number), and that finding. */
  async function flaggedDraft(s: Seeded): Promise<{ id: string; finding: { field: string; kind: string; text: string } }> {
    const n = await must('POST', '/api/v1/notices', s.a.keys.author, { ...NOTICE, body: `${NOTICE.body} Questions: the on-call worker's cell at 555-201-3344.` });
    const { findings } = await must('GET', `/api/v1/notices/${n.id}/deid`, s.a.keys.author);
    if (!findings?.length) throw new Error('setup: the de-identification guard flagged nothing');
    const { field, kind, text } = findings[0];
    return { id: n.id, finding: { field, kind, text } };
  }
  async function freshSubscription(s: Seeded, paused = false) {
    const sub = await must('POST', '/api/v1/subscriptions', s.a.keys.agency_admin, {
      name: `fresh ${next()}`,
      topicPatterns: ['unused-topic'],
      channel: 'email',
      emailAddresses: [`fresh-${next()}@agency.test`],
    });
    if (paused) await must('POST', `/api/v1/subscriptions/${sub.id}/pause`, s.a.keys.agency_admin);
    return sub;
  }
  /** A person of that agency to disable, re-enable or sign out (so the seeded users stay as they are). */
  async function freshUser(agencyId: string, disabled = false): Promise<string> {
    const [row] = await stack.db.query(
      `INSERT INTO users (agency_id, email, name, roles, disabled_at) VALUES ($1, $2, 'Fresh Person', '{supervisor}', CASE WHEN $3 THEN now() END) RETURNING id`,
      [agencyId, `fresh-${next()}-${agencyId.slice(0, 8)}@agency.test`, disabled],
    );
    return row.id;
  }
  /** An agency to offboard (or, offboarded already, to reinstate). */
  async function freshAgency(offboarded = false): Promise<string> {
    const a = await createAgency(stack.db, { name: 'Leaving', roles: [] });
    if (offboarded) await stack.db.query(`UPDATE agencies SET offboarded_at = now(), offboard_reason = 'left' WHERE id = $1`, [a.id]);
    return a.id;
  }
  async function freshKey(userId: string): Promise<string> {
    return stack.db.transaction(async (m) => (await issueApiKey(m, await m.findOneByOrFail(User, { id: userId }), 'to revoke', null)).id);
  }
  async function freshFailedDelivery(s: Seeded): Promise<string> {
    const [row] = await stack.db.query(
      `INSERT INTO deliveries (subscription_id, agency_id, event_type, channel, recipients, status, attempt_count)
       VALUES ($1, $2, 'subscription.test', 'email', $3, 'failed', 1) RETURNING id`,
      [s.emailSub.id, s.id, s.emailSub.emailAddresses],
    );
    return row.id;
  }
  async function recordOf(agency: Seeded, notice: any): Promise<string> {
    const [row] = await stack.db.query(`SELECT id FROM acknowledgments WHERE agency_id = $1 AND notice_id = $2`, [agency.id, notice.id]);
    if (!row) throw new Error(`setup: ${agency.a.name} has no record of ${notice.id}`);
    return row.id;
  }
  async function deliveryOf(agency: Seeded, notice: any): Promise<string> {
    const [row] = await stack.db.query(`SELECT id FROM deliveries WHERE agency_id = $1 AND notice_id = $2 ORDER BY created_at LIMIT 1`, [agency.id, notice.id]);
    if (!row) throw new Error(`setup: no delivery to ${agency.a.name} of ${notice.id}`);
    return row.id;
  }
  async function tokenFor(agency: Seeded, notice: any): Promise<string> {
    return signAckToken({ ackId: await recordOf(agency, notice), email: `ack@${agency.id}.test`, exp: Math.floor(Date.now() / 1000) + 3600 }, stack.config.ackTokenSecret);
  }

  /** A fresh draft of that agency with one attachment (the PDF fixture is ASCII: it travels as text). */
  async function attachedDraft(s: Seeded): Promise<{ id: string; attachmentId: string }> {
    const n = await freshDraft(s);
    const res = await request(stack.url, 'POST', `/api/v1/notices/${n.id}/attachments?name=guidance.pdf`, { headers: { authorization: `Bearer ${s.a.keys.author}`, 'content-type': 'application/pdf' }, body: PDF_TEXT });
    if (res.status !== 201) throw new Error(`setup: attaching → ${res.status} ${res.text}`);
    return { id: n.id, attachmentId: res.body.id };
  }
  const attached = new Map<Seeded, Promise<{ id: string; attachmentId: string }>>();
  const keptAttachment = (s: Seeded) => attached.get(s) ?? attached.set(s, attachedDraft(s)).get(s)!;
  /** An attachment of an already published notice (written straight to the tables) and its signed link. */
  async function publishedAttachmentLink(s: Seeded): Promise<string> {
    const [row] = await stack.db.query(
      `INSERT INTO notice_attachments (notice_id, name, media_type, size_bytes, sha256, storage, created_by) VALUES ($1, 'guidance.pdf', 'application/pdf', $2, $3, 'postgres', $4) RETURNING id`,
      [s.published.id, PDF_TEXT.length, createHash('sha256').update(PDF_TEXT).digest('hex'), s.a.userIds.author],
    );
    await stack.db.query(`INSERT INTO attachment_blobs (attachment_id, data) VALUES ($1, $2)`, [row.id, Buffer.from(PDF_TEXT, 'latin1')]);
    return signAttachmentLink(row.id, Math.floor(Date.now() / 1000) + 3600, stack.config.ackTokenSecret);
  }

  /** A closed survey wave of that agency with one team and no responses (issue 12: its results page). */
  const waves = new Map<Seeded, Promise<string>>();
  const surveyWave = (s: Seeded) =>
    waves.get(s) ??
    waves
      .set(
        s,
        (async () => {
          const [w] = await stack.db.query(`INSERT INTO survey_waves (agency_id, title, instrument_version, opens_on, closes_on, status) VALUES ($1, 'Wave', '1', '2026-11-01', '2026-11-30', 'closed') RETURNING id`, [s.id]);
          await stack.db.query(`INSERT INTO survey_teams (wave_id, name, expected_headcount) VALUES ($1, 'Intake', 12)`, [w.id]);
          return w.id as string;
        })(),
      )
      .get(s)!;
  /** A review of that agency, taken to `state` by its own people (a review lead submits, an approver approves). */
  async function freshReview(s: Seeded, state: 'draft' | 'submitted' | 'approved' | 'shared' = 'draft'): Promise<any> {
    let r = await must('POST', '/api/v1/reviews', s.a.keys.reviewer, REVIEW);
    if (state === 'draft') return r;
    r = await must('POST', `/api/v1/reviews/${r.id}/submit`, s.a.keys.review_lead);
    if (state === 'submitted') return r;
    r = await must('POST', `/api/v1/reviews/${r.id}/approve`, s.a.keys.approver, { version: r.version, contentHash: r.contentHash });
    if (state === 'approved') return r;
    return must('POST', `/api/v1/reviews/${r.id}/share`, s.a.keys.review_lead, { sharedSummary: 'Water hazards were missing from home safety checks; they are in now.' });
  }
  /** The caller's own review in that state (fresh when the call is to succeed), or the other agency's. */
  const reviewIn = async (x: Call, state: 'draft' | 'submitted' | 'approved') => {
    const key = ({ draft: 'reviewDraft', submitted: 'reviewSubmitted', approved: 'reviewApproved' } as const)[state];
    return x.target === 'own' ? (x.live ? await freshReview(x.home, state) : x.home[key]) : x.other[key];
  };

  /** The seeded agency that is neither the caller's nor the other: its notice is one both of them received. */
  const third = (x: Call): Seeded => [A, B, P].find((s) => s !== x.home && s !== x.other)!;

  // ── issue 12, survey collection: a wave per agency (made once), fresh ones for the calls that change it ──
  const surveyWaves = new Map<string, any>();
  const freshWave = (s: Seeded) => must('POST', '/api/v1/surveys/waves', s.a.keys.agency_admin, SURVEY_WAVE);
  async function waveOf(s: Seeded): Promise<any> {
    if (!surveyWaves.has(s.id)) surveyWaves.set(s.id, await freshWave(s));
    return surveyWaves.get(s.id);
  }
  async function listedWave(s: Seeded, invited: boolean): Promise<any> {
    const w = await freshWave(s);
    await must('POST', `/api/v1/surveys/waves/${w.id}/teams/${w.teams[0].id}/recipients`, s.a.keys.agency_admin, { emails: [`member-${next()}@agency.test`] });
    if (invited) await must('POST', `/api/v1/surveys/waves/${w.id}/invitations`, s.a.keys.agency_admin);
    return w;
  }
  async function surveyCode(s: Seeded): Promise<string> {
    const w = await waveOf(s);
    return (await must('POST', `/api/v1/surveys/waves/${w.id}/teams/${w.teams[0].id}/codes`, s.a.keys.agency_admin, { count: 1 })).codes[0];
  }
  const waveFor = async (x: Call) => (x.target === 'own' ? waveOf(x.home) : waveOf(x.other));

  async function seed(a: TestAgency): Promise<Seeded> {
    const s = { a, id: a.id } as Seeded;
    s.emailSub = await must('POST', '/api/v1/subscriptions', a.keys.agency_admin, {
      name: 'everything safe-sleep',
      topicPatterns: ['safe-sleep'],
      channel: 'email',
      emailAddresses: [`intake-${a.id.slice(0, 8)}@agency.test`],
    });
    s.webhookSub = await must('POST', '/api/v1/subscriptions', a.keys.agency_admin, {
      name: 'intake system',
      topicPatterns: ['unused-topic'],
      channel: 'webhook',
      webhookUrl: 'https://intake.example.org/hooks/sne',
    });
    s.draft = await freshDraft(s);
    s.inReview = await freshInReview(s);
    s.reviewDraft = await freshReview(s);
    s.reviewSubmitted = await freshReview(s, 'submitted');
    s.reviewApproved = await freshReview(s, 'approved');
    s.reviewShared = await freshReview(s, 'shared');
    return s;
  }

  // ── issue 11, review to notice ──
  const approvedReviews = new Map<Seeded, Promise<string>>();
  /** An approved review of that agency (written through the one write path for review records): its id. */
  const approvedReview = (s: Seeded): Promise<string> => {
    if (!approvedReviews.has(s)) {
      const input = {
        incident: { incidentType: 'fatality' as const, incidentYear: 2025, incidentMonth: 2, ageBand: 'under_1' as const, priorInvolvement: 'none' as const, circumstances: ['unsafe_sleep' as const] },
        ratings: {},
        findings: [{ text: 'Home visit checklists had no item on where the infant sleeps.' }],
        recommendations: [{ text: 'Add a safe sleep item to the home visit checklist', owner: 'partnership' as const }],
      };
      approvedReviews.set(s, stack.db.transaction(async (m) => (await insertReviewRecord(m, s.id, null, input, { status: 'approved' })).reviewId));
    }
    return approvedReviews.get(s)!;
  };
  const reviewOf = (x: Call) => approvedReview(x.target === 'own' ? x.home : x.other);

  /** The stack; and, unless `seed: false`, the three agencies, their objects and the published notices' fan-out. */
  async function start(opts: { seed?: boolean } = {}) {
    stack = await startStack();
    if (opts.seed === false) return;
    contract = await OpenApiContract.load(stack.url);
    await createTopics(stack.db, ['safe-sleep', 'unused-topic']);
    const roles: Role[] = ['agency_admin', 'author', 'approver', 'supervisor', 'reviewer', 'review_lead', 'analyst'];
    A = await seed(await createAgency(stack.db, { name: 'Home', roles }));
    B = await seed(await createAgency(stack.db, { name: 'Other', roles }));
    P = await seed(await createAgency(stack.db, { name: 'Partnership', type: 'federal', roles: ['admin', ...roles] }));
    // Subscriptions first, then publish: every agency receives every agency's notice.
    for (const s of [A, B, P]) s.published = await freshPublished(s);
    await eventually(async () => {
      const [r] = await stack.db.query(
        `SELECT count(*)::int AS acks, (SELECT count(*)::int FROM deliveries WHERE notice_id = ANY($1) AND status = 'delivered') AS delivered
           FROM acknowledgments WHERE notice_id = ANY($1)`,
        [[A.published.id, B.published.id, P.published.id]],
      );
      return r.acks === 6 && r.delivered === 6; // each notice to the two other agencies
    }, 30000, 'the fan-out of the three published notices');
    // Passwords for the people whose keys call the API, and a person who signs in.
    const hash = await hashPassword(PASSWORD);
    await stack.db.query(`UPDATE users SET password_hash = $1 WHERE agency_id = ANY($2)`, [hash, [A.id, B.id, P.id]]);
    loginEmail = `signin-${A.id.slice(0, 8)}@agency.test`;
    await stack.db.query(`INSERT INTO users (agency_id, email, name, roles, password_hash) VALUES ($1, $2, 'Sign In', '{supervisor}', $3)`, [A.id, loginEmail, hash]);
    [{ id: mailId }] = await stack.db.query(`SELECT id::text FROM dev_mail ORDER BY id LIMIT 1`);
  }

  async function close() {
    await stack?.close();
  }

  return {
    get stack() {
      return stack;
    },
    get contract() {
      return contract;
    },
    get A() {
      return A;
    },
    get B() {
      return B;
    },
    get P() {
      return P;
    },
    get loginEmail() {
      return loginEmail;
    },
    get mailId() {
      return mailId;
    },
    start,
    close,
    // A unique number, a caller's key and user, a setup call that must succeed.
    next, keyOf, userOf, must,
    // Objects made for one call, and the kept ones looked up.
    freshDraft, freshInReview, freshPublished, toRemind, toAssign, flaggedDraft, freshSubscription, freshUser, freshAgency, freshKey, freshFailedDelivery,
    recordOf, deliveryOf, tokenFor, attachedDraft, keptAttachment, publishedAttachmentLink, surveyWave,
    freshReview, reviewIn, third, surveyWaves, freshWave, waveOf, listedWave, surveyCode, waveFor, reviewOf,
  };
}

export type AuthorizationScene = ReturnType<typeof createAuthorizationScene>;

/** A scene started before the file's tests and closed after them. */
export function useAuthorizationScene(opts: { seed?: boolean } = {}): AuthorizationScene {
  const scene = createAuthorizationScene();
  beforeAll(() => scene.start(opts));
  afterAll(() => scene.close());
  return scene;
}
