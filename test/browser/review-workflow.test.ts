/**
 * Issue 10, items 1 and 2, in a real browser (Debian's Chromium through playwright-core) against
 * the three apps on real PostgreSQL and NATS: the approver sees a critical notice as urgent, checks
 * who receives it (a held subscription flagged), the email and webhook previews, what the
 * de-identification check covered and the word-level changes between versions, and publishes
 * with "Publish to N agencies"; a list that changed meanwhile sends the approver back to check
 * again. The account page's review-email setting. Every page is screenshotted under
 * test/artifacts/browser/ and checked with axe-core (a serious or critical violation fails).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { hashPassword } from '@sne/core';
import { apiClient, createAgency, createTopics, TestAgency } from '../support/fixtures';
import { startStack, Stack } from '../support/stack';
import { ARTIFACTS, check, launchBrowser, newContext, signIn, watch } from './browser';
import { expect } from './locator-expect';

jest.setTimeout(110_000);

const PASSWORD = 'correct horse battery staple';
const WRITE_DOCS = process.env.SNE_DOCS_SCREENSHOTS === '1';

describe('checking a notice before publishing, in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  let state: TestAgency, county: TestAgency, tribal: TestAgency;
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

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
    await createTopics(stack.db, ['safe-sleep']);
    state = await createAgency(stack.db, { type: 'state', code: '39', roles: ['author', 'approver'], timeZone: 'America/New_York' });
    county = await createAgency(stack.db, { type: 'county', code: '39049', roles: ['agency_admin'], timeZone: 'America/New_York' });
    tribal = await createAgency(stack.db, { type: 'tribal', code: 'Cherokee Nation', roles: ['agency_admin'], timeZone: 'America/Chicago' });
    for (const [agency, name] of [[state, 'Ohio Department of Children and Youth'], [county, 'Franklin County Children Services'], [tribal, 'Cherokee Nation Indian Child Welfare']] as const) {
      await stack.db.query(`UPDATE agencies SET name = $2 WHERE id = $1`, [agency.id, name]);
    }
    const hash = await hashPassword(PASSWORD);
    for (const [role, id] of Object.entries(state.userIds)) {
      await stack.db.query(`UPDATE users SET password_hash = $2, name = $3 WHERE id = $1`, [id, hash, role === 'author' ? 'Alice Author' : 'Ben Approver']);
      emails[role] = (await stack.db.query(`SELECT email FROM users WHERE id = $1`, [id]))[0].email;
    }
    const api = apiClient(stack.url);
    const sub = await api('POST', '/api/v1/subscriptions', {
      key: county.keys.agency_admin,
      body: { name: 'Intake desk', topicPatterns: ['safe-sleep'], channel: 'email', emailAddresses: ['intake@franklin.test'] },
    });
    expect(sub.status).toBe(201);
    const paused = await api('POST', '/api/v1/subscriptions', {
      key: tribal.keys.agency_admin,
      body: { name: 'Case system', topicPatterns: ['safe-sleep'], channel: 'email', emailAddresses: ['cases@cherokee.test'] },
    });
    expect((await api('POST', `/api/v1/subscriptions/${paused.body.id}/pause`, { key: tribal.keys.agency_admin })).status).toBe(200);
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  afterEach(() => {
    expect(violations).toEqual([]);
  });

  it('shows the approver who receives it and what they see, and publishes to the number shown', async () => {
    const api = apiClient(stack.url);
    const draft = await api('POST', '/api/v1/notices', {
      key: state.keys.author,
      body: { title: 'Recall of the blue infant sleeper', summary: 'Stop using it', body: 'Check every **sleeper** in care.', category: 'alert', severity: 'critical', topics: ['safe-sleep'], requiredActions: ['Remove the sleeper'] },
    });
    const edited = await api('PATCH', `/api/v1/notices/${draft.body.id}`, { key: state.keys.author, body: { title: 'Recall of the green infant sleeper' } });
    expect(edited.status).toBe(200);
    expect((await api('POST', `/api/v1/notices/${draft.body.id}/submit`, { key: state.keys.author })).status).toBe(200);
    const id = draft.body.id as string;

    const approver = await open();
    await signIn(approver, stack.url, emails.approver, PASSWORD);
    // The overview and the review queue show it as urgent.
    await expect(approver.locator(`li:has(a[href="/console/notices/${id}"]) [data-urgent]`)).toHaveText(/urgent/i);
    await approver.goto(`${stack.url}/console/notices?status=in_review`);
    await expect(approver.locator('tr:has-text("green infant sleeper") [data-urgent]')).toHaveText(/urgent/i);
    await approver.goto(`${stack.url}/console/notices/${id}`);
    await expect(approver.locator('#urgent-review')).toContainText('critical notice');
    await Promise.all([approver.waitForURL(`**/console/notices/${id}/publish`), approver.click('#check-before-publishing')]);
    await audit(approver, 'review-01-check-before-publishing');

    // Who receives it: the county by its subscription, the tribe's paused one held with the fallback email flagged.
    const rows = approver.locator('#publish-recipients tbody tr');
    await expect(rows).toHaveCount(2);
    const tribe = approver.locator('tr[data-agency="Cherokee Nation Indian Child Welfare"]');
    await expect(tribe.locator('[data-status="paused"]')).toContainText('Held: subscription paused');
    await expect(tribe.locator('[data-status="fallback"]')).toContainText('fallback contacts');
    await expect(approver.locator('tr[data-agency="Franklin County Children Services"] [data-status="active"]')).toContainText('***@franklin.test');
    // What recipients see, what the check covered, what changed.
    await expect(approver.locator('#preview-subject')).toHaveText('[CRITICAL ALERT] assigned on publication: Recall of the green infant sleeper');
    await expect(approver.locator('#preview-email')).toContainText('REQUIRED ACTIONS');
    await expect(approver.locator('#preview-webhook')).toContainText('"type": "notice.published"');
    await expect(approver.locator('#deid-summary')).toContainText(/passed/i);
    await expect(approver.locator('#deid-summary')).toContainText('Checked the title, summary, body and 1 required action for 16 kinds');
    await expect(approver.locator('#version-history del')).toContainText('blue');
    await expect(approver.locator('#version-history ins')).toContainText('green');

    // The list changes under the approver: a new agency subscribes. Publishing refuses and says so.
    const late = await createAgency(stack.db, { type: 'county', code: '39041', roles: ['agency_admin'] });
    await api('POST', '/api/v1/subscriptions', { key: late.keys.agency_admin, body: { name: 'Desk', topicPatterns: ['safe-sleep'], channel: 'email', emailAddresses: ['desk@delaware.test'] } });
    await expect(approver.locator('#publish-button')).toHaveText('Publish to 2 agencies');
    await Promise.all([approver.waitForURL(`**/console/notices/${id}/publish?changed=1`), approver.click('#publish-button')]);
    await expect(approver.locator('#recipients-changed')).toContainText('The recipient list changed');
    await expect(approver.locator('#publish-recipients tbody tr')).toHaveCount(3);
    await audit(approver, 'review-02-list-changed');
    if (WRITE_DOCS) copyFileSync(resolve(ARTIFACTS, 'review-01-check-before-publishing.png'), resolve(__dirname, '../../docs/console-check-before-publishing.png'));

    await Promise.all([approver.waitForURL(`**/console/notices/${id}?done=approved`), approver.click('button:has-text("Publish to 3 agencies")')]);
    expect((await api('GET', `/api/v1/notices/${id}`, { key: state.keys.approver })).body.status).toBe('published');

    // The author cannot publish their own notice: the check page says why.
    const mine = await api('POST', '/api/v1/notices', { key: state.keys.author, body: { title: 'Another notice', summary: 'A second summary', body: 'A second body', category: 'advisory', severity: 'low', topics: ['safe-sleep'] } });
    expect((await api('POST', `/api/v1/notices/${mine.body.id}/submit`, { key: state.keys.author })).status).toBe(200);
    const author = await open();
    await signIn(author, stack.url, emails.author, PASSWORD);
    await author.goto(`${stack.url}/console/notices/${mine.body.id}/publish`);
    await expect(author.locator('#publish-unavailable')).toContainText('You wrote or edited this notice');
    await expect(author.locator('#publish-button')).toHaveCount(0);
    await audit(author, 'review-03-author-cannot-publish');
  });

  it('lets each person turn review emails off and on from the account page', async () => {
    const page = await open();
    await signIn(page, stack.url, emails.approver, PASSWORD);
    await page.goto(`${stack.url}/console/account`);
    expect(await page.isChecked('#reviewEmails')).toBe(true);
    await page.uncheck('#reviewEmails');
    await Promise.all([page.waitForURL('**/console/account?done=preferences_saved*'), page.click('#preferences ~ form button')]);
    expect(await page.isChecked('#reviewEmails')).toBe(false);
    await audit(page, 'review-04-account-review-emails');
    expect((await stack.db.query(`SELECT review_emails FROM users WHERE id = $1`, [state.userIds.approver]))[0].review_emails).toBe(false);
    mkdirSync(ARTIFACTS, { recursive: true });
  });
});
