import type { Role } from '@sne/core';

/**
 * Who may call what: the one place that says it. ApiKeyGuard enforces `roles` from this table
 * for every request (looked up by the HTTP method and the route path as Express matched it), and
 * denies any route that has no row here (fail closed). test/e2e/authorization-routes.test.ts
 * checks that every route the app registers has exactly one row, and
 * test/e2e/authorization-matrix.test.ts calls every route as every role, for its own agency's
 * objects and for another agency's.
 *
 * `roles`:
 *  - a list: the caller needs at least one of these roles (`admin`, the partnership admin, is never
 *    implied: it is listed where it applies);
 *  - 'any': any authenticated caller (API key, or session cookie + CSRF token on unsafe methods);
 *  - 'public': no credentials at all (acknowledgment links carry their own signed token; health,
 *    metrics, the API docs and the dev mailbox).
 *
 * `scope`, which objects the caller reaches once the role check passed (enforced by the services,
 * which answer 404 rather than reveal that another agency's object exists):
 *  - 'agency': objects of the caller's agency only; another agency's answer 404.
 *  - 'self': the caller's own things (its session, its password, its own API keys; with grantRule,
 *    also the keys of users the caller reaches); anything else answers 404.
 *  - 'own-or-issuer': records about a recipient agency (acknowledgments, deliveries and the
 *    per-notice views built on them): visible to the recipient agency and to the notice's issuing
 *    agency. Per-notice views show the issuer every recipient's rows and anyone else their own
 *    agency's rows only. Other records answer 404; so does another agency's unpublished notice.
 *  - 'partnership': readable by every member: published notices, the topic catalogue, the agency
 *    directory (contacts only for one's own agency), aggregated benchmarks, and lists filtered to
 *    what the caller may see. Drafts and notices in review stay with their issuing agency (404).
 *  - 'public': no caller at all.
 *
 * `crossAgencyAdmin`: a partnership admin (role `admin`) reaches every agency's objects on this
 * route (e.g. another agency's users, its audit events, its deliveries). Where it is absent, the
 * scope applies to admins too (an admin cannot revoke another agency's keys or see its drafts).
 *
 * `grantRule`: the route acts on a user (a key, a password, roles, sessions, disabling). On top of
 * the scope, the caller reaches only users whose every role it could grant itself (an agency admin
 * grants every role but `admin`; only a partnership admin grants `admin`): libs/core/src/auth/
 * grant-rule.ts, enforced in one place (apps/api/src/users/user-reach.ts). Anyone else answers 404,
 * like a user that does not exist. `'self-allowed'`: the caller may act on itself;
 * `'self-refused'`: not on itself (403); `'self-only'`: the route acts on the caller whatever it
 * is sent. test/e2e/grant-rule.test.ts enumerates these routes.
 *
 * `othersNeed`: every caller in `roles` may act on itself (the user `:id`), but only callers with
 * one of these roles on anyone else. The guard answers 403 before looking the user up, as it did
 * when these were the row's roles, so a refusal says nothing of whether the user exists.
 *
 * Keys are `'METHOD /path'` exactly as Nest registers the route with Express (the controller's path
 * joined with the handler's, parameters as `:name`). HEAD is looked up as GET.
 */
export type Scope = 'agency' | 'partnership' | 'public' | 'own-or-issuer' | 'self';

export interface AuthorizationRule {
  roles: Role[] | 'any' | 'public';
  scope: Scope;
  crossAgencyAdmin?: true;
  grantRule?: 'self-allowed' | 'self-refused' | 'self-only';
  othersNeed?: Role[];
  note?: string;
}

export const AUTHORIZATION: Readonly<Record<string, AuthorizationRule>> = {
  // ── sign-in and the caller itself ─────────────────────────────────────────────────────────
  'POST /api/v1/auth/login': { roles: 'public', scope: 'public', note: 'email + password; rate limited per IP; locks out with backoff' },
  'POST /api/v1/auth/logout': { roles: 'any', scope: 'self', note: 'ends the cookie session (a no-op with an API key)' },
  'GET /api/v1/auth/session': { roles: 'any', scope: 'self' },
  'POST /api/v1/auth/password': { roles: 'any', scope: 'self', note: 'own password; needs the current one' },
  'PUT /api/v1/users/:id/password': { roles: ['admin', 'agency_admin'], scope: 'agency', crossAgencyAdmin: true, grantRule: 'self-refused', note: 'people only (409 for service accounts); ends their sessions' },

  // ── directory ─────────────────────────────────────────────────────────────────────────────
  'POST /api/v1/agencies': { roles: ['admin'], scope: 'partnership' },
  'GET /api/v1/agencies': { roles: 'any', scope: 'partnership', note: 'contacts only for your own agency (all for admins)' },
  'GET /api/v1/agencies/:id': { roles: 'any', scope: 'partnership', note: "another agency: its public view (no contacts) unless admin" },
  'PATCH /api/v1/agencies/:id': {
    roles: ['admin', 'agency_admin'],
    scope: 'agency',
    crossAgencyAdmin: true,
    note: "another agency answers 403, not 404: agencies are visible to every member, only the change is refused; name and jurisdiction: admins only (403)",
  },
  'POST /api/v1/agencies/:id/offboard': { roles: ['admin'], scope: 'partnership', note: 'not your own agency (403); already offboarded: 409' },
  'POST /api/v1/agencies/:id/reinstate': { roles: ['admin'], scope: 'partnership', note: 'not offboarded: 409' },
  'POST /api/v1/users': { roles: ['admin', 'agency_admin'], scope: 'agency', crossAgencyAdmin: true, note: 'agencyId: admins only (404 otherwise); only admins grant admin' },
  'GET /api/v1/users': { roles: ['admin', 'agency_admin'], scope: 'agency', crossAgencyAdmin: true, note: '?agencyId is honoured for admins only; others get their own agency' },
  'GET /api/v1/users/:id': { roles: ['admin', 'agency_admin'], scope: 'agency', crossAgencyAdmin: true, note: 'reading is not acting: every user of the agency' },
  'PUT /api/v1/users/:id/roles': { roles: ['admin', 'agency_admin'], scope: 'agency', crossAgencyAdmin: true, grantRule: 'self-refused', note: 'only roles the caller could grant (403)' },
  'POST /api/v1/users/:id/disable': { roles: ['admin', 'agency_admin'], scope: 'agency', crossAgencyAdmin: true, grantRule: 'self-refused', note: 'already disabled: 409' },
  'POST /api/v1/users/:id/enable': { roles: ['admin', 'agency_admin'], scope: 'agency', crossAgencyAdmin: true, grantRule: 'self-refused', note: 'not disabled: 409' },
  'DELETE /api/v1/users/:id/sessions': { roles: 'any', othersNeed: ['admin', 'agency_admin'], scope: 'agency', crossAgencyAdmin: true, grantRule: 'self-allowed', note: 'anyone signs themselves out everywhere; others under the grant rule' },
  'POST /api/v1/api-keys': {
    roles: 'any',
    scope: 'self',
    crossAgencyAdmin: true,
    grantRule: 'self-allowed',
    note: 'own key; for another user (userId) under the grant rule, partnership admins in any agency; never a role the issuer could not grant',
  },
  'GET /api/v1/api-keys': { roles: 'any', scope: 'self', grantRule: 'self-allowed', note: "own keys, and the keys of the agency's users the caller reaches" },
  'DELETE /api/v1/api-keys/:id': { roles: 'any', scope: 'self', grantRule: 'self-allowed', note: "own keys, and the keys of the agency's users the caller reaches" },
  'GET /api/v1/topics': { roles: 'any', scope: 'partnership' },
  'POST /api/v1/topics': { roles: ['admin'], scope: 'partnership' },
  'PATCH /api/v1/topics/:key': { roles: ['admin'], scope: 'partnership', note: 'title, description, retired; the key never changes' },

  // ── notices ───────────────────────────────────────────────────────────────────────────────
  'POST /api/v1/notices': { roles: ['author'], scope: 'agency', note: "drafted in the caller's agency" },
  'GET /api/v1/notices': { roles: 'any', scope: 'partnership', note: "published notices of every member, drafts of the caller's agency" },
  'GET /api/v1/notices/:id': { roles: 'any', scope: 'partnership', note: 'drafts and notices in review: issuing agency only (404)' },
  'PATCH /api/v1/notices/:id': { roles: ['author'], scope: 'agency', note: 'drafts only (409 otherwise)' },
  'POST /api/v1/notices/:id/submit': { roles: ['author'], scope: 'agency' },
  'POST /api/v1/notices/:id/approve': { roles: ['approver'], scope: 'agency', note: 'never by its author (403); bound to the contentHash reviewed' },
  'POST /api/v1/notices/:id/reject': { roles: ['approver'], scope: 'agency', note: 'never by its author (403)' },
  'POST /api/v1/notices/:id/updates': { roles: ['author'], scope: 'agency', note: 'of a published notice; one update in draft or review at a time (409)' },
  'POST /api/v1/notices/:id/cancel': { roles: ['approver'], scope: 'agency', note: 'published notices only (409 otherwise)' },
  'GET /api/v1/notices/:id/deid': { roles: 'any', scope: 'agency', note: "a draft's de-identification findings and their overrides (the issuing agency only)" },
  'POST /api/v1/notices/:id/deid-overrides': { roles: ['approver'], scope: 'agency', note: 'never by the author (403); each finding with a written justification, audited' },
  // ── issue 10, review workflow (i10-review): nobody waits unseen, nobody publishes blind ──
  'GET /api/v1/notices/:id/review': { roles: 'any', scope: 'agency', note: 'drafts and notices in review of the issuing agency (published: 409); recipients by the fan-out rule, message previews, de-identification check, versions' },
  'GET /api/v1/notices/:id/versions': { roles: 'any', scope: 'agency', note: 'the issuing agency only; word-level changes between versions' },
  'GET /api/v1/auth/preferences': { roles: 'any', scope: 'self' },
  'PUT /api/v1/auth/preferences': { roles: 'any', scope: 'self', note: 'review emails on or off (audited)' },

  // ── subscriptions ─────────────────────────────────────────────────────────────────────────
  'POST /api/v1/subscriptions': { roles: ['agency_admin'], scope: 'agency' },
  'GET /api/v1/subscriptions': { roles: ['agency_admin'], scope: 'agency' },
  'GET /api/v1/subscriptions/:id': { roles: ['agency_admin'], scope: 'agency' },
  'PATCH /api/v1/subscriptions/:id': { roles: ['agency_admin'], scope: 'agency' },
  'DELETE /api/v1/subscriptions/:id': { roles: ['agency_admin'], scope: 'agency', note: 'kept as a deleted row; owed messages go to the fallback contacts' },
  'POST /api/v1/subscriptions/:id/pause': { roles: ['agency_admin'], scope: 'agency', note: 'new notices are held for it, and sent on resume' },
  'POST /api/v1/subscriptions/:id/resume': { roles: ['agency_admin'], scope: 'agency' },
  'POST /api/v1/subscriptions/:id/rotate-secret': { roles: ['agency_admin'], scope: 'agency', note: 'webhook subscriptions only (400 otherwise); 429 + Retry-After while 3 secrets rotated out in the last 24 h still sign' },
  'POST /api/v1/subscriptions/:id/retry-failed': { roles: ['agency_admin'], scope: 'agency' },
  'POST /api/v1/subscriptions/:id/test': { roles: ['agency_admin'], scope: 'agency' },

  // ── acknowledgments and tracking ──────────────────────────────────────────────────────────
  'GET /api/v1/notices/:id/acknowledgments': {
    roles: 'any',
    scope: 'own-or-issuer',
    note: 'the supervisor view: issuer and admins see every recipient, other members their own row',
  },
  'POST /api/v1/notices/:id/acknowledgments': { roles: 'any', scope: 'agency', note: "acknowledges the caller's agency's own record (404 when not a recipient)" },
  'POST /api/v1/notices/:id/acknowledgments/actions': { roles: 'any', scope: 'agency', note: "answers for the caller's agency's own record" },
  'GET /api/v1/acknowledgments/:ackId/answers': { roles: 'any', scope: 'own-or-issuer', crossAgencyAdmin: true },
  'POST /api/v1/acknowledgments/:token/actions': { roles: 'public', scope: 'public', note: 'the signed link token is the credential' },
  'POST /api/v1/acknowledgments/:token': { roles: 'public', scope: 'public', note: 'the signed link token is the credential' },
  'GET /api/v1/notices/:id/deliveries': { roles: 'any', scope: 'own-or-issuer', note: 'issuer and admins see every recipient, other members their own' },
  'GET /api/v1/deliveries': { roles: 'any', scope: 'own-or-issuer', crossAgencyAdmin: true, note: "your agency's deliveries and those of notices it issued" },
  'GET /api/v1/deliveries/:id': { roles: 'any', scope: 'own-or-issuer', crossAgencyAdmin: true },
  'POST /api/v1/deliveries/:id/retry': { roles: ['admin', 'agency_admin'], scope: 'own-or-issuer', crossAgencyAdmin: true, note: 'failed deliveries only (409 otherwise)' },

  // ── issue 10, items 3 and 4 (i10-supervise): supervisors act, recipients know what they owe ──
  'POST /api/v1/notices/:id/reminders': {
    roles: ['admin', 'supervisor', 'approver'],
    scope: 'agency',
    crossAgencyAdmin: true,
    note: 'notices your agency issued (404 otherwise); 409 unless published or when nobody owes anything; 429 + Retry-After when every agency was reminded within MANUAL_REMINDER_INTERVAL',
  },
  'POST /api/v1/notices/:id/recipients/:agencyId/resend': {
    roles: ['admin', 'supervisor', 'approver'],
    scope: 'agency',
    crossAgencyAdmin: true,
    note: 'notices your agency issued (404 otherwise); a note is required; 429 + Retry-After within MANUAL_REMINDER_INTERVAL of the last reminder or resend to that agency',
  },
  'GET /api/v1/notices/:id/recipients/:agencyId/timeline': { roles: 'any', scope: 'own-or-issuer', note: 'issuer and admins: every recipient; a recipient: its own' },
  'GET /api/v1/inbox': { roles: 'any', scope: 'agency', note: "the caller's agency's records only" },
  'GET /api/v1/inbox/colleagues': { roles: 'any', scope: 'agency', note: "people of the caller's agency (id and name), to assign actions to" },

  // ── reports and live feeds ────────────────────────────────────────────────────────────────
  'GET /api/v1/notices/:id/report': { roles: 'any', scope: 'own-or-issuer', note: 'issuer and admins: every recipient; others: their own row and figures' },
  'GET /api/v1/agencies/:id/notices': { roles: 'any', scope: 'agency', crossAgencyAdmin: true },
  'GET /api/v1/reports/overdue': { roles: ['admin', 'supervisor'], scope: 'agency', crossAgencyAdmin: true, note: "supervisors: their own agency's line" },
  'GET /api/v1/reports/response-times': { roles: ['admin', 'supervisor'], scope: 'partnership', note: 'aggregated figures only' },
  'GET /api/v1/notices/:id/events': { roles: 'any', scope: 'own-or-issuer', note: 'SSE; issuer and admins: every agency, others their own' },
  'GET /api/v1/feed': { roles: 'any', scope: 'agency', note: "SSE of the caller's agency" },

  // ── operations ────────────────────────────────────────────────────────────────────────────
  'GET /api/v1/audit': { roles: ['admin', 'agency_admin'], scope: 'agency', crossAgencyAdmin: true, note: "agency admins: their agency's events" },
  'GET /api/v1/audit/verify': { roles: ['admin'], scope: 'partnership', note: "walks the whole partnership's audit hash chain" },
  'GET /api/v1/audit/export': { roles: ['admin'], scope: 'partnership', note: 'the whole sealed audit chain as JSON lines' },
  'GET /health': { roles: 'public', scope: 'public' },
  'GET /health/ready': { roles: 'public', scope: 'public' },
  'GET /health/live': { roles: 'public', scope: 'public' },
  'GET /metrics': { roles: 'public', scope: 'public' },

  // ── pages ─────────────────────────────────────────────────────────────────────────────────
  // ── attachments (issue 10, item 5): on drafts only, part of the content hash; read like the notice ──
  'POST /api/v1/notices/:id/attachments': { roles: ['author'], scope: 'agency', note: 'drafts only (409); the body is the file; sniffed type (415), size limit (413), malware-scan hook (422)' },
  'GET /api/v1/notices/:id/attachments': { roles: 'any', scope: 'partnership', note: 'drafts and notices in review: issuing agency only (404)' },
  'GET /api/v1/notices/:id/attachments/:attachmentId': { roles: 'any', scope: 'partnership', note: 'drafts and notices in review: issuing agency only (404)' },
  'DELETE /api/v1/notices/:id/attachments/:attachmentId': { roles: ['author'], scope: 'agency', note: 'drafts only (409)' },
  'GET /attachments/:token': { roles: 'public', scope: 'public', note: "an email's signed, expiring link to an attachment of a published notice: tampered 404, expired 410" },
  'GET /ack/:token': { roles: 'public', scope: 'public', note: 'the acknowledgment page: shows the notice and a confirm form' },
  'POST /ack/:token': { roles: 'public', scope: 'public', note: 'the confirm form' },
  'POST /ack/:token/actions': { roles: 'public', scope: 'public', note: 'the action form' },
  'GET /dev/mailbox': { roles: 'public', scope: 'public', note: 'dev only: 404 whenever SMTP_URL is set' },
  'GET /dev/mailbox/:id': { roles: 'public', scope: 'public', note: 'dev only: 404 whenever SMTP_URL is set' },

  // ── the web console (apps/api/src/console): pages over the same services, so the same scopes ──
  // Signed-out visitors are redirected to the sign-in page (the console's filter turns the 401
  // into a 303); refusals and another agency's objects get a page with 403 / 404.
  'GET /': { roles: 'public', scope: 'public', note: 'redirects to /console' },
  'GET /console/assets/:file': { roles: 'public', scope: 'public', note: "the console's stylesheet and script" },
  'GET /console/sign-in': { roles: 'public', scope: 'public' },
  'POST /console/sign-in': { roles: 'public', scope: 'public', note: 'rate limited per IP like the API sign-in' },
  'POST /console/sign-out': { roles: 'any', scope: 'self' },
  'GET /console': { roles: 'any', scope: 'agency', note: "the overview: your agency's tasks, and recent published notices" },
  'GET /console/account': { roles: 'any', scope: 'self' },
  'POST /console/account/password': { roles: 'any', scope: 'self' },
  'POST /console/account/sessions/end': { roles: 'any', scope: 'self', grantRule: 'self-only', note: 'signs the caller out everywhere, this session too' },
  'GET /console/dashboard': { roles: ['supervisor', 'admin'], scope: 'agency', crossAgencyAdmin: true },
  'GET /console/notices': { roles: 'any', scope: 'partnership' },
  'GET /console/notices/new': { roles: ['author'], scope: 'agency' },
  'POST /console/notices': { roles: ['author'], scope: 'agency' },
  'POST /console/notices/preview': { roles: 'any', scope: 'self', note: 'renders the Markdown it is sent; reads nothing' },
  'GET /console/notices/:id': { roles: 'any', scope: 'partnership', note: 'drafts and notices in review: issuing agency only (404)' },
  'GET /console/notices/:id/edit': { roles: ['author'], scope: 'agency' },
  'POST /console/notices/:id/edit': { roles: ['author'], scope: 'agency' },
  'GET /console/notices/:id/update': { roles: ['author'], scope: 'agency' },
  'POST /console/notices/:id/update': { roles: ['author'], scope: 'agency' },
  'GET /console/notices/:id/recipients': { roles: 'any', scope: 'own-or-issuer' },
  'POST /console/notices/:id/submit': { roles: ['author'], scope: 'agency' },
  'POST /console/notices/:id/approve': { roles: ['approver'], scope: 'agency', note: 'without the recipients digest of the check page it sends the approver there (i10-review)' },
  'POST /console/notices/:id/reject': { roles: ['approver'], scope: 'agency' },
  'POST /console/notices/:id/deid-overrides': { roles: ['approver'], scope: 'agency', note: 'never by the author (403); one finding with a written justification, audited' },
  // issue 10, review workflow (i10-review)
  'GET /console/notices/:id/publish': { roles: 'any', scope: 'agency', note: 'check before publishing: recipients, previews, de-identification check, versions (published ones redirect to the notice)' },
  'POST /console/notices/:id/publish': { roles: ['approver'], scope: 'agency', note: 'approves with the recipient count and digest shown; a changed list sends back to the check' },
  'POST /console/account/preferences': { roles: 'any', scope: 'self', note: 'review emails on or off' },
  'POST /console/notices/:id/cancel': { roles: ['approver'], scope: 'agency' },
  // issue 10, items 3 and 4 (i10-supervise)
  'POST /console/notices/:id/remind': { roles: ['admin', 'supervisor', 'approver'], scope: 'agency', crossAgencyAdmin: true, note: 'notices your agency issued; 429 page with Retry-After when too soon' },
  'GET /console/notices/:id/recipients/:agencyId': { roles: 'any', scope: 'own-or-issuer', note: "one recipient's timeline and contacts: issuer and admins, or the recipient itself" },
  'POST /console/notices/:id/recipients/:agencyId/resend': { roles: ['admin', 'supervisor', 'approver'], scope: 'agency', crossAgencyAdmin: true, note: 'notices your agency issued; a note is required' },
  'GET /console/inbox': { roles: 'any', scope: 'agency' },
  'GET /console/notices/:id/enquiries': { roles: ['author'], scope: 'agency', note: "a draft's enquiries contact" },
  'POST /console/notices/:id/enquiries': { roles: ['author'], scope: 'agency', note: 'drafts only (409 otherwise): a new version, audited' },
  'GET /console/notices/:id/actions/:index': { roles: 'any', scope: 'agency', note: "one required action of your agency's own record" },
  'POST /console/notices/:id/actions/:index': { roles: 'any', scope: 'agency', note: 'marks it underway, assigned to a colleague, with its own due time' },
  'POST /console/notices/:id/acknowledge': { roles: 'any', scope: 'agency' },
  'POST /console/notices/:id/actions': { roles: 'any', scope: 'agency' },
  // attachments and print views (issue 10, items 5 and 6)
  'POST /console/notices/:id/attachments': { roles: ['author'], scope: 'agency', note: 'multipart upload form; drafts only; redirects with the outcome' },
  'POST /console/notices/:id/attachments/:attachmentId/remove': { roles: ['author'], scope: 'agency', note: 'drafts only' },
  'GET /console/notices/:id/print': { roles: 'any', scope: 'partnership', note: 'the print view; drafts and notices in review: issuing agency only (404)' },
  'GET /console/notices/:id/report/print': { roles: 'any', scope: 'own-or-issuer', note: 'the acknowledgment report, printable: the issuer sees every recipient, others their own row' },
  'POST /console/deliveries/:id/retry': { roles: ['admin', 'agency_admin'], scope: 'own-or-issuer', crossAgencyAdmin: true },
  'GET /console/subscriptions': { roles: ['agency_admin'], scope: 'agency' },
  'POST /console/subscriptions': { roles: ['agency_admin'], scope: 'agency' },
  'GET /console/subscriptions/:id': { roles: ['agency_admin'], scope: 'agency' },
  'POST /console/subscriptions/:id': { roles: ['agency_admin'], scope: 'agency' },
  'GET /console/subscriptions/:id/deliveries': { roles: ['agency_admin'], scope: 'agency' },
  'POST /console/subscriptions/:id/pause': { roles: ['agency_admin'], scope: 'agency' },
  'POST /console/subscriptions/:id/delete': { roles: ['agency_admin'], scope: 'agency' },
  'POST /console/subscriptions/:id/resume': { roles: ['agency_admin'], scope: 'agency' },
  'POST /console/subscriptions/:id/retry-failed': { roles: ['agency_admin'], scope: 'agency' },
  'POST /console/subscriptions/:id/test': { roles: ['agency_admin'], scope: 'agency' },
  'POST /console/subscriptions/:id/rotate-secret': { roles: ['agency_admin'], scope: 'agency' },
  'GET /console/admin': { roles: ['admin', 'agency_admin'], scope: 'agency', crossAgencyAdmin: true },
  'POST /console/admin/users': { roles: ['admin', 'agency_admin'], scope: 'agency', crossAgencyAdmin: true },
  'GET /console/admin/users/:id': { roles: ['admin', 'agency_admin'], scope: 'agency', crossAgencyAdmin: true, note: 'the forms only for users the caller reaches (grant rule)' },
  'POST /console/admin/users/:id/password': { roles: ['admin', 'agency_admin'], scope: 'agency', crossAgencyAdmin: true, grantRule: 'self-refused' },
  'POST /console/admin/users/:id/roles': { roles: ['admin', 'agency_admin'], scope: 'agency', crossAgencyAdmin: true, grantRule: 'self-refused' },
  'POST /console/admin/users/:id/disable': { roles: ['admin', 'agency_admin'], scope: 'agency', crossAgencyAdmin: true, grantRule: 'self-refused' },
  'POST /console/admin/users/:id/enable': { roles: ['admin', 'agency_admin'], scope: 'agency', crossAgencyAdmin: true, grantRule: 'self-refused' },
  'POST /console/admin/users/:id/sessions/end': { roles: ['admin', 'agency_admin'], scope: 'agency', crossAgencyAdmin: true, grantRule: 'self-allowed' },
  'POST /console/admin/keys': { roles: ['admin', 'agency_admin'], scope: 'agency', crossAgencyAdmin: true, grantRule: 'self-allowed', note: 'an owner out of reach is sent back with the form (400)' },
  'POST /console/admin/keys/:id/revoke': { roles: 'any', scope: 'self', grantRule: 'self-allowed', note: "own keys, and the keys of the agency's users the caller reaches" },
  'POST /console/account/keys': { roles: 'any', scope: 'self', grantRule: 'self-only' },
  'POST /console/admin/agencies': { roles: ['admin'], scope: 'partnership' },
  'GET /console/admin/agencies/:id': { roles: ['admin', 'agency_admin'], scope: 'agency', crossAgencyAdmin: true },
  'POST /console/admin/agencies/:id/contacts': { roles: ['admin', 'agency_admin'], scope: 'agency', crossAgencyAdmin: true },
  'POST /console/admin/agencies/:id/offboard': { roles: ['admin'], scope: 'partnership', note: 'not your own agency (403)' },
  'POST /console/admin/agencies/:id/reinstate': { roles: ['admin'], scope: 'partnership' },
  'POST /console/admin/topics': { roles: ['admin'], scope: 'partnership' },
  'GET /console/admin/topics/:key': { roles: ['admin'], scope: 'partnership' },
  'POST /console/admin/topics/:key': { roles: ['admin'], scope: 'partnership' },
  // ── issue 10, defects (i10-defects): one-time secrets after a redirect (post/redirect/get) ──
  'GET /api/v1/reports/overdue-records': { roles: ['admin', 'supervisor'], scope: 'agency', crossAgencyAdmin: true, note: 'overdue records on notices the caller\'s agency issued (admins: every notice), paged; the dashboard\'s overdue table' },
  'GET /console/subscriptions/:id/secret': { roles: ['agency_admin'], scope: 'agency', note: "shows a new signing secret once, from the session's one-time slot; reloading shows nothing and repeats nothing" },

  // ── issue 10, item 7 (i10-admin): administration that lasts; the audit page ─────────────────
  'PATCH /api/v1/users/:id': { roles: ['admin', 'agency_admin'], scope: 'agency', crossAgencyAdmin: true, grantRule: 'self-allowed', note: 'name and email address; a taken email: 409' },
  'GET /console/admin/agencies': { roles: ['admin'], scope: 'partnership', note: 'every agency, offboarded ones too; searched and paged' },
  'GET /console/admin/topics': { roles: ['admin'], scope: 'partnership', note: 'the catalogue, retired topics too; searched and paged' },
  'POST /console/admin/agencies/:id': { roles: ['admin', 'agency_admin'], scope: 'agency', crossAgencyAdmin: true, note: 'name and jurisdiction: admins only; the time zone: its own agency admins too' },
  'POST /console/admin/users/:id/details': { roles: ['admin', 'agency_admin'], scope: 'agency', crossAgencyAdmin: true, grantRule: 'self-allowed', note: 'name and email address' },
  'GET /console/admin/audit': { roles: ['admin', 'agency_admin'], scope: 'agency', crossAgencyAdmin: true, note: "agency admins: their agency's events only; the chain's state for all" },

  // ── issue 11, reviews (i11-reviews): the review lifecycle; an agency's records are its own (no crossAgencyAdmin) ──
  'POST /api/v1/reviews': { roles: ['reviewer', 'review_lead'], scope: 'agency', note: 'records the coded incident and drafts its review; 400 names each problem, 422 lists the guard’s findings' },
  'GET /api/v1/reviews': { roles: 'any', scope: 'agency', note: "the caller's agency's reviews only; status filter, q on the references, paged" },
  'GET /api/v1/reviews/:id': { roles: 'any', scope: 'agency', note: 'another agency’s review answers 404, partnership admins included' },
  'PATCH /api/v1/reviews/:id': { roles: ['reviewer', 'review_lead'], scope: 'agency', note: 'drafts only (409)' },
  'POST /api/v1/reviews/:id/submit': { roles: ['review_lead'], scope: 'agency', note: 'drafts only (409); every item rated (400)' },
  'POST /api/v1/reviews/:id/approve': { roles: ['approver'], scope: 'agency', note: 'never the lead or the submitter (403); bound to the version and contentHash read (409)' },
  'POST /api/v1/reviews/:id/return': { roles: ['approver'], scope: 'agency', note: 'submitted only (409); a reason is required' },
  'POST /api/v1/reviews/:id/share': { roles: ['review_lead', 'approver'], scope: 'agency', note: 'approved reviews only (409); the summary goes through the guard' },
  'POST /api/v1/reviews/:id/amend': { roles: ['review_lead'], scope: 'agency', note: 'approved or shared only (409): a new draft version' },
  'GET /api/v1/reviews/:id/versions': { roles: 'any', scope: 'agency', note: 'snapshots with their changes; the review’s agency only' },
  'PATCH /api/v1/reviews/:id/recommendations/:recId': { roles: ['reviewer', 'review_lead', 'approver'], scope: 'agency', note: 'once the review is approved (409 before); not_adopted needs a reason (400)' },
  'GET /api/v1/shared-reviews': { roles: 'any', scope: 'partnership', note: 'shared de-identified summaries of every member, never the record' },
  'GET /api/v1/shared-reviews/:id': { roles: 'any', scope: 'partnership', note: 'a review its agency did not share answers 404' },
  'GET /console/reviews': { roles: 'any', scope: 'agency' },
  'GET /console/reviews/new': { roles: ['reviewer', 'review_lead'], scope: 'agency' },
  'POST /console/reviews': { roles: ['reviewer', 'review_lead'], scope: 'agency', note: 'sent back (400) with each problem beside its field, or the guard’s findings (422)' },
  'GET /console/reviews/:id': { roles: 'any', scope: 'agency', note: 'the lifecycle buttons the caller may use' },
  'GET /console/reviews/:id/edit': { roles: ['reviewer', 'review_lead'], scope: 'agency', note: 'drafts only (409 page)' },
  'POST /console/reviews/:id/edit': { roles: ['reviewer', 'review_lead'], scope: 'agency' },
  'POST /console/reviews/:id/submit': { roles: ['review_lead'], scope: 'agency' },
  'POST /console/reviews/:id/approve': { roles: ['approver'], scope: 'agency', note: 'never the lead or the submitter; bound to the version and contentHash shown' },
  'POST /console/reviews/:id/return': { roles: ['approver'], scope: 'agency' },
  'POST /console/reviews/:id/share': { roles: ['review_lead', 'approver'], scope: 'agency' },
  'POST /console/reviews/:id/amend': { roles: ['review_lead'], scope: 'agency' },
  'POST /console/reviews/:id/recommendations/:recId': { roles: ['reviewer', 'review_lead', 'approver'], scope: 'agency' },
  'GET /console/shared-reviews': { roles: 'any', scope: 'partnership' },
  'GET /console/shared-reviews/:id': { roles: 'any', scope: 'partnership' },
  // ── issue 11, review to notice ─────────────────────────────────────────────────────────────
  'POST /api/v1/reviews/:id/notice-draft': { roles: ['author'], scope: 'agency', note: "a notice draft prefilled from the agency's approved or shared review (409 otherwise); then the normal approval" },
  'GET /api/v1/reviews/:id/notices': { roles: 'any', scope: 'agency', note: 'the notices issued from the review, with acknowledgment and action figures across recipients' },
  'GET /api/v1/reporting/recommendation-follow-through': { roles: ['analyst', 'admin'], scope: 'partnership', note: "aggregates only: agencies with a data-sharing agreement covering 'incidents', small cells suppressed" },
  'POST /console/reviews/:id/notice-draft': { roles: ['author'], scope: 'agency', note: "redirects to the new draft's editor; an unapproved review is sent back (409)" },
  'GET /console/reviews/:id/notices': { roles: 'any', scope: 'agency' },
  'GET /console/reporting/follow-through': { roles: ['analyst', 'admin'], scope: 'partnership' },
  // ── issue 11, reporting (i11-report): data-sharing agreements, aggregates, exports, the data dictionary ──
  'POST /api/v1/agencies/:id/data-sharing': { roles: ['admin', 'agency_admin'], scope: 'agency', crossAgencyAdmin: true, note: 'a new row each time (the history stays); empty covers withdraws; signedOn not in the future (400)' },
  'GET /api/v1/agencies/:id/data-sharing': { roles: 'any', scope: 'agency', crossAgencyAdmin: true, note: "the agency's agreements, newest first (the latest is in force)" },
  'GET /api/v1/reporting/partnership': { roles: ['analyst', 'admin'], scope: 'partnership', note: 'aggregates only: approved reviews of agencies with an agreement in force, suppressed under k' },
  'GET /api/v1/reporting/partnership/export': { roles: ['analyst', 'admin'], scope: 'partnership', note: 'one table, CSV or JSON; suppressed figures null / "suppressed"' },
  'GET /api/v1/reporting/agency': { roles: 'any', scope: 'agency', note: "the caller's agency's own figures in full, beside the partnership's suppressed ones" },
  'GET /api/v1/reporting/agency/export': { roles: 'any', scope: 'agency', note: 'one table of the agency view, CSV or JSON' },
  'GET /api/v1/reporting/dictionary': { roles: 'any', scope: 'partnership', note: 'generated from the instrument versions, item mappings and code lists' },
  'GET /console/reporting': { roles: 'any', scope: 'partnership', note: 'analysts and partnership admins: the partnership dashboard; everyone else: their agency view' },
  'GET /console/reporting/agency': { roles: 'any', scope: 'agency', note: "your agency's figures beside the partnership's, and its data-sharing agreement" },
  'GET /console/reporting/dictionary': { roles: 'any', scope: 'partnership' },
  'POST /console/reporting/data-sharing': { roles: ['agency_admin'], scope: 'agency', note: "records (or, with nothing ticked, withdraws) the caller's agency's agreement" },

  // ── the API docs: served by SwaggerModule straight from Express, so no Nest guard runs ────
  'GET /docs': { roles: 'public', scope: 'public', note: 'Swagger UI' },
  'GET /docs/': { roles: 'public', scope: 'public', note: 'Swagger UI' },
  'GET /docs/index.html': { roles: 'public', scope: 'public', note: 'Swagger UI' },
  'GET /docs/LICENSE': { roles: 'public', scope: 'public', note: 'Swagger UI' },
  'GET /docs/swagger-ui-init.js': { roles: 'public', scope: 'public', note: 'Swagger UI' },
  'GET /docs/docs/swagger-ui-init.js': { roles: 'public', scope: 'public', note: 'Swagger UI (a second path SwaggerModule registers)' },
  'GET /docs/openapi.json': { roles: 'public', scope: 'public', note: 'the OpenAPI document' },
  'GET /docs-yaml': { roles: 'public', scope: 'public', note: 'the OpenAPI document as YAML' },

  // ── issue 11, import ──────────────────────────────────────────────────────────────────────
  'POST /api/v1/reviews/import': { roles: ['review_lead'], scope: 'agency', note: "the CSV file as the body: rows become the caller's agency's approved historical reviews; all or nothing per file; ?dryRun=true writes nothing" },
  'GET /api/v1/reviews/import/template': { roles: 'any', scope: 'partnership', note: 'the file format: a header and an example row' },
  'GET /console/reviews/import': { roles: ['review_lead'], scope: 'agency', note: 'the upload form' },
  'POST /console/reviews/import': { roles: ['review_lead'], scope: 'agency', note: 'multipart: the file, dry run or not; redirects to the report' },
  'GET /console/reviews/import/report': { roles: ['review_lead'], scope: 'agency', note: "the last import's report, from the session's one-time slot" },
  // ── issue 12, survey collection (i12-collect): waves run by agency admins; the respondent's pages are public (the one-time token is the credential) ──
  'POST /api/v1/surveys/waves': { roles: ['agency_admin'], scope: 'agency', note: 'opens a wave of the caller\'s agency with its teams' },
  'GET /api/v1/surveys/waves': { roles: ['agency_admin', 'supervisor'], scope: 'agency', note: "response counts, never who answered; supervisors (read-only): each wave's own figures, no teams or reminders" },
  'GET /api/v1/surveys/waves/:id': { roles: ['agency_admin'], scope: 'agency' },
  'POST /api/v1/surveys/waves/:id/teams/:teamId/recipients': { roles: ['agency_admin'], scope: 'agency', note: 'addresses validated (400, nothing added) and deduplicated' },
  'POST /api/v1/surveys/waves/:id/invitations': { roles: ['agency_admin'], scope: 'agency', note: 'one fresh one-time link per address not yet invited, straight to the mail transport' },
  'POST /api/v1/surveys/waves/:id/reminders': { roles: ['agency_admin'], scope: 'agency', note: 'to the whole list; at most one a day (429)' },
  'POST /api/v1/surveys/waves/:id/teams/:teamId/codes': { roles: ['agency_admin'], scope: 'agency', note: 'one-time team codes in the answer only; hashes kept' },
  'POST /api/v1/surveys/waves/:id/close': { roles: ['agency_admin'], scope: 'agency', note: 'unused links and codes are deleted' },
  'GET /console/surveys': { roles: ['agency_admin', 'supervisor'], scope: 'agency', note: "supervisors: the waves and links to their results, no form" },
  'POST /console/surveys/:id/teams/:teamId/codes': { roles: ['agency_admin'], scope: 'agency', note: 'the codes go to a one-time slot; redirects to the handout page' },
  'GET /console/surveys/:id/codes': { roles: ['agency_admin'], scope: 'agency', note: 'the printable handout, once, from the one-time slot' },
  'GET /console/surveys/new': { roles: ['agency_admin'], scope: 'agency', note: 'the form to open a wave' },
  'POST /console/surveys': { roles: ['agency_admin'], scope: 'agency', note: 'opens a wave through SurveysService.open; errors beside the fields' },
  'GET /console/surveys/:id': { roles: ['agency_admin'], scope: 'agency', note: "the wave page: counts, the forms that run it; another agency's wave: 404" },
  'POST /console/surveys/:id/teams/:teamId/recipients': { roles: ['agency_admin'], scope: 'agency', note: "adds addresses to a team's list (SurveysService.addRecipients)" },
  'POST /console/surveys/:id/invitations': { roles: ['agency_admin'], scope: 'agency', note: 'sends the links (SurveysService.invite); the outcome shown once' },
  'POST /console/surveys/:id/reminders': { roles: ['agency_admin'], scope: 'agency', note: 'to the whole list, at most one a day (the 429 said in words)' },
  'POST /console/surveys/:id/close': { roles: ['agency_admin'], scope: 'agency', note: 'needs the confirmation box; unused links and codes are deleted' },
  'GET /survey': { roles: 'public', scope: 'public', note: 'enter a team code' },
  'POST /survey': { roles: 'public', scope: 'public', note: 'a team code: redirects to its survey; rate limited per IP' },
  'GET /survey/thanks': { roles: 'public', scope: 'public' },
  'GET /survey/:token': { roles: 'public', scope: 'public', note: 'the survey of a one-time link or code (410 used, 410 closed, 409 not yet open)' },
  'POST /survey/:token': { roles: 'public', scope: 'public', note: 'the answers: the token is spent in the transaction that stores them; rate limited per IP' },
  // ── issue 12, results (i12-results): survey results, the benchmark, culture beside incidents beside notices ──
  'GET /api/v1/surveys/waves/:id/results': { roles: ['agency_admin', 'supervisor'], scope: 'agency', note: "the wave's results, small teams suppressed and rolled into the agency; another agency's wave: 404" },
  'GET /console/surveys/:id/results': { roles: ['agency_admin', 'supervisor'], scope: 'agency', note: 'charts, the team × domain table, change since the previous wave, free text where allowed' },
  'GET /api/v1/culture/benchmark': { roles: ['analyst', 'admin'], scope: 'partnership', note: "agencies whose agreement covers 'culture' only; aggregates, suppressed" },
  'GET /api/v1/culture/comparison': { roles: ['analyst', 'admin'], scope: 'partnership', note: "agencies sharing 'culture' and 'incidents'; Spearman correlations with n and intervals" },
  'GET /api/v1/culture/agency': { roles: ['agency_admin', 'supervisor'], scope: 'agency', note: "the caller's agency against the partnership's quartiles; no other agency's figures" },
  'GET /console/culture': { roles: ['analyst', 'admin'], scope: 'partnership', note: 'benchmark, comparison table, scatter plots, exports' },
  'GET /console/culture/agency': { roles: ['agency_admin', 'supervisor'], scope: 'agency' },
};

/** The table key of a request: HEAD is answered by the GET route. */
export function routeKey(method: string, path: string): string {
  const m = method.toUpperCase();
  return `${m === 'HEAD' ? 'GET' : m} ${path}`;
}

export function ruleFor(method: string, path: string): AuthorizationRule | undefined {
  const key = routeKey(method, path);
  return Object.prototype.hasOwnProperty.call(AUTHORIZATION, key) ? AUTHORIZATION[key] : undefined;
}
