/**
 * Issue 11, the review lifecycle in a real browser (Debian's Chromium through playwright-core)
 * against the three apps on real PostgreSQL and NATS: a reviewer drafts a review through the one
 * form (problems beside their fields, the de-identification guard's findings above it), the
 * review lead submits it, an approver (neither of them) approves the version and content shown
 * (never a resubmission it did not read) and shares a de-identified summary, and another member
 * reads only that summary. Every page is checked with axe-core (a serious or critical violation
 * fails the test) and at 390 px nothing sticks out sideways. Screenshots go to test/artifacts/browser/.
 */
import { Browser, BrowserContext, Page } from 'playwright-core';
import { currentInstrument, hashPassword, itemsOf } from '@sne/core';
import { apiClient, createAgency, TestAgency } from '../support/fixtures';
import { startStack, Stack } from '../support/stack';
import { check, launchBrowser, newContext, overflowing, signIn, watch } from './browser';
import { expect } from './locator-expect';

jest.setTimeout(150_000);

const PASSWORD = 'correct horse battery staple';
const ITEMS = [...itemsOf(currentInstrument().version).keys()];

describe('the review lifecycle in the console', () => {
  let stack: Stack;
  let browser: Browser;
  let home: TestAgency;
  let other: TestAgency;
  let reviewId = '';
  let reference = '';
  const emails: Record<string, string> = {};
  const contexts: BrowserContext[] = [];
  const violations: string[] = [];
  const problems: string[] = [];
  const axeLog: string[] = [];

  async function open(width = 1280): Promise<Page> {
    const ctx = await newContext(browser, { width, height: 900 });
    contexts.push(ctx);
    const page = await ctx.newPage();
    page.setDefaultTimeout(10_000);
    const seen = watch(page);
    page.on('close', () => problems.push(...seen));
    return page;
  }

  async function audit(page: Page, name: string) {
    violations.push(...(await check(page, name, axeLog)));
    expect(await overflowing(page)).toEqual([]);
  }

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
    home = await createAgency(stack.db, { name: 'Home County', roles: ['reviewer', 'review_lead', 'approver'] });
    other = await createAgency(stack.db, { name: 'Other County', roles: ['reviewer'] });
    const hash = await hashPassword(PASSWORD);
    const names: Record<string, string> = { 'home.reviewer': 'Rae Reviewer', 'home.review_lead': 'Lee Lead', 'home.approver': 'Ava Approver', 'other.reviewer': 'Otto Other' };
    for (const [who, agency] of [['home', home], ['other', other]] as const) {
      for (const [role, id] of Object.entries(agency.userIds)) {
        await stack.db.query(`UPDATE users SET password_hash = $2, name = $3 WHERE id = $1`, [id, hash, names[`${who}.${role}`]]);
        emails[`${who}.${role}`] = (await stack.db.query(`SELECT email FROM users WHERE id = $1`, [id]))[0].email;
      }
    }
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
    if (axeLog.length) console.log(`axe-core findings (minor and moderate ones do not fail the test):\n${axeLog.join('\n')}`);
  });

  it('a reviewer drafts a review at 390 px: problems beside their fields, the guard’s findings, then a saved draft', async () => {
    const page = await open(390);
    await signIn(page, stack.url, emails['home.reviewer'], PASSWORD);
    await Promise.all([page.waitForURL(/\/console\/reviews$/), page.click('nav a:has-text("Reviews")')]);
    await expect(page.locator('main')).toContainText('No reviews here yet.');
    await audit(page, 'reviews-01-empty-list');
    await Promise.all([page.waitForURL(/\/console\/reviews\/new$/), page.click('a:has-text("Start a new review")')]);
    // Every item of the instrument, by domain, with the anchored scale.
    await expect(page.locator('fieldset.rating-item')).toHaveCount(ITEMS.length);
    await expect(page.locator(`[id="rating-${ITEMS[0]}"] .anchor-definition`).first()).toContainText('nothing to suggest');
    await audit(page, 'reviews-02-new-form');

    // Nothing chosen: each problem is beside its field.
    await page.click('button:has-text("Save as a draft")');
    await expect(page.locator('.error-summary')).toBeVisible();
    await expect(page.locator('#incidentType-error')).toContainText('Must be one of');
    await expect(page.locator('#circumstances-error')).toBeVisible();
    await audit(page, 'reviews-03-form-errors');

    await page.selectOption('#incidentType', 'near_fatality');
    await page.selectOption('#incidentMonth', '4');
    await page.fill('#incidentYear', '2025');
    await page.selectOption('#ageBand', 'under_1');
    await page.selectOption('#priorInvolvement', 'investigated');
    await page.selectOption('#priorRecency', 'within_12_months');
    await page.check('#circumstance-unsafe_sleep');
    await page.fill('#summary', 'The closing visit did not cover sleep. The grandmother can be reached at 555-201-3344.');
    for (const id of ITEMS.slice(0, 5)) await page.check(`[id="rating-${id}-2"]`);
    await page.fill('#finding-text-0', 'Closing visits had no checklist for infant sleep arrangements.');
    await page.fill('#rec-text-0', 'Add a safe sleep check to every closing visit with an infant.');
    await page.fill('#rec-target-0', '2027-03-31');
    await page.selectOption('#leadId', { label: 'Lee Lead' });
    await page.click('button:has-text("Save as a draft")');
    // The guard: nothing saved, the finding shown, the form kept.
    await expect(page.locator('#guard-title')).toBeVisible();
    await expect(page.locator('main')).toContainText('555-201-3344');
    expect(await page.inputValue('#finding-text-0')).toContain('Closing visits');
    expect(await page.isChecked(`[id="rating-${ITEMS[0]}-2"]`)).toBe(true);
    expect((await stack.db.query(`SELECT count(*)::int AS n FROM incident_reviews`))[0].n).toBe(0);
    await audit(page, 'reviews-04-guard');

    await page.fill('#summary', 'The closing visit did not cover sleep arrangements for the infant.');
    await Promise.all([page.waitForURL(/done=review_created/), page.click('button:has-text("Save as a draft")')]);
    reviewId = page.url().split('/console/reviews/')[1].split('?')[0];
    reference = (await page.locator('h1').innerText()).match(/R-\d{4}-\d{4}/)![0];
    await expect(page.locator('main')).toContainText('The review was saved as a draft.');
    await expect(page.locator('main')).toContainText('Near fatality');
    await audit(page, 'reviews-05-draft');

    // The rest of the ratings, through the edit form.
    await Promise.all([page.waitForURL(/\/edit$/), page.click('a:has-text("Edit the draft")')]);
    for (const id of ITEMS.slice(5)) await page.check(`[id="rating-${id}-1"]`);
    await Promise.all([page.waitForURL(/done=review_saved/), page.click('button:has-text("Save the draft")')]);
    expect(await page.locator('main').innerText()).not.toContain('Not rated');
    // A reviewer cannot submit: no button for the role.
    await expect(page.locator('button:has-text("Submit for approval")')).toHaveCount(0);
    await audit(page, 'reviews-06-draft-rated');
    expect(violations).toEqual([]);
  });

  it('the lead submits, an approver approves the version shown and shares a summary, and changes a recommendation', async () => {
    const lead = await open();
    await signIn(lead, stack.url, emails['home.review_lead'], PASSWORD);
    await lead.goto(`${stack.url}/console/reviews`);
    await Promise.all([lead.waitForURL(new RegExp(reviewId)), lead.click(`a:has-text("${reference}")`)]);
    await Promise.all([lead.waitForURL(/done=review_submitted/), lead.click('button:has-text("Submit for approval")')]);
    await expect(lead.locator('h1')).toContainText(/submitted/i);
    await expect(lead.locator('#versions-title + ol')).toContainText(/Version 1, submitted/i);
    await audit(lead, 'reviews-07-submitted');

    const approver = await open(390);
    await signIn(approver, stack.url, emails['home.approver'], PASSWORD);
    await approver.goto(`${stack.url}/console/reviews/${reviewId}`);
    await audit(approver, 'reviews-08-to-approve');
    // Behind the open page, the review is sent back, edited and resubmitted: still version 1, not what was read.
    const call = apiClient(stack.url);
    expect((await call('POST', `/api/v1/reviews/${reviewId}/return`, { key: home.keys.approver, body: { reason: 'Say what the closing visit checks' } })).status).toBe(200);
    expect((await call('PATCH', `/api/v1/reviews/${reviewId}`, { key: home.keys.reviewer, body: { summary: 'Safe sleep guidance was not part of the closing visit checklist.' } })).status).toBe(200);
    expect((await call('POST', `/api/v1/reviews/${reviewId}/submit`, { key: home.keys.review_lead })).status).toBe(200);
    const refused = approver.waitForResponse((r) => r.url().endsWith(`/console/reviews/${reviewId}/approve`));
    await approver.click('button:has-text("Approve version 1")');
    expect((await refused).status()).toBe(409);
    await expect(approver.locator('main')).toContainText(/the review changed since you read it/i);
    await expect(approver.locator('main')).toContainText('Safe sleep guidance was not part of the closing visit checklist.');
    expect((await stack.db.query(`SELECT status FROM incident_reviews WHERE id = $1`, [reviewId]))[0].status).toBe('submitted');
    // The page now shows the resubmitted record, and approving it is what was read.
    await Promise.all([approver.waitForURL(/done=review_approved/), approver.click('button:has-text("Approve version 1")')]);
    await expect(approver.locator('h1')).toContainText(/approved/i);
    // Sharing checks the summary too.
    await approver.fill('#shared-summary', 'Call 555-201-3344 for details.');
    await approver.click('button:has-text("Share this summary")');
    await expect(approver.locator('#guard-title')).toBeVisible();
    await audit(approver, 'reviews-09-share-refused');
    await approver.fill('#shared-summary', 'Closing visits did not check infant sleep arrangements; a checklist was added to every closing visit.');
    await Promise.all([approver.waitForURL(/done=review_shared/), approver.click('button:has-text("Share this summary")')]);
    await expect(approver.locator('h1')).toContainText(/shared/i);
    await approver.selectOption('#rec-status-1', 'accepted');
    await Promise.all([approver.waitForURL(/done=recommendation_changed/), approver.click('button:has-text("Change the status")')]);
    await expect(approver.locator('.review-row').first()).toContainText(/accepted/i);
    await audit(approver, 'reviews-10-shared');
    const [row] = await stack.db.query(`SELECT status, approved_version, approved_by FROM incident_reviews WHERE id = $1`, [reviewId]);
    expect(row).toEqual({ status: 'shared', approved_version: 1, approved_by: home.userIds.approver });
    expect(violations).toEqual([]);
  });

  it('another member reads the shared summary, never the record', async () => {
    const page = await open(390);
    await signIn(page, stack.url, emails['other.reviewer'], PASSWORD);
    await page.goto(`${stack.url}/console/shared-reviews`);
    await expect(page.locator('tbody tr')).toHaveCount(1);
    await expect(page.locator('tbody tr')).toContainText(reference);
    await expect(page.locator('tbody tr')).toContainText(home.name);
    await audit(page, 'reviews-11-shared-list');
    await Promise.all([page.waitForURL(/\/console\/shared-reviews\//), page.click(`a:has-text("${reference}")`)]);
    await expect(page.locator('main')).toContainText('a checklist was added to every closing visit');
    expect(await page.locator('main').innerText()).not.toContain('Closing visits had no checklist');
    await audit(page, 'reviews-12-shared');
    const res = await page.goto(`${stack.url}/console/reviews/${reviewId}`);
    expect(res?.status()).toBe(404);
    await page.goto(`${stack.url}/console/reviews`);
    expect(await page.locator('main').innerText()).not.toContain(reference);
    expect(violations).toEqual([]);
    expect(problems).toEqual([]);
  });
});
