/**
 * Reporting in the console, in a real browser (Debian's Chromium through playwright-core) against
 * the three apps on real PostgreSQL and NATS: an analyst reads the partnership dashboard (SVG
 * charts with their tables, suppressed figures hatched and written "suppressed") and the data
 * dictionary on a 390 px phone; an agency admin sees the agency view instead, withdraws the
 * agency's data-sharing agreement and records it again (post/redirect/get, an error sent back with
 * the form); a reviewer of another agency sees the agreement but no form. Every page: axe-core
 * finds no violation at all, and nothing sticks out sideways.
 */
import { Browser, Page } from 'playwright-core';
import { hashPassword, IncidentType, insertReviewRecord } from '@sne/core';
import { ITEMS } from '../../apps/api/src/reporting/reporting-system';
import { apiClient, createAgency, TestAgency } from '../support/fixtures';
import { startStack, Stack } from '../support/stack';
import { axe, launchBrowser, overflowing, signIn, walk } from './browser';
import { expect } from './locator-expect';

jest.setTimeout(120_000);

const PASSWORD = 'correct horse battery staple';
const PERIOD = 'from=2025-Q1&to=2025-Q4';

describe('reporting in the console', () => {
  let stack: Stack;
  let browser: Browser;
  let w: ReturnType<typeof walk>;
  const a = {} as Record<'S' | 'C' | 'T' | 'P', TestAgency>;
  const email: Record<string, string> = {};

  async function clean(page: Page, name: string) {
    await w.audit(page, name);
    expect((await axe(page)).map((v) => `${name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    expect(await overflowing(page)).toEqual([]);
    expect(w.problemsOf(page)).toEqual([]);
  }

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
    w = walk(() => browser);
    a.S = await createAgency(stack.db, { name: 'Ohio', type: 'state', roles: ['agency_admin', 'review_lead'] });
    a.C = await createAgency(stack.db, { name: 'Franklin', type: 'county', roles: ['agency_admin', 'review_lead'] });
    a.T = await createAgency(stack.db, { name: 'Cherokee', type: 'tribal', roles: ['reviewer', 'review_lead', 'agency_admin'] });
    a.P = await createAgency(stack.db, { name: 'Partnership', type: 'federal', roles: ['analyst'] });
    const hash = await hashPassword(PASSWORD);
    for (const [k, agency] of Object.entries(a)) {
      for (const [role, id] of Object.entries(agency.userIds)) {
        await stack.db.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [id, hash]);
        email[`${k}.${role}`] = (await stack.db.query(`SELECT email FROM users WHERE id = $1`, [id]))[0].email;
      }
    }
    const call = apiClient(stack.url);
    for (const k of ['S', 'C', 'T'] as const) {
      expect((await call('POST', `/api/v1/agencies/${a[k].id}/data-sharing`, { key: a[k].keys.agency_admin, body: { covers: ['incidents'], signedOn: '2025-01-02' } })).status).toBe(201);
    }
    // Reviews of 2025: the state and the county pass k in most cells, the tribe's two fatalities do not.
    const plan: [keyof typeof a, IncidentType, number, number][] = [];
    for (let q = 0; q < 4; q++) {
      plan.push(['S', 'fatality', q, 6], ['S', 'serious_injury', q, 7], ['C', 'near_fatality', q, 5]);
    }
    plan.push(['T', 'fatality', 1, 2], ['T', 'serious_injury', 1, 5]);
    await stack.db.transaction(async (m) => {
      let n = 0;
      for (const [k, type, q, count] of plan) {
        for (let i = 0; i < count; i++, n++) {
          const ratings = Object.fromEntries(ITEMS().map(({ id }, j) => [id, (n + j) % 4 === 0 ? 2 : 0]));
          await insertReviewRecord(m, a[k].id, a[k].userIds.review_lead!, {
            incident: { incidentType: type, incidentYear: 2025, incidentMonth: q * 3 + 1 + (i % 3), ageBand: '1_3', priorInvolvement: 'none', priorRecency: null, circumstances: ['neglect'] },
            instrumentVersion: '1',
            ratings,
            findings: [],
            recommendations: [{ text: 'Add a reassessment step.', owner: 'agency', status: i % 2 ? 'implemented' : 'accepted', implementedOn: i % 2 ? '2025-09-01' : null }],
          }, { status: 'approved', leadId: a[k].userIds.review_lead!, year: 2025 });
        }
      }
    });
  }, 120_000);

  afterAll(async () => {
    await w?.close();
    await browser?.close();
    await stack?.close();
  });

  it('an analyst reads the partnership dashboard and the data dictionary on a phone', async () => {
    const page = await w.open({ width: 390 });
    await signIn(page, stack.url, email['P.analyst'], PASSWORD);
    await page.goto(`${stack.url}/console/reporting?${PERIOD}`);
    await expect(page.locator('h1')).toHaveText('Partnership reporting');
    // Six charts, each an image named by its title, with its figures in a table.
    expect(await page.locator('figure svg[role="img"]').count()).toBe(6);
    expect(await page.locator('#systemic-factors table').count()).toBe(1);
    // No federal agency contributes reviews: that column is left out rather than shown empty.
    expect(await page.locator('#systemic-factors').textContent()).not.toContain('Federal');
    expect(await page.locator('#systemic-factors').textContent()).toContain('Tribal');
    // 79 reviews: the state 52, the county 20, the tribe 7 (2 fatalities + 5): its small cells are written "suppressed".
    expect(await page.locator('#incidents-type-jurisdiction').textContent()).toContain('suppressed');
    expect(await page.locator('#exports a').count()).toBe(10);
    expect(await page.locator('#exports a').first().getAttribute('href')).toBe(`/api/v1/reporting/partnership/export?table=incidents&format=csv&${PERIOD}`);
    await clean(page, 'reporting-partnership-390');

    await page.goto(`${stack.url}/console/reporting?from=2025-Q4&to=2025-Q1`);
    await expect(page.locator('.error-summary')).toHaveText(/from must not be after to/i);
    await clean(page, 'reporting-partnership-bad-period');

    await page.click('a:has-text("Data dictionary")');
    await expect(page.locator('h1')).toHaveText('Data dictionary');
    expect(await page.locator('#rules dt').count()).toBeGreaterThanOrEqual(5);
    expect(await page.locator('code:has-text("cp.vacancies")').count()).toBe(1);
    await clean(page, 'reporting-dictionary-390');
  });

  it('an agency admin sees the agency view, withdraws the agreement and records it again', async () => {
    const page = await w.open({ width: 390 });
    await signIn(page, stack.url, email['S.agency_admin'], PASSWORD);
    await page.goto(`${stack.url}/console/reporting?${PERIOD}`);
    await expect(page.locator('h1')).toHaveText('Reporting: your agency and the partnership');
    await expect(page.locator('#sharing-status')).toHaveText(/contributes to partnership figures/);
    expect(await page.locator('#own-by-type table').textContent()).toContain('24'); // its own 24 fatalities, in full
    await clean(page, 'reporting-agency-390');

    // A date in the future is sent back with the form.
    await page.fill('#sharing-signed-on', '2999-01-01');
    await page.click('button:has-text("Record the agreement")');
    await expect(page.locator('.error-summary')).toHaveText(/must not be in the future/);
    await clean(page, 'reporting-agency-sharing-error');

    // Nothing ticked: a withdrawal.
    await page.uncheck('#sharing-cover-0');
    await page.fill('#sharing-signed-on', '2025-06-30');
    await Promise.all([page.waitForURL(/done=sharing_recorded/), page.click('button:has-text("Record the agreement")')]);
    await expect(page.locator('.banner-success')).toHaveText(/agreement was recorded/);
    await expect(page.locator('#sharing-status')).toHaveText(/does not contribute/);
    expect(await page.locator('#sharing-history tbody tr').count()).toBe(2);
    await clean(page, 'reporting-agency-withdrawn');

    await page.check('#sharing-cover-0');
    await page.fill('#sharing-signed-on', '2025-07-01');
    await Promise.all([page.waitForURL(/done=sharing_recorded/), page.click('button:has-text("Record the agreement")')]);
    await expect(page.locator('#sharing-status')).toHaveText(/contributes to partnership figures/);
  });

  it("a reviewer sees the agency's agreement but cannot change it, and no partnership dashboard", async () => {
    const page = await w.open({ width: 1280 });
    await signIn(page, stack.url, email['T.reviewer'], PASSWORD);
    await page.goto(`${stack.url}/console/reporting/agency?${PERIOD}`);
    await expect(page.locator('#sharing-status')).toHaveText(/contributes to partnership figures/);
    expect(await page.locator('#sharing-form').count()).toBe(0);
    expect(await page.locator('a:has-text("Partnership dashboard")').count()).toBe(0);
    await clean(page, 'reporting-agency-reviewer-1280');
    const csrf = (await page.locator('meta[name="csrf-token"]').getAttribute('content'))!;
    const res = await page.request.post(`${stack.url}/console/reporting/data-sharing`, { form: { _csrf: csrf, covers: 'incidents', signedOn: '2025-01-01' }, maxRedirects: 0 });
    expect(res.status()).toBe(403);
  });

  it('every page was axe-clean', () => {
    expect(w.violations).toEqual([]);
    expect(w.problems).toEqual([]);
  });
});
