/**
 * Browser helpers for the console tests: Debian's Chromium driven by playwright-core, axe-core
 * run on every page (serious and critical violations fail the test), and screenshots under
 * test/artifacts/.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';

/* Code passed to page.evaluate runs in the browser; the project compiles without the DOM library. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const window: any, document: any;

export const ARTIFACTS = resolve(__dirname, '../artifacts/browser');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium is not at ${executablePath}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A fresh browser profile (its own cookies), desktop-sized unless asked. */
export async function newContext(browser: Browser, opts: { width?: number; height?: number } = {}): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 }, reducedMotion: 'reduce' });
}

/**
 * `open()` for a test file: each page in a fresh context (kept in `contexts`, to close at the end),
 * with its errors watched and added to `pageProblems` when it closes (also on `page.problems`).
 */
export function pageOpener(browser: () => Browser, contexts: BrowserContext[], pageProblems: string[]) {
  return async (opts: { width?: number } = {}): Promise<Page> => {
    const ctx = await newContext(browser(), opts);
    contexts.push(ctx);
    const page = await ctx.newPage();
    page.setDefaultTimeout(10_000);
    const problems = watch(page);
    page.on('close', () => pageProblems.push(...problems));
    (page as unknown as { problems: string[] }).problems = problems;
    return page;
  };
}

/** Every page error and failed script is a test failure: collect them per page. */
export function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) problems.push(`console error: ${m.text()}`);
  });
  return problems;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string }[];
}

/** Runs axe-core in the page (through the debugger, so the page's CSP stays in force) and returns every violation. */
export async function axe(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => typeof (window as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.evaluate(`${AXE_SOURCE}\n;0`);
  return page.evaluate(async () => {
    const result = await (window as { axe: { run: (ctx: unknown, opts: object) => Promise<{ violations: AxeViolation[] }> } }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target as string[], html: n.html.slice(0, 200) })) }));
  });
}

/** Screenshot (full page) plus the axe check; returns the serious and critical violations (expected to be none). */
export async function check(page: Page, name: string, log: string[] = []): Promise<string[]> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: resolve(ARTIFACTS, `${name}.png`), fullPage: true });
  const violations = await axe(page);
  for (const v of violations) log.push(`${name}: ${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${name}: ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => `${n.target.join(' ')}  ${n.html}`).join('\n    ')}`);
}

export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/console/sign-in`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/console/sign-in')), page.click('button[type=submit]:has-text("Sign in")')]);
}

/**
 * What sticks out sideways at this width: [] when the page needs no horizontal scrolling (wide
 * tables scroll inside their own focusable region, which is fine).
 */
export async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    if (document.documentElement.scrollWidth <= window.innerWidth + 1) return [];
    const out: string[] = [];
    for (const el of document.querySelectorAll('body *')) {
      if (el.parentElement?.closest('.table-scroll')) continue;
      const r = el.getBoundingClientRect();
      if (r.right > window.innerWidth + 1) out.push(`${el.tagName.toLowerCase()}.${String(el.className).replace(/ /g, '.')} right=${Math.round(r.right)}`);
    }
    return out.length ? out.slice(0, 8) : [`document ${document.documentElement.scrollWidth}px wide`];
  });
}

/**
 * A browser walk: pages opened in fresh profiles, each checked with axe by `audit(page, name)` (a
 * screenshot, and the serious and critical findings collected in `violations`, expected to stay
 * empty); script errors collected per page (`problemsOf(page)`) and for the whole walk
 * (`problems`, filled as pages close); `close()` ends them all.
 */
export function walk(browser: () => Browser) {
  const contexts: BrowserContext[] = [];
  const perPage = new Map<Page, string[]>();
  const violations: string[] = [];
  const axeLog: string[] = [];
  const problems: string[] = [];
  return {
    violations,
    axeLog,
    problems,
    async open(opts: { width?: number } = {}): Promise<Page> {
      const ctx = await newContext(browser(), opts);
      contexts.push(ctx);
      const page = await ctx.newPage();
      page.setDefaultTimeout(10_000);
      const mine = watch(page);
      perPage.set(page, mine);
      page.on('close', () => problems.push(...mine));
      (page as unknown as { problems: string[] }).problems = mine;
      return page;
    },
    problemsOf: (page: Page): string[] => perPage.get(page) ?? [],
    async audit(page: Page, name: string): Promise<void> {
      violations.push(...(await check(page, name, axeLog)));
    },
    async close(): Promise<void> {
      for (const c of contexts) await c.close().catch(() => undefined);
    },
  };
}

/**
 * What a browser test collects from every page it checks: axe violations, pages that scroll
 * sideways, and console errors or failed requests (through `open`). Each list must end empty.
 */
export function pageChecks(browser: () => Browser, contexts: BrowserContext[]) {
  const violations: string[] = [];
  const pageProblems: string[] = [];
  const sideways: string[] = [];
  const open = pageOpener(browser, contexts, pageProblems);
  const audit = async (page: Page, name: string) => {
    violations.push(...(await check(page, name)));
    sideways.push(...(await overflowing(page)).map((o) => `${name}: ${o}`));
  };
  return { violations, pageProblems, sideways, open, audit };
}
