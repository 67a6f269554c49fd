/**
 * Issue 10, items 3 and 4 in a real browser (Debian's Chromium through playwright-core) against
 * the three apps on real PostgreSQL and NATS, mail to the dev mailbox: the issuing agency's
 * supervisor sees the enquiries contact and each non-responder's contacts, reminds them (then is
 * told when to come back: a 429 page), opens one recipient's timeline and sends the notice again
 * with a note; the recipient's supervisor works from the inbox ("what do we still owe?"),
 * acknowledges, and assigns an action to a colleague, underway, with its own due time. Every
 * page is screenshotted under test/artifacts/browser/ and checked with axe-core (a serious or
 * critical violation fails the test). SNE_DOCS_SCREENSHOTS=1 also writes docs/console-inbox.png
 * and docs/console-timeline.png for the README.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { hashPassword } from '@sne/core';
import { apiClient, createAgency, createTopics, eventually, TestAgency } from '../support/fixtures';
import { startStack, Stack } from '../support/stack';
import { check, launchBrowser, newContext, overflowing, signIn, watch } from './browser';
import { expect } from './locator-expect';

jest.setTimeout(110_000);

const DOCS = resolve(__dirname, '../../docs');
const WRITE_DOCS = process.env.SNE_DOCS_SCREENSHOTS === '1';
const PASSWORD = 'correct horse battery staple';

describe('supervisors act, recipients know what they owe: the console in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  let state: TestAgency;
  let county: TestAgency;
  let noticeId = '';
  let reference = '';
  const emails: Record<string, string> = {};
  const contexts: BrowserContext[] = [];
  const violations: string[] = [];
  const axeLog: string[] = [];

  async function open(): Promise<Page> {
    const ctx = await newContext(browser);
    contexts.push(ctx);
    const page = await ctx.newPage();
    page.setDefaultTimeout(10_000);
    watch(page);
    return page;
  }

  async function audit(page: Page, name: string) {
    violations.push(...(await check(page, name, axeLog)));
    expect(await overflowing(page)).toEqual([]);
  }

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
    await createTopics(stack.db, ['safe-sleep']);
    state = await createAgency(stack.db, { type: 'state', code: '39', roles: ['author', 'approver', 'supervisor'], timeZone: 'America/New_York' });
    county = await createAgency(stack.db, { type: 'county', code: '39049', roles: ['agency_admin', 'supervisor', 'author'], timeZone: 'America/New_York' });
    await stack.db.query(`UPDATE agencies SET name = 'Ohio Department of Children and Youth' WHERE id = $1`, [state.id]);
    await stack.db.query(
      `UPDATE agencies SET name = 'Franklin County Children Services', escalation_contacts = '{deputy@franklin.test,director@franklin.test}' WHERE id = $1`,
      [county.id],
    );
    const hash = await hashPassword(PASSWORD);
    const names: Record<string, string> = { 'state.supervisor': 'Sam Supervisor', 'county.supervisor': 'Carl Supervisor', 'county.author': 'Casey Caseworker' };
    for (const [who, agency] of [['state', state], ['county', county]] as const) {
      for (const [role, id] of Object.entries(agency.userIds)) {
        await stack.db.query(`UPDATE users SET password_hash = $2, name = COALESCE($3, name) WHERE id = $1`, [id, hash, names[`${who}.${role}`] ?? null]);
        emails[`${who}.${role}`] = (await stack.db.query(`SELECT email FROM users WHERE id = $1`, [id]))[0].email;
      }
    }
    const api = apiClient(stack.url);
    await api('POST', '/api/v1/subscriptions', {
      key: county.keys.agency_admin,
      body: { name: 'Intake desk', topicPatterns: ['safe-sleep'], channel: 'email', emailAddresses: ['intake@franklin.test'] },
    });
    const draft = await api('POST', '/api/v1/notices', {
      key: state.keys.author,
      body: {
        title: 'Recall of inclined infant sleepers',
        summary: 'Remove inclined sleepers from every home with an infant.',
        body: 'Inclined sleepers are linked to suffocation.',
        category: 'alert',
        severity: 'high',
        topics: ['safe-sleep'],
        requiredActions: ['Check every home with an infant under one year', 'Brief caseworkers at the next team meeting'],
        enquiries: { name: 'Jordan Lee', role: 'Safe sleep program lead', email: 'jordan.lee@ohio.test', phone: '+1 614 555 0142' },
      },
    });
    await api('POST', `/api/v1/notices/${draft.body.id}/submit`, { key: state.keys.author });
    const approved = await api('POST', `/api/v1/notices/${draft.body.id}/approve`, { key: state.keys.approver, body: { contentHash: draft.body.contentHash } });
    expect(approved.status).toBe(200);
    noticeId = approved.body.id;
    reference = approved.body.reference;
    await eventually(async () => (await stack.db.query(`SELECT 1 FROM deliveries WHERE notice_id = $1 AND status = 'delivered'`, [noticeId])).length > 0, 20000, 'the broadcast');
    if (WRITE_DOCS) mkdirSync(DOCS, { recursive: true });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
    if (axeLog.length) console.log(`axe-core findings (minor and moderate ones do not fail the test):\n${axeLog.join('\n')}`);
  });

  it('the issuing supervisor reminds non-responders, is told when to come back, and resends to one agency with a note', async () => {
    const page = await open();
    await signIn(page, stack.url, emails['state.supervisor'], PASSWORD);
    await page.goto(`${stack.url}/console/notices/${noticeId}`);
    await expect(page.locator('[data-enquiries]')).toContainText('Jordan Lee, Safe sleep program lead');
    const row = page.locator('#recipients-table tr', { hasText: 'Franklin County Children Services' });
    await expect(row.locator('[data-contacts]')).toContainText('escalation: deputy@franklin.test, director@franklin.test');
    await audit(page, 'supervise-01-notice');

    await page.fill('#remind-note', 'Please acknowledge by noon.');
    await Promise.all([page.waitForURL(/done=reminded/), page.click('button:has-text("Remind agencies that have not responded")')]);
    await expect(page.locator('body')).toContainText('A reminder was sent to every agency that still owes a response');
    // Through the durable path: a delivery row the courier sends like any other.
    await eventually(async () => (await stack.db.query(`SELECT 1 FROM deliveries WHERE notice_id = $1 AND sequence < 0 AND status = 'delivered'`, [noticeId])).length > 0, 15000, 'the reminder delivery');

    // Again at once: a page that says when to come back, with Retry-After.
    const [again] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/remind')), page.click('button:has-text("Remind agencies that have not responded")')]);
    expect(again.status()).toBe(429);
    expect(Number(again.headers()['retry-after'])).toBeGreaterThan(3000);
    await expect(page.locator('main')).toContainText('try again in 60 minutes');
    await audit(page, 'supervise-02-too-soon');

    await page.goto(`${stack.url}/console/notices/${noticeId}`);
    await Promise.all([page.waitForURL(/\/recipients\//), row.locator('a:has-text("Timeline")').click()]);
    await expect(page.locator('h1')).toHaveText('Franklin County Children Services');
    await expect(page.locator('#timeline tbody tr')).toHaveCount(2);
    await expect(page.locator('#timeline')).toContainText('Note: “Please acknowledge by noon.”');
    await expect(page.locator('#timeline')).toContainText('Sam Supervisor');
    // A note is required.
    await page.click('button:has-text("Send again to Franklin County Children Services")');
    await expect(page.locator('#note-error')).toContainText('Write a note');
    await expect(page.locator('.error-summary')).toBeVisible();
    await audit(page, 'supervise-03-timeline-error');
    // An hour later (moved back in the rows), the resend goes through.
    await stack.db.query(`UPDATE deliveries SET created_at = created_at - interval '2 hours' WHERE notice_id = $1 AND sequence < 0`, [noticeId]);
    await page.fill('#note', 'Your intake desk says it never arrived.');
    await Promise.all([page.waitForURL(/done=resent/), page.click('button:has-text("Send again to Franklin County Children Services")')]);
    await expect(page.locator('body')).toContainText('The notice was sent again to the agency, with your note.');
    await expect(page.locator('#timeline tbody tr')).toHaveCount(3);
    await expect(page.locator('#timeline tbody tr').last()).toContainText('Resent');
    await audit(page, 'supervise-04-timeline');
    if (WRITE_DOCS) await page.screenshot({ path: resolve(DOCS, 'console-timeline.png'), fullPage: true });
    expect(violations).toEqual([]);
  });

  it("the recipient's inbox says what is owed and by when; an action is assigned to a colleague, underway, with its own due time", async () => {
    const page = await open();
    await signIn(page, stack.url, emails['county.supervisor'], PASSWORD);
    await Promise.all([page.waitForURL(/\/console\/inbox/), page.click('nav a:has-text("Inbox")')]);
    await expect(page.locator('#inbox tbody tr')).toHaveCount(1);
    await expect(page.locator('#inbox tbody tr')).toContainText(reference);
    await expect(page.locator('#inbox tbody tr [data-label="Our state"]')).toContainText('PENDING');
    await expect(page.locator('#inbox')).toContainText('jordan.lee@ohio.test');
    await audit(page, 'supervise-05-inbox-owed');

    await page.goto(`${stack.url}/console/notices/${noticeId}`);
    await Promise.all([page.waitForURL(/done=acknowledged/), page.click('button:has-text("Acknowledge for")')]);
    await page.goto(`${stack.url}/console/inbox?state=owed`);
    await expect(page.locator('#inbox tbody tr [data-label="Our state"]')).toContainText('ACTIONS OWED');
    await Promise.all([page.waitForURL(/\/actions\/0$/), page.click('#inbox a:has-text("Assign")')]);
    await page.click('button:has-text("Mark underway and assign")');
    await expect(page.locator('#assignee-error')).toContainText('Choose the colleague');
    await audit(page, 'supervise-06-assign-error');
    await page.selectOption('#assignee', { label: 'Casey Caseworker' });
    await page.fill('#due', '2030-01-15T17:00');
    await page.fill('#note', 'Home visits booked');
    await Promise.all([page.waitForURL(/done=action_assigned/), page.click('button:has-text("Mark underway and assign")')]);
    await expect(page.locator('#your-agency')).toContainText('Assigned to Casey Caseworker. Due Jan 15, 2030, 5:00 PM EST.');
    await audit(page, 'supervise-07-notice-assigned');

    await page.goto(`${stack.url}/console/inbox?state=owed`);
    const item = page.locator('#inbox tbody tr');
    await expect(item.locator('[data-label="Required actions"]')).toContainText('UNDERWAY, Casey Caseworker');
    await expect(item.locator('[data-label="Required actions"]')).toContainText('Due Jan 15, 2030, 5:00 PM EST');
    // The next deadline is the earliest of what is still open: the other action's, due before 2030.
    expect(await item.locator('[data-label="Next deadline"]').innerText()).toMatch(/^Dec \d+, 2026, /);
    await audit(page, 'supervise-08-inbox-underway');
    if (WRITE_DOCS) await page.screenshot({ path: resolve(DOCS, 'console-inbox.png'), fullPage: true });
    await page.goto(`${stack.url}/console/inbox?state=complete`);
    await expect(page.locator('main')).toContainText('Nothing here.');
    expect(violations).toEqual([]);
  });

  it('the author sets whom recipients ask on a draft; a wrong address is explained beside the field', async () => {
    const api = apiClient(stack.url);
    const draft = await api('POST', '/api/v1/notices', {
      key: state.keys.author,
      body: { title: 'Fentanyl exposure guidance', summary: 'What caseworkers do on a home visit.', body: 'Guidance text.', category: 'advisory', severity: 'moderate', topics: ['safe-sleep'] },
    });
    const page = await open();
    await signIn(page, stack.url, emails['state.author'], PASSWORD);
    await page.goto(`${stack.url}/console/notices/${draft.body.id}`);
    await Promise.all([page.waitForURL(/\/enquiries$/), page.click('a:has-text("Change whom recipients ask")')]);
    await page.fill('#name', 'Riley Chen');
    await page.fill('#role', 'Substance exposure lead');
    await page.fill('#email', 'riley at ohio');
    await page.fill('#phone', '+1 614 555 0199');
    await page.click('button:has-text("Save the contact")');
    await expect(page.locator('#email-error')).toContainText('Enter an email address');
    expect(await page.inputValue('#name')).toBe('Riley Chen');
    await audit(page, 'supervise-09-enquiries-error');
    await page.fill('#email', 'riley.chen@ohio.test');
    await Promise.all([page.waitForURL(/done=enquiries_saved/), page.click('button:has-text("Save the contact")')]);
    await expect(page.locator('[data-enquiries]')).toContainText('Riley Chen, Substance exposure lead');
    await expect(page.locator('[data-enquiries]')).toContainText('riley.chen@ohio.test · +1 614 555 0199');
    await audit(page, 'supervise-10-draft-enquiries');
    expect((await api('GET', `/api/v1/notices/${draft.body.id}`, { key: state.keys.author })).body.enquiries).toEqual({
      name: 'Riley Chen',
      role: 'Substance exposure lead',
      email: 'riley.chen@ohio.test',
      phone: '+1 614 555 0199',
    });
    expect(violations).toEqual([]);
  });
});
