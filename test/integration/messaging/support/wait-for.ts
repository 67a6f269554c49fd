/** Polls until `condition` holds; fails with `what` after `timeoutMs` (generous: CI machines are slow). */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A prefix of its own for every test file (and test), so runs can share one NATS server. */
export function randomPrefix(): string {
  return `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

export const NATS_TEST_URL = process.env.NATS_TEST_URL || 'nats://127.0.0.1:4222';
