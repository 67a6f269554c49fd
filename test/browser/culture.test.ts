/**
 * Issue 12's results pages in a real browser (Debian's Chromium through playwright-core) on the
 * real stack with the demo seed's two survey waves: an agency admin reads a wave's results and
 * its agency against the partnership; the partnership admin reads the benchmark and the
 * comparison with its scatter plots. At 390 px and 1280 px every page passes axe-core (a serious
 * or critical violation fails the test) and nothing sticks out sideways at 390 px.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { seedDemo } from '../../apps/standalone/src/demo-seed';
import { startStack, Stack } from '../support/stack';
import { check, launchBrowser, overflowing, signIn, walk } from './browser';
import { expect } from './locator-expect';

jest.setTimeout(120_000);

describe('culture results and comparison in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  let keys: Awaited<ReturnType<typeof seedDemo>>;
  let waveId: string;
  const w = walk(() => browser);
  const violations: string[] = [];
  const axeLog: string[] = [];

  async function audit(page: Page, name: string, narrow: boolean) {
    violations.push(...(await check(page, name, axeLog)));
    if (narrow) expect(await overflowing(page)).toEqual([]);
  }

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
    keys = await seedDemo(stack.db, join(mkdtempSync(join(tmpdir(), 'sne-demo-')), 'demo-keys.json'));
    // Every member agency also shares incident data here, so the comparison has rows and plots.
    await stack.db.query(
      `INSERT INTO data_sharing_agreements (agency_id, covers, signed_on, recorded_at)
       SELECT DISTINCT agency_id, '{incidents,culture}'::text[], '2026-01-01'::date, now() + interval '1 minute' FROM survey_waves`,
    );
    [{ id: waveId }] = await stack.db.query(
      `SELECT w.id FROM survey_waves w JOIN agencies a ON a.id = w.agency_id WHERE a.name = 'Franklin County Children Services' AND w.title LIKE 'Autumn%'`,
    );
  });

  afterAll(async () => {
    await w.close();
    await browser?.close();
    await stack?.close();
  });

  const person = (email: string) => keys.find((k) => k.email === email)!;

  for (const width of [390, 1280]) {
    it(`an agency admin reads the results and the agency view at ${width} px`, async () => {
      const page = await w.open({ width });
      const fran = person('fran@fccs.example');
      await signIn(page, stack.url, fran.email, fran.password);
      await page.goto(`${stack.url}/console/surveys/${waveId}/results`);
      await expect(page.locator('h1')).toContainText('Autumn 2026 team survey');
      await expect(page.locator('#team-responses')).toContainText(/fewer than 5/i);
      await expect(page.locator('#changes')).toContainText('95% CI');
      await expect(page.locator('figure svg[role="img"]').first()).toBeVisible();
      await audit(page, `culture-results-${width}`, width === 390);
      await page.click('nav a:has-text("Culture")');
      await expect(page.locator('h1')).toHaveText('Your culture against the partnership');
      await expect(page.locator('#agency-domains')).toContainText('Supervisor support');
      await audit(page, `culture-agency-${width}`, width === 390);
    });

    it(`the partnership admin reads the benchmark and the comparison at ${width} px`, async () => {
      const page = await w.open({ width });
      const pat = person('admin@partnership.example');
      await signIn(page, stack.url, pat.email, pat.password);
      await page.goto(`${stack.url}/console/culture`);
      await expect(page.locator('#how-to-read')).toContainText('Association, not cause.');
      await expect(page.locator('#benchmark-agencies')).toContainText('Arizona Department of Child Safety');
      await expect(page.locator('#correlations')).toContainText('n');
      expect(await page.locator('figure svg[role="img"]').count()).toBeGreaterThanOrEqual(6);
      await audit(page, `culture-partnership-${width}`, width === 390);
    });
  }

  it('found no serious or critical accessibility problem and no script error', () => {
    expect(violations).toEqual([]);
    expect(w.problems).toEqual([]);
  });
});
