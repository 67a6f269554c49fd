/**
 * A supervisor finds the agency's survey results from the console's own navigation, in a real
 * browser on a 390 px phone: Surveys in the menu, the agency's waves (title, dates, status, the
 * total once it reaches SURVEY_MIN_RESPONSES), "See the results" on the closed wave, the results
 * page. No button, form or link that runs a wave is shown to them (opening, adding addresses,
 * sending, reminding, printing codes, closing, the wave's own page). Every page passes axe-core
 * and does not scroll sideways.
 */
import { Browser, BrowserContext } from 'playwright-core';
import { hashPassword } from '@sne/core';
import { apiClient, createAgency, TestAgency } from '../support/fixtures';
import { startStack, Stack } from '../support/stack';
import { launchBrowser, pageChecks, signIn } from './browser';
import { expect } from './locator-expect';

jest.setTimeout(120_000);

const PASSWORD = 'correct horse battery staple';

describe('a supervisor reads survey results from the console, in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  let agency: TestAgency;
  const contexts: BrowserContext[] = [];
  const { violations, pageProblems, sideways, open, audit } = pageChecks(() => browser, contexts);

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
    agency = await createAgency(stack.db, { name: 'Franklin County Children Services', roles: ['agency_admin', 'supervisor'] });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  /** A wave opened by the agency admin through the API, answered `answers` times with printed codes, closed or not. */
  async function wave(title: string, answers: number, close: boolean): Promise<string> {
    const call = apiClient(stack.url);
    const key = agency.keys.agency_admin;
    const w = (await call('POST', '/api/v1/surveys/waves', { key, body: { title, opensOn: '2020-01-01', closesOn: '2099-12-31', teams: [{ name: 'North intake unit', expectedHeadcount: 9 }] } })).body;
    const { codes } = (await call('POST', `/api/v1/surveys/waves/${w.id}/teams/${w.teams[0].id}/codes`, { key, body: { count: answers } })).body;
    for (const code of codes) {
      const r = await fetch(`${stack.url}/survey/${code}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'ps.speak-up=4' });
      expect(r.status).toBe(303);
    }
    if (close) expect((await call('POST', `/api/v1/surveys/waves/${w.id}/close`, { key })).status).toBe(200);
    return w.id;
  }

  it('finds the waves under Surveys, opens the closed one’s results, and is shown nothing that runs a wave', async () => {
    const autumn = await wave('Autumn team survey', 6, true);
    await wave('Spring team survey', 2, false);
    const [[supervisor]] = await stack.db.query(`UPDATE users SET password_hash = $2 WHERE id = $1 RETURNING email`, [agency.userIds.supervisor, await hashPassword(PASSWORD)]);

    const page = await open({ width: 390 });
    await signIn(page, stack.url, supervisor.email, PASSWORD);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Surveys' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Team surveys' })).toBeVisible();
    await audit(page, 'survey-supervisor-1-list');

    const autumnWave = page.getByRole('region', { name: 'Autumn team survey' });
    await expect(autumnWave).toContainText(/closed/i);
    await expect(autumnWave).toContainText('6 responses of 9 expected (67%)');
    const springWave = page.getByRole('region', { name: 'Spring team survey' });
    await expect(springWave).toContainText(/taking answers/i);
    await expect(springWave).toContainText('fewer than 5 responses so far');
    await expect(springWave).toContainText('The results are shown once the wave is closed.');

    // Read-only: no form in the page's content, no button, no way to open, print or manage a wave.
    const main = page.locator('main');
    await expect(main.locator('form')).toHaveCount(0);
    await expect(main.getByRole('button')).toHaveCount(0);
    await expect(main.getByRole('link', { name: 'Open a survey wave' })).toHaveCount(0);
    await expect(main.getByRole('link', { name: 'Autumn team survey', exact: true })).toHaveCount(0);
    await expect(main.locator('a[href^="/console/surveys/"]:not([href$="/results"])')).toHaveCount(0);

    await autumnWave.getByRole('link', { name: 'See the results of Autumn team survey' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Results: Autumn team survey' })).toBeVisible();
    expect(new URL(page.url()).pathname).toBe(`/console/surveys/${autumn}/results`);
    await expect(page.locator('#agency-responses')).toHaveText('6');
    await audit(page, 'survey-supervisor-2-results');

    expect(violations).toEqual([]);
    expect(sideways).toEqual([]);
    await page.close();
    expect(pageProblems).toEqual([]);
  });
});
