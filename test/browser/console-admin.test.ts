/**
 * Administration that lasts past day one (issue 10, item 7), in a real browser against the three
 * apps on PostgreSQL and NATS: a partnership admin searches and pages the users, the agencies and
 * the topics (the page links keep the search), edits a person's name and email and an agency's
 * details (errors beside the fields, what was typed kept), disables and enables a person, and
 * reads the audit log: the chain's state, filters by object, event type and days, paging, and
 * each event's link to its object. An agency admin's audit page shows only their agency's events.
 * At phone width nothing sticks out. Every page is screenshotted under test/artifacts/browser/
 * and checked with axe-core: a serious or critical violation fails the test.
 *
 * SNE_DOCS_SCREENSHOTS=1 also rewrites the README's docs/console-admin-audit.png and docs/console-admin-users.png.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Browser } from 'playwright-core';
import { hashPassword } from '@sne/core';
import { apiClient, createAgency, createTopics, TestAgency } from '../support/fixtures';
import { startStack, Stack } from '../support/stack';
import { ARTIFACTS, walk, launchBrowser, overflowing, signIn } from './browser';
import { expect } from './locator-expect';

jest.setTimeout(110_000);

const DOCS = resolve(__dirname, '../../docs');
const WRITE_DOCS = process.env.SNE_DOCS_SCREENSHOTS === '1';
const PASSWORD = 'correct horse battery staple';

describe('administration in a browser: tables, editing and the audit log', () => {
  let stack: Stack;
  let browser: Browser;
  let partnership: TestAgency, county: TestAgency, other: TestAgency;
  const emails: Record<string, string> = {};
  const pages = walk(() => browser);

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
    await createTopics(stack.db, ['safe-sleep']);
    partnership = await createAgency(stack.db, { name: 'National Partnership', type: 'federal', code: 'US', roles: ['admin'], timeZone: 'America/New_York' });
    county = await createAgency(stack.db, { name: 'Franklin County', code: '39049', roles: ['agency_admin', 'supervisor'], timeZone: 'America/New_York' });
    other = await createAgency(stack.db, { name: 'Hamilton County', code: '39061', roles: ['agency_admin', 'supervisor'], timeZone: 'America/New_York' });
    const hash = await hashPassword(PASSWORD);
    for (const [who, agency] of [['partnership', partnership], ['county', county], ['other', other]] as const) {
      for (const [role, id] of Object.entries(agency.userIds)) {
        await stack.db.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [id, hash]);
        emails[`${who}.${role}`] = (await stack.db.query(`SELECT email FROM users WHERE id = $1`, [id]))[0].email;
      }
    }
    // Enough rows for several pages: 40 caseworkers in the county, 30 agencies, 30 topics.
    const first = ['Avery', 'Blake', 'Casey', 'Devon', 'Emery', 'Finley', 'Gray', 'Harper'];
    const last = ['Adams', 'Brooks', 'Chen', 'Diaz', 'Evans'];
    for (let i = 0; i < 40; i++) {
      const name = `${first[i % 8]} ${last[Math.floor(i / 8)]}`;
      await stack.db.query(`INSERT INTO users (agency_id, email, name, roles, kind) VALUES ($1, $2, $3, '{supervisor}', 'person')`, [county.id, `${name.toLowerCase().replace(' ', '.')}@franklin.test`, name]);
    }
    for (let i = 1; i <= 30; i++) {
      await stack.db.query(
        `INSERT INTO agencies (name, jurisdiction_type, jurisdiction_code, time_zone, notices_contact_email, escalation_contacts, fallback_contacts) VALUES ($1, 'county', $2, 'America/New_York', $3, '{}', '{}')`,
        [`Ohio County Agency ${String(i).padStart(2, '0')}`, `39${String(i).padStart(3, '0')}`, `notices-${i}@ohio-county.test`],
      );
      await stack.db.query(`INSERT INTO topics (key, title) VALUES ($1, $2)`, [`sleep.topic-${String(i).padStart(2, '0')}`, `Sleep topic ${i}`]);
    }
    // Events in both counties: a subscription each, and a few changes.
    const api = apiClient(stack.url);
    for (const agency of [county, other]) {
      const sub = await api('POST', '/api/v1/subscriptions', { key: agency.keys.agency_admin, body: { name: 'Intake desk', topicPatterns: ['safe-sleep'], channel: 'email', emailAddresses: ['intake@county.test'] } });
      expect(sub.status).toBe(201);
      expect((await api('POST', `/api/v1/subscriptions/${sub.body.id}/pause`, { key: agency.keys.agency_admin })).status).toBe(200);
    }
    if (WRITE_DOCS) mkdirSync(DOCS, { recursive: true });
  });

  afterAll(async () => {
    await pages.close();
    await browser?.close();
    await stack?.close();
    if (pages.axeLog.length) console.log(`axe-core findings (minor and moderate ones do not fail the test):\n${pages.axeLog.join('\n')}`);
  });

  afterEach(() => {
    expect(pages.violations).toEqual([]);
  });

  const rows = (page: import('playwright-core').Page, table: string) => page.locator(`[aria-label="Table of ${table}"] tbody tr`);

  it('searches and pages the users; the page links keep the search and the agency', async () => {
    const admin = await pages.open();
    await signIn(admin, stack.url, emails['partnership.admin'], PASSWORD);
    await admin.goto(`${stack.url}/console/admin?agency=${county.id}`);
    await expect(rows(admin, 'users')).toHaveCount(25);
    await expect(admin.locator('nav[aria-label="Pages of users"]')).toContainText('Showing 1 to 25 of 42');
    await pages.audit(admin, 'a01-admin-users');
    if (WRITE_DOCS) copyFileSync(resolve(ARTIFACTS, 'a01-admin-users.png'), resolve(DOCS, 'console-admin-users.png'));
    await admin.fill('#users-q', 'brooks');
    await admin.click('form[aria-label="Search the users"] button');
    await expect(rows(admin, 'users')).toHaveCount(8);
    expect(new URL(admin.url()).searchParams.get('agency')).toBe(county.id);
    await admin.fill('#users-q', 'a');
    await admin.click('form[aria-label="Search the users"] button');
    await admin.click('nav[aria-label="Pages of users"] >> text=Next page');
    const url = new URL(admin.url());
    expect([url.searchParams.get('agency'), url.searchParams.get('q'), url.searchParams.get('page')]).toEqual([county.id, 'a', '2']);
    await expect(admin.locator('nav[aria-label="Pages of users"]')).toContainText('Showing 26 to');
    await pages.audit(admin, 'a02-admin-users-page-2');
    await admin.fill('#users-q', 'nobody-at-all');
    await admin.click('form[aria-label="Search the users"] button');
    await expect(admin.locator('#users ~ p, section[aria-labelledby="users"] p').filter({ hasText: 'No user matches' })).toHaveCount(1);
    await pages.audit(admin, 'a03-admin-users-none');
    expect(pages.problemsOf(admin)).toEqual([]);
  });

  it("searches and pages the agencies and topics, and edits an agency's details", async () => {
    const admin = await pages.open();
    await signIn(admin, stack.url, emails['partnership.admin'], PASSWORD);
    await admin.goto(`${stack.url}/console/admin`);
    await admin.click('nav[aria-label="Administration pages"] >> text=Agencies');
    await expect(rows(admin, 'member agencies')).toHaveCount(25);
    await admin.click('nav[aria-label="Pages of agencies"] >> text=Page 2');
    await expect(rows(admin, 'member agencies')).toHaveCount(8);
    await admin.fill('#agencies-q', 'ohio county agency 1');
    await admin.click('form[aria-label="Search the agencies"] button');
    await expect(rows(admin, 'member agencies')).toHaveCount(10);
    await pages.audit(admin, 'a04-admin-agencies');

    await admin.click('a:has-text("Ohio County Agency 12")');
    await admin.fill('#agency-name', '');
    await admin.fill('#agency-tz', 'Ohio/Nowhere');
    await admin.click('button:has-text("Save the details")');
    await expect(admin.locator('#agency-name-error')).toBeVisible();
    await expect(admin.locator('#agency-tz-error')).toBeVisible();
    expect(await admin.inputValue('#agency-tz')).toBe('Ohio/Nowhere');
    await pages.audit(admin, 'a05-admin-agency-errors');
    await admin.fill('#agency-name', 'Licking County Job and Family Services');
    await admin.fill('#agency-tz', 'America/New_York');
    await admin.click('button:has-text("Save the details")');
    await expect(admin.locator('.banner')).toContainText('details were saved');
    await expect(admin.locator('h1')).toHaveText('Licking County Job and Family Services');
    await pages.audit(admin, 'a06-admin-agency-saved');

    await admin.click('nav[aria-label="Breadcrumb"] >> text=Administration');
    await admin.click('nav[aria-label="Administration pages"] >> text=Topics');
    await expect(rows(admin, 'topics')).toHaveCount(25);
    await admin.fill('#topics-q', 'topic-2');
    await admin.click('form[aria-label="Search the topics"] button');
    await expect(rows(admin, 'topics')).toHaveCount(10);
    await pages.audit(admin, 'a07-admin-topics');
    expect(pages.problemsOf(admin)).toEqual([]);
  });

  it("edits a person's name and email, disables and enables them", async () => {
    const admin = await pages.open();
    await signIn(admin, stack.url, emails['county.agency_admin'], PASSWORD);
    await admin.click('nav[aria-label="Main"] >> text=Administration');
    await admin.fill('#users-q', 'casey chen');
    await admin.click('form[aria-label="Search the users"] button');
    await admin.click('a:has-text("Casey Chen")');
    await admin.fill('#person-email', 'not an email');
    await admin.click('button:has-text("Save the name and email address")');
    await expect(admin.locator('#person-email-error')).toBeVisible();
    expect(await admin.inputValue('#person-email')).toBe('not an email');
    await pages.audit(admin, 'a08-admin-user-details-error');
    await admin.fill('#person-name', 'Casey Chen-Ortiz');
    await admin.fill('#person-email', 'casey.chen-ortiz@franklin.test');
    await admin.click('button:has-text("Save the name and email address")');
    await expect(admin.locator('.banner')).toContainText('were saved');
    await expect(admin.locator('h1')).toHaveText('Casey Chen-Ortiz');
    await admin.click('button:has-text("Disable Casey Chen-Ortiz")');
    await expect(admin.locator('.banner')).toContainText('disabled');
    await admin.click('button:has-text("Enable Casey Chen-Ortiz")');
    await expect(admin.locator('.banner')).toContainText('enabled');
    await pages.audit(admin, 'a09-admin-user-saved');
    // Its history, from the person's page.
    await admin.click('a:has-text("History of Casey Chen-Ortiz")');
    await expect(rows(admin, 'audit events')).toHaveCount(3);
    expect(await rows(admin, 'audit events').locator('td[data-label="Event"]').allTextContents()).toEqual(['user.enabled', 'user.disabled', 'user.updated']);
    await pages.audit(admin, 'a10-audit-user-history');
    expect(pages.problemsOf(admin)).toEqual([]);
  });

  it('reads the audit log: the chain, filters, paging and links to each object', async () => {
    const admin = await pages.open();
    await signIn(admin, stack.url, emails['partnership.admin'], PASSWORD);
    await admin.goto(`${stack.url}/console/admin/audit`);
    await expect(admin.locator('#chain-status')).toContainText('intact');
    await pages.audit(admin, 'a11-audit');
    if (WRITE_DOCS) copyFileSync(resolve(ARTIFACTS, 'a11-audit.png'), resolve(DOCS, 'console-admin-audit.png'));
    // An event type, then a day range that excludes today.
    await admin.selectOption('#audit-action', 'subscription.paused');
    await admin.click('form[aria-label="Search the audit log"] button');
    await expect(rows(admin, 'audit events')).toHaveCount(2);
    expect(await rows(admin, 'audit events').locator('td[data-label="Agency"]').allTextContents()).toEqual([other.name, county.name]);
    await admin.fill('#audit-to', '2020-01-31');
    await admin.click('form[aria-label="Search the audit log"] button');
    await expect(admin.locator('main')).toContainText('No events match');
    await admin.fill('#audit-from', '2020-02-01');
    await admin.click('form[aria-label="Search the audit log"] button');
    await expect(admin.locator('#audit-to-error')).toBeVisible();
    await pages.audit(admin, 'a12-audit-error');
    // An object's page from its event.
    await admin.goto(`${stack.url}/console/admin/audit?action=agency.updated`);
    await admin.click('[aria-label="Table of audit events"] td[data-label="Object"] >> a >> nth=0');
    await expect(admin.locator('h1')).toHaveText('Licking County Job and Family Services');
    expect(pages.problemsOf(admin)).toEqual([]);
  });

  it("shows an agency admin only their agency's events", async () => {
    const admin = await pages.open();
    await signIn(admin, stack.url, emails['county.agency_admin'], PASSWORD);
    await admin.click('nav[aria-label="Main"] >> text=Administration');
    await admin.click('nav[aria-label="Administration pages"] >> text=Audit log');
    await expect(admin.locator('h1')).toHaveText(`Audit log of ${county.name}`);
    await expect(admin.locator('th:has-text("Agency")')).toHaveCount(0);
    const shown = await admin.locator('[aria-label="Table of audit events"] tbody tr').evaluateAll((trs) => trs.map((tr) => (tr as { id: string }).id.replace('event-', '')));
    const theirs: string[] = (await stack.db.query(`SELECT id::text FROM audit_events WHERE agency_id IS DISTINCT FROM $1`, [county.id])).map((r: { id: string }) => r.id);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.filter((id) => theirs.includes(id))).toEqual([]);
    // The subscription's event links to its page.
    await admin.selectOption('#audit-action', 'subscription.paused');
    await admin.click('form[aria-label="Search the audit log"] button');
    await expect(rows(admin, 'audit events')).toHaveCount(1);
    await admin.click('[aria-label="Table of audit events"] td[data-label="Object"] >> a >> nth=0');
    await expect(admin.locator('h1')).toHaveText('Intake desk');
    await pages.audit(admin, 'a13-audit-agency');
    expect(pages.problemsOf(admin)).toEqual([]);
  });

  it('fits a phone’s width, and no administration page is one endless table', async () => {
    const phone = await pages.open({ width: 390 });
    await signIn(phone, stack.url, emails['partnership.admin'], PASSWORD);
    for (const [path, name] of [
      [`/console/admin?agency=${county.id}`, 'a14-phone-admin-users'],
      ['/console/admin/agencies', 'a15-phone-admin-agencies'],
      ['/console/admin/audit', 'a16-phone-audit'],
    ]) {
      await phone.goto(`${stack.url}${path}`);
      expect([path, await overflowing(phone)]).toEqual([path, []]);
      await pages.audit(phone, name);
    }
    const desktop = await pages.open();
    await signIn(desktop, stack.url, emails['partnership.admin'], PASSWORD);
    for (const path of [`/console/admin?agency=${county.id}`, '/console/admin/agencies', '/console/admin/topics', '/console/admin/audit']) {
      await desktop.goto(`${stack.url}${path}`);
      const height = await desktop.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollHeight: number } } }).document.documentElement.scrollHeight);
      expect([path, height < 4000]).toEqual([path, true]);
    }
  });
});
