/**
 * Authorization proven, not assumed. The authorization table (apps/api/src/common/authorization.table.ts)
 * says, for every endpoint, which roles may call it and how far it reaches. This test:
 *  1. lists every route the running app registered (Express's router) and fails on a route with
 *     no row, or a row with no route; Nest's own handler metadata must agree, and a handler marked
 *     @Public() must be a 'public' row (and the other way round);
 *  2. shows that the guard refuses (403) a route that has no row: fail closed;
 *  3. calls every route as every role (and with no credentials), for an object of the caller's own
 *     agency, for another agency's private object (404 unless the table lets a partnership admin
 *     cross agencies), and, where the scope makes another agency's object readable, for that one
 *     too, and checks the exact status: allowed → its success code, wrong role → 403, nobody → 401.
 */
import { ExecutionContext, ForbiddenException, Logger, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { currentInstrument, hashPassword, itemsOf, Role, signAckToken, signAttachmentLink, User } from '@sne/core';
import { issueApiKey } from '../../apps/api/src/api-keys/api-keys.controller';
import { SessionsService } from '../../apps/api/src/auth/sessions.service';
import { ApiKeyGuard } from '../../apps/api/src/common/api-key.guard';
import { AUTHORIZATION, AuthorizationRule } from '../../apps/api/src/common/authorization.table';
import { PUBLIC_KEY } from '../../apps/api/src/common/principal';
import { OpenApiContract } from '../support/openapi-contract';
import { startStack, Stack } from '../support/stack';
import { createAgency, createTopics, eventually, TestAgency } from '../support/fixtures';
import { goodRow, reviewCsv } from '../support/review-csv';
import { insertReviewRecord } from '@sne/core';

type Caller = 'anonymous' | Role;
type Target = 'own' | 'other' | 'shared';
const CALLERS: Caller[] = ['anonymous', 'admin', 'agency_admin', 'author', 'approver', 'supervisor', 'reviewer', 'review_lead', 'analyst'];
const PASSWORD = 'correct horse battery staple';

const PDF_TEXT = readFileSync(join(__dirname, '../fixtures/attachments/guidance.pdf'), 'latin1');

interface Res {
  status: number;
  contentType: string;
  text: string;
  body: any;
}

/** One HTTP request with node's client; an event stream is cut once its status is known. */
function request(base: string, method: string, path: string, opts: { headers?: Record<string, string>; body?: string } = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    const headers: Record<string, string | number> = { ...(opts.headers ?? {}) };
    if (opts.body !== undefined) headers['content-length'] = Buffer.byteLength(opts.body);
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      const contentType = String(res.headers['content-type'] ?? '');
      if (contentType.startsWith('text/event-stream') || contentType.startsWith('application/x-ndjson')) {
        res.destroy();
        resolve({ status: res.statusCode ?? 0, contentType, text: '', body: undefined });
        return;
      }
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => {
        let body: any;
        try {
          body = text && contentType.includes('json') ? JSON.parse(text) : undefined;
        } catch {
          body = undefined;
        }
        resolve({ status: res.statusCode ?? 0, contentType, text, body });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(15000, () => req.destroy(new Error(`timeout: ${method} ${path}`)));
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** Every (method, path) Express routes: Nest's controllers, plus what SwaggerModule mounted itself. */
function expressRoutes(stack: Stack): Set<string> {
  const app = stack.api.getHttpAdapter().getInstance();
  const router = app.router ?? app._router;
  const keys = new Set<string>();
  for (const layer of router.stack) {
    if (!layer.route) continue;
    for (const [method, on] of Object.entries(layer.route.methods as Record<string, boolean>)) {
      if (on && method !== '_all') keys.add(`${method.toUpperCase()} ${layer.route.path}`);
    }
  }
  return keys;
}

/** Every route Nest's controllers declare, from their metadata, with whether it carries @Public(). */
function nestRoutes(stack: Stack): Map<string, { handler: string; isPublic: boolean }> {
  const out = new Map<string, { handler: string; isPublic: boolean }>();
  const join = (...parts: string[]) => `/${parts.map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;
  for (const mod of stack.api.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const ctrl = wrapper.metatype as (new (...args: any[]) => unknown) | null;
      if (!ctrl) continue;
      const bases = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, ctrl) ?? '');
      const classPublic = Reflect.getMetadata(PUBLIC_KEY, ctrl) === true;
      for (const name of Object.getOwnPropertyNames(ctrl.prototype)) {
        const fn = ctrl.prototype[name];
        if (name === 'constructor' || typeof fn !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, fn);
        if (method === undefined) continue;
        const paths = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, fn) ?? '');
        for (const base of bases) {
          for (const path of paths) {
            out.set(`${RequestMethod[method]} ${join(base, path)}`, {
              handler: `${ctrl.name}.${name}`,
              isPublic: classPublic || Reflect.getMetadata(PUBLIC_KEY, fn) === true,
            });
          }
        }
      }
    }
  }
  return out;
}

/** What one agency holds for the matrix. */
interface Seeded {
  a: TestAgency;
  id: string;
  draft: any;
  inReview: any;
  published: any;
  emailSub: any;
  webhookSub: any;
  /** Issue 11: a review of this agency in each state, and the approved one's recommendation. */
  reviewDraft: any;
  reviewSubmitted: any;
  reviewApproved: any;
  reviewShared: any;
}

interface Call {
  caller: Caller;
  target: Target;
  /** The caller's agency (the partnership agency for the admin) and the other agency. */
  home: Seeded;
  other: Seeded;
  /** True when this call is expected to succeed: build fresh objects for destructive calls then. */
  live: boolean;
}

interface Req {
  path: string;
  body?: unknown;
  form?: Record<string, string>;
  /** A body sent as is, with its content type (an attachment's bytes). */
  raw?: { type: string; text: string };
}

interface RouteSpec {
  /** The status of an allowed call (or the statuses, for console forms: 303 accepted, 400 sent back with its errors). */
  ok: number | number[];
  /** What a caller with no credentials gets, when not 401 (the console redirects to its sign-in page). */
  anonymous?: number;
  /** Which objects to call it on (default: own only). */
  targets?: Target[];
  req(x: Call): Promise<Req> | Req;
  /** The other agency's object answers this instead of 404 (documented in the table's note). */
  other?: (caller: Caller) => number | undefined;
  /** More checks on a successful answer (row-level filtering): returns the problem, if any. */
  check?: (x: Call, res: Res) => string | undefined;
}

describe('authorization: one table, every route, every role', () => {
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

  const NOTICE = {
    title: 'Inclined infant sleepers',
    summary: 'Remove inclined sleepers from homes under supervision.',
    body: 'Inclined sleepers are linked to suffocation. Check every home with an infant.',
    category: 'alert',
    severity: 'high',
    topics: ['safe-sleep'],
    requiredActions: ['Check every home with an infant under one year'],
  };

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
  // ── issue 11, reviews ──
  const REVIEW = {
    incident: { incidentType: 'serious_injury', incidentYear: 2025, incidentMonth: 3, ageBand: '1_3', priorInvolvement: 'none', circumstances: ['drowning'] },
    summary: 'Pool fencing was not part of home safety checks.',
    ratings: Object.fromEntries([...itemsOf(currentInstrument().version).keys()].map((id) => [id, 1])),
    findings: [{ text: 'Home safety checks did not cover water hazards.' }],
    recommendations: [{ text: 'Add water hazards to the home safety check.', owner: 'agency' }],
  };
  const reviewForm = {
    incidentType: 'serious_injury', incidentYear: '2025', incidentMonth: '3', ageBand: '1_3', priorInvolvement: 'none', priorRecency: '', circumstances: 'drowning',
    summary: 'Pool fencing was not part of home safety checks.', finding_text_0: 'Home safety checks did not cover water hazards.', rec_text_0: 'Add water hazards to the check.', rec_owner_0: 'agency',
  };
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
  const SURVEY_WAVE = { title: 'Team survey', opensOn: '2020-01-01', closesOn: '2099-12-31', teams: [{ name: 'Intake unit', expectedHeadcount: 8 }] };
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

  const isTwoHundred = (n: number) => n >= 200 && n < 300;

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

  beforeAll(async () => {
    stack = await startStack();
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
  });

  afterAll(async () => {
    await stack?.close();
  });

  // ── per route: a valid request, and what "own", "other" and "shared" mean for it ──────────────
  const id = (x: Call, own: string, other: string, shared?: string) => (x.target === 'own' ? own : x.target === 'other' ? other : shared ?? other);
  const onlyHome = (items: any[], agencyOf: (i: any) => string) => (x: Call) =>
    items.every((i) => agencyOf(i) === x.home.id) ? undefined : `rows of another agency leaked: ${JSON.stringify(items.map(agencyOf))}`;


  // ── the console: the same objects through its pages and forms (with an API key: no CSRF) ─────
  const PAGE = 200;
  const FORM = [303, 400];
  const c = (spec: RouteSpec): RouteSpec => ({ anonymous: 303, ...spec });
  const noticeForm = { title: NOTICE.title, summary: NOTICE.summary, body: NOTICE.body, category: 'alert', severity: 'high', topics: 'safe-sleep', requiredActions: NOTICE.requiredActions[0], intent: 'save' };
  const CONSOLE: Record<string, RouteSpec> = {
    'GET /': { ok: 302, req: () => ({ path: '/' }) },
    'GET /console/assets/:file': { ok: 200, req: () => ({ path: '/console/assets/console.css' }) },
    'GET /console/sign-in': { ok: 200, req: () => ({ path: '/console/sign-in' }) },
    'POST /console/sign-in': { ok: 303, req: () => ({ path: '/console/sign-in', form: { email: loginEmail, password: PASSWORD } }) },
    'POST /console/sign-out': c({ ok: 303, req: () => ({ path: '/console/sign-out', form: {} }) }),
    'GET /console': c({ ok: PAGE, req: () => ({ path: '/console' }) }),
    'GET /console/account': c({ ok: PAGE, req: () => ({ path: '/console/account' }) }),
    'POST /console/account/password': c({
      ok: 303,
      req: () => ({ path: '/console/account/password', form: { currentPassword: PASSWORD, newPassword: PASSWORD, confirmPassword: PASSWORD } }),
    }),
    'POST /console/account/keys': c({ ok: 303, req: () => ({ path: '/console/account/keys', form: { name: `console key ${next()}` } }) }),
    'GET /console/dashboard': c({ ok: PAGE, req: () => ({ path: '/console/dashboard' }) }),
    'GET /console/notices': c({ ok: PAGE, req: () => ({ path: '/console/notices' }) }),
    'GET /console/notices/new': c({ ok: PAGE, req: () => ({ path: '/console/notices/new' }) }),
    'POST /console/notices': c({ ok: FORM, req: () => ({ path: '/console/notices', form: noticeForm }) }),
    'POST /console/notices/preview': c({ ok: [200, 201], req: () => ({ path: '/console/notices/preview', form: { body: '# Heading' } }) }),
    'GET /console/notices/:id': c({
      ok: PAGE,
      targets: ['own', 'other', 'shared'],
      req: (x) => ({ path: `/console/notices/${id(x, x.home.draft.id, x.other.draft.id, x.other.published.id)}` }),
    }),
    'GET /console/notices/:id/edit': c({ ok: PAGE, targets: ['own', 'other'], req: (x) => ({ path: `/console/notices/${id(x, x.home.draft.id, x.other.draft.id)}/edit` }) }),
    'POST /console/notices/:id/edit': c({
      ok: FORM,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/console/notices/${id(x, x.home.draft.id, x.other.draft.id)}/edit`, form: noticeForm }),
    }),
    // shared: another agency's published notice is public, so its editor page shows; drafting the update answers 404.
    'GET /console/notices/:id/update': c({
      ok: PAGE,
      targets: ['own', 'other', 'shared'],
      req: (x) => ({ path: `/console/notices/${id(x, x.home.published.id, x.other.draft.id, x.other.published.id)}/update` }),
    }),
    'POST /console/notices/:id/update': c({
      ok: FORM,
      targets: ['own', 'other'],
      req: async (x) => {
        const n = x.target === 'own' ? (x.live ? await freshPublished(x.home) : x.home.published) : x.other.published;
        return { path: `/console/notices/${n.id}/update`, form: { ...noticeForm, summary: 'A clearer summary of the notice.', material: 'false' } };
      },
    }),
    'GET /console/notices/:id/recipients': c({
      ok: PAGE,
      targets: ['own', 'other', 'shared'],
      req: (x) => ({ path: `/console/notices/${id(x, x.home.published.id, x.other.draft.id, x.other.published.id)}/recipients` }),
    }),
    // attachments and print views (issue 10, items 5 and 6); a form without a file is sent back (303) unchanged
    'POST /console/notices/:id/attachments': c({
      ok: FORM,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/console/notices/${id(x, x.home.draft.id, x.other.draft.id)}/attachments`, form: {} }),
    }),
    'POST /console/notices/:id/attachments/:attachmentId/remove': c({
      ok: FORM,
      targets: ['own', 'other'],
      req: async (x) => {
        const a = x.target === 'own' ? (x.live ? await attachedDraft(x.home) : await keptAttachment(x.home)) : await keptAttachment(x.other);
        return { path: `/console/notices/${a.id}/attachments/${a.attachmentId}/remove`, form: {} };
      },
    }),
    'GET /console/notices/:id/print': c({
      ok: PAGE,
      targets: ['own', 'other', 'shared'],
      req: (x) => ({ path: `/console/notices/${id(x, x.home.draft.id, x.other.draft.id, x.other.published.id)}/print` }),
    }),
    'GET /console/notices/:id/report/print': c({
      ok: PAGE,
      targets: ['own', 'other', 'shared'],
      req: (x) => ({ path: `/console/notices/${id(x, x.home.published.id, x.other.draft.id, x.other.published.id)}/report/print` }),
    }),
    'POST /console/notices/:id/submit': c({
      ok: 303,
      targets: ['own', 'other'],
      req: async (x) => ({ path: `/console/notices/${x.target === 'own' ? (x.live ? await freshDraft(x.home) : x.home.draft).id : x.other.draft.id}/submit`, form: {} }),
    }),
    'POST /console/notices/:id/approve': c({
      ok: 303,
      targets: ['own', 'other'],
      req: async (x) => {
        const n = x.target === 'own' ? (x.live ? await freshInReview(x.home) : x.home.inReview) : x.other.inReview;
        return { path: `/console/notices/${n.id}/approve`, form: { contentHash: n.contentHash } };
      },
    }),
    'POST /console/notices/:id/reject': c({
      ok: 303,
      targets: ['own', 'other'],
      req: async (x) => {
        const n = x.target === 'own' ? (x.live ? await freshInReview(x.home) : x.home.inReview) : x.other.inReview;
        return { path: `/console/notices/${n.id}/reject`, form: { reasons: 'Name the product model' } };
      },
    }),
    // issue 10, review workflow (i10-review)
    'GET /console/notices/:id/publish': c({
      ok: PAGE,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/console/notices/${id(x, x.home.inReview.id, x.other.inReview.id)}/publish` }),
    }),
    'POST /console/notices/:id/publish': c({
      ok: 303,
      targets: ['own', 'other'],
      req: async (x) => {
        const n = x.target === 'own' ? (x.live ? await freshInReview(x.home) : x.home.inReview) : x.other.inReview;
        return { path: `/console/notices/${n.id}/publish`, form: { contentHash: n.contentHash, recipientCount: '0', recipientsDigest: '0'.repeat(64) } };
      },
    }),
    'POST /console/account/preferences': c({ ok: 303, req: () => ({ path: '/console/account/preferences', form: { reviewEmails: 'on' } }) }),
    'POST /console/notices/:id/cancel': c({
      ok: 303,
      targets: ['own', 'other'],
      req: async (x) => {
        const n = x.target === 'own' ? (x.live ? await freshPublished(x.home) : x.home.published) : x.other.published;
        return { path: `/console/notices/${n.id}/cancel`, form: { reason: 'Issued in error' } };
      },
    }),
    'POST /console/notices/:id/deid-overrides': c({
      ok: 303,
      targets: ['own', 'other'],
      req: async (x) => {
        const justification = 'A public hotline number, not a family';
        if (x.target === 'own' && x.live) {
          const d = await flaggedDraft(x.home);
          return { path: `/console/notices/${d.id}/deid-overrides`, form: { index: '0', ...d.finding, justification } };
        }
        const n = x.target === 'own' ? x.home.draft : x.other.draft;
        return { path: `/console/notices/${n.id}/deid-overrides`, form: { index: '0', field: 'body', kind: 'phone', text: '555-201-3344', justification } };
      },
    }),
    'POST /console/notices/:id/acknowledge': c({
      ok: 303,
      targets: ['own', 'other', 'shared'],
      // own: the home agency's record of a notice it received (an issuer owes no acknowledgment for its own).
      req: (x) => ({ path: `/console/notices/${id(x, third(x).published.id, x.other.draft.id, x.other.published.id)}/acknowledge`, form: { name: 'Pat' } }),
    }),
    'POST /console/notices/:id/actions': c({
      ok: 303,
      targets: ['own', 'other', 'shared'],
      req: async (x) => {
        const noticeId = id(x, third(x).published.id, x.other.draft.id, x.other.published.id);
        if (x.live) await must('POST', `/api/v1/notices/${noticeId}/acknowledgments`, keyOf(x.caller), {});
        return { path: `/console/notices/${noticeId}/actions`, form: { name: 'Pat', action_0: 'done', note_0: 'Checked' } };
      },
    }),
    // issue 10, items 3 and 4 (i10-supervise)
    'POST /console/notices/:id/remind': c({
      ok: 303,
      targets: ['own', 'other'],
      req: async (x) => ({ path: `/console/notices/${(await toRemind(x)).n.id}/remind`, form: { note: 'Please respond' } }),
    }),
    'GET /console/notices/:id/recipients/:agencyId': c({
      ok: PAGE,
      targets: ['own', 'other', 'shared'],
      req: (x) => ({ path: `/console/notices/${id(x, x.home.published.id, x.other.draft.id, x.other.published.id)}/recipients/${id(x, x.other.id, x.home.id, x.home.id)}` }),
    }),
    'POST /console/notices/:id/recipients/:agencyId/resend': c({
      ok: 303,
      targets: ['own', 'other'],
      req: async (x) => {
        const { n, recipient } = await toRemind(x);
        return { path: `/console/notices/${n.id}/recipients/${recipient}/resend`, form: { note: 'It never arrived' } };
      },
    }),
    'GET /console/inbox': c({ ok: PAGE, req: () => ({ path: '/console/inbox?state=owed' }) }),
    'GET /console/notices/:id/enquiries': c({ ok: PAGE, targets: ['own', 'other'], req: (x) => ({ path: `/console/notices/${id(x, x.home.draft.id, x.other.draft.id)}/enquiries` }) }),
    'POST /console/notices/:id/enquiries': c({
      ok: 303,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/console/notices/${id(x, x.home.draft.id, x.other.draft.id)}/enquiries`, form: { name: 'Jordan Lee', role: '', email: 'jordan@agency.test', phone: '' } }),
    }),
    'GET /console/notices/:id/actions/:index': c({
      ok: PAGE,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/console/notices/${id(x, third(x).published.id, x.other.draft.id)}/actions/0` }),
    }),
    'POST /console/notices/:id/actions/:index': c({
      ok: 303,
      targets: ['own', 'other'],
      req: async (x) => ({ path: `/console/notices/${await toAssign(x)}/actions/0`, form: { assignee: userOf(x.caller), due: '', note: 'Started' } }),
    }),
    'POST /console/deliveries/:id/retry': c({
      ok: 303,
      targets: ['own', 'other'],
      req: async (x) => {
        const s = x.target === 'own' ? x.home : x.other;
        return { path: `/console/deliveries/${x.live ? await freshFailedDelivery(s) : await deliveryOf(s, third(x).published)}/retry`, form: { back: '/console' } };
      },
    }),
    'GET /console/subscriptions': c({ ok: PAGE, req: () => ({ path: '/console/subscriptions' }) }),
    'POST /console/subscriptions': c({
      ok: FORM,
      req: () => ({ path: '/console/subscriptions', form: { name: `console ${next()}`, channel: 'email', topics: 'unused-topic', emailAddresses: 'console@agency.test' } }),
    }),
    'GET /console/subscriptions/:id': c({ ok: PAGE, targets: ['own', 'other'], req: (x) => ({ path: `/console/subscriptions/${id(x, x.home.emailSub.id, x.other.emailSub.id)}` }) }),
    'POST /console/subscriptions/:id': c({
      ok: FORM,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/console/subscriptions/${id(x, x.home.emailSub.id, x.other.emailSub.id)}`, form: { name: 'everything safe-sleep', topics: 'safe-sleep', emailAddresses: x.home.emailSub.emailAddresses[0] } }),
    }),
    'GET /console/subscriptions/:id/deliveries': c({
      ok: PAGE,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/console/subscriptions/${id(x, x.home.emailSub.id, x.other.emailSub.id)}/deliveries` }),
    }),
    'POST /console/subscriptions/:id/pause': c({
      ok: 303,
      targets: ['own', 'other'],
      req: async (x) => ({ path: `/console/subscriptions/${x.target === 'own' ? (x.live ? await freshSubscription(x.home) : x.home.emailSub).id : x.other.emailSub.id}/pause`, form: {} }),
    }),
    'POST /console/subscriptions/:id/resume': c({
      ok: 303,
      targets: ['own', 'other'],
      req: async (x) => ({ path: `/console/subscriptions/${x.target === 'own' ? (x.live ? await freshSubscription(x.home, true) : x.home.emailSub).id : x.other.emailSub.id}/resume`, form: {} }),
    }),
    'POST /console/subscriptions/:id/delete': c({
      ok: 303,
      targets: ['own', 'other'],
      req: async (x) => ({ path: `/console/subscriptions/${x.target === 'own' ? (x.live ? await freshSubscription(x.home) : x.home.emailSub).id : x.other.emailSub.id}/delete`, form: {} }),
    }),
    'POST /console/subscriptions/:id/retry-failed': c({
      ok: 303,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/console/subscriptions/${id(x, x.home.emailSub.id, x.other.emailSub.id)}/retry-failed`, form: {} }),
    }),
    'POST /console/subscriptions/:id/test': c({
      ok: 303,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/console/subscriptions/${id(x, x.home.emailSub.id, x.other.emailSub.id)}/test`, form: {} }),
    }),
    'POST /console/subscriptions/:id/rotate-secret': c({
      ok: 303,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/console/subscriptions/${id(x, x.home.webhookSub.id, x.other.webhookSub.id)}/rotate-secret`, form: {} }),
    }),
    // i10-defects: the one-time secret page (an empty slot says the secret is no longer shown).
    'GET /console/subscriptions/:id/secret': c({ ok: PAGE, targets: ['own', 'other'], req: (x) => ({ path: `/console/subscriptions/${id(x, x.home.webhookSub.id, x.other.webhookSub.id)}/secret` }) }),
    'GET /console/admin': c({ ok: PAGE, req: () => ({ path: '/console/admin' }) }),
    'POST /console/admin/users': c({
      ok: FORM,
      req: () => ({ path: '/console/admin/users', form: { name: 'Console Person', email: `console-${next()}@agency.test`, roles: 'supervisor', kind: 'person' } }),
    }),
    'GET /console/admin/users/:id': c({
      ok: PAGE,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/console/admin/users/${id(x, x.home.a.userIds.author!, x.other.a.userIds.author!)}` }),
    }),
    'POST /console/admin/users/:id/password': c({
      ok: 303,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/console/admin/users/${id(x, x.home.a.userIds.supervisor!, x.other.a.userIds.supervisor!)}/password`, form: { password: PASSWORD } }),
    }),
    'POST /console/admin/users/:id/roles': c({
      ok: 303,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/console/admin/users/${id(x, x.home.a.userIds.supervisor!, x.other.a.userIds.supervisor!)}/roles`, form: { roles: 'supervisor' } }),
    }),
    'POST /console/admin/users/:id/disable': c({
      ok: 303,
      targets: ['own', 'other'],
      req: async (x) => ({ path: `/console/admin/users/${x.live ? await freshUser((x.target === 'own' ? x.home : x.other).id) : id(x, x.home.a.userIds.supervisor!, x.other.a.userIds.supervisor!)}/disable`, form: { reason: 'left' } }),
    }),
    'POST /console/admin/users/:id/enable': c({
      ok: 303,
      targets: ['own', 'other'],
      req: async (x) => ({ path: `/console/admin/users/${await freshUser((x.target === 'own' ? x.home : x.other).id, true)}/enable`, form: {} }),
    }),
    'POST /console/admin/users/:id/sessions/end': c({
      ok: 303,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/console/admin/users/${id(x, x.home.a.userIds.supervisor!, x.other.a.userIds.supervisor!)}/sessions/end`, form: {} }),
    }),
    'POST /console/admin/keys': c({ ok: [303, 400], req: () => ({ path: '/console/admin/keys', form: { name: `console key ${next()}` } }) }),
    'POST /console/admin/keys/:id/revoke': c({
      ok: 303,
      targets: ['own', 'other'],
      req: async (x) => {
        if (x.target === 'other') {
          const [k] = await stack.db.query(`SELECT id FROM api_keys WHERE user_id = $1 AND revoked_at IS NULL LIMIT 1`, [x.other.a.userIds.author]);
          return { path: `/console/admin/keys/${k.id}/revoke`, form: {} };
        }
        return { path: `/console/admin/keys/${await freshKey(x.caller === 'anonymous' ? A.a.userIds.author! : userOf(x.caller))}/revoke`, form: {} };
      },
    }),
    'POST /console/admin/agencies': c({
      ok: FORM,
      req: () => {
        const n = next();
        return { path: '/console/admin/agencies', form: { name: `Console agency ${n}`, jurisdictionType: 'county', jurisdictionCode: `k${n}`, timeZone: 'America/Denver', noticesContactEmail: `console-${n}@agency.test` } };
      },
    }),
    'POST /console/admin/topics': c({ ok: FORM, req: () => ({ path: '/console/admin/topics', form: { key: `console.topic-${next()}`, title: 'A console topic' } }) }),
    'GET /console/admin/agencies/:id': c({ ok: PAGE, targets: ['own', 'other'], req: (x) => ({ path: `/console/admin/agencies/${id(x, x.home.id, x.other.id)}` }) }),
    'POST /console/admin/agencies/:id/contacts': c({
      ok: 303,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/console/admin/agencies/${id(x, x.home.id, x.other.id)}/contacts`, form: { noticesContactEmail: `notices-${next()}@agency.test`, escalationContacts: 'first@agency.test\nsecond@agency.test', fallbackContacts: '' } }),
    }),
    'POST /console/admin/agencies/:id/offboard': c({ ok: 303, req: async (x) => ({ path: `/console/admin/agencies/${x.live ? await freshAgency() : x.other.id}/offboard`, form: { reason: 'left the partnership' } }) }),
    'POST /console/admin/agencies/:id/reinstate': c({ ok: 303, req: async () => ({ path: `/console/admin/agencies/${await freshAgency(true)}/reinstate`, form: {} }) }),
    'GET /console/admin/topics/:key': c({ ok: PAGE, req: () => ({ path: '/console/admin/topics/unused-topic' }) }),
    'POST /console/admin/topics/:key': c({ ok: 303, req: () => ({ path: '/console/admin/topics/unused-topic', form: { title: 'Unused topic', description: `Edited ${next()}` } }) }),
    // issue 10, item 7 (i10-admin)
    'GET /console/admin/agencies': c({ ok: PAGE, req: () => ({ path: '/console/admin/agencies?q=a&page=2' }) }),
    'GET /console/admin/topics': c({ ok: PAGE, req: () => ({ path: '/console/admin/topics?q=safe' }) }),
    'POST /console/admin/agencies/:id': c({
      ok: 303,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/console/admin/agencies/${id(x, x.home.id, x.other.id)}`, form: { timeZone: 'America/Chicago' } }),
    }),
    'POST /console/admin/users/:id/details': c({
      ok: 303,
      targets: ['own', 'other'],
      req: (x) => {
        const n = next();
        return { path: `/console/admin/users/${id(x, x.home.a.userIds.supervisor!, x.other.a.userIds.supervisor!)}/details`, form: { name: `Renamed ${n}`, email: `renamed-${n}@agency.test` } };
      },
    }),
    'GET /console/admin/audit': c({
      ok: PAGE,
      req: () => ({ path: '/console/admin/audit?action=user.created' }),
      // An agency admin's page lists its own agency's events only (the agency column is for partnership admins).
      check: (x, res) => (x.caller === 'admin' || !res.text.includes('data-label="Agency"') ? undefined : 'another agency column shown'),
    }),
    // ── issue 11, import ──
    'GET /console/reviews/import': c({ ok: PAGE, req: () => ({ path: '/console/reviews/import' }) }),
    // A form without a file is sent back (400) with its problem; the upload itself: test/browser/review-import.test.ts.
    'POST /console/reviews/import': c({ ok: FORM, req: () => ({ path: '/console/reviews/import', form: { dryRun: 'true' } }) }),
    'GET /console/reviews/import/report': c({ ok: PAGE, req: () => ({ path: '/console/reviews/import/report' }) }),
    // ── issue 11, reviews ──
    'GET /console/reviews': c({
      ok: PAGE,
      req: () => ({ path: '/console/reviews?status=draft' }),
      check: (x, res) => (res.text.includes(x.other.reviewDraft.id) ? "another agency's review listed" : undefined),
    }),
    'GET /console/reviews/new': c({ ok: PAGE, req: () => ({ path: '/console/reviews/new' }) }),
    'POST /console/reviews': c({ ok: 303, req: () => ({ path: '/console/reviews', form: reviewForm }) }),
    'GET /console/reviews/:id': c({ ok: PAGE, targets: ['own', 'other'], req: (x) => ({ path: `/console/reviews/${id(x, x.home.reviewDraft.id, x.other.reviewDraft.id)}` }) }),
    'GET /console/reviews/:id/edit': c({ ok: PAGE, targets: ['own', 'other'], req: (x) => ({ path: `/console/reviews/${id(x, x.home.reviewDraft.id, x.other.reviewDraft.id)}/edit` }) }),
    'POST /console/reviews/:id/edit': c({
      ok: 303,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/console/reviews/${id(x, x.home.reviewDraft.id, x.other.reviewDraft.id)}/edit`, form: reviewForm }),
    }),
    'POST /console/reviews/:id/submit': c({
      ok: 303,
      targets: ['own', 'other'],
      req: async (x) => {
        const r = x.target === 'own' && x.live ? await must('POST', '/api/v1/reviews', x.home.a.keys.reviewer, REVIEW) : x.target === 'own' ? x.home.reviewDraft : x.other.reviewDraft;
        return { path: `/console/reviews/${r.id}/submit`, form: {} };
      },
    }),
    'POST /console/reviews/:id/approve': c({
      ok: 303,
      targets: ['own', 'other'],
      req: async (x) => {
        const r = await reviewIn(x, 'submitted');
        return { path: `/console/reviews/${r.id}/approve`, form: { version: '1', contentHash: r.contentHash } };
      },
    }),
    'POST /console/reviews/:id/return': c({ ok: 303, targets: ['own', 'other'], req: async (x) => ({ path: `/console/reviews/${(await reviewIn(x, 'submitted')).id}/return`, form: { reason: 'Rate it again' } }) }),
    'POST /console/reviews/:id/share': c({
      ok: 303,
      targets: ['own', 'other'],
      req: async (x) => ({ path: `/console/reviews/${(await reviewIn(x, 'approved')).id}/share`, form: { sharedSummary: 'A de-identified summary of the review.' } }),
    }),
    'POST /console/reviews/:id/amend': c({ ok: 303, targets: ['own', 'other'], req: async (x) => ({ path: `/console/reviews/${(await reviewIn(x, 'approved')).id}/amend`, form: {} }) }),
    'POST /console/reviews/:id/recommendations/:recId': c({
      ok: 303,
      targets: ['own', 'other'],
      req: async (x) => {
        const r = await reviewIn(x, 'approved');
        return { path: `/console/reviews/${r.id}/recommendations/${r.recommendations[0].id}`, form: { status: 'accepted', reason: '', implementedOn: '' } };
      },
    }),
    'GET /console/shared-reviews': c({
      ok: PAGE,
      req: () => ({ path: '/console/shared-reviews' }),
      check: (x, res) => (res.text.includes(x.other.reviewShared.id) && !res.text.includes(x.other.reviewApproved.id) ? undefined : 'the shared summaries are not exactly the shared ones'),
    }),
    'GET /console/shared-reviews/:id': c({
      ok: PAGE,
      targets: ['own', 'other', 'shared'],
      req: (x) => ({ path: `/console/shared-reviews/${id(x, x.home.reviewShared.id, x.other.reviewApproved.id, x.other.reviewShared.id)}` }),
    }),
    // ── issue 11, review to notice ──
    'POST /console/reviews/:id/notice-draft': c({ ok: 303, targets: ['own', 'other'], req: async (x) => ({ path: `/console/reviews/${await reviewOf(x)}/notice-draft`, form: { topic: 'safe-sleep' } }) }),
    'GET /console/reviews/:id/notices': c({ ok: PAGE, targets: ['own', 'other'], req: async (x) => ({ path: `/console/reviews/${await reviewOf(x)}/notices` }) }),
    'GET /console/reporting/follow-through': c({ ok: PAGE, req: () => ({ path: '/console/reporting/follow-through' }) }),
    // ── issue 11, reporting (i11-report) ──
    'GET /console/reporting': c({
      ok: PAGE,
      req: () => ({ path: '/console/reporting?from=2025-Q1&to=2025-Q4' }),
      // Analysts and partnership admins get the partnership dashboard; everyone else their agency view.
      check: (x, res) => (res.text.includes('<h1>Partnership reporting</h1>') === ['admin', 'analyst'].includes(x.caller) ? undefined : 'the wrong view'),
    }),
    'GET /console/reporting/agency': c({ ok: PAGE, req: () => ({ path: '/console/reporting/agency' }) }),
    'GET /console/reporting/dictionary': c({ ok: PAGE, req: () => ({ path: '/console/reporting/dictionary' }) }),
    'POST /console/reporting/data-sharing': c({ ok: 303, req: () => ({ path: '/console/reporting/data-sharing', form: { covers: 'incidents', signedOn: '2025-01-01', note: 'console' } }) }),
  };

  const SPECS: Record<string, RouteSpec> = {
    'POST /api/v1/auth/login': { ok: 200, req: () => ({ path: '/api/v1/auth/login', body: { email: loginEmail, password: PASSWORD } }) },
    'POST /api/v1/auth/logout': { ok: 204, req: () => ({ path: '/api/v1/auth/logout' }) },
    'GET /api/v1/auth/session': {
      ok: 200,
      req: () => ({ path: '/api/v1/auth/session' }),
      check: (x, res) => (res.body.user.id === userOf(x.caller) ? undefined : 'another user'),
    },
    'POST /api/v1/auth/password': { ok: 204, req: () => ({ path: '/api/v1/auth/password', body: { currentPassword: PASSWORD, newPassword: PASSWORD } }) },
    'PUT /api/v1/users/:id/password': {
      ok: 204,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/api/v1/users/${id(x, x.home.a.userIds.supervisor!, x.other.a.userIds.supervisor!)}/password`, body: { password: PASSWORD } }),
    },
    'POST /api/v1/agencies': {
      ok: 201,
      req: () => {
        const n = next();
        return { path: '/api/v1/agencies', body: { name: `New agency ${n}`, jurisdictionType: 'tribal', jurisdictionCode: `Nation ${n}`, timeZone: 'America/Denver', noticesContactEmail: `new-${n}@agency.test` } };
      },
    },
    'GET /api/v1/agencies': {
      ok: 200,
      req: () => ({ path: '/api/v1/agencies' }),
      check: (x, res) =>
        x.caller === 'admin' || res.body.every((a: any) => a.id === x.home.id || a.noticesContactEmail === undefined) ? undefined : "another agency's contacts leaked",
    },
    'GET /api/v1/agencies/:id': {
      ok: 200,
      targets: ['own', 'shared'],
      req: (x) => ({ path: `/api/v1/agencies/${id(x, x.home.id, x.other.id)}` }),
      check: (x, res) => (x.target === 'shared' && x.caller !== 'admin' && res.body.noticesContactEmail !== undefined ? "another agency's contacts leaked" : undefined),
    },
    'PATCH /api/v1/agencies/:id': {
      ok: 200,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/api/v1/agencies/${id(x, x.home.id, x.other.id)}`, body: { timeZone: 'America/Chicago' } }),
      other: (c) => (c === 'agency_admin' ? 403 : undefined),
    },
    'POST /api/v1/users': {
      ok: 201,
      targets: ['own', 'other'],
      req: (x) => ({
        path: '/api/v1/users',
        body: { email: `person-${next()}@agency.test`, name: 'New Person', roles: ['supervisor'], ...(x.target === 'other' ? { agencyId: x.other.id } : {}) },
      }),
    },
    'GET /api/v1/users': {
      ok: 200,
      targets: ['own', 'shared'],
      req: (x) => ({ path: `/api/v1/users${x.target === 'shared' ? `?agencyId=${x.other.id}` : ''}` }),
      // ?agencyId is honoured for partnership admins only; anyone else gets their own agency.
      check: (x, res) => {
        const want = x.caller === 'admin' && x.target === 'shared' ? x.other.id : x.home.id;
        return res.body.every((u: any) => u.agencyId === want) && res.body.length > 0 ? undefined : `users of the wrong agency (want ${want})`;
      },
    },
    'GET /api/v1/users/:id': {
      ok: 200,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/api/v1/users/${id(x, x.home.a.userIds.author!, x.other.a.userIds.author!)}` }),
    },
    'PATCH /api/v1/users/:id': {
      ok: 200,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/api/v1/users/${id(x, x.home.a.userIds.supervisor!, x.other.a.userIds.supervisor!)}`, body: { name: `Renamed ${next()}` } }),
    },
    'PUT /api/v1/users/:id/roles': {
      ok: 200,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/api/v1/users/${id(x, x.home.a.userIds.supervisor!, x.other.a.userIds.supervisor!)}/roles`, body: { roles: ['supervisor'] } }),
    },
    'POST /api/v1/users/:id/disable': {
      ok: 200,
      targets: ['own', 'other'],
      req: async (x) => ({ path: `/api/v1/users/${x.live ? await freshUser((x.target === 'own' ? x.home : x.other).id) : id(x, x.home.a.userIds.supervisor!, x.other.a.userIds.supervisor!)}/disable`, body: { reason: 'left' } }),
    },
    'POST /api/v1/users/:id/enable': {
      ok: 200,
      targets: ['own', 'other'],
      req: async (x) => ({ path: `/api/v1/users/${await freshUser((x.target === 'own' ? x.home : x.other).id, true)}/enable` }),
    },
    'DELETE /api/v1/users/:id/sessions': {
      ok: 204,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/api/v1/users/${id(x, x.home.a.userIds.supervisor!, x.other.a.userIds.supervisor!)}/sessions` }),
    },
    'POST /api/v1/agencies/:id/offboard': { ok: 200, req: async (x) => ({ path: `/api/v1/agencies/${x.live ? await freshAgency() : x.other.id}/offboard`, body: { reason: 'left the partnership' } }) },
    'POST /api/v1/agencies/:id/reinstate': { ok: 200, req: async () => ({ path: `/api/v1/agencies/${await freshAgency(true)}/reinstate` }) },
    'POST /api/v1/api-keys': {
      ok: 201,
      targets: ['own', 'other'],
      req: (x) => ({ path: '/api/v1/api-keys', body: { name: `key ${next()}`, ...(x.target === 'other' ? { userId: x.other.a.userIds.author } : {}) } }),
    },
    'GET /api/v1/api-keys': {
      ok: 200,
      req: () => ({ path: '/api/v1/api-keys' }),
      check: (x, res) => onlyHome(res.body, (k) => k.agencyId)(x),
    },
    'DELETE /api/v1/api-keys/:id': {
      ok: 204,
      targets: ['own', 'other'],
      req: async (x) => {
        if (x.target === 'other') {
          const [k] = await stack.db.query(`SELECT id FROM api_keys WHERE user_id = $1 AND revoked_at IS NULL LIMIT 1`, [x.other.a.userIds.author]);
          return { path: `/api/v1/api-keys/${k.id}` };
        }
        return { path: `/api/v1/api-keys/${await freshKey(x.caller === 'anonymous' ? A.a.userIds.author! : userOf(x.caller))}` };
      },
    },
    'GET /api/v1/topics': { ok: 200, req: () => ({ path: '/api/v1/topics' }) },
    'POST /api/v1/topics': { ok: 201, req: () => ({ path: '/api/v1/topics', body: { key: `authz.topic-${next()}`, title: 'A topic' } }) },
    'PATCH /api/v1/topics/:key': { ok: 200, req: () => ({ path: '/api/v1/topics/unused-topic', body: { description: `Edited ${next()}` } }) },

    'POST /api/v1/notices': { ok: 201, req: () => ({ path: '/api/v1/notices', body: NOTICE }) },
    'GET /api/v1/notices': {
      ok: 200,
      targets: ['own', 'shared'],
      req: (x) => ({ path: `/api/v1/notices?limit=200${x.target === 'shared' ? `&agencyId=${x.other.id}` : ''}` }),
      check: (x, res) =>
        res.body.items.every((n: any) => n.issuingAgencyId === x.home.id || !['draft', 'in_review'].includes(n.status)) ? undefined : "another agency's draft leaked",
    },
    'GET /api/v1/notices/:id': {
      ok: 200,
      targets: ['own', 'other', 'shared'],
      req: (x) => ({ path: `/api/v1/notices/${id(x, x.home.draft.id, x.other.draft.id, x.other.published.id)}` }),
    },
    'PATCH /api/v1/notices/:id': {
      ok: 200,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/api/v1/notices/${id(x, x.home.draft.id, x.other.draft.id)}`, body: { summary: 'An edited summary of the notice.' } }),
    },
    'POST /api/v1/notices/:id/submit': {
      ok: 200,
      targets: ['own', 'other'],
      req: async (x) => ({ path: `/api/v1/notices/${x.target === 'own' ? (x.live ? await freshDraft(x.home) : x.home.draft).id : x.other.draft.id}/submit` }),
    },
    'POST /api/v1/notices/:id/approve': {
      ok: 200,
      targets: ['own', 'other'],
      req: async (x) => {
        const n = x.target === 'own' ? (x.live ? await freshInReview(x.home) : x.home.inReview) : x.other.inReview;
        return { path: `/api/v1/notices/${n.id}/approve`, body: { contentHash: n.contentHash } };
      },
    },
    'POST /api/v1/notices/:id/reject': {
      ok: 200,
      targets: ['own', 'other'],
      req: async (x) => {
        const n = x.target === 'own' ? (x.live ? await freshInReview(x.home) : x.home.inReview) : x.other.inReview;
        return { path: `/api/v1/notices/${n.id}/reject`, body: { reasons: ['Name the product model'] } };
      },
    },
    'POST /api/v1/notices/:id/updates': {
      ok: 201,
      targets: ['own', 'other'],
      req: async (x) => {
        const n = x.target === 'own' ? (x.live ? await freshPublished(x.home) : x.home.published) : x.other.published;
        return { path: `/api/v1/notices/${n.id}/updates`, body: { material: false, summary: 'A clearer summary of the notice.' } };
      },
    },
    'POST /api/v1/notices/:id/cancel': {
      ok: 200,
      targets: ['own', 'other'],
      req: async (x) => {
        const n = x.target === 'own' ? (x.live ? await freshPublished(x.home) : x.home.published) : x.other.published;
        return { path: `/api/v1/notices/${n.id}/cancel`, body: { reason: 'Issued in error' } };
      },
    },

    // issue 10, review workflow (i10-review)
    'GET /api/v1/notices/:id/review': {
      ok: 200,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/api/v1/notices/${id(x, x.home.draft.id, x.other.draft.id)}/review` }),
    },
    'GET /api/v1/notices/:id/versions': {
      ok: 200,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/api/v1/notices/${id(x, x.home.draft.id, x.other.draft.id)}/versions` }),
    },
    'GET /api/v1/auth/preferences': { ok: 200, req: () => ({ path: '/api/v1/auth/preferences' }) },
    'PUT /api/v1/auth/preferences': { ok: 200, req: () => ({ path: '/api/v1/auth/preferences', body: { reviewEmails: true } }) },
    'GET /api/v1/notices/:id/deid': {
      ok: 200,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/api/v1/notices/${id(x, x.home.draft.id, x.other.draft.id)}/deid` }),
    },
    'POST /api/v1/notices/:id/deid-overrides': {
      ok: 200,
      targets: ['own', 'other'],
      req: async (x) => {
        const justification = 'A public hotline number, not a family';
        if (x.target === 'own' && x.live) {
          const d = await flaggedDraft(x.home);
          return { path: `/api/v1/notices/${d.id}/deid-overrides`, body: { overrides: [{ ...d.finding, justification }] } };
        }
        const n = x.target === 'own' ? x.home.draft : x.other.draft;
        return { path: `/api/v1/notices/${n.id}/deid-overrides`, body: { overrides: [{ field: 'body', kind: 'phone', text: '555-201-3344', justification }] } };
      },
    },

    'POST /api/v1/subscriptions': {
      ok: 201,
      req: () => ({ path: '/api/v1/subscriptions', body: { name: `new ${next()}`, topicPatterns: ['unused-topic'], channel: 'email', emailAddresses: ['new@agency.test'] } }),
    },
    'GET /api/v1/subscriptions': { ok: 200, req: () => ({ path: '/api/v1/subscriptions' }), check: (x, res) => onlyHome(res.body, (s) => s.agencyId)(x) },
    'GET /api/v1/subscriptions/:id': { ok: 200, targets: ['own', 'other'], req: (x) => ({ path: `/api/v1/subscriptions/${id(x, x.home.emailSub.id, x.other.emailSub.id)}` }) },
    'PATCH /api/v1/subscriptions/:id': {
      ok: 200,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/api/v1/subscriptions/${id(x, x.home.emailSub.id, x.other.emailSub.id)}`, body: { name: 'everything safe-sleep' } }),
    },
    'POST /api/v1/subscriptions/:id/pause': {
      ok: 200,
      targets: ['own', 'other'],
      req: async (x) => ({ path: `/api/v1/subscriptions/${x.target === 'own' ? (x.live ? await freshSubscription(x.home) : x.home.emailSub).id : x.other.emailSub.id}/pause` }),
    },
    'POST /api/v1/subscriptions/:id/resume': {
      ok: 200,
      targets: ['own', 'other'],
      req: async (x) => ({ path: `/api/v1/subscriptions/${x.target === 'own' ? (x.live ? await freshSubscription(x.home, true) : x.home.emailSub).id : x.other.emailSub.id}/resume` }),
    },
    'DELETE /api/v1/subscriptions/:id': {
      ok: 204,
      targets: ['own', 'other'],
      req: async (x) => ({ path: `/api/v1/subscriptions/${x.target === 'own' ? (x.live ? await freshSubscription(x.home) : x.home.emailSub).id : x.other.emailSub.id}` }),
    },
    'POST /api/v1/subscriptions/:id/rotate-secret': {
      ok: 200,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/api/v1/subscriptions/${id(x, x.home.webhookSub.id, x.other.webhookSub.id)}/rotate-secret` }),
    },
    'POST /api/v1/subscriptions/:id/retry-failed': {
      ok: 202,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/api/v1/subscriptions/${id(x, x.home.emailSub.id, x.other.emailSub.id)}/retry-failed` }),
    },
    'POST /api/v1/subscriptions/:id/test': {
      ok: 202,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/api/v1/subscriptions/${id(x, x.home.emailSub.id, x.other.emailSub.id)}/test` }),
    },

    'GET /api/v1/notices/:id/acknowledgments': {
      ok: 200,
      targets: ['own', 'other', 'shared'],
      req: (x) => ({ path: `/api/v1/notices/${id(x, x.home.published.id, x.other.draft.id, x.other.published.id)}/acknowledgments` }),
      check: (x, res) =>
        x.target === 'shared' && x.caller !== 'admin'
          ? onlyHome(res.body.items, (i) => i.agency.id)(x)
          : res.body.items.length >= 2 ? undefined : 'the issuer (or an admin) should see every recipient',
    },
    'POST /api/v1/notices/:id/acknowledgments': {
      ok: 200,
      targets: ['own', 'other', 'shared'],
      req: (x) => ({ path: `/api/v1/notices/${id(x, third(x).published.id, x.other.draft.id, x.other.published.id)}/acknowledgments`, body: { name: 'Pat' } }),
      check: (x, res) => (res.body.agencyId === x.home.id ? undefined : "acknowledged another agency's record"),
    },
    'POST /api/v1/notices/:id/acknowledgments/actions': {
      ok: 200,
      targets: ['own', 'other', 'shared'],
      req: async (x) => {
        const noticeId = id(x, third(x).published.id, x.other.draft.id, x.other.published.id);
        if (x.live) await must('POST', `/api/v1/notices/${noticeId}/acknowledgments`, keyOf(x.caller), {});
        return { path: `/api/v1/notices/${noticeId}/acknowledgments/actions`, body: { answers: [{ action: 0, response: 'done', note: 'Checked' }] } };
      },
      check: (x, res) => (res.body.agencyId === x.home.id ? undefined : "answered for another agency's record"),
    },
    'GET /api/v1/acknowledgments/:ackId/answers': {
      ok: 200,
      targets: ['own', 'other', 'shared'],
      // shared: the other agency's record of a notice the caller's agency issued (the issuer's view).
      req: async (x) => ({
        path: `/api/v1/acknowledgments/${x.target === 'own' ? await recordOf(x.home, third(x).published) : x.target === 'other' ? await recordOf(x.other, third(x).published) : await recordOf(x.other, x.home.published)}/answers`,
      }),
    },
    'POST /api/v1/acknowledgments/:token/actions': {
      ok: 200,
      req: async (x) => {
        const token = await tokenFor(x.home, third(x).published);
        await must('POST', `/api/v1/acknowledgments/${token}`, undefined, { name: 'Pat' });
        return { path: `/api/v1/acknowledgments/${token}/actions`, body: { name: 'Pat', answers: [{ action: 0, response: 'done', note: 'Checked' }] } };
      },
    },
    'POST /api/v1/acknowledgments/:token': { ok: 200, req: async (x) => ({ path: `/api/v1/acknowledgments/${await tokenFor(x.home, third(x).published)}`, body: { name: 'Pat' } }) },
    'GET /api/v1/notices/:id/deliveries': {
      ok: 200,
      targets: ['own', 'other', 'shared'],
      req: (x) => ({ path: `/api/v1/notices/${id(x, x.home.published.id, x.other.draft.id, x.other.published.id)}/deliveries` }),
      check: (x, res) => (x.target === 'shared' && x.caller !== 'admin' ? onlyHome(res.body.items, (d) => d.agencyId)(x) : undefined),
    },
    'GET /api/v1/deliveries': {
      ok: 200,
      req: () => ({ path: '/api/v1/deliveries?limit=1000' }),
      // The other agency's own deliveries of its own notice concern neither the caller's agency nor its notices.
      check: (x, res) =>
        x.caller === 'admin' || !res.body.items.some((d: any) => d.agencyId === x.other.id && d.noticeId === third(x).published.id)
          ? undefined
          : "another agency's deliveries leaked",
    },
    'GET /api/v1/deliveries/:id': {
      ok: 200,
      targets: ['own', 'other', 'shared'],
      // shared: the delivery to the other agency of a notice the caller's agency issued.
      req: async (x) => ({
        path: `/api/v1/deliveries/${x.target === 'own' ? await deliveryOf(x.home, third(x).published) : x.target === 'other' ? await deliveryOf(x.other, third(x).published) : await deliveryOf(x.other, x.home.published)}`,
      }),
    },
    'POST /api/v1/deliveries/:id/retry': {
      ok: 202,
      targets: ['own', 'other'],
      req: async (x) => {
        const s = x.target === 'own' ? x.home : x.other;
        return { path: `/api/v1/deliveries/${x.live ? await freshFailedDelivery(s) : await deliveryOf(s, third(x).published)}/retry` };
      },
    },

    'GET /api/v1/notices/:id/report': {
      ok: 200,
      targets: ['own', 'other', 'shared'],
      req: (x) => ({ path: `/api/v1/notices/${id(x, x.home.published.id, x.other.draft.id, x.other.published.id)}/report` }),
      check: (x, res) => (x.target === 'shared' && x.caller !== 'admin' ? onlyHome(res.body.items, (i) => i.agency.id)(x) : undefined),
    },
    'GET /api/v1/agencies/:id/notices': { ok: 200, targets: ['own', 'other'], req: (x) => ({ path: `/api/v1/agencies/${id(x, x.home.id, x.other.id)}/notices` }) },
    // issue 10, items 3 and 4 (i10-supervise)
    'POST /api/v1/notices/:id/reminders': {
      ok: 200,
      targets: ['own', 'other'],
      req: async (x) => ({ path: `/api/v1/notices/${(await toRemind(x)).n.id}/reminders`, body: { note: 'Please respond' } }),
    },
    'POST /api/v1/notices/:id/recipients/:agencyId/resend': {
      ok: 200,
      targets: ['own', 'other'],
      req: async (x) => {
        const { n, recipient } = await toRemind(x);
        return { path: `/api/v1/notices/${n.id}/recipients/${recipient}/resend`, body: { note: 'It never arrived' } };
      },
    },
    'GET /api/v1/notices/:id/recipients/:agencyId/timeline': {
      ok: 200,
      targets: ['own', 'other', 'shared'],
      req: (x) => ({
        path: `/api/v1/notices/${id(x, x.home.published.id, x.other.draft.id, x.other.published.id)}/recipients/${id(x, x.other.id, x.home.id, x.home.id)}/timeline`,
      }),
    },
    'GET /api/v1/inbox': { ok: 200, req: () => ({ path: '/api/v1/inbox?state=owed&limit=5' }) },
    'GET /api/v1/inbox/colleagues': { ok: 200, req: () => ({ path: '/api/v1/inbox/colleagues' }) },
    'GET /api/v1/reports/overdue': { ok: 200, req: () => ({ path: '/api/v1/reports/overdue' }) },
    // i10-defects (scope proven in test/e2e/overdue-records.test.ts).
    'GET /api/v1/reports/overdue-records': { ok: 200, req: () => ({ path: '/api/v1/reports/overdue-records' }) },
    'GET /api/v1/reports/response-times': { ok: 200, req: () => ({ path: '/api/v1/reports/response-times?from=2020-01-01&to=2021-06-01' }) },
    'GET /api/v1/notices/:id/events': {
      ok: 200,
      targets: ['own', 'other', 'shared'],
      req: (x) => ({ path: `/api/v1/notices/${id(x, x.home.published.id, x.other.draft.id, x.other.published.id)}/events` }),
    },
    'GET /api/v1/feed': { ok: 200, req: () => ({ path: '/api/v1/feed' }) },

    'GET /api/v1/audit': {
      ok: 200,
      req: () => ({ path: '/api/v1/audit?limit=1000' }),
      check: (x, res) => (x.caller === 'admin' ? undefined : onlyHome(res.body.items, (e) => e.agencyId)(x)),
    },
    'GET /api/v1/audit/verify': { ok: 200, req: () => ({ path: '/api/v1/audit/verify' }) },
    'GET /api/v1/audit/export': { ok: 200, req: () => ({ path: '/api/v1/audit/export' }) },
    'GET /health': { ok: 200, req: () => ({ path: '/health' }) },
    'GET /health/ready': { ok: 200, req: () => ({ path: '/health/ready' }) },
    'GET /health/live': { ok: 200, req: () => ({ path: '/health/live' }) },
    'GET /metrics': { ok: 200, req: () => ({ path: '/metrics' }) },

    // attachments (issue 10, item 5)
    'POST /api/v1/notices/:id/attachments': {
      ok: 201,
      targets: ['own', 'other'],
      req: async (x) => ({ path: `/api/v1/notices/${x.target === 'own' ? (x.live ? await freshDraft(x.home) : x.home.draft).id : x.other.draft.id}/attachments?name=guidance.pdf`, raw: { type: 'application/pdf', text: PDF_TEXT } }),
    },
    'GET /api/v1/notices/:id/attachments': {
      ok: 200,
      targets: ['own', 'other', 'shared'],
      req: (x) => ({ path: `/api/v1/notices/${id(x, x.home.draft.id, x.other.draft.id, x.other.published.id)}/attachments` }),
    },
    'GET /api/v1/notices/:id/attachments/:attachmentId': {
      ok: 200,
      targets: ['own', 'other'],
      req: async (x) => {
        const a = await keptAttachment(x.target === 'own' ? x.home : x.other);
        return { path: `/api/v1/notices/${a.id}/attachments/${a.attachmentId}` };
      },
    },
    'DELETE /api/v1/notices/:id/attachments/:attachmentId': {
      ok: 204,
      targets: ['own', 'other'],
      req: async (x) => {
        const a = x.target === 'own' ? (x.live ? await attachedDraft(x.home) : await keptAttachment(x.home)) : await keptAttachment(x.other);
        return { path: `/api/v1/notices/${a.id}/attachments/${a.attachmentId}` };
      },
    },
    'GET /attachments/:token': { ok: 200, req: async (x) => ({ path: `/attachments/${await publishedAttachmentLink(third(x))}` }) },
    'GET /ack/:token': { ok: 200, req: async (x) => ({ path: `/ack/${await tokenFor(x.home, third(x).published)}` }) },
    'POST /ack/:token': { ok: 303, req: async (x) => ({ path: `/ack/${await tokenFor(x.home, third(x).published)}`, form: { name: 'Pat' } }) },
    'POST /ack/:token/actions': {
      ok: 303,
      req: async (x) => {
        const token = await tokenFor(x.home, third(x).published);
        await must('POST', `/api/v1/acknowledgments/${token}`, undefined, { name: 'Pat' });
        return { path: `/ack/${token}/actions`, form: { name: 'Pat', action_0: 'done', note_0: 'Checked' } };
      },
    },
    // ── issue 11, import ──
    // Each allowed call imports a fresh one-row file into the caller's own agency (no other agency's object: the file names none).
    'POST /api/v1/reviews/import': {
      ok: 200,
      req: () => ({ path: '/api/v1/reviews/import', raw: { type: 'text/csv', text: reviewCsv([goodRow(next())]) } }),
      check: (x, res) => (res.body?.outcome === 'imported' && res.body.counts.created === 1 ? undefined : `not imported: ${JSON.stringify(res.body).slice(0, 300)}`),
    },
    'GET /api/v1/reviews/import/template': { ok: 200, req: () => ({ path: '/api/v1/reviews/import/template' }) },
    'GET /dev/mailbox': { ok: 200, req: () => ({ path: '/dev/mailbox' }) },
    'GET /dev/mailbox/:id': { ok: 200, req: () => ({ path: `/dev/mailbox/${mailId}` }) },

    // ── issue 11, reviews ──
    'POST /api/v1/reviews': { ok: 201, req: () => ({ path: '/api/v1/reviews', body: REVIEW }) },
    'GET /api/v1/reviews': {
      ok: 200,
      req: () => ({ path: '/api/v1/reviews?limit=1000' }),
      check: (x, res) => (res.body.some((r: any) => [x.other.reviewDraft.id, x.other.reviewShared.id].includes(r.id)) ? "another agency's review listed" : undefined),
    },
    'GET /api/v1/reviews/:id': { ok: 200, targets: ['own', 'other'], req: (x) => ({ path: `/api/v1/reviews/${id(x, x.home.reviewShared.id, x.other.reviewShared.id)}` }) },
    'PATCH /api/v1/reviews/:id': {
      ok: 200,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/api/v1/reviews/${id(x, x.home.reviewDraft.id, x.other.reviewDraft.id)}`, body: { summary: `Edited ${next()}` } }),
    },
    'POST /api/v1/reviews/:id/submit': {
      ok: 200,
      targets: ['own', 'other'],
      req: async (x) => ({ path: `/api/v1/reviews/${(x.target === 'own' && x.live ? await freshReview(x.home) : x.target === 'own' ? x.home.reviewDraft : x.other.reviewDraft).id}/submit` }),
    },
    'POST /api/v1/reviews/:id/approve': {
      ok: 200,
      targets: ['own', 'other'],
      req: async (x) => {
        const r = await reviewIn(x, 'submitted');
        return { path: `/api/v1/reviews/${r.id}/approve`, body: { version: 1, contentHash: r.contentHash } };
      },
    },
    'POST /api/v1/reviews/:id/return': { ok: 200, targets: ['own', 'other'], req: async (x) => ({ path: `/api/v1/reviews/${(await reviewIn(x, 'submitted')).id}/return`, body: { reason: 'Rate it again' } }) },
    'POST /api/v1/reviews/:id/share': {
      ok: 200,
      targets: ['own', 'other'],
      req: async (x) => ({ path: `/api/v1/reviews/${(await reviewIn(x, 'approved')).id}/share`, body: { sharedSummary: 'A de-identified summary of the review.' } }),
    },
    'POST /api/v1/reviews/:id/amend': { ok: 200, targets: ['own', 'other'], req: async (x) => ({ path: `/api/v1/reviews/${(await reviewIn(x, 'approved')).id}/amend` }) },
    'GET /api/v1/reviews/:id/versions': { ok: 200, targets: ['own', 'other'], req: (x) => ({ path: `/api/v1/reviews/${id(x, x.home.reviewApproved.id, x.other.reviewApproved.id)}/versions` }) },
    'PATCH /api/v1/reviews/:id/recommendations/:recId': {
      ok: 200,
      targets: ['own', 'other'],
      req: async (x) => {
        const r = await reviewIn(x, 'approved');
        return { path: `/api/v1/reviews/${r.id}/recommendations/${r.recommendations[0].id}`, body: { status: 'accepted' } };
      },
    },
    'GET /api/v1/shared-reviews': {
      ok: 200,
      req: () => ({ path: '/api/v1/shared-reviews?limit=1000' }),
      check: (x, res) => {
        const ids = res.body.map((r: any) => r.id);
        return ids.includes(x.other.reviewShared.id) && !ids.includes(x.other.reviewApproved.id) && !ids.includes(x.home.reviewApproved.id) ? undefined : 'the list is not exactly the shared summaries';
      },
    },
    'GET /api/v1/shared-reviews/:id': {
      ok: 200,
      targets: ['own', 'other', 'shared'],
      // other: another agency's review it did not share (404 for everyone); shared: one it shared.
      req: (x) => ({ path: `/api/v1/shared-reviews/${id(x, x.home.reviewShared.id, x.other.reviewApproved.id, x.other.reviewShared.id)}` }),
    },
    // ── issue 11, review to notice ──
    'POST /api/v1/reviews/:id/notice-draft': { ok: 201, targets: ['own', 'other'], req: async (x) => ({ path: `/api/v1/reviews/${await reviewOf(x)}/notice-draft`, body: {} }) },
    'GET /api/v1/reviews/:id/notices': { ok: 200, targets: ['own', 'other'], req: async (x) => ({ path: `/api/v1/reviews/${await reviewOf(x)}/notices` }) },
    'GET /api/v1/reporting/recommendation-follow-through': { ok: 200, req: () => ({ path: '/api/v1/reporting/recommendation-follow-through' }) },
    // ── issue 11, reporting (i11-report) ──
    'POST /api/v1/agencies/:id/data-sharing': {
      ok: 201,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/api/v1/agencies/${id(x, x.home.id, x.other.id)}/data-sharing`, body: { covers: ['incidents'], signedOn: '2025-01-01', note: 'authorization matrix' } }),
    },
    'GET /api/v1/agencies/:id/data-sharing': {
      ok: 200,
      targets: ['own', 'other'],
      req: (x) => ({ path: `/api/v1/agencies/${id(x, x.home.id, x.other.id)}/data-sharing` }),
      check: (x, res) => (res.body.agencyId === (x.target === 'own' ? x.home.id : x.other.id) ? undefined : 'another agency'),
    },
    'GET /api/v1/reporting/partnership': { ok: 200, req: () => ({ path: '/api/v1/reporting/partnership?from=2025-Q1&to=2025-Q4' }) },
    'GET /api/v1/reporting/partnership/export': { ok: 200, req: () => ({ path: '/api/v1/reporting/partnership/export?table=heat-map&format=json' }) },
    'GET /api/v1/reporting/agency': {
      ok: 200,
      req: () => ({ path: '/api/v1/reporting/agency' }),
      check: (x, res) => (res.body.agency.id === x.home.id ? undefined : `the view of ${res.body.agency.id}, not the caller's agency`),
    },
    'GET /api/v1/reporting/agency/export': { ok: 200, req: () => ({ path: '/api/v1/reporting/agency/export?table=domains&format=json' }) },
    'GET /api/v1/reporting/dictionary': { ok: 200, req: () => ({ path: '/api/v1/reporting/dictionary' }) },

    ...CONSOLE,

    // ── issue 12, survey collection (i12-collect) ──
    'POST /api/v1/surveys/waves': { ok: 201, req: () => ({ path: '/api/v1/surveys/waves', body: SURVEY_WAVE }) },
    'GET /api/v1/surveys/waves': {
      ok: 200,
      req: async (x) => {
        await waveOf(x.other);
        await waveOf(x.home);
        return { path: '/api/v1/surveys/waves' };
      },
      check: (x, res) => (res.body.some((w: any) => w.id === surveyWaves.get(x.other.id)?.id) ? "another agency's wave leaked" : undefined),
    },
    'GET /api/v1/surveys/waves/:id': { ok: 200, targets: ['own', 'other'], req: async (x) => ({ path: `/api/v1/surveys/waves/${(await waveFor(x)).id}` }) },
    'POST /api/v1/surveys/waves/:id/teams/:teamId/recipients': {
      ok: 200,
      targets: ['own', 'other'],
      req: async (x) => {
        const w = await waveFor(x);
        return { path: `/api/v1/surveys/waves/${w.id}/teams/${w.teams[0].id}/recipients`, body: { emails: [`listed-${next()}@agency.test`] } };
      },
    },
    'POST /api/v1/surveys/waves/:id/invitations': {
      ok: 200,
      targets: ['own', 'other'],
      req: async (x) => ({ path: `/api/v1/surveys/waves/${(x.target === 'own' && x.live ? await listedWave(x.home, false) : await waveFor(x)).id}/invitations` }),
    },
    'POST /api/v1/surveys/waves/:id/reminders': {
      ok: 200,
      targets: ['own', 'other'],
      req: async (x) => ({ path: `/api/v1/surveys/waves/${(x.target === 'own' && x.live ? await listedWave(x.home, true) : await waveFor(x)).id}/reminders` }),
    },
    'POST /api/v1/surveys/waves/:id/teams/:teamId/codes': {
      ok: 200,
      targets: ['own', 'other'],
      req: async (x) => {
        const w = await waveFor(x);
        return { path: `/api/v1/surveys/waves/${w.id}/teams/${w.teams[0].id}/codes`, body: { count: 2 } };
      },
    },
    'POST /api/v1/surveys/waves/:id/close': {
      ok: 200,
      targets: ['own', 'other'],
      req: async (x) => ({ path: `/api/v1/surveys/waves/${(x.target === 'own' && x.live ? await freshWave(x.home) : await waveFor(x)).id}/close` }),
    },
    'GET /console/surveys': c({ ok: PAGE, req: () => ({ path: '/console/surveys' }) }),
    'POST /console/surveys/:id/teams/:teamId/codes': c({
      ok: FORM,
      targets: ['own', 'other'],
      req: async (x) => {
        const w = await waveFor(x);
        return { path: `/console/surveys/${w.id}/teams/${w.teams[0].id}/codes`, form: { count: '2' } };
      },
    }),
    'GET /console/surveys/:id/codes': c({ ok: PAGE, targets: ['own', 'other'], req: async (x) => ({ path: `/console/surveys/${(await waveFor(x)).id}/codes` }) }),
    'GET /console/surveys/new': c({ ok: PAGE, req: () => ({ path: '/console/surveys/new' }) }),
    'POST /console/surveys': c({ ok: FORM, req: () => ({ path: '/console/surveys', form: { title: 'Console wave', opensOn: '2020-01-01', closesOn: '2099-12-31', teams: 'Intake unit, 8' } }) }),
    'GET /console/surveys/:id': c({ ok: PAGE, targets: ['own', 'other'], req: async (x) => ({ path: `/console/surveys/${(await waveFor(x)).id}` }) }),
    'POST /console/surveys/:id/teams/:teamId/recipients': c({
      ok: FORM,
      targets: ['own', 'other'],
      req: async (x) => {
        const w = await waveFor(x);
        return { path: `/console/surveys/${w.id}/teams/${w.teams[0].id}/recipients`, form: { emails: `listed-${next()}@agency.test` } };
      },
    }),
    'POST /console/surveys/:id/invitations': c({
      ok: FORM,
      targets: ['own', 'other'],
      req: async (x) => ({ path: `/console/surveys/${(x.target === 'own' && x.live ? await listedWave(x.home, false) : await waveFor(x)).id}/invitations`, form: {} }),
    }),
    'POST /console/surveys/:id/reminders': c({
      ok: FORM,
      targets: ['own', 'other'],
      req: async (x) => ({ path: `/console/surveys/${(x.target === 'own' && x.live ? await listedWave(x.home, true) : await waveFor(x)).id}/reminders`, form: {} }),
    }),
    'POST /console/surveys/:id/close': c({
      ok: FORM,
      targets: ['own', 'other'],
      req: async (x) => ({ path: `/console/surveys/${(x.target === 'own' && x.live ? await freshWave(x.home) : await waveFor(x)).id}/close`, form: { confirm: 'yes' } }),
    }),
    'GET /survey': { ok: 200, req: () => ({ path: '/survey' }) },
    'POST /survey': { ok: 303, req: async (x) => ({ path: '/survey', form: { code: await surveyCode(x.home) } }) },
    'GET /survey/thanks': { ok: 200, req: () => ({ path: '/survey/thanks' }) },
    'GET /survey/:token': { ok: 200, req: async (x) => ({ path: `/survey/${await surveyCode(x.home)}` }) },
    'POST /survey/:token': { ok: 303, req: async (x) => ({ path: `/survey/${await surveyCode(x.home)}`, form: { 'ps.speak-up': '4', 'q.anything-else': 'More time for supervision.' } }) },

    'GET /docs': { ok: 200, req: () => ({ path: '/docs' }) },
    'GET /docs/': { ok: 200, req: () => ({ path: '/docs/' }) },
    'GET /docs/index.html': { ok: 200, req: () => ({ path: '/docs/index.html' }) },
    // SwaggerModule registers it, but swagger-ui-dist ships no LICENSE file at that place: 404 for everyone.
    'GET /docs/LICENSE': { ok: 404, req: () => ({ path: '/docs/LICENSE' }) },
    'GET /docs/swagger-ui-init.js': { ok: 200, req: () => ({ path: '/docs/swagger-ui-init.js' }) },
    'GET /docs/docs/swagger-ui-init.js': { ok: 200, req: () => ({ path: '/docs/docs/swagger-ui-init.js' }) },
    'GET /docs/openapi.json': { ok: 200, req: () => ({ path: '/docs/openapi.json' }) },
    'GET /docs-yaml': { ok: 200, req: () => ({ path: '/docs-yaml' }) },

    // ── issue 12, results (i12-results): survey results, the benchmark, culture beside incidents beside notices ──
    'GET /api/v1/surveys/waves/:id/results': {
      ok: 200,
      targets: ['own', 'other'],
      req: async (x) => ({ path: `/api/v1/surveys/waves/${await surveyWave(x.target === 'own' ? x.home : x.other)}/results` }),
      check: (x, res) => (res.body.agency.id === x.home.id ? undefined : "another agency's wave"),
    },
    'GET /console/surveys/:id/results': c({
      ok: PAGE,
      targets: ['own', 'other'],
      req: async (x) => ({ path: `/console/surveys/${await surveyWave(x.target === 'own' ? x.home : x.other)}/results` }),
    }),
    'GET /api/v1/culture/benchmark': { ok: 200, req: () => ({ path: '/api/v1/culture/benchmark?format=json&table=distribution' }) },
    'GET /api/v1/culture/comparison': { ok: 200, req: () => ({ path: '/api/v1/culture/comparison' }) },
    'GET /api/v1/culture/agency': {
      ok: 200,
      req: () => ({ path: '/api/v1/culture/agency' }),
      check: (x, res) => (res.body.agency.id === x.home.id ? undefined : 'another agency'),
    },
    'GET /console/culture': c({ ok: PAGE, req: () => ({ path: '/console/culture' }) }),
    'GET /console/culture/agency': c({ ok: PAGE, req: () => ({ path: '/console/culture/agency' }) }),
  };

  /** The answers the table promises for this caller and object. */
  function expected(rule: AuthorizationRule, spec: RouteSpec, caller: Caller, target: Target): number[] {
    const ok = ([] as number[]).concat(spec.ok);
    if (rule.roles === 'public') return ok;
    if (caller === 'anonymous') return [spec.anonymous ?? 401];
    if (rule.roles !== 'any' && !rule.roles.includes(caller)) return [403];
    if (target !== 'other') return ok;
    const special = spec.other?.(caller);
    if (special !== undefined) return [special];
    return caller === 'admin' && rule.crossAgencyAdmin ? ok : [404];
  }

  it('has exactly one table row for every registered route, and no row without a route', () => {
    const registered = expressRoutes(stack);
    const table = new Set(Object.keys(AUTHORIZATION));
    const missing = [...registered].filter((k) => !table.has(k)).sort();
    const stale = [...table].filter((k) => !registered.has(k)).sort();
    expect({ routesWithoutARow: missing, rowsWithoutARoute: stale }).toEqual({ routesWithoutARow: [], rowsWithoutARoute: [] });

    // Nest's own view of its controllers agrees with Express, and @Public() with the table.
    const nest = nestRoutes(stack);
    const unknownToExpress = [...nest.keys()].filter((k) => !registered.has(k));
    const publicMismatch = [...nest.entries()]
      .filter(([k, r]) => table.has(k) && r.isPublic !== (AUTHORIZATION[k].roles === 'public'))
      .map(([k, r]) => `${k} (${r.handler}): @Public() ${r.isPublic ? 'present' : 'absent'}, table roles ${JSON.stringify(AUTHORIZATION[k].roles)}`);
    expect({ unknownToExpress, publicMismatch }).toEqual({ unknownToExpress: [], publicMismatch: [] });
    expect(nest.size).toBeGreaterThan(60);

    // Every row has a request factory below, and every factory a row.
    expect({ rowsWithoutAFactory: [...table].filter((k) => !SPECS[k]), factoriesWithoutARow: Object.keys(SPECS).filter((k) => !table.has(k)) }).toEqual({
      rowsWithoutAFactory: [],
      factoriesWithoutARow: [],
    });
  });

  it('refuses (403) and logs a route that has no row: fail closed', async () => {
    const guard = new ApiKeyGuard(stack.db, stack.api.get(SessionsService));
    const errors: string[] = [];
    const spy = jest.spyOn(Logger.prototype, 'error').mockImplementation((msg: unknown) => void errors.push(String(msg)));
    try {
      class UnlistedController {
        handler() {}
      }
      const ctx = {
        switchToHttp: () => ({ getRequest: () => ({ method: 'POST', route: { path: '/api/v1/unlisted/:id' }, headers: {} }) }),
        getClass: () => UnlistedController,
        getHandler: () => UnlistedController.prototype.handler,
      } as unknown as ExecutionContext;
      await expect(guard.canActivate(ctx)).rejects.toBeInstanceOf(ForbiddenException);
      // A listed route still passes: a public row, and HEAD looked up as GET.
      const listed = (method: string, path: string) =>
        ({ switchToHttp: () => ({ getRequest: () => ({ method, route: { path }, headers: {} }) }), getClass: () => UnlistedController, getHandler: () => UnlistedController.prototype.handler }) as unknown as ExecutionContext;
      await expect(guard.canActivate(listed('GET', '/health/live'))).resolves.toBe(true);
      await expect(guard.canActivate(listed('HEAD', '/health/live'))).resolves.toBe(true);
    } finally {
      spy.mockRestore();
    }
    expect(errors.join('\n')).toContain('POST /api/v1/unlisted/:id');
  });

  it('answers every route, as every role, for own and other agencies, exactly as the table says', async () => {
    const failures: string[] = [];
    const coverage: { route: string; calls: number; byStatus: Record<number, number> }[] = [];
    let calls = 0;
    for (const [key, rule] of Object.entries(AUTHORIZATION)) {
      const spec = SPECS[key];
      if (!spec) {
        failures.push(`${key}: no request factory`);
        continue;
      }
      const [method] = key.split(' ');
      const row = { route: key, calls: 0, byStatus: {} as Record<number, number> };
      for (const caller of CALLERS) {
        for (const target of spec.targets ?? ['own']) {
          const want = expected(rule, spec, caller, target);
          // Refused (4xx, or the console's redirect of a signed-out visitor) or not: fresh objects only for calls that act.
          const refused = want.every((s) => s >= 400) || (caller === 'anonymous' && rule.roles !== 'public');
          const x: Call = { caller, target, home: caller === 'admin' ? P : A, other: B, live: !refused };
          const r = await spec.req(x);
          const headers: Record<string, string> = {};
          const key_ = rule.roles === 'public' && caller === 'anonymous' ? undefined : keyOf(caller);
          if (key_) headers.authorization = `Bearer ${key_}`;
          let body: string | undefined;
          if (r.raw) {
            headers['content-type'] = r.raw.type;
            body = r.raw.text;
          } else if (r.form) {
            headers['content-type'] = 'application/x-www-form-urlencoded';
            body = new URLSearchParams(r.form).toString();
          } else if (r.body !== undefined) {
            headers['content-type'] = 'application/json';
            body = JSON.stringify(r.body);
          }
          const res = await request(stack.url, method, r.path, { headers, body });
          calls++;
          row.calls++;
          row.byStatus[res.status] = (row.byStatus[res.status] ?? 0) + 1;
          const what = `${key} as ${caller}, ${target} object (${r.path})`;
          if (!want.includes(res.status)) {
            failures.push(`${what}: expected ${want.join(' or ')}, got ${res.status} ${res.text.replace(/\s+/g, ' ').slice(0, 200)}`);
            continue;
          }
          // Every answer, success or refusal, is one the OpenAPI document gives for this operation.
          const undocumented = contract.responseProblem(key, { ...res, json: res.body });
          if (undocumented) failures.push(`${what}: OpenAPI: ${undocumented}`);
          if (res.status >= 400 && res.contentType.includes('json')) {
            if (!(res.body?.statusCode === res.status && typeof res.body.error === 'string' && res.body.message !== undefined)) {
              failures.push(`${what}: error without the {statusCode, error, message} shape: ${res.text.slice(0, 200)}`);
            }
          }
          if (isTwoHundred(res.status) && spec.check) {
            const problem = spec.check(x, res);
            if (problem) failures.push(`${what}: ${problem}`);
          }
        }
      }
      coverage.push(row);
    }
    const routes = coverage.length;
    const lines = coverage.map((c) => `${c.route.padEnd(52)} ${String(c.calls).padStart(3)} calls  ${Object.entries(c.byStatus).map(([s, n]) => `${s}×${n}`).join(' ')}`);
    const statuses = coverage.reduce<Record<string, number>>((acc, c) => {
      for (const [s, n] of Object.entries(c.byStatus)) acc[s] = (acc[s] ?? 0) + n;
      return acc;
    }, {});
    console.log(
      `authorization matrix: ${routes} routes × ${CALLERS.length} callers (${CALLERS.join(', ')}) × own/other/shared objects = ${calls} calls\n` +
        `by status: ${Object.entries(statuses).map(([s, n]) => `${s}×${n}`).join(' ')}\n${lines.join('\n')}`,
    );
    expect(failures).toEqual([]);
    expect(routes).toBe(Object.keys(AUTHORIZATION).length);
  }, 480_000);
});
