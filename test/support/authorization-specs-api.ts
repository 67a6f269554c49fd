/**
 * Request factories of the authorization matrix, part 1: the API's accounts and sessions,
 * agencies, people, keys, topics, notices and their review, subscriptions, acknowledgments and
 * deliveries. For each route: a valid request, and what "own", "other" and "shared" mean for it.
 */
import { id, NOTICE, onlyHome, PASSWORD, RouteSpec } from './authorization-calls';
import { AuthorizationScene } from './authorization-scene';

export function apiSpecs(s: AuthorizationScene): Record<string, RouteSpec> {
  const { next, keyOf, userOf, must, freshDraft, freshInReview, freshPublished, flaggedDraft, freshSubscription, freshUser, freshAgency, freshKey, freshFailedDelivery, recordOf, deliveryOf, tokenFor, third } = s;
  return {
    'POST /api/v1/auth/login': { ok: 200, req: () => ({ path: '/api/v1/auth/login', body: { email: s.loginEmail, password: PASSWORD } }) },
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
      // Anyone on itself; a colleague (never the caller) or another agency's person needs an admin role.
      targets: ['own', 'other', 'self'],
      req: async (x) => {
        if (x.target === 'self') return { path: `/api/v1/users/${x.caller === 'anonymous' ? x.home.a.userIds.author : userOf(x.caller)}/sessions` };
        return { path: `/api/v1/users/${x.target === 'own' ? await freshUser(x.home.id) : x.other.a.userIds.supervisor}/sessions` };
      },
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
          const [k] = await s.stack.db.query(`SELECT id FROM api_keys WHERE user_id = $1 AND revoked_at IS NULL LIMIT 1`, [x.other.a.userIds.author]);
          return { path: `/api/v1/api-keys/${k.id}` };
        }
        return { path: `/api/v1/api-keys/${await freshKey(x.caller === 'anonymous' ? s.A.a.userIds.author! : userOf(x.caller))}` };
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
  };
}
