/**
 * Names of the stream, subjects and durable consumers of one deployment, all derived from its
 * prefix so several deployments (or test runs) can share one NATS account.
 */

/** A prefix becomes the first subject token, so it must not contain `.`, wildcards or spaces. */
const PREFIX_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function assertPrefix(prefix: string): void {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new Error(`Invalid messaging prefix "${prefix}": use 1-64 letters, digits, _ or -`);
  }
}

/** Stream and consumer names may not hold `.`, `*`, `>`, path separators or whitespace. */
export function sanitizeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_');
}

export function workStreamName(prefix: string): string {
  return sanitizeName(`${prefix}_work`);
}

export function workSubject(prefix: string, subject: string): string {
  return `${prefix}.${subject}`;
}

export function durableName(prefix: string, durable: string): string {
  return sanitizeName(`${prefix}_${durable}`);
}
