/**
 * Request factories of the authorization matrix, part 3: the console's sign-in, account, notices
 * (editing, review, publishing, acknowledging, supervising), deliveries and subscriptions: the
 * same objects through its pages and forms (with an API key: no CSRF).
 */
import { c, FORM, id, noticeForm, PAGE, PASSWORD, RouteSpec } from './authorization-calls';
import { AuthorizationScene } from './authorization-scene';

export function consoleSpecs(s: AuthorizationScene): Record<string, RouteSpec> {
  const { next, keyOf, userOf, must, freshDraft, freshInReview, freshPublished, toRemind, toAssign, flaggedDraft, freshSubscription, freshFailedDelivery, deliveryOf, attachedDraft, keptAttachment, third } = s;
  return {
    'GET /': { ok: 302, req: () => ({ path: '/' }) },
    'GET /console/assets/:file': { ok: 200, req: () => ({ path: '/console/assets/console.css' }) },
    'GET /console/sign-in': { ok: 200, req: () => ({ path: '/console/sign-in' }) },
    'POST /console/sign-in': { ok: 303, req: () => ({ path: '/console/sign-in', form: { email: s.loginEmail, password: PASSWORD } }) },
    'POST /console/sign-out': c({ ok: 303, req: () => ({ path: '/console/sign-out', form: {} }) }),
    'GET /console': c({ ok: PAGE, req: () => ({ path: '/console' }) }),
    'GET /console/account': c({ ok: PAGE, req: () => ({ path: '/console/account' }) }),
    'POST /console/account/password': c({
      ok: 303,
      req: () => ({ path: '/console/account/password', form: { currentPassword: PASSWORD, newPassword: PASSWORD, confirmPassword: PASSWORD } }),
    }),
    // The caller's own sessions, whatever it is (the matrix calls with keys: none of its own sessions matter here).
    'POST /console/account/sessions/end': c({ ok: 303, req: () => ({ path: '/console/account/sessions/end', form: {} }) }),
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
  };
}
