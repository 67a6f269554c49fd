/**
 * playwright-core has no test runner, so no web-first assertions: this is a small `expect` that
 * polls a Locator until the assertion holds (or times out), and is jest's `expect` for anything else.
 */
import type { Locator } from 'playwright-core';

/* Code passed to page.evaluate runs in the browser; the project compiles without the DOM library. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const window: any, document: any;

const DEFAULT_TIMEOUT = 5000;
type Opts = { timeout?: number };

function isLocator(value: unknown): value is Locator {
  return !!value && typeof value === 'object' && typeof (value as Locator).waitFor === 'function' && typeof (value as Locator).count === 'function';
}

async function poll(what: string, locator: Locator, test: () => Promise<{ ok: boolean; actual: unknown }>, opts: Opts = {}): Promise<void> {
  const deadline = Date.now() + (opts.timeout ?? DEFAULT_TIMEOUT);
  let last: unknown;
  for (;;) {
    try {
      const { ok, actual } = await test();
      last = actual;
      if (ok) return;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`expected ${locator} ${what}; last saw: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const matches = (actual: string, expected: string | RegExp, whole: boolean) =>
  typeof expected === 'string' ? (whole ? actual.trim() === expected : actual.includes(expected)) : expected.test(whole ? actual.trim() : actual);

function locatorMatchers(l: Locator) {
  return {
    toBeVisible: (o?: Opts) => poll('to be visible', l, async () => ({ ok: await l.first().isVisible(), actual: await l.count() }), o),
    toHaveCount: (n: number, o?: Opts) => poll(`to have count ${n}`, l, async () => {
      const c = await l.count();
      return { ok: c === n, actual: c };
    }, o),
    toHaveText: (t: string | RegExp, o?: Opts) => poll(`to have text ${t}`, l, async () => {
      const s = await l.first().innerText({ timeout: 500 });
      return { ok: matches(s, t, true), actual: s };
    }, o),
    toContainText: (t: string | RegExp, o?: Opts) => poll(`to contain text ${t}`, l, async () => {
      const s = await l.first().innerText({ timeout: 500 });
      return { ok: matches(s, t, false), actual: s };
    }, o),
    toHaveAttribute: (name: string, value: string, o?: Opts) => poll(`to have ${name}=${value}`, l, async () => {
      const v = await l.first().getAttribute(name, { timeout: 500 });
      return { ok: v === value, actual: v };
    }, o),
    toBeFocused: (o?: Opts) => poll('to be focused', l, async () => ({ ok: await l.first().evaluate((el) => el === document.activeElement), actual: 'not focused' }), o),
  };
}

export function expect(value: Locator): ReturnType<typeof locatorMatchers>;
export function expect<T>(value: T): jest.JestMatchers<T>;
export function expect(value: unknown): unknown {
  return isLocator(value) ? locatorMatchers(value) : (globalThis as unknown as { expect: (v: unknown) => unknown }).expect(value);
}
