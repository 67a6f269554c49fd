/**
 * Running a survey wave from the console in a real browser on a 390 px phone, against the three
 * apps with the dev mailbox as the mail transport: an agency admin opens a wave through the form
 * (errors beside the fields), adds a team's addresses, sends the invitations, sees that one
 * response, after someone answers through the emailed link, is not counted on its own (a count
 * below SURVEY_MIN_RESPONSES is never shown), sends a reminder (a second one the same day is
 * refused with when it is possible again) and closes the wave, after which an unused link no
 * longer works. Every page is checked with axe-core and must not scroll sideways.
 */
import { Browser, BrowserContext } from 'playwright-core';
import { hashPassword } from '@sne/core';
import { createAgency, TestAgency } from '../support/fixtures';
import { startStack, Stack } from '../support/stack';
import { launchBrowser, pageChecks, signIn } from './browser';
import { expect } from './locator-expect';

jest.setTimeout(120_000);

const PASSWORD = 'correct horse battery staple';
const PHONE = { width: 390 };

describe('running a survey wave from the console, in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  let agency: TestAgency;
  const contexts: BrowserContext[] = [];
  const { violations, pageProblems, sideways, open, audit } = pageChecks(() => browser, contexts);
  const linkFor = async (email: string) => {
    const [mail] = await stack.db.query(`SELECT text FROM dev_mail WHERE to_address = $1 ORDER BY id LIMIT 1`, [email]);
    return /http:\/\/[^\s]+\/survey\/[A-Za-z0-9_-]{43}/.exec(mail.text)![0];
  };

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
    agency = await createAgency(stack.db, { name: 'Franklin County Children Services', roles: ['agency_admin'] });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  it('opens a wave, adds addresses, sends links, counts an answer, reminds and closes', async () => {
    const [[admin]] = await stack.db.query(`UPDATE users SET password_hash = $2 WHERE id = $1 RETURNING email`, [agency.userIds.agency_admin, await hashPassword(PASSWORD)]);
    const page = await open(PHONE);
    await signIn(page, stack.url, admin.email, PASSWORD);
    await page.goto(`${stack.url}/console/surveys`);
    await page.getByRole('link', { name: 'Open a survey wave' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Open a survey wave' })).toBeVisible();
    await audit(page, 'wave-1-new');

    await page.getByLabel('Title').fill('Autumn team survey');
    await page.getByLabel('Opens on').fill('2020-01-01');
    await page.getByLabel('Closes on').fill('2099-12-31');
    await page.getByLabel('Teams').fill('North intake unit, 9\nEast office');
    await page.getByRole('button', { name: 'Open the wave' }).click();
    await expect(page.locator('#teams-error')).toContainText('Line 2 ("East office") needs a team name, a comma and a headcount');
    expect(await page.getByLabel('Title').inputValue()).toBe('Autumn team survey');
    await audit(page, 'wave-2-new-error');
    expect((await stack.db.query(`SELECT count(*)::int AS n FROM survey_waves`)) as unknown[]).toEqual([{ n: 0 }]);

    await page.getByLabel('Teams').fill('North intake unit, 9\nEast office, 4');
    await page.getByRole('button', { name: 'Open the wave' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Autumn team survey' })).toBeVisible();
    await expect(page.getByRole('status')).toContainText('The survey wave was opened');
    await expect(page.locator('#wave-teams')).toContainText('East office');
    await audit(page, 'wave-3-opened');

    const addresses = page.getByLabel('Addresses for North intake unit');
    await addresses.fill('a.worker@county.test, b.worker@county.test\nnot-an-address');
    await page.getByRole('button', { name: 'Add to North intake unit' }).click();
    await expect(page.locator('.field-error')).toContainText('not-an-address');
    expect(await page.getByLabel('Addresses for North intake unit').inputValue()).toContain('b.worker@county.test');
    await audit(page, 'wave-4-addresses-error');
    await page.getByLabel('Addresses for North intake unit').fill('a.worker@county.test, b.worker@county.test');
    await page.getByRole('button', { name: 'Add to North intake unit' }).click();
    await expect(page.locator('#outcome')).toContainText('2 addresses added');

    await page.getByRole('button', { name: 'Send invitations' }).click();
    await expect(page.locator('#outcome')).toContainText('2 invitations were sent.');
    await expect(page.locator('#wave-teams')).toContainText('2 addresses, 2 sent their link');
    await audit(page, 'wave-5-sent');

    const respondent = await open(PHONE);
    await respondent.goto(await linkFor('a.worker@county.test'));
    await expect(respondent.getByRole('heading', { level: 1, name: 'Autumn team survey' })).toBeVisible();
    await respondent.getByRole('group', { name: 'Leaders here make child safety a priority in their decisions.' }).getByLabel('Agree', { exact: true }).check();
    await respondent.getByRole('button', { name: 'Submit my answers' }).click();
    await expect(respondent.getByRole('heading', { name: 'Thank you: your answers are in' })).toBeVisible();

    await page.reload();
    // One response is a group of one: the page does not count it (fewer than SURVEY_MIN_RESPONSES, 5).
    await expect(page.locator('#wave-responses')).toHaveText('fewer than 5 responses so far, of 13 expected');
    await expect(page.locator('#wave-teams')).toContainText('fewer than 5 so far: not shown on its own yet');

    await page.getByRole('button', { name: 'Send a reminder to everyone' }).click();
    await expect(page.locator('#outcome')).toContainText('A reminder went to 2 addresses.');
    await page.getByRole('button', { name: 'Send a reminder to everyone' }).click();
    await expect(page.locator('.error-summary')).toContainText('the next one can be sent from');
    await audit(page, 'wave-6-reminder-limit');

    await expect(page.locator('#results-after-close')).toContainText('shown once the wave is closed');
    await page.getByRole('button', { name: 'Close the wave' }).click();
    await expect(page.locator('#confirm-close-error')).toContainText('Tick the box to confirm');
    await page.getByLabel('I understand: unused links and codes stop working').check();
    await page.getByRole('button', { name: 'Close the wave' }).click();
    await expect(page.getByRole('status')).toContainText('The wave was closed');
    await expect(page.getByRole('button', { name: 'Send invitations' })).toHaveCount(0);
    await audit(page, 'wave-7-closed');
    expect((await stack.db.query(`SELECT status FROM survey_waves`)) as unknown[]).toEqual([{ status: 'closed' }]);

    await respondent.goto(await linkFor('b.worker@county.test'));
    await expect(respondent.getByRole('heading', { name: 'This link has been used or has expired' })).toBeVisible();

    await page.getByRole('link', { name: 'See the results' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Results: Autumn team survey' })).toBeVisible();

    expect(violations).toEqual([]);
    expect(sideways).toEqual([]);
    await respondent.close();
    await page.close();
    expect(pageProblems).toEqual([]);
  });
});
