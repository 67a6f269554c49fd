/**
 * Request factories of the authorization matrix, part 4: the console's administration (people,
 * keys, agencies, topics, audit), review import, reviews, review to notice, and reporting.
 */
import { c, FORM, id, PAGE, PASSWORD, REVIEW, reviewForm, RouteSpec } from './authorization-calls';
import { AuthorizationScene } from './authorization-scene';

export function consoleAdminSpecs(s: AuthorizationScene): Record<string, RouteSpec> {
  const { next, userOf, must, freshUser, freshAgency, freshKey, reviewIn, reviewOf } = s;
  return {
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
          const [k] = await s.stack.db.query(`SELECT id FROM api_keys WHERE user_id = $1 AND revoked_at IS NULL LIMIT 1`, [x.other.a.userIds.author]);
          return { path: `/console/admin/keys/${k.id}/revoke`, form: {} };
        }
        return { path: `/console/admin/keys/${await freshKey(x.caller === 'anonymous' ? s.A.a.userIds.author! : userOf(x.caller))}/revoke`, form: {} };
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
}
