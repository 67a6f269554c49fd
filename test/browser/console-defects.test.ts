/**
 * Issue 10, "defects a user hits first" and "one visual language", in a real browser (Debian's
 * Chromium through playwright-core) against the three apps on real PostgreSQL and NATS, mail in
 * the dev mailbox. Every page is screenshotted under test/artifacts/browser/ and checked with
 * axe-core: a serious or critical violation fails the test.
 *
 * - one-time pages: reloading the signing-secret page, the rotated-secret page or the new-key
 *   panel shows nothing new and creates or rotates nothing;
 * - the dev mailbox: the email's acknowledgment link opens in the top window and works, and the
 *   mail page fits the window;
 * - unknown console addresses and refusals are pages in plain words;
 * - "waiting for your agency" shows the next thing owed; the dashboard's overdue table covers
 *   every overdue record (paged), and the compliance list says whose records it covers;
 * - one date format in the console, in the viewer's zone with the zone named; one status palette.
 */
import { Browser, Page } from 'playwright-core';
import { hashPassword } from '@sne/core';
import { shortDate } from '../../apps/api/src/console/console-format';
import { OVERDUE_PAGE } from '../../apps/api/src/console/console-dashboard.controller';
import { apiClient, createAgency, createTopics, eventually, TestAgency } from '../support/fixtures';
import { startStack, Stack } from '../support/stack';
import { launchBrowser, overflowing, signIn, walk } from './browser';
import { expect } from './locator-expect';

/* Code passed to page.evaluate runs in the browser; the project compiles without the DOM library. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const window: any, document: any, getComputedStyle: any;

/**
 * The background of the first element matching `selector`, looked up and read in one step in the
 * page: the notice page redraws its recipient rows as deliveries land, and an element found in one
 * call can be gone by the next (a detached element has no computed style).
 */
async function backgroundOf(page: Page, selector: string): Promise<string> {
  await page.locator(selector).first().waitFor();
  for (let tries = 0; ; tries++) {
    const colour: string | null = await page.evaluate((sel: string) => {
      const el = document.querySelector(sel);
      return el ? getComputedStyle(el).backgroundColor : null;
    }, selector);
    if (colour || tries >= 50) return colour ?? '';
    await new Promise((r) => setTimeout(r, 100));
  }
}

jest.setTimeout(120_000);

const PASSWORD = 'correct horse battery staple';
const GREEN = 'rgb(204, 226, 216)';
const NEUTRAL = 'rgb(230, 233, 234)';
const RED = 'rgb(179, 38, 30)';

describe('the console’s first defects, fixed, in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  let state: TestAgency;
  let county: TestAgency;
  let tribal: TestAgency;
  let partnership: TestAgency;
  const emails: Record<string, string> = {};
  const w = walk(() => browser);
  const api = () => apiClient(stack.url);

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
    await createTopics(stack.db, ['safe-sleep']);
    state = await createAgency(stack.db, { name: 'Ohio DCY', type: 'state', code: '39', roles: ['author', 'approver', 'supervisor', 'agency_admin'], timeZone: 'America/New_York' });
    county = await createAgency(stack.db, { name: 'Franklin County', type: 'county', code: '39049', roles: ['agency_admin', 'supervisor'], timeZone: 'America/New_York' });
    tribal = await createAgency(stack.db, { name: 'Cherokee Nation', type: 'tribal', code: 'Cherokee Nation', roles: ['agency_admin'], timeZone: 'America/Chicago' });
    partnership = await createAgency(stack.db, { name: 'Partnership', type: 'federal', code: 'US', roles: ['admin'] });
    const hash = await hashPassword(PASSWORD);
    for (const [who, agency] of [['state', state], ['county', county], ['partnership', partnership]] as const) {
      for (const [role, id] of Object.entries(agency.userIds)) {
        await stack.db.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [id, hash]);
        emails[`${who}.${role}`] = (await stack.db.query(`SELECT email FROM users WHERE id = $1`, [id]))[0].email;
      }
    }
    for (const [agency, to] of [[county, 'intake@franklin.test'], [tribal, 'safety@cherokee.test']] as const) {
      const sub = await api()('POST', '/api/v1/subscriptions', { key: agency.keys.agency_admin, body: { name: 'Intake desk', topicPatterns: ['safe-sleep'], channel: 'email', emailAddresses: [to] } });
      expect(sub.status).toBe(201);
    }
  });

  afterAll(async () => {
    await w.close();
    await browser?.close();
    await stack?.close();
    if (w.axeLog.length) console.log(`axe-core findings (minor and moderate ones do not fail the test):\n${w.axeLog.join('\n')}`);
  });

  afterEach(() => {
    expect(w.violations).toEqual([]);
  });

  /** Drafts, submits and approves a safe-sleep notice through the API; resolves when both subscribers have their record. */
  async function publish(title: string, extra: Record<string, unknown> = {}): Promise<{ id: string; reference: string }> {
    const body = { title, summary: `${title}: what to do now.`, body: `## What to do\n\n${title}.`, category: 'advisory', severity: 'high', topics: ['safe-sleep'], ...extra };
    const draft = await api()('POST', '/api/v1/notices', { key: state.keys.author, body });
    expect(draft.status).toBe(201);
    expect((await api()('POST', `/api/v1/notices/${draft.body.id}/submit`, { key: state.keys.author })).status).toBe(200);
    expect((await api()('POST', `/api/v1/notices/${draft.body.id}/approve`, { key: state.keys.approver, body: { contentHash: draft.body.contentHash } })).status).toBe(200);
    await eventually(async () => (await api()('GET', `/api/v1/notices/${draft.body.id}/acknowledgments`, { key: state.keys.supervisor })).body?.items?.length >= 2, 15_000, 'dispatch');
    const [{ reference }] = await stack.db.query(`SELECT reference FROM notices WHERE id = $1`, [draft.body.id]);
    return { id: draft.body.id, reference };
  }

  const problemsOf = (page: Page) => (page as unknown as { problems: string[] }).problems;
  const count = async (sql: string, params: unknown[]) => Number((await stack.db.query(sql, params))[0].n);

  it('one-time pages: reloading shows nothing new and creates, rotates or issues nothing again', async () => {
    const admin = await w.open();
    await signIn(admin, stack.url, emails['county.agency_admin'], PASSWORD);
    const subscriptions = () => count(`SELECT count(*) AS n FROM subscriptions WHERE agency_id = $1`, [county.id]);
    const before = await subscriptions();

    await admin.goto(`${stack.url}/console/subscriptions`);
    await admin.check('#channel-webhook');
    await admin.fill('#sub-name', 'Case system');
    await admin.fill('#webhookUrl', 'https://intake.franklin.test/hooks/sne');
    await admin.check('#sub-topics-0');
    await admin.click('button:has-text("Add the subscription")');
    await expect(admin.locator('#secret')).toHaveText(/^whsec_/);
    expect(admin.url()).toMatch(/\/console\/subscriptions\/[0-9a-f-]{36}\/secret$/);
    const secret = await admin.locator('#secret').innerText();
    await w.audit(admin, 'd01-secret-once');
    expect(await subscriptions()).toBe(before + 1);

    // Reload: the secret is gone, and no second subscription was made.
    await admin.reload();
    await expect(admin.locator('h1')).toHaveText('The secret is no longer shown');
    await expect(admin.locator('#secret')).toHaveCount(0);
    expect(await admin.content()).not.toContain(secret);
    await w.audit(admin, 'd02-secret-reloaded');
    expect(await subscriptions()).toBe(before + 1);

    // Rotate: shown once; reloading rotates nothing.
    await admin.click('text=Go to the subscription');
    const subId = admin.url().split('/')[5].replace(/\?.*$/, '');
    await admin.click('button:has-text("Rotate")');
    await expect(admin.locator('#secret')).toHaveText(/^whsec_/);
    const rotated = await admin.locator('#secret').innerText();
    expect(rotated).not.toBe(secret);
    await admin.reload();
    await admin.reload();
    await expect(admin.locator('#secret')).toHaveCount(0);
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'subscription.secret_rotated' AND entity_id = $1`, [subId])).toBe(1);

    // A new API key in "your account": shown once; reloading issues no second key.
    const keys = () => count(`SELECT count(*) AS n FROM api_keys WHERE user_id = $1`, [county.userIds.agency_admin]);
    const keysBefore = await keys();
    await admin.goto(`${stack.url}/console/account`);
    await admin.fill('#key-name', 'intake system');
    await admin.click('button:has-text("Create the key")');
    await expect(admin.locator('#new-key')).toHaveText(/^sne_/);
    await w.audit(admin, 'd03-key-once');
    await admin.reload();
    await expect(admin.locator('#new-key')).toHaveCount(0);
    await expect(admin.locator('.banner')).toContainText('The API key was created.');
    expect(await keys()).toBe(keysBefore + 1);
    expect(problemsOf(admin)).toEqual([]);
  });

  it('the dev mailbox: the acknowledgment link opens in the top window and works; the mail page fits the window', async () => {
    const notice = await publish('Inclined infant sleepers linked to suffocation deaths');
    const reader = await w.open();
    const mailPath = await eventually(
      async () => {
        await reader.goto(`${stack.url}/dev/mailbox`);
        const link = reader.locator(`tr:has-text("intake@franklin.test") a:has-text("${notice.reference}")`);
        return (await link.count()) ? link.first().getAttribute('href') : undefined;
      },
      20_000,
      'the email in the dev mailbox',
    );
    // No sideways scrolling, even at a phone's width (the text part's long link wraps).
    const phone = await w.open({ width: 390 });
    await phone.goto(`${stack.url}${mailPath}`);
    expect(await overflowing(phone)).toEqual([]);
    await w.audit(phone, 'd04-mail-phone');
    await reader.goto(`${stack.url}${mailPath}`);
    expect(await overflowing(reader)).toEqual([]);

    // The link in the email opens the acknowledgment page in the top window, not inside the frame.
    // A real click (user activation) at the link's place; the frame's own document is read with
    // frame.evaluate (element handles in a script-less sandboxed frame fail under jest).
    const inFrame = await eventually(
      async () => {
        const frame = reader.frames().find((f) => f.url() === 'about:srcdoc');
        return frame?.evaluate(() => {
          const a = [...document.querySelectorAll('a')].find((el: { textContent: string }) => el.textContent.trim() === 'Acknowledge this notice');
          if (!a) return undefined;
          a.scrollIntoView({ block: 'center' });
          const r = a.getBoundingClientRect();
          return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
        });
      },
      10_000,
      'the email in its frame',
    );
    const frameBox = (await reader.locator('iframe.mail-frame').boundingBox())!;
    await Promise.all([reader.waitForURL(/\/ack\//), reader.mouse.click(frameBox.x + 1 + inFrame.x, frameBox.y + 1 + inFrame.y)]);
    await expect(reader.locator('h1')).toHaveText('Inclined infant sleepers linked to suffocation deaths');
    // Styled: the console's stylesheet applies (the header is the brand colour, not unstyled).
    expect(await reader.evaluate(() => getComputedStyle(document.querySelector('.site-header') ?? document.body).backgroundColor)).not.toBe('rgba(0, 0, 0, 0)');
    await w.audit(reader, 'd05-ack-from-mail');
    await reader.fill('#name', 'Fran Intake');
    await reader.click('button:has-text("Acknowledge this notice")');
    await expect(reader.locator('.panel-ok').first()).toContainText('Acknowledged');
    // post/redirect/get: the page after the form is a GET, so reloading sends nothing again.
    const ackUrl = reader.url();
    expect(ackUrl).toMatch(/\/ack\/[^/?]+$/);
    await reader.reload();
    await expect(reader.locator('.panel-ok').first()).toContainText('Acknowledged');
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'acknowledgment.acknowledged' AND entity_id IN (SELECT id::text FROM acknowledgments WHERE notice_id = $1 AND agency_id = $2)`, [notice.id, county.id])).toBe(1);
    expect(problemsOf(reader)).toEqual([]);
  });

  it('unknown addresses and refusals are pages in plain words, with a title and a language', async () => {
    const sup = await w.open();
    await signIn(sup, stack.url, emails['county.supervisor'], PASSWORD);
    const [theirSub] = await stack.db.query(`SELECT id FROM subscriptions WHERE agency_id = $1 LIMIT 1`, [tribal.id]);
    const cases: [string, number, string, RegExp][] = [
      ['/console/no-such-page', 404, 'Page not found', /There is no page at this address\./],
      ['/console/notices/not-an-id', 404, 'Page not found', /There is no page at this address\./],
      ['/console/notices/12345678-1234-1234-1234-123456789012', 404, 'Page not found', /There is no page at this address\./],
      ['/console/a/b/c/d', 404, 'Page not found', /There is no page at this address\./],
      ['/console/notices/new', 403, 'You cannot do this', /This page is for authors\. You are signed in as supervisor\./],
      ['/console/subscriptions', 403, 'You cannot do this', /This page is for agency admins\./],
      [`/console/subscriptions/${theirSub.id}`, 403, 'You cannot do this', /This page is for agency admins\./],
    ];
    for (const [path, status, heading, words] of cases) {
      const res = await sup.goto(`${stack.url}${path}`);
      expect([path, res!.status(), /^text\/html/.test(res!.headers()['content-type'] ?? '')]).toEqual([path, status, true]);
      await expect(sup.locator('h1')).toHaveText(heading);
      await expect(sup.locator('main')).toContainText(words);
      expect(await sup.evaluate(() => [document.documentElement.lang, document.title.length > 0])).toEqual(['en', true]);
      const text = await sup.locator('main').innerText();
      expect(text).not.toMatch(/Validation failed|needs one of the roles|statusCode|uuid is expected|Cannot GET/);
      await w.audit(sup, `d06-error-${path.replace(/[^a-z0-9]+/gi, '-').slice(1, 40)}`);
    }
    // Another agency's subscription, to an agency admin: missing, never "forbidden".
    const admin = await w.open();
    await signIn(admin, stack.url, emails['county.agency_admin'], PASSWORD);
    for (const path of [`/console/subscriptions/${theirSub.id}`, `/console/subscriptions/${theirSub.id}/secret`]) {
      expect((await admin.goto(`${stack.url}${path}`))!.status()).toBe(404);
      await expect(admin.locator('h1')).toHaveText('Page not found');
    }
    await w.audit(admin, 'd07-error-other-agency');
  });

  it('"waiting for your agency" shows the next thing owed, in one date format with the zone named', async () => {
    const pending = await publish('Crib bumpers: remove them');
    const alert = await publish('Recalled infant loungers', { category: 'alert', requiredActions: ['Tell every family with an infant about the recall'] });
    // The county acknowledges the alert: what it owes next is the action, not the met deadline.
    expect((await api()('POST', `/api/v1/notices/${alert.id}/acknowledgments`, { key: county.keys.agency_admin, body: { name: 'Duty officer' } })).status).toBe(200);
    const due = async (id: string, col: string) => (await stack.db.query(`SELECT ${col} AS at FROM acknowledgments WHERE notice_id = $1 AND agency_id = $2`, [id, county.id]))[0].at as Date;

    const sup = await w.open();
    await signIn(sup, stack.url, emails['county.supervisor'], PASSWORD);
    await sup.goto(`${stack.url}/console`);
    const itemOf = (ref: string) => sup.locator(`section[aria-labelledby="ack-title"] li:has-text("${ref}")`);
    await expect(itemOf(alert.reference).locator('[data-next-owed]')).toHaveText(`Report action by ${shortDate(await due(alert.id, 'actions_due_at'), 'America/New_York')}`);
    await expect(itemOf(alert.reference).locator('.tag')).toHaveText(/^Acknowledged$/i);
    expect(await itemOf(alert.reference).innerText()).not.toContain(shortDate(await due(alert.id, 'due_at'), 'America/New_York'));
    await expect(itemOf(pending.reference).locator('[data-next-owed]')).toHaveText(`Acknowledge by ${shortDate(await due(pending.id, 'due_at'), 'America/New_York')}`);
    await expect(itemOf(pending.reference).locator('.tag')).toHaveText(/^Pending$/i);
    // One palette: the same state looks the same here as on the issuer's notice page below.
    const bgHere = (ref: string) => itemOf(ref).locator('.tag').evaluate((el: unknown) => getComputedStyle(el).backgroundColor);
    expect([await bgHere(alert.reference), await bgHere(pending.reference)]).toEqual([GREEN, NEUTRAL]);
    expect(await shortDate(new Date(), 'America/New_York')).toMatch(/ E[SD]T$/);
    await w.audit(sup, 'd08-overview-next-owed');
    await datesAreOneFormat(sup, 'America/New_York');

    // The palette: the issuer's recipient table shows acknowledged in green, pending neutral.
    const issuer = await w.open();
    await signIn(issuer, stack.url, emails['state.supervisor'], PASSWORD);
    await issuer.goto(`${stack.url}/console/notices/${alert.id}`);
    const bg = (sel: string) => backgroundOf(issuer, sel);
    await expect(issuer.locator(`tr[data-agency="${county.name}"] [data-ack-state]`)).toHaveText(/Acknowledged/i);
    expect(await bg(`tr[data-agency="${county.name}"] [data-ack-state]`)).toBe(GREEN);
    expect(await bg(`tr[data-agency="${tribal.name}"] [data-ack-state]`)).toBe(NEUTRAL);
    await w.audit(issuer, 'd09-notice-palette');
    await datesAreOneFormat(issuer, 'America/New_York');
  });

  it('the dashboard: every overdue record, paged, longest overdue first; the compliance list says whose records it covers', async () => {
    // More notices than the matrix shows (8), two recipients each: more overdue records than one page.
    const made: string[] = [];
    for (let i = 0; i < 9; i++) made.push((await publish(`Overdue notice ${i + 1}`)).id);
    await stack.db.query(
      `UPDATE acknowledgments SET status = 'pending', acknowledged_at = NULL, due_at = now() - make_interval(hours => 100 + row_number)
         FROM (SELECT id AS ack, row_number() OVER (ORDER BY id)::int AS row_number FROM acknowledgments WHERE notice_id = ANY($1)) r
        WHERE id = r.ack`,
      [made],
    );
    const overdue = await count(
      `SELECT count(*) AS n FROM acknowledgments a JOIN notices n ON n.id = a.notice_id
        WHERE n.issuing_agency_id = $1 AND ((a.status = 'pending' AND a.due_at < now()) OR (a.status = 'acknowledged' AND a.actions_due_at < now()))`,
      [state.id],
    );
    expect(overdue).toBeGreaterThan(OVERDUE_PAGE);

    const sup = await w.open();
    await signIn(sup, stack.url, emails['state.supervisor'], PASSWORD);
    await sup.goto(`${stack.url}/console/dashboard`);
    await expect(sup.locator('#overdue-count')).toContainText(`${overdue} overdue on notices`);
    const rows = sup.locator('#overdue-table tbody tr');
    await expect(rows).toHaveCount(OVERDUE_PAGE);
    const firstPage = await rows.allInnerTexts();
    // Every overdue tag is red.
    expect(await sup.locator('#overdue-table .tag-overdue').first().evaluate((el: unknown) => getComputedStyle(el).backgroundColor)).toBe(RED);
    await w.audit(sup, 'd10-dashboard-overdue-page-1');
    await datesAreOneFormat(sup, 'America/New_York');
    await sup.click('a[rel="next"]');
    await expect(rows).toHaveCount(overdue - OVERDUE_PAGE);
    const secondPage = await rows.allInnerTexts();
    // Between them, the pages list every overdue record once, including the oldest notices past the matrix's 8.
    const refs = await stack.db.query(`SELECT reference FROM notices WHERE id = ANY($1)`, [made]);
    for (const { reference } of refs) expect([...firstPage, ...secondPage].filter((t) => t.includes(reference)).length).toBe(2);
    await w.audit(sup, 'd11-dashboard-overdue-page-2');

    // The compliance list says whose records it covers.
    await expect(sup.locator('#compliance-title')).toHaveText(`Compliance list: ${state.name}`);
    await expect(sup.locator('#compliance-scope')).toContainText('Only your own agency’s line is shown here');
    const admin = await w.open();
    await signIn(admin, stack.url, emails['partnership.admin'], PASSWORD);
    await admin.goto(`${stack.url}/console/dashboard`);
    await expect(admin.locator('#compliance-title')).toHaveText('Compliance list: every agency of the partnership');
    await expect(admin.locator('#overdue-count')).toContainText(`${overdue} overdue on the partnership’s notices`);
    await w.audit(admin, 'd12-dashboard-admin');
  });

  /**
   * One date format in the console: "Mar 6, 2026, 5:00 PM EST", in the viewer's zone, the zone
   * named. No long dates, no ISO stamps, no other zone on the page.
   */
  async function datesAreOneFormat(page: Page, zone: string) {
    const text: string = await page.locator('main').innerText();
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    expect(text).not.toMatch(/\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b/);
    const dates = text.match(/\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\w* \d{1,2}, \d{4}[^\n]{0,20}/g) ?? [];
    expect(dates.length).toBeGreaterThan(0);
    const zoneName = shortDate(new Date(), zone).split(' ').pop();
    for (const d of dates) expect(d).toMatch(new RegExp(`^[A-Z][a-z]{2} \\d{1,2}, \\d{4}, \\d{1,2}:\\d{2} [AP]M (${zoneName}|E[SD]T)\\b`));
  }
});
