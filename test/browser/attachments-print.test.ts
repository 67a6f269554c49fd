/**
 * Attachments and print views in a real browser (Debian's Chromium through playwright-core),
 * against the three apps on real PostgreSQL and NATS: an author attaches a PDF and a photo to a
 * draft through the upload form (no script needed), a file that is not an accepted type is sent
 * back with a plain message, the photo shows on the page, a second person approves, a recipient
 * sees the photo, and both print views (the notice, its acknowledgment report) print without the
 * screen's controls, with the reference, "printed on … by …" and page numbers on every page
 * (CSS paged media; the PDF Chromium prints is kept under test/artifacts/browser/). Every page is
 * screenshotted and checked with axe-core: a serious or critical violation fails the test.
 *
 * SNE_DOCS_SCREENSHOTS=1 also rewrites the README's docs/console-attachments.png.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { hashPassword } from '@sne/core';
import { apiClient, createAgency, createTopics, TestAgency } from '../support/fixtures';
import { startStack, Stack } from '../support/stack';
import { ARTIFACTS, check, launchBrowser, pageOpener, signIn } from './browser';
import { expect } from './locator-expect';

/* Code passed to page.evaluate runs in the browser; the project compiles without the DOM library. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const document: any;

jest.setTimeout(110_000);

const FIXTURES = resolve(__dirname, '../fixtures/attachments');
const WRITE_DOCS = process.env.SNE_DOCS_SCREENSHOTS === '1';
const PASSWORD = 'correct horse battery staple';

describe('attachments and print views, in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  let state: TestAgency;
  let county: TestAgency;
  const emails: Record<string, string> = {};
  const contexts: BrowserContext[] = [];
  const violations: string[] = [];
  const pageProblems: string[] = [];

  const open = pageOpener(() => browser, contexts, pageProblems);

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
    await createTopics(stack.db, ['bath-safety']);
    state = await createAgency(stack.db, { name: 'Ohio Department of Children and Youth', type: 'state', roles: ['author', 'approver', 'supervisor'], timeZone: 'America/New_York' });
    county = await createAgency(stack.db, { name: 'Franklin County Children Services', roles: ['supervisor', 'agency_admin'], timeZone: 'America/Chicago' });
    await apiClient(stack.url)('POST', '/api/v1/subscriptions', {
      key: county.keys.agency_admin,
      body: { name: 'desk', topicPatterns: ['bath-safety'], channel: 'email', emailAddresses: ['desk@county.test'] },
    });
    const hash = await hashPassword(PASSWORD);
    for (const [who, agency] of [['state', state], ['county', county]] as const) {
      for (const [role, id] of Object.entries(agency.userIds)) {
        const [[row]] = await stack.db.query(`UPDATE users SET password_hash = $2 WHERE id = $1 RETURNING email`, [id, hash]);
        emails[`${who}.${role}`] = row.email;
      }
    }
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  it('attaches files to a draft, shows the photo, and prints the notice and its report for a case file', async () => {
    const call = apiClient(stack.url);
    const draft = (
      await call('POST', '/api/v1/notices', {
        key: state.keys.author,
        body: {
          title: 'Recalled infant bath seat',
          summary: 'Remove the recalled bath seat from every home under supervision.',
          body: 'The manufacturer recalled the seat after two incidents. See the attached guidance and the photo of the product.',
          category: 'alert',
          severity: 'high',
          topics: ['bath-safety'],
          requiredActions: ['Check every home with an infant for the seat'],
        },
      })
    ).body;

    // The author attaches through the form: a page, not a script.
    const author = await open();
    await signIn(author, stack.url, emails['state.author'], PASSWORD);
    await author.goto(`${stack.url}/console/notices/${draft.id}`);
    await expect(author.getByRole('heading', { name: 'Attachments' })).toBeVisible();
    await author.setInputFiles('#attachment-file', join(FIXTURES, 'guidance.pdf'));
    await Promise.all([author.waitForURL(/done=attached/), author.getByRole('button', { name: 'Attach', exact: true }).click()]);
    await expect(author.getByRole('status')).toContainText('The file was attached');
    await author.setInputFiles('#attachment-file', join(FIXTURES, 'product-photo.png'));
    await Promise.all([author.waitForURL(/done=attached/), author.getByRole('button', { name: 'Attach', exact: true }).click()]);
    const photo = author.getByRole('img', { name: 'Attached picture: product-photo.png' });
    await expect(photo).toBeVisible();
    // Visible is not loaded: wait for the picture itself (decode() rejects for a broken image, which reads as 0).
    expect(await photo.evaluate((img: { naturalWidth: number; decode(): Promise<void> }) => img.decode().then(() => img.naturalWidth, () => 0))).toBe(120);
    await expect(author.getByRole('link', { name: 'guidance.pdf' })).toBeVisible();
    violations.push(...(await check(author, 'attachments-1-draft')));
    if (WRITE_DOCS) copyFileSync(resolve(ARTIFACTS, 'attachments-1-draft.png'), resolve(__dirname, '../../docs/console-attachments.png'));

    // A text file named .pdf is sent back in plain words, and nothing is attached.
    const fake = resolve(ARTIFACTS, 'not-really.pdf');
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(fake, 'This is only text with a .pdf name.');
    await author.setInputFiles('#attachment-file', fake);
    await Promise.all([author.waitForURL(/attach=type/), author.getByRole('button', { name: 'Attach', exact: true }).click()]);
    await expect(author.getByRole('alert')).toContainText('not a type the exchange accepts');
    expect(await author.locator('.attachment').count()).toBe(2);
    violations.push(...(await check(author, 'attachments-2-refused')));

    // Approved with the attachments; a recipient sees the photo.
    await call('POST', `/api/v1/notices/${draft.id}/submit`, { key: state.keys.author });
    const reviewed = (await call('GET', `/api/v1/notices/${draft.id}`, { key: state.keys.approver })).body;
    expect(reviewed.attachments).toHaveLength(2);
    const published = (await call('POST', `/api/v1/notices/${draft.id}/approve`, { key: state.keys.approver, body: { contentHash: reviewed.contentHash } })).body;
    const recipient = await open();
    await signIn(recipient, stack.url, emails['county.supervisor'], PASSWORD);
    await recipient.goto(`${stack.url}/console/notices/${draft.id}`);
    await expect(recipient.getByRole('img', { name: 'Attached picture: product-photo.png' })).toBeVisible();
    await expect(recipient.getByRole('button', { name: /Remove/ })).toHaveCount(0);
    violations.push(...(await check(recipient, 'attachments-3-published')));

    // The notice's print view: reached from the notice page, no controls on paper.
    await Promise.all([recipient.waitForURL(/\/print$/), recipient.getByRole('link', { name: 'Print view of this notice' }).click()]);
    await expect(recipient.getByRole('heading', { name: 'Recalled infant bath seat' })).toBeVisible();
    await expect(recipient.locator('.print-meta')).toContainText(`${published.reference} · Printed on`);
    await expect(recipient.locator('.print-meta')).toContainText(/\((America\/Chicago)\) by supervisor/);
    expect(await recipient.locator('form, nav.site-nav, button').count()).toBe(0);
    violations.push(...(await check(recipient, 'print-1-notice')));
    await printed(recipient, 'print-1-notice', published.reference);

    // The acknowledgment report's print view, as the issuing agency's supervisor: every recipient.
    const supervisor = await open();
    await signIn(supervisor, stack.url, emails['state.supervisor'], PASSWORD);
    await supervisor.goto(`${stack.url}/console/notices/${draft.id}/report/print`);
    await expect(supervisor.getByRole('heading', { name: 'Acknowledgment report: Recalled infant bath seat' })).toBeVisible();
    await expect(supervisor.getByRole('row', { name: /Franklin County Children Services/ })).toContainText('Pending');
    violations.push(...(await check(supervisor, 'print-2-report')));
    await printed(supervisor, 'print-2-report', published.reference);

    expect(violations).toEqual([]);
    for (const p of [author, recipient, supervisor]) await p.close();
    expect(pageProblems).toEqual([]);
  });

  /**
   * On paper: the screen-only parts are hidden, and the page box carries the reference, who printed
   * it when, and "Page n of m" in its margins. The PDF is kept for a person to look at.
   */
  async function printed(page: Page, name: string, reference: string) {
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.print-bar').isVisible()).toBe(false);
    const pageRule: string = await page.evaluate(() =>
      [...document.styleSheets].flatMap((s: { cssRules: { cssText: string }[] }) => [...s.cssRules].map((r) => r.cssText)).find((t: string) => t.startsWith('@page')) ?? '',
    );
    expect(pageRule).toContain('counter(page)');
    expect(pageRule).toContain('counter(pages)');
    expect(pageRule.replace(/\\([0-9a-f]+) /g, (_, h) => String.fromCodePoint(parseInt(h, 16)))).toMatch(new RegExp(`${reference}[\\s\\S]*Printed on [\\s\\S]*(America/Chicago|America/New_York)\\) by `));
    const pdf = await page.pdf({ path: resolve(ARTIFACTS, `${name}.pdf`), format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.emulateMedia({ media: 'screen' });
  }
});
