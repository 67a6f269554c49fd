/**
 * Issue 11, from review to notice, in a real browser (Debian's Chromium through playwright-core)
 * against the three apps on real PostgreSQL and NATS: an author drafts a safety notice from an
 * approved review with the form button (the partial the review page includes), lands in the
 * notice editor prefilled from the review, submits it; an approver publishes it; the notice page
 * says "Issued from review R-…", linked to the review for its own agency only; the review's
 * notices page and the partnership's follow-through page show it. Every page is checked with
 * axe-core (a serious or critical violation fails) and screenshotted under test/artifacts/browser/.
 */
import { Browser, BrowserContext, Page } from 'playwright-core';
import { hashPassword, insertReviewRecord } from '@sne/core';
import { apiClient, createAgency, createTopics, eventually, TestAgency } from '../support/fixtures';
import { startStack, Stack } from '../support/stack';
import { check, launchBrowser, newContext, signIn, watch } from './browser';
import { expect } from './locator-expect';

jest.setTimeout(110_000);

const PASSWORD = 'correct horse battery staple';
const FINDING = 'Home visit checklists had no item on where the infant sleeps. Workers relied on memory.';
const RECOMMENDATION = 'Add a safe sleep item to every home visit checklist';

describe('a safety notice drafted from a review, in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  let state: TestAgency, county: TestAgency, partnership: TestAgency;
  let review: { reviewId: string; reference: string };
  const contexts: BrowserContext[] = [];
  const violations: string[] = [];
  const emails: Record<string, string> = {};

  async function open(): Promise<Page> {
    const ctx = await newContext(browser);
    contexts.push(ctx);
    const page = await ctx.newPage();
    page.setDefaultTimeout(10_000);
    watch(page);
    return page;
  }
  async function audit(page: Page, name: string) {
    violations.push(...(await check(page, name)));
  }
  async function as(agency: TestAgency, role: string): Promise<Page> {
    const page = await open();
    await signIn(page, stack.url, emails[`${agency.id}/${role}`], PASSWORD);
    return page;
  }

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack({ SUPPRESSION_MIN_CELL: '1' }), launchBrowser()]);
    await createTopics(stack.db, ['safe-sleep', 'intake.screening']);
    state = await createAgency(stack.db, { name: 'Ohio DCY', type: 'state', roles: ['author', 'approver'] });
    county = await createAgency(stack.db, { name: 'Franklin County', roles: ['supervisor', 'agency_admin'] });
    partnership = await createAgency(stack.db, { name: 'Partnership', type: 'federal', roles: ['analyst'] });
    const hash = await hashPassword(PASSWORD);
    for (const agency of [state, county, partnership]) {
      for (const [role, id] of Object.entries(agency.userIds)) {
        await stack.db.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [id, hash]);
        emails[`${agency.id}/${role}`] = (await stack.db.query(`SELECT email FROM users WHERE id = $1`, [id]))[0].email;
      }
    }
    const sub = await apiClient(stack.url)('POST', '/api/v1/subscriptions', {
      key: county.keys.agency_admin,
      body: { name: 'Intake desk', topicPatterns: ['safe-sleep'], channel: 'email', emailAddresses: ['intake@franklin.test'] },
    });
    expect(sub.status).toBe(201);
    await stack.db.query(`INSERT INTO data_sharing_agreements (agency_id, covers, signed_on) VALUES ($1, '{incidents}', '2026-01-05')`, [county.id]);
    review = await stack.db.transaction((m) =>
      insertReviewRecord(
        m,
        state.id,
        null,
        {
          incident: { incidentType: 'fatality', incidentYear: 2025, incidentMonth: 3, ageBand: 'under_1', priorInvolvement: 'none', circumstances: ['unsafe_sleep'] },
          ratings: {},
          findings: [{ text: FINDING }],
          recommendations: [{ text: RECOMMENDATION, owner: 'partnership' }],
        },
        { status: 'approved' },
      ),
    );
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  afterEach(() => {
    expect(violations).toEqual([]);
  });

  it('button → editor → approve → the notice says which review it came from', async () => {
    const author = await as(state, 'author');
    await author.goto(`${stack.url}/console/reviews/${review.reviewId}/notices`);
    await expect(author.locator('h1')).toHaveText(`Notices issued from review ${review.reference}`);
    await expect(author.locator('.review-notices')).toContainText(`No notice has been issued from review ${review.reference} yet.`);
    // The topic suggested from the incident's circumstance (unsafe sleep).
    expect(await author.inputValue('select[name="topic"]')).toBe('safe-sleep');
    await audit(author, 'review-to-notice-01-button');

    await Promise.all([author.waitForURL('**/console/notices/*/edit?done=review_drafted'), author.click('button:has-text("Draft a safety notice from this review")')]);
    const noticeId = new URL(author.url()).pathname.split('/')[3];
    await expect(author.locator('.banner-success')).toContainText('prefilled from the review');
    expect(await author.inputValue('#title')).toBe('Home visit checklists had no item on where the infant sleeps.');
    expect(await author.inputValue('#requiredActions')).toBe(RECOMMENDATION);
    expect(await author.inputValue('#incidentReference')).toBe(review.reference);
    await audit(author, 'review-to-notice-02-editor');
    await Promise.all([author.waitForURL(`**/console/notices/${noticeId}?done=submitted`), author.click('button[name="intent"][value="submit"]')]);
    await expect(author.locator('[data-source-review]')).toHaveText(`Issued from review ${review.reference}`);

    const approver = await as(state, 'approver');
    await approver.goto(`${stack.url}/console/notices/${noticeId}/publish`);
    await Promise.all([approver.waitForURL(`**/console/notices/${noticeId}?done=approved`), approver.click('#publish-button')]);
    // Its own agency: linked to the review.
    const source = approver.locator('[data-source-review]');
    await expect(source).toHaveText(`Issued from review ${review.reference}`);
    await expect(source.locator('a')).toHaveAttribute('href', `/console/reviews/${review.reviewId}`);
    await audit(approver, 'review-to-notice-03-published');

    // Another agency: the reference, no link (the review is the issuing agency's own record).
    const other = await as(county, 'supervisor');
    await other.goto(`${stack.url}/console/notices/${noticeId}`);
    await expect(other.locator('[data-source-review]')).toHaveText(`Issued from review ${review.reference}`);
    await expect(other.locator('[data-source-review] a')).toHaveCount(0);
    await audit(other, 'review-to-notice-04-other-agency');
    // …and the review's notices page is not theirs.
    const refused = await other.goto(`${stack.url}/console/reviews/${review.reviewId}/notices`);
    expect(refused?.status()).toBe(404);

    // The review's notices page lists it with its figures.
    await author.goto(`${stack.url}/console/reviews/${review.reviewId}/notices`);
    const row = author.locator(`tr[data-notice="${noticeId}"]`);
    await expect(row).toContainText(/published/i);
    await expect(row.locator('td').nth(1)).toHaveText('1'); // one recipient
    await expect(author.locator(`table[data-notice-actions="${noticeId}"] tr[data-action="0"]`)).toContainText('Recommendation 1');
    await audit(author, 'review-to-notice-05-review-notices');

    await eventually(async () => (await stack.db.query(`SELECT 1 FROM acknowledgments WHERE notice_id = $1`, [noticeId])).length === 1, 20000, 'the fan-out');
    // The partnership's follow-through: the recommendation's action, the county's record not yet answered.
    const analyst = await as(partnership, 'analyst');
    await analyst.goto(`${stack.url}/console/reporting/follow-through`);
    const line = analyst.locator(`#follow-through tr[data-notice="${noticeId}"][data-action="0"]`);
    await expect(line).toContainText(RECOMMENDATION);
    await expect(line.locator('td').nth(2)).toHaveText('1'); // not yet: the county
    await audit(analyst, 'review-to-notice-06-follow-through');
  });
});
