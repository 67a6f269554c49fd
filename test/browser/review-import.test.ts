/**
 * The bulk import of historical reviews (issue 11) in a real browser (Debian's Chromium through
 * playwright-core) against the apps on real PostgreSQL and NATS: a review lead uploads a file with
 * a bad row as a dry run and reads the report (the row named by line, external id and reasons,
 * nothing written), then imports the sample file through the form and reads the report of what
 * was created; reloading the report page imports nothing again. A file that is not CSV is sent
 * back with its problem. Every page is checked with axe-core, at desktop width and at 390 px.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { hashPassword } from '@sne/core';
import { createAgency, TestAgency } from '../support/fixtures';
import { goodRow, reviewCsv } from '../support/review-csv';
import { startStack, Stack } from '../support/stack';
import { ARTIFACTS, check, launchBrowser, overflowing, pageOpener, signIn } from './browser';
import { expect } from './locator-expect';

jest.setTimeout(110_000);

const SAMPLE = resolve(__dirname, '../fixtures/reviews/sample-import.csv');
const PASSWORD = 'correct horse battery staple';

describe('importing historical reviews in the console, in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  let county: TestAgency;
  let leadEmail = '';
  const contexts: BrowserContext[] = [];
  const violations: string[] = [];
  const pageProblems: string[] = [];
  const open = pageOpener(() => browser, contexts, pageProblems);

  async function audit(page: Page, name: string) {
    violations.push(...(await check(page, name)));
    expect(await overflowing(page)).toEqual([]);
  }

  const reviewCount = async () => (await stack.db.query(`SELECT count(*)::int AS n FROM incident_reviews WHERE agency_id = $1`, [county.id]))[0].n;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
    county = await createAgency(stack.db, { name: 'Franklin County Children Services', type: 'county', roles: ['review_lead', 'reviewer'] });
    const [[row]] = await stack.db.query(`UPDATE users SET password_hash = $2 WHERE id = $1 RETURNING email`, [county.userIds.review_lead, await hashPassword(PASSWORD)]);
    leadEmail = row.email;
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  for (const width of [1280, 390]) {
    it(`uploads a file, reads the report of a dry run with a bad row, then imports (${width} px)`, async () => {
      const page = await open({ width });
      await signIn(page, stack.url, leadEmail, PASSWORD);
      await page.goto(`${stack.url}/console/reviews/import`);
      await expect(page.getByRole('heading', { name: 'Import historical reviews' })).toBeVisible();
      await expect(page.getByRole('link', { name: 'Download the template' })).toBeVisible();
      await audit(page, `review-import-${width}-1-form`);

      // Not a CSV file: sent back with its problem, in the error summary.
      mkdirSync(ARTIFACTS, { recursive: true });
      const notCsv = join(ARTIFACTS, `notes-${width}.csv`);
      writeFileSync(notCsv, 'just,some\nnotes,here\n');
      await page.setInputFiles('#import-file', notCsv);
      await page.getByRole('button', { name: 'Check and import' }).click();
      await expect(page.getByRole('alert')).toContainText('the column "just" is not part of the format');
      await audit(page, `review-import-${width}-2-not-the-format`);

      // A dry run of a file with one bad row: the report names it; nothing is written.
      const bad = join(ARTIFACTS, `bad-row-${width}.csv`);
      writeFileSync(bad, reviewCsv([goodRow(width + 1), goodRow(width + 2, '2', { external_id: `BAD-${width}`, age_band: 'teen', 'cp.workload': '' })]));
      await page.setInputFiles('#import-file', bad);
      await page.getByLabel(/Dry run/).check();
      await Promise.all([page.waitForURL(/\/console\/reviews\/import\/report$/), page.getByRole('button', { name: 'Check and import' }).click()]);
      await expect(page.getByRole('status')).toContainText('Dry run: 1 of 2 rows would be refused');
      const badRow = page.locator('#line-3');
      await expect(badRow).toContainText(`BAD-${width}`);
      await expect(badRow).toContainText('Refused');
      await expect(badRow).toContainText('age_band must be one of under_1');
      await expect(badRow).toContainText('cp.workload is not rated');
      expect(await reviewCount()).toBe(width === 1280 ? 0 : 5);
      await audit(page, `review-import-${width}-3-dry-run-report`);

      // The sample file, imported: the report lists what was created (or, the second time, that it was imported already).
      await page.goto(`${stack.url}/console/reviews/import`);
      await page.setInputFiles('#import-file', SAMPLE);
      await Promise.all([page.waitForURL(/\/console\/reviews\/import\/report$/), page.getByRole('button', { name: 'Check and import' }).click()]);
      const first = width === 1280;
      await expect(page.getByRole('status')).toContainText(first ? 'Imported: 5 reviews created, 0 already imported before.' : 'Imported: 0 reviews created, 5 already imported before.');
      await expect(page.locator('#line-4')).toContainText('CIR-2021-011');
      await expect(page.locator('#line-4')).toContainText(first ? 'Imported' : 'Already imported');
      expect(await reviewCount()).toBe(5);
      await audit(page, `review-import-${width}-4-imported`);

      // The report is shown once: reloading imports nothing and shows no report.
      await page.reload();
      await expect(page.getByText('There is no report to show')).toBeVisible();
      expect(await reviewCount()).toBe(5);
      await audit(page, `review-import-${width}-5-reloaded`);
    });
  }

  it('has no serious or critical accessibility violation and no page error', () => {
    expect(violations).toEqual([]);
    expect(pageProblems).toEqual([]);
  });
});
