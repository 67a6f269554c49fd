/**
 * Request factories of the authorization matrix, part 2: the API's reports, supervision, feeds,
 * audit, health, attachments, acknowledgment links and pages, review import, reviews, review to
 * notice, and reporting.
 */
import { id, onlyHome, PDF_TEXT, REVIEW, RouteSpec } from './authorization-calls';
import { AuthorizationScene } from './authorization-scene';
import { goodRow, reviewCsv } from './review-csv';

export function moreApiSpecs(s: AuthorizationScene): Record<string, RouteSpec> {
  const { next, must, freshDraft, toRemind, tokenFor, attachedDraft, keptAttachment, publishedAttachmentLink, freshReview, reviewIn, third, reviewOf } = s;
  return {
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
    'GET /dev/mailbox/:id': { ok: 200, req: () => ({ path: `/dev/mailbox/${s.mailId}` }) },

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
  };
}
