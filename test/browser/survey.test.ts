/**
 * Answering a team safety-culture survey in a real browser (Debian's Chromium through
 * playwright-core) on a 390 px phone, against the three apps on real PostgreSQL and NATS with the
 * dev mailbox as the mail transport: the link from the invitation opens the survey, identifying
 * free text is sent back to be taken out (the answers kept), the response is recorded once, the
 * used link says so, and a printed team code typed on the code page opens the survey. The agency
 * admin prints team codes from the console. Every page is screenshotted and checked with axe-core
 * (a serious or critical violation fails the test) and must not scroll sideways.
 */
import { Browser, BrowserContext } from 'playwright-core';
import { hashPassword } from '@sne/core';
import { apiClient, createAgency, TestAgency } from '../support/fixtures';
import { startStack, Stack } from '../support/stack';
import { launchBrowser, pageChecks, signIn } from './browser';
import { expect } from './locator-expect';

jest.setTimeout(110_000);

const PASSWORD = 'correct horse battery staple';
const PHONE = { width: 390 };

describe('a team survey, in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  let agency: TestAgency;
  let wave: any;
  const contexts: BrowserContext[] = [];
  const { violations, pageProblems, sideways, open, audit } = pageChecks(() => browser, contexts);

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
    agency = await createAgency(stack.db, { name: 'Franklin County Children Services', roles: ['agency_admin'] });
    const call = apiClient(stack.url);
    wave = (
      await call('POST', '/api/v1/surveys/waves', {
        key: agency.keys.agency_admin,
        body: { title: 'Spring team survey', opensOn: '2020-01-01', closesOn: '2099-12-31', teams: [{ name: 'North intake unit', expectedHeadcount: 9 }] },
      })
    ).body;
    await call('POST', `/api/v1/surveys/waves/${wave.id}/teams/${wave.teams[0].id}/recipients`, { key: agency.keys.agency_admin, body: { emails: ['worker@county.test'] } });
    expect((await call('POST', `/api/v1/surveys/waves/${wave.id}/invitations`, { key: agency.keys.agency_admin })).body).toEqual({ sent: 1, failed: [] });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  it('answers through the emailed link on a phone: identifying text is sent back, the answers are recorded once', async () => {
    // With no SMTP server, the invitation is in the dev mailbox (development only: it keeps the link).
    const [mail] = await stack.db.query(`SELECT text FROM dev_mail WHERE to_address = 'worker@county.test'`);
    const link = /http:\/\/[^\s]+\/survey\/[A-Za-z0-9_-]{43}/.exec(mail.text)![0];
    const page = await open(PHONE);
    await page.goto(link);
    await expect(page.getByRole('heading', { level: 1, name: 'Spring team survey' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'What is kept, and what is not' })).toBeVisible();
    await audit(page, 'survey-1-form');

    const statement = (text: string) => page.getByRole('group', { name: text });
    await statement("In my team I can raise a concern about a child's safety without worrying how it will be received.").getByLabel('Agree', { exact: true }).check();
    await statement('If I make a mistake in my team, it is held against me.').getByLabel('Strongly disagree', { exact: true }).check();
    await statement('My caseload is too large for me to do the work well.').getByLabel('Strongly agree', { exact: true }).check();
    const open1 = page.getByLabel("If you could change one thing to make children on your team's caseloads safer, what would it be?");
    await open1.fill('Ring the foster mother at (614) 555-0182 before every visit.');
    await page.getByRole('button', { name: 'Submit my answers' }).click();

    await expect(page.getByRole('heading', { name: 'Please take out what could identify someone' })).toBeVisible();
    await expect(page.locator('.error-summary')).toContainText('555-0182');
    expect(await statement('My caseload is too large for me to do the work well.').getByLabel('Strongly agree', { exact: true }).isChecked()).toBe(true);
    await audit(page, 'survey-2-identifying');
    expect((await stack.db.query(`SELECT count(*)::int AS n FROM survey_responses`)) as unknown[]).toEqual([{ n: 0 }]);

    await open1.fill('Time with a supervisor before every first visit.');
    await page.getByRole('button', { name: 'Submit my answers' }).click();
    await expect(page.getByRole('heading', { name: 'Thank you: your answers are in' })).toBeVisible();
    expect(new URL(page.url()).pathname).toBe('/survey/thanks');
    await audit(page, 'survey-3-thanks');
    expect((await stack.db.query(`SELECT answers FROM survey_responses`)) as unknown[]).toEqual([{ answers: { 'ps.speak-up': 4, 'ps.held-against': 1, 'wl.too-many': 5 } }]);
    expect(await page.context().cookies()).toEqual([]);

    await page.goto(link);
    await expect(page.getByRole('heading', { name: 'This link has been used or has expired' })).toBeVisible();
    await audit(page, 'survey-4-used');

    expect(violations).toEqual([]);
    expect(sideways).toEqual([]);
    await page.close();
    expect(pageProblems).toEqual([]);
  });

  it('prints team codes from the console, and a code typed on the code page opens the survey', async () => {
    const [[admin]] = await stack.db.query(`UPDATE users SET password_hash = $2 WHERE id = $1 RETURNING email`, [agency.userIds.agency_admin, await hashPassword(PASSWORD)]);
    const console_ = await open(PHONE);
    await signIn(console_, stack.url, admin.email, PASSWORD);
    await console_.goto(`${stack.url}/console/surveys`);
    await expect(console_.getByRole('heading', { name: 'Spring team survey' })).toBeVisible();
    await audit(console_, 'survey-5-console-waves');
    await console_.getByLabel('How many codes for North intake unit').fill('4');
    await console_.getByRole('button', { name: 'Print codes' }).click();
    await expect(console_.getByRole('heading', { name: 'Survey codes: Spring team survey' })).toBeVisible();
    const codes = await console_.locator('.code-slip-code code').allTextContents();
    expect(codes).toHaveLength(4);
    await audit(console_, 'survey-6-codes');
    await console_.reload();
    await expect(console_.getByRole('heading', { name: 'The codes are no longer shown' })).toBeVisible();

    const page = await open(PHONE);
    await page.goto(`${stack.url}/survey`);
    await expect(page.getByRole('heading', { name: 'Enter your survey code' })).toBeVisible();
    await audit(page, 'survey-7-code-entry');
    await page.getByLabel('Survey code').fill('not a code');
    await page.getByRole('button', { name: 'Open the survey' }).click();
    await expect(page.locator('.error-summary')).toContainText('Enter the code exactly as printed');
    await audit(page, 'survey-8-code-refused');
    await page.getByLabel('Survey code').fill(codes[2].toLowerCase());
    await page.getByRole('button', { name: 'Open the survey' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Spring team survey' })).toBeVisible();
    await page.getByRole('group', { name: 'Leaders here make child safety a priority in their decisions.' }).getByLabel('Neither agree nor disagree').check();
    await page.getByRole('button', { name: 'Submit my answers' }).click();
    await expect(page.getByRole('heading', { name: 'Thank you: your answers are in' })).toBeVisible();
    expect((await stack.db.query(`SELECT count(*)::int AS n FROM survey_responses`)) as unknown[]).toEqual([{ n: 2 }]);

    expect(violations).toEqual([]);
    expect(sideways).toEqual([]);
    await page.close();
    await console_.close();
    expect(pageProblems).toEqual([]);
  });
});
