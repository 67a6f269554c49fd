/**
 * Request factories of the authorization matrix, part 5: survey collection (API, console and the
 * public survey pages), the API documentation, and survey results beside the culture reports.
 */
import { c, FORM, PAGE, RouteSpec, SURVEY_WAVE } from './authorization-calls';
import { AuthorizationScene } from './authorization-scene';

export function surveySpecs(s: AuthorizationScene): Record<string, RouteSpec> {
  const { next, surveyWave, surveyWaves, freshWave, waveOf, listedWave, surveyCode, waveFor } = s;
  return {
    // ── issue 12, survey collection (i12-collect) ──
    'POST /api/v1/surveys/waves': { ok: 201, req: () => ({ path: '/api/v1/surveys/waves', body: SURVEY_WAVE }) },
    'GET /api/v1/surveys/waves': {
      ok: 200,
      req: async (x) => {
        await waveOf(x.other);
        await waveOf(x.home);
        return { path: '/api/v1/surveys/waves' };
      },
      check: (x, res) => {
        if (res.body.some((w: any) => w.id === surveyWaves.get(x.other.id)?.id)) return "another agency's wave leaked";
        // A supervisor reads each wave's own figures: nothing of how it is run (teams, reminders).
        const running = res.body.filter((w: any) => 'teams' in w || 'reminders' in w).length;
        if (x.caller === 'agency_admin' ? running !== res.body.length || running === 0 : running > 0) return `${running} of ${res.body.length} waves in full for ${x.caller}`;
        return undefined;
      },
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
    'GET /console/surveys': c({
      ok: PAGE,
      req: async (x) => {
        // A wave taking answers and a closed one: the page has something to offer, or to hold back.
        await waveOf(x.home);
        await surveyWave(x.home);
        return { path: '/console/surveys' };
      },
      // A supervisor gets links to results, and no form, button or page of running a wave.
      check: (x, res) => {
        const runs = /action="\/console\/surveys|href="\/console\/surveys\/(new|[0-9a-f-]{36})"/.test(res.text);
        if (!/href="\/console\/surveys\/[0-9a-f-]{36}\/results"/.test(res.text)) return 'no link to a closed wave\'s results';
        return runs === (x.caller === 'agency_admin') ? undefined : runs ? `${x.caller} was shown how to run a wave` : 'the agency admin was not shown how to run a wave';
      },
    }),
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
}
