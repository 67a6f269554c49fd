/**
 * What one call of the authorization matrix is (test/e2e/authorization-*.test.ts): the callers,
 * the request helper, the objects a seeded agency holds, a route's request factory (RouteSpec),
 * the valid bodies the factories send, and the small helpers they share.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { currentInstrument, itemsOf, Role } from '@sne/core';
import { TestAgency } from './fixtures';

export type Caller = 'anonymous' | Role;
/** Whose object: the caller's agency's, another agency's, one every member may read, or (routes acting on a user) the caller itself. */
export type Target = 'own' | 'other' | 'shared' | 'self';
export const CALLERS: Caller[] = ['anonymous', 'admin', 'agency_admin', 'author', 'approver', 'supervisor', 'reviewer', 'review_lead', 'analyst'];
export const PASSWORD = 'correct horse battery staple';

export const PDF_TEXT = readFileSync(join(__dirname, '../fixtures/attachments/guidance.pdf'), 'latin1');

export interface Res {
  status: number;
  contentType: string;
  text: string;
  body: any;
}

/** One HTTP request with node's client; an event stream is cut once its status is known. */
export function request(base: string, method: string, path: string, opts: { headers?: Record<string, string>; body?: string } = {}): Promise<Res> {
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


/** What one agency holds for the matrix. */
export interface Seeded {
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

export interface Call {
  caller: Caller;
  target: Target;
  /** The caller's agency (the partnership agency for the admin) and the other agency. */
  home: Seeded;
  other: Seeded;
  /** True when this call is expected to succeed: build fresh objects for destructive calls then. */
  live: boolean;
}

export interface Req {
  path: string;
  body?: unknown;
  form?: Record<string, string>;
  /** A body sent as is, with its content type (an attachment's bytes). */
  raw?: { type: string; text: string };
}

export interface RouteSpec {
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

export const NOTICE = {
  title: 'Inclined infant sleepers',
  summary: 'Remove inclined sleepers from homes under supervision.',
  body: 'Inclined sleepers are linked to suffocation. Check every home with an infant.',
  category: 'alert',
  severity: 'high',
  topics: ['safe-sleep'],
  requiredActions: ['Check every home with an infant under one year'],
};

// ── issue 11, reviews ──
export const REVIEW = {
  incident: { incidentType: 'serious_injury', incidentYear: 2025, incidentMonth: 3, ageBand: '1_3', priorInvolvement: 'none', circumstances: ['drowning'] },
  summary: 'Pool fencing was not part of home safety checks.',
  ratings: Object.fromEntries([...itemsOf(currentInstrument().version).keys()].map((id) => [id, 1])),
  findings: [{ text: 'Home safety checks did not cover water hazards.' }],
  recommendations: [{ text: 'Add water hazards to the home safety check.', owner: 'agency' }],
};
export const reviewForm = {
  incidentType: 'serious_injury', incidentYear: '2025', incidentMonth: '3', ageBand: '1_3', priorInvolvement: 'none', priorRecency: '', circumstances: 'drowning',
  summary: 'Pool fencing was not part of home safety checks.', finding_text_0: 'Home safety checks did not cover water hazards.', rec_text_0: 'Add water hazards to the check.', rec_owner_0: 'agency',
};
// ── issue 12, survey collection ──
export const SURVEY_WAVE = { title: 'Team survey', opensOn: '2020-01-01', closesOn: '2099-12-31', teams: [{ name: 'Intake unit', expectedHeadcount: 8 }] };

// ── per route: a valid request, and what "own", "other" and "shared" mean for it ──────────────
export const id = (x: Call, own: string, other: string, shared?: string) => (x.target === 'own' ? own : x.target === 'other' ? other : shared ?? other);
export const onlyHome = (items: any[], agencyOf: (i: any) => string) => (x: Call) =>
  items.every((i) => agencyOf(i) === x.home.id) ? undefined : `rows of another agency leaked: ${JSON.stringify(items.map(agencyOf))}`;

// ── the console: the same objects through its pages and forms (with an API key: no CSRF) ─────
export const PAGE = 200;
export const FORM = [303, 400];
export const c = (spec: RouteSpec): RouteSpec => ({ anonymous: 303, ...spec });
export const noticeForm = { title: NOTICE.title, summary: NOTICE.summary, body: NOTICE.body, category: 'alert', severity: 'high', topics: 'safe-sleep', requiredActions: NOTICE.requiredActions[0], intent: 'save' };

export const isTwoHundred = (n: number) => n >= 200 && n < 300;
