/**
 * Whom and what test/e2e/fuzz.test.ts's requests aim at: the caller's own object and another
 * agency's for every path parameter, hostile ids, keys of an allowed and of a wrong role,
 * credentials that must be refused whatever the request, and the query parameters of each read.
 */
import { AUTHORIZATION } from '../../apps/api/src/common/authorization.table';
import { BAD_IDS } from './hostile-input';
import { FuzzContext } from './fuzz-scene';

export const fill = (template: string, ids: (param: string) => string) => template.replace(/:(\w+)/g, (_, p) => ids(p));
/** Whether a path is the API's (JSON errors) rather than a page's. */
export const apiOf = (path: string) => !(path === '/' || path.startsWith('/console') || path.startsWith('/ack/') || path === '/survey' || path.startsWith('/survey/'));

/** The query parameters each read takes. */
export const QUERY_PARAMS: Record<string, string[]> = {
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

export function fuzzTargets(x: FuzzContext) {
  const { rnd, roleKeys, hostile, A, B, P, w } = x;

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
  return { ownId, otherId, badId, allowedKey, wrongRoleKey, badAuth };
}
