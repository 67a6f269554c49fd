/**
 * What happens after an attempt, as a pure function of the attempt's facts.
 * Permanent refusals (410, the receiver's `webhook-delivery: abort`, SMTP 5xx) stop at once;
 * anything else is retried on the schedule; Retry-After, when given, sets the delay.
 */
export interface AttemptFacts {
  /** Attempts made in the current schedule, including this one (1 after the first). */
  attemptsInRun: number;
  permanent: boolean;
  retryAfterMs?: number;
}

export type Decision = { action: 'fail' } | { action: 'retry'; delayMs: number };

export function decideAfterFailure(f: AttemptFacts, scheduleMs: number[], random = Math.random): Decision {
  if (f.permanent) return { action: 'fail' };
  if (f.attemptsInRun > scheduleMs.length) return { action: 'fail' };
  if (f.retryAfterMs !== undefined) return { action: 'retry', delayMs: f.retryAfterMs };
  const base = scheduleMs[f.attemptsInRun - 1];
  // ±10 % jitter so endpoints that failed together are not retried in one burst.
  return { action: 'retry', delayMs: Math.round(base * (0.9 + 0.2 * random())) };
}
